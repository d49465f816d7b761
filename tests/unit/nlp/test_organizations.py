"""The organisation list (workers/data/gazetteer/organizations.yaml): its data rules, and how
armed groups, movements and parties resolve in text to a country and a dated role."""

from __future__ import annotations

from datetime import UTC, date, datetime
from importlib import resources
from itertools import pairwise
from typing import Any

import pytest
import yaml
from spacy.language import Language

from workers.nlp.gazetteer import load_gazetteer
from workers.nlp.places import countries, normalize
from workers.nlp.resolve import resolve_doc

# The CAMEO actor-codebook roles the header says the non-IGO entries use.
_ALLOWED_ROLES = frozenset({"REB", "OPP", "GOV", "MIL", "SPY", "COP", "LEG"})
# Bare names the header says are left out because they are also common words or
# other bodies' acronyms.
_AMBIGUOUS_BARE_NAMES = frozenset(
    {
        "IRA",
        "PTI",
        "PPP",
        "FSA",
        "KIA",
        "INC",
        "EFF",
        "ADF",
        "AAP",
        "TMC",
        "DPR",
        "Labour",
        "Labor",
        "Labour Party",
        "Labor Party",
        "Congress",
        "Communist Party",
        "the Communist Party",
        "Conservative Party",
        "Democratic Party",
        "Republican Party",
        "Maoists",
    }
)


def _organizations() -> list[dict[str, Any]]:
    path = resources.files("workers.data.gazetteer").joinpath("organizations.yaml")
    loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(loaded, list)
    return loaded


def _surface_forms(org: dict[str, Any]) -> list[str]:
    return [org["name"], *org["aliases"]]


def _groups() -> list[dict[str, Any]]:
    return [org for org in _organizations() if not org.get("igo")]


def test_the_list_covers_at_least_two_hundred_organisations() -> None:
    assert len(_organizations()) >= 200


def test_ids_are_unique_and_prefixed() -> None:
    ids = [org["id"] for org in _organizations()]
    assert len(ids) == len(set(ids))
    assert all(kb_id.startswith("ORG.") for kb_id in ids)


def test_no_surface_form_is_listed_twice() -> None:
    seen: dict[str, str] = {}
    for org in _organizations():
        for form in _surface_forms(org):
            assert form not in seen, (form, seen.get(form), org["id"])
            seen[form] = org["id"]


def test_every_surface_form_resolves_to_its_own_organisation() -> None:
    # No country, person, region or city of the same spelling shadows an organisation.
    gaz = load_gazetteer()
    shadowed = [
        (form, gaz.names[form][0])
        for org in _organizations()
        for form in _surface_forms(org)
        if gaz.names[form][0] != org["id"]
    ]
    assert shadowed == []


def test_no_organisation_name_is_a_country_name_or_demonym() -> None:
    country_forms = {
        normalize(name)
        for record in countries().values()
        for name in (*record.names, *record.adjectives, *record.people)
    }
    clashes = [
        form
        for org in _organizations()
        for form in _surface_forms(org)
        if normalize(form) in country_forms
    ]
    assert clashes == []


def test_ambiguous_bare_names_are_not_aliases() -> None:
    listed = {form for org in _organizations() for form in _surface_forms(org)}
    assert listed & _AMBIGUOUS_BARE_NAMES == set()


def test_igo_codes_are_three_characters_and_unique() -> None:
    codes = [org["code"] for org in _organizations() if org.get("igo")]
    assert all(len(code) == 3 and code.isalnum() and code == code.upper() for code in codes)
    assert len(codes) == len(set(codes))


def test_group_roles_use_known_countries_and_cameo_roles() -> None:
    known = countries()
    for org in _groups():
        assert org["roles"], org["id"]
        for country, role, _, _ in org["roles"]:
            assert country in known, (org["id"], country)
            assert role in _ALLOWED_ROLES, (org["id"], role)


def _spell_bounds(spell: list[Any]) -> tuple[date, date]:
    _, _, start, end = spell
    return (start or date.min, end or date.max)


def test_group_role_spells_are_ordered_and_do_not_overlap() -> None:
    for org in _groups():
        bounds = [_spell_bounds(spell) for spell in org["roles"]]
        for start, end in bounds:
            assert isinstance(start, date) and isinstance(end, date), org["id"]
            assert start <= end, org["id"]
        for (_, earlier_end), (later_start, _) in pairwise(bounds):
            assert earlier_end < later_start, org["id"]


def test_dated_spells_leave_no_gap_between_them() -> None:
    # A gap would code the group ELI ("former official") on the days inside it.
    for org in _groups():
        bounds = [_spell_bounds(spell) for spell in org["roles"]]
        for (_, earlier_end), (later_start, _) in pairwise(bounds):
            assert (later_start - earlier_end).days == 1, org["id"]


def test_the_last_spell_of_every_group_is_open() -> None:
    # A closed last spell would code every later mention of the group ELI.
    assert [org["id"] for org in _groups() if org["roles"][-1][3] is not None] == []


def _codes(nlp: Language, text: str, day: date) -> list[tuple[str, str | None]]:
    published = datetime(day.year, day.month, day.day, tzinfo=UTC)
    return [(m.text, m.actor_code) for m in resolve_doc(nlp(text), published).mentions]


@pytest.mark.parametrize(
    ("text", "surface", "code"),
    [
        ("Gunmen from Abu Sayyaf seized a ferry off the island.", "Abu Sayyaf", "PHLREB"),
        ("A FARC commander handed over his rifle.", "FARC", "COLREB"),
        ("Talks with the ELN resumed in Havana.", "ELN", "COLREB"),
        ("The Tamil Tigers denied the claim.", "Tamil Tigers", "LKAREB"),
        ("The PKK said its fighters had withdrawn.", "PKK", "TURREB"),
        ("A video attributed to al-Qaeda surfaced online.", "al-Qaeda", "AFGREB"),
        ("Officials blamed AQAP for the plot.", "AQAP", "YEMREB"),
        ("The Polisario Front walked out of the meeting.", "Polisario Front", "ESHREB"),
        ("The MILF signed the accord.", "MILF", "PHLREB"),
        ("The New People's Army ambushed a patrol.", "New People's Army", "PHLREB"),
        ("Shining Path remnants were blamed.", "Shining Path", "PERREB"),
        ("Former KLA commanders went on trial.", "KLA", "XKXREB"),
        ("The Lord's Resistance Army raided a village.", "Lord's Resistance Army", "UGAREB"),
        ("M23 took the border post.", "M23", "CODREB"),
        ("The Janjaweed burned the market.", "Janjaweed", "SDNMIL"),
        ("Lashkar-e-Taiba denied any role.", "Lashkar-e-Taiba", "PAKREB"),
        ("The ULFA called a strike.", "ULFA", "INDREB"),
        ("Naxalites blew up a railway line.", "Naxalites", "INDREB"),
        ("Peshmerga units moved north.", "Peshmerga", "IRQMIL"),
        ("The SDF handed over the prisoners.", "SDF", "SYRREB"),
        ("Jemaah Islamiyah recruited students.", "Jemaah Islamiyah", "IDNREB"),
        ("The Pakistani Taliban claimed the blast.", "Pakistani Taliban", "PAKREB"),
        ("ZANU-PF won the by-election.", "ZANU-PF", "ZWEGOV"),
        ("The Muslim Brotherhood denied the charge.", "Muslim Brotherhood", "EGYOPP"),
        ("The Congress party walked out of parliament.", "Congress party", "INDOPP"),
        ("Huthi rebels seized a tanker.", "Huthi rebels", "YEMREB"),
        ("Al Shabaab fighters overran a base.", "Al Shabaab", "SOMREB"),
        ("The Red Shirts rallied again.", "Red Shirts", "THAOPP"),
    ],
)
def test_group_resolves_to_its_country_and_role(
    blank_nlp: Language, text: str, surface: str, code: str
) -> None:
    assert (surface, code) in _codes(blank_nlp, text, date(2019, 6, 1))


@pytest.mark.parametrize(
    ("text", "day", "code"),
    [
        ("The BJP held a rally.", date(2010, 3, 1), "INDOPP"),
        ("The BJP held a rally.", date(2014, 5, 26), "INDGOV"),
        ("UNITA issued a statement.", date(1995, 1, 1), "AGOREB"),
        ("UNITA issued a statement.", date(2010, 1, 1), "AGOOPP"),
        ("The Awami League issued a statement.", date(2020, 1, 1), "BGDGOV"),
        ("The Awami League issued a statement.", date(2025, 1, 1), "BGDOPP"),
        ("The RSF issued a statement.", date(2022, 1, 1), "SDNMIL"),
        ("The RSF issued a statement.", date(2023, 4, 15), "SDNREB"),
        ("The SPLA issued a statement.", date(2005, 1, 1), "SDNREB"),
        ("The SPLA issued a statement.", date(2015, 1, 1), "SSDGOV"),
        ("The ANC issued a statement.", date(1985, 1, 1), "ZAFREB"),
        ("The ANC issued a statement.", date(2000, 1, 1), "ZAFGOV"),
        ("Likud issued a statement.", date(2021, 9, 1), "ISROPP"),
        ("Likud issued a statement.", date(2023, 1, 1), "ISRGOV"),
        ("Republicans issued a statement.", date(2012, 1, 1), "USAOPP"),
        ("Republicans issued a statement.", date(2019, 1, 1), "USAGOV"),
        ("Brazil's Workers' Party issued a statement.", date(2017, 1, 1), "BRAOPP"),
        ("Brazil's Workers' Party issued a statement.", date(2024, 1, 1), "BRAGOV"),
        ("The Party of Regions issued a statement.", date(2012, 1, 1), "UKRGOV"),
        ("The Party of Regions issued a statement.", date(2015, 1, 1), "UKROPP"),
    ],
)
def test_party_and_group_roles_follow_the_article_date(
    blank_nlp: Language, text: str, day: date, code: str
) -> None:
    first_mention = _codes(blank_nlp, text, day)[0]
    assert first_mention[1] == code, first_mention


def test_longest_name_wins_over_a_shorter_alias(blank_nlp: Language) -> None:
    # "al-Qaeda in the Arabian Peninsula" is AQAP (YEM), not al-Qaeda (AFG) plus a region.
    codes = _codes(
        blank_nlp, "Fighters of al-Qaeda in the Arabian Peninsula left.", date(2015, 1, 1)
    )
    assert codes == [("al-Qaeda in the Arabian Peninsula", "YEMREB")]


def test_acronym_matching_is_case_sensitive(blank_nlp: Language) -> None:
    # Lower-case or title-case spellings of acronyms are not the groups.
    assert _codes(blank_nlp, "Farc, pkk and Eta were typed in haste.", date(2015, 1, 1)) == []
