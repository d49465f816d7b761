"""How much memory the windowed state takes: bytes per entry, per store, measured.

Not part of CI. Fills the dedup, link and alert-suppression state with the
real ``Deduplicator``, ``EventLinker`` and ``AlertEngine`` (generated articles
and events, every event its own story: linking only ever merges entries) and
measures:

- the memory store (``PARLEY_STORE=memory://``): Python heap per entry with
  ``tracemalloc``, laid out as ``workers.journal.StateStore`` holds it in
  memory (a dict of values decoded from JSON, as read back from the journal);
- RocksDB (``PARLEY_STORE=rocksdb://``): bytes on disk per entry, written
  through ``StateStore.rocksdb``, after a flush and compaction;
- the state journal: key + value bytes per entry in a delta record (what one
  write of the entry costs on the topic).

Prints one JSON object; RELIABILITY.md turns it into a sizing rule.

    .venv/bin/python scripts/state_memory.py --articles 20000
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import tempfile
import tracemalloc
from collections.abc import Iterator, MutableMapping
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from schemas.models import Actor, Cameo, Event, Evidence, Plover, Temporal  # noqa: E402
from workers.coding.linking import EventLinker, story_id_for, story_key  # noqa: E402
from workers.ingest import Deduplicator, parse_record  # noqa: E402
from workers.journal import StateStore  # noqa: E402
from workers.publish.alerts import AlertEngine, load_alert_rules  # noqa: E402
from workers.settings import DATA_DIR  # noqa: E402
from workers.synthetic import COUNTRIES, article, dyad, every_six_hours  # noqa: E402

NOW = 1_800_000_000.0


class MemoryLayout(MutableMapping[str, Any]):
    """A table of the memory store: each key's value, decoded from JSON.

    Every value goes through JSON as it does when a worker reads the journal back.
    """

    def __init__(self) -> None:
        self.data: dict[str, Any] = {}

    def __getitem__(self, key: str) -> Any:
        return self.data[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.data[key] = json.loads(json.dumps(value))

    def __delitem__(self, key: str) -> None:
        del self.data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.data)

    def __len__(self) -> int:
        return len(self.data)


def actor(country: str) -> Actor:
    return Actor(text=country, canonical=country, country=country[:3].upper(), code=None)


def events_for(i: int, per_article: int, article_id: str) -> list[Event]:
    a, b = dyad(i)
    day = date(2020, 1, 1) + timedelta(days=i % 2000)
    return [
        Event(
            event_id=f"{article_id}-{k}",
            article_id=article_id,
            # Distinct codes: every event its own story (the upper bound).
            cameo=Cameo(code=f"{160 + k % 10}", root="16", label="Reduce relations"),
            plover=Plover(type="SANCTION"),
            quad_class=4,
            goldstein=-4.0,
            source=actor(a),
            target=actor(COUNTRIES[(COUNTRIES.index(b) + k) % len(COUNTRIES)]),
            temporal=Temporal(event_date=day),
            evidence=Evidence(sentence="x", sentence_index=k, trigger="x", start=0, end=1),
            confidence=0.9,
            published_at=datetime(2020, 1, 1, tzinfo=UTC),
        )
        for k in range(per_article)
    ]


def heap_bytes(fill: Any) -> tuple[int, Any]:
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    kept = fill()
    gc.collect()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return after - before, kept


def rocksdb_bytes(table: str, entries: dict[str, Any], directory: Path) -> int:
    path = directory / "state"
    store = StateStore.rocksdb(path)
    store.apply({table: entries})
    store.db.flush()
    store.db.compact_range(None, None)
    store.close()
    return sum(f.stat().st_size for f in path.iterdir() if f.suffix in (".sst", ".log"))


def measure(articles: int, events_per_article: int) -> dict[str, Any]:
    published = every_six_hours(datetime(2019, 1, 1, tzinfo=UTC))
    parsed = [
        parse_record(article("mem", i, 2, published=published(i % 8000)))[0]
        for i in range(articles)
    ]
    rules = load_alert_rules(DATA_DIR / "alert_rules.yaml")

    def fill_dedup() -> MemoryLayout:
        state = MemoryLayout()
        dedup = Deduplicator(state, window_s=7 * 86400)
        for item in parsed:
            dedup.check(item, NOW)
        return state

    def linked(i: int, item: Any) -> Iterator[Event]:
        for event in events_for(i, events_per_article, item.article_id):
            yield event.model_copy(update={"story_id": story_id_for(story_key(event))})

    def fill_links() -> MemoryLayout:
        links = MemoryLayout()
        linker = EventLinker(links, window_s=3 * 86400)
        for i, item in enumerate(parsed):
            for event in events_for(i, events_per_article, item.article_id):
                linker.link(event, item.source, NOW)
        return links

    def fill_alerts() -> MemoryLayout:
        alerts = MemoryLayout()
        engine = AlertEngine(rules, alerts, suppression_window_s=3 * 86400)
        for i, item in enumerate(parsed):
            for event in linked(i, item):
                engine.evaluate(event, NOW)
        return alerts

    dedup_heap, dedup_state = heap_bytes(fill_dedup)
    links_heap, link_state = heap_bytes(fill_links)
    alert_heap, alert_state = heap_bytes(fill_alerts)

    def journal(state: MemoryLayout) -> float:
        compact = (",", ":")
        sizes = [
            len(json.dumps(k)) + len(json.dumps(v, separators=compact)) + 2
            for k, v in state.data.items()
        ]
        return sum(sizes) / max(len(sizes), 1)

    with tempfile.TemporaryDirectory(prefix="parley-state-") as tmp:
        disk = {
            name: rocksdb_bytes(name, state.data, Path(tmp) / name)
            for name, state in (
                ("dedup", dedup_state),
                ("event-links", link_state),
                ("alert-suppression", alert_state),
            )
        }

    def per(total: float, count: int) -> float:
        return round(total / max(count, 1), 1)

    tables = {
        "dedup": (dedup_state, dedup_heap),
        "event-links": (link_state, links_heap),
        "alert-suppression": (alert_state, alert_heap),
    }
    return {
        "articles": articles,
        "events_per_article": events_per_article,
        "tables": {
            name: {
                "entries": len(state),
                "entries_per_article": round(len(state) / articles, 3),
                "memory_store_bytes_per_entry": per(heap, len(state)),
                "rocksdb_disk_bytes_per_entry": per(disk[name], len(state)),
                "journal_bytes_per_entry": round(journal(state), 1),
            }
            for name, (state, heap) in tables.items()
        },
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument(
        "--events-per-article",
        type=int,
        default=5,
        help="Events per article (ordinary news: 3 to 8; the bench's dense text: 23).",
    )
    args = parser.parse_args()
    print(json.dumps(measure(args.articles, args.events_per_article), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
