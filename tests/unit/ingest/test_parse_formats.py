from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from schemas.models import Dateline, InputFormat
from workers.ingest import RecordFormat, detect_format, parse_record
from workers.ingest.ids import article_id

from .conftest import FIXTURES, NOW

EXAMPLES_NOW = datetime(2025, 6, 1, tzinfo=UTC)


def parse_file(name: str, content_type: str | None = None):
    return parse_record((FIXTURES / "good" / name).read_bytes(), content_type=content_type, now=NOW)


def test_parley_article_json_is_normalized() -> None:
    [article] = parse_file("parley_article.json", "application/json")
    assert article.title == "Estonia summons Russian envoy over airspace violation"
    assert article.body.startswith("Estonia's foreign ministry summoned")
    assert "\n\nForeign Minister Margus Tsahkna" in article.body
    assert article.published_at == datetime(2024, 6, 10, 8, 30, tzinfo=UTC)
    assert not article.published_at_assumed_utc
    assert article.input_format is InputFormat.JSON
    assert article.language == "en"
    assert article.ingested_at == NOW
    assert article.source == "Fixture Wire"
    # Case, tracking parameters, trailing slash and fragment do not change the id.
    assert article.article_id == article_id(
        "https://fixture.example.org/baltic/estonia-summons-envoy", source=None, title="", body=""
    )
    assert article.article_id.startswith("u:")
    assert len(article.content_hash) == 32


def test_api_envelope_with_aliases_html_and_nested_source() -> None:
    first, second = parse_file("api_style.json")
    assert first.title == "Kenya and Ethiopia sign border security pact"
    assert first.source == "Fixture Times"
    assert first.url == "https://fixture-times.example.com/africa/kenya-ethiopia-pact"
    assert first.body == (
        "Kenyan Foreign Minister Musalia Mudavadi and his Ethiopian counterpart signed a border "
        "security agreement in Nairobi on Thursday.\n\nThe ministers agreed to set up joint "
        "patrols & share intelligence on armed groups."
    )
    assert first.published_at == datetime(2024, 3, 14, 13, 0, tzinfo=UTC)
    # A description stands in for a missing body.
    assert second.body.startswith("Chile recalled its ambassador from Caracas")
    assert second.published_at == datetime(2024, 8, 2, 23, 45, tzinfo=UTC)


def test_json_lines_give_one_article_per_line() -> None:
    norway, singapore = parse_file("two_lines.jsonl", "application/x-ndjson")
    assert norway.source == "Fixture Wire" and singapore.source == "Fixture Wire"
    assert norway.published_at_assumed_utc
    assert norway.published_at == datetime(2024, 5, 14, 9, 0, tzinfo=UTC)
    assert singapore.published_at == datetime(2024, 1, 17, 10, 0, tzinfo=UTC)
    assert not singapore.published_at_assumed_utc
    # No URL: the id is a content hash.
    assert norway.article_id.startswith("c:")


def test_json_lines_are_sniffed_without_content_type() -> None:
    articles = parse_file("two_lines.jsonl")
    assert [a.title[:6] for a in articles] == ["Norway", "Singap"]


def test_rss_items_become_articles() -> None:
    greece, ghana = parse_file("feed.rss", "application/rss+xml")
    assert greece.input_format is InputFormat.RSS
    assert greece.source == "Fixture Feed"
    assert greece.url == "https://feed.fixture.example/greece-turkey?utm_campaign=rss"
    assert greece.body == (
        "Greek and Turkish foreign ministers met in Athens and pledged to keep channels of "
        "communication open."
    )
    assert greece.published_at == datetime(2024, 3, 13, 12, 0, tzinfo=UTC)
    # The second item has no date: ingest time, flagged.
    assert ghana.published_at == NOW and ghana.published_at_missing
    assert ghana.body.startswith("Ghana and Togo agreed")


def test_atom_entry_becomes_article() -> None:
    [finland] = parse_file("feed.atom")
    assert finland.input_format is InputFormat.ATOM
    assert finland.url == "https://atom.fixture.example/finland-condemns"
    assert finland.body.startswith("Finland's foreign ministry condemned")
    assert "<p>" not in finland.body
    assert finland.published_at == datetime(2024, 7, 1, 7, 0, tzinfo=UTC)


def test_wire_text_title_timestamp_dateline_and_furniture() -> None:
    [article] = parse_file("wire_geneva.txt", "text/plain")
    assert article.input_format is InputFormat.TEXT
    assert article.title == "Swiss hosts Iran nuclear talks with European powers"
    assert article.published_at == datetime(2024, 11, 29, 9, 15, tzinfo=UTC)
    assert article.dateline == Dateline(place="Geneva", country="CHE")
    assert article.body == (
        "Iranian diplomats met officials from France, Germany and Britain in Geneva on Friday "
        "to discuss Tehran's nuclear programme.\n\nThe European side urged Iran to restore "
        "cooperation with the International Atomic Energy Agency."
    )


def test_wire_text_with_parenthesised_country_byline_and_one_line_paragraphs() -> None:
    [article] = parse_file("wire_paren.txt")
    assert article.dateline == Dateline(place="Hanoi", country="VNM")
    assert article.published_at == datetime(2024, 1, 30, 8, 20, tzinfo=UTC)
    assert article.body == (
        "The Philippines and Vietnam signed an agreement on coast guard cooperation in the South "
        "China Sea during a state visit by the Philippine president.\n\nThe two sides also "
        "agreed to expand rice trade."
    )


def test_wire_text_without_timestamp_line_uses_now_and_flags_it() -> None:
    [article] = parse_record(
        (FIXTURES / "good" / "wire_no_date.txt").read_bytes(), now=NOW, source_hint="desk-feed"
    )
    assert article.published_at == NOW and article.published_at_missing
    assert article.dateline == Dateline(place="Brasilia", country="BRA")
    assert article.body.startswith("Brazil offered on Wednesday")
    assert article.source == "desk-feed"


def test_non_english_article_is_detected() -> None:
    record = (
        '{"title": "Le Maroc et l\'Espagne signent un accord", "body": "Le Maroc et l\'Espagne '
        "ont signé mercredi à Rabat un accord de coopération migratoire, a annoncé le ministère "
        'des Affaires étrangères."}'
    ).encode()
    [article] = parse_record(record, now=NOW)
    assert article.language == "fr"


def test_same_story_parses_to_same_id_and_hash_every_time() -> None:
    first = parse_file("wire_geneva.txt")[0]
    second = parse_record(
        (FIXTURES / "good" / "wire_geneva.txt").read_bytes(),
        now=datetime(2025, 2, 1, tzinfo=UTC),
    )[0]
    assert (first.article_id, first.content_hash) == (second.article_id, second.content_hash)


def test_format_detection_from_content_type_and_sniffing() -> None:
    assert detect_format(b"{}", "application/json; charset=utf-8") is RecordFormat.JSON
    assert detect_format(b"x", "application/x-ndjson") is RecordFormat.JSON_LINES
    assert detect_format(b"x", "application/vnd.api+json") is RecordFormat.JSON
    assert detect_format(b"<feed>", "application/atom+xml") is RecordFormat.FEED
    assert detect_format(b"\xef\xbb\xbf  [1]") is RecordFormat.JSON
    assert detect_format(b'<?xml version="1.0"?><rss>') is RecordFormat.FEED
    assert detect_format(b"Title\n\nBody", "application/octet-stream") is RecordFormat.TEXT


def test_every_example_parses(tmp_path: Path) -> None:
    from workers.ingest import read_inputs

    examples = Path(__file__).parents[3] / "examples"
    articles = [
        article
        for raw in read_inputs([examples])
        for article in parse_record(raw.value, content_type=raw.content_type, now=EXAMPLES_NOW)
    ]
    assert len(articles) >= 8
    assert {a.input_format for a in articles} == set(InputFormat)
    assert [a.language for a in articles].count("fr") == 1
    assert len({a.article_id for a in articles}) == len(articles)
