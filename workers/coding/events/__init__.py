"""Event coding over the dependency parse: who did what to whom, when and where.

For every sentence, the tokens whose lemma (or lower-cased form) is a lexicon key
are found by hash (``triggers.candidate_tokens``) and matched once each: parley's
entries (``workers/data/coding/triggers.yaml``) first, then the dictionary-scale
pattern lexicon derived from the CAMEO verb dictionaries (``workers.coding.lexicon``;
most specific pattern wins, object/particle/preposition patterns), and event nouns
under a light verb, a possessive or a "between" phrase. Mentions and dates are
bucketed per sentence in one pass. Then:

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
- Intent as PLOVER's and CAMEO's authors code it (``intent``): a committed or
  future cooperative act is AGREE / 03x ("will provide aid" 033, "is ready to
  talk" 036, "agreed to lift the ban" 035), the promised act's type in the
  PLOVER mode; a committed hostile act is THREATEN / 13x with the manual's
  THREATEN mode ("vowed to strike" 138 violence); a negated future cooperative
  act is a refusal (12x); "failed to" negates. "X said Y must act" is X's
  demand of Y (10x). Rules and their manual/codebook sources: ``composition.yaml``.
- Historical references (``historical``): an event noun whose own phrase carries
  a past year ("its 2014 annexation") is ``temporal.historical``.
- Actors as the gold attaches them: "the president of Armenia" is Armenia's; an
  unknown named group takes the one country its sentence names (an international
  name takes IGO); an ethnic group takes the country it is placed in; the dative
  of a giving verb and the host of a nominal visit are targets; an actor acting on
  its own forces keeps the event with no target; an unattributed attack in the
  main clause takes the attacker its in/by phrase names, else the one country the
  sentence places it in; exercises by several states are joint (062).

Confidence (documented factors, summed then clipped to [0.05, 0.99]):

    0.45 base
    +0.15 trigger is a constrained pattern ("impose sanctions"), -0.10 a vague one
    +0.15 source found in the parse (subject / agent / possessive),
    +0.05 source from the speaker of reported speech, +0.00 from the previous sentence
    +0.10 source resolved to a country, +0.05 target resolved to a country
    -0.10 negated or hypothetical
    -0.05 sentence longer than 40 tokens (parses degrade with length)

Modules: ``triggers`` (lexicon matching, the one place that decides which token is
a trigger), ``composition`` (governed triggers folded into their governor, rules as
data in ``workers/data/coding/composition.yaml`` via ``rules``), ``intent``,
``historical``, ``arguments`` (source and target), ``actors`` (the actor
mentions a token stands for), ``modality``, ``scoring``
(confidence), ``records`` (Event building, ids, dedupe), ``parse`` (tree helpers).
The walks read ``workers.coding.doctree`` Nodes, the parse as plain-Python objects built
once per document (spaCy's Token API, no Token objects), freed once the article is coded.

``event_id`` is a hash of article id, sentence index, CAMEO code, source and
target codes and trigger offset: replays and duplicates carry the same id.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import replace
from typing import Any

from spacy.tokens import Span

from schemas.models import Article, Event, Temporal
from workers.coding.doctree import Node, doc_tree, release_tree
from workers.coding.events.actors import ActorRef, prep_actors
from workers.coding.events.arguments import source_and_target
from workers.coding.events.background import in_background
from workers.coding.events.composition import coded_matches
from workers.coding.events.countries import (
    attacker_in_phrase,
    crowd_source,
    in_main_clause,
    own_country_recipient,
    place_as_source,
    target_country,
    with_dateline_country,
    with_residence_country,
    with_sentence_country,
)
from workers.coding.events.historical import YEAR_DEPS, historical_reference, noun_phrase_year
from workers.coding.events.intent import committed_code, expressed_commitment
from workers.coding.events.modality import modality_of, refusal_code, trigger_modality
from workers.coding.events.records import (
    SentenceView,
    dedupe_events,
    event_fields,
    event_id,
    validated_events,
)
from workers.coding.events.rules import composition_rules
from workers.coding.events.scoring import confidence
from workers.coding.events.triggers import Match, lexicon_key_hashes
from workers.coding.tables import cameo_codes, lexicon, plover_type_of
from workers.coding.temporal import event_temporal
from workers.nlp.types import Mention, ResolvedDoc

__all__ = ["confidence", "event_id", "extract_events", "load_tables"]


def load_tables() -> None:
    """Load the coder's tables and lexicons now rather than on the first article (the
    worker's NLP processes do it before ``gc.freeze``, see ``workers.pool``)."""
    composition_rules()
    cameo_codes()
    lexicon_key_hashes(lexicon())  # loads the dictionary lexicon too


def _sentences(resolved: ResolvedDoc) -> list[Span]:
    doc = resolved.doc
    if doc.has_annotation("SENT_START") and "sents" not in doc.user_hooks:
        # = list(doc.sents), from the columns read once; the tree takes the text joined
        return doc_tree(doc, resolved.text).sentences()
    if doc.has_annotation("SENT_START") or doc.has_annotation("DEP"):
        return list(doc.sents)
    return [doc[:]]


def _act_heads(match: Match) -> list[Node]:
    """The trigger and its theme ("held *exercises*"): where the act's own words are."""
    return [match.token] + ([match.theme] if match.theme is not None else [])


def _names_an_exercise(heads: list[Node]) -> bool:
    return any(t.lemma_.lower() in composition_rules().exercise_nouns for t in heads)


def _exercise_by_several_states(match: Match, sources: list[ActorRef]) -> bool:
    """ "Indian and Japanese warships began naval exercises", "police of two states carried
    out joint raids": an exercise, or any act called joint, by the forces of several states
    is their cooperation."""
    heads = _act_heads(match)
    joint = any(
        c.dep_ in {"amod", "compound", "advmod"} and c.lower_ in _JOINT_WORDS
        for t in heads
        for c in t.children
    )
    if not joint and (match.code[:2] != "15" or not _names_an_exercise(heads)):
        return False
    return len({ref.mention.country for ref in sources if ref.mention.country}) > 1


_JOINT_WORDS = frozenset({"joint", "combined", "jointly"})
_VENUE_PREPS = frozenset({"in", "off", "near", "over", "across", "around"})


def _where_held(target: Mention, match: Match) -> bool:
    """Whether the mention is inside a place phrase of the act ("exercises in the Sea of
    Japan", "drills off the coast of Taiwan")."""
    return any(
        prep.dep_ == "prep"
        and prep.lower_ in _VENUE_PREPS
        and any(t.i == target.token_start for t in prep.subtree)
        for head in (*_act_heads(match), *(h.head for h in _act_heads(match)))
        for prep in head.children
    )


def _exercise_partners(
    match: Match, sources: list[ActorRef], resolved: ResolvedDoc
) -> list[Mention]:
    """The states an exercise is held *with* ("held naval exercises with China"), other than
    its actors' own: the exercise is their military cooperation (062)."""
    heads = _act_heads(match)
    if match.code[:2] not in {"15", "06"} or not _names_an_exercise(heads):
        return []
    own = {ref.mention.country for ref in sources}
    for head in heads:
        partners = [m for m in prep_actors(head, ("with",), resolved) if m.country not in own]
        if partners:
            return partners
    return []


def _natural_cause(match: Match) -> bool:
    """Whether the act's subject or agent is a natural cause ("floods killed 300")."""
    words = {
        t.lemma_.lower()
        for child in match.token.children
        if child.dep_ in {"nsubj", "agent", "prep"}
        for t in child.subtree
    }
    return bool(words & composition_rules().natural_causes)


def _index_by_sentence(
    resolved: ResolvedDoc, sentences: list[Span]
) -> tuple[list[list[Mention]], list[list[str]]]:
    """Mentions and DATE entity texts of each sentence, in one pass over the document
    (``Span.ents`` and a scan of every mention per sentence cost a walk per sentence)."""
    starts = [sentence.start for sentence in sentences]
    ends = [sentence.end for sentence in sentences]

    def sentence_of(token: int) -> int | None:
        at = bisect_right(starts, token) - 1
        return at if at >= 0 and token < ends[at] else None

    mentions: list[list[Mention]] = [[] for _ in sentences]
    for mention in resolved.mentions:
        found = sentence_of(mention.token_start)
        if found is not None:
            mentions[found].append(mention)
    dates: list[list[str]] = [[] for _ in sentences]
    tree = doc_tree(resolved.doc)
    for start, end in tree.entities("DATE"):
        at = sentence_of(start)
        if end - start == 1 and _year_of_a_noun(tree.nodes[start]):
            # "returned artefacts looted after the 2003 invasion": the year dates the
            # invasion (historical.py reads it when that noun is the trigger), not the
            # sentence's act
            continue
        if at is not None and end <= ends[at]:
            dates[at].append(tree.span_text(start, end))
    return mentions, dates


def _year_of_a_noun(token: Node) -> bool:
    head = token.head
    return (
        token.dep_ in YEAR_DEPS
        and head.i != token.i
        and head.pos_ == "NOUN"
        and noun_phrase_year(head) is not None
    )


def extract_events(resolved: ResolvedDoc, article: Article) -> list[Event]:
    """Every coded event of the article, in text order, with deterministic ids."""
    try:
        return _extract_events(resolved, article)
    finally:
        release_tree(resolved.doc)  # its tree is walked no more: free it now


def _extract_events(resolved: ResolvedDoc, article: Article) -> list[Event]:
    lex = lexicon()
    published = article.published_at.date()
    fields: list[dict[str, Any]] = []  # each event's, validated together at the end
    seen: set[str] = set()
    previous_source: Mention | None = None
    sentences = _sentences(resolved)
    text = doc_tree(resolved.doc).text  # = resolved.doc.text, joined once
    mentions_by_sentence, dates_by_sentence = _index_by_sentence(resolved, sentences)
    for sentence_index, sentence in enumerate(sentences):
        view = SentenceView(
            span=sentence,
            index=sentence_index,
            text=text[sentence.start_char : sentence.end_char],  # = sentence.text, sliced
            length=len(sentence),
            mentions=mentions_by_sentence[sentence_index],
            dates=dates_by_sentence[sentence_index],
        )
        sentence_source: Mention | None = None
        temporals: dict[bool, Temporal] = {}
        sentence_start = len(fields)
        background: set[int] = set()  # indexes into events
        matches = coded_matches(sentence, lex, resolved)
        kinds: dict[str | None, int] = {}
        for found in matches:  # how many acts of each PLOVER type the sentence has
            counted = plover_type_of(found.code)
            kinds[counted] = kinds.get(counted, 0) + 1
        for match in matches:
            sources, targets, reciprocal = source_and_target(
                match, lex, resolved, previous_source, sentence_source
            )
            if (
                not sources
                and match.code[:2] in composition_rules().violent_roots
                and in_main_clause(match.token)
                and not _natural_cause(match)
            ):
                place = attacker_in_phrase(match.token, resolved) or place_as_source(
                    view.mentions, resolved
                )
                if place is not None:  # an unattributed attack: the country it happened in
                    sources = [ActorRef(place, "place")]
            if not sources and in_main_clause(match.token):
                # "thousands of farmers marched": the people's country; for acts other than
                # protests only a country their own phrase names ("lawyers in Kenya sued")
                crowd = crowd_source(
                    match.token,
                    view.mentions,
                    resolved,
                    article,
                    own_phrase_only=match.code[:2] not in composition_rules().crowd_roots,
                )
                if crowd is not None:
                    sources = [ActorRef(crowd, "place")]
            if not sources:
                continue
            sentence_source = sentence_source or sources[0].mention
            partners = _exercise_partners(match, sources, resolved)
            if partners:
                # "Russia held naval exercises with China": the exercise is done together
                match = replace(match, code=composition_rules().joint_military_code)
                targets = partners
            elif _exercise_by_several_states(match, sources) and all(
                # "Turkish and Azerbaijani troops held drills near Baku": a place of their own;
                # "in the Sea of Japan": where they are held, no party to them
                target.country in {ref.mention.country for ref in sources}
                or _where_held(target, match)
                for target in targets
            ):
                # "Indian and Japanese warships began naval exercises": joint (062)
                # (062); any other act called joint is their cooperation (060), a code
                # already of 06 kept
                joint_code = (
                    composition_rules().joint_military_code
                    if match.code[:2] == "15"
                    else match.code
                    if match.code[:2] == "06"
                    else "060"
                )
                match = replace(match, code=joint_code)
                reciprocal = True
            modality, future = trigger_modality(match.token, lex)
            if match.intent and not modality.intent:
                modality = modality_of(modality.negated, modality.hypothetical, True)
            code = match.code
            refused = refusal_code(match.token, code, modality)
            if refused is not None:
                # "would not provide support": an asserted refusal, not a negated act.
                code = refused
                modality = modality_of(False, False, False)
            mode: str | None = None
            # a PLOVER split of the CAMEO code ("indicted": 173, ACCUSE), while the act stays
            plover_code = match.trigger.plover_code if code == match.code else None
            if match.intent and match.inner is not None:
                promised = committed_code(match.inner.code)  # "pledged to send aid" (033)
                mode = promised.mode if promised is not None else None
            elif not modality.negated and refused is None:
                commitment = expressed_commitment(match.token, code, lex, bool(targets))
                if commitment is not None:
                    # "vowed to strike" is THREATEN (138) in both schemes. An intended
                    # cooperative act ("will provide aid", "is scheduled to attend") is
                    # PLOVER AGREE (033's type, the promise as mode) while its CAMEO code
                    # stays the act (070), intent flagged, as the PETRARCH-2 gold records
                    # code it ("will meet" 040, "will supply arms" 072, "is scheduled to
                    # attend a summit" 042). A pledge verb's own trigger keeps 03x.
                    if commitment.code[:2] == "03":
                        plover_code = commitment.code
                    else:
                        code = commitment.code
                    mode = commitment.mode
                    modality = modality_of(modality.negated, modality.hypothetical, True)
            temporal = historical_reference(match.token, published)
            if temporal is None:
                if future not in temporals:  # one date reading per sentence and tense
                    temporals[future] = event_temporal(view.text, view.dates, published, future)
                temporal = temporals[future]
            kind = plover_type_of(plover_code or code)
            placed = False  # the recipient is the place the act is carried out in
            if not targets and not reciprocal:
                # "demonstrated in Serbia": the one country the act is carried out in
                # (``place_recipient_types`` in composition.yaml)
                # only the sentence's one act of its type: of several, the others name the
                # parties, and the record keeps theirs
                if kind in composition_rules().place_recipient_types and kinds.get(kind, 0) == 1:
                    place = place_as_source(view.mentions, resolved)
                    if place is not None:
                        targets = [place]
                        placed = True
            domestic = not reciprocal and kind in composition_rules().own_country_recipient_types
            dyads: list[tuple[ActorRef, Mention | None]]
            if reciprocal:
                dyads = [(a, b.mention) for a in sources for b in sources if a.mention != b.mention]
            else:
                ends: list[Mention | None] = [*targets] if targets else [None]
                dyads = [(s, t) for s in sources for t in ends]
            for source, target in dyads:
                if target is not None and source.mention.canonical == target.canonical:
                    if reciprocal or len(targets) > 1:
                        continue
                    if not (placed and source.via == "place"):
                        # "Britain mobilized its army reservists": the actor acting on its
                        # own people or forces is still an event, with no other party as
                        # target; but "gunmen attacked a post in Mali", coded from the
                        # place, keeps the place as recipient too
                        target = None
                source = with_dateline_country(source, article)
                source = with_sentence_country(source, view.mentions, resolved)
                source = with_residence_country(source, match.token, resolved)
                if target is not None:
                    target = target_country(target, article, view.mentions, resolved)
                if domestic:
                    target = own_country_recipient(source.mention, target)
                if in_background(match.token):
                    background.add(len(fields))
                fields.append(
                    event_fields(
                        article,
                        view,
                        match,
                        code,
                        source,
                        target,
                        reciprocal,
                        modality,
                        temporal,
                        mode,
                        plover_code,
                    )
                )
        if background and len(background) < len(fields) - sentence_start:
            fields[sentence_start:] = [
                event
                for index, event in enumerate(fields[sentence_start:], sentence_start)
                if index not in background
            ]
        if sentence_source is not None:
            previous_source = sentence_source
    unique = []
    for event in validated_events(fields):
        if event.event_id not in seen:
            seen.add(event.event_id)
            unique.append(event)
    return dedupe_events(unique)
