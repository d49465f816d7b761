"""Where an event happened: an in-sentence place, else the article's dateline.

Place names are resolved with ``workers.nlp.places.resolve_place`` (packaged
gazetteer). Until that module exists, places keep their name and the country
the resolver gave the mention, without coordinates.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from functools import cache, lru_cache
from typing import Any

from schemas.models import Dateline, Location
from workers.nlp.types import Mention

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})


@cache
def _place_resolver() -> Callable[[str], Any] | None:
    try:
        module = importlib.import_module("workers.nlp.places")
    except ImportError:
        return None
    resolver = getattr(module, "resolve_place", None)
    return resolver if callable(resolver) else None


@lru_cache(maxsize=4096)
def locate(name: str, country: str | None = None) -> Location:
    """A Location for a place name, with coordinates when the gazetteer knows it; made
    once per name and country (a frozen model, shared by the events that happen there)."""
    resolver = _place_resolver()
    place = resolver(name) if resolver is not None else None
    if place is None:
        return Location(name=name, country=country)
    return Location(
        name=str(getattr(place, "name", name)),
        country=getattr(place, "country", None) or country,
        lat=getattr(place, "lat", None),
        lon=getattr(place, "lon", None),
    )


def event_location(
    sentence_places: Iterable[Mention],
    dateline: Dateline | None,
    exclude: Iterable[Mention] = (),
) -> Location | None:
    """The first in-sentence place that is not one of the event's actors, else the dateline.

    A country named as source or target ("Russia condemned Ukraine") is an actor,
    not where the event took place; ``exclude`` lists those mentions.
    """
    excluded = {(m.start, m.end) for m in exclude}
    for mention in sentence_places:
        if mention.label in PLACE_LABELS and (mention.start, mention.end) not in excluded:
            return locate(mention.canonical or mention.text, mention.country)
    if dateline is not None:
        return locate(dateline.place, dateline.country)
    return None
