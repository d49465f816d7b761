"""The region list (workers/data/gazetteer/regions.yaml): its data rules, and how its names
resolve in text, in particular that a region wins over the country named inside it."""

from __future__ import annotations

from importlib import resources
from typing import Any

import pytest
import yaml
from spacy.language import Language

from workers.nlp.gazetteer import load_gazetteer
from workers.nlp.places import countries, normalize, resolve_place


def _regions() -> list[dict[str, Any]]:
    path = resources.files("workers.data.gazetteer").joinpath("regions.yaml")
    loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(loaded, list)
    return loaded


def _surface_forms(region: dict[str, Any]) -> list[str]:
    return [region["name"], *region["aliases"]]


def test_every_region_is_attached_to_a_known_state_with_a_plausible_point() -> None:
    known = countries()
    for region in _regions():
        assert region["country"] in known, region
        assert -90 <= region["lat"] <= 90 and -180 <= region["lon"] <= 180, region
        # Rounded to 0.1 degree, as the header says.
        assert round(region["lat"], 1) == region["lat"], region
        assert round(region["lon"], 1) == region["lon"], region


def test_no_region_name_is_a_country_name_or_demonym() -> None:
    country_forms = {
        normalize(name)
        for record in countries().values()
        for name in (*record.names, *record.adjectives, *record.people)
    }
    clashes = [
        (region["name"], form)
        for region in _regions()
        for form in _surface_forms(region)
        if normalize(form) in country_forms
    ]
    assert clashes == []


def test_no_name_is_listed_for_two_regions() -> None:
    seen: dict[str, str] = {}
    for region in _regions():
        for form in _surface_forms(region):
            assert form not in seen, (form, seen.get(form), region["name"])
            seen[form] = region["name"]


@pytest.mark.parametrize(
    ("name", "iso3"),
    [
        ("Niger Delta", "NGA"),
        ("Helmand", "AFG"),
        ("Balochistan", "PAK"),
        ("Mindanao", "PHL"),
        ("Aceh", "IDN"),
        ("Ogaden", "ETH"),
        ("Chechnya", "RUS"),
        ("Basque Country", "ESP"),
        ("Casamance", "SEN"),
        ("Cabinda", "AGO"),
        ("Anbar", "IRQ"),
        ("Sinai", "EGY"),
        ("Kashmir", "IND"),
        ("Azad Kashmir", "PAK"),
        ("Kurdistan", "IRQ"),
        ("Kurdistan province", "IRN"),
        ("Northern Ireland", "GBR"),
        # A region wins over a smaller city of the same name elsewhere.
        ("Natal", "ZAF"),
    ],
)
def test_region_names_resolve_to_the_attached_state(name: str, iso3: str) -> None:
    place = resolve_place(name)
    assert place is not None
    assert (place.country, place.kind) == (iso3, "region")


def _ents(nlp: Language, text: str) -> list[tuple[str, str]]:
    return [(e.text, e.kb_id_) for e in nlp(text).ents]


def test_niger_delta_beats_the_country_niger_inside_it(blank_nlp: Language) -> None:
    assert _ents(blank_nlp, "Gunmen blew up a pipeline in the Niger Delta overnight.") == [
        ("Niger Delta", "R.Niger Delta")
    ]
    # The country alone is still the country, and the lower-case "delta" of wire copy counts.
    assert _ents(blank_nlp, "Niger closed its border as unrest grew in the Niger delta.") == [
        ("Niger", "C.NER"),
        ("Niger delta", "R.Niger Delta"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Ballots were counted across Northern Ireland.",
            [("Northern Ireland", "R.Northern Ireland")],
        ),
        ("Herders clashed in Inner Mongolia.", [("Inner Mongolia", "R.Inner Mongolia")]),
        ("Flooding hit West Azerbaijan province.", [("West Azerbaijan", "R.West Azerbaijan")]),
        ("Troops were deployed in Niger State.", [("Niger State", "R.Niger State")]),
        (
            "Shelling was reported in Pakistan-administered Kashmir.",
            [("Pakistan-administered Kashmir", "R.Azad Kashmir")],
        ),
        ("Drought spread in British Columbia.", [("British Columbia", "R.British Columbia")]),
    ],
)
def test_longer_region_name_beats_the_country_or_demonym_inside_it(
    blank_nlp: Language, text: str, expected: list[tuple[str, str]]
) -> None:
    assert _ents(blank_nlp, text) == expected


def test_region_entity_carries_its_state(blank_nlp: Language) -> None:
    entries = load_gazetteer().entries
    doc = blank_nlp("Separatists in Casamance and rebels in Helmand laid down arms.")
    assert [(e.text, e.label_, entries[e.kb_id_].country) for e in doc.ents] == [
        ("Casamance", "LOC", "SEN"),
        ("Helmand", "LOC", "AFG"),
    ]
