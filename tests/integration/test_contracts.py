"""Downstream contracts on a real broker (issue 6).

One worker runs for the whole module (a worker start costs about ten
seconds) with a test alert-rules file. It is fed project-written articles in
several formats (JSON, JSON Lines, RSS, plain wire text), a Spanish one and a
malformed one; then a second outlet's report of an already alerted event.
Every output topic is then read back with confluent-kafka, an independent
client, and each record is checked against the contract consumers code
against: the committed JSON Schema (Draft 2020-12, formats checked), the
CloudEvents 1.0 binary-mode headers, the record key convention and
``schema_version``. Dead letters must carry the original bytes and the
``parley.error.*`` headers. Alert rules are checked on the same run, and
``parley tail`` reads the topics the worker filled.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from confluent_kafka import Producer
from jsonschema import Draft202012Validator, FormatChecker

from schemas.models import SCHEMA_VERSION
from tests.integration.conftest import Record, Stack, Topics
from workers.broker import EmbeddedBroker

pytestmark = pytest.mark.broker

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "contracts"
SCHEMA_DIR = REPO / "schemas" / "json"
RULES = FIXTURES / "alert_rules.yaml"
RULE_ID = "contract-watchlist"

# URL of each project-written article (the article id derives from it).
FIRST_REPORT = "https://northgate.example/world/diplomatic-row"
SECOND_REPORT = "https://balticledger.example/news/envoys-ordered-out"
HISTORICAL = "https://northgate.example/world/life-on-the-peninsula"
NEGATED = "https://northgate.example/world/a-quiet-reaction"
SPANISH = "https://noticias.example/mundo/ministros-madrid"

# (fixture file, content-type) of the first batch, in produce order.
FIRST_BATCH = [
    ("first_report.json", "application/json"),
    ("historical.json", "application/json"),
    ("negated.json", "application/json"),
    ("briefing.jsonl", "application/x-ndjson"),
    ("feed.rss", "application/rss+xml"),
    ("wire.txt", "text/plain"),
    ("non_english.json", "application/json"),
    ("malformed.json", "application/json"),
]
# English articles: first batch (first, historical, negated, 2 JSON lines,
# 1 feed item, 1 wire story) plus the second report.
ENGLISH_TITLES = {
    "Diplomatic row deepens.",
    "Life on the peninsula.",
    "A quiet reaction.",
    "Trade talks.",
    "Defence pact.",
    "Envoy recalled.",
    "Kenya and Ethiopia hold border talks.",
    "Envoys ordered out.",
}
MALFORMED_KEY = b"contract-malformed"
PRODUCER_HEADER = ("x-contract-test", b"kept")

# Record kind per output topic: (ce_type kind, schema file stem).
KINDS = {
    "enriched": ("article.enriched", "enriched_article"),
    "events": ("event.diplomatic", "event"),
    "alerts": ("alert.diplomatic", "alert"),
    "unsupported": ("article.unsupported", "unsupported_article"),
}

# RFC 3339 section 5.6 date-time (jsonschema only checks "date-time" when the
# optional rfc3339-validator package is installed, which it is not here).
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


@dataclass
class Run:
    """What the module's worker produced."""

    stack: Stack
    records: dict[str, list[Record]]

    def topic(self, name: str) -> str:
        return str(getattr(self.stack.topics, name))

    def enriched_by_url(self) -> dict[str, dict[str, Any]]:
        return {r.json()["article"]["url"]: r.json() for r in self.records["enriched"]}

    def article_id(self, url: str) -> str:
        return str(self.enriched_by_url()[url]["article"]["article_id"])


def _is_rfc3339(value: object) -> bool:
    if not isinstance(value, str) or not RFC3339.match(value):
        return False
    try:
        datetime.fromisoformat(value.replace("z", "Z"))
    except ValueError:
        return False
    return True


def _format_checker() -> FormatChecker:
    checker = Draft202012Validator.FORMAT_CHECKER
    fresh = FormatChecker(formats=list(checker.checkers))
    fresh.checks("date-time")(_is_rfc3339)
    return fresh


@cache
def validator(stem: str) -> Draft202012Validator:
    path = SCHEMA_DIR / f"{stem}.v{SCHEMA_VERSION.split('.')[0]}.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=_format_checker())


def _produce(stack: Stack, items: list[tuple[str, str]]) -> None:
    producer = Producer({"bootstrap.servers": stack.bootstrap})
    for name, content_type in items:
        value = (FIXTURES / name).read_bytes()
        headers: list[tuple[str, str | bytes | None]] = [("content-type", content_type.encode())]
        key = None
        if name == "malformed.json":
            headers.append(PRODUCER_HEADER)
            key = MALFORMED_KEY
        producer.produce(stack.topics.raw, value=value, key=key, headers=headers)
        producer.poll(0)
    assert producer.flush(30) == 0, "producer could not deliver every record"


def _alerts_of(records: list[Record], update: bool) -> list[dict[str, Any]]:
    return [r.json() for r in records if r.json()["is_update"] is update]


@pytest.fixture(scope="module")
def run(broker: EmbeddedBroker, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    prefix = f"c{uuid.uuid4().hex[:8]}"
    stack = Stack(
        bootstrap=broker.bootstrap,
        topics=Topics(prefix),
        tmp=tmp_path_factory.mktemp("contracts"),
        app_id=f"parley-{prefix}",
    )
    stack.create_topics()
    topics = stack.topics
    try:
        stack.start_worker(PARLEY_ALERT_RULES=str(RULES))
        _produce(stack, FIRST_BATCH)
        stack.consume(topics.enriched, until=lambda rs: len(rs) >= len(ENGLISH_TITLES) - 1)
        stack.consume(topics.alerts, until=lambda rs: len(rs) >= 1)
        stack.consume(topics.dlq, until=lambda rs: len(rs) >= 1)
        stack.consume(topics.unsupported, until=lambda rs: len(rs) >= 1)
        # Another outlet reports the alerted expulsion, after the first alert is out.
        _produce(stack, [("second_report.json", "application/json")])
        stack.consume(topics.alerts, until=lambda rs: bool(_alerts_of(rs, update=True)))
        records = {
            name: stack.drain(getattr(topics, name))
            for name in ("enriched", "events", "alerts", "dlq", "unsupported")
        }
        yield Run(stack, records)
    finally:
        for worker in stack.workers:
            worker.stop(signal.SIGKILL, timeout_s=10)


# ------------------------------------------------------------------ contract
def _check_envelope(run: Run, name: str, record: Record) -> dict[str, Any]:
    """CloudEvents binary-mode headers, key and schema of one output record."""
    kind, stem = KINDS[name]
    payload = record.json()
    where = f"{name}[{record.partition}]@{record.offset}"
    errors = sorted(validator(stem).iter_errors(payload), key=lambda e: list(e.path))
    assert not errors, f"{where}: " + "; ".join(f"{list(e.path)}: {e.message}" for e in errors[:5])
    assert payload["schema_version"] == SCHEMA_VERSION, where

    assert record.header("content-type") == "application/json", where
    assert record.header("ce_specversion") == "1.0", where
    assert record.header("ce_source") == f"urn:parley:{run.stack.app_id}", where
    ce_type = record.header("ce_type") or ""
    assert re.fullmatch(rf"org\.parley\.{re.escape(kind)}\.v\d+", ce_type), (where, ce_type)
    assert ce_type.endswith(f".v{SCHEMA_VERSION.split('.')[0]}"), (where, ce_type)
    schema_file = f"{stem}.v{SCHEMA_VERSION.split('.')[0]}.schema.json"
    dataschema = record.header("ce_dataschema") or ""
    assert dataschema.endswith(schema_file), (where, dataschema)
    assert json.loads((SCHEMA_DIR / schema_file).read_text())["$id"] == dataschema, where
    ce_time = record.header("ce_time")
    assert _is_rfc3339(ce_time), (where, ce_time)
    assert ce_time is not None
    time = datetime.fromisoformat(ce_time)
    assert time.tzinfo is not None, where

    key = (record.key or b"").decode()
    ce_id, subject = record.header("ce_id"), record.header("ce_subject")
    if name in ("enriched", "unsupported"):
        article = payload["article"]
        assert article["schema_version"] == SCHEMA_VERSION, where
        assert key == article["article_id"], where
        assert ce_id == article["article_id"], where  # version 1 articles only here
        if name == "enriched":
            assert subject == article["url"], where
            assert time == datetime.fromisoformat(payload["enriched_at"]), where
            for event in payload["events"]:
                assert event["schema_version"] == SCHEMA_VERSION, where
        else:
            assert subject == payload["language"], where
            assert time == datetime.fromisoformat(article["ingested_at"]), where
    else:
        event = payload if name == "events" else payload["event"]
        dyad = "->".join(
            (actor or {}).get("country") or (actor or {}).get("code") or ""
            for actor in (event["source"], event["target"])
        )
        assert key == dyad, (where, key, dyad)
        if name == "events":
            assert ce_id == payload["event_id"], where
            assert subject == dyad, where
            assert time == datetime.fromisoformat(payload["published_at"]), where
        else:
            assert ce_id == payload["alert_id"], where
            assert subject == payload["rule_id"], where
            assert time == datetime.fromisoformat(payload["raised_at"]), where
            assert event["schema_version"] == SCHEMA_VERSION, where
    return payload


def test_every_published_record_honours_the_contract(run: Run) -> None:
    for name in KINDS:
        assert run.records[name], f"{name}: nothing published"
        for record in run.records[name]:
            _check_envelope(run, name, record)


def test_each_input_reaches_its_topic(run: Run) -> None:
    enriched = run.enriched_by_url()
    titles = {a["article"]["title"] for a in enriched.values()}
    assert titles == ENGLISH_TITLES
    assert len(run.records["enriched"]) == len(ENGLISH_TITLES)
    formats = {a["article"]["input_format"] for a in enriched.values()}
    assert formats == {"json", "rss", "text"}

    # Every coded event is published on its own, once per distinct id.
    nested = {e["event_id"] for a in enriched.values() for e in a["events"]}
    published = [r.json()["event_id"] for r in run.records["events"]]
    assert nested and set(published) == nested

    [unsupported] = run.records["unsupported"]
    payload = unsupported.json()
    assert payload["language"] == "es"
    assert payload["article"]["url"] == SPANISH
    assert SPANISH not in enriched


def test_dead_letter_keeps_the_original_bytes_and_says_why(run: Run) -> None:
    [letter] = run.records["dlq"]
    assert letter.value == (FIXTURES / "malformed.json").read_bytes()
    assert letter.header("parley.error.stage") == "parse"
    assert letter.header("parley.error.reason") == "invalid_json"
    assert letter.header("parley.error.class")
    assert letter.header("parley.error.message")
    assert letter.header("parley.error.topic") == run.stack.topics.raw
    assert int(letter.header("parley.error.partition") or "-1") in (0, 1)
    assert int(letter.header("parley.error.offset") or "-1") >= 0
    assert letter.header("parley.error.worker_version")
    # The producer's own headers travel with the dead letter.
    assert letter.header(PRODUCER_HEADER[0]) == PRODUCER_HEADER[1].decode()
    assert letter.header("content-type") == "application/json"


# -------------------------------------------------------------------- alerts
def test_watchlist_hit_alerts_once_then_as_an_update(run: Run) -> None:
    alerts = [r.json() for r in run.records["alerts"]]
    assert {a["rule_id"] for a in alerts} == {RULE_ID}
    [first] = _alerts_of(run.records["alerts"], update=False)
    [update] = _alerts_of(run.records["alerts"], update=True)
    assert len(alerts) == 2

    assert first["event"]["article_id"] == run.article_id(FIRST_REPORT)
    assert first["event"]["mentions"] == 1
    assert first["severity"] == "critical"
    assert first["event"]["cameo"]["code"].startswith("16")
    assert first["summary"].startswith("RUS -> POL  SANCTION")
    assert first["event"]["temporal"]["event_date"] == "2025-03-04"

    assert update["event"]["article_id"] == run.article_id(SECOND_REPORT)
    assert update["event"]["mentions"] == 2
    assert update["event"]["sources"] == 2
    assert update["event"]["is_update"] is True
    assert update["event"]["story_id"] == first["event"]["story_id"]
    assert update["alert_id"] != first["alert_id"]


def test_historical_and_negated_mentions_do_not_alert(run: Run) -> None:
    alerted = {r.json()["event"]["article_id"] for r in run.records["alerts"]}
    events = [r.json() for r in run.records["events"]]
    by_article: dict[str, list[dict[str, Any]]] = {}
    for event in events:
        by_article.setdefault(event["article_id"], []).append(event)

    historical = by_article[run.article_id(HISTORICAL)]
    negated = by_article[run.article_id(NEGATED)]
    # Both are coded, between watchlist states; only their flags keep them quiet.
    assert [(e["source"]["country"], e["target"]["country"]) for e in historical] == [
        ("RUS", "UKR")
    ]
    assert historical[0]["temporal"]["historical"] is True
    assert date.fromisoformat(historical[0]["temporal"]["event_date"]).year == 2014
    assert [(e["source"]["country"], e["target"]["country"]) for e in negated] == [("RUS", "POL")]
    assert negated[0]["modality"]["negated"] is True
    assert run.article_id(HISTORICAL) not in alerted
    assert run.article_id(NEGATED) not in alerted


# ---------------------------------------------------------------------- tail
def _tail(run: Run, topic: str, *args: str) -> list[str]:
    environment = {**os.environ, "PARLEY_BROKER": run.stack.bootstrap, "COLUMNS": "400"}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "workers.cli",
            "tail",
            topic,
            "--from-beginning",
            "--timeout",
            "10",
            *args,
        ],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return [line for line in result.stdout.splitlines() if line.strip()]


def test_tail_prints_the_records_and_filters_by_type(run: Run) -> None:
    topic = run.topic("events")
    events = [r.json() for r in run.records["events"]]
    lines = _tail(run, topic, "--max", str(len(events)))
    assert len(lines) == len(events)
    assert all(line.startswith(f"{topic} EVENT ") for line in lines)
    for expected in ("RUS -> POL  SANCTION", "JPN -> IND  SUPPORT", "ARG -> VEN  SANCTION"):
        assert any(expected in line for line in lines), expected

    sanctions = [e for e in events if e["plover"]["type"] == "SANCTION"]
    assert 0 < len(sanctions) < len(events)
    narrowed = _tail(run, topic, "--type", "sanction", "--max", str(len(sanctions)))
    assert len(narrowed) == len(sanctions)
    assert all("  SANCTION (" in line for line in narrowed)

    alert_lines = _tail(run, run.topic("alerts"), "--max", "2")
    assert [f"ALERT critical {RULE_ID}" in line for line in alert_lines] == [True, True]
    assert sum("(update)" in line for line in alert_lines) == 1
