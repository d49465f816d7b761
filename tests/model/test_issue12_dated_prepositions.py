"""Issue 12: a preposition that dates an act ("on Monday") is not the preposition a verb's
pattern asks for ("call on" a government), and "call off" / "call home" read as their own
verbs. Found in review of own set 26 ("dock workers called off their strike on Monday"
coded as an appeal).

Every sentence here is parley's own.
"""

from __future__ import annotations

import pytest

from tests.model.sentences import assert_coded, code, summary
from workers.core import Enricher

pytestmark = pytest.mark.model

CODED = [
    # a labour group calling off its strike eases dissent, whatever day it does so
    (
        "Port workers in Peru called off their strike on Wednesday after the pay talks.",
        "082",
        "CONCEDE",
        "PER",
        "PER",
    ),
    ("Zambian miners ended their walkout on Friday.", "082", "CONCEDE", "ZMB", "ZMB"),
    # calling off a military operation de-escalates it
    (
        "Ethiopia called off its offensive in the Tigray region on Sunday.",
        "087",
        "RETREAT",
        "ETH",
        None,
    ),
    # an ambassador "called home" is recalled
    ("Ecuador called its ambassador home on Thursday.", "161", "SANCTION", "ECU", None),
    # "call on" a government, with a date after it, is still an appeal to it
    (
        "Norway called on Sri Lanka on Monday to resume the peace talks.",
        None,
        "REQUEST",
        "NOR",
        "LKA",
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


@pytest.mark.parametrize(
    "text",
    [
        "Chile's president called his envoy on Monday.",
        "The Kenyan delegation called on Tuesday.",
    ],
)
def test_a_dated_call_is_no_appeal(enricher: Enricher, text: str) -> None:
    found = summary(code(enricher, text))
    assert not any(row[1] == "REQUEST" for row in found), found


def test_time_counting_something_is_no_date(enricher: Enricher) -> None:
    # "bowing to weeks of protests": the "to" still reads, "weeks" counts the protests
    found = summary(
        code(
            enricher,
            "Peru's president dismissed his cabinet on Friday, bowing to weeks of protests.",
        )
    )
    assert any(row[1] == "CONCEDE" and row[2] == "PER" for row in found), found
