"""The chaos driver, CI-sized (issue 14): 300 articles with 1 % poison, the worker
killed with SIGKILL three times at random moments, one NLP process killed once.

The same driver as ``scripts/chaos.py`` (``workers/chaos.py``) on its own
embedded broker; the full run (2,000 articles, 20 + 3 kills, a stopped broker,
a second worker) is recorded in RELIABILITY.md. The driver reads every output
with confluent-kafka and fails on any loss, any repeat that differs from its
first copy, any poison record missing from the DLQ, an NLP kill that cost the
worker its pid, and any process left behind.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from workers.chaos import ChaosConfig, run_chaos

pytestmark = [pytest.mark.broker, pytest.mark.slow]


def test_chaos_ci_sized_run_loses_nothing(tmp_path: Path) -> None:
    config = ChaosConfig(
        articles=300,
        worker_kills=3,
        nlp_kills=1,
        broker_pause_s=0,
        second_worker=False,
        process_killers=False,  # tests/integration/test_nlp_supervision.py covers them
        partitions=2,
        processes=1,
        timeout_s=240,
        work_dir=tmp_path,
        # Restarts dominate the run: a killed member holds the group until its
        # session expires, and the embedded broker holds each JoinGroup for
        # half the session timeout.
        worker_env={
            "PARLEY_BROKER_SESSION_TIMEOUT_S": "6",
            "PARLEY_BROKER_REBALANCE_TIMEOUT_S": "4",
        },
    )
    lines: list[str] = []
    report = run_chaos(config, say=lines.append)
    detail = "\n".join([*lines, report.summary()])
    (tmp_path / "chaos-summary.txt").write_text(detail)
    assert report.worker_kills == 3 and len(report.nlp_kills) == 1, detail
    # Every failure counts, a repeat that differs from its first copy included: the
    # link decisions are journaled before publishing and replayed as recorded.
    assert not report.failures(), "\n" + detail
    assert not report.differing_repeats, "\n" + detail
    assert report.enriched_distinct == 300 and report.dead_letters >= 3, detail
