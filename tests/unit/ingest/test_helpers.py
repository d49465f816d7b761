"""Datelines, timestamps, ids and text clean-up on their own."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from schemas.models import Dateline
from workers.ingest.dateline import find_dateline
from workers.ingest.dates import parse_timestamp
from workers.ingest.ids import canonical_url, content_hash
from workers.ingest.text import clean_field, strip_furniture

from .conftest import NOW


@pytest.mark.parametrize(
    ("text", "place", "country"),
    [
        ("GENEVA, March 2 (Agency) - The talks", "Geneva", "CHE"),
        ("Geneva (Switzerland): The talks", "Geneva", "CHE"),
        ("Geneva, Switzerland - The talks", "Geneva", "CHE"),
        ("MOSCOW (Reuters) - The talks", "Moscow", "RUS"),
        ("KYIV, Ukraine, Sept. 3 (AP) — The talks", "Kyiv", "UKR"),
        ("UNITED NATIONS, March 2 (Agency) - The talks", "United Nations", None),
        ("Austin, Texas - The talks", "Austin", "USA"),
        # A state or country qualifier beats the better-known namesake.
        ("Paris, Texas - The talks", "Paris", "USA"),
        ("ST. PETERSBURG, Russia (AP) - The talks", "St. Petersburg", "RUS"),
        # An agency in parentheses is not a place, even when a town shares its name.
        ("DAMASCUS (SANA) - The talks", "Damascus", "SYR"),
        # Shouted names take the resolver's spelling; regions and countries resolve too.
        ("KIEV, March 2 (Agency) - The talks", "Kyiv", "UKR"),
        ("Gaza Strip: The talks", "Gaza Strip", "PSE"),
        ("UKRAINE (Agency) - The talks", "Ukraine", "UKR"),
    ],
)
def test_datelines(text: str, place: str, country: str | None) -> None:
    found = find_dateline(text)
    assert found is not None
    assert found.dateline == Dateline(place=place, country=country)
    assert text[found.end :] == "The talks"


@pytest.mark.parametrize(
    "text",
    [
        "Poland has expelled a diplomat - officials said",
        "Sikorski said: we will respond",
        "Foreign Minister Sikorski: we will respond",
    ],
)
def test_ordinary_openings_are_not_datelines(text: str) -> None:
    assert find_dateline(text) is None


@pytest.mark.parametrize(
    ("raw", "expected", "assumed"),
    [
        ("2024-03-02 09:15 GMT", datetime(2024, 3, 2, 9, 15, tzinfo=UTC), False),
        ("2024-03-02 09:15 EST", datetime(2024, 3, 2, 14, 15, tzinfo=UTC), False),
        ("2024-08-20 14:05 +0800", datetime(2024, 8, 20, 6, 5, tzinfo=UTC), False),
        ("Sun, 15 Sep 2024 18:45:00 +0300", datetime(2024, 9, 15, 15, 45, tzinfo=UTC), False),
        ("2024-04-26T16:40:00Z", datetime(2024, 4, 26, 16, 40, tzinfo=UTC), False),
        ("2024-02-08T14:00:00", datetime(2024, 2, 8, 14, 0, tzinfo=UTC), True),
        ("March 2, 2024 9:15 am EST", datetime(2024, 3, 2, 14, 15, tzinfo=UTC), False),
        (1700000000, datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC), False),
        (1700000000000, datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC), False),
    ],
)
def test_timestamps(raw: object, expected: datetime, assumed: bool) -> None:
    parsed = parse_timestamp(raw, now=NOW)
    assert parsed.value == expected and parsed.assumed_utc is assumed


def test_canonical_url() -> None:
    assert (
        canonical_url("HTTPS://News.Example.ORG:443/a/b/?utm_source=x&id=3&fbclid=y&a=1#frag")
        == "https://news.example.org/a/b?a=1&id=3"
    )
    assert canonical_url("http://example.org:8080/x/") == "http://example.org:8080/x"
    assert canonical_url("demo-guid-42") is None


def test_content_hash_ignores_case_and_whitespace_only() -> None:
    folded = content_hash("TALKS", "they met. in oslo.")
    assert content_hash("Talks", "They  met.\n\nIn Oslo.") == folded
    assert content_hash("Talks", "They met.") != content_hash("Talks", "They met!")


def test_html_reduced_to_paragraphs() -> None:
    html = "<div><p>One &amp; two</p><ul><li>three</li></ul><style>p{}</style>four<br/>five</div>"
    assert clean_field(html) == "One & two\n\nthree\n\nfour\n\nfive"


def test_furniture_is_cut_but_lookalike_sentences_stay() -> None:
    text = "Story starts.\n\nShare prices fell.\n\nRead more: other story\nFollow us on X"
    assert strip_furniture(text) == "Story starts.\n\nShare prices fell."
    assert strip_furniture("Related\nonly furniture-like first line") == (
        "Related\nonly furniture-like first line"
    )
