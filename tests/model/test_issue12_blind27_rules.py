"""Issue 12: the classes own set 27 (metonymy, titles, passives, reactions, Central Asia,
West Africa, the Pacific) showed, each fixed in general form.

Every sentence here is parley's own; none is a sentence of any blind set.
"""

from __future__ import annotations

import pytest

from tests.model.sentences import code, summary
from workers.core import Enricher

pytestmark = pytest.mark.model


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the passive's subject is who was urged, not the urged act's recipient
        (
            "Kenya was urged by the African Union on Monday to withdraw its troops from Somalia.",
            ("025", "REQUEST", "IGO", "KEN"),
        ),
        # a reaction the subject drew on itself, given by the "from" actor
        (
            "Venezuela recognised the two breakaway regions on Thursday, drawing a sharp rebuke"
            " from Tbilisi.",
            ("111", "ACCUSE", "GEO", "VEN"),
        ),
        ("The Indian test provoked condemnation from Pakistan.", ("111", "ACCUSE", "PAK", "IND")),
        # a pledge given is a commitment
        (
            "Togo's president gave the African Union a pledge to hold elections next year.",
            ("030", "AGREE", "TGO", "IGO"),
        ),
        # time given to leave the country is an expulsion
        (
            "Chad gave the French ambassador 72 hours to leave the country.",
            ("166", "SANCTION", "TCD", "FRA"),
        ),
        # people seized by an armed group are abducted, also with the parser's "by" on the
        # place; goods seized stay a seizure
        (
            "Two Spanish engineers were seized at a construction site in southern Algeria by"
            " Islamist militants.",
            ("181", "ASSAULT", "DZA", "ESP"),
        ),
        (
            "Police in Lagos seized two tonnes of cannabis on Friday.",
            ("171", "COERCE", "NGA", "NGA"),
        ),
        # the verb's destination hung on its object
        (
            "Niger's president ordered two army battalions, including armoured units, to the"
            " Malian border on Friday.",
            ("154", "MOBILIZE", "NER", "MLI"),
        ),
        # a deadline is no agent: the speaker's own forces
        (
            "Canberra said that Australian troops in the Solomon Islands would be withdrawn by"
            " the middle of next year.",
            ("0874", "RETREAT", "AUS", "SLB"),
        ),
        (
            "Moscow cut all road and rail links with Georgia on Tuesday.",
            ("161", "SANCTION", "RUS", "GEO"),
        ),
        # the parser's two subjects for one appositive phrase: the name is the actor
        (
            "The West African bloc ECOWAS warned on Friday that it would use force to remove"
            " the junta in Niamey.",
            ("130", "THREATEN", "IGO", "NER"),
        ),
        # an office held at an organisation is the organisation's
        (
            "Judges at the International Criminal Court authorised the prosecutor to open an"
            " investigation into killings in Kenya.",
            ("090", "ACCUSE", "IGO", None),
        ),
        # an accusation denied was made, against the denier
        (
            "Uzbekistan on Tuesday denied Kyrgyz accusations that its border guards had opened"
            " fire on farmers.",
            ("112", "ACCUSE", "KGZ", "UZB"),
        ),
        # seats of government named for the government
        (
            "Whitehall said on Monday it fully backed the Kenyan government's reform plan.",
            ("051", "SUPPORT", "GBR", "KEN"),
        ),
    ],
)
def test_class_is_coded(enricher: Enricher, text: str, expected: tuple[str, str, str, str]) -> None:
    found = summary(code(enricher, text))
    assert expected in found, found


def test_ultimatum_to_leave_a_city_stays_a_threat(enricher: Enricher) -> None:
    found = summary(code(enricher, "Mali's army gave the rebels 48 hours to leave the town."))
    assert all(row[1] != "SANCTION" for row in found), found


@pytest.mark.parametrize(
    "text",
    [
        "Diplomats said the Council was unlikely to impose sanctions on Mali this month.",
        "The two governments were unable to agree on a ceasefire in Geneva.",
    ],
)
def test_act_reported_as_unlikely_or_impossible_is_not_counted(
    enricher: Enricher, text: str
) -> None:
    events = code(enricher, text)
    assert all(e.modality.negated for e in events), summary(events)


def test_prisoners_taken_in_an_attack_are_the_same_attack(enricher: Enricher) -> None:
    found = summary(
        code(
            enricher,
            "Boko Haram fighters stormed an army base in Borno state, killing 12 soldiers and"
            " taking several prisoner.",
        )
    )
    assert [row[1] for row in found] == ["ASSAULT"], found
