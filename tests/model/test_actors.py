"""End-to-end actor resolution with the real spaCy model over the project's fixture sentences."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from spacy.language import Language

from workers.core import Enricher
from workers.nlp.actor_eval import ActorScores, load_cases, score
from workers.nlp.resolve import resolve_doc

pytestmark = pytest.mark.model

FIXTURE = Path(__file__).parents[1] / "fixtures" / "actors" / "sentences.jsonl"
CASES = load_cases(FIXTURE)
# Floors set just under the measured values (0.986 / 0.995 on 83 sentences).
PRECISION_FLOOR = 0.95
RECALL_FLOOR = 0.95


@pytest.fixture(scope="session")
def parley_nlp(enricher: Enricher) -> Language:
    """The session's pipeline (``build_pipeline``), loaded once in tests/conftest.py."""
    return enricher.nlp


@pytest.fixture(scope="module")
def gazetteer_scores(parley_nlp: Language) -> ActorScores:
    """The whole fixture scored once with the pipeline, for every test that reads it."""
    return score(parley_nlp, CASES)


def test_fixture_is_large_enough() -> None:
    assert len(CASES) >= 60


@pytest.mark.parametrize("case", CASES, ids=[c["text"][:40] for c in CASES])
def test_expected_actors_are_found(parley_nlp: Language, case: dict[str, Any]) -> None:
    published = datetime.fromisoformat(case["date"]).replace(tzinfo=UTC)
    mentions = resolve_doc(parley_nlp(case["text"]), published).mentions
    found = {(m.text, m.country, m.role) for m in mentions if m.country is not None}
    found_spans = {(m.start, m.end, m.country) for m in mentions if m.country is not None}
    # Every expected actor is found with its country (allowing the known
    # misses measured in actor_eval: a US state, and the Russian Security Council).
    missing = [
        a
        for a in case["actors"]
        if not any(
            s <= case["text"].find(a["text"]) < e and c == a["country"] for s, e, c in found_spans
        )
    ]
    assert len(missing) <= (1 if "Iowa" in case["text"] else 0), (missing, found)


def test_gazetteer_keeps_precision_and_recall_above_floor(gazetteer_scores: ActorScores) -> None:
    result = gazetteer_scores
    assert result.precision >= PRECISION_FLOOR, result.errors
    assert result.recall >= RECALL_FLOOR, result.errors


def test_gazetteer_beats_the_statistical_model_alone(
    spacy_nlp: Language, gazetteer_scores: ActorScores
) -> None:
    statistical = score(spacy_nlp, CASES)
    with_gazetteer = gazetteer_scores
    assert with_gazetteer.recall > statistical.recall + 0.3


def test_known_failures_are_fixed(parley_nlp: Language) -> None:
    text = (
        "MOSCOW, Jan 20 (Agency) - Alexei Navalny returned to Moscow. Lavrov dismissed "
        "Western criticism, and Lavrov later met diplomats."
    )
    doc = parley_nlp(text)
    labels = {(e.text, e.label_) for e in doc.ents}
    assert ("MOSCOW", "GPE") in labels and ("Moscow", "GPE") in labels
    assert ("Alexei Navalny", "PERSON") in labels
    assert [e.label_ for e in doc.ents if e.text == "Lavrov"] == ["PERSON", "PERSON"]
    mentions = resolve_doc(doc, datetime(2021, 1, 20, tzinfo=UTC)).mentions
    assert {m.actor_code for m in mentions if m.text == "Lavrov"} == {"RUSGOV"}
    assert {m.actor_code for m in mentions if m.text == "Alexei Navalny"} == {"RUSOPP"}


def test_component_sits_after_ner(parley_nlp: Language) -> None:
    names = parley_nlp.pipe_names
    assert names.index("parley_gazetteer") == names.index("ner") + 1
