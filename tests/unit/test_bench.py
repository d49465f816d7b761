"""The bench's CPU ratio: spaCy alone against the NLP process, per article (no processes)."""

from __future__ import annotations

from workers.bench import cpu_ratio


def test_cpu_ratio_is_spacy_alone_over_the_nlp_process() -> None:
    assert cpu_ratio(80.0, 100.0) == 0.8
    assert cpu_ratio(84.6, 100.0) == 0.846
    assert cpu_ratio(2.0, 3.0) == 0.667


def test_cpu_ratio_is_none_without_an_nlp_process_figure() -> None:
    assert cpu_ratio(80.0, None) is None
    assert cpu_ratio(80.0, 0.0) is None
