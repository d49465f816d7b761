"""Issue 12: who did it when the sentence names the act, the weapon or the crowd rather
than the actor: "an attack by rebels killed", "rockets fired by Hezbollah hit the town",
"the embassy was surrounded by demonstrators protesting ...".

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
        # an act noun as subject: its "by" phrase is the doer, not the place it happened in
        (
            "A bomb attack by Colombian ELN rebels killed two Venezuelan soldiers in Zulia state"
            " on Sunday.",
            ("190", "ASSAULT", "COL", "VEN"),
        ),
        # a weapon as subject: the agent of the participle describing it
        (
            "Katyusha rockets fired by Hezbollah guerrillas struck the northern Israeli town of"
            " Kiryat Shmona on Tuesday.",
            ("190", "ASSAULT", "LBN", "ISR"),
        ),
        # the same weapon as the passive's agent; "from Gaza" is where it came from
        (
            "The Israeli town of Sderot was hit on Monday by rockets fired by Hamas militants"
            " from Gaza.",
            ("190", "ASSAULT", "PSE", "ISR"),
        ),
    ],
)
def test_act_or_weapon_as_subject_carries_its_doer(
    enricher: Enricher, text: str, expected: tuple[str, str, str, str]
) -> None:
    found = summary(code(enricher, text))
    assert found == [expected], found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The Chinese embassy in Hanoi was surrounded by Vietnamese demonstrators protesting"
            " Beijing's oil rig.",
            ("141", "PROTEST", "VNM", "CHN"),
        ),
        (
            "The Turkish consulate in Mosul was surrounded by hundreds of Iraqi protesters on"
            " Monday, demanding the withdrawal of Turkish troops.",
            ("1056", "REQUEST", "IRQ", "TUR"),
        ),
    ],
)
def test_participle_after_a_crowd_agent_is_the_crowds_act(
    enricher: Enricher, text: str, expected: tuple[str, str, str, str]
) -> None:
    found = summary(code(enricher, text))
    assert expected in found, found


def test_participle_after_other_agents_keeps_the_passive_subject(enricher: Enricher) -> None:
    # the police are no crowd: the participle is still theirs only through the parse of
    # the verb it hangs on, so no PROTEST is made of them
    found = summary(
        code(enricher, "The protesters were dispersed by Kenyan police firing tear gas.")
    )
    assert all(row[1] != "PROTEST" for row in found), found
