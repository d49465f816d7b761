"""``parley poll`` against the embedded broker, a real worker and HTTP servers in this process.

Feeds are served by ``tests.feedserver.FeedServer`` on several loopback
addresses (so politeness per host does not serialize them); outputs are read
with confluent-kafka. interval_s is 1 everywhere to keep the module short.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.deploy.queries import queried_metric_names, scrape_metric_names
from tests.feedserver import FeedServer, Fixed, Item, RssFeed
from tests.integration.conftest import PARTITIONS, Record, Stack, Worker
from workers.broker import free_port, tansu_worker_env
from workers.feeds.poller import feed_partition

pytestmark = pytest.mark.broker

HOSTS = ("127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4")
EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "feeds"


def story(n: int, topic: str = "talks") -> str:
    return (
        f"The foreign ministers of Norway and Chile met in Oslo on Tuesday for {topic} "
        f"number {n}, and agreed to expand trade and climate cooperation between the two "
        "countries, officials said after the meeting."
    )


@pytest.fixture(scope="module")
def servers() -> Iterator[dict[str, FeedServer]]:
    running = {host: FeedServer(host) for host in HOSTS}
    for server in running.values():
        server.__enter__()
    try:
        yield running
    finally:
        for server in running.values():
            server.__exit__()


def write_feeds(path: Path, urls: list[str]) -> Path:
    lines = ["feeds:"]
    for url in urls:
        lines += [f"  - url: {url}", "    interval_s: 1"]
    path.write_text("\n".join(lines) + "\n")
    return path


def start_poller(stack: Stack, feeds_file: Path, name: str) -> Worker:
    port = free_port()
    log_path = stack.tmp / f"{name}.log"
    environment = {
        **os.environ,
        "PARLEY_BROKER": stack.bootstrap,
        "PARLEY_APP_ID": stack.app_id,
        "PARLEY_POLL_WEB_PORT": str(port),
        "PARLEY_WEB_HOST": "127.0.0.1",
        "PARLEY_PARTITIONS": str(PARTITIONS),
        "PARLEY_DATA_DIR": str(stack.tmp / f"data-{name}"),
        "PARLEY_LOG_LEVEL": "INFO",
        "PARLEY_POLL_MIN_HOST_GAP_S": "0.05",
        "PARLEY_POLL_READ_TIMEOUT_S": "1",
        "PARLEY_POLL_CONNECT_TIMEOUT_S": "1",
        "PARLEY_POLL_MAX_BACKOFF_S": "4",
        "PARLEY_BROKER_SESSION_TIMEOUT_S": "6",
        "PARLEY_BROKER_REBALANCE_TIMEOUT_S": "4",
        **tansu_worker_env(),
        **stack.topics.env(),
    }
    with open(log_path, "ab") as log_file:
        process = subprocess.Popen(
            [sys.executable, "-m", "workers.cli", "poll", str(feeds_file)],
            env=environment,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    poller = Worker(process, port, log_path)
    stack.workers.append(poller)
    return poller


def metric(poller: Worker, name: str) -> float:
    status, body = poller.get("/metrics")
    assert status == 200
    total = 0.0
    for line in body.decode().splitlines():
        if line.startswith(name + " ") or line.startswith(name + "{"):
            total += float(line.rsplit(" ", 1)[1])
    return total


def keys(records: list[Record]) -> list[str]:
    return [(r.key or b"").decode() for r in records]


def test_feeds_reach_enriched_exactly_once_with_304s_and_bad_feeds_apart(
    stack: Stack, servers: dict[str, FeedServer]
) -> None:
    first, second, third, fourth = (servers[h] for h in HOSTS)
    changing = RssFeed(
        "Nordic Wire",
        [Item(f"Norway and Chile hold talks {n}", story(n), guid=f"nordic-{n}") for n in (1, 2)],
    )
    first.routes["/nordic.rss"] = changing
    second.routes["/diplomacy.atom"] = Fixed(
        200, {"Content-Type": "application/atom+xml"}, (EXAMPLES / "diplomacy.atom").read_bytes()
    )
    third.routes["/broken"] = Fixed(500, body=b"internal error")
    third.routes["/login"] = Fixed(
        200, {"Content-Type": "text/html"}, b"<!DOCTYPE html><html><body>Sign in</body></html>"
    )
    fourth.routes["/truncated.rss"] = Fixed(
        200,
        {"Content-Type": "application/rss+xml"},
        b'<?xml version="1.0"?><rss version="2.0"><channel><item><title>Half',
    )
    fourth.routes["/slow.rss"] = Fixed(200, body=b"<rss/>", delay_s=3.0)
    feeds = write_feeds(
        stack.tmp / "feeds.yaml",
        [
            first.url("/nordic.rss"),
            second.url("/diplomacy.atom"),
            third.url("/broken"),
            third.url("/login"),
            fourth.url("/truncated.rss"),
            fourth.url("/slow.rss"),
        ],
    )
    stack.start_worker(wait=False)
    poller = start_poller(stack, feeds, "poller")
    stack.workers[0].wait_ready()
    poller.wait_ready()

    enriched = stack.consume(stack.topics.enriched, lambda rs: len(rs) >= 4, timeout_s=90)
    assert len(set(keys(enriched))) == 4

    # A later item arrives once; an edited item is republished as an update.
    changing.set_items(
        [
            Item("Norway and Chile hold talks 3", story(3), guid="nordic-3"),
            Item(
                "Norway and Chile hold talks 2",
                story(2, "a second round of talks"),
                guid="nordic-2",
            ),
            Item("Norway and Chile hold talks 1", story(1), guid="nordic-1"),
        ]
    )
    stack.consume(stack.topics.enriched, lambda rs: len(rs) >= 6, timeout_s=60)
    time.sleep(3)  # several more 1 s polls: all must be 304s
    status, exposition = poller.get("/metrics")
    assert status == 200
    exposed = scrape_metric_names(exposition.decode())
    assert queried_metric_names("parley-poll") <= exposed
    assert "127.0.0." not in exposition.decode(), "a URL or host in a label"
    assert metric(poller, 'parley_feed_polls_total{outcome="not_modified"}') >= 3
    assert metric(poller, 'parley_feed_polls_total{outcome="http_5xx"}') >= 1
    assert metric(poller, "parley_feed_entries_published_total") == 6
    assert poller.get("/healthz")[0] == 200 and poller.get("/readyz")[0] == 200
    assert poller.stop() == 0
    records = stack.drain(stack.topics.enriched, settle_s=2.0)
    versions = defaultdict(list)
    for record in records:
        versions[(record.key or b"").decode()].append(record.json()["article"]["version"])
    assert len(versions) == 5, versions  # 2 + 1 later Nordic items, 2 Atom entries
    assert sorted(sorted(v) for v in versions.values()) == [[1], [1], [1], [1], [1, 2]]

    # The poller itself published each entry once, the edited one twice.
    raw = stack.drain(stack.topics.raw, settle_s=1.0)
    per_entry = defaultdict(int)
    for record in raw:
        per_entry[(record.key or b"").decode()] += 1
    assert {k: v for k, v in per_entry.items() if k.startswith("nordic-")} == {
        "nordic-1": 1,
        "nordic-2": 2,
        "nordic-3": 1,
    }
    assert len(per_entry) == 5 and sum(per_entry.values()) == 6, per_entry
    assert all(r.header("parley.feed.url") and r.header("parley.feed.fetched_at") for r in raw)

    # Unchanged polls were answered 304 because the validators were sent.
    nordic = first.requests_for("/nordic.rss")
    assert len(nordic) >= 5
    assert all("if-none-match" in r.headers for r in nordic[1:])
    atom = second.requests_for("/diplomacy.atom")
    assert len(atom) >= 3
    log = poller.log_path.read_text(errors="replace")
    for kind in (
        "http_5xx status=500",
        "not_a_feed status=200",
        "malformed status=200",
        "timeout status=-",
    ):
        assert f"class={kind}" in log, kind
    assert "Traceback" not in log
    assert "Traceback" not in stack.workers[0].log_path.read_text(errors="replace")


def test_kill_9_loses_nothing_and_two_pollers_split_the_feeds(
    stack: Stack, servers: dict[str, FeedServer]
) -> None:
    feeds: list[RssFeed] = []
    urls: list[str] = []
    for index in range(6):
        host = HOSTS[index % len(HOSTS)]
        # The URL (random app id and port) decides the partition: pick a salt that puts
        # feed i on partition i % PARTITIONS, so both pollers always own feeds (with
        # chance alone, all six landed on one partition in one run out of 32).
        salt = 0
        while True:
            path = f"/split-{stack.app_id}-{index}-{salt}.rss"
            if feed_partition(servers[host].url(path), PARTITIONS) == index % PARTITIONS:
                break
            salt += 1
        feed = RssFeed(f"Feed {index}", [Item(f"Feed {index} item 0", story(0), guid=f"{index}-0")])
        servers[host].routes[path] = feed
        feeds.append(feed)
        urls.append(servers[host].url(path))
    owners = {feed_partition(url, PARTITIONS) for url in urls}
    assert owners == set(range(PARTITIONS)), "the test needs feeds on every partition"
    feeds_file = write_feeds(stack.tmp / "split.yaml", urls)

    def expected(rounds: int) -> set[str]:
        return {f"{i}-{n}" for i in range(6) for n in range(rounds)}

    def add_round(n: int) -> None:
        for index, feed in enumerate(feeds):
            feed.set_items(
                [Item(f"Feed {index} item {n}", story(n), guid=f"{index}-{n}"), *feed.items]
            )

    first = start_poller(stack, feeds_file, "first")
    first.wait_ready()
    stack.consume(stack.topics.raw, lambda rs: expected(1) <= set(keys(rs)), timeout_s=60)
    add_round(1)
    time.sleep(0.6)  # mid-run: polls of round 1 are in flight or just done
    first.stop(signal.SIGKILL)

    add_round(2)
    pollers = [start_poller(stack, feeds_file, "second"), start_poller(stack, feeds_file, "third")]
    for poller in pollers:
        poller.wait_ready()
    stack.consume(stack.topics.raw, lambda rs: expected(3) <= set(keys(rs)), timeout_s=60)
    add_round(3)  # while both run
    stack.consume(stack.topics.raw, lambda rs: expected(4) <= set(keys(rs)), timeout_s=60)

    # Both pollers took feeds, together all of them, each feed once.
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        owned = [metric(p, "parley_feeds_owned") for p in pollers]
        if sum(owned) == 6 and all(owned):
            break
        time.sleep(0.5)
    assert sum(owned) == 6 and all(owned), owned
    polled_by = [metric(p, 'parley_feed_polls_total{outcome="not_modified"}') for p in pollers]
    assert all(polled_by), polled_by

    for poller in pollers:
        assert poller.stop() == 0
    records = stack.drain(stack.topics.raw, settle_s=2.0)
    by_key: dict[str, set[bytes]] = defaultdict(set)
    for record in records:
        by_key[(record.key or b"").decode()].add(record.value)
    assert set(by_key) == expected(4)
    assert all(len(values) == 1 for values in by_key.values()), "a repeat that differs"
    # Only the polls in flight at the kill (round 1) may repeat. Round 0's state
    # survived the kill in the changelog and moved to the new owners; rounds 2
    # and 3 were polled across the rebalance between the two new pollers,
    # whose revocation waits for polls in flight to write their state.
    copies = defaultdict(int)
    for record in records:
        copies[(record.key or b"").decode()] += 1
    once = expected(4) - {f"{i}-1" for i in range(6)}
    assert {key: copies[key] for key in once} == dict.fromkeys(once, 1)
    for poller in [first, *pollers]:
        assert "Traceback" not in poller.log_path.read_text(errors="replace")


def test_a_feeds_topic_with_another_partition_count_is_refused(stack: Stack) -> None:
    from confluent_kafka.admin import AdminClient, NewTopic

    topic = f"{stack.app_id}-poll-feeds"
    admin = AdminClient({"bootstrap.servers": stack.bootstrap})
    for future in admin.create_topics([NewTopic(topic, num_partitions=3)]).values():
        future.result(timeout=30)
    feeds = write_feeds(stack.tmp / "feeds.yaml", ["http://127.0.0.1:9/feed.rss"])
    poller = start_poller(stack, feeds, "mismatch")
    assert poller.process.wait(60) != 0
    lines = [line for line in poller.log().splitlines() if "parley: error:" in line]
    assert lines and f"topic {topic} has 3 partitions but PARLEY_PARTITIONS is 2" in lines[-1]
    assert "Traceback" not in poller.log()
