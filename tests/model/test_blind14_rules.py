"""Issue 12: the failure classes blind14 showed at first contact, each fixed in general form.

Every sentence here is parley's own and none is a blind14 sentence.
"""

from __future__ import annotations

import pytest

from tests.model.sentences import assert_coded, code, summary
from workers.core import Enricher

pytestmark = pytest.mark.model

CODED = [
    # "work together" is cooperation (060)
    ("Peru and Bolivia worked together to dismantle the smuggling ring.", "060", "PER", "BOL"),
    # airlifted relief, evacuated wounded: humanitarian aid (073)
    (
        "Qatar airlifted tents and blankets to Afghanistan after the earthquake.",
        "073",
        "QAT",
        "AFG",
    ),
    (
        "The Red Crescent evacuated wounded civilians from the besieged town of Kobani.",
        "073",
        "IGO",
        None,
    ),
    # cut or suspended contacts reduce relations (161)
    ("Algeria suspended contacts with the French embassy over the remarks.", "161", "DZA", "FRA"),
    # handing back is returning (084)
    ("Kyrgyzstan handed back the bodies of three Tajik border guards.", "084", "KGZ", "TJK"),
    # armoured vehicles are military aid (072), promised ones AGREE
    ("Norway will deliver 20 armored vehicles to Ukraine.", "072", "NOR", "UKR"),
    # a boycott by a sector of society is dissent (143)
    ("Nigerian doctors boycotted public hospitals over unpaid salaries.", "143", "NGA", None),
    # warplanes and paratroopers sent to a border are a deployment (154)
    ("India sent warplanes and paratroopers to the Chinese border.", "154", "IND", None),
]


@pytest.mark.parametrize(("text", "cameo", "source", "target"), CODED)
def test_blind14_classes_are_coded(
    enricher: Enricher, text: str, cameo: str, source: str, target: str | None
) -> None:
    assert_coded(enricher, text, cameo, None, source, target)


def test_the_yielding_a_participle_introduces_is_the_act_itself(enricher: Enricher) -> None:
    text = "Bowing to pressure from the unions, Portugal's government released the frozen wages."
    found = summary(code(enricher, text))
    assert [c[:2] for c, *_ in found] == ["08"] and len(found) == 1, found


def test_carrying_someone_somewhere_is_no_visit(enricher: Enricher) -> None:
    found = summary(code(enricher, "The Ukrainian navy flew the rescued sailors to Odessa."))
    assert not [f for f in found if f[1] == "CONSULT"], found


def test_a_promise_to_fight_a_crime_is_cooperation_not_a_threat(enricher: Enricher) -> None:
    found = summary(
        code(enricher, "Greece and Bulgaria pledged to fight human trafficking together.")
    )
    assert found and {p for _, p, _, _ in found} == {"AGREE"}, found
