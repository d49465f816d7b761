"""A feed response body -> entries -> the JSON article records ingestion accepts.

Parsing reuses ingestion's readers (``workers.ingest.parse``): feedparser for
RSS and Atom, the JSON readers for JSON Feed and news-API shapes. The poller
does not build ``Article`` objects itself: it publishes one JSON article per
new entry and the worker's ingestion normalizes, validates and deduplicates
it like any other raw record (so a bad entry is dead-lettered there, with its
bytes and reason, not dropped here).

Identity: an entry is its id, else its link, else a hash of title and date.
A content hash over title, body and link tells a changed entry from a repeat.
"""

from __future__ import annotations

import codecs
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

import orjson

from workers.feeds.config import FeedConfig
from workers.ingest.errors import IngestError
from workers.ingest.ids import article_id as ingest_article_id
from workers.ingest.ids import canonical_url
from workers.ingest.parse import (
    BODY_KEYS,
    DATE_KEYS,
    LIST_KEYS,
    SOURCE_KEYS,
    SUMMARY_KEYS,
    TITLE_KEYS,
    URL_KEYS,
    FeedItem,
    RecordFormat,
    detect_format,
    feed_items,
    json_mappings,
)

#: JSON Feed (jsonfeed.org) fields, before ingestion's own aliases.
_JSON_ID_KEYS = ("id", "guid", "article_id", "uuid")
_JSON_BODY_KEYS = ("content_html", "content_text", *BODY_KEYS, *SUMMARY_KEYS)
_JSON_DATE_KEYS = ("date_published", "date_modified", *DATE_KEYS)


class FeedParseError(ValueError):
    """The body is not a usable feed; ``kind`` is a bounded error class."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True)
class FeedEntry:
    """One entry of a feed, as published: raw fields, not yet cleaned by ingestion."""

    entry_id: str
    title: str | None
    body: str | None
    url: str | None
    published: str | None
    source: str | None

    @property
    def content_hash(self) -> str:
        """Changes when the entry's title, body or link change (a republish)."""
        text = "\x1f".join((self.title or "", self.body or "", self.url or ""))
        return _digest(text, 32)


def _digest(text: str, length: int) -> str:
    return hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()[:length]


def entry_identity(
    entry_id: str | None, link: str | None, title: str | None, published: str | None
) -> str:
    """The entry's id, else its link, else ``h:`` + a hash of its title and date."""
    for candidate in (entry_id, link):
        if candidate and candidate.strip():
            return candidate.strip()
    return "h:" + _digest(f"{title or ''}\x1f{published or ''}", 24)


def parse_entries(body: bytes, content_type: str | None) -> list[FeedEntry]:
    """Every entry of an RSS, Atom or JSON feed body, or ``FeedParseError``."""
    media_type = (content_type or "").split(";", 1)[0].strip().lower()
    if media_type in ("text/html", "application/xhtml+xml"):
        raise FeedParseError("not_a_feed", f"answered {media_type}, not a feed")
    if not body.strip():
        raise FeedParseError("not_a_feed", "empty response body")
    try:
        record_format = detect_format(body, content_type)
        if record_format is RecordFormat.FEED:
            return [_feed_entry(item) for item in feed_items(body, strict=True)]
        if record_format in (RecordFormat.JSON, RecordFormat.JSON_LINES):
            text = decode_json_text(body, charset_of(content_type))
            return [_json_entry(m) for m in _json_items(text, record_format)]
    except IngestError as exc:
        raise FeedParseError(_error_kind(exc), str(exc)) from None
    raise FeedParseError("not_a_feed", f"neither a feed nor JSON ({media_type or 'no type'})")


def _error_kind(error: IngestError) -> str:
    if error.reason == "malformed_xml":
        return "malformed"
    if error.reason in ("invalid_json", "wrong_type"):
        return "malformed"
    if error.reason == "empty_feed":
        return "empty_feed"
    if error.reason == "invalid_utf8":
        return "encoding"
    return "not_a_feed"


def charset_of(content_type: str | None) -> str | None:
    """The ``charset`` parameter of a Content-Type header, if any."""
    for parameter in (content_type or "").split(";")[1:]:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip("\"'") or None
    return None


def decode_json_text(body: bytes, charset: str | None) -> str:
    """A JSON body as text: the declared charset when it decodes, else UTF-8.

    JSON is UTF-8 by RFC 8259; a wrong or unknown declared charset is
    ignored in favour of UTF-8 rather than failing the feed.
    """
    if charset:
        try:
            codecs.lookup(charset)
            return body.decode(charset).lstrip("\ufeff")
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IngestError("decode", "invalid_utf8", f"invalid UTF-8 at byte {exc.start}") from None


def _feed_entry(item: FeedItem) -> FeedEntry:
    return FeedEntry(
        entry_id=entry_identity(item.entry_id, item.url, item.title, item.published),
        title=item.title,
        body=item.body,
        url=item.url,
        published=item.published,
        source=item.source,
    )


def _json_items(text: str, record_format: RecordFormat) -> list[Mapping[str, object]]:
    """The items of a JSON feed: JSON Feed's ``items`` (beside the feed's own title) or
    whatever ingestion's JSON reader finds (news-API envelopes, arrays, JSON Lines)."""
    if record_format is RecordFormat.JSON:
        try:
            document = orjson.loads(text)
        except orjson.JSONDecodeError:
            document = None
        if isinstance(document, dict):
            for key in LIST_KEYS:
                inner = document.get(key)
                if isinstance(inner, list):
                    if not inner:
                        raise IngestError("parse", "empty_feed", "feed has no items")
                    if all(isinstance(item, dict) for item in inner):
                        return inner
    return json_mappings(text, record_format)


def _first_string(mapping: Mapping[str, object], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        value = mapping.get(key)
        if isinstance(value, dict):
            value = value.get("name") or value.get("title") or value.get("href")
        if isinstance(value, (int, float)) and not isinstance(value, bool) and key in ("id",):
            value = str(value)
        if isinstance(value, str) and value.strip():
            return value
    return None


def _json_entry(mapping: Mapping[str, object]) -> FeedEntry:
    title = _first_string(mapping, TITLE_KEYS)
    url = _first_string(mapping, URL_KEYS)
    published = _first_string(mapping, _JSON_DATE_KEYS)
    return FeedEntry(
        entry_id=entry_identity(_first_string(mapping, _JSON_ID_KEYS), url, title, published),
        title=title,
        body=_first_string(mapping, _JSON_BODY_KEYS),
        url=url,
        published=published,
        source=_first_string(mapping, SOURCE_KEYS),
    )


def article_id_for(entry: FeedEntry, feed_url: str) -> str:
    """The article id ingestion will use, stable while the entry's content changes.

    With a link it is exactly ingestion's own (``u:`` + canonical URL hash),
    so the same story produced from a file and polled from its feed is one
    article. Without one, ingestion would hash the content, and a changed
    entry would look like a new article: the id is then ``f:`` + a hash of
    feed and entry identity, and ingestion's versioning sees the update.
    """
    if entry.url and canonical_url(entry.url):
        return ingest_article_id(entry.url, source=None, title="", body="")
    return "f:" + _digest(f"{feed_url}\x1f{entry.entry_id}", 24)


def article_record(entry: FeedEntry, feed: FeedConfig) -> bytes:
    """The entry as a JSON article in the shape ``workers.ingest.parse_record`` reads.

    Deterministic (sorted keys, no fetch time): a re-published repeat is
    byte-identical to the first copy.
    """
    document: dict[str, object] = {
        "article_id": article_id_for(entry, feed.url),
        "title": entry.title or "",
        "body": entry.body or "",
    }
    if entry.url:
        document["url"] = entry.url
    source = feed.source or entry.source
    if source:
        document["source"] = source
    if entry.published:
        document["published_at"] = entry.published
    if feed.language:
        document["language"] = feed.language
    return orjson.dumps(document, option=orjson.OPT_SORT_KEYS)


def record_headers(
    entry: FeedEntry, feed: FeedConfig, fetched_at: datetime
) -> list[tuple[str, bytes]]:
    """Metadata of a published entry: feed URL, fetch time and entry id."""
    return [
        ("content-type", b"application/json"),
        ("parley.feed.url", feed.url.encode("utf-8")),
        ("parley.feed.fetched_at", fetched_at.isoformat().encode("ascii")),
        ("parley.feed.entry_id", entry.entry_id.encode("utf-8")),
    ]
