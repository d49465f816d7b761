"""Issue 12: the classes own set 23 showed, each fixed in general form.

Every sentence here is parley's own; none is a sentence of any blind set.
"""

from __future__ import annotations

import pytest

from tests.model.sentences import assert_coded, code, summary
from workers.core import Enricher

pytestmark = pytest.mark.model


def test_every_demand_of_an_unless_clause_is_a_condition(enricher: Enricher) -> None:
    # the second conjunct of "unless X releases ... and admits ..." is as unasserted as the first
    found = summary(
        code(
            enricher,
            "The European Union threatened to cut aid unless Belgrade releases the prisoners"
            " and admits observers.",
        )
    )
    assert [event[1] for event in found] == ["THREATEN"], found


def test_a_warning_of_another_state_s_act_is_no_threat_by_the_warner(
    enricher: Enricher,
) -> None:
    # India does not threaten Pakistan by warning that Pakistan could attack
    found = summary(code(enricher, "Indian officials warned that Pakistan could attack the dam."))
    assert found == [], found


def test_a_warning_of_the_warner_s_own_act_stays_its_act(enricher: Enricher) -> None:
    found = summary(
        code(enricher, "Pakistan's defence minister said Islamabad could strike back if attacked.")
    )
    assert found and all(event[2] == "PAK" for event in found), found


def test_the_act_a_protest_or_denunciation_is_about_is_no_event(enricher: Enricher) -> None:
    found = summary(code(enricher, "Greece denounced the Turkish bombardment of Cypriot villages."))
    assert found == [("111", "ACCUSE", "GRC", "TUR")], found


def test_the_act_a_measure_seeks_to_curb_is_no_event(enricher: Enricher) -> None:
    found = summary(
        code(
            enricher,
            "Chile declared a state of emergency in the south in a bid to curb arson attacks"
            " by militants.",
        )
    )
    assert [event[1] for event in found] == ["COERCE"], found


CODED: list[tuple[str, str | None, str | None, str, str | None]] = []


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
