"""Alerts and stopping advice from a running ``./descentwatch serve``, as an iterator or through callbacks.

Both follow serve's live page feed: the server-sent events of ``/events`` say that something changed, and the
JSON API says what (``/api/alerts`` with serve's own filters, ``/api/advice`` for each run's latest change of
advice). Only the standard library is used: no Kafka client is needed to listen.
"""

import json
import re
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import warnings

DEFAULT_URL = "http://localhost:8080"
# serve writes a comment line at least every 15 s on an open stream; a read waits a little longer before it
# concludes the connection is gone and reconnects
_READ_TIMEOUT = 20.0


class _Feed:
    """One subscription's view of serve: what it has handed out already, and how to fetch what is new."""

    def __init__(self, url, sweep_id, run_id, types, scope, want_alerts, want_advice, from_beginning):
        self._url = url.rstrip("/")
        query = {}
        if sweep_id is not None:
            query["sweep"] = sweep_id
        if run_id is not None:
            query["run"] = run_id
        if types:
            query["type"] = types if isinstance(types, str) else ",".join(types)
        if scope is not None:
            query["scope"] = scope
        self._alerts_path = "/api/alerts" + ("?" + urllib.parse.urlencode(query) if query else "")
        self._sweep_id = sweep_id
        self._run_id = run_id
        self._want_alerts = want_alerts
        self._want_advice = want_advice
        self._seen_alerts = set()
        self._advice_in_force = {}
        self._skip_existing = not from_beginning

    def _get(self, path):
        try:
            with urllib.request.urlopen(self._url + path, timeout=_READ_TIMEOUT) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as e:
            if e.code == 400:
                # serve names the valid values of a bad filter: the caller's mistake, said in serve's words
                raise ValueError(e.read().decode("utf-8", "replace")) from None
            raise

    def new_items(self):
        """(kind, item) for every alert and every change of advice not handed out yet, oldest first."""
        items = []
        if self._want_alerts:
            for alert in reversed(self._get(self._alerts_path)):   # serve lists newest first
                if alert.get("alert_id") not in self._seen_alerts:
                    self._seen_alerts.add(alert.get("alert_id"))
                    items.append(("alert", alert))
        if self._want_advice:
            # the advice topic's records as serve holds them: each run's latest, given as it changed
            for advice in reversed(self._get("/api/advice")):
                if not self._matches(advice):
                    continue
                # what programs branch on: the advice topic publishes a record per change of these two
                verdict = (advice.get("advice"), advice.get("basis"))
                if self._advice_in_force.get(advice.get("run_id")) != verdict:
                    self._advice_in_force[advice.get("run_id")] = verdict
                    items.append(("advice", advice))
        if self._skip_existing:
            self._skip_existing = False
            return []
        return items

    def _matches(self, item):
        return ((self._sweep_id is None or _glob(self._sweep_id, item.get("sweep_id", "")))
                and (self._run_id is None or _glob(self._run_id, item.get("run_id", ""))))

    def changes(self, stop, idle_timeout=None):
        """Yields (kind, item) as serve reports changes, until ``stop`` is set or nothing new came for
        ``idle_timeout`` seconds. Reconnects when the stream drops; a serve that cannot be reached at the start is
        a ConnectionError naming the address."""
        last_item = time.monotonic()
        connected_once = False
        while not stop.is_set():
            try:
                stream = urllib.request.urlopen(self._url + "/events", timeout=self._read_timeout(idle_timeout))
            except (urllib.error.URLError, OSError) as e:
                if not connected_once:
                    raise ConnectionError(f"no DescentWatch serve at {self._url} ({_reason(e)}): is "
                                          "`./descentwatch serve` running, and --http this address?") from None
                if stop.wait(1.0) or _idle(last_item, idle_timeout):
                    return
                continue
            connected_once = True
            with stream:
                try:
                    for line in stream:
                        if stop.is_set():
                            return
                        # every "event: change" is followed by its data line: fetch what changed then
                        if line.startswith(b"data:"):
                            for item in self.new_items():
                                last_item = time.monotonic()
                                yield item
                        if _idle(last_item, idle_timeout):
                            return
                except (socket.timeout, TimeoutError, OSError):
                    pass   # quiet longer than serve's heartbeat, or serve went away: check, then reconnect
            if _idle(last_item, idle_timeout):
                return

    @staticmethod
    def _read_timeout(idle_timeout):
        return _READ_TIMEOUT if idle_timeout is None else max(0.1, min(_READ_TIMEOUT, idle_timeout))


def _idle(last_item, idle_timeout):
    return idle_timeout is not None and time.monotonic() - last_item >= idle_timeout


def _reason(error):
    return getattr(error, "reason", None) or error


def _glob(pattern, value):
    """serve's patterns: '*' matches any characters, everything else itself."""
    return re.fullmatch(".*".join(re.escape(part) for part in pattern.split("*")), value) is not None


def alerts(sweep_id=None, types=None, scope=None, run_id=None, url=DEFAULT_URL, timeout=None, from_beginning=True):
    """Alerts of a running serve as they fire, each once, oldest first: dicts of the alert schema
    (``descentwatch.alert/v1``: ``type``, ``scope``, ``run_id``, ``message``, ``details`` ...).

    ``sweep_id`` and ``run_id`` ('*' matches any characters), ``types`` (a list or 'A,B') and ``scope`` ('run' or
    'sweep') are serve's own filters; a bad one is a ValueError in serve's words, naming the valid values.
    ``from_beginning=False`` skips the alerts already raised. The iterator follows until the loop breaks, or ends
    once no new alert came for ``timeout`` seconds.
    """
    feed = _Feed(url, sweep_id, run_id, types, scope, True, False, from_beginning)
    for _, alert in feed.changes(threading.Event(), timeout):
        yield alert


def advice(sweep_id=None, run_id=None, url=DEFAULT_URL, timeout=None, from_beginning=True):
    """Each change of a run's stopping advice (verdict CONTINUE or STOP, or its ``basis``), as dicts of the advice
    schema (``descentwatch.advice/v1``: ``advice``, ``basis``, ``reason``, ``best_epoch`` ...), from a running
    serve; filters and ``timeout`` as for :func:`alerts`."""
    feed = _Feed(url, sweep_id, run_id, None, None, False, True, from_beginning)
    for _, item in feed.changes(threading.Event(), timeout):
        yield item


class Subscription:
    """Alerts and advice delivered to callbacks from a background thread: the training loop never waits.

    Returned by :func:`subscribe`; ``close()`` (or leaving a ``with`` block) stops it. A callback that raises is
    reported as a warning and the subscription goes on. ``error`` holds what ended the thread early (a serve that
    could not be reached, a bad filter), or None.
    """

    def __init__(self, feed, on_alert, on_advice):
        self._feed = feed
        self._on_alert = on_alert
        self._on_advice = on_advice
        self._stop = threading.Event()
        self.error = None
        self._thread = threading.Thread(target=self._follow, name="descentwatch-subscription", daemon=True)
        self._thread.start()

    def _follow(self):
        try:
            for kind, item in self._feed.changes(self._stop):
                callback = self._on_alert if kind == "alert" else self._on_advice
                try:
                    callback(item)
                except Exception as e:   # a subscriber's bug must not end the subscription
                    warnings.warn(f"descentwatch {kind} callback raised {e!r}", RuntimeWarning)
        except (ConnectionError, ValueError) as e:
            self.error = e
            warnings.warn(f"descentwatch subscription ended: {e}", RuntimeWarning)

    def close(self, timeout=_READ_TIMEOUT + 1):
        """Stops the subscription; the thread ends at the next line serve sends (a heartbeat at most 15 s on)."""
        self._stop.set()
        self._thread.join(timeout)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False


def subscribe(on_alert=None, on_advice=None, sweep_id=None, types=None, scope=None, run_id=None, url=DEFAULT_URL,
              from_beginning=True):
    """Calls ``on_alert(alert)`` for every alert and ``on_advice(advice)`` for every change of a run's advice of a
    running serve, from a background thread; filters as for :func:`alerts`. Returns a :class:`Subscription`."""
    if on_alert is None and on_advice is None:
        raise ValueError("subscribe needs on_alert, on_advice or both")
    feed = _Feed(url, sweep_id, run_id, types, scope, on_alert is not None, on_advice is not None, from_beginning)
    return Subscription(feed, on_alert, on_advice)
