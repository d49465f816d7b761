"""Recipients (targets) as the PLOVER records attach them, on parley's own sentences.

Each rule of issue 12's target work has a sentence written for it here (none taken from
any gold set): the addressee of a demand whose complement is no trigger, the party the
complement of an offer/refusal/threat is directed at, the actor-country conventions on
the recipient's side, and the one country an act is carried out in as the recipient of
the types composition.yaml lists (and not of a meeting).
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from schemas.models import Article, Event
from workers.core import Enricher

pytestmark = pytest.mark.model


def code(enricher: Enricher, text: str) -> list[Event]:
    article = Article(
        article_id="recipient-test",
        title="",
        body=text,
        published_at=datetime(2023, 5, 4, 12, tzinfo=UTC),
    )
    return [e for e in enricher.enrich(article).events if not e.modality.negated]


def dyads(events: list[Event], plover_type: str) -> set[tuple[str | None, str | None]]:
    return {
        (
            e.source.country if e.source else None,
            e.target.country if e.target else None,
        )
        for e in events
        if e.plover.type == plover_type
    }


@pytest.mark.parametrize(
    ("text", "plover_type", "dyad"),
    [
        # the addressee of a demand: the subject of its complement clause
        (
            "Canada demanded that Venezuela publish the full election results.",
            "REQUEST",
            ("CAN", "VEN"),
        ),
        (
            "Japan demanded that China explain the presence of its survey ship.",
            "REQUEST",
            ("JPN", "CHN"),
        ),
        # the party the complement's act is directed at: its "to" phrase
        ("Algeria threatened to halt gas exports to Spain.", "THREATEN", ("DZA", "ESP")),
        ("Poland refused to hand the documents to Germany.", "REJECT", ("POL", "DEU")),
        # a named group without a country on the recipient side takes its sentence's one
        # country, as it does on the actor side
        ("Ghana lifted its ban on the Convention People's Party.", "CONCEDE", ("GHA", "GHA")),
        # the one country the act is carried out in
        ("Peruvian farmers blocked highways in Bolivia on Monday.", "PROTEST", ("PER", "BOL")),
        ("Chilean students protested in Argentina on Friday.", "PROTEST", ("CHL", "ARG")),
        ("Thailand lifted the curfew in Cambodia's border provinces.", "CONCEDE", ("THA", "KHM")),
    ],
)
def test_recipient(enricher: Enricher, text: str, plover_type: str, dyad: tuple[str, str]) -> None:
    events = code(enricher, text)
    assert dyad in dyads(events, plover_type), [(e.plover.type, e.source, e.target) for e in events]


def test_a_meeting_place_is_no_recipient(enricher: Enricher) -> None:
    """CONSULT is not among the place-recipient types: a meeting in Uganda is not
    directed at Uganda."""
    assert dyads(
        code(enricher, "The Kenyan president held talks in Uganda on Tuesday."), "CONSULT"
    ) == {("KEN", None)}


def test_a_complement_with_its_own_subject_names_no_recipient(enricher: Enricher) -> None:
    """A threat's complement with a subject of its own is that subject's act; its "to"
    phrase is not the threat's recipient."""
    events = code(enricher, "Iran threatened that its allies would move the archive to Yemen.")
    assert dyads(events, "THREATEN") == {("IRN", None)}
