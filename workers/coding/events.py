"""Event coding over the dependency parse (minimal version: no events yet)."""

from __future__ import annotations

from schemas.models import Article, Event
from workers.nlp.types import ResolvedDoc


def extract_events(resolved: ResolvedDoc, article: Article) -> list[Event]:
    return []
