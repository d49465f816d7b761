"""Deduplication over a key-value state (the worker's state store, workers/journal.py).

Two entries per article, both JSON-serializable dicts under string keys:
``id:<article_id>`` -> {"hash", "version", "seen"} and
``content:<content_hash>`` -> {"id", "seen"}; ``seen`` is the last time (epoch
seconds) the article or a repeat of it arrived. Entries older than the window
count as unseen. A repeat refreshes ``seen``, so a feed that keeps carrying an
item is not re-processed while it keeps repeating it.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal

from schemas.models import Article

DuplicateKind = Literal["same_id", "same_content"]
_ID_PREFIX = "id:"
_CONTENT_PREFIX = "content:"


class DedupStatus(StrEnum):
    NEW = "new"
    UPDATE = "update"
    DUPLICATE = "duplicate"


@dataclass(frozen=True)
class DedupResult:
    status: DedupStatus
    article: Article  # for UPDATE: the copy carrying version n+1 and is_update=True
    kind: DuplicateKind | None = None  # set for DUPLICATE only
    duplicate_of: str | None = None  # article_id of the earlier copy

    @property
    def should_process(self) -> bool:
        return self.status is not DedupStatus.DUPLICATE


class Deduplicator:
    def __init__(self, state: MutableMapping[str, dict[str, Any]], window_s: float) -> None:
        self.state = state
        self.window_s = window_s

    def is_expired(self, entry: Mapping[str, Any], now: float) -> bool:
        """An entry last seen more than the window ago counts as never seen."""
        return now - float(entry["seen"]) > self.window_s

    def _fresh(self, key: str, now: float) -> dict[str, Any] | None:
        entry = self.state.get(key)
        if entry is None or self.is_expired(entry, now):
            return None
        return entry

    def check(self, article: Article, now: float) -> DedupResult:
        """Classify ``article`` and record it; ``now`` is epoch seconds."""
        id_key = _ID_PREFIX + article.article_id
        content_key = _CONTENT_PREFIX + article.content_hash
        seen_id = self._fresh(id_key, now)
        if seen_id is not None:
            if seen_id["hash"] == article.content_hash:
                self.state[id_key] = {**seen_id, "seen": now}
                return DedupResult(
                    DedupStatus.DUPLICATE, article, "same_id", duplicate_of=article.article_id
                )
            version = int(seen_id["version"]) + 1
            old_content_key = _CONTENT_PREFIX + str(seen_id["hash"])
            old_content = self.state.get(old_content_key)
            if old_content is not None and old_content.get("id") == article.article_id:
                del self.state[old_content_key]
            self._record(article, version, now)
            updated = article.model_copy(update={"version": version, "is_update": True})
            return DedupResult(DedupStatus.UPDATE, updated)
        seen_content = self._fresh(content_key, now)
        if seen_content is not None and seen_content["id"] != article.article_id:
            # A syndicated copy under another URL: remember the repeat only.
            self.state[content_key] = {**seen_content, "seen": now}
            return DedupResult(
                DedupStatus.DUPLICATE, article, "same_content", duplicate_of=seen_content["id"]
            )
        self._record(article, 1, now)
        return DedupResult(DedupStatus.NEW, article)

    def _record(self, article: Article, version: int, now: float) -> None:
        self.state[_ID_PREFIX + article.article_id] = {
            "hash": article.content_hash,
            "version": version,
            "seen": now,
        }
        self.state[_CONTENT_PREFIX + article.content_hash] = {"id": article.article_id, "seen": now}

    def purge(self, now: float) -> int:
        """Delete entries older than the window; returns how many. Call periodically."""
        expired = [key for key, entry in self.state.items() if self.is_expired(entry, now)]
        for key in expired:
            del self.state[key]
        return len(expired)
