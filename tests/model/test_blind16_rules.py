"""Issue 12: the failure classes blind16 showed at first contact, each fixed in general form.

Every sentence here is parley's own and none is a blind16 sentence.
"""

from __future__ import annotations

import pytest

from tests.model.sentences import assert_coded, code, summary
from workers.core import Enricher

pytestmark = pytest.mark.model

CODED = [
    # force put to dissent is violent repression (175)
    ("Syrian troops quelled the protests in Deraa.", "175", "ASSAULT", "SYR"),
    ("Belarusian authorities suppressed the opposition rallies in Minsk.", "175", "ASSAULT", "BLR"),
    # a claim of responsibility reports the claimant's attack
    (
        "The Pakistani Taliban claimed responsibility for a mosque attack in Peshawar.",
        "190",
        "ASSAULT",
        "PAK",
    ),
    # a crowd's violence is a riot
    ("Angry protesters stormed the town hall in Oruro, Bolivia.", "145", "PROTEST", "BOL"),
    # a nationality adjective on a place noun places an unattributed attack
    ("A police chief was shot dead in the Mexican state of Sonora.", "193", "ASSAULT", "MEX"),
    # a jury is a judicial actor
    (
        "A grand jury in Lima indicted a former Peruvian president on bribery charges.",
        "173",
        "ACCUSE",
        "PER",
    ),
    # "spurn" rejects
    (
        "Venezuela spurned a Brazilian offer to host talks with the opposition.",
        "120",
        "REJECT",
        "VEN",
    ),
]


@pytest.mark.parametrize(
    ("text", "cameo", "plover", "source"), CODED, ids=[c[0][:40] for c in CODED]
)
def test_blind16_class_is_coded(
    enricher: Enricher, text: str, cameo: str, plover: str, source: str
) -> None:
    assert_coded(enricher, text, cameo, plover, source)


def test_a_weapon_attack_by_demonstrators_stays_an_attack(enricher: Enricher) -> None:
    found = summary(code(enricher, "Armed demonstrators fired rockets at an army base in Homs."))
    assert all(c != "145" for c, _, _, _ in found), found


def test_talks_breaking_up_are_no_repression(enricher: Enricher) -> None:
    assert not [
        c
        for c, *_ in summary(code(enricher, "The talks broke up without agreement."))
        if c.startswith("17")
    ]
