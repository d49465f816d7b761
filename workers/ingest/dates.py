"""Publication timestamps: fast exact parsers first, dateparser only as the fallback."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from functools import cache
from typing import Any

from workers.ingest.errors import IngestError
from workers.ingest.lexicon import lexicon

# "2024-03-02 09:15 GMT", "2024-03-02T09:15:00 +0200", "2024-03-02 09:15 UTC+2"
_ISO_WITH_SUFFIX = re.compile(
    r"^(?P<stamp>\d{4}-\d{2}-\d{2}(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?)\s*"
    r"(?P<zone>[A-Za-z]{1,5})?\s*(?P<offset>[+-]\d{1,2}(?::?\d{2})?)?$"
)
_OFFSET = re.compile(r"^([+-])(\d{1,2}):?(\d{2})?$")
# RSS pubDate: "Sun, 15 Sep 2024 18:45:00 +0300". email.utils reads other
# shapes too, but silently drops zones it does not know: only trust it here.
_RFC822 = re.compile(r"^(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{2,4}\s+\d{1,2}:\d{2}")
_YEAR = re.compile(r"\b\d{4}\b")
_EARLIEST_PLAUSIBLE = datetime(1900, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class ParsedTimestamp:
    value: datetime  # timezone-aware UTC
    assumed_utc: bool  # the input carried no zone


def _offset(text: str) -> timezone | None:
    match = _OFFSET.match(text)
    if not match:
        return None
    sign, hours, minutes = match.groups()
    delta = timedelta(hours=int(hours), minutes=int(minutes or 0))
    return timezone(-delta if sign == "-" else delta)


def _parse_iso_like(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    match = _ISO_WITH_SUFFIX.match(text)
    if not match:
        return None
    try:
        value = datetime.fromisoformat(match["stamp"].replace(" ", "T"))
    except ValueError:
        return None
    zone_name, offset_text = match["zone"], match["offset"]
    tz: timezone | None = None
    if zone_name:
        tz = lexicon().timezones.get(zone_name.upper())
        if tz is None:
            return None
    if offset_text:
        extra = _offset(offset_text)
        if extra is None:
            return None
        base = tz.utcoffset(None) if tz else timedelta(0)
        tz = timezone(base + (extra.utcoffset(None) or timedelta(0)))
    return value.replace(tzinfo=tz) if tz else value


@cache
def _dateparser_settings() -> dict[str, Any]:
    return {"PREFER_DATES_FROM": "past"}


def _parse_with_dateparser(text: str, now: datetime) -> datetime | None:
    import dateparser  # slow import and slow parser: only for what the fast paths miss

    settings = _dateparser_settings()
    if not _YEAR.search(text):
        # Relative dates ("2 hours ago") count from ``now``. Only for them:
        # with RELATIVE_BASE set dateparser 1.5 drops an explicit zone ("EST").
        settings = {**settings, "RELATIVE_BASE": now.astimezone(UTC).replace(tzinfo=None)}
    return dateparser.parse(text, settings=settings)  # type: ignore[arg-type]


def parse_timestamp(raw: object, *, now: datetime, field: str = "published_at") -> ParsedTimestamp:
    """A feed timestamp as aware UTC; naive input is taken as UTC and flagged.

    Accepts ISO 8601, RFC 822 (RSS pubDate), "2024-03-02 09:15 GMT" wire style,
    Unix epoch seconds or milliseconds, then whatever dateparser understands.
    """
    if isinstance(raw, bool) or not isinstance(raw, str | int | float):
        raise IngestError("validate", "wrong_type", f"{field} must be a string or a number")
    value: datetime | None
    if isinstance(raw, int | float):
        seconds = raw / 1000 if abs(raw) > 1e11 else raw
        try:
            value = datetime.fromtimestamp(seconds, UTC)
        except (OverflowError, OSError, ValueError):
            value = None
    else:
        text = raw.strip()
        value = _parse_iso_like(text) if text[:4].isdigit() else None
        if value is None and _RFC822.match(text):
            try:
                value = parsedate_to_datetime(text)
            except (TypeError, ValueError, IndexError):
                value = None
        if value is None and text:
            value = _parse_with_dateparser(text, now)
    if value is None:
        raise IngestError("validate", "invalid_timestamp", f"{field}: cannot read {raw!r:.60}")
    assumed = value.tzinfo is None or value.utcoffset() is None
    value = value.replace(tzinfo=UTC) if assumed else value.astimezone(UTC)
    if value < _EARLIEST_PLAUSIBLE:
        raise IngestError("validate", "invalid_timestamp", f"{field}: implausible date {value}")
    return ParsedTimestamp(value, assumed)
