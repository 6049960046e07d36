"""A training run that publishes one event per evaluation, to Kafka or to a JSON-lines file."""

import json
import threading
import time
import warnings

from . import contract
from .contract import ContractError

DEFAULT_TOPIC = "training.epochs"
DEFAULT_ADVICE_TOPIC = "descent.advice"


class DeliveryError(RuntimeError):
    """Events that could not be delivered (Kafka unreachable, or refused them)."""


def param_count(module):
    """Trainable parameters of a PyTorch module (anything with .parameters()): what param_count means."""
    return sum(p.numel() for p in module.parameters() if p.requires_grad)


class Run:
    """One training run (one model size and seed) of a sweep, as a context manager.

    ``log`` checks the event against the contract (ContractError names the field) and hands it to a background
    sender: the training loop never waits for the network. The latest event is held back until the next ``log``
    or for up to ``linger`` seconds (0.2 s: well inside the second an event may take to reach the page), so that
    when a run is closed normally its last event carries ``final`` and the detector decides on the run at once;
    a loop slower than that gets ``final`` by ``epochs=`` (the last epoch) or ``log(..., final=True)``. A run that ends by an exception is closed without ``final``. Closing waits until every
    event was delivered (``flush_timeout``) and raises DeliveryError if any was not.

    With ``out="run.jsonl"`` events are appended to that file as JSON lines instead (``./descentwatch detect
    --input run.jsonl`` or ``replay`` read it); confluent-kafka is imported only for Kafka.
    """

    def __init__(self, sweep_id, run_id, param_count, train_size, output_dim=None, model=None, tags=None,
                 bootstrap="localhost:9092", topic=DEFAULT_TOPIC, out=None, sweep_runs=None, epochs=None,
                 schedule_end=None, linger=0.2, flush_timeout=30.0, connect_timeout=10.0, kafka_config=None,
                 advice_topic=DEFAULT_ADVICE_TOPIC):
        contract.check_id("sweep_id", sweep_id)
        contract.check_id("run_id", run_id)
        static = {"schema": contract.SCHEMA, "run_id": run_id, "sweep_id": sweep_id,
                  "param_count": contract.check_count("param_count", param_count),
                  "train_size": contract.check_count("train_size", train_size)}
        if output_dim is not None:
            static["output_dim"] = contract.check_count("output_dim", output_dim, contract.MAX_OUTPUT_DIM)
        tags = dict(tags or {})
        if sweep_runs is not None:
            # how many runs the sweep will have: lets the detector settle sweep decisions as soon as all are in
            tags["sweep_runs"] = str(contract.check_count("sweep_runs", sweep_runs))
        if epochs is not None:
            # the planned last epoch: with it the stopping advice says STOP when a second descent cannot pass the
            # best test loss before the run ends
            tags.setdefault("max_epochs", str(contract.check_epoch(epochs)))
        if schedule_end is not None:
            # the last epoch at which the trainer's own schedule changes what is fitted (data added, weights pruned,
            # a regulariser switched or ramped; not the learning rate): the stopping advice reads no STOP from the
            # curve before that change has shown, since the curve so far is of another problem
            tags.setdefault("schedule_end", str(contract.check_epoch(schedule_end)))
        if model is not None:
            static["model"] = contract.check_scalars("model", model)
        if tags:
            static["tags"] = contract.check_scalars("tags", tags)
        if epochs is not None:
            epochs = contract.check_epoch(epochs)
        self._budget_told = "max_epochs" in tags
        self._budget_warned = False
        if linger < 0:
            raise ValueError(f"linger must be >= 0 seconds, got {linger}")
        self.run_id = run_id
        self.sweep_id = sweep_id
        self._epochs = epochs
        self._linger = float(linger)
        self._flush_timeout = float(flush_timeout)
        # the fields that never change, encoded once: each event is this prefix plus its own few fields
        self._prefix = json.dumps(static, separators=(",", ":"), allow_nan=False)[:-1]
        self._key = run_id.encode("utf-8")
        self._last_epoch = -1
        self._held = None            # the latest event's JSON without its closing brace, not sent yet
        self._lock = threading.Lock()
        self._closed = False
        self._stamp_second = -1
        self._stamp_prefix = ""
        self.events_sent = 0
        self._advice = None
        self._advice_source = None
        if out is not None:
            self._sink = _JsonLinesSink(out)
        else:
            self._sink = _KafkaSink(bootstrap, topic, connect_timeout, kafka_config or {})
            # the detector's stopping advice for this run, followed from the first should_stop() on
            self._advice_source = lambda: _AdviceFollower(bootstrap, advice_topic, run_id, kafka_config or {})
        self._wake = threading.Event()
        self._sender = None
        if self._linger > 0:
            self._sender = threading.Thread(target=self._send_lingering, name=f"descentwatch-{run_id}",
                                            daemon=True)
            self._sender.start()

    def __enter__(self):
        return self

    def should_stop(self):
        """Whether the detector's stopping advice for this run is STOP (``descent.advice``, key = run id).

        The advice is double-descent-aware: it says CONTINUE while a second descent can still come (the train
        loss still falling) and STOP once none can; ``advice`` holds the latest one, with its ``reason`` and
        ``best_epoch`` (the checkpoint to keep). It arrives asynchronously: this call never blocks the training
        loop, and is False until the first advice for the run arrived. Writing to a file (``out=``) there is no
        detector to ask, and it is always False.

        Without ``epochs=`` (the planned last epoch) the advice cannot know when a second descent would come too
        late: it keeps every one that comes, but where none comes it lets the run train to its end. The first call
        without it warns once.
        """
        if not self._budget_told and not self._budget_warned:
            self._budget_warned = True
            warnings.warn(f"run {self.run_id}: should_stop() without epochs= (the planned last epoch): where no "
                          "second descent comes, the advice cannot tell that one would come too late and lets the "
                          "run train to its end; pass epochs=N to Run (or to sweep.run)", UserWarning, stacklevel=2)
        advice = self.advice
        return advice is not None and advice.get("advice") == "STOP"

    @property
    def advice(self):
        """The latest stopping advice for this run (the descentwatch.advice/v1 JSON as a dict), or None."""
        if self._advice_source is not None:
            self._advice = self._advice_source()
            self._advice_source = None
        return self._advice.latest() if self._advice is not None else None

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self.close(final=True)
            return False
        try:
            self.close(final=False)
        except DeliveryError as e:
            # the training error is the news; a delivery problem on top of it must not hide it
            warnings.warn(f"run {self.run_id}: {e}", RuntimeWarning, stacklevel=2)
        return False

    def log(self, epoch, train_loss, test_loss, train_error=None, test_error=None, final=None):
        """One evaluation after ``epoch`` completed epochs (0 = before training). Epochs must increase.

        ``final=True`` marks the run's last event at once (otherwise closing the run does it).
        """
        if self._closed:
            raise RuntimeError(f"run {self.run_id} is closed")
        # the common types take a fast path (this runs once per evaluation, inside the training loop); anything
        # else goes through the contract's general checks, with the same outcome
        if type(epoch) is not int or epoch < 0 or epoch > contract.MAX_EPOCH:
            epoch = contract.check_epoch(epoch)
        if epoch <= self._last_epoch:
            raise ContractError("epoch", f"must increase within a run: {epoch} after {self._last_epoch} (the "
                                         "detector ignores stale epochs)")
        # x - x is 0.0 only for a finite float: NaN and infinities take the general path and become strings
        train = repr(train_loss) if type(train_loss) is float and train_loss - train_loss == 0.0 \
            else contract.loss_json("train_loss", train_loss)
        test = repr(test_loss) if type(test_loss) is float and test_loss - test_loss == 0.0 \
            else contract.loss_json("test_loss", test_loss)
        extra = ""
        if train_error is not None:
            extra = ',"train_error":' + contract.error_json("train_error", train_error)
        if test_error is not None:
            extra += ',"test_error":' + contract.error_json("test_error", test_error)
        body = f'{self._prefix},"epoch":{epoch},"train_loss":{train},"test_loss":{test}{extra},"time":"{self._now()}"'
        if len(body) > contract.MAX_RECORD_BYTES - 16:
            raise ContractError("event", f"larger than {contract.MAX_RECORD_BYTES} bytes")
        self._last_epoch = epoch
        last = final is True or (self._epochs is not None and epoch >= self._epochs)
        with self._lock:
            previous = self._held
            if previous is not None:
                self._sink.send(self._key, (previous + "}").encode())
                self.events_sent += 1
            if last:
                self._held = None
                self._send(body, True)
            else:
                self._held = body

    def close(self, final=True):
        """Sends what is held (with ``final`` when the run ended normally), flushes, and releases the sink."""
        if self._closed:
            return
        self._closed = True
        if self._advice is not None:
            self._advice.close()
        with self._lock:
            held, self._held = self._held, None
            if held is not None:
                self._send(held, final)
        self._wake.set()
        if self._sender is not None:
            self._sender.join()
        self._sink.close(self._flush_timeout)

    def _send(self, body, final):
        self._sink.send(self._key, (body + (',"final":true}' if final else "}")).encode("utf-8"))
        self.events_sent += 1

    def _send_lingering(self):
        """Sends an event that has waited for a successor for a linger period: a slow loop's events go out in
        time, and only a fast loop's last event waits for close (and so carries ``final``). The thread looks
        every half linger and sends what it already saw held the time before: an event waits half a linger to
        one linger, and log() pays nothing for the timing."""
        seen = None
        while not self._wake.wait(self._linger / 2):
            with self._lock:
                if self._held is not None and self._held is seen:
                    self._send(self._held, False)
                    self._held = None
                seen = self._held
            self._sink.poll()

    def _now(self):
        t = time.time()
        second = int(t)
        if second != self._stamp_second:
            self._stamp_second = second
            self._stamp_prefix = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second))
        return f"{self._stamp_prefix}.{int((t - second) * 1000):03d}Z"


class _KafkaSink:
    """An idempotent confluent-kafka producer (acks=all, key = run id): librdkafka sends from its own thread."""

    def __init__(self, bootstrap, topic, connect_timeout, extra):
        try:
            from confluent_kafka import KafkaException, Producer
        except ImportError:
            raise ImportError("publishing to Kafka needs confluent-kafka: apt-get install python3-confluent-kafka "
                              "(or pip install confluent-kafka); or write a file with out=\"run.jsonl\"") from None
        self._bootstrap = bootstrap
        self._topic = topic
        self._failed = []
        # delivery reports for failures only: a report per event would cost the training loop a Python
        # callback per log() (served by poll), to say nothing but "delivered"
        config = {"bootstrap.servers": bootstrap, "enable.idempotence": True, "acks": "all", "linger.ms": 5,
                  "on_delivery": self._delivered, "delivery.report.only.error": True}
        config.update(extra)
        self._producer = Producer(config)
        # fail now, with the address, rather than at the end of training
        try:
            metadata = self._producer.list_topics(timeout=connect_timeout)
        except KafkaException as e:
            raise DeliveryError(f"no Kafka at {bootstrap} within {connect_timeout} s ({e.args[0]}): is "
                                "`./descentwatch serve` running?") from None
        if topic not in metadata.topics:
            raise DeliveryError(f"Kafka at {bootstrap} has no topic {topic!r}: start `./descentwatch serve` or "
                                "the detector, which create it")

    def _delivered(self, err, msg):
        if err is not None:
            self._failed.append(err)

    def send(self, key, value):
        # a confluent-kafka Producer is falsy while its queue is empty: never test it for truth
        while True:
            try:
                self._producer.produce(self._topic, value, key)
                break
            except BufferError:
                # the local queue is full (Kafka away for a while): wait for room rather than drop the event
                self._producer.poll(0.1)
        self._producer.poll(0)

    def poll(self):
        self._producer.poll(0)

    def close(self, timeout):
        left = self._producer.flush(timeout)
        if left:
            raise DeliveryError(f"{left} events not delivered to {self._bootstrap} within {timeout} s")
        if self._failed:
            raise DeliveryError(f"{len(self._failed)} events refused by {self._bootstrap}: {self._failed[0]}")


class _AdviceFollower:
    """Follows the compacted advice topic from its start in a background thread, keeping this run's latest."""

    def __init__(self, bootstrap, topic, run_id, extra):
        from confluent_kafka import Consumer, TopicPartition, OFFSET_BEGINNING
        self._run_id = run_id.encode("utf-8")
        self._latest = None
        self._stopping = threading.Event()
        config = {"bootstrap.servers": bootstrap, "group.id": f"descentwatch-advice-{run_id}",
                  "enable.auto.commit": False, "isolation.level": "read_committed"}
        config.update(extra)
        self._consumer = Consumer(config)
        described = self._consumer.list_topics(topic, timeout=10).topics.get(topic)
        partitions = described.partitions if described is not None and described.error is None else {}
        # every partition: which one holds the run's key depends on the producer's partitioner, not ours
        self._consumer.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in partitions])
        self._thread = threading.Thread(target=self._follow, name=f"descentwatch-advice-{run_id}", daemon=True)
        self._thread.start()

    def _follow(self):
        while not self._stopping.is_set():
            message = self._consumer.poll(0.2)
            if message is not None:
                self.accept(message.key(), message.value(), message.error())
        self._consumer.close()

    def accept(self, key, value, error=None):
        """One record of the advice topic: kept if it is this run's advice."""
        if error is not None or key != self._run_id or value is None:
            return
        try:
            advice = json.loads(value)
        except ValueError:
            return
        if isinstance(advice, dict) and advice.get("schema") == "descentwatch.advice/v1":
            self._latest = advice

    def latest(self):
        return self._latest

    def close(self):
        self._stopping.set()
        self._thread.join(5)


class _JsonLinesSink:
    """Appends one JSON line per event: a sweep's runs may share one file."""

    def __init__(self, path):
        self._file = open(path, "a", encoding="utf-8")

    def send(self, key, value):
        self._file.write(value.decode("utf-8"))
        self._file.write("\n")

    def poll(self):
        # what was written is on disk within a linger period: `tail -f` and detect see it
        self._file.flush()

    def close(self, timeout):
        self._file.close()
