"""Issue 12: the classes own set 26 (reported clauses, act nouns, passives) showed, each
fixed in general form.

Every sentence here is parley's own; none is a sentence of any blind set.
"""

from __future__ import annotations

import pytest

from tests.model.sentences import assert_coded, code, summary
from workers.core import Enricher

pytestmark = pytest.mark.model

CODED = [
    # a confirmed act noun is asserted, its "of" object looked through counting nouns
    (
        "Turkish officials confirmed the deployment of thousands of extra soldiers.",
        "154",
        "MOBILIZE",
        "TUR",
        None,
    ),
    # a curfew imposed on a city, no agent named: the measure of the city's state
    (
        "A night curfew was imposed on the Ethiopian town of Gondar after the clashes.",
        "1723",
        "COERCE",
        "ETH",
        "ETH",
    ),
    # the speaker's own forces: "its troops", or units moved by no named actor
    (
        "Kenya's army said that its soldiers had killed a dozen al-Shabaab gunmen.",
        "190",
        "ASSAULT",
        "KEN",
        None,
    ),
    (
        "The Chinese defence ministry said three brigades had been moved to the border near India.",
        "154",
        "MOBILIZE",
        "CHN",
        "IND",
    ),
    # "called on X to ...", the parser's particle reading
    (
        "Spain's government said it had called on Moroccan authorities to free the fishermen.",
        "025",
        "REQUEST",
        "ESP",
        "MAR",
    ),
    # a demand noun's clause names whom it is made of; a restating verb keeps its owner
    (
        "Canada's demand that Iran hand over the flight recorders was restated on Tuesday.",
        "100",
        "REQUEST",
        "CAN",
        "IRN",
    ),
    # a ban on trade is an embargo
    (
        "A ban on imports of Ukrainian grain was announced by the Polish government.",
        "163",
        "SANCTION",
        "POL",
        "UKR",
    ),
    # the expulsion of a reporter is a deportation (174), of envoys an expulsion (166)
    (
        "Egypt confirmed the expulsion of a French reporter.",
        "174",
        "COERCE",
        "EGY",
        "FRA",
    ),
    (
        "Egypt announced the expulsion of three French diplomats.",
        "166",
        "SANCTION",
        "EGY",
        "FRA",
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


def test_verdict_on_an_act_is_a_criticism_beside_the_act(enricher: Enricher) -> None:
    found = summary(
        code(
            enricher,
            "Norway said on Monday that the seizure of the Norwegian trawler by Russia was"
            " illegal.",
        )
    )
    assert ("111", "ACCUSE", "NOR", "RUS") in found, found
    assert any(row[1] == "COERCE" and row[2] == "RUS" for row in found), found


def test_verdict_on_no_act_is_no_event(enricher: Enricher) -> None:
    found = summary(code(enricher, "The mayor said the traffic in the old town was unacceptable."))
    assert found == [], found


def test_rejected_offer_is_not_its_owners_act(enricher: Enricher) -> None:
    # "Russia's offer was rejected": the rejecter is not named, so no REJECT by Russia
    found = summary(code(enricher, "Serbia's offer of talks was rejected on Thursday."))
    assert not any(row[1] == "REJECT" and row[2] == "SRB" for row in found), found


def test_ban_on_no_trade_is_no_embargo(enricher: Enricher) -> None:
    found = summary(code(enricher, "The council announced a ban on smoking in parks."))
    assert found == [], found


def test_talks_between_offices_of_two_states_are_reciprocal(enricher: Enricher) -> None:
    found = summary(
        code(
            enricher,
            "Three days of talks between the defence ministers of Peru and Chile ended in Lima.",
        )
    )
    assert ("040", "CONSULT", "PER", "CHL") in found, found
    assert ("040", "CONSULT", "CHL", "PER") in found, found


def test_joint_drills_at_sea_are_the_partners_not_the_sea(enricher: Enricher) -> None:
    found = summary(
        code(
            enricher,
            "French and Indian warships began joint exercises in the Arabian Sea off Oman.",
        )
    )
    assert sorted(found) == [
        ("062", "COOPERATE", "FRA", "IND"),
        ("062", "COOPERATE", "IND", "FRA"),
    ], found


def test_demanded_halt_to_attacks_codes_no_attack(enricher: Enricher) -> None:
    found = summary(code(enricher, "Somalia demanded an end to the raids on its villages."))
    assert [row[1] for row in found] == ["REQUEST"], found


def test_conjoined_demand_survives_a_reported_attack(enricher: Enricher) -> None:
    # the reported strike becomes the speaker's claim; the demand in the next clause stays
    found = summary(
        code(
            enricher,
            "Yemeni officials said a Saudi air strike had killed six fishermen, and the"
            " government in Sanaa demanded an inquiry.",
        )
    )
    assert any(row[1] == "REQUEST" for row in found), found


def test_act_counted_by_a_time_takes_the_light_verbs_subject(enricher: Enricher) -> None:
    # "began a week of exercises": the week holds the exercises' place as the object
    found = summary(
        code(enricher, "The Venezuelan navy started a week of exercises in the Caribbean.")
    )
    assert ("150", "MOBILIZE", "VEN", None) in found, found
    joint = summary(
        code(
            enricher,
            "Pakistani and Chinese troops began two weeks of joint drills near the border.",
        )
    )
    assert ("062", "COOPERATE", "PAK", "CHN") in joint, joint


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Sweden condemned the detention of the reporter by Egyptian police.",
            ("111", "ACCUSE", "SWE", "EGY"),
        ),
        (
            "The African Union praised the release of the hostages by Nigeria.",
            ("051", "SUPPORT", "IGO", "NGA"),
        ),
        (
            "The expulsion of the envoy by Mali was criticized by Canada.",
            ("111", "ACCUSE", "CAN", "MLI"),
        ),
    ],
)
def test_reaction_to_an_act_is_directed_at_its_agent(
    enricher: Enricher, text: str, expected: tuple[str, str, str, str]
) -> None:
    found = summary(code(enricher, text))
    assert expected in found, found
