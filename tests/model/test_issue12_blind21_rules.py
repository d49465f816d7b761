"""Issue 12: the classes blind21 and the target-country misses of sets 16-20 showed
(a person known only by a national title, domestic acts' recipients, a verb's more
specific entry, journeys for talks, warnings of a state), each fixed in general form.

Every sentence here is parley's own; none is a sentence of any blind set.
"""

from __future__ import annotations

import pytest

from tests.model.sentences import assert_coded, code, summary
from workers.core import Enricher

pytestmark = pytest.mark.model

CODED = [
    # a person the gazetteer does not know takes the country of his own title phrase
    (
        "Argentina granted asylum on Monday to former Bolivian army commander General Hugo"
        " Banzer, officials said.",
        "075",
        "AID",
        "ARG",
        "BOL",
    ),
    (
        "A Belgian court indicted former Congolese warlord Thomas Kabila on Friday on charges"
        " of torture.",
        "173",
        "ACCUSE",
        "BEL",
        "COG",
    ),
    (
        "The United States accused Serbian police chief Dragan Petrovic of ordering the killings.",
        "112",
        "ACCUSE",
        "USA",
        "SRB",
    ),
    # a domestic act with no recipient named is directed at the actor's own country
    (
        "Dock workers in Chile began an indefinite strike against the new pension law.",
        "143",
        "PROTEST",
        "CHL",
        "CHL",
    ),
    (
        "Egyptian police arrested dozens of opposition supporters on Friday.",
        "173",
        "COERCE",
        "EGY",
        "EGY",
    ),
    # a recipient named but of no country takes the actor's
    (
        "Colombian soldiers arrested two rebel commanders near the border with Venezuela.",
        "173",
        "COERCE",
        "COL",
        "COL",
    ),
    # an attack coded from its place keeps the place as recipient
    (
        "Gunmen attacked a police station in northern Mali on Sunday, killing six officers.",
        "190",
        "ASSAULT",
        "MLI",
        "MLI",
    ),
    # the entry whose objects fit wins over the verb's entry of a preposition alone
    (
        "Germany flew food, blankets and medicine to Pakistan on Thursday for flood victims.",
        "073",
        "AID",
        "DEU",
        "PAK",
    ),
    # a journey whose purpose is a meeting is a visit
    (
        "The Kenyan foreign minister flew into Addis Ababa on Monday for talks with Ethiopian"
        " officials.",
        "042",
        "CONSULT",
        "KEN",
        "ETH",
    ),
    # a show of force's purpose names whom it is readied against
    (
        "Japan mobilized naval reservists for a possible conflict with China.",
        "154",
        "MOBILIZE",
        "JPN",
        "CHN",
    ),
    # calling up forces is a mobilization, not an appeal ("on Monday" is no "call on")
    ("Hungary called up 20,000 reservists on Monday.", "154", "MOBILIZE", "HUN", None),
    # declaring diplomats unwelcome is expelling them, whatever the parser makes of the Latin
    (
        "Poland declared two Belarusian diplomats persona non grata on Friday.",
        "166",
        "SANCTION",
        "POL",
        "BLR",
    ),
    # a warning that someone will act is a threat
    ("Iran warned that it would close the strait if attacked.", "130", "THREATEN", "IRN", None),
    (
        "Seoul warned Pyongyang that further tests would bring sanctions.",
        "130",
        "THREATEN",
        "KOR",
        "PRK",
    ),
]


@pytest.mark.parametrize(("text", "cameo", "plover", "source", "target"), CODED)
def test_class_is_coded(
    enricher: Enricher,
    text: str,
    cameo: str | None,
    plover: str | None,
    source: str,
    target: str | None,
) -> None:
    assert_coded(enricher, text, cameo, plover, source, target)


def test_a_state_mobilizing_its_own_forces_still_has_no_recipient(enricher: Enricher) -> None:
    found = summary(code(enricher, "Britain mobilized its army reservists."))
    assert found == [("154", "MOBILIZE", "GBR", None)], found


def test_a_named_attacker_is_not_its_own_recipient_by_the_place(enricher: Enricher) -> None:
    found = summary(code(enricher, "A Turkish drone strike hit a village in Turkey on Friday."))
    assert ("195", "ASSAULT", "TUR", "TUR") not in found, found


def test_a_foreign_attack_is_not_directed_at_the_attacker(enricher: Enricher) -> None:
    found = summary(
        code(enricher, "Russian artillery shelled a market in the Ukrainian town of Izium.")
    )
    assert found == [("194", "ASSAULT", "RUS", "UKR")], found


def test_the_unwelcome_formula_needs_a_declaring_verb(enricher: Enricher) -> None:
    found = summary(code(enricher, "The phrase persona non grata comes from Latin."))
    assert found == [], found


def test_a_warning_of_how_things_are_is_no_threat(enricher: Enricher) -> None:
    found = summary(
        code(enricher, "The minister warned that the economy was heading into recession.")
    )
    assert found == [], found


def test_a_domestic_recipient_is_coded_as_the_country_alone(enricher: Enricher) -> None:
    events = code(enricher, "Egyptian police arrested dozens of opposition supporters on Friday.")
    assert len(events) == 1
    target = events[0].target
    assert target is not None
    assert (target.country, target.code, target.canonical) == ("EGY", "EGY", "Egypt")
