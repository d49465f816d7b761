"""The dictionary-scale verb-pattern lexicon: loaded once, matched by hash.

The data (``workers/data/coding/verb_patterns.tsv`` and ``event_nouns.tsv``) is built from
the CAMEO verb dictionaries by ``python -m workers.coding.lexicon_build``; parley's own
entries (``triggers.yaml``) are matched first by the triggers module and win over these.

A verb is looked up by its lemma, then by the words the parse puts around it: its
particle, its object's head lemma, a preposition and that preposition's object. Each is a
dict lookup; nothing is scanned. The more specific pattern wins:
verb + particle + object > verb + object > verb + particle / verb + prep + object >
verb + prep > bare verb; a pattern whose modifier words are all present on the object
("economic sanctions") beats the same pattern without them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from workers.coding.doctree import Node
from workers.coding.lexicon_walk import BARE_SPECIFICITY, Key, best_candidate
from workers.coding.tables import CODING_DATA_DIR
from workers.nlp.spelling import american_text

NO_EVENT = "---"
# Among patterns of one key: parley's own first, then those both dictionaries agree on.
_ORIGIN_RANK = {"parley": 0, "P1+P2": 1, "P1": 2, "P2": 3}
TRUSTED_ORIGINS = frozenset({"parley", "P1+P2"})


@dataclass(frozen=True, slots=True)
class VerbPattern:
    """One row of the lexicon: a verb lemma, the words around it, and their code."""

    lemma: str
    particle: str
    obj: str
    modifiers: frozenset[str]
    prep: str
    prep_object: str
    code: str  # "---": the dictionary marks this use as no event
    origin: str  # P1, P2, P1+P2 (both dictionaries agree), parley (verb_patterns_parley.tsv)
    other_code: str = ""  # the other dictionary's code where they disagree

    @property
    def key(self) -> Key:
        return (self.particle, self.obj, self.prep, self.prep_object)

    @property
    def pattern_id(self) -> str:
        words = [
            self.lemma,
            self.particle,
            "+".join(sorted(self.modifiers)),
            self.obj,
            self.prep,
            self.prep_object,
        ]
        return f"{self.origin}:" + "/".join(words)


@dataclass(slots=True)
class LexiconMatch:
    """The best pattern for a verb token and the tokens that satisfied it (not frozen:
    one is made per matched verb and only read, and a frozen ``__init__`` sets each
    field through ``object.__setattr__``)."""

    pattern: VerbPattern
    specificity: int
    particle: Node | None = None
    obj: Node | None = None
    prep: Node | None = None
    prep_object: Node | None = None

    @property
    def code(self) -> str | None:
        """The CAMEO code; None where the dictionary says this use is no event."""
        return None if self.pattern.code == NO_EVENT else self.pattern.code

    @property
    def constrained(self) -> bool:
        return self.specificity > BARE_SPECIFICITY


@dataclass(frozen=True, slots=True)
class EventNoun:
    lemma: str
    code: str
    origin: str  # "dictionary" (derived by the build) or "parley" (event_nouns_parley.tsv)


@dataclass(frozen=True, slots=True)
class MatchPolicy:
    """Which dictionary patterns the coder trusts (general filters, measured on the dev sets:
    a raw dictionary adds more false events than true ones).

    - bare verbs are off: the dictionaries' verb blocks are WordNet synonym sets whose block
      code fits the head verb, not every synonym ("go", "join", "give" code 040/060);
    - a pattern constrained only by a function word (a particle, or a preposition without its
      object) counts only when both dictionaries agree on it;
    - statements (root 01) are left to parley's reporting-verb handling: PLOVER has no type
      for them and a "say" trigger would hide the reported event.
    Also measured and left out: bare verbs where every pattern of the verb shares one root
    (no gain), a block's patterns on all its synonyms as PETRARCH reads them (precision
    0.73 -> 0.63 on the PLOVER dev set).
    """

    bare_verbs: bool = False
    weak_needs_agreement: bool = True
    skip_roots: frozenset[str] = frozenset({"01"})
    # a constrained pattern from one dictionary alone is trusted from either (re-measured
    # with the intent and actor work merged: P2-only patterns right 8 times in 12, and the
    # F1 of both dev sets up; set to {"P1"} to take PETRARCH-2 only where PETRARCH-1 agrees)
    single_sources: frozenset[str] = frozenset({"P1", "P2"})

    def allows(self, match: LexiconMatch) -> bool:
        pattern = match.pattern
        if pattern.code == NO_EVENT:
            return True  # a more specific "no event" reading still blocks the verb
        if pattern.code[:2] in self.skip_roots:
            return False
        if not match.constrained:
            return self.bare_verbs
        if pattern.origin not in TRUSTED_ORIGINS and pattern.origin not in self.single_sources:
            return False
        weak = not (pattern.obj or pattern.prep_object)
        return not (weak and self.weak_needs_agreement and pattern.origin not in TRUSTED_ORIGINS)


DEFAULT_POLICY = MatchPolicy()
# Prepositions whose object is an argument of an event noun ("a blockade *of* the port",
# "an attack *on* the convoy", "talks *with* the rebels").
NOUN_ARGUMENT_PREPS = frozenset({"of", "on", "against", "with", "between", "by", "from", "into"})
# Where a noun with an argument is an event of its own: a clause's subject or a headline head.
NOUN_EVENT_DEPS = frozenset({"nsubj", "nsubjpass", "ROOT"})


@dataclass(frozen=True)
class PatternLexicon:
    verbs: dict[str, dict[Key, tuple[VerbPattern, ...]]]
    nouns: dict[str, EventNoun]
    light_verbs: frozenset[tuple[str, str]] = frozenset()  # (lemma, preposition or "")
    # per verb, the particles and prepositions its keys use: other dependents are skipped
    words: dict[str, frozenset[str]] | None = None

    def __len__(self) -> int:
        return sum(len(p) for keyed in self.verbs.values() for p in keyed.values())

    def codes(self) -> frozenset[str]:
        return frozenset(
            p.code for keyed in self.verbs.values() for ps in keyed.values() for p in ps
        ) - {NO_EVENT}

    def match_verb(
        self,
        token: Node,
        lemma: str | None = None,
        policy: MatchPolicy | None = None,
        quantity_nouns: frozenset[str] = frozenset(),
        carrier_nouns: frozenset[str] = frozenset(),
        money_nouns: frozenset[str] = frozenset(),
        time_nouns: frozenset[str] = frozenset(),
    ) -> LexiconMatch | None:
        """The most specific pattern of ``token`` (a verb) given its dependents, or None
        when a policy does not trust it (a less specific pattern is not a fallback: the
        dictionary meant the specific one for this use). ``match.code`` is None where the
        dictionary says this use of the verb is no event."""
        lemma = lemma or token.lemma_.lower()
        keyed = self.verbs.get(lemma)
        if not keyed:
            return None
        words = self.words.get(lemma) if self.words is not None else None
        best = best_candidate(
            token, keyed, words, quantity_nouns, carrier_nouns, money_nouns, time_nouns
        )
        if best is None:
            return None
        code = best[1].code
        if policy is not None and code != NO_EVENT and code[:2] in policy.skip_roots:
            return None  # as ``policy.allows`` answers first, before a match is made
        match = LexiconMatch(best[1], best[0], *best[2:])
        if policy is not None and not policy.allows(match):
            return None
        return match

    def match_noun(
        self, token: Node, lemma: str | None = None, light_verbs: frozenset[str] = frozenset()
    ) -> EventNoun | None:
        """The event a noun names: the object of a light verb ("launched an offensive",
        "engaged in ethnic cleansing"; ``light_verbs`` adds the caller's own) or
        a clause's subject or head with an argument (a possessor, a compound name, a
        prepositional complement: "the blockade of the port began"). Elsewhere the noun is
        the theme of another word ("agreed to a ceasefire", "rejected war") or a bare
        mention, not an event of its own."""
        if token.pos_ != "NOUN":  # a proper noun is a name ("March"), not an event
            return None
        noun = self.nouns.get(lemma or token.lemma_.lower())
        if noun is None:
            return None
        head = token.head.lemma_.lower()
        if token.dep_ in {"dobj", "obj"} or (
            token.dep_ == "nsubjpass" and (head in light_verbs or (head, "") in self.light_verbs)
        ):
            # ("an amnesty was approved by parliament": the light verb's passive subject)
            return noun if head in light_verbs or (head, "") in self.light_verbs else None
        if token.dep_ == "pobj" and token.head.dep_ == "prep":
            verb = token.head.head.lemma_.lower()  # "engaged in ethnic cleansing"
            return noun if (verb, token.head.lower_) in self.light_verbs else None
        if token.dep_ not in NOUN_EVENT_DEPS:
            return None
        argued = any(
            c.dep_ == "poss"
            or (c.dep_ == "compound" and c.pos_ == "PROPN")
            or (c.dep_ == "prep" and c.lower_ in NOUN_ARGUMENT_PREPS)
            for c in token.children
        )
        return noun if argued else None


def _rows(path: Path, width: int) -> Iterator[list[str]]:
    # American spelling, as parley_american_spelling gives the Doc's lemmas.
    for line in american_text(path.read_text(encoding="utf-8")).splitlines():
        if line and not line.startswith("#"):
            yield (line.split("\t") + [""] * width)[:width]


@cache
def pattern_lexicon(
    patterns_path: Path = CODING_DATA_DIR / "verb_patterns.tsv",
    nouns_path: Path = CODING_DATA_DIR / "event_nouns.tsv",
    own_nouns_path: Path = CODING_DATA_DIR / "event_nouns_parley.tsv",
    own_patterns_path: Path = CODING_DATA_DIR / "verb_patterns_parley.tsv",
    light_verbs_path: Path = CODING_DATA_DIR / "light_verbs.tsv",
) -> PatternLexicon:
    """The lexicon, parsed once per process."""
    building: dict[str, dict[Key, list[VerbPattern]]] = {}
    rows = list(_rows(own_patterns_path, 9)) if own_patterns_path.exists() else []
    for lemma, particle, obj, modifiers, prep, pobj, code, origin, other in [
        *rows,
        *_rows(patterns_path, 9),
    ]:
        pattern = VerbPattern(
            lemma=lemma,
            particle=particle,
            obj=obj,
            modifiers=frozenset(m for m in modifiers.split(",") if m),
            prep=prep,
            prep_object=pobj,
            code=code,
            origin=origin,
            other_code=other,
        )
        building.setdefault(lemma, {}).setdefault(pattern.key, []).append(pattern)
    verbs: dict[str, dict[Key, tuple[VerbPattern, ...]]] = {}
    words: dict[str, frozenset[str]] = {}
    for lemma, keyed in building.items():
        verbs[lemma] = {
            key: tuple(sorted(ps, key=lambda p: (-len(p.modifiers), _ORIGIN_RANK[p.origin])))
            for key, ps in keyed.items()
        }
        words[lemma] = frozenset(w for particle, _, prep, _ in keyed for w in (particle, prep) if w)
    nouns = {
        lemma: EventNoun(lemma=lemma, code=code, origin="dictionary")
        for lemma, code, _count in _rows(nouns_path, 3)
    }
    if own_nouns_path.exists():  # parley's own nouns win over derived ones; "---" removes one
        for lemma, code, _source in _rows(own_nouns_path, 3):
            if code == NO_EVENT:
                nouns.pop(lemma, None)
            else:
                nouns[lemma] = EventNoun(lemma=lemma, code=code, origin="parley")
    light = frozenset((verb, prep) for verb, prep in _rows(light_verbs_path, 2))
    return PatternLexicon(verbs=verbs, nouns=nouns, light_verbs=light, words=words)
