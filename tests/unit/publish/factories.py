"""Hand-built payloads for the contract tests (no model, no broker)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from schemas.models import (
    Actor,
    Article,
    Cameo,
    EnrichedArticle,
    Event,
    Evidence,
    Location,
    Modality,
    ModelInfo,
    Plover,
    Temporal,
)

PUBLISHED = datetime(2024, 3, 2, 9, 30, tzinfo=UTC)


def actor(country: str | None, code: str | None = None, name: str = "") -> Actor:
    return Actor(
        text=name or (country or "someone"),
        canonical=name or (country or "someone"),
        country=country,
        role="GOV",
        code=code if code is not None else (f"{country}GOV" if country else None),
    )


def event(
    *,
    event_id: str = "ev-1",
    article_id: str = "art-1",
    source: str | None = "RUS",
    target: str | None = "USA",
    cameo: str = "166",
    plover: str = "SANCTION",
    quad_class: int = 4,
    goldstein: float = -7.0,
    trigger: str = "expel diplomats",
    event_date: date | None = date(2024, 3, 2),
    location: str | None = "Moscow",
    confidence: float = 0.8,
    negated: bool = False,
    hypothetical: bool = False,
    historical: bool = False,
    mentions: int = 1,
    story_id: str | None = None,
    **extra: Any,
) -> Event:
    sentence = "Moscow said on Saturday it would expel ten American diplomats."
    return Event(
        event_id=event_id,
        article_id=article_id,
        cameo=Cameo(code=cameo, root=cameo[:2], label="Expel or withdraw"),
        plover=Plover(type=plover),
        quad_class=quad_class,
        goldstein=goldstein,
        source=actor(source) if source else None,
        target=actor(target) if target else None,
        modality=Modality(negated=negated, hypothetical=hypothetical),
        temporal=Temporal(event_date=event_date, historical=historical),
        location=Location(name=location, country="RUS", lat=55.75, lon=37.62) if location else None,
        evidence=Evidence(sentence=sentence, sentence_index=0, trigger=trigger, start=0, end=6),
        confidence=confidence,
        mentions=mentions,
        story_id=story_id,
        published_at=PUBLISHED,
        **extra,
    )


def article(article_id: str = "art-1", version: int = 1) -> Article:
    return Article(
        article_id=article_id,
        title="Moscow expels American diplomats",
        body="Moscow said on Saturday it would expel ten American diplomats.",
        source="Example Wire",
        url=f"https://news.example/{article_id}",
        published_at=PUBLISHED,
        version=version,
        is_update=version > 1,
    )


def enriched(article_id: str = "art-1", version: int = 1) -> EnrichedArticle:
    inner = article(article_id, version)
    return EnrichedArticle(
        article=inner,
        text=f"{inner.title}\n\n{inner.body}",
        events=[event(article_id=article_id)],
        model=ModelInfo(name="en_core_web_sm", version="3.8.0"),
        parley_version="0.1.0",
        enriched_at=datetime(2024, 3, 2, 9, 31, tzinfo=UTC),
    )
