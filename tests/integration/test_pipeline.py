"""The walking skeleton on real parts (issues 2, 3 and 7).

One worker process on the embedded Tansu broker; confluent-kafka produces a
mixed stream (good articles in every format, a duplicate, a French article,
and a malformed corpus) and reads every output topic back. The same running
worker is then scraped for metrics and health.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from tests.conftest import IN_CI
from tests.integration.conftest import Record, Stack

pytestmark = pytest.mark.broker

GOOD_JSON = [
    {
        "title": "Lavrov meets Wang Yi in Beijing",
        "body": "Russian Foreign Minister Sergei Lavrov met Chinese Foreign Minister Wang Yi "
        "in Beijing on Tuesday to discuss trade and security. Lavrov said the two "
        "countries would deepen their partnership.",
        "published_at": "2024-04-09T10:00:00Z",
        "source": "wire.example",
        "url": "https://wire.example/2024/04/lavrov-wang",
    },
    {
        "headline": "Poland expels a Russian diplomat",
        "content": "<p>Poland ordered a Russian diplomat to leave Warsaw within a week, "
        "the Polish foreign ministry said on Monday.</p><p>Moscow called the move "
        "hostile.</p>",
        "pubDate": "Mon, 21 Oct 2024 08:30:00 GMT",
        "publisher": "news.example",
        "link": "https://news.example/poland-expels?utm_source=feed",
    },
]
WIRE_TEXT = (
    "Japan and South Korea condemn missile launch\n"
    "Updated: 2024-06-26 07:15 GMT\n\n"
    "TOKYO, June 26 (Agency) - Japan and South Korea condemned North Korea on "
    "Wednesday after it fired a ballistic missile into the sea.\n\n"
    "The launch was the third this month.\n\n"
    "Related\nRead more\nShare this article\n"
)
RSS = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Example diplomacy</title>
<link>https://feed.example/</link><description>test feed</description>
<item><title>Turkey hosts Ukrainian foreign minister</title>
<link>https://feed.example/turkey-ukraine</link>
<pubDate>Tue, 20 Feb 2024 09:00:00 GMT</pubDate>
<description>Turkish Foreign Minister Hakan Fidan hosted his Ukrainian counterpart
Dmytro Kuleba in Ankara on Tuesday.</description></item>
<item><title>Brazil and India sign trade agreements</title>
<link>https://feed.example/brazil-india</link>
<pubDate>Tue, 27 Aug 2024 11:00:00 GMT</pubDate>
<description>India and Brazil signed three agreements on trade and energy in
New Delhi on Tuesday.</description></item>
</channel></rss>"""
FRENCH = {
    "title": "Les ministres se retrouvent à Genève",
    "body": "Les ministres des affaires étrangères de la France et de l'Allemagne se sont "
    "retrouvés mardi à Genève pour discuter de la situation au Proche-Orient et de "
    "l'aide humanitaire.",
    "published_at": "2024-05-14T09:00:00Z",
    "source": "presse.example",
    "url": "https://presse.example/geneve",
}
ENTITY_BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<rss version="2.0"><channel><title>&lol3;</title><item><title>&lol3;</title>
<description>&lol3;</description></item></channel></rss>"""


def _json(obj: object) -> bytes:
    return json.dumps(obj).encode()


# (value, expected stage, expected reason)
MALFORMED: list[tuple[bytes, str, str]] = [
    (b'{"title": "Truncated", "body": "The minister sa', "parse", "invalid_json"),
    (b'{"title": "Bad bytes", "body": "caf\xe9 \xff\xfe"}', "decode", "invalid_utf8"),
    (
        _json({"title": ["not", "a", "string"], "body": 42, "published_at": "2024-01-01"}),
        "validate",
        "wrong_type",
    ),
    (
        _json({"title": "Empty", "body": "   ", "published_at": "2024-01-01T00:00:00Z"}),
        "validate",
        "empty_body",
    ),
    (
        _json(
            {
                "title": "From the future",
                "body": "The summit will be remembered.",
                "published_at": "2199-01-01T00:00:00Z",
            }
        ),
        "validate",
        "future_timestamp",
    ),
    (
        _json(
            {
                "title": "Huge",
                "body": "word " * (5 * 1024 * 1024 // 5),
                "published_at": "2024-01-01T00:00:00Z",
            }
        ),
        "decode",
        "too_large",
    ),
    (bytes(range(256)) * 8, "decode", "binary_content"),
    (ENTITY_BOMB, "parse", "unsafe_xml"),
]


@dataclass
class Outputs:
    enriched: list[Record]
    dlq: list[Record]
    unsupported: list[Record]
    events: list[Record]


@pytest.fixture(scope="module")
def outputs(module_stack: Stack) -> Iterator[Outputs]:
    stack = module_stack
    stack.start_worker()
    ctype = [("content-type", b"application/json")]
    stack.produce([_json(a) for a in GOOD_JSON], headers=ctype)
    stack.produce([WIRE_TEXT.encode()], headers=[("content-type", b"text/plain")])
    stack.produce([RSS])  # no content-type: detected by sniffing
    stack.produce([_json(GOOD_JSON[0])], headers=ctype)  # an exact repeat: a duplicate
    stack.produce([_json(FRENCH)], headers=ctype)
    stack.produce([value for value, _, _ in MALFORMED])
    good_count = len(GOOD_JSON) + 1 + 2
    enriched = stack.consume(stack.topics.enriched, until=lambda r: len(r) >= good_count)
    dlq = stack.consume(stack.topics.dlq, until=lambda r: len(r) >= len(MALFORMED))
    unsupported = stack.consume(stack.topics.unsupported, until=lambda r: len(r) >= 1)
    events = stack.drain(stack.topics.events)
    # Everything is out: let the duplicate prove it stays out.
    enriched = stack.drain(stack.topics.enriched)
    yield Outputs(enriched=enriched, dlq=dlq, unsupported=unsupported, events=events)


def test_every_good_article_is_enriched_once(outputs: Outputs) -> None:
    titles = Counter(r.json()["article"]["title"] for r in outputs.enriched)
    assert titles == Counter(
        {
            "Lavrov meets Wang Yi in Beijing": 1,
            "Poland expels a Russian diplomat": 1,
            "Japan and South Korea condemn missile launch": 1,
            "Turkey hosts Ukrainian foreign minister": 1,
            "Brazil and India sign trade agreements": 1,
        }
    )
    for record in outputs.enriched:
        payload = record.json()
        assert record.key == payload["article"]["article_id"].encode()


def test_entities_carry_offsets_and_actors(outputs: Outputs) -> None:
    lavrov = next(
        r.json() for r in outputs.enriched if r.json()["article"]["title"].startswith("Lavrov")
    )
    text = lavrov["text"]
    for entity in lavrov["entities"]:
        assert text[entity["start"] : entity["end"]] == entity["text"]
    by_text = {e["text"]: e for e in lavrov["entities"]}
    assert by_text["Sergei Lavrov"]["label"] == "PERSON"
    assert by_text["Beijing"]["label"] == "GPE"
    assert by_text["Beijing"]["country"] == "CHN"


def test_wire_copy_is_normalized(outputs: Outputs) -> None:
    wire = next(
        r.json()["article"]
        for r in outputs.enriched
        if r.json()["article"]["title"].startswith("Japan")
    )
    assert wire["input_format"] == "text"
    assert wire["published_at"].startswith("2024-06-26T07:15")
    assert wire["dateline"]["place"].lower() == "tokyo"
    assert wire["dateline"]["country"] == "JPN"
    assert "Related" not in wire["body"] and "Share this" not in wire["body"]
    assert not wire["body"].startswith("TOKYO")


def test_malformed_records_are_dead_lettered_with_original_bytes(outputs: Outputs) -> None:
    by_value = {r.value: r for r in outputs.dlq}
    assert len(outputs.dlq) == len(MALFORMED)
    for value, stage, reason in MALFORMED:
        record = by_value.get(value)
        assert record is not None, f"no dead letter for {stage}/{reason}"
        assert record.header("parley.error.stage") == stage
        assert record.header("parley.error.reason") == reason
        assert record.header("parley.error.topic") == record.header("parley.error.topic")
        assert record.header("parley.error.offset") is not None
        assert int(record.header("parley.error.partition") or -1) >= 0
        assert record.header("parley.error.worker_version")


def test_non_english_goes_to_unsupported(outputs: Outputs) -> None:
    (record,) = outputs.unsupported
    payload = record.json()
    assert payload["language"] == "fr"
    assert payload["reason"] == "unsupported_language"
    assert payload["article"]["title"] == FRENCH["title"]


def test_events_are_published(outputs: Outputs) -> None:
    assert outputs.events, "no event on the events topic"
    article_ids = {r.json()["article"]["article_id"] for r in outputs.enriched}
    for record in outputs.events:
        event = record.json()
        assert event["article_id"] in article_ids
        assert record.header("ce_id") == event["event_id"]


def _scrape(stack: Stack) -> str:
    status, body = stack.workers[0].get("/metrics")
    assert status == 200
    return body.decode()


def test_metrics_count_what_happened(module_stack: Stack, outputs: Outputs) -> None:
    from prometheus_client.parser import text_string_to_metric_families

    samples = {}
    for family in text_string_to_metric_families(_scrape(module_stack)):
        for sample in family.samples:
            samples.setdefault(sample.name, []).append(sample)

    def total(name: str, **labels: str) -> float:
        return sum(
            s.value
            for s in samples.get(name, [])
            if all(s.labels.get(k) == v for k, v in labels.items())
        )

    raw = module_stack.topics.raw
    assert total("parley_records_consumed_total", topic=raw) == 2 + 1 + 1 + 1 + 1 + len(MALFORMED)
    assert total("parley_dead_letters_total") == len(MALFORMED)
    assert total("parley_failures_total", stage="parse", reason="unsafe_xml") == 1
    assert total("parley_duplicates_dropped_total") == 1
    assert total("parley_articles_enriched_total") == 5
    assert total("parley_records_produced_total", topic=module_stack.topics.enriched) == 5
    assert total("parley_events_total") == len(outputs.events)
    assert total("parley_end_to_end_latency_seconds_count") > 0
    assert total("parley_stage_duration_seconds_count", stage="nlp") > 0
    info = samples["parley_model_info"][0].labels
    assert info["name"] and info["version"]


def test_promtool_accepts_the_real_scrape(module_stack: Stack, outputs: Outputs) -> None:
    promtool = shutil.which("promtool")
    if promtool is None:
        if IN_CI:
            pytest.fail("promtool is missing in CI (.ci/run installs Debian's prometheus)")
        pytest.skip("promtool not installed")
    result = subprocess.run(
        [promtool, "check", "metrics"],
        input=_scrape(module_stack),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_dashboard_and_alert_queries_exist_in_the_scrape(
    module_stack: Stack, outputs: Outputs
) -> None:
    from tests.deploy.queries import queried_metric_names, scrape_metric_names

    exposed = scrape_metric_names(_scrape(module_stack))
    missing = {name for name in queried_metric_names("parley") if name != "up"} - exposed
    assert not missing, f"queried but not exposed: {sorted(missing)}"


def test_health_endpoints(module_stack: Stack, outputs: Outputs) -> None:
    worker = module_stack.workers[0]
    status, body = worker.get("/healthz")
    assert status == 200 and json.loads(body)["alive"] is True
    status, body = worker.get("/readyz")
    ready = json.loads(body)
    assert status == 200
    assert ready == {
        "ready": True,
        "model_loaded": True,
        "broker_reachable": True,
        "partitions_assigned": True,
        "state_recovered": True,
    }
