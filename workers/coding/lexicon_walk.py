"""The walk of a verb's dependents for the dictionary lexicon (``workers.coding.lexicon``):
which of its keys (particle, object, preposition, prepositional object) the parse gives,
and how specific each is. Every key is one dict lookup; the most specific wins."""

from __future__ import annotations

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
        out.extend(c for c in cargo(obj) if c not in out)
    return out


# A vehicle's participle names its cargo: "ships carrying medical supplies", "trucks loaded
# with aid". CAMEO codes sending such a vehicle by what it carries (07x aid, 072 arms).
_CARRYING_VERBS = frozenset({"carry", "transport", "ferry", "bear", "bring", "deliver"})
_LADEN_VERBS = frozenset({"load", "laden", "pack", "fill", "stock"})


def cargo(noun: Node) -> list[Node]:
    """What a noun's participle says it carries: the object of "carrying", the "with"
    object of "loaded"."""
    out: list[Node] = []
    for acl in noun.children:
        if acl.dep_ != "acl":
            continue
        lemma = acl.lemma_.lower()
        if lemma in _CARRYING_VERBS:
            out.extend(_with_conjuncts([c for c in acl.children if c.dep_ == "dobj"]))
        elif lemma in _LADEN_VERBS or acl.lower_ == "laden":
            for prep in acl.children:
                if prep.dep_ == "prep" and prep.lower_ == "with":
                    out.extend(_with_conjuncts([c for c in prep.children if c.dep_ == "pobj"]))
    return out


def pick(
    keyed: dict[Key, tuple[VerbPattern, ...]], key: Key, noun: Node | None
) -> tuple[VerbPattern, bool] | None:
    """The first pattern of ``key`` whose modifiers the noun carries (most modifiers first),
    else its first pattern without modifiers. Only the patterns that name one of the
    noun's modifier words are tested (``_ModifierIndex``): a key can have 90 of them."""
    patterns = keyed.get(key)
    if not patterns:
        return None
    index = _modifier_index(patterns)
    if index.modified:  # computed only for a key with a pattern that needs it
        present = _modifier_words(noun) if noun is not None else frozenset()
        naming = index.naming
        tried = sorted({at for word in present if word in naming for at in naming[word]})
        for at in tried:
            if patterns[at].modifiers <= present:
                return patterns[at], True
    if index.bare_at is not None:
        return patterns[index.bare_at], False
    return None


class _ModifierIndex:
    """Where a key's patterns (sorted by ``pattern_lexicon``: most modifiers first, so
    those without modifiers come last) stop naming modifiers, and which of the ones before
    name each word."""

    __slots__ = ("bare_at", "modified", "naming", "patterns")

    def __init__(self, patterns: tuple[VerbPattern, ...]) -> None:
        self.patterns = patterns  # kept, so that the id this index is filed under stays its
        self.bare_at = next((at for at, p in enumerate(patterns) if not p.modifiers), None)
        self.modified = self.bare_at != 0 and bool(patterns)
        self.naming: dict[str, list[int]] = {}
        for at, pattern in enumerate(patterns[: self.bare_at]):
            for word in pattern.modifiers:
                self.naming.setdefault(word, []).append(at)


_MODIFIER_INDEXES: dict[int, _ModifierIndex] = {}


def _modifier_index(patterns: tuple[VerbPattern, ...]) -> _ModifierIndex:
    """The index of one key's patterns, made on first use (filed by the tuple's id: a
    tuple's hash is not cached, and the lexicon's tuples live as long as the process)."""
    index = _MODIFIER_INDEXES.get(id(patterns))
    if index is None or index.patterns is not patterns:
        index = _MODIFIER_INDEXES[id(patterns)] = _ModifierIndex(patterns)
    return index


_COMPLEMENT_DEPS = frozenset({"ccomp", "xcomp"})
_SEPARATE_VERB_PARTICLES = frozenset({"off"})
_FUNCTION_WORD_DEPS = frozenset({"prep", "agent", "dative", "prt", "advmod"})
_QUANTITY_PREPS = frozenset({"of"})
_MONEY_PREPS = frozenset({"of", "in"})


def dates_the_verb(prep: Node, time_nouns: frozenset[str]) -> bool:
    """ "called on Monday": a preposition whose objects are all times dates the act; it is
    not the preposition of a pattern ("call on" a government)."""
    pobjs = [c for c in prep.children if c.dep_ == "pobj"]
    return bool(pobjs) and all(
        p.lemma_.lower() in time_nouns
        # "bowing to weeks of protests": a time counting something is no date
        and not any(g.dep_ == "prep" and g.lower_ == "of" for g in p.children)
        for p in pobjs
    )


def best_candidate(
    token: Node,
    keyed: dict[Key, tuple[VerbPattern, ...]],
    words: frozenset[str] | None,
    quantity_nouns: frozenset[str],
    carrier_nouns: frozenset[str],
    money_nouns: frozenset[str] = frozenset(),
    time_nouns: frozenset[str] = frozenset(),
) -> Candidate | None:
    """The most specific of the patterns of ``keyed`` (one verb's) that the token's
    dependents fit; of equally specific ones, the first in the order the keys are tried
    (particle by particle: each object, each preposition with its objects, then the bare
    key). Every key is one dict lookup; ``pick`` runs only for a key the verb has."""
    if len(keyed) == 1 and _BARE_KEY in keyed:
        # a verb with bare patterns only (794 of the 1,707): no dependent can make
        # another key, so its dependents need no walk
        picked = pick(keyed, _BARE_KEY, None)
        return None if picked is None else (_BARE * 2 + picked[1], picked[0], *_NONE)
    particles: list[Node] = []
    objects: list[Node] = []
    preps: list[Node] = []
    for c in token.children:
        dep = c.dep_
        if dep in OBJECT_DEPS:
            objects.append(c)
        elif dep in _COMPLEMENT_DEPS:
            # "allowed observers to monitor the vote", "allowed a convoy carrying food into":
            # the parser makes the object the subject of the infinitive or participle; for
            # the pattern it is the verb's object
            if (
                c.tag_ == "VBG"
                or any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children)
                # "let inspectors back into the country": the parser makes "back" a
                # clause with the object as its subject
                or (c.pos_ in {"ADV", "ADP"} and c.lower_ in PARTICLE_WORDS)
            ):
                objects.extend(g for g in c.children if g.dep_ == "nsubj")
        elif dep in _FUNCTION_WORD_DEPS:
            lower = c.lower_
            if (
                words is not None
                and lower not in words
                and not (dep == "prep" and lower in PARTICLE_WORDS)
            ):
                continue
            if dep == "prt":
                # "handed in their weapons": the parser can hang the object off the particle
                objects.extend(g for g in c.children if g.dep_ == "pobj")
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
            elif dep != "advmod" and not dates_the_verb(c, time_nouns):
                preps.append(c)
    if token.dep_ in {"amod", "acl", "relcl"} and token.head.pos_ in {"NOUN", "PROPN"}:
        objects.append(token.head)  # "the sanctions imposed on ...", "the curfew it lifted"
    objects = _with_conjuncts(objects)
    if quantity_nouns or carrier_nouns or money_nouns:
        objects += _quantified(objects, quantity_nouns, carrier_nouns, money_nouns, token)
    # (lemmas and prepositional objects read once, not once per particle)
    object_lemmas = [(obj, obj.lemma_.lower()) for obj in objects]
    prep_objects = [
        (
            prep,
            prep.lower_,
            [
                (pobj, pobj.lemma_.lower())
                for pobj in _with_conjuncts([c for c in prep.children if c.dep_ == "pobj"])
            ],
        )
        for prep in preps
    ]
    # the keys the verb has, in the order ties are broken: (key, base specificity, the noun
    # whose modifiers count, particle, object, preposition, prepositional object)
    fitting: list[tuple[Key, int, Node | None, Node | None, Node | None, Node | None, Node | None]]
    fitting = []
    for particle in [None, *particles]:
        word = particle.lower_ if particle is not None else ""
        for obj, lemma in object_lemmas:
            key = (word, lemma, "", "")
            if key in keyed:
                base = _PARTICLE_OBJECT if word else _OBJECT
                fitting.append((key, base, obj, particle, obj, None, None))
        for prep, prep_word, pobjs in prep_objects:
            for pobj, lemma in pobjs:
                key = (word, "", prep_word, lemma)
                if key in keyed:
                    base = _PARTICLE_OBJECT if word else _PREP_OBJECT
                    fitting.append((key, base, pobj, particle, None, prep, pobj))
                if not word and prep_word in PARTICLE_WORDS:
                    # the small model often parses a particle as a preposition: "handed over
                    # medicine" gives over/prep + medicine/pobj; read it as particle + object too
                    key = (prep_word, lemma, "", "")
                    if key in keyed:
                        fitting.append((key, _PARTICLE_OBJECT, pobj, prep, pobj, None, None))
            key = (word, "", prep_word, "")
            if key in keyed:
                fitting.append(
                    (key, _PARTICLE if word else _PREP, None, particle, None, prep, None)
                )
        key = (word, "", "", "")
        if key in keyed:
            fitting.append((key, _PARTICLE if word else _BARE, None, particle, None, None, None))
    if not fitting or all(fit[5] is None for fit in fitting):
        # "placed its artillery units on combat alert": the parser often hangs the verb's
        # phrase off its object; a pattern of the verb's preposition and its object (never
        # the preposition alone) is read there too, when the verb has no such phrase itself
        own_preps = {prep_word for _, prep_word, _ in prep_objects}
        for obj, _ in object_lemmas[:1]:
            for prep in obj.children:
                prep_word = prep.lower_
                if (
                    prep.dep_ != "prep"
                    or prep_word in own_preps
                    or (words is not None and prep_word not in words)
                ):
                    continue
                for pobj in prep.children:
                    if pobj.dep_ == "pobj":
                        key = ("", "", prep_word, pobj.lemma_.lower())
                        if key in keyed:
                            fitting.append((key, _PREP_OBJECT, pobj, None, None, prep, pobj))
    if any(fit[3] is not None and fit[3].lower_ in _SEPARATE_VERB_PARTICLES for fit in fitting):
        # "off" makes a verb of its own, which the dictionary files as its own form: "called
        # off a visit" is "call off" (no event), never the bare verb's "call" + "visit"
        # (026), however specific the object makes that pattern. (Other particles mostly
        # keep the verb's sense, "pulled its troops back" is still "pull" + "troops", so they
        # compete with its patterns by specificity as before.)
        fitting = [fit for fit in fitting if fit[3] is not None]
    best: Candidate | None = None
    best_score = 0  # every score is at least 2 (_BARE * 2)
    for key, base, noun, by_particle, by_object, by_prep, by_prep_object in fitting:
        picked = pick(keyed, key, noun)
        if picked is not None and base * 2 + picked[1] > best_score:
            best_score = base * 2 + picked[1]
            best = (best_score, picked[0], by_particle, by_object, by_prep, by_prep_object)
    return best
