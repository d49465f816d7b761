"""Background clauses: the circumstances a sentence reports its event against.

"X resigned as the opposition threatened to storm his residence", "Y declared a truce
after twelve days of battles", "Z froze its aid following the raid": the PLOVER authors'
gold records code the sentence's reported act (resigned, declared a truce, froze aid)
and never the act in the clause that dates or explains it. That act is background, most
often itself news from an earlier report; coding it again counts one real event twice
(GDELT's well-known inflation). So a trigger under a temporal or causal subordinate
clause or prepositional phrase ("after", "following", "as", "amid", "during", "while",
"before", "ahead of", "since", "because", "despite": ``background_markers`` in
composition.yaml) is dropped when its sentence also reports an act outside such clauses.
A past participle describing a noun ("under a deal brokered by Moscow") is background
too (a relative clause is not: measured, it lost more than it gained). A sentence whose
only act is in the background keeps it: something was reported.
"""

from __future__ import annotations

from workers.coding.doctree import Node
from workers.coding.events.rules import composition_rules

_CLAUSE_DEPS = frozenset({"advcl"})
_PHRASE_DEPS = frozenset({"prep", "agent"})
_MAX_DEPTH = 12
_NOUNS = frozenset({"NOUN", "PROPN"})


def in_background(trigger: Node) -> bool:
    """Whether the trigger sits under a background clause or phrase of its sentence."""
    markers = composition_rules().background_markers
    if trigger.dep_ == "acl" and trigger.tag_ == "VBN" and trigger.head.pos_ in _NOUNS:
        # "withdrew under a deal brokered by Moscow", "the truce signed in May": a past
        # participle describing a noun tells of an earlier act, not the one reported
        return True
    current = trigger
    for _ in range(_MAX_DEPTH):
        if current.dep_ in _CLAUSE_DEPS and any(
            child.dep_ in {"mark", "prep"} and child.lower_ in markers for child in current.children
        ):
            return True
        if current.dep_ in _PHRASE_DEPS and _phrase_marker(current) in markers:
            return True
        if current.head.i == current.i:
            return False
        current = current.head
    return False


def _phrase_marker(preposition: Node) -> str:
    """The preposition's word, with "ahead of" / "prior to" / "in the wake of" / "in
    response to" / "in retaliation for" as one."""
    word = preposition.lower_
    if word in {"of", "to"} and preposition.head.lower_ in {"ahead", "prior", "wake", "response"}:
        return f"{preposition.head.lower_} {word}"
    if word == "for" and preposition.head.lower_ in {"retaliation", "reprisal", "revenge"}:
        return f"{preposition.head.lower_} {word}"
    return word
