"""Issue 12: acts reported as nouns and the invitation and recognition phrasings that blind16
and blind17 showed at first contact, each fixed in general form.

Every sentence here is parley's own; none is a sentence of either blind set.
"""

from __future__ import annotations

import pytest

from tests.model.sentences import assert_coded, code, summary
from workers.core import Enricher

pytestmark = pytest.mark.model

CODED = [
    # an act noun as the passive subject of a light verb takes the "by" agent as source
    (
        "A demand for an independent inquiry was made by Chile's foreign minister on Monday.",
        "REQUEST",
        "CHL",
        None,
    ),
    (
        "An amnesty for jailed opposition activists was approved by Zambia's parliament.",
        "CONCEDE",
        "ZMB",
        None,
    ),
    # a suspension names what it suspends; the theme's recipient is the target
    (
        "The suspension of budget support to Tanzania was announced by the cabinet in Copenhagen.",
        "SANCTION",
        "DNK",
        "TZA",
    ),
    ("Oslo announced the suspension of its development aid to Niamey.", "SANCTION", "NOR", "NER"),
    # a refusal as a noun, its recipient in the refused act's infinitive
    (
        "Hungary's refusal to hand the documents to EU auditors was confirmed on Friday.",
        "REJECT",
        "HUN",
        "IGO",
    ),
    # an invitation to visit or meet is an intent to meet (PLOVER manual, CONSULT)
    (
        "Vietnam's president invited his Mongolian counterpart to visit Hanoi next year.",
        "AGREE",
        "VNM",
        "MNG",
    ),
    (
        "An invitation to attend the summit in Lusaka was extended to Angola by Zambia.",
        "AGREE",
        "ZMB",
        "AGO",
    ),
    ("Qatar invited Sudan's rival generals to talks in Doha.", "AGREE", "QAT", "SDN"),
    # recognition granted as a noun is diplomatic support
    ("Ghana extended recognition to the new authorities in Niamey.", "SUPPORT", "GHA", "NER"),
]


@pytest.mark.parametrize(("text", "plover", "source", "target"), CODED)
def test_nominal_act_is_coded(
    enricher: Enricher, text: str, plover: str, source: str, target: str | None
) -> None:
    assert_coded(enricher, text, None, plover, source, target)


def test_invitation_to_comment_stays_an_appeal(enricher: Enricher) -> None:
    found = summary(code(enricher, "Peru invited Bolivia to investigate the border shooting."))
    assert {p for _, p, _, _ in found} == {"REQUEST"}, found
