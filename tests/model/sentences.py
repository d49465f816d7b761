"""Coding one of parley's own test sentences with the real model, for the model tests."""

from __future__ import annotations

from datetime import UTC, datetime

from schemas.models import Article, Event
from workers.core import Enricher

PUBLISHED = datetime(2024, 5, 2, 9, tzinfo=UTC)


def code(enricher: Enricher, text: str) -> list[Event]:
    """The asserted (not negated) events of ``text`` as a one-sentence article."""
    article = Article(
        article_id="sentence-test",
        source="test",
        url="https://example.org/a",
        title="",
        body=text,
        language="en",
        published_at=PUBLISHED,
    )
    return [e for e in enricher.enrich(article).events if not e.modality.negated]


def summary(events: list[Event]) -> list[tuple[str, str | None, str | None, str | None]]:
    """(CAMEO code, PLOVER type, source country, target country) of each event, sorted."""
    return sorted(
        (
            e.cameo.code,
            e.plover.type if e.plover else None,
            e.source.country if e.source else None,
            e.target.country if e.target else None,
        )
        for e in events
    )


def assert_coded(
    enricher: Enricher,
    text: str,
    cameo: str | None,
    plover: str | None,
    source: str,
    target: str | None = None,
) -> None:
    """``text`` codes an event with this CAMEO code, PLOVER type, source country and target
    country (None: any code, type or target)."""
    found = summary(code(enricher, text))
    assert any(
        cameo in {None, c} and plover in {None, p} and s == source and target in {None, t}
        for c, p, s, t in found
    ), f"{text!r}: {found}"
