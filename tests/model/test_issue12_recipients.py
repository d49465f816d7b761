"""Issue 12: recipients named away from the trigger: the party a threatened act would hit,
the "for" phrase of support hung on the verb, a place the small model runs into a sum.

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
        # the threatener's own act in a clause of its own: its object is the recipient
        (
            "The army warned on Sunday that it would crush the rebels in Kivu.",
            ("130", "THREATEN", "COD", "COD"),
        ),
        # ... or the object of the act's purpose ("force to remove X")
        (
            "The African Union warned that it would use force to remove Gambian President Yahya"
            " Jammeh.",
            ("130", "THREATEN", "IGO", "GMB"),
        ),
        # the Latin phrase parsed as a compound name: the person declared is the target
        (
            "Ecuador declared U.S. Ambassador Heather Hodges persona non grata on Tuesday.",
            ("166", "SANCTION", "ECU", "USA"),
        ),
        # support "for" someone, the phrase hung on the verb
        (
            "Moscow voiced strong support on Monday for the Serbian government.",
            ("051", "SUPPORT", "RUS", "SRB"),
        ),
        # the small model's ORG "Quito $1 billion": the place is the recipient
        (
            "China agreed on Tuesday to lend Quito $2 billion for a hydroelectric dam.",
            ("033", "AGREE", "CHN", "ECU"),
        ),
        # the party a threat is conditioned on is the one threatened
        (
            "Pyongyang threatened to quit the talks if Japan raised the abduction issue.",
            ("132", "THREATEN", "PRK", "JPN"),
        ),
        (
            "The rebels vowed to resume attacks on oil facilities unless the Nigerian"
            " government paid them.",
            ("138", "THREATEN", "NGA", "NGA"),
        ),
        # the actor's own forces given: the recipient is the "to" phrase
        (
            "Egypt offered its soldiers to the Somali government for a peacekeeping force.",
            ("030", "AGREE", "EGY", "SOM"),
        ),
        # the object read as the apposition of an "as" phrase
        (
            "Greece denounced as a provocation Turkey's survey of the disputed shelf.",
            ("111", "ACCUSE", "GRC", "TUR"),
        ),
        # a finite verb is no modifier of the role noun after a country
        (
            "Australia suspended military ties with Fiji on Friday.",
            ("161", "SANCTION", "AUS", "FJI"),
        ),
        (
            "Canada mobilized navy reservists for a possible war against Iraq.",
            ("154", "MOBILIZE", "CAN", "IRQ"),
        ),
    ],
)
def test_recipient_is_found(
    enricher: Enricher, text: str, expected: tuple[str, str, str, str]
) -> None:
    found = summary(code(enricher, text))
    assert expected in found, found


def test_readiness_inside_a_threat_is_no_agreement(enricher: Enricher) -> None:
    found = summary(
        code(
            enricher,
            "Armenia's defence minister warned Baku that the army was ready to retake the"
            " occupied districts by force.",
        )
    )
    assert [row[1] for row in found] == ["THREATEN"], found


def test_announced_act_by_another_subject_names_no_recipient(enricher: Enricher) -> None:
    # "warned that Iran would ...": the clause is another party's act, not the threatener's
    found = summary(code(enricher, "Israel warned that Hezbollah would attack Cyprus."))
    assert ("130", "THREATEN", "ISR", "CYP") not in found, found


@pytest.mark.parametrize(
    "text",
    [
        # waters named after a state are of no state
        "Ghana deployed two patrol boats to the Gulf of Guinea on Monday.",
        # the condition's party is no known actor
        "Iran threatened to close the strait if Western powers imposed an embargo.",
    ],
)
def test_no_recipient_is_invented(enricher: Enricher, text: str) -> None:
    found = summary(code(enricher, text))
    assert found and all(row[3] is None for row in found), found
