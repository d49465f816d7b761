"""Each module of the event-coding package on hand-built parses: no model, no broker.

Rows are (word, lemma, head index, dep, pos); actors are given per token index.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from spacy.strings import hash_string  # type: ignore[attr-defined]

from schemas.models import Article, Event
from tests.unit.coding.docs import Rows, mention, nodes, parse
from workers.coding.evaluate import _TypeSets, target_failures
from workers.coding.events import extract_events
from workers.coding.events.actors import ActorRef, actor_mention, actors_at, actors_of
from workers.coding.events.arguments import source_and_target
from workers.coding.events.countries import with_residence_country, with_sentence_country
from workers.coding.events.historical import historical_reference, noun_phrase_year
from workers.coding.events.intent import committed_code, expressed_commitment
from workers.coding.events.rules import composition_rules
from workers.coding.events.triggers import (
    POLICY,
    _uncodable_verbs,
    candidate_tokens,
    lexicon_key_hashes,
    match_token,
)
from workers.coding.lexicon import pattern_lexicon
from workers.coding.tables import lexicon
from workers.nlp.types import Mention, ResolvedDoc

PUBLISHED = datetime(2021, 3, 3, 12, tzinfo=UTC)


def resolve(rows: Rows, actors: dict[int, str]) -> ResolvedDoc:
    doc = parse(rows)
    return ResolvedDoc(doc=doc, mentions=[mention(doc, i, c) for i, c in actors.items()])


def code(rows: Rows, actors: dict[int, str]) -> list[Event]:
    resolved = resolve(rows, actors)
    article = Article(article_id="a", title="", body=resolved.doc.text, published_at=PUBLISHED)
    return extract_events(resolved, article)


def brief(events: list[Event]) -> list[tuple[Any, ...]]:
    return [
        (
            e.cameo.code,
            e.plover.type,
            e.plover.mode,
            e.source.country if e.source else None,
            e.target.country if e.target else None,
        )
        for e in events
    ]


# ---------------------------------------------------------------- triggers
CONDEMN: Rows = [
    ("Chile", "Chile", 1, "nsubj", "PROPN"),
    ("condemned", "condemn", 1, "ROOT", "VERB"),
    ("Peru", "Peru", 1, "dobj", "PROPN"),
]


def test_candidate_tokens_are_found_by_lexicon_key_hash() -> None:
    doc = parse(CONDEMN)
    assert [t.text for t in candidate_tokens(doc[:], lexicon())] == ["condemned"]


def test_uncodable_dictionary_verbs_are_no_candidates() -> None:
    # every dictionary pattern of "wait" codes no event: its tokens are never walked
    uncodable = _uncodable_verbs(pattern_lexicon(), POLICY)
    assert "wait" in uncodable and "wait" not in lexicon().verbs
    hashes = lexicon_key_hashes(lexicon())
    assert hash_string("wait") not in hashes and hash_string("Wait") not in hashes
    assert hash_string("condemn") in hashes
    waited: Rows = [
        ("Chile", "Chile", 1, "nsubj", "PROPN"),
        ("awaited", "wait", 1, "ROOT", "VERB"),
        ("Peru", "Peru", 1, "dobj", "PROPN"),
    ]
    assert candidate_tokens(parse(waited)[:], lexicon()) == []
    # an uncodable dictionary verb that parley's own lexicon has stays a key
    assert "station" in uncodable and "station" in lexicon().verbs
    assert hash_string("station") in hashes
    stationed: Rows = [
        ("Chile", "Chile", 1, "nsubj", "PROPN"),
        ("stationed", "station", 1, "ROOT", "VERB"),
        ("troops", "troop", 1, "dobj", "NOUN"),
    ]
    assert "stationed" in [t.text for t in candidate_tokens(parse(stationed)[:], lexicon())]


def test_match_token_gives_the_lexicon_entry() -> None:
    resolved = resolve(CONDEMN, {0: "CHL", 2: "PER"})
    match = match_token(nodes(resolved.doc)[1], lexicon(), resolved)
    assert match is not None and match.code == "111" and match.token.i == 1
    assert match_token(nodes(resolved.doc)[0], lexicon(), resolved) is None


# ------------------------------------------------------------------ intent
def test_committed_codes_follow_the_intended_act() -> None:
    aid = committed_code("070")
    assert aid is not None and (aid.code, aid.mode) == ("033", "aid")
    meet = committed_code("040")
    assert meet is not None and (meet.code, meet.mode) == ("036", "consult")
    attack = committed_code("190")
    assert attack is not None and (attack.code, attack.mode) == ("138", "violence")
    boycott = committed_code("163")
    assert boycott is not None and (boycott.code, boycott.mode) == ("1312", "restrict")
    assert committed_code("111") is None  # an intended accusation stays an accusation


PROVIDE: Rows = [
    ("Canada", "Canada", 2, "nsubj", "PROPN"),
    ("will", "will", 2, "aux", "AUX"),
    ("provide", "provide", 2, "ROOT", "VERB"),
    ("aid", "aid", 2, "dobj", "NOUN"),
    ("to", "to", 2, "dative", "ADP"),
    ("Chad", "Chad", 4, "pobj", "PROPN"),
]


def test_future_cooperative_act_is_agree_with_the_promise_as_mode() -> None:
    # PLOVER AGREE with the promise as mode; the CAMEO code stays the act, intent flagged
    assert brief(code(PROVIDE, {0: "CAN", 5: "TCD"})) == [("070", "AGREE", "aid", "CAN", "TCD")]


def test_speculation_is_not_a_commitment() -> None:
    rows = [r if r[0] != "will" else ("could", "could", 2, "aux", "AUX") for r in PROVIDE]
    doc = parse(rows)
    assert expressed_commitment(nodes(doc)[2], "070", lexicon()) is None


def test_hostile_act_needs_the_actors_own_commitment() -> None:
    vowed: Rows = [
        ("Iran", "Iran", 1, "nsubj", "PROPN"),
        ("vowed", "vow", 1, "ROOT", "VERB"),
        ("to", "to", 3, "aux", "PART"),
        ("attack", "attack", 1, "xcomp", "VERB"),
    ]
    commitment = expressed_commitment(nodes(parse(vowed))[3], "190", lexicon())
    assert commitment is not None and commitment.code == "138"
    tried = [r if r[0] != "vowed" else ("tried", "try", 1, "ROOT", "VERB") for r in vowed]
    assert expressed_commitment(nodes(parse(tried))[3], "190", lexicon()) is None


def test_future_yield_without_a_party_stays_the_act() -> None:
    rows: Rows = [
        ("Lopez", "Lopez", 2, "nsubj", "PROPN"),
        ("will", "will", 2, "aux", "AUX"),
        ("resign", "resign", 2, "ROOT", "VERB"),
    ]
    doc = parse(rows)
    assert expressed_commitment(nodes(doc)[2], "080", lexicon(), has_target=False) is None
    assert expressed_commitment(nodes(doc)[2], "080", lexicon(), has_target=True) is not None


def test_intent_rules_are_data_with_cameo_codes() -> None:
    rules = composition_rules()
    assert rules.intent_codes["07"] == "033" and rules.threat_codes["18"][0] == "138"
    assert "could" in rules.speculative_aux and "will" in rules.future_aux


# -------------------------------------------------------------- historical
ANNEXATION: Rows = [
    ("Russia", "Russia", 2, "poss", "PROPN"),
    ("2014", "2014", 2, "nummod", "NUM"),
    ("annexation", "annexation", 2, "ROOT", "NOUN"),
    ("of", "of", 2, "prep", "ADP"),
    ("Crimea", "Crimea", 3, "pobj", "PROPN"),
]


def test_past_year_in_the_event_noun_phrase_is_historical() -> None:
    doc = parse(ANNEXATION)
    assert noun_phrase_year(nodes(doc)[2]) == 2014
    temporal = historical_reference(nodes(doc)[2], date(2021, 3, 3))
    assert temporal is not None and temporal.historical and temporal.date_text == "2014"
    assert historical_reference(nodes(doc)[2], date(2014, 3, 20)) is None  # same year: current
    assert noun_phrase_year(nodes(doc)[0]) is None


# ------------------------------------------------------------------ actors
def test_unknown_group_takes_the_one_country_of_its_sentence() -> None:
    doc = parse(CONDEMN)
    group = mention(doc, 0, None, label="ORG")
    peru = mention(doc, 2, "PER")
    moved = with_sentence_country(ActorRef(group, "parse"), [group, peru])
    assert moved.mention.country == "PER"
    two = [group, peru, mention(doc, 1, "CHL")]
    assert with_sentence_country(ActorRef(group, "parse"), two).mention.country is None


def test_international_name_takes_the_group_code_not_a_country() -> None:
    doc = parse(CONDEMN)
    body = Mention(
        start=0,
        end=5,
        token_start=0,
        token_end=1,
        text="Chile",
        label="ORG",
        canonical="Watch International",
        country=None,
    )
    kept = with_sentence_country(ActorRef(body, "parse"), [body, mention(doc, 2, "PER")])
    assert kept.mention.country == "IGO"


def test_ethnic_group_takes_the_country_it_is_placed_in() -> None:
    rows: Rows = [
        ("ethnic", "ethnic", 1, "amod", "ADJ"),
        ("Serbs", "Serbs", 2, "nsubj", "PROPN"),
        ("marched", "march", 2, "ROOT", "VERB"),
        ("in", "in", 2, "prep", "ADP"),
        ("Kosovo", "Kosovo", 3, "pobj", "PROPN"),
    ]
    doc = parse(rows)
    serbs = mention(doc, 1, "SRB", label="NORP")
    resolved = ResolvedDoc(doc=doc, mentions=[serbs, mention(doc, 4, "XKX")])
    moved = with_residence_country(ActorRef(serbs, "parse"), nodes(doc)[2], resolved)
    assert moved.mention.country == "SRB"  # XKX is no ISO 3166 state: the name's country stays
    resolved = ResolvedDoc(doc=doc, mentions=[serbs, mention(doc, 4, "MNE")])
    moved = with_residence_country(ActorRef(serbs, "parse"), nodes(doc)[2], resolved)
    assert moved.mention.country == "MNE"


def test_role_noun_of_a_country_is_that_countrys() -> None:
    rows: Rows = [
        ("the", "the", 1, "det", "DET"),
        ("president", "president", 1, "ROOT", "NOUN"),
        ("of", "of", 1, "prep", "ADP"),
        ("Armenia", "Armenia", 2, "pobj", "PROPN"),
    ]
    doc = parse(rows)
    holder = mention(doc, 1, "RUS", label="PERSON", role="GOV")
    resolved = ResolvedDoc(doc=doc, mentions=[holder, mention(doc, 3, "ARM")])
    found = actor_mention(nodes(doc)[1], resolved)
    assert found is not None and found.country == "ARM" and found.actor_code == "ARMGOV"


MET: Rows = [
    ("Chile", "Chile", 3, "nsubj", "PROPN"),
    ("and", "and", 0, "cc", "CCONJ"),
    ("Peru", "Peru", 0, "conj", "PROPN"),
    ("met", "meet", 3, "ROOT", "VERB"),
]


def test_conjuncts_are_one_actor_each_and_a_relative_pronoun_its_antecedent() -> None:
    resolved = resolve(MET, {0: "CHL", 2: "PER"})
    assert [m.country for m in actors_at(nodes(resolved.doc)[0], resolved)] == ["CHL", "PER"]
    assert actors_at(nodes(resolved.doc)[3], resolved) == []
    rows: Rows = [
        ("the", "the", 1, "det", "DET"),
        ("rebels", "rebel", 1, "ROOT", "NOUN"),
        ("who", "who", 3, "nsubj", "PRON"),
        ("fled", "flee", 1, "relcl", "VERB"),
    ]
    doc = parse(rows)
    doc[2].tag_ = "WP"
    resolved = ResolvedDoc(doc=doc, mentions=[mention(doc, 1, "COL", label="NORP")])
    assert [m.country for m in actors_of(nodes(doc)[2], resolved)] == ["COL"]


def test_passive_agent_is_the_source_and_the_subject_the_target() -> None:
    rows: Rows = [
        ("Peru", "Peru", 2, "nsubjpass", "PROPN"),
        ("was", "be", 2, "auxpass", "AUX"),
        ("condemned", "condemn", 2, "ROOT", "VERB"),
        ("by", "by", 2, "agent", "ADP"),
        ("Chile", "Chile", 3, "pobj", "PROPN"),
    ]
    resolved = resolve(rows, {0: "PER", 4: "CHL"})
    match = match_token(nodes(resolved.doc)[2], lexicon(), resolved)
    assert match is not None
    sources, targets, reciprocal = source_and_target(match, lexicon(), resolved, None)
    assert [(r.mention.country, r.via) for r in sources] == [("CHL", "parse")]
    assert [m.country for m in targets] == ["PER"] and not reciprocal


def test_plural_subject_of_a_symmetric_act_without_target_is_reciprocal() -> None:
    resolved = resolve(MET, {0: "CHL", 2: "PER"})
    match = match_token(nodes(resolved.doc)[3], lexicon(), resolved)
    assert match is not None and match.code[:2] == "04"
    sources, targets, reciprocal = source_and_target(match, lexicon(), resolved, None)
    assert [r.mention.country for r in sources] == ["CHL", "PER"]
    assert targets == [] and reciprocal


def test_actor_acting_on_its_own_forces_keeps_the_event() -> None:
    rows: Rows = [
        ("Chile", "Chile", 1, "nsubj", "PROPN"),
        ("mobilized", "mobilize", 1, "ROOT", "VERB"),
        ("Chile", "Chile", 3, "compound", "PROPN"),
        ("reservists", "reservist", 1, "dobj", "NOUN"),
    ]
    events = code(rows, {0: "CHL", 2: "CHL"})
    assert [(e.plover.type, e.source and e.source.country, e.target) for e in events] == [
        ("MOBILIZE", "CHL", None)
    ]


# ------------------------------------------------------------- composition
def test_obligation_for_another_actor_is_a_demand_of_it() -> None:
    rows: Rows = [
        ("Brazil", "Brazil", 1, "nsubj", "PROPN"),
        ("said", "say", 1, "ROOT", "VERB"),
        ("Bolivia", "Bolivia", 4, "nsubj", "PROPN"),
        ("must", "must", 4, "aux", "AUX"),
        ("pay", "pay", 1, "ccomp", "VERB"),
    ]
    assert brief(code(rows, {0: "BRA", 2: "BOL"})) == [("100", "REQUEST", None, "BRA", "BOL")]


def test_own_obligation_is_no_demand() -> None:
    rows: Rows = [
        ("Brazil", "Brazil", 1, "nsubj", "PROPN"),
        ("said", "say", 1, "ROOT", "VERB"),
        ("Brazil", "Brazil", 4, "nsubj", "PROPN"),
        ("must", "must", 4, "aux", "AUX"),
        ("pay", "pay", 1, "ccomp", "VERB"),
    ]
    assert code(rows, {0: "BRA", 2: "BRA"}) == []


# ---------------------------------------------------------------- evaluate
def test_plover_type_sets_score_per_sentence_and_map_gold_country_codes() -> None:
    events = code(PROVIDE, {0: "CAN", 5: "TCD"})
    scorer = _TypeSets.empty()
    gold: list[dict[str, Any]] = [
        {"code": "AGREE", "source": "CAN;JAP", "target": "TCD"},
        {"code": "AGREE", "source": "CAN", "target": None},
        {"code": "REQUEST", "code_plover_v2": "REQUEST", "source": "TCD"},
    ]
    scorer.add(gold, events)
    summary = scorer.summary()
    assert summary["micro"] == {"precision": 1.0, "recall": 0.5, "f1": 0.6667}
    assert summary["confusion"] == {"REQUEST": {"-": 1}}
    assert (scorer.source_hits, scorer.source_pairs) == (1, 1)
    assert (scorer.target_hits, scorer.target_pairs) == (1, 1)


# ---------------------------------------------------------------- recipients
DEMAND_THAT: Rows = [
    ("Canada", "Canada", 1, "nsubj", "PROPN"),
    ("demanded", "demand", 1, "ROOT", "VERB"),
    ("that", "that", 4, "mark", "SCONJ"),
    ("Peru", "Peru", 4, "nsubj", "PROPN"),
    ("publish", "publish", 1, "ccomp", "VERB"),
    ("results", "result", 4, "dobj", "NOUN"),
]


def test_a_demand_is_addressed_to_its_complement_subject() -> None:
    """ "X demanded that Y publish ...": Y is the recipient though "publish" is no trigger."""
    events = code(DEMAND_THAT, {0: "CAN", 3: "PER"})
    assert [(e.plover.type, e.source.country if e.source else None) for e in events] == [
        ("REQUEST", "CAN")
    ]
    assert events[0].target is not None and events[0].target.country == "PER"


def protest_in(verb: str, lemma: str) -> Rows:
    return [
        ("Chile", "Chile", 1, "nsubj", "PROPN"),
        (verb, lemma, 1, "ROOT", "VERB"),
        ("in", "in", 1, "prep", "ADP"),
        ("Peru", "Peru", 2, "pobj", "PROPN"),
    ]


def test_the_one_place_of_a_protest_is_its_recipient() -> None:
    events = code(protest_in("protested", "protest"), {0: "CHL", 3: "PER"})
    assert [(e.plover.type, e.target.country if e.target else None) for e in events] == [
        ("PROTEST", "PER")
    ]


def test_the_place_of_a_meeting_is_no_recipient() -> None:
    events = code(protest_in("met", "meet"), {0: "CHL", 3: "PER"})
    assert [(e.plover.type, e.target) for e in events] == [("CONSULT", None)]


def test_target_failures_lists_only_matched_types_with_a_wrong_target() -> None:
    events = code(DEMAND_THAT, {0: "CAN", 3: "PER"})
    record: dict[str, Any] = {"text": "a sentence", "events": []}
    record["events"] = [{"code": "REQUEST", "source": "CAN", "target": "BOL"}]
    lines = target_failures(record, events)
    assert lines[0] == "REQUEST: gold target BOL; a sentence"
    assert "trigger='demanded'" in lines[1] and "(PER)" in lines[1]
    record["events"] = [{"code": "REQUEST", "source": "CAN", "target": "PER"}]
    assert target_failures(record, events) == []
    record["events"] = [{"code": "PROTEST", "source": "CAN", "target": "BOL"}]
    assert target_failures(record, events) == []  # not a matched type


# ---------------------------------------------------------------- unnamed crowds, own states
def test_an_unnamed_crowd_protesting_takes_the_country_of_its_place() -> None:
    rows: Rows = [
        ("farmers", "farmer", 1, "nsubj", "NOUN"),
        ("marched", "march", 1, "ROOT", "VERB"),
        ("in", "in", 1, "prep", "ADP"),
        ("Lima", "Lima", 2, "pobj", "PROPN"),
    ]
    assert brief(code(rows, {3: "PER"})) == [("141", "PROTEST", "demo", "PER", "PER")]


def test_an_unnamed_crowd_takes_the_country_its_own_phrase_names() -> None:
    rows: Rows = [
        ("workers", "worker", 4, "nsubj", "NOUN"),
        ("in", "in", 0, "prep", "ADP"),
        ("Peruvian", "peruvian", 3, "amod", "ADJ"),
        ("mines", "mine", 1, "pobj", "NOUN"),
        ("protested", "protest", 4, "ROOT", "VERB"),
        ("in", "in", 4, "prep", "ADP"),
        ("Chile", "Chile", 5, "pobj", "PROPN"),
    ]
    doc = parse(rows)
    resolved = ResolvedDoc(
        doc=doc, mentions=[mention(doc, 2, "PER", label="NORP"), mention(doc, 6, "CHL")]
    )
    article = Article(article_id="a", title="", body=doc.text, published_at=PUBLISHED)
    events = extract_events(resolved, article)
    assert [(e.source.country, e.source.role) for e in events if e.source] == [("PER", "CVL")]


def test_a_crowd_with_no_place_and_no_dateline_codes_nothing() -> None:
    rows: Rows = [
        ("farmers", "farmer", 1, "nsubj", "NOUN"),
        ("marched", "march", 1, "ROOT", "VERB"),
    ]
    assert code(rows, {}) == []


def test_his_country_as_subject_is_the_speakers_state() -> None:
    rows: Rows = [
        ("Chile", "Chile", 1, "nsubj", "PROPN"),
        ("said", "say", 1, "ROOT", "VERB"),
        ("his", "his", 3, "poss", "PRON"),
        ("country", "country", 4, "nsubj", "NOUN"),
        ("condemned", "condemn", 1, "ccomp", "VERB"),
        ("Peru", "Peru", 4, "dobj", "PROPN"),
    ]
    assert [(s, t) for _, _, _, s, t in brief(code(rows, {0: "CHL", 5: "PER"}))] == [("CHL", "PER")]


def test_a_clause_opening_proper_noun_parsed_as_adverbial_is_the_subject() -> None:
    from spacy.tokens import Doc as SpacyDoc

    from tests.unit.coding.docs import VOCAB
    from workers.coding.events.parse import subject_token

    words = ["Turkey", "massed", "troops", "on", "Monday"]
    doc = SpacyDoc(
        VOCAB,
        words=words,
        heads=[1, 1, 1, 1, 3],
        deps=["npadvmod", "ROOT", "dobj", "prep", "pobj"],
        pos=["PROPN", "VERB", "NOUN", "ADP", "PROPN"],
        tags=["NNP", "VBD", "NNS", "IN", "NNP"],
    )
    subject, passive = subject_token(nodes(doc)[1])
    assert subject is not None and subject.text == "Turkey" and not passive
    # "Monday" is an adverbial after the verb, never a subject
    later = SpacyDoc(
        VOCAB,
        words=["troops", "massed", "Monday"],
        heads=[1, 1, 1],
        deps=["dobj", "ROOT", "npadvmod"],
        pos=["NOUN", "VERB", "PROPN"],
        tags=["NNS", "VBD", "NNP"],
    )
    assert subject_token(nodes(later)[1]) == (None, False)


def test_a_condition_inside_a_threat_is_no_event() -> None:
    rows: Rows = [
        ("Chile", "Chile", 1, "nsubj", "PROPN"),
        ("threatened", "threaten", 1, "ROOT", "VERB"),
        ("to", "to", 3, "aux", "PART"),
        ("recall", "recall", 1, "xcomp", "VERB"),
        ("envoys", "envoy", 3, "dobj", "NOUN"),
        ("if", "if", 7, "mark", "SCONJ"),
        ("Peru", "Peru", 7, "nsubj", "PROPN"),
        ("condemned", "condemn", 3, "advcl", "VERB"),
        ("it", "it", 7, "dobj", "PRON"),
    ]
    types = {t for _, t, _, _, _ in brief(code(rows, {0: "CHL", 6: "PER"}))}
    assert "THREATEN" in types and "ACCUSE" not in types, types
