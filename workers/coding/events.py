"""Event coding over the dependency parse: who did what to whom, when and where.

For every sentence, each token is matched against the trigger lexicon
(``workers/data/coding/triggers.yaml``): verb lemmas with optional object,
preposition, particle or subject constraints, and nominalizations ("talks",
"visit", "sanctions") when a light verb, a possessive or a "between" phrase
gives them actors. Then:

- Direction. Source: the subject (inherited through xcomp/conj chains, so
  "X plans to visit Y" has source X); in the passive, the "by" agent is the
  source and the passive subject the target. Target: the direct object, else
  the object of a target preposition (with, to, against, on), or, for
  patterns whose object is a theme ("impose sanctions", "expel diplomats"),
  the theme's own modifiers ("Russian diplomats") or a preposition.
- Actors. The resolved Mention at the token or governing it through
  compound/amod/poss/appos/"of" ("the foreign minister of Iran"); conjuncts
  give one actor each, and one event per (source, target) dyad. A plural or
  compound subject with no target on a symmetric trigger (meet, talk,
  negotiate, cooperate, clash) gives events both ways, ``reciprocal=True``.
- Reported speech. A pronoun or missing subject inside the complement of a
  speech verb ("Blinken said we condemn ...") takes the speaker's actor;
  other pronouns take the previous sentence's source actor. No source, no
  event: like CAMEO coders, parley requires a source; the target may be null.
- Modality. ``negated``: a "not"/"never" on the trigger or its governing chain.
  ``hypothetical``: a modal (would, could, might, may, should), or an
  if/unless clause on the trigger or governing it. ``intent``: "will", or a
  planning verb governing the trigger ("plan to", "set to", "expected to",
  "agreed to"); consultations (04x) with intent are coded 036. A trigger under
  a governing trigger verb is coded once, by the governor: "refused to meet"
  is 125 (not a negated meeting), "threatened to attack" 138, "urged X to
  talk" 026, "demanded talks" 106, "pledged aid" 033.

Confidence (documented factors, summed then clipped to [0.05, 0.99]):

    0.45 base
    +0.15 trigger is a constrained pattern ("impose sanctions"), -0.10 a vague one
    +0.15 source found in the parse (subject / agent / possessive),
    +0.05 source from the speaker of reported speech, +0.00 from the previous sentence
    +0.10 source resolved to a country, +0.05 target resolved to a country
    -0.10 negated or hypothetical
    -0.05 sentence longer than 40 tokens (parses degrade with length)

``event_id`` is a hash of article id, sentence index, CAMEO code, source and
target codes and trigger offset: replays and duplicates carry the same id.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from spacy.tokens import Span, Token

from schemas.models import (
    Actor,
    Article,
    Cameo,
    Event,
    Evidence,
    Modality,
    Plover,
    Temporal,
)
from workers.coding.place import event_location
from workers.coding.tables import Lexicon, Trigger, cameo, lexicon
from workers.coding.temporal import event_temporal
from workers.nlp.types import Mention, ResolvedDoc

ACTOR_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
SUBJECT_DEPS = frozenset({"nsubj", "csubj"})
PASSIVE_SUBJECT_DEPS = frozenset({"nsubjpass", "csubjpass"})
OBJECT_DEPS = frozenset({"dobj", "dative", "obj"})
CHAIN_DEPS = frozenset({"xcomp", "conj"})
MODIFIER_DEPS = frozenset({"compound", "amod", "poss", "appos", "nmod", "npadvmod", "nummod"})
SYMMETRIC_ROOTS = frozenset({"04", "06", "19"})
SYMMETRIC_CODES = frozenset(
    {"030", "031", "036", "040", "046", "057", "060", "061", "062", "190", "193"}
)
FIRST_PERSON = frozenset({"i", "we", "us", "our", "me", "my"})
NEGATIONS = frozenset({"not", "n't", "never", "no"})
REPORTED_DEPS = frozenset({"ccomp", "parataxis", "xcomp", "advcl", "conj"})
CONDITIONAL_MARKS = frozenset({"if", "unless"})
INTENT_AUX = frozenset({"will", "'ll", "shall"})
LONG_SENTENCE = 40

# What a governing trigger verb becomes when its complement is itself a trigger.
_GOVERNED_REFINEMENTS: dict[str, dict[str, str]] = {
    "12": {"04": "125", "03": "125", "08": "124"},
    "13": {"18": "138", "19": "138", "20": "138", "16": "132", "17": "137"},
    "02": {"04": "026", "03": "026", "08": "025", "07": "023"},
    "10": {"04": "106", "08": "105", "07": "103"},
}
# "pledged to send aid", "agreed to meet": the inner act, expressed as intent.
_INTENT_CODES = {"04": "036", "07": "033", "06": "031", "05": "032", "08": "035"}
# Complement acts that an allegation verb turns into an accusation (112).
_CONFLICT_ROOTS = frozenset({"13", "14", "15", "16", "17", "18", "19", "20"})
_PLEDGE_LEMMAS = frozenset({"pledge", "promise", "vow", "offer", "agree", "commit", "seek"})
# "would not provide support", "will not attend": a refused cooperative act is a
# rejection (12x), coded by what is refused; past negation ("did not meet") stays negated.
_REFUSAL_CODES = {"03": "120", "04": "125", "05": "120", "06": "121", "07": "122", "08": "124"}
_FUTURE_AUX = frozenset({"will", "wo", "'ll", "would", "shall"})
_SPECULATIVE_AUX = frozenset({"could", "might", "may", "should"})
_RELATIVE_PRONOUNS = frozenset({"that", "which", "who", "whom"})
_VIOLENT_ROOTS = frozenset({"18", "19", "20"})
_ALLEGED_ROOTS = frozenset({"17", "18", "19", "20"})
_MATERIAL_ROOTS = frozenset({"15", "16", "17", "18", "19", "20"})


@dataclass(frozen=True, slots=True)
class _ActorRef:
    mention: Mention
    via: str  # parse | speaker | previous


@dataclass(frozen=True, slots=True)
class _Match:
    token: Token
    trigger: Trigger
    code: str
    theme: Token | None
    inner: _Match | None = None  # a folded complement trigger ("refused to *meet* X")
    intent: bool = False  # coded as an expressed intent ("pledged to send aid" -> 033)
    allegation: bool = False  # "claimed that X attacked Y": X accused, the attack not coded


def _is_actor(mention: Mention | None) -> bool:
    return mention is not None and (mention.is_actor or mention.label in ACTOR_LABELS)


def _lemma_in(token: Token, words: frozenset[str]) -> bool:
    return token.lemma_.lower() in words or token.lower_ in words


def _lemma(token: Token) -> str:
    return lexicon().lemma(token.lemma_.lower())


def _children(token: Token, deps: Iterable[str]) -> list[Token]:
    wanted = frozenset(deps)
    return [child for child in token.children if child.dep_ in wanted]


def _conjuncts(token: Token) -> list[Token]:
    """The token and its coordinated tokens; "the US, Russia, and Switzerland" often
    parses as an apposition carrying the conjuncts, which counts as a list too."""
    out = [token]
    for child in token.children:
        if child.dep_ == "conj" or (
            child.dep_ == "appos" and any(g.dep_ == "conj" for g in child.children)
        ):
            out.extend(_conjuncts(child))
    return out


def _coordinated_modifiers(token: Token, resolved: ResolvedDoc) -> list[Mention]:
    """Actors of coordinated modifiers of one head noun: "US and British activists"."""
    for child in token.children:
        if child.dep_ not in {"nmod", "amod", "compound"}:
            continue
        chain = _conjuncts(child)
        if len(chain) < 2:
            continue
        mentions = [resolved.mention_at(t.i) for t in chain]
        actors = [m for m in mentions if m is not None and _is_actor(m)]
        if len(actors) == len(chain) and len({m.canonical for m in actors}) > 1:
            return actors
    return []


def _actor_mention(token: Token, resolved: ResolvedDoc, depth: int = 3) -> Mention | None:
    """The actor mention at the token, or the nearest one governed through modifiers/'of'."""
    mention = resolved.mention_at(token.i)
    if mention is not None and _is_actor(mention):
        if mention.country is None and mention.role is not None and depth > 0:
            # "dissidents from military-ruled Myanmar": the role noun takes the country
            # found in its own phrase.
            inner = _modifier_actor(token, resolved, depth, mention)
            if inner is not None and inner.country is not None:
                code = inner.country + mention.role if inner.role is None else inner.actor_code
                return replace(mention, country=inner.country, actor_code=code)
        return mention
    if depth == 0:
        return None
    return _modifier_actor(token, resolved, depth, None)


def _modifier_actor(
    token: Token, resolved: ResolvedDoc, depth: int, own: Mention | None
) -> Mention | None:
    """An actor governed by the token through modifiers, 'of'/'from'/'for' or a pobj."""
    for child in token.children:
        if child.dep_ in MODIFIER_DEPS or (
            child.dep_ == "prep" and child.lower_ in {"of", "from", "for"}
        ):
            found = _actor_mention(child, resolved, depth - 1)
            if found is not None and found is not own:
                return found
        elif child.dep_ == "pobj" and token.dep_ == "prep":
            found = _actor_mention(child, resolved, depth - 1)
            if found is not None and found is not own:
                return found
    return None


def _actors(token: Token, resolved: ResolvedDoc) -> list[Mention]:
    found: list[Mention] = []
    for conjunct in _conjuncts(token):
        coordinated = _coordinated_modifiers(conjunct, resolved)
        candidates: list[Mention | None] = [*coordinated] or [_actor_mention(conjunct, resolved)]
        for mention in candidates:
            if mention is not None and mention not in found:
                found.append(mention)
    return found


def _prep_actors(token: Token, preps: Iterable[str], resolved: ResolvedDoc) -> list[Mention]:
    wanted = frozenset(preps)
    for prep in token.children:
        if prep.dep_ in {"prep", "dative"} and prep.lower_ in wanted:
            for pobj in _children(prep, {"pobj"}):
                actors = _actors(pobj, resolved)
                if actors:
                    return actors
    return []


def _governors(token: Token) -> Iterator[Token]:
    """The chain of verbs governing the trigger through xcomp ("plan to meet")."""
    current = token
    while current.dep_ == "xcomp" and current.head.i != current.i:
        current = current.head
        yield current


def _subject_token(token: Token) -> tuple[Token | None, bool]:
    """The subject token for the trigger (walking up xcomp/conj) and whether it is passive."""
    current = token
    for _ in range(6):
        subjects = _children(current, SUBJECT_DEPS)
        if subjects:
            return subjects[0], False
        passive = _children(current, PASSIVE_SUBJECT_DEPS)
        if passive:
            # Passive of the trigger itself: its subject is the target. A passive
            # governor ("is expected to meet") keeps its subject as the agent.
            return passive[0], current.i == token.i
        if current.head.i == current.i or current.dep_ not in CHAIN_DEPS | {"advcl"}:
            break
        current = current.head
    return None, False


def _speaker(token: Token, lex: Lexicon, resolved: ResolvedDoc) -> Mention | None:
    current = token
    for _ in range(8):
        if current.head.i == current.i:
            break
        head = current.head
        if head.lemma_.lower() in lex.speech_verbs and current.dep_ in REPORTED_DEPS:
            subjects = _children(head, SUBJECT_DEPS)
            if subjects:
                return _actor_mention(subjects[0], resolved)
        current = head
    # "Russia will respond, the minister said": the speech verb hangs off the trigger.
    for child in token.children:
        if child.lemma_.lower() in lex.speech_verbs and child.dep_ in {"parataxis", "ccomp"}:
            subjects = _children(child, SUBJECT_DEPS)
            if subjects:
                return _actor_mention(subjects[0], resolved)
    return None


def _match_verb(token: Token, lex: Lexicon, resolved: ResolvedDoc) -> _Match | None:
    entries = lex.verbs.get(_lemma(token))
    if not entries or (token.pos_ not in {"VERB", "AUX"} and token.tag_ not in {"VB", "VBD"}):
        return None
    objects = _children(token, OBJECT_DEPS)
    if not objects:
        # Headlinese ("Chile recalls envoy") often parses the bare object as a complement.
        objects = [
            c for c in token.children
            if c.dep_ in {"ccomp", "oprd"} and c.pos_ == "NOUN" and not _children(c, SUBJECT_DEPS)
        ]
    if token.dep_ in {"amod", "acl"} and not objects and token.head.pos_ in {"NOUN", "PROPN"}:
        objects = [token.head]  # "the sanctions imposed on ..." / "newly signed treaty"
    passive_subjects = _children(token, PASSIVE_SUBJECT_DEPS)
    themes = [t for head in objects + passive_subjects for t in _theme_heads(head, lex)]
    for entry in entries:
        theme: Token | None = None
        if entry.objects:
            theme = next((t for t in themes if _lemma_in(t, entry.objects)), None)
            if theme is None:
                continue
        if entry.objects_label:
            mentions = [resolved.mention_at(t.i) for t in objects]
            if not any(m is not None and m.label in entry.objects_label for m in mentions):
                continue
        if entry.particle and _particle(token, entry.particle) is None:
            continue
        if entry.prep:
            preps = [c for c in token.children if c.dep_ == "prep" and c.lower_ == entry.prep]
            if not preps:
                continue
            if entry.prep_objects and not any(
                p.lemma_.lower() in entry.prep_objects
                for prep in preps
                for p in prep.subtree
            ):
                continue
        if entry.complement and not _children(token, {"ccomp", "xcomp"}):
            continue
        if entry.subjects:
            subject, _ = _subject_token(token)
            if subject is None or not (
                subject.lemma_.lower() in entry.subjects
                or any(  # "hundreds of UN troops withdrew"
                    pobj.lemma_.lower() in entry.subjects
                    for prep in _children(subject, {"prep"}) if prep.lower_ == "of"
                    for pobj in _children(prep, {"pobj"})
                )
            ):
                continue
        return _Match(token=token, trigger=entry, code=entry.code, theme=theme)
    return None


def _particle(token: Token, word: str) -> Token | None:
    """The verb's particle ("pulled *out*"); the small model often tags it as a preposition."""
    return next(
        (c for c in token.children if c.dep_ in {"prt", "prep"} and c.lower_ == word), None
    )


def _theme_heads(token: Token, lex: Lexicon) -> list[Token]:
    """The object and what it quantifies or lists: "tens of thousands of troops", "a batch
    of missiles", "troops, doctors and tonnes of supplies" give the nouns that matter."""
    out: list[Token] = []
    for conjunct in _conjuncts(token):
        current: Token | None = conjunct
        for _ in range(4):
            if current is None:
                break
            out.append(current)
            if current.lemma_.lower() not in lex.quantity_nouns:
                break
            current = next(
                (
                    pobj
                    for prep in _children(current, {"prep"}) if prep.lower_ == "of"
                    for pobj in _children(prep, {"pobj"})
                ),
                None,
            )
            if current is not None and current not in out:
                out.extend(t for t in _conjuncts(current)[1:] if t not in out)
    return out


def _nominal_gerund(token: Token) -> bool:
    """A gerund used as a noun phrase with a determiner/adjective: "Pakistani shelling hit"."""
    return (
        token.tag_ == "VBG"
        and token.dep_ in {"nsubj", "nsubjpass", "dobj", "pobj"}
        and any(c.dep_ in {"amod", "det", "poss", "compound"} for c in token.children)
    )


def _match_noun(token: Token, lex: Lexicon) -> _Match | None:
    if _nominal_gerund(token):
        entries = lex.nouns.get(token.lower_, ())
    elif token.pos_ in {"NOUN", "PROPN"}:
        entries = lex.nouns.get(_lemma(token), ())
    else:
        return None
    modifiers = {
        c.lemma_.lower() for c in token.children if c.dep_ in {"amod", "compound", "nmod"}
    }
    if modifiers & lex.unreal_modifiers:
        return None  # "a possible invasion", "alleged attacks": not reported as happening
    for entry in entries:
        if entry.modifiers and not modifiers & entry.modifiers:
            continue
        return _Match(token=token, trigger=entry, code=entry.code, theme=None)
    return None


def _inner_trigger(match: _Match, lex: Lexicon, resolved: ResolvedDoc) -> _Match | None:
    for child in match.token.children:
        if child.dep_ in {"xcomp", "ccomp"} or (
            # "threatened on Friday to slap tariffs" often parses the infinitive as advcl
            child.dep_ == "advcl" and _infinitive(child) and match.code[:2] in _GOVERNED_REFINEMENTS
        ):
            inner = _match_verb(child, lex, resolved)
            if inner is not None:
                return inner
    for obj in _children(match.token, OBJECT_DEPS):
        for head in _theme_heads(obj, lex):  # "rejected a list of demands"
            inner = _match_noun(head, lex)
            if inner is not None:
                return inner
    return None


def _infinitive(token: Token) -> bool:
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in token.children)


def _unasserted(token: Token, lex: Lexicon) -> bool:
    """Triggers the writer does not report as happening: the content of a report or an
    allegation noun ("reports that Kigali was backing rebels"), a gerund inside a noun
    phrase ("the price for lifting a blockade"), an infinitive
    modifying a noun ("efforts to fight terrorism"), or a noun in a quoted naming
    ("what it called attacks by Italian leaders")."""
    if token.dep_ == "pcomp" and token.head.head.pos_ in {"NOUN", "PROPN"}:
        return True
    if token.dep_ == "acl" and _infinitive(token) and token.head.pos_ in {"NOUN", "PROPN"}:
        return True
    if token.pos_ in {"NOUN", "PROPN"} and token.dep_ in {"oprd", "dobj", "attr", "ccomp"} and (
        token.head.lemma_.lower() in lex.naming_verbs
    ) and any(c.lower_ == "what" for c in token.head.children):
        return True
    current = token
    for _ in range(6):
        head = current.head
        if head.i == current.i:
            break
        if (
            current.dep_ in {"acl", "ccomp", "relcl"}
            and head.pos_ in {"NOUN", "PROPN"}
            and head.lemma_.lower() in lex.report_nouns
        ):
            return True
        current = head
    return False


def _modality(token: Token, lex: Lexicon) -> tuple[Modality, bool]:
    """Modality of the trigger and whether it points to the future."""
    chain = [token, *_governors(token)]
    negated = any(c.lower_ in NEGATIONS and c.dep_ == "neg" for t in chain for c in t.children)
    aux = {c.lower_ for t in chain for c in t.children if c.dep_ in {"aux", "auxpass"}}
    hypothetical = bool(aux & lex.modal_hypothetical) or _conditional(chain)
    governed_by_plan = any(g.lemma_.lower() in lex.intent_verbs for g in chain[1:])
    intent = governed_by_plan or bool(aux & INTENT_AUX)
    future = intent or "going" in aux
    return Modality(negated=negated, hypothetical=hypothetical, intent=intent), future


def _addressed(match: _Match, inner: _Match) -> bool:
    """Whether a verb of wanting addresses someone else: its own object, or a complement
    with its own subject ("wants Iran to stop")."""
    if _children(match.token, OBJECT_DEPS):
        return True
    return any(c.dep_ in SUBJECT_DEPS for c in inner.token.children)


def _refusal(token: Token, code: str, modality: Modality) -> str | None:
    """The rejection code of a negated future cooperative act ("will not attend", "said it
    would not recognize"), else None. Speculation ("might not", "could not") and
    conditions ("would not ... if") stay negated acts."""
    if not modality.negated or code[:2] not in _REFUSAL_CODES:
        return None
    chain = [token, *_governors(token)]
    aux = {c.lower_ for t in chain for c in t.children if c.dep_ in {"aux", "auxpass"}}
    if aux & _FUTURE_AUX and not aux & _SPECULATIVE_AUX and not _conditional(chain):
        return _REFUSAL_CODES[code[:2]]
    return None


def _conditional(chain: list[Token]) -> bool:
    """An if/unless clause on the trigger (or its governors), or governing it."""
    for t in chain:
        if t.dep_ == "advcl" and any(
            c.dep_ == "mark" and c.lower_ in CONDITIONAL_MARKS for c in t.children
        ):
            return True
        for child in t.children:
            if child.dep_ == "advcl" and any(
                c.dep_ == "mark" and c.lower_ in CONDITIONAL_MARKS for c in child.children
            ):
                return True
    return False


def _complement_subject_actors(inner: _Match, resolved: ResolvedDoc) -> list[Mention]:
    """The actor doing the complement's act: its subject, or its agent in the passive."""
    agents = [
        pobj for agent in _children(inner.token, {"agent"}) for pobj in _children(agent, {"pobj"})
    ]
    if agents:
        return _actors(agents[0], resolved)
    subject, passive = _subject_token(inner.token)
    if subject is not None and not passive and subject.head.i == inner.token.i:
        return _actors(subject, resolved)
    return []


def _target_actors(match: _Match, resolved: ResolvedDoc) -> list[Mention]:
    if match.allegation and match.inner is not None:
        # "the US claimed that ISIL had attacked Iraq": the accused is the complement's actor.
        return _complement_subject_actors(match.inner, resolved)
    if match.code[:2] in {"02", "10"} and match.inner is not None:
        # "wants Putin to attack", "demanded that Russia withdraw": the addressee.
        subject, passive = _subject_token(match.inner.token)
        if subject is not None and not passive and subject.head.i == match.inner.token.i:
            addressed = _subject_actors(subject, resolved)
            if addressed:
                return addressed
    own = _own_target_actors(match, resolved)
    if not own and match.inner is not None:
        own = _own_target_actors(match.inner, resolved)
        if not own:
            # "Ukraine demanded that Russia withdraw": the complement's subject.
            subject, _ = _subject_token(match.inner.token)
            if subject is not None and subject.head.i == match.inner.token.i:
                own = _actors(subject, resolved)
    return own


def _own_target_actors(match: _Match, resolved: ResolvedDoc) -> list[Mention]:
    token, trigger = match.token, match.trigger
    if trigger.pos == "NOUN":
        # "the invasion of Ukraine", "the arrest of two activists": "of" gives the
        # patient, except for meetings and visits ("the visit of the president").
        preps = (*trigger.target_preps, "against", "on")
        if match.code[:2] != "04":
            preps = (*preps, "of")
        actors = _prep_actors(token, preps, resolved)
        if not actors and _lemma(token.head) in lexicon().light_verbs:
            actors = _prep_actors(token.head, trigger.target_preps, resolved)
        return actors
    if match.theme is not None:
        theme_owner = _actor_mention(match.theme, resolved)
        if theme_owner is not None:
            return [theme_owner]
        return (
            _prep_actors(match.theme, (*trigger.target_preps, "from"), resolved)
            or _prep_actors(token, (*trigger.target_preps, "from"), resolved)
        )
    objects = _children(token, OBJECT_DEPS)
    for obj in objects:
        actors = _actors(obj, resolved)
        if actors:
            return actors
    # "hosted talks with Ethiopia", "offered support to Lebanon": the object's own phrase.
    for obj in objects:
        actors = _prep_actors(obj, trigger.target_preps, resolved)
        if actors:
            return actors
    found = _prep_actors(token, trigger.target_preps, resolved)
    if not found and trigger.particle:
        particle = _particle(token, trigger.particle)
        if particle is not None:
            found = _prep_actors(particle, trigger.target_preps, resolved)
    return found


def _source_and_target(
    match: _Match, lex: Lexicon, resolved: ResolvedDoc, previous: Mention | None
) -> tuple[list[_ActorRef], list[Mention], bool]:
    """Sources (with how each was found), targets, and whether the pair is reciprocal."""
    token = match.token
    sources: list[_ActorRef] = []
    targets = _target_actors(match, resolved)
    reciprocal = False
    if match.trigger.pos == "NOUN":
        owners = [c for c in token.children if c.dep_ == "poss"]
        between = [
            p for p in token.children if p.dep_ == "prep" and p.lower_ in {"between", "among"}
        ]
        agents = _prep_actors(token, ("by",), resolved) or [
            # "the arrest of three reporters by Belarus": "by" often hangs off the patient.
            m
            for prep in _children(token, {"prep"}) if prep.lower_ == "of"
            for pobj in _children(prep, {"pobj"})
            for m in _prep_actors(pobj, ("by",), resolved)
        ]
        if owners:
            sources = [_ActorRef(m, "parse") for m in _actors(owners[0], resolved)]
        elif between:
            pobjs = _children(between[0], {"pobj"})
            parties = [m for pobj in pobjs for m in _actors(pobj, resolved)]
            return [_ActorRef(m, "parse") for m in parties], [], len(parties) > 1
        elif agents:
            sources = [_ActorRef(m, "parse") for m in agents]  # "the arrest of X by Y"
        elif _lemma(token.head) in lex.light_verbs and token.dep_ in OBJECT_DEPS:
            subject, _ = _subject_token(token.head)
            if subject is not None:
                sources = [_ActorRef(m, "parse") for m in _actors(subject, resolved)]
        if not sources:
            # "Israeli shelling", "US sanctions": an actor modifier of the noun itself.
            modifiers = [
                m
                for child in token.children
                if child.dep_ in {"amod", "compound", "nmod"}
                for m in _actors(child, resolved)
            ]
            sources = [_ActorRef(m, "parse") for m in modifiers]
        if not sources:
            return [], targets, False
    elif match.trigger.inverse:
        # "Georgia received assurances from Russia": the giver is the source.
        subject, _ = _subject_token(token)
        givers = _inverse_sources(match, resolved)
        if subject is None or not givers:
            return [], [], False
        return [_ActorRef(m, "parse") for m in givers], _subject_actors(subject, resolved), False
    else:
        subject, passive = _subject_token(token)
        agent_tokens = [
            pobj for agent in _children(token, {"agent"}) for pobj in _children(agent, {"pobj"})
        ]
        # A passive trigger whose subject is shared with an active verb ("the civilians
        # imprisoned ... were released by Putin") still has its patient as subject; a past
        # participle modifying a noun ("a member jailed last year", "Israeli-occupied") is
        # passive too: without a "by" agent it has no source.
        passive = (
            passive
            or bool(agent_tokens)
            or any(c.dep_ == "auxpass" for c in token.children)
            or (token.tag_ == "VBN" and token.dep_ in {"acl", "amod"})
        )
        relative = subject is not None and _relative_antecedent(subject) is not None
        if relative and not passive and subject is not None:
            antecedent = _relative_antecedent(subject)
            # "the group that seized Mosul": the antecedent, never the speaker.
            sources = [
                _ActorRef(m, "parse") for m in (_actors(antecedent, resolved) if antecedent else [])
            ]
            subject = None
            passive = True  # no speaker/previous fallback below
        elif passive and subject is not None:
            targets = _actors(subject, resolved) or targets
            if agent_tokens:
                sources = [_ActorRef(m, "parse") for m in _actors(agent_tokens[0], resolved)]
        elif passive and agent_tokens:
            sources = [_ActorRef(m, "parse") for m in _actors(agent_tokens[0], resolved)]
        elif subject is not None:
            sources = [_ActorRef(m, "parse") for m in _actors(subject, resolved)]
            if not sources and subject.pos_ == "PRON":
                speaker = _speaker(token, lex, resolved)
                if speaker is not None:
                    sources = [_ActorRef(speaker, "speaker")]
                elif previous is not None and subject.lower_ not in FIRST_PERSON | {"you"}:
                    sources = [_ActorRef(previous, "previous")]
        if not sources and subject is None and not passive:
            speaker = _speaker(token, lex, resolved)
            if speaker is not None:
                sources = [_ActorRef(speaker, "speaker")]
    if (
        len(sources) > 1
        and not targets
        and (match.code[:2] in SYMMETRIC_ROOTS or match.code in SYMMETRIC_CODES)
    ):
        reciprocal = True
    return sources, targets, reciprocal


def _relative_antecedent(subject: Token) -> Token | None:
    """The noun a relative pronoun subject stands for ("the group *that* seized ...")."""
    if subject.lower_ not in _RELATIVE_PRONOUNS or subject.tag_ not in {"WDT", "WP", "DT"}:
        return None
    verb = subject.head
    while verb.dep_ in {"conj", "xcomp"} and verb.head.i != verb.i:
        verb = verb.head
    if verb.dep_ == "relcl" and verb.head.i != verb.i:
        return verb.head
    return None


def _subject_actors(subject: Token, resolved: ResolvedDoc) -> list[Mention]:
    antecedent = _relative_antecedent(subject)
    return _actors(antecedent if antecedent is not None else subject, resolved)


def _inverse_sources(match: _Match, resolved: ResolvedDoc) -> list[Mention]:
    """The giver of a "received/faced/came under ... from X" trigger."""
    heads = [match.token]
    if match.theme is not None:
        heads.append(match.theme)
    heads.extend(
        pobj
        for prep in _children(match.token, {"prep"})
        if prep.lower_ == match.trigger.prep
        for pobj in _children(prep, {"pobj"})
    )
    for head in heads:
        found = _prep_actors(head, ("from", "by"), resolved)
        if found:
            return found
    return []


def _with_dateline_country(source: _ActorRef, article: Article) -> _ActorRef:
    """A role actor of unknown country ("police", "the government") takes the dateline's.

    Wire copy names the country once, in the dateline ("KABUL, May 2 -"); bare role
    nouns in the story then refer to that country's institutions.
    """
    mention = source.mention
    dateline = article.dateline
    if mention.country or not mention.role or dateline is None or not dateline.country:
        return source
    country = dateline.country
    return _ActorRef(
        replace(mention, country=country, actor_code=country + mention.role), source.via
    )


def _actor_key(mention: Mention | None) -> str:
    if mention is None:
        return "-"
    return mention.actor_code or mention.country or mention.canonical


def event_id(
    article_id: str, sentence_index: int, code: str, source: str, target: str, trigger_start: int
) -> str:
    """Deterministic id: the same article coded twice gives the same ids."""
    key = f"{article_id}|{sentence_index}|{code}|{source}|{target}|{trigger_start}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]


def confidence(
    trigger: Trigger,
    source: _ActorRef,
    target: Mention | None,
    modality: Modality,
    sentence_tokens: int,
) -> float:
    score = 0.45
    if trigger.constrained:
        score += 0.15
    elif trigger.general:
        score -= 0.10
    score += {"parse": 0.15, "speaker": 0.05}.get(source.via, 0.0)
    if source.mention.country:
        score += 0.10
    if target is not None and target.country:
        score += 0.05
    if modality.negated or modality.hypothetical:
        score -= 0.10
    if sentence_tokens > LONG_SENTENCE:
        score -= 0.05
    return round(min(0.99, max(0.05, score)), 3)


def _sentences(resolved: ResolvedDoc) -> list[Span]:
    doc = resolved.doc
    if doc.has_annotation("SENT_START") or doc.has_annotation("DEP"):
        return list(doc.sents)
    return [doc[:]]


def _coded_matches(sentence: Span, lex: Lexicon, resolved: ResolvedDoc) -> list[_Match]:
    """Trigger matches of a sentence, governed triggers folded into their governor."""
    matches: dict[int, _Match] = {}
    for token in sentence:
        if _nominal_gerund(token):
            match = _match_noun(token, lex)
        else:
            match = _match_verb(token, lex, resolved) or _match_noun(token, lex)
        if match is not None and not _unasserted(token, lex):
            matches[token.i] = match
    consumed: set[int] = {m.theme.i for m in matches.values() if m.theme is not None}
    for index, match in list(matches.items()):
        if match.code[:2] == "15" and _joint(match, lex):
            # "began joint naval exercises": military cooperation, not a show of force
            matches[index] = replace(match, code="062")
    for index, match in matches.items():
        # "shelled the town, killing eight": the participle is the same attack's toll.
        head = match.token.head
        if (
            match.token.dep_ in {"advcl", "conj"}
            and match.token.tag_ == "VBG"
            and head.i in matches
            and head.i != index
            and match.code[:2] in _VIOLENT_ROOTS
            and matches[head.i].code[:2] in _VIOLENT_ROOTS
        ):
            consumed.add(index)
        governor = _governing_trigger(match.token, matches)
        if governor is not None and governor.i != index:
            consumed.add(index)
    for index, match in list(matches.items()):
        if index not in matches:
            continue
        inner = _inner_trigger(match, lex, resolved) if match.trigger.pos == "VERB" else None
        if inner is None:
            if match.trigger.complement:
                del matches[index]
            continue
        outer_root, inner_root = match.code[:2], inner.code[:2]
        if (
            outer_root == "10"
            and inner.trigger.pos == "NOUN"
            and inner_root in _MATERIAL_ROOTS
            and _lemma(match.token) in lex.light_verbs
        ):
            # "ordered the expulsion of 60 diplomats": a material act ordered is the act;
            # "ordered an investigation" stays a demand.
            del matches[index]
            continue
        if _lemma(match.token) in lex.desire_verbs and _addressed(match, inner):
            # "Obama wants Putin to attack": an appeal to Putin, the attack not asserted.
            code = _GOVERNED_REFINEMENTS["02"].get(inner_root, "020")
            matches[index] = _Match(match.token, match.trigger, code, match.theme, inner)
            consumed.add(inner.token.i)
            continue
        if _lemma(match.token) in lex.allegation_verbs:
            if inner_root in _CONFLICT_ROOTS:
                matches[index] = _Match(
                    match.token, match.trigger, match.code, match.theme, inner, allegation=True
                )
                consumed.add(inner.token.i)
            elif match.trigger.complement:
                del matches[index]  # "claimed that it had signed a deal": not an accusation
            continue
        if outer_root == "03" and (
            match.token.lemma_.lower() in _PLEDGE_LEMMAS or _lemma(match.token) in lex.desire_verbs
        ):
            if inner_root in _INTENT_CODES:
                code = _INTENT_CODES[inner_root]
            elif inner_root in {"18", "19", "20"}:
                code = "138"
            else:
                del matches[index]  # "vowed to investigate": the inner act codes it, as intent
                continue
            matches[index] = _Match(match.token, match.trigger, code, match.theme, inner, True)
            consumed.add(inner.token.i)
            continue
        refinement = _GOVERNED_REFINEMENTS.get(outer_root, {}).get(inner_root)
        if refinement is not None:
            matches[index] = _Match(match.token, match.trigger, refinement, match.theme, inner)
        if outer_root in _GOVERNED_REFINEMENTS:
            consumed.add(inner.token.i)
            if refinement is None:
                matches[index] = _Match(match.token, match.trigger, match.code, match.theme, inner)
    for index in consumed:
        matches.pop(index, None)
    for match in list(matches.values()):
        speech = _reported_by_party(match, lex, resolved)
        if speech is not None and speech.i not in matches:
            # "Israel said a mortar bomb was fired at it from Gaza": the speaker's claim.
            trigger = Trigger(lemma=speech.lemma_.lower(), code="112")
            matches[speech.i] = _Match(speech, trigger, "112", None, match, allegation=True)
            for inside in match.token.subtree:  # "were killed in an air strike by ..."
                matches.pop(inside.i, None)
    return [matches[i] for i in sorted(matches)]


def _reported_by_party(match: _Match, lex: Lexicon, resolved: ResolvedDoc) -> Token | None:
    """The speech verb of "X said (that) Y attacked Z" when X is a named actor reporting
    someone else's coercive or violent act first-hand: wire copy then reports X's claim,
    not the act. A trailing attribution ("Y attacked Z, police said"), a speaker without a
    country or the speaker's own act ("Russia said it had detained ...") keep the act."""
    token = match.token
    if match.code[:2] not in _ALLEGED_ROOTS or token.dep_ != "ccomp":
        return None
    speech = token.head
    if speech.i > token.i or _lemma(speech) not in lex.speech_verbs:
        return None
    speakers = [
        m for subject in _children(speech, SUBJECT_DEPS)
        if (m := _actor_mention(subject, resolved)) is not None and m.country
    ]
    if not speakers:
        return None
    subject, passive = _subject_token(token)
    if subject is not None and not passive and subject.pos_ == "PRON":
        return None
    doers = _complement_subject_actors(match, resolved)
    if any(d.country == speakers[0].country for d in doers):
        return None
    return speech


def _joint(match: _Match, lex: Lexicon) -> bool:
    """A joint act ("joint naval exercises", "jointly patrol")."""
    heads = [match.token] + ([match.theme] if match.theme is not None else [])
    return any(
        c.lemma_.lower() in lex.joint_modifiers
        for head in heads
        for c in head.children
        if c.dep_ in {"amod", "advmod", "compound"}
    )


def _governing_trigger(token: Token, matches: dict[int, _Match]) -> Token | None:
    """The trigger this one only elaborates, if any: a participle or purpose clause of a
    protest ("rallied, demanding ...", "blocked roads to press the government"), a purpose
    clause of any act ("delivered missiles to help Ukraine"), or the reason gerund of a
    verdict ("accused Russia of launching raids", "condemned X for attacking"), or the
    condition of a threat or other act ("threatened to act if the West imposed sanctions").
    A condition on a non-trigger clause stays an event, marked hypothetical."""
    head = token.head
    if head.i == token.i:
        return None
    if token.dep_ == "pcomp" and head.dep_ == "prep" and head.lower_ in {"of", "for"}:
        verb = head.head
        if verb.i in matches and matches[verb.i].code[:2] in {"05", "09", "11", "12"}:
            return verb
        return None
    if head.i not in matches or token.dep_ not in {"advcl", "xcomp", "conj"}:
        return None
    if token.dep_ == "advcl" and any(
        c.dep_ == "mark" and c.lower_ in CONDITIONAL_MARKS for c in token.children
    ):
        return head  # "threatened to close the strait if the West imposed sanctions"
    outer, inner = matches[head.i].code[:2], matches[token.i].code[:2]
    if token.dep_ == "advcl" and _infinitive(token) and outer not in _GOVERNED_REFINEMENTS:
        return head
    if outer == "14" and inner in {"02", "10", "11"} and token.tag_ == "VBG":
        return head
    return None


def _dedupe(events: list[Event]) -> list[Event]:
    """One event per (sentence, PLOVER type, source, target); an event with no target is
    dropped when another of its type in the sentence involves its source ("received Xi in
    Tehran, the first visit by a Chinese head of state", "met Assad to discuss ...")."""
    def country(actor: Actor | None) -> str | None:
        return None if actor is None else (actor.country or actor.canonical)

    out: list[Event] = []
    keys: set[tuple[int, str, str | None, str | None, bool]] = set()
    for event in events:
        kind = event.plover.type or event.cameo.root
        key = (
            event.evidence.sentence_index, kind, country(event.source), country(event.target),
            event.modality.negated,
        )
        if key in keys:
            continue
        if event.target is None and any(
            other is not event
            and other.evidence.sentence_index == event.evidence.sentence_index
            and (other.plover.type or other.cameo.root) == kind
            and other.target is not None
            and country(event.source) in {country(other.source), country(other.target)}
            for other in events
        ):
            continue
        keys.add(key)
        out.append(event)
    return out


def extract_events(resolved: ResolvedDoc, article: Article) -> list[Event]:
    """Every coded event of the article, in text order, with deterministic ids."""
    lex = lexicon()
    published = article.published_at.date()
    events: list[Event] = []
    seen: set[str] = set()
    previous_source: Mention | None = None
    for sentence_index, sentence in enumerate(_sentences(resolved)):
        sentence_mentions = [
            m for m in resolved.mentions if sentence.start <= m.token_start < sentence.end
        ]
        date_texts = [e.text for e in sentence.ents if e.label_ == "DATE"]
        sentence_source: Mention | None = None
        for match in _coded_matches(sentence, lex, resolved):
            sources, targets, reciprocal = _source_and_target(
                match, lex, resolved, previous_source
            )
            if not sources:
                continue
            sentence_source = sentence_source or sources[0].mention
            modality, future = _modality(match.token, lex)
            if match.intent and not modality.intent:
                modality = modality.model_copy(update={"intent": True})
            code = match.code
            refused = _refusal(match.token, code, modality)
            if refused is not None:
                # "would not provide support": an asserted refusal, not a negated act.
                code = refused
                modality = Modality(negated=False, hypothetical=False, intent=False)
            if modality.intent and code[:2] == "04" and not modality.negated:
                code = "036"
            temporal = event_temporal(sentence.text, date_texts, published, future)
            dyads: list[tuple[_ActorRef, Mention | None]]
            if reciprocal:
                dyads = [
                    (a, b.mention) for a in sources for b in sources if a.mention != b.mention
                ]
            else:
                ends: list[Mention | None] = [*targets] if targets else [None]
                dyads = [(s, t) for s in sources for t in ends]
            for source, target in dyads:
                if target is not None and source.mention.canonical == target.canonical:
                    continue
                source = _with_dateline_country(source, article)
                events.append(
                    _build_event(
                        article, sentence, sentence_index, match, code, source, target,
                        reciprocal, modality, temporal, sentence_mentions,
                    )
                )
        if sentence_source is not None:
            previous_source = sentence_source
    unique = []
    for event in events:
        if event.event_id not in seen:
            seen.add(event.event_id)
            unique.append(event)
    return _dedupe(unique)


def _build_event(
    article: Article,
    sentence: Span,
    sentence_index: int,
    match: _Match,
    code: str,
    source: _ActorRef,
    target: Mention | None,
    reciprocal: bool,
    modality: Modality,
    temporal: Temporal,
    sentence_mentions: list[Mention],
) -> Event:
    row = cameo(code)
    token = match.token
    trigger_start = token.idx
    trigger_end = token.idx + len(token.text)
    actors: list[Mention] = [source.mention] + ([target] if target is not None else [])
    return Event(
        event_id=event_id(
            article.article_id, sentence_index, code,
            _actor_key(source.mention), _actor_key(target), trigger_start,
        ),
        article_id=article.article_id,
        cameo=Cameo(code=code, root=row.root, label=row.name),
        plover=Plover(type=row.plover_type or "", mode=row.plover_mode),
        quad_class=row.quad_class,
        goldstein=row.goldstein,
        source=_to_actor(source.mention),
        target=_to_actor(target) if target is not None else None,
        reciprocal=reciprocal,
        modality=modality,
        temporal=temporal,
        location=event_location(sentence_mentions, article.dateline, exclude=actors),
        evidence=Evidence(
            sentence=sentence.text,
            sentence_index=sentence_index,
            trigger=token.text,
            start=trigger_start,
            end=trigger_end,
            source_start=source.mention.start,
            source_end=source.mention.end,
            target_start=target.start if target is not None else None,
            target_end=target.end if target is not None else None,
        ),
        confidence=confidence(match.trigger, source, target, modality, len(sentence)),
        published_at=article.published_at,
        article_url=article.url,
        article_source=article.source,
    )


def _to_actor(mention: Mention) -> Actor:
    return mention.to_actor()
