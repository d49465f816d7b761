"""Issue 12: the failure classes blind13 showed at first contact, each fixed in general form.

Every sentence here is parley's own and none is a blind13 sentence: each rule is pinned on
other actors, places and wordings than the set that revealed it.
"""

from __future__ import annotations

import pytest

from tests.model.sentences import code, summary
from workers.core import Enricher

pytestmark = pytest.mark.model


CODED = [
    # reopening talks is resuming them (046)
    ("Sudan reopened talks with South Sudan on the oil fees.", "046", "SDN", "SSD", "CONSULT"),
    ("Peru said it was ready to reopen negotiations with Ecuador.", "046", "PER", "ECU", "AGREE"),
    # returned property (0842)
    ("France returned 26 looted artworks to Benin.", "0842", "FRA", "BEN", "RETREAT"),
    ("Germany returned stolen antiquities to Egypt on Monday.", "0842", "DEU", "EGY", "RETREAT"),
    # a vehicle's participle names its cargo, and the destination hangs on the participle
    ("Oman sent trucks carrying food to Yemen.", "073", "OMN", "YEM", "AID"),
    ("Japan dispatched aircraft loaded with tents to Turkey.", "073", "JPN", "TUR", "AID"),
    ("Qatar dispatched medical supplies to Gaza.", "073", "QAT", "PSE", "AID"),
    # blocking a measure that needs one's consent is a veto; a bid or a deal, a rejection
    ("Greece blocked an EU declaration on Turkey.", "129", "GRC", "IGO", "REJECT"),
    ("Austria blocked Romania's bid to join the Schengen area.", "120", "AUT", "ROU", "REJECT"),
    # meeting a demand is yielding to it
    ("Chad's government met the strikers' demands.", "080", "TCD", None, "CONCEDE"),
]


@pytest.mark.parametrize(("text", "cameo", "source", "target", "plover"), CODED)
def test_blind13_classes_are_coded(
    enricher: Enricher, text: str, cameo: str, source: str, target: str | None, plover: str
) -> None:
    found = summary(code(enricher, text))
    assert any(
        c == cameo and p == plover and s == source and (target is None or t == target)
        for c, p, s, t in found
    ), f"{text!r}: {found}"


def test_a_charge_that_is_an_accusation_and_its_clause_is_alleged(enricher: Enricher) -> None:
    found = summary(
        code(enricher, "Amnesty International charged that Iranian police beat protesters.")
    )
    assert [(p, s, t) for _, p, s, t in found] == [("ACCUSE", "IGO", "IRN")], found


def test_what_is_refused_is_not_asserted(enricher: Enricher) -> None:
    found = summary(
        code(enricher, "Burundi refused to let UN experts carry out an investigation in the east.")
    )
    assert [(p, s) for _, p, s, _ in found] == [("REJECT", "BDI")], found


def test_both_owners_of_a_shared_noun_are_targets(enricher: Enricher) -> None:
    found = summary(code(enricher, "Hungary blocked Ukraine's and Moldova's bids to join the EU."))
    assert {t for _, p, _, t in found if p == "REJECT"} == {"UKR", "MDA"}, found


def test_a_year_dating_another_noun_does_not_date_the_act(enricher: Enricher) -> None:
    events = code(enricher, "Italy returned antiquities looted during the 2011 uprising to Libya.")
    assert events, events
    assert all(not e.temporal.historical for e in events), events
    assert all(str(e.temporal.event_date) == "2024-05-02" for e in events), events
