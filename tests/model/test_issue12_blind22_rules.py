"""Issue 12: the classes own set 22 showed (data handed on, a border sealed, a phrasal verb
with "off", a preposition the dictionary misread as a particle, an expulsion's terms, a
phrase the parser hangs off the object, a unit of doctors, an auxiliary "struck", property
seized from its owner), each fixed in general form.

Every sentence here is parley's own; none is a sentence of any blind set.
"""

from __future__ import annotations

import pytest

from tests.model.sentences import assert_coded, code, summary
from workers.core import Enricher

pytestmark = pytest.mark.model

CODED = [
    # data handed on is shared intelligence (the lemmatizer gives "data" as "datum")
    ("Peru passed satellite data to Chile's navy.", "064", "COOPERATE", "PER", "CHL"),
    # a border or its crossings sealed; the side sealed off is the recipient
    (
        "Turkey sealed the crossings into northern Syria on Friday.",
        "172",
        "COERCE",
        "TUR",
        "SYR",
    ),
    ("Algeria sealed its border with Morocco.", "172", "COERCE", "DZA", "MAR"),
    # a visit called off is reduced relations, as a cancelled visit is in the gold records
    (
        "The Indian foreign minister called off a planned trip to Islamabad.",
        "160",
        "SANCTION",
        "IND",
        "PAK",
    ),
    # an envoy of any title expelled is a diplomatic expulsion, its terms no ultimatum
    (
        "Kenya expelled the British high commissioner, giving him two days to leave.",
        "166",
        "SANCTION",
        "KEN",
        "GBR",
    ),
    # a phrase of the verb hung off its object by the parser
    (
        "Iran put its missile batteries on combat alert after the incident.",
        "152",
        "MOBILIZE",
        "IRN",
        None,
    ),
    # a unit counts what it is made of: a brigade of doctors is aid, of soldiers a deployment
    ("Venezuela sent a brigade of nurses to Bolivia.", "073", "AID", "VEN", "BOL"),
    ("Venezuela sent a brigade to the border.", "154", "MOBILIZE", "VEN", None),
    # "struck" the parser makes an auxiliary is still the verb strike
    (
        "Saudi warplanes struck suspected rebel depots in northern Yemen.",
        "190",
        "ASSAULT",
        "SAU",
        "YEM",
    ),
    # a weapons test is a show of force, not an attack
    ("Pakistan test-fired a cruise missile on Monday.", "150", "MOBILIZE", "PAK", None),
    ("India conducted a nuclear test in the desert.", "150", "MOBILIZE", "IND", None),
    # peacekeepers, inspectors and aid agencies expelled (CAMEO 1661-1663)
    ("Burundi expelled three foreign aid agencies.", "1663", "SANCTION", "BDI", None),
    ("Iraq expelled the UN arms inspectors on Friday.", "1662", "SANCTION", "IRQ", "IGO"),
    # an office named by its title alone acts for the state of the sentence's earlier act
    (
        "Ghana recalled its envoy from Togo on Monday, and the president accused Togo of"
        " harbouring rebels.",
        "112",
        "ACCUSE",
        "GHA",
        "TGO",
    ),
    # property seized is taken from its owner, a territory stays an occupation
    (
        "Argentine troops took control of oil fields operated by a Spanish company.",
        "1711",
        "COERCE",
        "ARG",
        "ESP",
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


def test_a_place_in_the_object_phrase_is_no_yielding(enricher: Enricher) -> None:
    # the dictionary's "give" + "in" (080) is the particle of "gave in", not a place
    found = summary(code(enricher, "Chad's president gave the police new powers in the capital."))
    assert all(event[1] != "CONCEDE" for event in found), found


def test_giving_in_is_still_yielding(enricher: Enricher) -> None:
    found = summary(code(enricher, "Nepal's government gave in to the strikers on Monday."))
    assert [event[:3] for event in found] == [("080", "CONCEDE", "NPL")], found


def test_a_pulled_back_force_keeps_its_object_code(enricher: Enricher) -> None:
    # particles other than "off" keep the bare verb's patterns in competition
    found = summary(code(enricher, "Serbia pulled its troops back from the border."))
    assert [event[:3] for event in found] == [("0874", "RETREAT", "SRB")], found


def test_taking_a_town_is_still_an_occupation(enricher: Enricher) -> None:
    found = summary(code(enricher, "Rebels in Mali took control of the town of Gao."))
    assert [event[:2] for event in found] == [("192", "ASSAULT")], found


def test_a_title_with_a_country_of_its_own_keeps_it(enricher: Enricher) -> None:
    found = summary(
        code(
            enricher,
            "Ghana recalled its envoy from Togo, and the Togolese president accused Accra of"
            " lying.",
        )
    )
    assert ("112", "ACCUSE", "TGO", "GHA") in found, found


def test_a_missile_fired_at_a_town_is_still_an_attack(enricher: Enricher) -> None:
    found = summary(code(enricher, "Rebels fired rockets at the Ugandan town of Gulu."))
    assert [event[1] for event in found] == ["ASSAULT"], found
