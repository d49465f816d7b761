"""Raw record bytes -> normalized Articles: JSON, JSON Lines, RSS/Atom, plain-text wire copy.

One Kafka record fails or succeeds as a whole: when one object of a JSON
array, one line of JSON Lines or one feed item is bad, ``parse_record``
raises ``IngestError`` for the record (its message names the item). The
dead-letter record then holds exactly the bytes that failed, and the producer
can fix and resend them; accepting the good items would make the DLQ copy
disagree with what was processed.

A record without any date gets ``published_at = now`` (the ingest time) and
``published_at_missing=True``; a naive timestamp is taken as UTC and flagged
with ``published_at_assumed_utc=True``.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from functools import cache

import orjson
from pydantic import ValidationError

from schemas.models import Article, Dateline, InputFormat
from workers.ingest.dateline import find_dateline
from workers.ingest.dates import parse_timestamp
from workers.ingest.errors import IngestError
from workers.ingest.ids import article_id, content_hash
from workers.ingest.language import DEFAULT_LANGUAGE, detect_language
from workers.ingest.lexicon import lexicon
from workers.ingest.text import clean_field, clean_title, normalize_paragraphs, strip_furniture

MAX_RECORD_BYTES = 1024 * 1024
MAX_FUTURE = timedelta(days=1)
# A first line longer than this is a paragraph, not a headline.
_MAX_TITLE_CHARS = 300

# Field aliases in order of preference (parley's own names first).
TITLE_KEYS = ("title", "headline", "name")
BODY_KEYS = ("body", "articleBody", "article_body", "content", "text", "fulltext")
SUMMARY_KEYS = ("description", "summary", "abstract", "lead")
URL_KEYS = ("url", "canonical_url", "canonicalUrl", "link", "webUrl", "web_url", "href")
DATE_KEYS = (
    "published_at",
    "publishedAt",
    "pubDate",
    "pub_date",
    "published",
    "datePublished",
    "date",
    "created_at",
    "createdAt",
    "timestamp",
    "updated",
    "updated_at",
    "dateModified",
)
SOURCE_KEYS = ("source", "publisher", "site", "source_name", "sourceName", "site_name", "feed")
# Envelopes of list responses ({"status": "ok", "articles": [...]}).
LIST_KEYS = ("articles", "items", "entries", "results", "data", "documents")


class RecordFormat(StrEnum):
    JSON = "json"
    JSON_LINES = "jsonl"
    FEED = "feed"
    TEXT = "text"


_CONTENT_TYPES: dict[str, RecordFormat] = {
    "application/json": RecordFormat.JSON,
    "text/json": RecordFormat.JSON,
    "application/x-ndjson": RecordFormat.JSON_LINES,
    "application/ndjson": RecordFormat.JSON_LINES,
    "application/jsonl": RecordFormat.JSON_LINES,
    "application/x-jsonlines": RecordFormat.JSON_LINES,
    "application/jsonlines": RecordFormat.JSON_LINES,
    "application/rss+xml": RecordFormat.FEED,
    "application/atom+xml": RecordFormat.FEED,
    "application/rdf+xml": RecordFormat.FEED,
    "application/xml": RecordFormat.FEED,
    "text/xml": RecordFormat.FEED,
    "text/plain": RecordFormat.TEXT,
}
# Bytes a text or feed never contains (NUL and the C0 controls other than tab/LF/CR/FF).
_BINARY_BYTES = re.compile(rb"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f]")
_UNSAFE_XML = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_UTF16_DECLARATION = re.compile(r"""(<\?xml[^>]*encoding=["'])utf-16(?:[lb]e)?(["'])""", re.I)
_FEED_ROOT = re.compile(rb"<(rss|feed|rdf:RDF|channel)[\s>]", re.IGNORECASE)


@dataclass(frozen=True)
class _Fields:
    """Raw fields of one item, before cleaning and validation."""

    title: str | None
    body: str | None
    url: str | None
    source: str | None
    published: object
    input_format: InputFormat
    dateline: Dateline | None = None
    given_id: str | None = None
    body_is_clean: bool = False
    # A declared language ("language": "fr" in JSON): the guess when the text
    # is too short or unclear to identify (detect_language's default).
    language_hint: str | None = None


def parse_record(
    value: bytes,
    *,
    content_type: str | None = None,
    now: datetime | None = None,
    max_bytes: int = MAX_RECORD_BYTES,
    max_future: timedelta = MAX_FUTURE,
    source_hint: str | None = None,
) -> list[Article]:
    """Every Article in one raw record, or ``IngestError`` saying why the record fails.

    The format comes from ``content_type`` (parameters such as charset are
    ignored) or, when that is absent or generic, from the bytes themselves.
    ``source_hint`` names the source when the record does not.
    """
    now = (now or datetime.now(UTC)).astimezone(UTC)
    if len(value) > max_bytes:
        raise IngestError("decode", "too_large", f"record is {len(value)} bytes, limit {max_bytes}")
    if not value.strip():
        raise IngestError("decode", "empty_record", "record is empty")
    if value[:2] in _UTF16_BOMS:
        value = _transcode_utf16(value)
    if _BINARY_BYTES.search(value, 0, 4096):
        raise IngestError("decode", "binary_content", "record contains binary control bytes")
    record_format = detect_format(value, content_type)
    if record_format is RecordFormat.FEED:
        items = _feed_items(value)
    else:
        text = _decode_utf8(value)
        if record_format is RecordFormat.TEXT:
            items = [_wire_fields(text)]
        else:
            items = [_json_fields(m) for m in json_mappings(text, record_format)]
    context = _Context(now, max_future, source_hint)
    articles = []
    for index, fields in enumerate(items):
        try:
            articles.append(_build_article(fields, context))
        except IngestError as error:
            if len(items) == 1:
                raise
            raise IngestError(error.stage, error.reason, f"item {index}: {error.message}") from None
    return articles


def detect_format(value: bytes, content_type: str | None = None) -> RecordFormat:
    if content_type:
        media_type = content_type.split(";", 1)[0].strip().lower()
        known = _CONTENT_TYPES.get(media_type)
        if known is not None:
            return known
        if media_type.endswith("+json"):
            return RecordFormat.JSON
        if media_type.endswith("+xml"):
            return RecordFormat.FEED
    head = value[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head[:1] in (b"{", b"["):
        return RecordFormat.JSON
    if head[:1] == b"<":
        if _FEED_ROOT.search(value, 0, 4096) or head.startswith(b"<?xml"):
            return RecordFormat.FEED
        raise IngestError("parse", "unknown_format", "markup that is neither RSS nor Atom")
    return RecordFormat.TEXT


def _transcode_utf16(value: bytes) -> bytes:
    """UTF-16 with a byte-order mark (some Windows exports) as UTF-8, so checks see text."""
    try:
        text = value.decode("utf-16")
    except UnicodeDecodeError as error:
        message = f"invalid UTF-16 at byte {error.start}"
        raise IngestError("decode", "invalid_utf8", message) from None
    # The XML declaration would otherwise tell feedparser to decode UTF-16 again.
    return _UTF16_DECLARATION.sub(r"\1utf-8\2", text, count=1).encode("utf-8")


def _decode_utf8(value: bytes) -> str:
    try:
        return value.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise IngestError(
            "decode", "invalid_utf8", f"invalid UTF-8 at byte {error.start}"
        ) from None


# ---------------------------------------------------------------- JSON


def json_mappings(text: str, record_format: RecordFormat) -> list[Mapping[str, object]]:
    """The article objects of a JSON or JSON Lines document (list envelopes unwrapped)."""
    if record_format is RecordFormat.JSON_LINES:
        documents = _json_lines(text)
    else:
        try:
            documents = [orjson.loads(text)]
        except orjson.JSONDecodeError as error:
            lines = [line for line in text.splitlines() if line.strip()]
            if len(lines) > 1 and all(line.lstrip().startswith("{") for line in lines):
                documents = _json_lines(text)
            else:
                raise IngestError("parse", "invalid_json", f"invalid JSON: {error}") from None
    mappings: list[Mapping[str, object]] = []
    for document in documents:
        mappings.extend(_unwrap(document))
    if not mappings:
        raise IngestError("parse", "empty_feed", "JSON record holds no article")
    return mappings


def _json_lines(text: str) -> list[object]:
    documents = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            documents.append(orjson.loads(line))
        except orjson.JSONDecodeError as error:
            raise IngestError("parse", "invalid_json", f"line {number}: {error}") from None
    return documents


def _unwrap(document: object) -> list[Mapping[str, object]]:
    if isinstance(document, list):
        return [m for item in document for m in _unwrap_item(item)]
    return _unwrap_item(document)


def _unwrap_item(item: object) -> list[Mapping[str, object]]:
    if not isinstance(item, dict):
        raise IngestError(
            "validate", "wrong_type", f"expected a JSON object, got {type(item).__name__}"
        )
    if not any(key in item for key in TITLE_KEYS + BODY_KEYS):
        for key in LIST_KEYS:
            inner = item.get(key)
            if isinstance(inner, list):
                return _unwrap(inner)
    return [item]


def _text_value(mapping: Mapping[str, object], keys: Sequence[str], label: str) -> str | None:
    """First non-empty string among ``keys``; nested {"name"}/{"href"} objects allowed."""
    for key in keys:
        value = mapping.get(key)
        if value is None:
            continue
        if isinstance(value, dict):
            value = value.get("name") or value.get("title") or value.get("href")
            if value is None:
                continue
        if not isinstance(value, str):
            raise IngestError(
                "validate",
                "wrong_type",
                f"{label} ({key}) must be a string, got {type(value).__name__}",
            )
        if value.strip():
            return value
    return None


def _json_fields(mapping: Mapping[str, object]) -> _Fields:
    published: object = None
    for key in DATE_KEYS:
        if mapping.get(key) not in (None, ""):
            published = mapping[key]
            break
    given_id = mapping.get("article_id")
    dateline = mapping.get("dateline")
    parsed_dateline = None
    if isinstance(dateline, dict) and isinstance(dateline.get("place"), str):
        country = dateline.get("country")
        parsed_dateline = Dateline(
            place=dateline["place"], country=country if isinstance(country, str) else None
        )
    return _Fields(
        title=_text_value(mapping, TITLE_KEYS, "title"),
        body=_text_value(mapping, BODY_KEYS, "body") or _text_value(mapping, SUMMARY_KEYS, "body"),
        url=_text_value(mapping, URL_KEYS, "url"),
        source=_text_value(mapping, SOURCE_KEYS, "source"),
        published=published,
        input_format=InputFormat.JSON,
        dateline=parsed_dateline,
        given_id=given_id if isinstance(given_id, str) and given_id else None,
        language_hint=_language_hint(mapping.get("language")),
    )


_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")


def _language_hint(value: object) -> str | None:
    """An ISO 639 code such as "en" or "en-GB" as its primary subtag, else None."""
    if not isinstance(value, str):
        return None
    primary = value.strip().lower().split("-", 1)[0].split("_", 1)[0]
    return primary if _LANGUAGE_CODE.match(primary) else None


# ---------------------------------------------------------------- RSS / Atom


def _check_xml_safety(value: bytes) -> None:
    """Refuse any DTD before an XML parser sees the bytes: no entity can expand."""
    if _UNSAFE_XML.search(value):
        raise IngestError("parse", "unsafe_xml", "XML with a DTD or entity declaration refused")


@dataclass(frozen=True)
class FeedItem:
    """One RSS/Atom entry as feedparser read it, before cleaning and validation.

    ``entry_id`` is the entry's own id (RSS guid, Atom id) when it has one;
    the feed poller (``workers.feeds``) identifies entries by it.
    """

    entry_id: str | None
    title: str | None
    body: str | None
    url: str | None
    source: str | None
    published: str | None
    input_format: InputFormat


def feed_items(value: bytes, *, strict: bool = False) -> list[FeedItem]:
    """Every entry of an RSS or Atom document, or ``IngestError`` saying why there is none.

    ``strict`` refuses a document that is not well-formed XML instead of
    taking what feedparser's lenient parser recovered from it (the poller
    does: a truncated download must not publish half an entry).
    """
    import feedparser  # imported on first feed: a few hundred ms of module setup

    _check_xml_safety(value)
    parsed = feedparser.parse(io.BytesIO(value))
    version = str(parsed.get("version") or "")
    entries = parsed.get("entries") or []
    problem = parsed.get("bozo_exception")
    if strict and problem is not None and _is_xml_syntax_error(problem):
        raise IngestError("parse", "malformed_xml", f"feed is not well-formed XML: {problem}"[:300])
    if not version and not entries:
        raise IngestError("parse", "invalid_feed", f"not an RSS or Atom feed: {problem}"[:300])
    if not entries:
        raise IngestError("parse", "empty_feed", "feed has no items")
    input_format = InputFormat.ATOM if version.startswith("atom") else InputFormat.RSS
    feed_title = parsed.get("feed", {}).get("title") or None
    items = []
    for entry in entries:
        content = entry.get("content") or []
        body = next((c.get("value") for c in content if c.get("value")), None)
        url = entry.get("link")
        if not url and entry.get("guidislink"):
            url = entry.get("id")
        source = (entry.get("source") or {}).get("title") or feed_title
        published = entry.get("published") or entry.get("updated") or entry.get("created")
        items.append(
            FeedItem(
                entry_id=entry.get("id") or None,
                title=entry.get("title"),
                body=body or entry.get("summary") or entry.get("description"),
                url=url,
                source=source,
                published=published,
                input_format=input_format,
            )
        )
    return items


def _is_xml_syntax_error(problem: object) -> bool:
    from xml.sax import SAXException

    return isinstance(problem, SAXException)


def _feed_items(value: bytes) -> list[_Fields]:
    return [
        _Fields(
            title=item.title,
            body=item.body,
            url=item.url,
            source=item.source,
            published=item.published,
            input_format=item.input_format,
        )
        for item in feed_items(value)
    ]


# ---------------------------------------------------------------- plain-text wire copy


@cache
def _timestamp_line() -> re.Pattern[str]:
    labels = "|".join(re.escape(label) for label in lexicon().timestamp_labels)
    return re.compile(rf"^\s*(?:{labels})(?:\s+on)?\s*[:\-–]?\s*(?P<stamp>\S.*?)\s*$", re.I)


_BYLINE = re.compile(r"^\s*By\s+[A-Z][^\n]{0,80}$")


def _wire_fields(text: str) -> _Fields:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    position = 0
    while position < len(lines) and not lines[position].strip():
        position += 1
    title = lines[position].strip() if position < len(lines) else ""
    if len(title) > _MAX_TITLE_CHARS:
        raise IngestError("validate", "missing_title", "plain text has no title line")
    position += 1
    published: str | None = None
    # The lines between title and story may carry a timestamp and a byline.
    while position < len(lines):
        line = lines[position]
        if not line.strip():
            position += 1
            continue
        stamp = _timestamp_line().match(line) if published is None else None
        if stamp:
            published = stamp["stamp"]
        elif not _BYLINE.match(line):
            break
        position += 1
    story = strip_furniture("\n".join(lines[position:]))
    has_blank_lines = re.search(r"\n\s*\n", story) is not None
    body = normalize_paragraphs(story, unwrap_lines=has_blank_lines)
    return _Fields(
        title=title,
        body=body,
        url=None,
        source=None,
        published=published,
        input_format=InputFormat.TEXT,
        body_is_clean=True,
    )


# ---------------------------------------------------------------- common


@dataclass(frozen=True)
class _Context:
    now: datetime
    max_future: timedelta
    source_hint: str | None


def _build_article(fields: _Fields, context: _Context) -> Article:
    title = clean_title(fields.title) if fields.title else ""
    if not title:
        raise IngestError("validate", "missing_title", "article has no title")
    body = fields.body or ""
    if not fields.body_is_clean:
        body = strip_furniture(clean_field(body))
    dateline = fields.dateline
    if dateline is None:
        found = find_dateline(body)
        if found is not None:
            dateline, body = found.dateline, body[found.end :]
    if not body.strip():
        raise IngestError("validate", "empty_body", "article has no body text")

    missing_date = fields.published in (None, "")
    if missing_date:
        published_at, assumed_utc = context.now, False
    else:
        parsed = parse_timestamp(fields.published, now=context.now)
        published_at, assumed_utc = parsed.value, parsed.assumed_utc
    if published_at > context.now + context.max_future:
        raise IngestError(
            "validate",
            "future_timestamp",
            f"published_at {published_at.isoformat()} is after now + {context.max_future}",
        )
    source = clean_title(fields.source) if fields.source else context.source_hint
    url = fields.url.strip() if fields.url else None
    try:
        return Article(
            article_id=fields.given_id or article_id(url, source=source, title=title, body=body),
            title=title,
            body=body,
            source=source,
            url=url,
            language=detect_language(
                f"{title}\n\n{body}", default=fields.language_hint or DEFAULT_LANGUAGE
            ),
            published_at=published_at,
            published_at_assumed_utc=assumed_utc,
            published_at_missing=missing_date,
            dateline=dateline,
            ingested_at=context.now,
            input_format=fields.input_format,
            content_hash=content_hash(title, body),
        )
    except ValidationError as error:
        raise IngestError("validate", "invalid_article", str(error).splitlines()[0]) from None
