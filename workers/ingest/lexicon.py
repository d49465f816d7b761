"""Loads workers/ingest/data/ingest_lexicon.json once (sources are cited in the file)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta, timezone
from functools import cache
from pathlib import Path

import orjson

LEXICON_PATH = Path(__file__).parent / "data" / "ingest_lexicon.json"


@dataclass(frozen=True)
class IngestLexicon:
    timezones: dict[str, timezone]
    tracking_prefixes: tuple[str, ...]
    tracking_names: frozenset[str]
    furniture_headings: tuple[str, ...]
    timestamp_labels: tuple[str, ...]


@cache
def lexicon() -> IngestLexicon:
    raw = orjson.loads(LEXICON_PATH.read_bytes())
    tracking = raw["tracking_query_parameters"]
    return IngestLexicon(
        timezones={
            name.upper(): timezone(timedelta(minutes=minutes))
            for name, minutes in raw["timezone_abbreviations"].items()
        },
        tracking_prefixes=tuple(tracking["prefixes"]),
        tracking_names=frozenset(tracking["names"]),
        # Longest first so "related articles" wins over "related".
        furniture_headings=tuple(sorted(raw["furniture_headings"], key=len, reverse=True)),
        timestamp_labels=tuple(sorted(raw["timestamp_line_labels"], key=len, reverse=True)),
    )
