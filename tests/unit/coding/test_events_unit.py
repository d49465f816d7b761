"""Event coding on hand-built parses: no model, no broker."""

from __future__ import annotations

from datetime import UTC, date, datetime

from spacy.tokens import Doc

from schemas.models import Article, Dateline
from tests.unit.coding.docs import parse
from workers.coding.events import event_id, extract_events
from workers.nlp.types import Mention, ResolvedDoc

PUBLISHED = datetime(2024, 5, 22, 12, tzinfo=UTC)  # a Wednesday


def mention(doc: Doc, index: int, country: str | None, label: str = "GPE") -> Mention:
    token = doc[index]
    return Mention(
        start=token.idx,
        end=token.idx + len(token),
        token_start=index,
        token_end=index + 1,
        text=token.text,
        label=label,
        canonical=token.text,
        country=country,
    )


def article(doc: Doc, dateline: Dateline | None = None) -> Article:
    return Article(
        article_id="art-1", title="", body=doc.text, published_at=PUBLISHED, dateline=dateline
    )


def code(rows: list[tuple[str, str, int, str, str]], actors: dict[int, str]):  # type: ignore[no-untyped-def]
    doc = parse(rows)
    resolved = ResolvedDoc(doc=doc, mentions=[mention(doc, i, c) for i, c in actors.items()])
    return extract_events(resolved, article(doc))


def test_active_verb_gives_subject_source_and_object_target() -> None:
    events = code(
        [
            ("Russia", "Russia", 1, "nsubj", "PROPN"),
            ("condemned", "condemn", 1, "ROOT", "VERB"),
            ("Ukraine", "Ukraine", 1, "dobj", "PROPN"),
        ],
        {0: "RUS", 2: "UKR"},
    )
    assert [
        (e.cameo.code, e.plover.type, e.source.country, e.target.country)  # type: ignore[union-attr]
        for e in events
    ] == [("111", "ACCUSE", "RUS", "UKR")]
    event = events[0]
    assert event.quad_class == 3 and event.goldstein == -2.0
    assert event.evidence.trigger == "condemned"
    assert event.evidence.start == 7 and event.evidence.end == 16
    assert event.temporal.event_date == date(2024, 5, 22)


def test_passive_agent_is_source_and_subject_is_target() -> None:
    events = code(
        [
            ("Ukraine", "Ukraine", 2, "nsubjpass", "PROPN"),
            ("was", "be", 2, "auxpass", "AUX"),
            ("attacked", "attack", 2, "ROOT", "VERB"),
            ("by", "by", 2, "agent", "ADP"),
            ("Russia", "Russia", 3, "pobj", "PROPN"),
        ],
        {0: "UKR", 4: "RUS"},
    )
    assert [(e.source.country, e.target.country) for e in events] == [("RUS", "UKR")]  # type: ignore[union-attr]
    assert events[0].plover.type == "ASSAULT"


def test_compound_subject_without_object_is_reciprocal_both_ways() -> None:
    events = code(
        [
            ("Japan", "Japan", 3, "nsubj", "PROPN"),
            ("and", "and", 0, "cc", "CCONJ"),
            ("China", "China", 0, "conj", "PROPN"),
            ("met", "meet", 3, "ROOT", "VERB"),
        ],
        {0: "JPN", 2: "CHN"},
    )
    pairs = {(e.source.country, e.target.country) for e in events}  # type: ignore[union-attr]
    assert pairs == {("JPN", "CHN"), ("CHN", "JPN")}
    assert all(e.reciprocal for e in events)


def test_negation_sets_modality_not_code() -> None:
    events = code(
        [
            ("Russia", "Russia", 3, "nsubj", "PROPN"),
            ("did", "do", 3, "aux", "AUX"),
            ("not", "not", 3, "neg", "PART"),
            ("condemn", "condemn", 3, "ROOT", "VERB"),
            ("Iran", "Iran", 3, "dobj", "PROPN"),
        ],
        {0: "RUS", 4: "IRN"},
    )
    assert events[0].modality.negated and events[0].cameo.code == "111"


def test_planned_meeting_is_plover_agree_with_the_cameo_act_and_intent() -> None:
    events = code(
        [
            ("China", "China", 1, "nsubj", "PROPN"),
            ("plans", "plan", 1, "ROOT", "VERB"),
            ("to", "to", 3, "aux", "PART"),
            ("meet", "meet", 1, "xcomp", "VERB"),
            ("Japan", "Japan", 3, "dobj", "PROPN"),
        ],
        {0: "CHN", 4: "JPN"},
    )
    # PLOVER AGREE (manual, AGREE: future cooperation); CAMEO keeps the act, as the
    # PETRARCH-2 gold records code a planned meeting, with the intent flag
    assert [(e.cameo.code, e.plover.type, e.modality.intent) for e in events] == [
        ("040", "AGREE", True)
    ]


def test_refusal_to_meet_is_rejection_not_negated_meeting() -> None:
    events = code(
        [
            ("Russia", "Russia", 1, "nsubj", "PROPN"),
            ("refused", "refuse", 1, "ROOT", "VERB"),
            ("to", "to", 3, "aux", "PART"),
            ("meet", "meet", 1, "xcomp", "VERB"),
            ("Ukraine", "Ukraine", 3, "dobj", "PROPN"),
        ],
        {0: "RUS", 4: "UKR"},
    )
    assert [(e.cameo.code, e.modality.negated, e.target.country) for e in events] == [  # type: ignore[union-attr]
        ("125", False, "UKR")
    ]


def test_reported_first_person_takes_speaker() -> None:
    events = code(
        [
            ("Blinken", "Blinken", 1, "nsubj", "PROPN"),
            ("said", "say", 1, "ROOT", "VERB"),
            ("we", "we", 3, "nsubj", "PRON"),
            ("condemn", "condemn", 1, "ccomp", "VERB"),
            ("Iran", "Iran", 3, "dobj", "PROPN"),
        ],
        {0: "USA", 4: "IRN"},
    )
    assert [(e.source.country, e.target.country) for e in events] == [("USA", "IRN")]  # type: ignore[union-attr]


def test_no_source_actor_no_event() -> None:
    events = code(
        [
            ("Officials", "official", 1, "nsubj", "NOUN"),
            ("condemned", "condemn", 1, "ROOT", "VERB"),
            ("Iran", "Iran", 1, "dobj", "PROPN"),
        ],
        {2: "IRN"},
    )
    assert events == []


def test_event_ids_are_deterministic_and_distinct() -> None:
    rows = [
        ("Russia", "Russia", 1, "nsubj", "PROPN"),
        ("condemned", "condemn", 1, "ROOT", "VERB"),
        ("Ukraine", "Ukraine", 1, "dobj", "PROPN"),
    ]
    first, second = code(rows, {0: "RUS", 2: "UKR"}), code(rows, {0: "RUS", 2: "UKR"})
    assert first[0].event_id == second[0].event_id
    assert event_id("a", 0, "111", "RUS", "UKR", 7) != event_id("a", 0, "111", "UKR", "RUS", 7)


def test_dateline_is_the_location_when_the_sentence_names_no_other_place() -> None:
    doc = parse(
        [
            ("Russia", "Russia", 1, "nsubj", "PROPN"),
            ("condemned", "condemn", 1, "ROOT", "VERB"),
            ("Ukraine", "Ukraine", 1, "dobj", "PROPN"),
        ]
    )
    resolved = ResolvedDoc(doc=doc, mentions=[mention(doc, 0, "RUS"), mention(doc, 2, "UKR")])
    events = extract_events(resolved, article(doc, Dateline(place="Geneva", country="CHE")))
    assert events[0].location is not None
    assert events[0].location.name == "Geneva" and events[0].location.country == "CHE"


def test_confidence_is_higher_for_resolved_specific_events() -> None:
    resolved_events = code(
        [
            ("France", "France", 1, "nsubj", "PROPN"),
            ("imposed", "impose", 1, "ROOT", "VERB"),
            ("sanctions", "sanction", 1, "dobj", "NOUN"),
            ("on", "on", 1, "prep", "ADP"),
            ("Iran", "Iran", 3, "pobj", "PROPN"),
        ],
        {0: "FRA", 4: "IRN"},
    )
    vague = code(
        [
            ("France", "France", 1, "nsubj", "PROPN"),
            ("helped", "help", 1, "ROOT", "VERB"),
            ("Iran", "Iran", 1, "dobj", "PROPN"),
        ],
        {},
    )
    assert resolved_events[0].cameo.code == "163"
    assert vague == [] or vague[0].confidence < resolved_events[0].confidence
    assert 0.0 <= resolved_events[0].confidence <= 1.0
