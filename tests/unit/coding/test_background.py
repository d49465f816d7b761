"""Background clauses and phrases (workers/coding/events/background.py), hand-parsed."""

from __future__ import annotations

from tests.unit.coding.docs import nodes, parse
from workers.coding.events.background import in_background


def test_act_in_an_as_clause_is_background_and_the_main_act_is_not() -> None:
    # "Fiji's premier resigned as rivals threatened strikes ."
    doc = parse(
        [
            ("Fiji", "Fiji", 2, "poss", "PROPN"),
            ("'s", "'s", 0, "case", "PART"),
            ("premier", "premier", 3, "nsubj", "NOUN"),
            ("resigned", "resign", 3, "ROOT", "VERB"),
            ("as", "as", 6, "mark", "SCONJ"),
            ("rivals", "rival", 6, "nsubj", "NOUN"),
            ("threatened", "threaten", 3, "advcl", "VERB"),
            ("strikes", "strike", 6, "dobj", "NOUN"),
            (".", ".", 3, "punct", "PUNCT"),
        ]
    )
    assert not in_background(nodes(doc)[3])
    assert in_background(nodes(doc)[6])
    assert in_background(nodes(doc)[7])


def test_noun_under_after_and_ahead_of_is_background_but_not_under_with() -> None:
    # "Chad froze aid after clashes , ahead of talks with Niger ."
    doc = parse(
        [
            ("Chad", "Chad", 1, "nsubj", "PROPN"),
            ("froze", "freeze", 1, "ROOT", "VERB"),
            ("aid", "aid", 1, "dobj", "NOUN"),
            ("after", "after", 1, "prep", "ADP"),
            ("clashes", "clash", 3, "pobj", "NOUN"),
            (",", ",", 1, "punct", "PUNCT"),
            ("ahead", "ahead", 1, "advmod", "ADV"),
            ("of", "of", 6, "prep", "ADP"),
            ("talks", "talk", 7, "pobj", "NOUN"),
            ("with", "with", 8, "prep", "ADP"),
            ("Niger", "Niger", 9, "pobj", "PROPN"),
            (".", ".", 1, "punct", "PUNCT"),
        ]
    )
    assert not in_background(nodes(doc)[1])
    assert not in_background(nodes(doc)[2])
    assert in_background(nodes(doc)[4])
    assert in_background(nodes(doc)[8])


def test_complement_and_relative_clauses_are_not_background() -> None:
    # "Peru said it would send troops that patrol the border ."
    doc = parse(
        [
            ("Peru", "Peru", 1, "nsubj", "PROPN"),
            ("said", "say", 1, "ROOT", "VERB"),
            ("it", "it", 4, "nsubj", "PRON"),
            ("would", "would", 4, "aux", "AUX"),
            ("send", "send", 1, "ccomp", "VERB"),
            ("troops", "troop", 4, "dobj", "NOUN"),
            ("that", "that", 7, "nsubj", "PRON"),
            ("patrol", "patrol", 5, "relcl", "VERB"),
            ("the", "the", 9, "det", "DET"),
            ("border", "border", 7, "dobj", "NOUN"),
            (".", ".", 1, "punct", "PUNCT"),
        ]
    )
    assert not any(in_background(token) for token in nodes(doc))
