"""The wire contract v1 of an epoch event, checked in plain Python (the same rules as the JSON Schema and the
detector's own validation), so that a bad value is a clear error in the trainer rather than a record the detector
sends to its dead-letter topic later."""

import math
import re
from datetime import datetime

SCHEMA = "descentwatch.epoch/v1"
MAX_RECORD_BYTES = 256 * 1024
MAX_ID_LENGTH = 256
MAX_TEXT_LENGTH = 1024
MAX_MAP_ENTRIES = 64
MAX_EPOCH = 1_000_000_000
MAX_COUNT = 1_000_000_000_000_000
MAX_OUTPUT_DIM = 1_000_000
REQUIRED = ("schema", "run_id", "sweep_id", "epoch", "train_loss", "test_loss", "param_count", "train_size",
            "time")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# InfluxDB's line protocol cannot store a tag ending in a backslash or with one before a space, comma or equals
_BAD_BACKSLASH = re.compile(r"\\([ ,=]|$)")
_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
_LOSS_STRINGS = {"NaN", "Infinity", "+Infinity", "-Infinity"}


class ContractError(ValueError):
    """An event field that the contract does not accept; ``field`` names it."""

    def __init__(self, field, reason):
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


def check_id(field, value):
    if not isinstance(value, str):
        raise ContractError(field, f"must be a string, got {type(value).__name__}")
    if not value:
        raise ContractError(field, "must not be empty")
    if len(value) > MAX_ID_LENGTH:
        raise ContractError(field, f"at most {MAX_ID_LENGTH} characters, got {len(value)}")
    if _CONTROL.search(value):
        raise ContractError(field, "must not contain control characters")
    if _BAD_BACKSLASH.search(value):
        raise ContractError(field, "no backslash at the end or before a space, comma or equals sign")
    return value


def check_count(field, value, maximum=MAX_COUNT):
    if isinstance(value, bool) or not _is_integer(value):
        raise ContractError(field, f"must be an integer, got {value!r}")
    value = int(value)
    if value < 1 or value > maximum:
        raise ContractError(field, f"must be 1..{maximum:.0e}, got {value}")
    return value


def check_epoch(value):
    if isinstance(value, bool) or not _is_integer(value):
        raise ContractError("epoch", f"must be an integer (completed epochs, 0 = before training), got {value!r}")
    value = int(value)
    if value < 0 or value > MAX_EPOCH:
        raise ContractError("epoch", f"must be 0..{MAX_EPOCH:.0e}, got {value}")
    return value


def loss_json(field, value):
    """The loss as JSON text: a number, or "NaN"/"Infinity"/"-Infinity" as the contract spells them."""
    if isinstance(value, bool) or isinstance(value, str) or value is None:
        raise ContractError(field, f"must be a number, got {value!r}")
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise ContractError(field, f"must be a number, got {type(value).__name__}") from None
    if x != x:
        return '"NaN"'
    if x in (math.inf, -math.inf):
        return '"Infinity"' if x > 0 else '"-Infinity"'
    return repr(x)


def error_json(field, value):
    """train_error / test_error: a fraction in [0, 1]."""
    if isinstance(value, bool) or isinstance(value, str):
        raise ContractError(field, f"must be a number in [0, 1], got {value!r}")
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise ContractError(field, f"must be a number in [0, 1], got {type(value).__name__}") from None
    if not 0.0 <= x <= 1.0:
        raise ContractError(field, f"must be in [0, 1] (a fraction of examples), got {x}")
    return repr(x)


def check_scalars(field, mapping):
    """model and tags: flat objects of scalars (strings, numbers, booleans, null)."""
    if mapping is None:
        return None
    if not isinstance(mapping, dict):
        raise ContractError(field, f"must be a dict of scalars, got {type(mapping).__name__}")
    if len(mapping) > MAX_MAP_ENTRIES:
        raise ContractError(field, f"at most {MAX_MAP_ENTRIES} entries, got {len(mapping)}")
    out = {}
    for key, value in mapping.items():
        if not isinstance(key, str) or not key or len(key) > MAX_TEXT_LENGTH:
            raise ContractError(f"{field}.{key}", f"keys must be strings of 1..{MAX_TEXT_LENGTH} characters")
        if isinstance(value, str):
            if len(value) > MAX_TEXT_LENGTH:
                raise ContractError(f"{field}.{key}", f"at most {MAX_TEXT_LENGTH} characters")
        elif isinstance(value, float):
            if value != value or value in (math.inf, -math.inf):
                raise ContractError(f"{field}.{key}", "must be a finite number (or a string)")
        elif value is not None and not isinstance(value, (bool, int)):
            if _is_integer(value):
                value = int(value)
            else:
                try:
                    value = float(value)
                except (TypeError, ValueError):
                    raise ContractError(f"{field}.{key}", "must be a string, number, boolean or None, got "
                                        + type(value).__name__) from None
        out[key] = value
    return out


def validate_event(event):
    """Checks a whole event (a dict as it would be sent) against the contract; raises ContractError."""
    if not isinstance(event, dict):
        raise ContractError("event", "must be a JSON object")
    for name in REQUIRED:
        if name not in event:
            raise ContractError(name, "is required")
    if event["schema"] != SCHEMA:
        raise ContractError("schema", f"must be {SCHEMA!r}")
    check_id("run_id", event["run_id"])
    check_id("sweep_id", event["sweep_id"])
    check_epoch(event["epoch"])
    for name in ("train_loss", "test_loss"):
        v = event[name]
        if not (isinstance(v, str) and v in _LOSS_STRINGS):
            loss_json(name, v)
    for name in ("train_error", "test_error"):
        if event.get(name) is not None:
            error_json(name, event[name])
    check_count("param_count", event["param_count"])
    check_count("train_size", event["train_size"])
    if event.get("output_dim") is not None:
        check_count("output_dim", event["output_dim"], MAX_OUTPUT_DIM)
    check_time(event["time"])
    check_scalars("model", event.get("model"))
    check_scalars("tags", event.get("tags"))
    if event.get("final") is not None and not isinstance(event["final"], bool):
        raise ContractError("final", "must be true or false")


def check_time(value):
    if not isinstance(value, str) or len(value) > 64 or not _RFC3339.match(value):
        raise ContractError("time", f"must be an RFC 3339 time like 2026-11-28T12:00:00.123Z, got {value!r}")
    try:
        datetime.strptime(value[:10] + "T" + value[11:19], "%Y-%m-%dT%H:%M:%S")
    except ValueError:
        raise ContractError("time", f"is not a valid date and time: {value!r}") from None
    return value


def _is_integer(value):
    if isinstance(value, int):
        return True
    # numpy and torch integer scalars
    try:
        return float(value).is_integer() and hasattr(value, "__index__")
    except (TypeError, ValueError):
        return False
