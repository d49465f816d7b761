"""Cross-article linking: reports of one real-world event become one story.

Events with the same (event date, source, target, CAMEO code) seen within
``window_s`` of the story's first report are one real-world event. The first
report is emitted as is; later ones come out with ``is_update=True`` and
growing ``mentions`` (distinct event ids: replays and at-least-once duplicates
count once) and ``sources`` (distinct outlets), which is what GDELT's
NumMentions/NumSources count, except that here they are updated.

How the key treats missing parts:

- actors are identified by code, else country, else canonical name; a missing
  actor is an empty slot ("RUSGOV||166" for "Russia expelled diplomats");
- an event with neither source nor target cannot be told apart from any other
  event of its type, so it is never linked across articles: its key includes
  its own article id;
- no resolved event date: the publication date stands in (reports of the same
  day's news link), else the event is keyed "undated";
- negated and hypothetical reports are kept apart from factual ones ("did not
  expel" is not a report of an expulsion).

The state (``workers.journal.StateStore`` in the worker) holds per story
small JSON values: first/last seen times, counters, and at most
``MAX_TRACKED`` 8-byte hashes of event ids (each with the decision given for
it, so a replayed event gets the same answer) and of sources. Past that cap
counting goes on without dedup, which can only over-count a story that
already has hundreds of reports.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, MutableMapping
from typing import Any

from schemas.models import Actor, Event

MAX_TRACKED = 256
STORY_PREFIX = "story-"


def _digest(text: str, chars: int = 16) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:chars]


def _actor_id(actor: Actor | None) -> str:
    if actor is None:
        return ""
    return actor.code or actor.country or actor.canonical


def story_key(event: Event) -> str:
    """The linking key of an event (see the module docstring for missing parts)."""
    when = event.temporal.event_date or (
        event.published_at.date() if event.published_at is not None else None
    )
    parts = [
        when.isoformat() if when is not None else "undated",
        _actor_id(event.source),
        _actor_id(event.target),
        event.cameo.code,
    ]
    if event.source is None and event.target is None:
        parts.append(f"article:{event.article_id}")
    if event.modality.negated:
        parts.append("negated")
    if event.modality.hypothetical:
        parts.append("hypothetical")
    return "|".join(parts)


def story_id_for(key: str) -> str:
    return STORY_PREFIX + _digest(key, 24)


def link_keys(event: Event, article_source: str | None) -> tuple[str, str, str]:
    """What linking needs of one event: its story id, its event hash and its outlet hash.

    Pure, so the NLP process computes it and the worker only does the
    stateful part (``EventLinker.observe``).
    """
    story_id = story_id_for(story_key(event))
    # An article without a named outlet counts as its own source.
    source_hash = _digest(article_source or f"article:{event.article_id}")
    return story_id, _digest(event.event_id), source_hash


class EventLinker:
    def __init__(self, state: MutableMapping[str, dict[str, Any]], window_s: float) -> None:
        self.state = state
        self.window_s = window_s

    def is_expired(self, entry: Mapping[str, Any], now: float) -> bool:
        """A story's window runs from its first report (later reports do not extend it)."""
        return now - float(entry["first_seen"]) > self.window_s

    def observe(
        self, story_id: str, event_hash: str, source_hash: str, now: float
    ) -> tuple[int, int, bool]:
        """Count one report of a story; returns (mentions, sources, is_update).

        The answer given for an event is recorded in the story (``decisions``,
        one ``[mentions, sources, is_update]`` per tracked event hash), and a
        replay of the same event (at-least-once redelivery after a crash)
        gets exactly that answer back, whatever other reports of the story
        came in meanwhile: a repeated output is identical to its first copy.
        """
        entry = self.state.get(story_id)
        if entry is None or self.is_expired(entry, now):
            entry = {
                "first_seen": now,
                "last_seen": now,
                "first_event": "",
                "mentions": 0,
                "sources": 0,
                "event_hashes": [],
                "decisions": [],
                "source_hashes": [],
            }
        else:
            hashes = entry["event_hashes"]
            decisions = entry.get("decisions")
            if event_hash in hashes and decisions is not None:
                # A replay: the answer first given, and nothing to write.
                mentions, sources, is_update = decisions[hashes.index(event_hash)]
                return int(mentions), int(sources), bool(is_update)
            # Copy: the value is staged and journaled as a whole (workers/overlay.py).
            entry = {
                **entry,
                "event_hashes": list(hashes),
                "decisions": list(decisions if decisions is not None else ()),
                "source_hashes": list(entry["source_hashes"]),
            }

        tracked = event_hash in entry["event_hashes"]
        if not tracked:
            entry["mentions"] += 1
            if not entry["first_event"]:
                entry["first_event"] = event_hash
            if source_hash not in entry["source_hashes"]:
                entry["sources"] += 1
                if len(entry["source_hashes"]) < MAX_TRACKED:
                    entry["source_hashes"].append(source_hash)
        decision = (
            max(1, int(entry["mentions"])),
            max(1, int(entry["sources"])),
            event_hash != entry["first_event"],
        )
        if not tracked and len(entry["event_hashes"]) < MAX_TRACKED:
            entry["event_hashes"].append(event_hash)
            entry["decisions"].append([decision[0], decision[1], int(decision[2])])
        entry["last_seen"] = max(float(entry["last_seen"]), now)
        self.state[story_id] = entry
        return decision

    def link(self, event: Event, article_source: str | None, now: float) -> Event:
        """The event with its story id, mention and source counts and update flag."""
        story_id, event_hash, source_hash = link_keys(event, article_source)
        mentions, sources, is_update = self.observe(story_id, event_hash, source_hash, now)
        return event.model_copy(
            update={
                "story_id": story_id,
                "mentions": mentions,
                "sources": sources,
                "is_update": is_update,
                "article_source": event.article_source or article_source,
            }
        )

    def expire(self, now: float) -> int:
        """Drop stories whose window has passed; returns how many were dropped."""
        expired = [key for key, entry in list(self.state.items()) if self.is_expired(entry, now)]
        for key in expired:
            del self.state[key]
        return len(expired)
