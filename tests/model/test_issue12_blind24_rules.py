"""Issue 12: the classes own set 24 showed, each fixed in general form.

Every sentence here is parley's own; none is a sentence of any blind set.
"""

from __future__ import annotations

import pytest

from tests.model.sentences import assert_coded, code, summary
from workers.core import Enricher

pytestmark = pytest.mark.model

CODED: list[tuple[str, str | None, str | None, str, str | None]] = [
    # a labour strike launched is a strike (143), not the air strike "launch" + "strike" is
    (
        "Teachers' unions in Peru launched an indefinite national strike over pay.",
        "143",
        "PROTEST",
        "PER",
        "PER",
    ),
    # demands brushed aside or shrugged off are rejected
    (
        "Belarus brushed aside European Union demands for a new election.",
        "120",
        "REJECT",
        "BLR",
        "IGO",
    ),
    ("Peru shrugged off Chilean criticism of the deal.", "120", "REJECT", "PER", "CHL"),
    # an offer accepted is agreement
    ("Angola accepted an offer by Portugal to host the talks.", None, "AGREE", "AGO", None),
    # aid put on hold is suspended aid; an arsenal put beyond use is disarmament
    ("Sweden put its aid to Nicaragua on hold.", "162", "SANCTION", "SWE", "NIC"),
    (
        "Basque separatists put their weapons beyond use, Spanish officials said.",
        "0873",
        "RETREAT",
        None,
        None,
    ),
    # speaking up for a state is endorsing it
    ("The Chinese premier spoke up for Pakistan at the summit.", "051", "SUPPORT", "CHN", None),
    # "slapped" a curfew or sanctions is "imposed" them; the order spelling out the curfew
    # is its terms, no demand of its own
    ("Washington slapped new sanctions on Iran's oil sector.", "163", "SANCTION", "USA", "IRN"),
    # troops sent to a border "with" a state face that state
    ("India moved troops to its border with Pakistan.", "154", "MOBILIZE", "IND", "PAK"),
    # forces of no named country deployed inside one are that country's
    (
        "Thousands of troops were deployed in the Kenyan capital on Monday.",
        "154",
        "MOBILIZE",
        "KEN",
        None,
    ),
    # a state's own forces withdrawn in the passive: the state withdraws them
    ("Ethiopian troops were withdrawn from Somalia last week.", "0874", "RETREAT", "ETH", "SOM"),
]


@pytest.mark.parametrize(("text", "cameo", "plover", "source", "target"), CODED)
def test_class_is_coded(
    enricher: Enricher,
    text: str,
    cameo: str | None,
    plover: str | None,
    source: str | None,
    target: str | None,
) -> None:
    if source is None:
        found = summary(code(enricher, text))
        assert any(c == cameo and p == plover for c, p, _, _ in found), found
        return
    assert_coded(enricher, text, cameo, plover, source, target)


def test_an_air_strike_launched_stays_an_attack(enricher: Enricher) -> None:
    found = summary(code(enricher, "Israel launched a fresh air strike on Gaza."))
    assert [event[:2] for event in found] == [("195", "ASSAULT")], found


def test_the_order_spelling_out_a_curfew_is_no_demand(enricher: Enricher) -> None:
    found = summary(
        code(
            enricher,
            "The army imposed a curfew on Jaffna, ordering residents to stay indoors.",
        )
    )
    assert [event[1] for event in found] == ["COERCE"], found


def test_a_conjunct_shares_the_threat_of_its_condition(enricher: Enricher) -> None:
    found = summary(
        code(
            enricher,
            "Japan will cut its aid and recall its ambassador if Myanmar executes the"
            " activists, officials said.",
        )
    )
    assert found and all(event[1] == "THREATEN" for event in found), found


def test_a_conjunct_does_not_share_a_negation(enricher: Enricher) -> None:
    found = summary(code(enricher, "Rebels did not attack the town but shelled the base."))
    assert any(event[1] == "ASSAULT" for event in found), found


def test_any_incursion_in_a_warning_is_no_attack(enricher: Enricher) -> None:
    found = summary(
        code(
            enricher,
            "Caracas warned that any Colombian incursion would be answered with force.",
        )
    )
    assert all(event[1] != "ASSAULT" for event in found), found


def test_naming_a_move_is_no_appeal(enricher: Enricher) -> None:
    found = summary(
        code(
            enricher,
            "The rebels disarmed on Monday, the mediator told reporters, calling the move a"
            " turning point.",
        )
    )
    assert all(event[1] != "REQUEST" for event in found), found
