"""Issue 12: the failure classes blind15 showed at first contact, each fixed in general form.

Every sentence here is parley's own and none is a blind15 sentence.
"""

from __future__ import annotations

import pytest

from tests.model.sentences import assert_coded, code, summary
from workers.core import Enricher

pytestmark = pytest.mark.model

CODED = [
    # a signed pledge is a promise (030)
    ("Algeria and Tunisia signed a pledge to fight smuggling.", "030", "AGREE", "DZA"),
    # joint operations against a third party are military cooperation (062)
    (
        "Nigerian and Chadian troops launched joint operations against Boko Haram.",
        "062",
        "COOPERATE",
        "NGA",
    ),
    # rescue teams arriving are aid, not a visit (073)
    ("Japanese rescue teams arrived in Nepal to search for survivors.", "073", "AID", "JPN"),
    # an apology is an expression of regret: CONCEDE (manual, SUPPORT ambiguities)
    ("Belgium apologised to Congo for its colonial abuses.", "055", "CONCEDE", "BEL"),
    # a vow to punish is a threat
    (
        "The Taliban vowed to punish anyone who collaborated with foreign forces.",
        "137",
        "THREATEN",
        "AFG",
    ),
    # walking off the job is a strike (143)
    ("Sri Lankan tea pickers walked off the job over pay.", "143", "PROTEST", "LKA"),
    # storming a building is an attack (190)
    ("Gunmen stormed a hotel in Bamako, Mali.", "190", "ASSAULT", "MLI"),
]


@pytest.mark.parametrize(("text", "cameo", "plover", "source"), CODED)
def test_blind15_classes_are_coded(
    enricher: Enricher, text: str, cameo: str, plover: str, source: str
) -> None:
    assert_coded(enricher, text, cameo, plover, source)


def test_a_participle_describing_the_released_is_no_arrest(enricher: Enricher) -> None:
    found = summary(code(enricher, "Qatar freed three journalists detained in a raid last year."))
    assert [p for _, p, _, _ in found] == ["RETREAT"], found
