"""CI floor: ``parley eval`` on the development gold set must not regress.

Floors sit a few points under the numbers measured when they were set (see the
coding report); raise them as coding improves. The gold file lives outside the
repo (../shared/eval); PARLEY_EVAL_GOLD (petr2) and PARLEY_EVAL_PLOVER_GOLD (PLOVER)
override the paths. Missing file: skip locally, fail in CI (env CI set).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from workers.coding.evaluate import evaluate
from workers.core import Enricher

pytestmark = pytest.mark.model

SHARED_EVAL = Path(__file__).resolve().parents[2].parent / "shared/eval"
GOLD = Path(os.environ.get("PARLEY_EVAL_GOLD", SHARED_EVAL / "petr2_gsr_dev.jsonl"))
PLOVER_GOLD = Path(os.environ.get("PARLEY_EVAL_PLOVER_GOLD", SHARED_EVAL / "plover_gsr_dev.jsonl"))
# Measured dev numbers, issue 12 (coder as a package, dictionary-scale lexicon, the authors'
# crosswalk, intent as AGREE/THREATEN, actor attachment): petr2 CAMEO root F1 0.750,
# PLOVER micro F1 0.736, source-country accuracy 0.887, no-event
# precision 0.833; plover_gsr_dev (PLOVER type sets per sentence) micro F1
# 0.852, source-country accuracy 0.907. Recipients (issue 12's target work: demand
# addressees, complement recipients, recipient-side country conventions, the place as
# recipient): target-country accuracy petr2 0.774 -> 0.811, plover_gsr_dev 0.468 ->
# 0.688, every other figure unchanged; then domestic acts' recipients (the actor's own
# country) and persons known by a national title: plover_gsr_dev 0.688 -> 0.750, petr2
# 0.827 unchanged. (Third coding round, petr2:
# 0.671, 0.667, 0.891, 0.833; second: 0.640, 0.633, 0.886, 0.833; first: 0.541, 0.540,
# 0.865, 0.75; before it: 0.293, 0.298, 0.765, 0.75.)
FLOORS = {
    "cameo_root_f1": 0.73,
    "plover_micro_f1": 0.71,
    "source_country_accuracy": 0.86,
    "target_country_accuracy": 0.78,
    "no_event_precision": 0.80,
}
PLOVER_FLOORS = {
    "plover_micro_f1": 0.83,
    "source_country_accuracy": 0.88,
    "target_country_accuracy": 0.72,
}


def _gold(path: Path) -> Path:
    if not path.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"gold file {path} missing in CI")
        pytest.skip(f"gold file {path} not present")
    return path


def test_dev_set_scores_stay_above_floor(enricher: Enricher) -> None:
    result = evaluate(_gold(GOLD), enricher)
    assert result["sentences"] > 0
    assert result["cameo_root"]["micro"]["f1"] >= FLOORS["cameo_root_f1"], result
    assert result["plover_type"]["micro"]["f1"] >= FLOORS["plover_micro_f1"], result
    assert result["no_event_precision"] >= FLOORS["no_event_precision"], result
    assert result["source_country_accuracy"] >= FLOORS["source_country_accuracy"], result
    assert result["target_country_accuracy"] >= FLOORS["target_country_accuracy"], result


def test_plover_dev_set_scores_stay_above_floor(enricher: Enricher) -> None:
    result = evaluate(_gold(PLOVER_GOLD), enricher)
    assert result["scoring"] == "plover-type-sets"
    assert result["plover_type"]["gold"] > 0
    assert result["plover_type"]["micro"]["f1"] >= PLOVER_FLOORS["plover_micro_f1"], result
    assert result["source_country_accuracy"] >= PLOVER_FLOORS["source_country_accuracy"], result
    assert result["target_country_accuracy"] >= PLOVER_FLOORS["target_country_accuracy"], result
    confusion = result["plover_type"]["confusion"]
    assert all(isinstance(row, dict) for row in confusion.values())
