"""Trigger matching: which tokens are event triggers, by lexicon lookup.

The lexicon (``workers/data/coding/``) is loaded once by ``workers.coding.tables``;
this module decides, per token, which entry matches (verb with object/particle/
preposition/subject constraints, or an event noun).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from spacy.strings import hash_string  # type: ignore[attr-defined]
from spacy.tokens import Span

from workers.coding.doctree import Node, doc_tree
from workers.coding.events.parse import (
    OBJECT_DEPS,
    PASSIVE_SUBJECT_DEPS,
    SUBJECT_DEPS,
    agent_objects,
    children_with,
    conjuncts,
    lemma_in,
    lemma_of,
    stray_agent_objects,
    subject_token,
)
from workers.coding.lexicon import (
    DEFAULT_POLICY,
    NO_EVENT,
    LexiconMatch,
    MatchPolicy,
    PatternLexicon,
    VerbPattern,
    pattern_lexicon,
)
from workers.coding.lexicon_walk import cargo, dates_the_verb
from workers.coding.tables import Lexicon, Trigger, plover_type_of
from workers.nlp.types import ResolvedDoc

# How the dictionary lexicon (lexicon.py) joins parley's own entries (triggers.yaml):
# parley's entries are tried first and win; the dictionary's most specific pattern that the
# policy trusts is used where none of them matches. (Letting a constrained dictionary
# pattern beat a bare parley entry measured worse on both dev sets.)
POLICY = DEFAULT_POLICY


@dataclass(slots=True)
class Match:
    """A trigger found at a token. Never changed once made (a refined one replaces it,
    ``dataclasses.replace``) nor hashed; not frozen only because a frozen dataclass's
    ``__init__`` sets each field through ``object.__setattr__``, at a cost the coder
    measures (one Match per matched candidate)."""

    token: Node
    trigger: Trigger
    code: str
    theme: Node | None
    inner: Match | None = None  # a folded complement trigger ("refused to *meet* X")
    intent: bool = False  # coded as an expressed intent ("pledged to send aid" -> 033)
    allegation: bool = False  # "claimed that X attacked Y": X accused, the attack not coded


def match_verb(token: Node, lex: Lexicon, resolved: ResolvedDoc) -> Match | None:
    if token.pos_ not in {"VERB", "AUX"} and token.tag_ not in {"VB", "VBD"}:
        return None
    lemma = lemma_of(token)
    if _describes_its_doers(token, lex, lemma):
        return None
    own = _match_own_verb(token, lex, resolved, lemma)
    if token.pos_ != "VERB":
        return own
    dictionary = pattern_lexicon()
    if own is None and lemma in _uncodable_verbs(dictionary, POLICY):
        return None  # no pattern of the verb can code an event: its dependents need no walk
    found = dictionary.match_verb(
        token,
        lemma,
        POLICY,
        lex.quantity_nouns,
        lex.carrier_nouns,
        lex.money_nouns,
        lex.time_nouns,
    )
    if lemma in lex.light_verbs:
        # "launched an indefinite nationwide strike": parley's own entry for the object
        # noun, fitted by its modifiers (a labour strike, 143), says which act the light
        # verb's object is, over "launch" + "strike" (195, an air strike); the noun codes it
        if own is not None and _object_names_another_act(own.theme, own.code, lex):
            own = None
        if found is not None and _object_names_another_act(found.obj, found.code, lex):
            return own
    if own is None:
        return _dictionary_match(token, found)
    if (
        found is not None
        and found.code is None
        and found.constrained
        and not own.trigger.constrained
    ):
        return None  # a dictionary pattern for this very use says "no event": it is more specific
    if found is None or found.code is None:
        return own
    if (
        (own.trigger.general or not own.trigger.constrained)
        and found.constrained
        and found.pattern.origin == PARLEY_ORIGIN
    ):
        # parley's own row for this use of a vague or bare verb ("ordered the ambassador"
        # 166, not the bare "order" 100; "boycotted the election" 143, not 163): the more
        # specific pattern wins
        return _dictionary_match(token, found)
    if (
        found.pattern.origin == PARLEY_ORIGIN
        and found.code[:2] == own.code[:2]
        and (found.pattern.obj or found.pattern.prep_object)
    ):
        # parley's own row names this use's kind within the same root ("spoke by phone
        # with" 041 for "speak with" 040): its code, the trigger's arguments
        return replace(own, code=found.code)
    if (
        own.theme is not None
        and found.obj is not None
        and found.obj.i == own.theme.i
        and len(found.code) > len(own.code)
        and found.code.startswith(own.code)
    ):
        # the dictionary refines parley's code for the same verb and object
        # ("lift" + "curfew": parley's 081, the dictionary's 0813)
        return replace(own, code=found.code)
    same_theme = own.theme is not None and any(
        t is not None and t.i == own.theme.i for t in (found.obj, found.prep_object)
    )
    if (
        (not own.trigger.constrained or same_theme)
        and own.code.endswith("0")
        and found.code[:2] == own.code[:2]
        and found.code != own.code
        and plover_type_of(found.code) == plover_type_of(own.code)
    ):
        # parley's entry gives its root's "not specified" code (030, 040, ...), bare or
        # for the same object: the dictionary says which kind ("pledged aid" 033, "held
        # talks" 046), within the PLOVER type parley's entry gave (08 splits code by code)
        return replace(own, code=found.code, theme=found.obj or found.prep_object or own.theme)
    return own


def _describes_its_doers(token: Node, lex: Lexicon, lemma: str) -> bool:
    """ "striking oil workers", "protesting students": a participle before a noun for the
    people who do its act (the subjects a trigger of the verb names) describes them; it
    reports no act of the sentence. The small model often parses "gave striking workers an
    ultimatum" with the participle as a verb and the noun as its object, which would read
    as an attack on the workers."""
    if token.tag_ != "VBG" or children_with(token, SUBJECT_DEPS):
        return False
    doers = _doers(lex, lemma)
    if not doers:
        return False
    if token.dep_ == "amod" and token.head.i > token.i:
        noun = token.head
    else:
        objects = [c for c in children_with(token, OBJECT_DEPS) if c.i > token.i]
        if not objects:
            return False
        noun = objects[0]
    modifiers = [
        c for c in noun.lefts if token.i < c.i and c.dep_ in {"compound", "amod"} and c.i != token.i
    ]
    if len(modifiers) != noun.i - token.i - 1:
        return False  # "striking the miners' camp": an object of its own, not a modifier
    return noun.lemma_.lower() in doers


_DOERS: dict[tuple[int, str], frozenset[str]] = {}


def _doers(lex: Lexicon, lemma: str) -> frozenset[str]:
    """The subjects any trigger entry of the verb names, worked out once per lemma."""
    key = (id(lex), lemma)
    found = _DOERS.get(key)
    if found is None:
        found = _DOERS[key] = frozenset(
            subject for entry in lex.verbs.get(lemma, ()) for subject in entry.subjects
        )
    return found


_UNCODABLE: list[tuple[PatternLexicon, MatchPolicy, frozenset[str]]] = []


def _object_names_another_act(obj: Node | None, code: str | None, lex: Lexicon) -> bool:
    if obj is None or code is None:
        return False
    noun = match_noun(obj, lex)
    # (a joint act, 06, is left to the verb: "launched joint operations against Boko Haram"
    # is the verb's attack, which the joint rule makes military cooperation, 062)
    return (
        noun is not None and bool(noun.trigger.modifiers) and noun.code[:2] not in {code[:2], "06"}
    )


def _uncodable_verbs(dictionary: PatternLexicon, policy: MatchPolicy) -> frozenset[str]:
    """The dictionary's verbs whose every pattern is "no event" or of a root the policy
    leaves out (438 of 1,709 with the default policy: "wait", "displace", ...). Without a
    parley entry, such a verb is never a trigger, whatever its dependents: its best pattern
    is refused or codes nothing. Worked out once per lexicon and policy."""
    for known, rules, verbs in _UNCODABLE:
        if known is dictionary and rules is policy:
            return verbs
    verbs = frozenset(
        lemma
        for lemma, keyed in dictionary.verbs.items()
        if all(
            p.code == NO_EVENT or p.code[:2] in policy.skip_roots
            for patterns in keyed.values()
            for p in patterns
        )
    )
    _UNCODABLE[:] = [(dictionary, policy, verbs)]
    return verbs


def _dictionary_match(token: Node, found: LexiconMatch | None) -> Match | None:
    if found is None or found.code is None:
        return None
    theme = found.obj or found.prep_object
    return Match(token=token, trigger=_trigger_of(found.pattern), code=found.code, theme=theme)


PARLEY_ORIGIN = "parley"  # verb_patterns_parley.tsv
_TRIGGERS: dict[VerbPattern, Trigger] = {}
_NOUN_TRIGGERS: dict[str, Trigger] = {}


def _trigger_of(pattern: VerbPattern) -> Trigger:
    """The dictionary pattern as a trigger entry, so the rest of the coder reads it alike."""
    trigger = _TRIGGERS.get(pattern)
    if trigger is None:
        trigger = Trigger(
            lemma=pattern.lemma,
            code=pattern.code,
            pos="VERB",
            objects=frozenset({pattern.obj}) if pattern.obj else frozenset(),
            prep=pattern.prep or None,
            prep_objects=frozenset({pattern.prep_object}) if pattern.prep_object else frozenset(),
            particle=pattern.particle or None,
            modifiers=pattern.modifiers,
        )
        _TRIGGERS[pattern] = trigger
    return trigger


def _match_own_verb(token: Node, lex: Lexicon, resolved: ResolvedDoc, lemma: str) -> Match | None:
    entries = lex.verbs.get(lemma)  # lemma: ``lemma_of(token)``
    if not entries:
        return None
    objects = children_with(token, OBJECT_DEPS)
    if not objects:
        # Headlinese ("Chile recalls envoy") often parses the bare object as a complement.
        objects = [
            c
            for c in token.children
            if c.dep_ in {"ccomp", "oprd"}
            and c.pos_ == "NOUN"
            and not children_with(c, SUBJECT_DEPS)
        ]
    if token.dep_ in {"amod", "acl"} and not objects and token.head.pos_ in {"NOUN", "PROPN"}:
        objects = [token.head]  # "the sanctions imposed on ..." / "newly signed treaty"
    themes: list[Node] | None = None  # read only for an entry with objects
    for entry in entries:
        theme: Node | None = None
        if entry.objects:
            if themes is None:
                heads = objects + children_with(token, PASSIVE_SUBJECT_DEPS)
                themes = [t for head in heads for t in theme_heads(head, lex)]
            theme = next((t for t in themes if lemma_in(t, entry.objects)), None)
            if theme is None:
                continue
        if entry.objects_label:
            mentions = [resolved.mention_at(t.i) for t in objects]
            if not any(m is not None and m.label in entry.objects_label for m in mentions):
                continue
        if entry.particle:
            particle = particle_of(token, entry.particle)
            if particle is None or dates_the_verb(particle, lex.time_nouns):
                continue
        if entry.prep:
            # (with an object, the parser may hang the verb's phrase on it: "ordered ten
            # battalions, including tank units, to the border")
            holders = [token, theme] if theme is not None and theme.dep_ == "dobj" else [token]
            preps = [
                c
                for holder in holders
                for c in holder.children
                if c.dep_ == "prep"
                and c.lower_ == entry.prep
                and not dates_the_verb(c, lex.time_nouns)
            ]
            if not preps:
                continue
            if entry.prep_objects and not any(
                p.lemma_.lower() in entry.prep_objects for prep in preps for p in prep.subtree
            ):
                continue
        if entry.complement and not children_with(token, {"ccomp", "xcomp"}):
            continue
        if entry.subjects:
            subject, passive = subject_token(token)
            # "the town was hit by rockets": a passive's doer is its "by" agent
            doers = (
                # ("seized at a camp by fighters": the parser's "by" on the place)
                agent_objects(token) + stray_agent_objects(token)
                if passive
                # (every subject the parser gave: "drones launched by the RSF hit ...")
                else children_with(token, SUBJECT_DEPS) or [subject]
                if subject is not None
                else []
            )
            if not any(
                doer.lemma_.lower() in entry.subjects
                or any(  # "hundreds of UN troops withdrew"
                    pobj.lemma_.lower() in entry.subjects
                    for prep in children_with(doer, {"prep"})
                    if prep.lower_ == "of"
                    for pobj in children_with(prep, {"pobj"})
                )
                for doer in doers
            ):
                continue
        return Match(token=token, trigger=entry, code=entry.code, theme=theme)
    return None


def particle_of(token: Node, word: str) -> Node | None:
    """The verb's particle ("pulled *out*", "pulled *back*")."""
    return next((c for c in token.children if c.dep_ in _PARTICLE_DEPS and c.lower_ == word), None)


# the small model tags a particle as prt, prep or (for "back", "out") advmod
_PARTICLE_DEPS = frozenset({"prt", "prep", "advmod"})


def theme_heads(token: Node, lex: Lexicon) -> list[Node]:
    """The object and what it quantifies, lists or carries: "tens of thousands of troops",
    "a batch of missiles", "troops, doctors and tonnes of supplies", "aid deliveries" give
    the nouns that matter."""
    out: list[Node] = []
    for conjunct in conjuncts(token):
        current: Node | None = conjunct
        for _ in range(4):
            if current is None:
                break
            out.append(current)
            out.extend(c for c in cargo(current) if c not in out)  # "ships carrying aid"
            if current.lemma_.lower() in lex.carrier_nouns:
                # "aid deliveries", "arms shipments": the compound names what is carried
                out.extend(c for c in current.children if c.dep_ == "compound" and c not in out)
            lemma = current.lemma_.lower()
            money = lemma in lex.money_nouns  # "50 million euros in aid"
            if lemma not in lex.quantity_nouns and not money:
                break
            current = next(
                (
                    pobj
                    for prep in children_with(current, {"prep"})
                    if prep.lower_ == "of" or (money and prep.lower_ == "in")
                    for pobj in children_with(prep, {"pobj"})
                ),
                None,
            )
            if current is not None and current not in out:
                out.extend(t for t in conjuncts(current)[1:] if t not in out)
    return out


def nominal_gerund(token: Node) -> bool:
    """A gerund used as a noun phrase with a determiner/adjective: "Pakistani shelling hit"."""
    return (
        token.tag_ == "VBG"
        and token.dep_ in {"nsubj", "nsubjpass", "dobj", "pobj"}
        and any(c.dep_ in {"amod", "det", "poss", "compound"} for c in token.children)
    )


def _of_object_lemmas(token: Node, quantity_nouns: frozenset[str]) -> set[str]:
    """The lemmas of a noun's "of" objects, looked through counting nouns: the deployment
    "of tens of thousands of troops" is a deployment of troops."""
    out: set[str] = set()
    frontier = [token]
    for _ in range(4):  # "tens of thousands of extra troops": two counting nouns deep
        objects = [
            p
            for held in frontier
            for prep in held.children
            if prep.dep_ == "prep" and prep.lower_ == "of"
            for p in prep.children
            if p.dep_ == "pobj"
        ]
        out.update(p.lemma_.lower() for p in objects)
        # "of BBC correspondent Sarah Rainsford": the name's title
        out.update(c.lemma_.lower() for p in objects for c in p.children if c.dep_ == "compound")
        frontier = [p for p in objects if p.lemma_.lower() in quantity_nouns]
        if not frontier:
            break
    return out


def _noun_prep_fits(token: Node, entry: Trigger, quantity_nouns: frozenset[str]) -> bool:
    """An event noun's required preposition and its object: "a ban on imports" (an
    embargo), not "a ban on smoking"."""
    for prep in token.children:
        if prep.dep_ != "prep" or prep.lower_ != entry.prep:
            continue
        objects = [p for p in prep.children if p.dep_ == "pobj"]
        lemmas = {p.lemma_.lower() for p in objects}
        for held in objects:
            if held.lemma_.lower() in quantity_nouns:  # "a ban on shipments of arms"
                lemmas |= _of_object_lemmas(held, quantity_nouns)
        if not entry.prep_objects or lemmas & entry.prep_objects:
            return True
    return False


def match_noun(token: Node, lex: Lexicon) -> Match | None:
    if nominal_gerund(token):
        entries = lex.nouns.get(token.lower_, ())
    elif token.pos_ in {"NOUN", "PROPN"}:
        entries = lex.nouns.get(lemma_of(token), ())
    else:
        return None
    if not entries and (
        token.pos_ != "NOUN"
        or (lemma_of(token) or token.lemma_.lower()) not in pattern_lexicon().nouns
    ):
        return None  # no entry of parley's, no dictionary noun: no modifier need be read
    modifiers = {c.lemma_.lower() for c in token.children if c.dep_ in {"amod", "compound", "nmod"}}
    modifiers.update(_of_object_lemmas(token, lex.quantity_nouns))  # "the deployment of missiles"
    asserted = token.dep_ in {"dobj", "obj"} and lemma_of(token.head) in lex.light_verbs
    if not asserted and any(c.dep_ == "det" and c.lower_ == "any" for c in token.children):
        return None  # "warned that any incursion would be a cause for war": no act reported
    if modifiers & lex.unreal_modifiers and not asserted:
        # "a possible invasion", "alleged attacks": not reported as happening; but a light
        # verb asserts it ("mounted its long-threatened invasion")
        return None
    for entry in entries:
        if entry.modifiers and not modifiers & entry.modifiers:
            continue
        if entry.prep is not None and not _noun_prep_fits(token, entry, lex.quantity_nouns):
            continue
        return Match(token=token, trigger=entry, code=entry.code, theme=None)
    if entries:
        return None  # parley's own entries for this noun did not fit: no dictionary guess
    noun = pattern_lexicon().match_noun(token, lemma_of(token), lex.light_verbs)
    if noun is None:
        return None
    trigger = _NOUN_TRIGGERS.get(noun.lemma)
    if trigger is None:
        trigger = _NOUN_TRIGGERS.setdefault(
            noun.lemma, Trigger(lemma=noun.lemma, code=noun.code, pos="NOUN")
        )
    return Match(token=token, trigger=trigger, code=noun.code, theme=None)


def match_token(
    token: Node,
    lex: Lexicon,
    resolved: ResolvedDoc,
    verb_matches: dict[int, Match | None] | None = None,
) -> Match | None:
    """The trigger at this token, if any: the one entry point the coder calls per token.

    A nominal gerund ("Pakistani shelling") is matched as a noun; otherwise a verb
    entry first, then a noun entry. ``verb_matches``, where given, keeps the verb reading
    by token index, for ``verb_match`` to reuse."""
    if nominal_gerund(token):
        return match_noun(token, lex)
    verb = match_verb(token, lex, resolved)
    if verb_matches is not None:
        verb_matches[token.i] = verb
    return verb or match_noun(token, lex)


def verb_match(
    token: Node, lex: Lexicon, resolved: ResolvedDoc, verb_matches: dict[int, Match | None]
) -> Match | None:
    """``match_verb``, read from ``verb_matches`` where ``match_token`` already made it (a
    governed complement is usually a candidate of its own sentence too)."""
    if token.i in verb_matches:
        return verb_matches[token.i]
    return match_verb(token, lex, resolved)


_KEY_HASHES: dict[int, tuple[Lexicon, frozenset[int]]] = {}


def lexicon_key_hashes(lex: Lexicon) -> frozenset[int]:
    """The hashes of every key form of ``lex`` and the dictionary lexicon, built once."""
    return _key_hashes(lex)


def _key_hashes(lex: Lexicon) -> frozenset[int]:
    cached = _KEY_HASHES.get(id(lex))
    if cached is not None and cached[0] is lex:
        return cached[1]
    hashes = _lexicon_key_hashes(lex)
    _KEY_HASHES[id(lex)] = (lex, hashes)
    return hashes


def _lexicon_key_hashes(lex: Lexicon) -> frozenset[int]:
    """Hashes (spaCy's StringStore hash) of every form that can be a key of parley's
    lexicon or of the dictionary lexicon: the key itself, its capitalised form
    (proper-noun lemmas keep their case), and the raw lemmas the lexicon corrects
    ("stag" -> "stage").

    The dictionary's uncodable verbs (``_uncodable_verbs``: every pattern "no event" or of
    a root the policy leaves out, 433 of 1,714 that are no other key) are left out: such a
    lemma can start no trigger unless it is a key of parley's own lexicon or a noun, and
    then that key keeps it. Their tokens are never candidates, so never walked."""
    dictionary = pattern_lexicon()
    codable_verbs = set(dictionary.verbs) - _uncodable_verbs(dictionary, POLICY)
    keys = set(lex.verbs) | set(lex.nouns) | codable_verbs | set(dictionary.nouns)
    keys |= {raw for raw, fixed in (lex.lemma_fixes or {}).items() if fixed in keys}
    forms = keys | {k.capitalize() for k in keys} | {k.upper() for k in keys}
    return frozenset(hash_string(form) for form in forms)


def candidate_tokens(sentence: Span, lex: Lexicon) -> list[Node]:
    """The sentence's tokens that can start a trigger, found by hash: the lemma or the
    lower-cased form of each token (read once per document, ``doc_tree``) against the
    lexicon's key hashes, so that the per-token matching runs only where an entry may
    exist."""
    return doc_tree(sentence.doc).with_hashes(_key_hashes(lex), sentence, lower_too=True)


_WORD_HASHES: dict[frozenset[str], frozenset[int]] = {}


def tokens_with_lemma(sentence: Span, lemmas: frozenset[str]) -> list[Node]:
    """The sentence's tokens whose lemma is one of ``lemmas``, found by hash."""
    hashes = _WORD_HASHES.get(lemmas)
    if hashes is None:
        hashes = _WORD_HASHES.setdefault(
            lemmas, frozenset(hash_string(w) for w in lemmas | {w.capitalize() for w in lemmas})
        )
    return doc_tree(sentence.doc).with_hashes(hashes, sentence, lower_too=False)
