"""The walk of a verb's dependents for the dictionary lexicon (``workers.coding.lexicon``):
which of its keys (particle, object, preposition, prepositional object) the parse gives,
and how specific each is. Every key is one dict lookup; the most specific wins."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, TypeAlias

from workers.coding.doctree import Node

if TYPE_CHECKING:
    from workers.coding.lexicon import VerbPattern

PARTICLE_WORDS = frozenset(
    {"up", "down", "out", "off", "back", "away", "aside", "apart", "forth", "ahead", "over"}
)
OBJECT_DEPS = frozenset({"dobj", "obj", "nsubjpass", "attr", "oprd"})
MODIFIER_DEPS = frozenset({"amod", "compound", "nmod", "poss", "npadvmod", "nummod"})

# (particle, object, prep, prep object) -> base specificity; higher wins
_BARE, _PREP, _PREP_OBJECT, _PARTICLE, _OBJECT, _PARTICLE_OBJECT = 1, 2, 3, 3, 4, 5

Key = tuple[str, str, str, str]
BARE_SPECIFICITY = _BARE * 2  # a match no more specific than this is unconstrained

# A pattern that fits, before it is chosen: (specificity, pattern, particle, object,
# preposition, prepositional object), as ``LexiconMatch`` takes them; only the chosen one
# is made a LexiconMatch.
Candidate: TypeAlias = "tuple[int, VerbPattern, Node | None, Node | None, Node | None, Node | None]"
_BARE_KEY: Key = ("", "", "", "")
_NONE: tuple[None, None, None, None] = (None, None, None, None)  # no particle, object, ...


def _modifier_words(token: Node) -> frozenset[str]:
    """The words that qualify a noun: "economic sanctions", "state of emergency",
    "restrictions on remittances"."""
    words = {c.lemma_.lower() for c in token.children if c.dep_ in MODIFIER_DEPS}
    words.update(prep_object_lemmas(token, ("of", "on")))
    return frozenset(words)


def prep_object_lemmas(token: Node, preps: tuple[str, ...]) -> list[str]:
    """Lemmas of the noun's prepositional objects under these prepositions ("of missiles")."""
    return [
        p.lemma_.lower()
        for prep in token.children
        if prep.dep_ == "prep" and prep.lower_ in preps
        for p in prep.children
        if p.dep_ == "pobj"
    ]


def _with_conjuncts(tokens: list[Node]) -> list[Node]:
    out: list[Node] = []
    for token in tokens:
        out.append(token)
        out.extend(c for c in token.conjuncts if c not in out and c.i > token.i)
    return out


def _quantified(
    objects: list[Node],
    quantity_nouns: frozenset[str],
    carrier_nouns: frozenset[str],
    money_nouns: frozenset[str] = frozenset(),
    verb: Node | None = None,
) -> list[Node]:
    """What a quantity object counts ("700 kg *of medicine*"), a sum pays for ("$30
    million *in aid*", where the parser often hangs "in" off the verb) or a carrier noun
    carries ("*aid* deliveries")."""
    out: list[Node] = []
    for obj in objects:
        lemma = obj.lemma_.lower()
        if lemma in quantity_nouns or lemma in money_nouns:
            through = _MONEY_PREPS if lemma in money_nouns else _QUANTITY_PREPS
            holders = [obj, verb] if lemma in money_nouns and verb is not None else [obj]
            for holder in holders:
                for prep in holder.children:
                    if prep.dep_ == "prep" and prep.lower_ in through:
                        pobjs = [c for c in prep.children if c.dep_ == "pobj"]
                        out.extend(_with_conjuncts(pobjs))
        if lemma in carrier_nouns:
            out.extend(c for c in obj.children if c.dep_ == "compound")
    return out


def pick(
    keyed: dict[Key, tuple[VerbPattern, ...]], key: Key, noun: Node | None
) -> tuple[VerbPattern, bool] | None:
    """The first pattern of ``key`` whose modifiers the noun carries (most modifiers first)."""
    patterns = keyed.get(key)
    if not patterns:
        return None
    present: frozenset[str] | None = None  # computed only for a pattern that needs it
    for pattern in patterns:
        if not pattern.modifiers:
            return pattern, False
        if present is None:
            present = _modifier_words(noun) if noun is not None else frozenset()
        if pattern.modifiers <= present:
            return pattern, True
    return None


_COMPLEMENT_DEPS = frozenset({"ccomp", "xcomp"})
_QUANTITY_PREPS = frozenset({"of"})
_MONEY_PREPS = frozenset({"of", "in"})


def candidates(
    token: Node,
    keyed: dict[Key, tuple[VerbPattern, ...]],
    words: frozenset[str] | None,
    quantity_nouns: frozenset[str],
    carrier_nouns: frozenset[str],
    money_nouns: frozenset[str] = frozenset(),
) -> Iterator[Candidate]:
    """The patterns of ``keyed`` (one verb's) that the token's dependents fit, in the order
    ties are broken (the first of the most specific wins)."""
    if len(keyed) == 1 and _BARE_KEY in keyed:
        # a verb with bare patterns only (794 of the 1,707): no dependent can make
        # another key, so its dependents need no walk
        picked = pick(keyed, _BARE_KEY, None)
        if picked is not None:
            yield (_BARE * 2 + picked[1], picked[0], *_NONE)
        return
    particles: list[Node] = []
    objects: list[Node] = []
    preps: list[Node] = []
    for c in token.children:
        dep = c.dep_
        if dep in OBJECT_DEPS:
            objects.append(c)
        elif dep in _COMPLEMENT_DEPS:
            # "allowed observers to monitor the vote": the parser makes the object the
            # subject of the infinitive; for the pattern it is the verb's object
            if any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children):
                objects.extend(g for g in c.children if g.dep_ == "nsubj")
        elif dep in {"prep", "agent", "dative", "prt", "advmod"}:
            lower = c.lower_
            if (
                words is not None
                and lower not in words
                and not (dep == "prep" and lower in PARTICLE_WORDS)
            ):
                continue
            if dep == "prt" or (
                lower in PARTICLE_WORDS
                and dep != "dative"
                and not any(g.dep_ == "pobj" for g in c.children)
            ):
                particles.append(c)
                # "pulled out of the talks": the parser often hangs "of" off the particle
                preps.extend(
                    g
                    for g in c.children
                    if g.dep_ == "prep" and (words is None or g.lower_ in words)
                )
            elif dep != "advmod":
                preps.append(c)
    if token.dep_ in {"amod", "acl", "relcl"} and token.head.pos_ in {"NOUN", "PROPN"}:
        objects.append(token.head)  # "the sanctions imposed on ...", "the curfew it lifted"
    objects = _with_conjuncts(objects)
    if quantity_nouns or carrier_nouns or money_nouns:
        objects += _quantified(objects, quantity_nouns, carrier_nouns, money_nouns, token)

    def found(
        key: Key,
        base: int,
        noun: Node | None,
        particle: Node | None,
        obj: Node | None = None,
        prep: Node | None = None,
        prep_object: Node | None = None,
    ) -> Candidate | None:
        picked = pick(keyed, key, noun)
        if picked is None:
            return None
        pattern, qualified = picked
        return (base * 2 + qualified, pattern, particle, obj, prep, prep_object)

    for particle in [None, *particles]:
        word = particle.lower_ if particle is not None else ""
        for obj in objects:
            match = found(
                (word, obj.lemma_.lower(), "", ""),
                _PARTICLE_OBJECT if word else _OBJECT,
                obj,
                particle=particle,
                obj=obj,
            )
            if match:
                yield match
        for prep in preps:
            for pobj in _with_conjuncts([c for c in prep.children if c.dep_ == "pobj"]):
                match = found(
                    (word, "", prep.lower_, pobj.lemma_.lower()),
                    _PARTICLE_OBJECT if word else _PREP_OBJECT,
                    pobj,
                    particle=particle,
                    prep=prep,
                    prep_object=pobj,
                )
                if match:
                    yield match
                if not word and prep.lower_ in PARTICLE_WORDS:
                    # the small model often parses a particle as a preposition: "handed over
                    # medicine" gives over/prep + medicine/pobj; read it as particle + object too
                    match = found(
                        (prep.lower_, pobj.lemma_.lower(), "", ""),
                        _PARTICLE_OBJECT,
                        pobj,
                        particle=prep,
                        obj=pobj,
                    )
                    if match:
                        yield match
            match = found(
                (word, "", prep.lower_, ""),
                _PARTICLE if word else _PREP,
                None,
                particle=particle,
                prep=prep,
            )
            if match:
                yield match
        match = found((word, "", "", ""), _PARTICLE if word else _BARE, None, particle=particle)
        if match:
            yield match
