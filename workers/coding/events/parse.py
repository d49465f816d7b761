"""Dependency-tree helpers shared by the event coder: children, conjuncts, subjects."""

from __future__ import annotations

from collections.abc import Iterator
from collections.abc import Set as AbstractSet

from workers.coding.doctree import Node
from workers.coding.events.rules import composition_rules
from workers.coding.tables import lexicon

SUBJECT_DEPS = frozenset({"nsubj", "csubj"})
PASSIVE_SUBJECT_DEPS = frozenset({"nsubjpass", "csubjpass"})
OBJECT_DEPS = frozenset({"dobj", "dative", "obj"})
CHAIN_DEPS = frozenset({"xcomp", "conj"})
MODIFIER_DEPS = frozenset({"compound", "amod", "poss", "appos", "nmod", "npadvmod", "nummod"})
CONDITIONAL_MARKS = frozenset({"if", "unless"})
_RELATIVE_PRONOUNS = frozenset({"that", "which", "who", "whom"})


def lemma_in(token: Node, words: frozenset[str]) -> bool:
    return token.lemma_.lower() in words or token.lower_ in words


def lemma_of(token: Node) -> str:
    """The token's lemma as the lexicon reads it (lower-cased, the model's slips fixed),
    worked out once per lemma: the coder asks a few hundred times per article."""
    lemma = token.lemma_
    found = _LEMMAS.get(lemma)
    if found is None:
        if len(_LEMMAS) >= _LEMMAS_KEPT:
            _LEMMAS.clear()
        found = _LEMMAS[lemma] = lexicon().lemma(lemma.lower())
    return found


_LEMMAS: dict[str, str] = {}
_LEMMAS_KEPT = 50_000


def children_with(token: Node, deps: AbstractSet[str]) -> list[Node]:
    """The token's children whose dependency label is one of ``deps``, in order."""
    return [child for child in token.children if child.dep_ in deps]


def conjuncts(token: Node) -> list[Node]:
    """The token and its coordinated tokens; "the US, Russia, and Switzerland" often
    parses as an apposition carrying the conjuncts, which counts as a list too."""
    out = [token]
    for child in token.children:
        if child.dep_ == "conj" or (
            child.dep_ == "appos" and any(g.dep_ == "conj" for g in child.children)
        ):
            out.extend(conjuncts(child))
    return out


def governors(token: Node) -> Iterator[Node]:
    """The chain of verbs governing the trigger through xcomp ("plan to meet")."""
    current = token
    while current.dep_ == "xcomp" and current.head.i != current.i:
        current = current.head
        yield current


def first_conjunct_chain(token: Node) -> list[Node]:
    """The first conjunct of a subjectless conjunct verb, and the verbs governing it."""
    first = token
    for _ in range(4):
        if (
            first.dep_ != "conj"
            or first.head.i == first.i
            or first.head.pos_ not in {"VERB", "AUX"}
            or any(c.dep_ in SUBJECT_DEPS for c in first.children)
        ):
            break
        first = first.head
    return [] if first is token else [first, *governors(first)]


def subject_token(token: Node) -> tuple[Node | None, bool]:
    """The subject token for the trigger (walking up xcomp/conj) and whether it is passive."""
    current = token
    previous: Node | None = None
    for _ in range(6):
        subjects = children_with(current, SUBJECT_DEPS)
        if subjects:
            # "the West African bloc ECOWAS warned": the parser's two subjects for one
            # appositive phrase; the name is the actor
            named = [s for s in subjects if s.pos_ == "PROPN"] if len(subjects) > 1 else []
            return (named or subjects)[0], False
        passive = children_with(current, PASSIVE_SUBJECT_DEPS)
        if passive:
            crowd = _crowd_agent(current) if previous is not None else None
            if crowd is not None and previous is not None and _bare_participle(previous):
                # "the embassy was surrounded by demonstrators protesting the claim": the
                # participle tells what the crowd in the "by" phrase did
                return crowd, False
            # Passive of the trigger itself: its subject is the target. A passive
            # governor ("is expected to meet") keeps its subject as the agent.
            return passive[0], current.i == token.i
        misparsed = _misparsed_subject(current)
        if misparsed is not None:
            return misparsed, False
        if current.head.i == current.i or current.dep_ not in CHAIN_DEPS | {"advcl", "acomp"}:
            break
        if (
            current.dep_ == "xcomp"
            and current.head.lemma_.lower() in composition_rules().object_control_verbs
            and any(c.dep_ == "aux" and c.lower_ == "to" for c in current.children)
        ):
            controllers = children_with(current.head, {"dobj"})
            if controllers:
                # object control: "a move that prompted Morocco to recall its ambassador",
                # "forced the rebels to withdraw": the governing verb's object acts
                return controllers[0], False
        # "acomp": a predicate adjective shares its clause's subject ("Norway is ready to
        # hold talks": Norway holds them).
        previous, current = current, current.head
    return None, False


def _bare_participle(clause: Node) -> bool:
    """An adverbial present participle with no subordinator ("..., protesting the claim")."""
    return (
        clause.dep_ == "advcl"
        and clause.tag_ == "VBG"
        and not any(c.dep_ in {"mark", "nsubj"} for c in clause.children)
    )


def _crowd_agent(verb: Node) -> Node | None:
    """The passive verb's "by" agent when it names a crowd or an organised group ("by
    hundreds of demonstrators", "by opposition lawmakers")."""
    rules = composition_rules()
    people = rules.riot_subjects | rules.group_nouns
    for agent in children_with(verb, {"agent"}):
        for pobj in children_with(agent, {"pobj"}):
            if pobj.lemma_.lower() in people:
                return pobj
            for of in children_with(pobj, {"prep"}):
                if of.lower_ == "of":
                    for inner in children_with(of, {"pobj"}):
                        if inner.lemma_.lower() in people:
                            return inner
    return None


def _misparsed_subject(verb: Node) -> Node | None:
    """A finite verb's missing subject that the small parser took for a noun-phrase
    adverbial: "Turkey massed tanks on the border" parses "Turkey" as npadvmod. Only a
    proper noun that opens the clause, left of its past-tense verb, counts; or the root noun
    phrase a past-tense verb was hung on as its modifier."""
    if verb.tag_ != "VBD":
        return None
    head = verb.head
    if verb.dep_ == "acl" and head.dep_ == "ROOT" and head.pos_ in {"NOUN", "PROPN"}:
        # "Bolivia's foreign minister called on Chile to ...": a past-tense verb the parser
        # hung on the sentence's only noun phrase as a modifier; that phrase is its subject
        # (a participle, VBN, is a real modifier: "the minister called back")
        return head
    for child in verb.children:
        if child.i >= verb.i:
            return None
        if child.dep_ == "npadvmod" and child.pos_ == "PROPN" and child.i == _clause_start(verb):
            return child
    return None


def _clause_start(verb: Node) -> int:
    return min((c.i for c in verb.subtree), default=verb.i)


def infinitive(token: Node) -> bool:
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in token.children)


def asked_clause(child: Node) -> bool:
    """The clause an appeal or demand noun asks for: "demand that Belarus free all
    prisoners", "appeal to Russia to end the siege" (the parser's ``acl``)."""
    if child.dep_ != "acl":
        return False
    thats = [c for c in child.children if c.lower_ == "that"]
    objects = [c for c in child.children if c.dep_ in OBJECT_DEPS and c.lower_ != "that"]
    return (
        infinitive(child)
        or any(c.dep_ == "mark" for c in thats)
        # the small parser also reads the complementizer as the clause's object; a relative
        # "that" ("the demand that Iran rejected") leaves the verb no object of its own
        or (any(c.dep_ in OBJECT_DEPS for c in thats) and bool(objects))
    )


def relative_antecedent(subject: Node) -> Node | None:
    """The noun a relative pronoun subject stands for ("the group *that* seized ...")."""
    if subject.lower_ not in _RELATIVE_PRONOUNS or subject.tag_ not in {"WDT", "WP", "DT"}:
        return None
    verb = subject.head
    while verb.dep_ in {"conj", "xcomp"} and verb.head.i != verb.i:
        verb = verb.head
    if verb.dep_ == "relcl" and verb.head.i != verb.i:
        return verb.head
    return None


def agent_objects(verb: Node) -> list[Node]:
    """The objects of a passive verb's "by" agents ("was approved *by* parliament"); a
    deadline is no agent ("would be withdrawn *by* the middle of next year")."""
    return [
        pobj
        for agent in children_with(verb, {"agent"})
        for pobj in children_with(agent, {"pobj"})
        if not _is_deadline(pobj)
    ]


_PARTS_OF_TIME = frozenset({"middle", "end", "start", "beginning", "close", "half"})


def _is_deadline(noun: Node) -> bool:
    """A time ("by Friday", "by the end of the month")."""
    times = lexicon().time_nouns
    if noun.lemma_.lower() in times:
        return True
    return noun.lemma_.lower() in _PARTS_OF_TIME and any(
        pobj.lemma_.lower() in times
        for of in children_with(noun, {"prep"})
        if of.lower_ == "of"
        for pobj in children_with(of, {"pobj"})
    )


def stray_agent_objects(verb: Node) -> list[Node]:
    """The "by" agent of a passive that the small parser hangs on the verb's prepositional
    object ("were interned in camps *by* Chinese authorities")."""
    return [
        pobj
        for prep in children_with(verb, {"prep"})
        if prep.lower_ != "by"
        for inner in children_with(prep, {"pobj"})
        for by in children_with(inner, {"prep"})
        if by.lower_ == "by"
        for pobj in children_with(by, {"pobj"})
    ]
