"""Dead-letter records: the original bytes, untouched, plus headers saying what went wrong.

Modelled on Kafka Connect's ``__connect.errors.*`` headers, under a
``parley.error.`` prefix. The value written to the DLQ is always the original
record's value byte for byte (never re-encoded, never wrapped), so an operator
can fix the cause and replay it to its original topic as it was; the original
record's own headers are kept too. Any ``parley.error.*`` headers the original
already carried (a record that failed before, was replayed and failed again)
are replaced, so each dead letter describes exactly one failure.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

PREFIX = "parley.error."
MAX_MESSAGE_CHARS = 1000
TRUNCATION_MARK = "...[truncated]"

Headers = list[tuple[str, bytes]]


@dataclass(frozen=True, slots=True)
class DeadLetterInfo:
    stage: str
    reason: str
    error_class: str
    message: str
    topic: str
    partition: int
    offset: int
    timestamp_ms: int | None
    worker_version: str
    original_headers: Headers = field(default_factory=list)


def _truncate(message: str) -> str:
    if len(message) <= MAX_MESSAGE_CHARS:
        return message
    return message[: MAX_MESSAGE_CHARS - len(TRUNCATION_MARK)] + TRUNCATION_MARK


def dead_letter_headers(
    *,
    stage: str,
    reason: str,
    error_class: str,
    message: str,
    topic: str,
    partition: int,
    offset: int,
    timestamp_ms: int | None,
    worker_version: str,
    original_headers: Iterable[tuple[str, bytes | None]] = (),
) -> Headers:
    """Headers for a dead letter: the original ones (minus old error headers), then ours.

    ``stage`` is where it failed (decode, parse, validate, enrich, publish) and
    ``reason`` a short bounded code (e.g. ``too_large``, ``invalid_json``);
    ``message`` is the exception text, truncated to ``MAX_MESSAGE_CHARS``.
    """
    kept = [
        (name, value if value is not None else b"")
        for name, value in original_headers
        if not name.startswith(PREFIX)
    ]
    ours = {
        "stage": stage,
        "reason": reason,
        "class": error_class,
        "message": _truncate(message),
        "topic": topic,
        "partition": str(partition),
        "offset": str(offset),
        "timestamp": "" if timestamp_ms is None else str(timestamp_ms),
        "worker_version": worker_version,
    }
    return kept + [(PREFIX + name, value.encode("utf-8")) for name, value in ours.items()]


class NotADeadLetterError(ValueError):
    """Headers without the ``parley.error.*`` set."""


def read_dead_letter_headers(headers: Iterable[tuple[str, bytes | None]]) -> DeadLetterInfo:
    errors: dict[str, str] = {}
    original: Headers = []
    for name, value in headers:
        if name.startswith(PREFIX):
            errors[name[len(PREFIX) :]] = (value or b"").decode("utf-8", errors="replace")
        else:
            original.append((name, value or b""))
    missing = [k for k in ("stage", "class", "topic", "partition", "offset") if k not in errors]
    if missing:
        raise NotADeadLetterError(f"missing dead-letter header(s): {', '.join(missing)}")
    timestamp = errors.get("timestamp", "")
    return DeadLetterInfo(
        stage=errors["stage"],
        reason=errors.get("reason", ""),
        error_class=errors["class"],
        message=errors.get("message", ""),
        topic=errors["topic"],
        partition=int(errors["partition"]),
        offset=int(errors["offset"]),
        timestamp_ms=int(timestamp) if timestamp else None,
        worker_version=errors.get("worker_version", ""),
        original_headers=original,
    )
