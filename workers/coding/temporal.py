"""When an event happened: date expressions of its sentence, read against publication.

Rules, in order:

- A weekday name ("Wednesday") is the most recent such day on or before the
  publication date for past-tense events, the next one after it for future or
  planned events ("will meet on Friday").
- Any other expression ("on May 18", "next month", "in 2014", "yesterday",
  "three years ago") goes to dateparser with ``RELATIVE_BASE`` = publication
  time and ``PREFER_DATES_FROM`` = past or future after the tense; only the
  found expressions are parsed, and results are cached.
- Nothing found or nothing parseable: the publication date.

``historical`` is True when the event date is more than ``HISTORICAL_AFTER``
before publication, or the sentence marks an anniversary or "years ago", so
that an old annexation recalled in today's news never alerts as current.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import dateparser

from schemas.models import Temporal

HISTORICAL_AFTER = timedelta(days=365)
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY_RE = re.compile(r"\b(" + "|".join(_WEEKDAYS) + r")\b", re.IGNORECASE)
_HISTORICAL_RE = re.compile(
    r"\b(anniversary|years ago|decades ago|a decade ago|in the (?:19|20)\d0s)\b", re.IGNORECASE
)
# Expressions spaCy's NER may miss; matched on the sentence text as a fallback.
_FALLBACK_DATE_RE = re.compile(
    r"\b(?:(?:on|last|next|this)\s+)?(?:" + "|".join(_WEEKDAYS) + r")\b"
    r"|\b(?:yesterday|today|tomorrow)\b"
    r"|\b(?:last|next)\s+(?:week|month|year)\b"
    r"|\b\w+\s+(?:years|months|weeks|days)\s+ago\b"
    r"|\bin\s+(?:19|20)\d\d\b",
    re.IGNORECASE,
)
# Words one of which every match of _FALLBACK_DATE_RE (and of _HISTORICAL_RE) contains,
# lower-cased (no letter here has a special case-insensitive twin, such as "ı" for "i"):
# most sentences contain none, and a substring test is much cheaper than those scans.
_FALLBACK_HINTS = ("day", "week", "month", "year", "ago", "tomorrow", "19", "20")
_HISTORICAL_HINTS = ("ann", "ago", "19", "20")
# Durations, not dates: "the past two weeks", "weekly", and a bare count of units ("two
# years", "48 hours", "several months": "pledged to hand over power within two years"),
# which dateparser would read as that long ago.
_DURATION_RE = re.compile(
    r"^(?:for\s+)?(?:the\s+)?(?:past|last|coming)\s+\w+\s+\w+s$|^\w+ly$"
    r"|^(?:within|for|over|up to|nearly|almost|about|more than|at least|some|the)?\s*"
    r"(?:a few|several|many|\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven"
    r"|twelve|fifteen|twenty|thirty|forty|fifty|hundred)(?:\s+\w+)?\s+"
    r"(?:hours|days|weeks|months|years|decades)$",
    re.IGNORECASE,
)
_MAX_SPAN = timedelta(days=365 * 120)


@lru_cache(maxsize=4096)
def _is_duration(text: str) -> bool:
    """Whether a DATE entity is a duration ("the past two weeks"), not a date; a few
    hundred distinct texts recur in a stream, so each is read once."""
    return _DURATION_RE.match(text.lower()) is not None


def find_date_expressions(sentence_text: str, date_entities: list[str]) -> list[str]:
    """Date expressions of a sentence: NER DATE entities first, then regex fallbacks."""
    found = [text for text in date_entities if not _is_duration(text)]
    if not found and _hinted(sentence_text.lower(), _FALLBACK_HINTS):
        found = [m.group(0) for m in _FALLBACK_DATE_RE.finditer(sentence_text)]
    return found


def _hinted(lowered: str, hints: tuple[str, ...]) -> bool:
    for hint in hints:  # (a loop: cheaper than any() over a generator, per sentence)
        if hint in lowered:
            return True
    return False


def _weekday(expression: str, published: date, future: bool) -> date | None:
    match = _WEEKDAY_RE.search(expression)
    if match is None:
        return None
    lowered = expression.lower()
    target = _WEEKDAYS.index(match.group(1).lower())
    if future or "next" in lowered:
        ahead = (target - published.weekday()) % 7 or 7
        return published + timedelta(days=ahead)
    back = (published.weekday() - target) % 7
    if "last" in lowered and back == 0:
        back = 7
    return published - timedelta(days=back)


@lru_cache(maxsize=4096)
def _parse(expression: str, published: date, future: bool) -> date | None:
    base = datetime.combine(published, time(12, 0))
    parsed = dateparser.parse(
        expression,
        languages=["en"],
        settings={
            "RELATIVE_BASE": base,
            "PREFER_DATES_FROM": "future" if future else "past",
            "PREFER_DAY_OF_MONTH": "first",
            "RETURN_AS_TIMEZONE_AWARE": False,
        },
    )
    if parsed is None or abs(parsed - base) > _MAX_SPAN:
        return None
    return parsed.date()


@lru_cache(maxsize=4096)
def resolve_date(expression: str, published: date, future: bool = False) -> date | None:
    """One expression to a calendar date, or None when it names no date (read once per
    expression, publication day and tense: a story's sentences repeat a few)."""
    cleaned = re.sub(r"^(?:on|in|since|by|at|from)\s+", "", expression.strip(), flags=re.I)
    if not cleaned:
        return None
    weekday = _weekday(cleaned, published, future)
    if weekday is not None:
        return weekday
    return _parse(cleaned, published, future)


def event_temporal(
    sentence_text: str,
    date_entities: list[str],
    published: date,
    future: bool = False,
) -> Temporal:
    """The event's date and historical flag from its sentence's date expressions."""
    event_date: date | None = None
    date_text: str | None = None
    for expression in find_date_expressions(sentence_text, date_entities):
        resolved = resolve_date(expression, published, future)
        if resolved is not None:
            event_date, date_text = resolved, expression
            break
    if event_date is None:
        event_date = published
    historical = published - event_date > HISTORICAL_AFTER or (
        _hinted(sentence_text.lower(), _HISTORICAL_HINTS)
        and _HISTORICAL_RE.search(sentence_text) is not None
    )
    return _temporal(event_date, historical, date_text)


@lru_cache(maxsize=4096)
def _temporal(event_date: date, historical: bool, date_text: str | None) -> Temporal:
    """The (frozen, shared) Temporal of these values: a story's events share a few."""
    return Temporal(event_date=event_date, historical=historical, date_text=date_text)
