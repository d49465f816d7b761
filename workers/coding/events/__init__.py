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

Modules: ``triggers`` (lexicon matching, the one place that decides which token is
a trigger), ``composition`` (governed triggers folded into their governor, rules as
data in ``workers/data/coding/composition.yaml`` via ``rules``), ``actors`` (source
and target), ``modality``, ``scoring`` (confidence), ``records`` (Event building,
ids, dedupe), ``parse`` (dependency-tree helpers).

``event_id`` is a hash of article id, sentence index, CAMEO code, source and
target codes and trigger offset: replays and duplicates carry the same id.
"""

from __future__ import annotations

from spacy.tokens import Span

from schemas.models import Article, Event, Modality
from workers.coding.events.actors import ActorRef, source_and_target, with_dateline_country
from workers.coding.events.composition import coded_matches
from workers.coding.events.modality import refusal_code, trigger_modality
from workers.coding.events.records import build_event, dedupe_events, event_id
from workers.coding.events.scoring import confidence
from workers.coding.tables import lexicon
from workers.coding.temporal import event_temporal
from workers.nlp.types import Mention, ResolvedDoc

__all__ = ["confidence", "event_id", "extract_events"]



def _sentences(resolved: ResolvedDoc) -> list[Span]:
    doc = resolved.doc
    if doc.has_annotation("SENT_START") or doc.has_annotation("DEP"):
        return list(doc.sents)
    return [doc[:]]



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
        for match in coded_matches(sentence, lex, resolved):
            sources, targets, reciprocal = source_and_target(
                match, lex, resolved, previous_source
            )
            if not sources:
                continue
            sentence_source = sentence_source or sources[0].mention
            modality, future = trigger_modality(match.token, lex)
            if match.intent and not modality.intent:
                modality = modality.model_copy(update={"intent": True})
            code = match.code
            refused = refusal_code(match.token, code, modality)
            if refused is not None:
                # "would not provide support": an asserted refusal, not a negated act.
                code = refused
                modality = Modality(negated=False, hypothetical=False, intent=False)
            if modality.intent and code[:2] == "04" and not modality.negated:
                code = "036"
            temporal = event_temporal(sentence.text, date_texts, published, future)
            dyads: list[tuple[ActorRef, Mention | None]]
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
                source = with_dateline_country(source, article)
                events.append(
                    build_event(
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
    return dedupe_events(unique)
