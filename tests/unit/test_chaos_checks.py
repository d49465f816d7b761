"""The chaos driver's verdicts (workers.chaos), on hand-made records: what counts
as a repeat that differs, and when a report fails. No broker, no processes."""

from __future__ import annotations

import json

from workers.chaos import ChaosConfig, ChaosReport, differing_repeats
from workers.harness import Record, parse_metrics
from workers.ingest import IngestError, parse_record
from workers.synthetic import article, poison, process_killer


def record(ce_id: str, payload: dict[str, object], ce_time: str = "t1") -> Record:
    return Record(
        topic="enriched",
        partition=0,
        offset=0,
        key=ce_id.encode(),
        value=json.dumps(payload).encode(),
        headers=[("ce_id", ce_id.encode()), ("ce_time", ce_time.encode())],
    )


def test_a_repeat_that_differs_only_in_when_it_was_made_is_identical() -> None:
    first = {"article": {"article_id": "a", "ingested_at": "1"}, "enriched_at": "1", "x": 1}
    again = {"article": {"article_id": "a", "ingested_at": "2"}, "enriched_at": "2", "x": 1}
    repeats, differ = differing_repeats(
        "enriched", [record("a", first), record("a", again, ce_time="t2")]
    )
    assert (repeats, differ) == (1, [])


def test_a_repeat_with_other_content_is_reported() -> None:
    first = {"article": {"article_id": "a"}, "events": [1]}
    again = {"article": {"article_id": "a"}, "events": [1, 2]}
    assert differing_repeats("enriched", [record("a", first), record("a", again)]) == (
        1,
        ["enriched:a (.events: [1] != [1, 2])"],
    )
    # raised_at is an alert's wall-clock stamp; anything else must match.
    alert = {"alert_id": "x", "raised_at": "1", "event": {"mentions": 1}}
    later = {"alert_id": "x", "raised_at": "2", "event": {"mentions": 1}}
    assert differing_repeats("alerts", [record("x", alert), record("x", later)]) == (1, [])


def test_a_report_fails_on_any_loss_and_on_faults_not_done() -> None:
    config = ChaosConfig(worker_kills=2, nlp_kills=1, broker_pause_s=0, second_worker=False)
    clean = ChaosReport(config=config, seed=1, worker_kills=2, nlp_kills=["pid 1"])
    assert clean.passed, clean.failures()
    for change in (
        {"missing": ["a"]},
        {"differing_repeats": ["events:e"]},
        {"poison_missing": ["{"]},
        {"dlq_unexpected": 1},
        {"nlp_kills_failed": ["worker a0 did not survive"]},
        {"left_behind": ["pid 9"]},
        {"worker_kills": 1},
        {"error": "TimeoutError"},
    ):
        broken = ChaosReport(
            config=config, seed=1, **{"worker_kills": 2, "nlp_kills": ["pid 1"], **change}
        )
        assert not broken.passed, change
        assert "FAIL" in broken.summary().splitlines()[-1]


def test_generated_articles_are_distinct_and_poison_fails_as_declared() -> None:
    ids = {parse_record(article("t", i))[0].article_id for i in range(50)}
    assert len(ids) == 50
    for i in range(10):
        pill = poison("t", i)
        try:
            parse_record(pill.value)
        except IngestError as exc:
            assert (exc.stage, exc.reason) == (pill.stage, pill.reason)
        else:
            raise AssertionError(f"poison {i} parsed")
    # A process killer is a valid article: only the NLP hook makes it poison.
    killer = process_killer("t", 1, "marker-x")
    [parsed] = parse_record(killer.value)
    assert "marker-x" in parsed.body and (killer.stage, killer.reason) == ("nlp", "process_died")


def test_metrics_text_is_summed_over_series() -> None:
    text = '# HELP x\nparley_a_total{t="1"} 2.0\nparley_a_total{t="2"} 3.0\nparley_b 1.5\n'
    assert parse_metrics(text) == {"parley_a_total": 5.0, "parley_b": 1.5}
