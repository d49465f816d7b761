"""Issue 12: the classes own set 25 showed, each fixed in general form.

Every sentence here is parley's own; none is a sentence of any blind set.
"""

from __future__ import annotations

import pytest

from tests.model.sentences import assert_coded, code, summary
from workers.core import Enricher

pytestmark = pytest.mark.model

CODED = [
    # inspectors let (or allowed) "back into" a country: the parser makes "back" a clause
    (
        "Syria let U.N. inspectors back into the country on Monday.",
        "0862",
        "RETREAT",
        "SYR",
        "IGO",
    ),
    # staying off the job is a strike
    ("Nurses in Ghana stayed off the job for a second week.", "143", "PROTEST", "GHA", "GHA"),
    # a labour strike suspended eases dissent (CONCEDE), an air campaign halted de-escalates
    (
        "Nigeria's labour congress suspended its general strike on Sunday.",
        "082",
        "CONCEDE",
        "NGA",
        None,
    ),
    ("Israel suspended air strikes on Gaza for 48 hours.", "087", "RETREAT", "ISR", "PSE"),
    # the nominal gerund codes as its verb with the "of" object
    (
        "Togo's government announced the lifting of a ban on opposition rallies.",
        "081",
        "CONCEDE",
        "TGO",
        None,
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


def test_figures_released_are_no_release(enricher: Enricher) -> None:
    found = summary(code(enricher, "Peru's central bank released new inflation figures on Monday."))
    assert found == [], found


def test_a_naval_blockade_lifted_stays_military(enricher: Enricher) -> None:
    found = summary(code(enricher, "Egypt lifted its naval blockade of the port on Friday."))
    assert [event[:2] for event in found] == [("0872", "RETREAT")], found
