"""Feed bodies -> entries -> the JSON articles ingestion reads back."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest

from tests.feedserver import Item, rss_document
from workers.feeds.config import FeedConfig
from workers.feeds.entries import (
    FeedEntry,
    FeedParseError,
    article_id_for,
    article_record,
    charset_of,
    entry_identity,
    parse_entries,
    record_headers,
)
from workers.ingest import parse_record

EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "feeds"
FEED = FeedConfig(url="https://feeds.example.org/world.rss", interval_s=60)
BODY = "The foreign ministers of both countries met in Geneva on Tuesday to discuss the talks."


def test_rss_example_entries_use_guid_then_link() -> None:
    entries = parse_entries((EXAMPLES / "diplomacy.rss").read_bytes(), "application/rss+xml")
    assert [e.entry_id for e in entries] == [
        "demo-2024-11-12-kyiv",
        "https://feed.example.org/diplomacy/rutte-erdogan-ankara",
        "https://feed.example.org/diplomacy/mexico-ecuador-embassy",  # no guid: the link
    ]


def test_atom_example_entries() -> None:
    entries = parse_entries((EXAMPLES / "diplomacy.atom").read_bytes(), None)
    assert len(entries) == 2 and all(e.title and e.body and e.url for e in entries)


def test_identity_falls_back_to_a_hash_of_title_and_date() -> None:
    assert entry_identity("id-1", "https://x.example/a", "T", "d") == "id-1"
    assert entry_identity(None, "https://x.example/a", "T", "d") == "https://x.example/a"
    hashed = entry_identity(None, None, "Talks resume", "Tue, 12 Nov 2024 10:20:00 GMT")
    assert hashed.startswith("h:")
    assert hashed == entry_identity("", " ", "Talks resume", "Tue, 12 Nov 2024 10:20:00 GMT")
    assert hashed != entry_identity(None, None, "Talks resume", "Wed, 13 Nov 2024 10:20:00 GMT")


def test_content_hash_changes_with_title_body_or_link_only() -> None:
    base = FeedEntry("e", "Title", "Body", "https://x.example/a", "Tue", None)
    same = FeedEntry("e", "Title", "Body", "https://x.example/a", "Wed", "Other source")
    assert base.content_hash == same.content_hash
    for changed in (
        FeedEntry("e", "Title 2", "Body", "https://x.example/a", "Tue", None),
        FeedEntry("e", "Title", "Body 2", "https://x.example/a", "Tue", None),
        FeedEntry("e", "Title", "Body", "https://x.example/b", "Tue", None),
    ):
        assert changed.content_hash != base.content_hash


def test_record_is_an_article_ingestion_accepts() -> None:
    document = rss_document(
        "World",
        [Item("Ministers meet in Geneva", BODY, link="https://news.example.org/a?utm_source=rss")],
    )
    (entry,) = parse_entries(document, "application/rss+xml")
    feed = FeedConfig(url=FEED.url, interval_s=60, source="Example World", language="en")
    value = article_record(entry, feed)
    (article,) = parse_record(value, content_type="application/json")
    assert article.title == "Ministers meet in Geneva"
    assert article.url == "https://news.example.org/a?utm_source=rss"
    assert article.source == "Example World"
    assert article.published_at == datetime(2024, 11, 12, 10, 20, tzinfo=UTC)
    # The same id ingestion gives the link when the feed itself is produced.
    (from_feed,) = parse_record(document, content_type="application/rss+xml")
    assert article.article_id == from_feed.article_id
    assert value == article_record(entry, feed), "a repeat must be byte-identical"


def test_entry_without_link_keeps_its_article_id_when_its_content_changes() -> None:
    first = FeedEntry("guid-7", "Talks resume", BODY, None, None, None)
    edited = FeedEntry("guid-7", "Talks resume in Geneva", BODY + " More.", None, None, None)
    assert article_id_for(first, FEED.url) == article_id_for(edited, FEED.url)
    assert article_id_for(first, FEED.url).startswith("f:")
    assert article_id_for(first, FEED.url) != article_id_for(first, "https://other.example/rss")
    ids = {
        parse_record(article_record(e, FEED), content_type="application/json")[0].article_id
        for e in (first, edited)
    }
    assert ids == {article_id_for(first, FEED.url)}


def test_language_hint_is_the_default_for_unclear_text() -> None:
    entry = FeedEntry("x", "Ja", "Oui, non.", None, None, None)
    hinted = FeedConfig(url=FEED.url, interval_s=60, language="fr")
    (article,) = parse_record(article_record(entry, hinted), content_type="application/json")
    assert article.language == "fr"
    (plain,) = parse_record(article_record(entry, FEED), content_type="application/json")
    assert plain.language == "en"


def test_headers_carry_feed_url_fetch_time_and_entry_id() -> None:
    entry = FeedEntry("guid-1", "T", "B", None, None, None)
    fetched = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    headers = dict(record_headers(entry, FEED, fetched))
    assert headers["parley.feed.url"] == FEED.url.encode()
    assert headers["parley.feed.entry_id"] == b"guid-1"
    assert headers["parley.feed.fetched_at"] == b"2026-01-02T03:04:05+00:00"
    assert headers["content-type"] == b"application/json"


def test_json_feed_items() -> None:
    body = orjson.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "title": "Example JSON Feed",
            "items": [
                {
                    "id": "1",
                    "url": "https://j.example.org/1",
                    "title": "One",
                    "content_html": f"<p>{BODY}</p>",
                    "date_published": "2024-11-12T10:20:00Z",
                },
                {"id": 2, "title": "Two", "content_text": BODY},
            ],
        }
    )
    one, two = parse_entries(body, "application/feed+json")
    assert (one.entry_id, one.url, one.published) == (
        "1",
        "https://j.example.org/1",
        "2024-11-12T10:20:00Z",
    )
    assert one.body is not None and BODY in one.body
    assert (two.entry_id, two.body) == ("2", BODY)


def test_news_api_list_uses_the_link_as_identity() -> None:
    body = (Path(EXAMPLES.parent, "feed_api", "publisher_style.json")).read_bytes()
    entries = parse_entries(body, "application/json")
    assert len(entries) == 2 and all(e.entry_id == e.url for e in entries)


@pytest.mark.parametrize(
    ("body", "content_type", "kind"),
    [
        (
            b"<!DOCTYPE html><html><body>Sign in</body></html>",
            "text/html; charset=utf-8",
            "not_a_feed",
        ),
        (b"<html><head><title>x</title></head><body>hi</body></html>", None, "not_a_feed"),
        (b'<?xml version="1.0"?><html><body>hi</body></html>', "application/xml", "not_a_feed"),
        (
            b'<?xml version="1.0"?><rss version="2.0"><channel><item><title>A</title><descr',
            "application/rss+xml",
            "malformed",
        ),
        (b'{"items": [ {"title": "x"', "application/json", "malformed"),
        (b"", "application/rss+xml", "not_a_feed"),
        (
            b'<rss version="2.0"><channel><title>Quiet</title></channel></rss>',
            "application/rss+xml",
            "empty_feed",
        ),
        (b"\xff\xfe\x00garbage", "application/json; charset=utf-8", "encoding"),
    ],
)
def test_bad_bodies_have_a_bounded_error_class(
    body: bytes, content_type: str | None, kind: str
) -> None:
    with pytest.raises(FeedParseError) as caught:
        parse_entries(body, content_type)
    assert caught.value.kind == kind


def test_wrong_or_missing_charset_still_reads_the_text() -> None:
    latin = rss_document(
        "Caf\u00e9", [Item("Caf\u00e9 diplomacy in Paris", BODY, guid="g")], encoding="iso-8859-1"
    )
    # The header says UTF-8, the document declares (and is) ISO-8859-1.
    (entry,) = parse_entries(latin, "application/rss+xml; charset=utf-8")
    assert entry.title == "Caf\u00e9 diplomacy in Paris"
    # No declaration and no charset: Latin-1 bytes are recovered, not refused.
    undeclared = latin.replace(b' encoding="iso-8859-1"', b"")
    (entry,) = parse_entries(undeclared, "application/rss+xml")
    assert entry.title is not None and entry.title.startswith("Caf")
    # JSON declared as Latin-1 is read as Latin-1.
    body = '[{"title": "Caf\u00e9 talks", "body": "x", "url": "https://j.example/1"}]'
    (entry,) = parse_entries(body.encode("latin-1"), "application/json; charset=ISO-8859-1")
    assert entry.title == "Caf\u00e9 talks"
    # A charset that does not exist is ignored in favour of UTF-8.
    (entry,) = parse_entries(body.encode(), "application/json; charset=no-such-charset")
    assert entry.title == "Caf\u00e9 talks"


def test_charset_parameter() -> None:
    assert charset_of('text/xml; charset="ISO-8859-1"') == "ISO-8859-1"
    assert charset_of("application/json") is None
    assert charset_of(None) is None
