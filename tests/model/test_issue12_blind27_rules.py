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
