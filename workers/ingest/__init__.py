"""Ingestion: raw feed records (JSON, JSON Lines, RSS/Atom, wire text) to normalized Articles.

Pure code (no Kafka, no Faust): the worker's raw-topic agent calls
``parse_record`` then ``Deduplicator.check``; ``parley enrich``/``produce``
use ``read_inputs``.
"""

from workers.ingest.dedup import Deduplicator, DedupResult, DedupStatus
from workers.ingest.errors import ALL_REASONS, INGEST_REASONS, IngestError, IngestStage
from workers.ingest.files import InputError, RawInput, read_inputs
from workers.ingest.parse import RecordFormat, detect_format, parse_record

__all__ = [
    "ALL_REASONS",
    "INGEST_REASONS",
    "DedupResult",
    "DedupStatus",
    "Deduplicator",
    "IngestError",
    "IngestStage",
    "InputError",
    "RawInput",
    "RecordFormat",
    "detect_format",
    "parse_record",
    "read_inputs",
]
