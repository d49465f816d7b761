"""Issue 12 (blind13 classes) on hand-built parses: no model."""

from __future__ import annotations

from datetime import UTC, datetime

from spacy.tokens import Span

from schemas.models import Article, Event
from tests.unit.coding.docs import Rows, mention, nodes, parse
from workers.coding.events import extract_events
from workers.coding.lexicon_walk import cargo
from workers.nlp.types import ResolvedDoc

PUBLISHED = datetime(2024, 5, 22, 9, tzinfo=UTC)


def _code(rows: Rows, actors: dict[int, str]) -> list[Event]:
    doc = parse(rows)
    resolved = ResolvedDoc(doc=doc, mentions=[mention(doc, i, c) for i, c in actors.items()])
    article = Article(article_id="a", title="", body=doc.text, published_at=PUBLISHED)
    return extract_events(resolved, article)


# "Oman sent ships carrying food to Yemen ."
SHIPS: Rows = [
    ("Oman", "Oman", 1, "nsubj", "PROPN"),
    ("sent", "send", 1, "ROOT", "VERB"),
    ("ships", "ship", 1, "dobj", "NOUN"),
    ("carrying", "carry", 2, "acl", "VERB"),
    ("food", "food", 3, "dobj", "NOUN"),
    ("to", "to", 3, "prep", "ADP"),
    ("Yemen", "Yemen", 5, "pobj", "PROPN"),
    (".", ".", 1, "punct", "PUNCT"),
]


def test_a_vehicles_participle_names_its_cargo() -> None:
    ship = nodes(parse(SHIPS))[2]
    assert [n.text for n in cargo(ship)] == ["food"]


def test_laden_with_names_the_cargo_too() -> None:
    rows: Rows = [
        ("trucks", "truck", 0, "ROOT", "NOUN"),
        ("loaded", "load", 0, "acl", "VERB"),
        ("with", "with", 1, "prep", "ADP"),
        ("tents", "tent", 2, "pobj", "NOUN"),
    ]
    assert [n.text for n in cargo(nodes(parse(rows))[0])] == ["tents"]


def test_sending_a_vehicle_codes_its_cargo_with_the_destination_on_the_participle() -> None:
    found = [
        (
            e.cameo.code,
            e.source.country if e.source else None,
            e.target.country if e.target else None,
        )
        for e in _code(SHIPS, {0: "OMN", 6: "YEM"})
    ]
    assert found == [("073", "OMN", "YEM")]


def test_what_a_refusal_covers_is_not_asserted() -> None:
    # "Burundi refused to let experts investigate ."
    rows: Rows = [
        ("Burundi", "Burundi", 1, "nsubj", "PROPN"),
        ("refused", "refuse", 1, "ROOT", "VERB"),
        ("to", "to", 3, "aux", "PART"),
        ("let", "let", 1, "xcomp", "VERB"),
        ("experts", "expert", 5, "nsubj", "NOUN"),
        ("investigate", "investigate", 3, "ccomp", "VERB"),
        (".", ".", 1, "punct", "PUNCT"),
    ]
    assert [e.cameo.code[:2] for e in _code(rows, {0: "BDI"})] == ["12"]


def test_a_year_modifying_another_noun_does_not_date_the_act() -> None:
    # "France returned artworks looted in the 1892 war to Benin ."
    rows: Rows = [
        ("France", "France", 1, "nsubj", "PROPN"),
        ("returned", "return", 1, "ROOT", "VERB"),
        ("artworks", "artwork", 1, "dobj", "NOUN"),
        ("looted", "loot", 2, "acl", "VERB"),
        ("in", "in", 3, "prep", "ADP"),
        ("the", "the", 7, "det", "DET"),
        ("1892", "1892", 7, "nummod", "NUM"),
        ("war", "war", 4, "pobj", "NOUN"),
        ("to", "to", 1, "prep", "ADP"),
        ("Benin", "Benin", 8, "pobj", "PROPN"),
        (".", ".", 1, "punct", "PUNCT"),
    ]
    doc = parse(rows)
    doc.ents = [Span(doc, 6, 7, label="DATE")]
    resolved = ResolvedDoc(doc=doc, mentions=[mention(doc, 0, "FRA"), mention(doc, 9, "BEN")])
    article = Article(article_id="a", title="", body=doc.text, published_at=PUBLISHED)
    events = extract_events(resolved, article)
    assert [e.cameo.code for e in events] == ["0842"]
    assert not events[0].temporal.historical
    assert str(events[0].temporal.event_date) == "2024-05-22"
