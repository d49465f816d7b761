from __future__ import annotations

import json
from typing import Any

from schemas.models import Article
from workers.ingest import Deduplicator, DedupStatus, parse_record

from .conftest import NOW

WINDOW_S = 7 * 24 * 3600
T0 = 1_700_000_000.0


def article(
    body: str, url: str | None = "https://news.example.org/a", source: str = "A"
) -> Article:
    record: dict[str, Any] = {"title": "Ministers meet", "body": body, "source": source}
    if url:
        record["url"] = url
    [parsed] = parse_record(json.dumps(record).encode(), now=NOW)
    return parsed


def make() -> tuple[Deduplicator, dict[str, dict[str, Any]]]:
    state: dict[str, dict[str, Any]] = {}
    return Deduplicator(state, WINDOW_S), state


def test_first_sighting_is_new_and_stores_two_json_entries() -> None:
    dedup, state = make()
    result = dedup.check(article("They met in Oslo."), T0)
    assert result.status is DedupStatus.NEW and result.should_process
    assert result.article.version == 1 and not result.article.is_update
    assert len(state) == 2
    assert json.loads(json.dumps(state)) == state


def test_same_id_same_content_is_duplicate() -> None:
    dedup, _ = make()
    dedup.check(article("They met in Oslo."), T0)
    result = dedup.check(article("They met in  Oslo."), T0 + 60)
    assert result.status is DedupStatus.DUPLICATE and not result.should_process
    assert result.kind == "same_id"


def test_syndicated_copy_under_another_url_is_duplicate_same_content() -> None:
    dedup, state = make()
    original = article("They met in Oslo.")
    dedup.check(original, T0)
    copy = article("THEY MET IN OSLO.", url="https://mirror.example.com/b", source="B")
    result = dedup.check(copy, T0 + 60)
    assert result.status is DedupStatus.DUPLICATE
    assert result.kind == "same_content"
    assert result.duplicate_of == original.article_id
    assert len(state) == 2


def test_changed_content_under_same_id_is_update_version_n_plus_one() -> None:
    dedup, state = make()
    dedup.check(article("They met in Oslo."), T0)
    second = dedup.check(article("They met in Oslo and signed a deal."), T0 + 60)
    assert second.status is DedupStatus.UPDATE and second.should_process
    assert second.article.version == 2 and second.article.is_update
    third = dedup.check(article("They met in Oslo, signed a deal and left."), T0 + 120)
    assert third.article.version == 3
    # The superseded content hashes are dropped: still two entries per article.
    assert len(state) == 2
    # Re-sending the latest version is a duplicate, not version 4.
    again = dedup.check(article("They met in Oslo, signed a deal and left."), T0 + 180)
    assert again.status is DedupStatus.DUPLICATE


def test_entries_older_than_window_are_unseen() -> None:
    dedup, _ = make()
    dedup.check(article("They met in Oslo."), T0)
    later = dedup.check(article("They met in Oslo."), T0 + WINDOW_S + 1)
    assert later.status is DedupStatus.NEW and later.article.version == 1
    syndicated = dedup.check(
        article("They met in Oslo.", url="https://mirror.example.com/b"), T0 + 2 * WINDOW_S + 2
    )
    assert syndicated.status is DedupStatus.NEW


def test_repeats_keep_the_entry_fresh() -> None:
    dedup, _ = make()
    dedup.check(article("They met in Oslo."), T0)
    dedup.check(article("They met in Oslo."), T0 + WINDOW_S - 10)
    result = dedup.check(article("They met in Oslo."), T0 + WINDOW_S + 10)
    assert result.status is DedupStatus.DUPLICATE


def test_purge_removes_only_expired_entries() -> None:
    dedup, state = make()
    dedup.check(article("They met in Oslo."), T0)
    dedup.check(article("Another story.", url="https://news.example.org/c"), T0 + WINDOW_S)
    assert dedup.purge(T0 + WINDOW_S + 5) == 2
    assert len(state) == 2
