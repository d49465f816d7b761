"""``parley demo``: the whole path on one machine, in one command.

Starts the embedded broker, runs a worker in a child process (exactly what
``parley run`` runs), publishes the sample articles to the raw topic and
prints every record as it arrives on the output topics.

The sample feeds (``examples/feeds/*.rss``, ``*.atom``) take the live path
instead: they are served over HTTP on 127.0.0.1 and a ``parley poll``
child process follows them, so the demo shows feed -> raw -> event.
"""

from __future__ import annotations

import asyncio
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path

import orjson
from aiokafka import AIOKafkaConsumer, TopicPartition
from rich.console import Console

from workers.broker import (
    EmbeddedBroker,
    ensure_topics,
    free_port,
    start_worker_process,
)
from workers.errors import CliError
from workers.feeds.serve import FEED_SUFFIXES, FeedDirectoryServer, feeds_yaml
from workers.ingest import IngestError, InputError, RawInput, parse_record, read_inputs
from workers.ingest.dedup import Deduplicator
from workers.processes import stop_process
from workers.producer import produce_inputs
from workers.settings import Settings
from workers.tail import format_record


class DemoError(Exception):
    pass


def expected_outputs(raws: list[RawInput]) -> tuple[set[str], int]:
    """Article ids that must come out, and how many records must be dead-lettered."""
    ids: set[str] = set()
    dead = 0
    dedup = Deduplicator({}, window_s=7 * 24 * 3600)
    now = datetime.now(UTC)
    for raw in raws:
        try:
            articles = parse_record(raw.value, content_type=raw.content_type, now=now)
        except IngestError:
            dead += 1
            continue
        for article in articles:
            result = dedup.check(article, now.timestamp())
            if result.should_process:
                ids.add(article.article_id)
    return ids, dead


def _web_port(preferred: int) -> int:
    import socket

    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", preferred))
            return preferred
        except OSError:
            return free_port()


def run_demo(
    settings: Settings, samples: Path, *, once: bool, timeout_s: float, console: Console
) -> int:
    try:
        raws = list(read_inputs([samples]))
    except InputError as exc:
        raise CliError(str(exc)) from exc
    if not raws:
        raise CliError(f"no sample articles under {samples}")
    expected_ids, expected_dead = expected_outputs(raws)
    feeds_dir = samples / "feeds" if samples.is_dir() else None
    if feeds_dir is not None and not feeds_dir.is_dir():
        feeds_dir = None
    if feeds_dir is not None:
        # These reach the raw topic through the poller, not through produce.
        raws = [raw for raw in raws if not _is_feed_file(raw, feeds_dir)]

    log_dir = Path(settings.data_dir)
    log_dir.mkdir(parents=True, exist_ok=True)
    with (
        EmbeddedBroker(log_path=log_dir / "demo-broker.log") as broker,
        _FeedsOrNothing(feeds_dir) as feed_server,
    ):
        asyncio.run(ensure_topics(broker.bootstrap, settings.all_topics(), settings.partitions))
        port = _web_port(settings.web_port)
        worker_log = log_dir / "demo-worker.log"
        worker = start_worker_process(broker.bootstrap, port, worker_log)
        children = {"worker": worker}
        console.print(
            f"[bold]parley demo[/bold]: broker {broker.bootstrap}, worker pid {worker.pid} "
            f"(log {worker_log})\n  metrics http://127.0.0.1:{port}/metrics   "
            f"health http://127.0.0.1:{port}/healthz  /readyz\n"
            f"  publishing {len(raws)} sample record(s) from {samples}: "
            f"{len(expected_ids)} article(s) expected"
        )
        if feed_server is not None:
            poller, poll_port, urls = _start_poller(broker.bootstrap, feed_server, log_dir)
            children["poller"] = poller
            console.print(
                f"  polling {len(urls)} feed(s) served at http://127.0.0.1:{feed_server.port}/ "
                f"with parley poll (pid {poller.pid}, log {log_dir / 'demo-poller.log'}, "
                f"metrics http://127.0.0.1:{poll_port}/metrics)"
            )
        try:
            return asyncio.run(
                _follow(
                    settings,
                    broker.bootstrap,
                    raws,
                    expected_ids,
                    expected_dead,
                    once,
                    timeout_s,
                    console,
                    children,
                    port,
                )
            )
        except KeyboardInterrupt:
            return 130
        finally:
            for child in reversed(children.values()):
                stop_process(child)


def _is_feed_file(raw: RawInput, feeds_dir: Path) -> bool:
    path = Path(raw.origin)
    return path.suffix in FEED_SUFFIXES and path.parent.resolve() == feeds_dir.resolve()


class _FeedsOrNothing:
    """A FeedDirectoryServer for ``directory``, or None when there is none."""

    def __init__(self, directory: Path | None) -> None:
        self._server = FeedDirectoryServer(directory) if directory is not None else None

    def __enter__(self) -> FeedDirectoryServer | None:
        return self._server.__enter__() if self._server is not None else None

    def __exit__(self, *exc: object) -> None:
        if self._server is not None:
            self._server.__exit__(None, None, None)


def _start_poller(
    bootstrap: str, server: FeedDirectoryServer, log_dir: Path
) -> tuple[subprocess.Popen[bytes], int, list[str]]:
    urls = server.feed_urls()
    feeds_file = log_dir / "demo-feeds.yaml"
    feeds_file.write_text(feeds_yaml(urls, interval_s=5))
    poll_port = _web_port(6067)
    poller = start_worker_process(
        bootstrap,
        poll_port,
        log_dir / "demo-poller.log",
        command=("poll", str(feeds_file)),
        PARLEY_POLL_WEB_PORT=str(poll_port),
        PARLEY_POLL_MIN_HOST_GAP_S="0.2",
    )
    return poller, poll_port, urls


async def _follow(
    settings: Settings,
    bootstrap: str,
    raws: list[RawInput],
    expected_ids: set[str],
    expected_dead: int,
    once: bool,
    timeout_s: float,
    console: Console,
    children: dict[str, subprocess.Popen[bytes]],
    port: int,
) -> int:
    # The raw topic too: records the poller published are printed as FEED lines.
    topics = [settings.raw_topics[0], *settings.output_topics()]
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    try:
        partitions = [TopicPartition(t, p) for t in topics for p in range(settings.partitions)]
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        await produce_inputs(settings, bootstrap, settings.raw_topics[0], raws)
        seen: set[str] = set()
        dead = 0
        counts: dict[str, int] = {}
        deadline = time.monotonic() + timeout_s
        while True:
            for name, child in children.items():
                if child.poll() is not None:
                    console.print(f"[red]{name} exited with code {child.returncode}[/red]")
                    return 1
            batches = await consumer.getmany(timeout_ms=500)
            for _tp, records in batches.items():
                for record in records:
                    if record.topic == settings.raw_topics[0]:
                        line = _feed_line(record.topic, record.value, list(record.headers or []))
                        if line:
                            console.print(line)
                        continue
                    counts[record.topic] = counts.get(record.topic, 0) + 1
                    console.print(
                        format_record(
                            record.topic, record.key, record.value, list(record.headers or [])
                        )
                    )
                    if record.topic in (settings.enriched_topic, settings.unsupported_topic):
                        seen.add((record.key or b"").decode())
                    elif record.topic == settings.dlq_topic:
                        dead += 1
            done = expected_ids <= seen and dead >= expected_dead
            if once and done:
                summary = ", ".join(f"{n} on {t}" for t, n in sorted(counts.items()))
                console.print(
                    f"[green]all {len(expected_ids)} sample article(s) came out[/green]"
                    f" ({summary}); metrics were at http://127.0.0.1:{port}/metrics"
                )
                return 0
            if once and time.monotonic() > deadline:
                console.print(
                    f"[red]timed out: {len(expected_ids - seen)} article(s) missing[/red]"
                )
                return 1
    finally:
        await consumer.stop()


def _feed_line(topic: str, value: bytes, headers: list[tuple[str, bytes]]) -> str | None:
    """``FEED <feed url> -> <title>`` for a raw record the poller published, else None."""
    feed_url = next((v for k, v in headers if k == "parley.feed.url"), None)
    if feed_url is None:
        return None
    try:
        title = str(orjson.loads(value).get("title") or "")
    except (orjson.JSONDecodeError, AttributeError):
        title = ""
    return f"{topic:<20} FEED {feed_url.decode(errors='replace')} -> {title[:80]}"
