"""Why a raw record could not become an Article: a stage and a bounded reason.

The reason is a short snake_case word from a closed set so it can label a
metric and a dead-letter header without unbounded cardinality; the message
carries the detail for humans.
"""

from __future__ import annotations

from typing import Literal, get_args

IngestStage = Literal["decode", "parse", "validate"]

#: Every reason ``IngestError`` may carry, by the stage that raises it.
INGEST_REASONS: dict[str, frozenset[str]] = {
    "decode": frozenset({"too_large", "empty_record", "invalid_utf8", "binary_content"}),
    "parse": frozenset(
        {
            "invalid_json",
            "unsafe_xml",
            "invalid_feed",
            "malformed_xml",
            "empty_feed",
            "unknown_format",
        }
    ),
    "validate": frozenset(
        {
            "wrong_type",
            "missing_title",
            "empty_body",
            "invalid_timestamp",
            "future_timestamp",
            "invalid_article",
        }
    ),
}

ALL_REASONS: frozenset[str] = frozenset().union(*INGEST_REASONS.values())


class IngestError(ValueError):
    """A raw record that cannot be turned into Articles. The whole record fails."""

    def __init__(self, stage: IngestStage, reason: str, message: str) -> None:
        if stage not in get_args(IngestStage) or reason not in INGEST_REASONS[stage]:
            raise ValueError(f"unknown ingest stage/reason: {stage}/{reason}")
        super().__init__(message)
        self.stage: IngestStage = stage
        self.reason = reason
        self.message = message

    def __str__(self) -> str:
        return f"{self.stage}/{self.reason}: {self.message}"
