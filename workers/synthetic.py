"""Generated articles and poison records for the reliability suite, the soak and chaos runs.

One generator, so the tests and the long-running scripts (``scripts/soak.py``,
``scripts/chaos.py``) stream the same kind of article. Every sentence here is
written for parley. An article is short (one diplomatic event plus filler),
distinct (its URL and title carry the run tag and index) and, with the
default dates, has its own story key (dyad, date and code), so no two
articles link and every output is a pure function of its own input.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

COUNTRIES = [
    "France",
    "Germany",
    "Japan",
    "Brazil",
    "India",
    "Kenya",
    "Canada",
    "Mexico",
    "Egypt",
    "Turkey",
    "Poland",
    "Spain",
    "Chile",
    "Peru",
    "Norway",
    "Vietnam",
]
ACTIONS = [
    "{a} expelled two diplomats from {b}.",
    "The government of {a} condemned {b} over the border incident.",
    "{a} signed a trade agreement with {b} in the capital.",
    "{a} summoned the ambassador of {b} to protest the arrests.",
    "Leaders of {a} met their counterparts from {b} for talks.",
]
FILLER = [
    "Officials in {a} described case number {i} of series {tag} as serious.",
    "Analysts said the dispute over fishing rights had simmered for years.",
    "The foreign ministry published a statement late in the evening.",
    "Opposition lawmakers asked for a debate in parliament next week.",
    "Markets showed little reaction to the news on the day.",
]
FIRST_DAY = datetime(2023, 1, 1, 9, tzinfo=UTC)


def dyad(i: int) -> tuple[str, str]:
    a = COUNTRIES[i % len(COUNTRIES)]
    b = COUNTRIES[(i + 1 + i // len(COUNTRIES)) % len(COUNTRIES)]
    if a == b:
        b = COUNTRIES[(i + 3) % len(COUNTRIES)]
    return a, b


def article(
    tag: str,
    i: int,
    filler: int = 2,
    *,
    published: datetime | None = None,
    host: str = "reliability.example.org",
) -> bytes:
    """Article ``i`` of run ``tag`` as a raw JSON record.

    Published on day ``i`` after 2023-01-01 unless ``published`` is given:
    one article per day keeps every story key distinct.
    """
    a, b = dyad(i)
    day = published if published is not None else FIRST_DAY + timedelta(days=i)
    sentences = [ACTIONS[i % len(ACTIONS)].format(a=a, b=b)]
    sentences += [FILLER[(i + k) % len(FILLER)].format(a=a, i=i, tag=tag) for k in range(filler)]
    return json.dumps(
        {
            "title": f"{a} and {b}: report {tag}-{i}",
            "body": " ".join(sentences),
            "published_at": day.isoformat().replace("+00:00", "Z"),
            "source": f"Wire {i % 7}",
            "url": f"https://{host}/{tag}/{i}",
        }
    ).encode()


def stream(tag: str, count: int, filler: int = 2) -> list[bytes]:
    return [article(tag, i, filler) for i in range(count)]


def every_six_hours(start: datetime) -> Callable[[int], datetime]:
    """Publication times for long streams that must stay in the past (``max_future_s``).

    Four articles a day: the dyad pattern repeats only every 80 articles, so
    story keys stay distinct.
    """
    return lambda i: start + timedelta(hours=6 * i)


@dataclass(frozen=True)
class Poison:
    """A record the worker must dead-letter, byte for byte, with this stage and reason."""

    value: bytes
    stage: str
    reason: str


def poison(tag: str, i: int) -> Poison:
    """Poison record ``i`` of run ``tag``: distinct bytes, one of several failure kinds.

    Kept small (no multi-megabyte record): a chaos run carries 1 % of them.
    """
    marker = f"{tag}-{i}"
    kinds: list[Callable[[], Poison]] = [
        lambda: Poison(
            f'{{"title": "Broken {marker}", "body": "no closing brace"'.encode(),
            "parse",
            "invalid_json",
        ),
        lambda: Poison(
            f'{{"title": "Caf\xe9 {marker}", "body": "Latin-1 bytes in a UTF-8 record."}}'.encode(
                "latin-1"
            ),
            "decode",
            "invalid_utf8",
        ),
        lambda: Poison(
            (
                f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e "{marker}">]>'
                '<rss version="2.0"><channel><title>&e;</title>'
                "<item><title>&e;</title><description>&e;</description></item>"
                "</channel></rss>"
            ).encode(),
            "parse",
            "unsafe_xml",
        ),
        lambda: Poison(
            json.dumps({"title": f"No body {marker}", "body": "  "}).encode(),
            "validate",
            "empty_body",
        ),
        lambda: Poison(
            json.dumps({"body": f"A body without any title, case {marker}."}).encode(),
            "validate",
            "missing_title",
        ),
    ]
    return kinds[i % len(kinds)]()


def process_killer(tag: str, i: int, marker: str) -> Poison:
    """An article that kills the NLP process reading it, through the pool's test hook.

    The worker runs with ``PARLEY_TEST_KILL_MARKER=marker`` (workers/pool.py);
    the article is otherwise valid, so only its effect on the process makes it
    poison: dead-lettered as ``nlp``/``process_died`` after it killed its
    process twice, its batch-mates enriched normally.
    """
    return Poison(
        json.dumps(
            {
                "title": f"Ministers meet, report {tag}-{i}",
                "body": f"Ministers met in Oslo on Monday, meeting {i}. Reference {marker}.",
                "published_at": "2024-03-01T10:00:00Z",
                "url": f"https://chaos.example.org/{tag}/killer/{i}",
            }
        ).encode(),
        "nlp",
        "process_died",
    )
