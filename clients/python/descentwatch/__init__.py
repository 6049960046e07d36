"""DescentWatch's Python client: publish one event per evaluation of a training run.

    import descentwatch
    with descentwatch.Run(sweep_id="my-sweep", run_id="my-sweep/w64/s1", param_count=n_params,
                          train_size=len(ds), bootstrap="localhost:9092") as run:
        for epoch in ...:
            run.log(epoch, train_loss=..., test_loss=...)

Subscribe to what the detector says with ``descentwatch.alerts(sweep_id=...)`` (an iterator) or
``descentwatch.subscribe(on_alert=..., on_advice=...)`` (callbacks from a background thread), from a running
``./descentwatch serve``; ``descentwatch.Sweep`` names a sweep once, knows its size and hands out its runs.

Events follow the wire contract v1 (events/src/main/resources/schemas/epoch-v1.schema.json) and are checked
against it before they are sent. Kafka (confluent-kafka) is imported only when a run publishes to Kafka, PyTorch
never (param_count takes any module with .parameters()).
"""

from .contract import ContractError, validate_event
from .run import DeliveryError, Run, param_count
from .subscribe import Subscription, advice, alerts, subscribe
from .sweep import Sweep

# descentwatch.pruning (the Optuna pruner) is imported on its own: it needs Optuna, the rest of the client does not
__all__ = ["Run", "Sweep", "ContractError", "DeliveryError", "Subscription", "advice", "alerts", "param_count",
           "subscribe", "validate_event"]
__version__ = "0.1.0"
