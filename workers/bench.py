"""``parley bench``: how close the full pipeline comes to spaCy's own ceiling.

A benchmark, not a test. In one run, on the same articles:

(a) the ceiling: plain ``nlp.pipe`` with the same model in the same number of
    processes (model load excluded), once before (b) and once after it, the
    ratio taken against their mean (the machine's speed drifts), and
(b) the pipeline: articles produced to the raw topic of an embedded broker,
    through a real worker (``parley run``), until every enriched article is
    read back; then
(c) latency: articles offered at half of (b)'s measured capacity, end-to-end
    latency from produce to the enriched record being read back, and
(d) peak RSS (VmHWM) of the worker and each of its NLP processes, and
(e) where the CPU went during (b): milliseconds per article for each role
    (worker main process, NLP processes, broker, the bench's own client), how
    busy the NLP processes were, and spaCy's share of their work; and the CPU
    milliseconds per article of spaCy alone in (a), against the NLP processes'
    (``cpu_ratio``: how much of an NLP process's CPU is spaCy's).
"""

from __future__ import annotations

import asyncio
import gc
import multiprocessing
import os
import random
import statistics
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from rich.console import Console

from workers.broker import (
    EmbeddedBroker,
    ensure_topics,
    free_port,
    start_worker_process,
)
from workers.errors import CliError
from workers.processes import stop_process
from workers.settings import Settings

# Sentence parts written for the benchmark; combined at random (seeded) into
# articles of about 340 words, the size the throughput figures assume.
_ACTORS = [
    ("Russia", "Moscow"),
    ("China", "Beijing"),
    ("the United States", "Washington"),
    ("France", "Paris"),
    ("Germany", "Berlin"),
    ("India", "New Delhi"),
    ("Japan", "Tokyo"),
    ("Iran", "Tehran"),
    ("Turkey", "Ankara"),
    ("Brazil", "Brasilia"),
    ("Ukraine", "Kyiv"),
    ("Poland", "Warsaw"),
    ("South Africa", "Pretoria"),
    ("Egypt", "Cairo"),
]
_TEMPLATES = [
    "{a} condemned the missile test carried out by {b} on Tuesday, calling it reckless.",
    "The foreign minister of {a} met his counterpart from {b} in {ca} to discuss trade.",
    "{a} announced new sanctions against {b} over its support for armed groups.",
    "Officials in {ca} said {a} would expel two diplomats from {b} within a week.",
    "{a} and {b} signed an agreement on energy cooperation after two days of talks.",
    "Protesters gathered outside the embassy of {b} in {ca} to denounce the arrests.",
    "{a} warned {b} that any incursion would be met with a firm response.",
    "The president of {a} is set to visit {cb} next month, his office said.",
    "{a} accused {b} of interfering in its elections, an allegation {cb} denied.",
    "{a} pledged humanitarian aid to {b} after the floods displaced thousands.",
    "Troops from {a} were deployed near the border with {b}, satellite images showed.",
    "A spokesman in {cb} said {b} rejected the proposal put forward by {a}.",
    "Analysts said the dispute between {a} and {b} was unlikely to ease before winter.",
    "{a} urged {b} to release the detained journalists without delay.",
    "Markets in {ca} were calm as investors waited for the central bank decision.",
]


def generate_articles(count: int, seed: int = 7, words: int = 340) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    start = datetime(2024, 5, 1, tzinfo=UTC)
    articles = []
    for i in range(count):
        sentences: list[str] = []
        while sum(len(s.split()) for s in sentences) < words:
            (a, ca), (b, cb) = rng.sample(_ACTORS, 2)
            text = rng.choice(_TEMPLATES).format(a=a, b=b, ca=ca, cb=cb)
            sentences.append(text[0].upper() + text[1:])
        paragraphs = [" ".join(sentences[j : j + 3]) for j in range(0, len(sentences), 3)]
        articles.append(
            {
                "title": f"Bench story {i}: {sentences[0][:60]}",
                "body": "\n\n".join(paragraphs),
                "published_at": (start + timedelta(minutes=i)).isoformat(),
                "source": "bench.example",
                "url": f"https://bench.example/story/{seed}/{i}",
            }
        )
    return articles


def load_articles(path: Path) -> list[dict[str, Any]]:
    from workers.ingest import parse_record, read_inputs

    out = []
    for raw in read_inputs([path]):
        for article in parse_record(raw.value, content_type=raw.content_type):
            out.append(
                {
                    "title": article.title,
                    "body": article.body,
                    "published_at": article.published_at.isoformat(),
                    "source": article.source,
                    "url": article.url,
                }
            )
    return out


# ------------------------------------------------------------------ ceiling
def _ceiling_worker(
    model: str, texts: Sequence[str], batch_size: int, barrier: Any, results: Any
) -> None:
    import spacy

    from workers.core import WARM_UP_TEXT

    nlp = spacy.load(model)
    # Warmed up and with the garbage collector frozen as the worker's NLP processes are
    # (workers/pool.py, ``_warm_up`` and ``_serve``), so that neither side's figure
    # carries a first-use or a collection cost the other does not.
    nlp(WARM_UP_TEXT)
    gc.collect()
    gc.freeze()
    barrier.wait()
    started = time.perf_counter()
    cpu_started = time.process_time()
    for _ in nlp.pipe(texts, batch_size=batch_size):
        pass
    cpu = time.process_time() - cpu_started
    results.put((time.perf_counter() - started, _vm_hwm_mb(os.getpid()), cpu))


@dataclass
class Ceiling:
    """One run of (a): plain ``nlp.pipe`` over the bench's texts."""

    articles_per_s: float
    peak_rss_mb: float
    # CPU of the ceiling's processes, summed, per article piped.
    cpu_ms_per_article: float


def spacy_ceiling(model: str, texts: Sequence[str], processes: int, batch_size: int) -> Ceiling:
    """Articles/s of plain nlp.pipe in ``processes`` processes; its peak RSS and CPU."""
    context = multiprocessing.get_context("spawn")
    processes = max(processes, 1)
    barrier = context.Barrier(processes + 1)
    results = context.Queue()
    shards = [texts[i::processes] for i in range(processes)]
    workers = [
        context.Process(target=_ceiling_worker, args=(model, shard, batch_size, barrier, results))
        for shard in shards
    ]
    for worker in workers:
        worker.start()
    barrier.wait()
    started = time.perf_counter()
    outcomes = [results.get() for _ in workers]
    wall = time.perf_counter() - started
    for worker in workers:
        worker.join()
    return Ceiling(
        articles_per_s=len(texts) / wall,
        peak_rss_mb=max(rss for _, rss, _ in outcomes),
        cpu_ms_per_article=1000 * sum(cpu for _, _, cpu in outcomes) / len(texts),
    )


def cpu_ratio(spacy_cpu_ms: float, nlp_process_cpu_ms: float | None) -> float | None:
    """spaCy-alone CPU per article over the NLP processes' CPU per article in (b).

    How much of an NLP process's CPU is spaCy's own work (the rest is parley's:
    resolution, coding, building records, the pipe to the worker). Unlike the
    throughput ratio it compares CPU time, which other load on the machine barely moves.
    """
    if not nlp_process_cpu_ms:
        return None
    return round(spacy_cpu_ms / nlp_process_cpu_ms, 3)


# ------------------------------------------------------------------ helpers
def _vm_hwm_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    import psutil

    return float(psutil.Process(pid).memory_info().rss) / (1024 * 1024)


def _process_tree_peaks(pid: int) -> list[float]:
    import psutil

    try:
        parent = psutil.Process(pid)
        pids = [pid] + [child.pid for child in parent.children(recursive=True)]
    except psutil.Error:
        return []
    peaks = []
    for each in pids:
        try:
            peaks.append(round(_vm_hwm_mb(each), 1))
        except Exception:  # noqa: BLE001 - a process may be gone
            continue
    return peaks


def _cpu_seconds(broker_pid: int | None, worker_pid: int) -> dict[str, float]:
    """CPU seconds used so far by the broker, the worker, its NLP processes and us."""
    import psutil

    def used(process: psutil.Process) -> float:
        times = process.cpu_times()
        return float(times.user + times.system)

    out: dict[str, float] = {"bench_client": used(psutil.Process())}
    try:
        worker = psutil.Process(worker_pid)
        out["worker_main"] = used(worker)
        out["nlp_processes"] = sum(used(child) for child in worker.children(recursive=True))
        if broker_pid is not None:
            out["broker"] = used(psutil.Process(broker_pid))
    except psutil.Error:
        pass
    return out


def _percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(round(q * (len(ordered) - 1)), len(ordered) - 1)
    return ordered[index]


@dataclass
class PipelineRun:
    articles_per_s: float
    latencies: list[float]
    # From the first article sent to the last enriched one read back: the
    # time the pipeline worked, without the bench client's own start and stop.
    window_s: float


class _Pipeline:
    def __init__(self, settings: Settings, bootstrap: str) -> None:
        self.settings = settings
        self.bootstrap = bootstrap
        self.producer: AIOKafkaProducer | None = None
        self.consumer: AIOKafkaConsumer | None = None

    async def __aenter__(self) -> _Pipeline:
        self.producer = AIOKafkaProducer(bootstrap_servers=self.bootstrap, linger_ms=2)
        await self.producer.start()
        # The embedded broker seems to answer a fetch only at the end of its max wait,
        # even when records arrive meanwhile (aiokafka's default is 500 ms): the last enriched
        # article was read back 0.25 s after its NLP batch ended (0.05 s with this),
        # and the latencies of (c) carried the same wait. 50 ms bounds what the reading
        # client adds to what it measures, at 20 fetches a second.
        self.consumer = AIOKafkaConsumer(
            bootstrap_servers=self.bootstrap, enable_auto_commit=False, fetch_max_wait_ms=50
        )
        await self.consumer.start()
        topic = self.settings.enriched_topic
        partitions = [TopicPartition(topic, p) for p in range(self.settings.partitions)]
        self.consumer.assign(partitions)
        await self.consumer.seek_to_end(*partitions)
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self.producer and self.consumer
        await self.producer.stop()
        await self.consumer.stop()

    async def run(
        self, articles: Sequence[dict[str, Any]], rate: float | None, timeout_s: float
    ) -> PipelineRun:
        assert self.producer and self.consumer
        sent_at: dict[str, float] = {}
        latencies: list[float] = []
        url_key = {a["url"]: i for i, a in enumerate(articles)}
        received: set[int] = set()
        first_sent = time.monotonic()

        async def send_all() -> None:
            assert self.producer
            for i, article in enumerate(articles):
                if rate:
                    target = first_sent + i / rate
                    delay = target - time.monotonic()
                    if delay > 0:
                        await asyncio.sleep(delay)
                sent_at[article["url"]] = time.monotonic()
                await self.producer.send(
                    self.settings.raw_topics[0],
                    orjson.dumps(article),
                    headers=[("content-type", b"application/json")],
                )
            await self.producer.flush()

        sender = asyncio.create_task(send_all())
        deadline = time.monotonic() + timeout_s
        last = first_sent
        while len(received) < len(articles):
            if time.monotonic() > deadline:
                raise TimeoutError(f"only {len(received)}/{len(articles)} articles came out")
            batches = await self.consumer.getmany(timeout_ms=200)
            now = time.monotonic()
            for records in batches.values():
                for record in records:
                    url = orjson.loads(record.value)["article"].get("url")
                    index = url_key.get(url)
                    if index is None or index in received:
                        continue
                    received.add(index)
                    latencies.append(now - sent_at[url])
                    last = now
        await sender
        return PipelineRun(len(articles) / (last - first_sent), latencies, last - first_sent)


def run_bench(
    settings: Settings, *, articles: int, input_path: Path | None, console: Console
) -> dict[str, Any]:
    processes = max(settings.processes, 1)
    data = load_articles(input_path) if input_path else generate_articles(articles)
    if not data:
        raise CliError("no articles to benchmark")
    texts = [f"{a['title']}\n\n{a['body']}" for a in data]
    words = statistics.mean(len(t.split()) for t in texts)

    console.print(
        f"[bold](a)[/bold] spaCy ceiling: {settings.model}, {processes} process(es), "
        f"{len(texts)} articles of ~{words:.0f} words"
    )
    first = spacy_ceiling(settings.model, texts, processes, settings.batch_size)
    console.print(f"    {first.articles_per_s:.1f} articles/s")

    tmp = Path(settings.data_dir)
    tmp.mkdir(parents=True, exist_ok=True)
    with EmbeddedBroker(log_path=tmp / "bench-broker.log") as broker:
        asyncio.run(ensure_topics(broker.bootstrap, settings.all_topics(), settings.partitions))
        port = free_port()
        worker = start_worker_process(
            broker.bootstrap,
            port,
            tmp / "bench-worker.log",
            PARLEY_PROCESSES=str(processes),
            PARLEY_LOG_LEVEL="WARNING",
            PARLEY_DEDUP_WINDOW_S="0",
        )
        try:
            _wait_ready(port, worker)
            console.print("[bold](b)[/bold] full pipeline through the broker (backlog)")
            cpu_before = _cpu_seconds(broker.pid, worker.pid)
            stages_before = _stage_seconds(port)
            wall_before = time.perf_counter()
            throughput = asyncio.run(_run_pipeline(settings, broker.bootstrap, data, None))
            # The busy fraction and the cores per role are over the pipeline's
            # working window (as its throughput is), not over the client's setup.
            wall = min(throughput.window_s, time.perf_counter() - wall_before)
            cpu_after = _cpu_seconds(broker.pid, worker.pid)
            stages = {
                stage: seconds - stages_before.get(stage, 0.0)
                for stage, seconds in _stage_seconds(port).items()
            }
            cpu_used = {
                role: cpu_after.get(role, 0.0) - cpu_before.get(role, 0.0) for role in cpu_after
            }
            cpu_share = {role: round(used / wall, 2) for role, used in cpu_used.items()}
            console.print(f"    {throughput.articles_per_s:.1f} articles/s")
            # The ceiling again, right after (b): this machine's speed drifts by
            # 10 to 20 % between minutes, so (b) is compared with the mean of a
            # ceiling taken just before it and one just after, not with one side.
            console.print("[bold](a')[/bold] spaCy ceiling again, after (b)")
            after = spacy_ceiling(settings.model, texts, processes, settings.batch_size)
            console.print(f"    {after.articles_per_s:.1f} articles/s")
            ceiling_runs = [first.articles_per_s, after.articles_per_s]
            ceiling = statistics.mean(ceiling_runs)
            spacy_cpu_runs = [first.cpu_ms_per_article, after.cpu_ms_per_article]
            spacy_cpu = statistics.mean(spacy_cpu_runs)
            rate = throughput.articles_per_s / 2
            latency_articles = generate_articles(max(int(rate * 20), 20), seed=11)
            console.print(f"[bold](c)[/bold] latency at half load: {rate:.1f} articles/s offered")
            latency = asyncio.run(_run_pipeline(settings, broker.bootstrap, latency_articles, rate))
            peaks = _process_tree_peaks(worker.pid)
        finally:
            stop_process(worker)

    cpu_ms_per_article = {
        role: round(1000 * used / len(data), 2) for role, used in cpu_used.items()
    }
    report = {
        "model": settings.model,
        "processes": processes,
        "articles": len(data),
        "words_per_article": round(words, 1),
        "spacy_articles_per_s": round(ceiling, 2),
        "spacy_articles_per_s_runs": [round(c, 2) for c in ceiling_runs],
        "spacy_words_per_s": round(ceiling * words, 0),
        "pipeline_articles_per_s": round(throughput.articles_per_s, 2),
        "pipeline_words_per_s": round(throughput.articles_per_s * words, 0),
        "ratio": round(throughput.articles_per_s / ceiling, 3),
        "offered_articles_per_s": round(rate, 2),
        "latency_p50_s": round(_percentile(latency.latencies, 0.50), 3),
        "latency_p95_s": round(_percentile(latency.latencies, 0.95), 3),
        "latency_p99_s": round(_percentile(latency.latencies, 0.99), 3),
        "peak_rss_mb": max(peaks) if peaks else None,
        "peak_rss_mb_per_process": peaks,
        "spacy_peak_rss_mb": round(first.peak_rss_mb, 1),
        "cpu_count": os.cpu_count(),
        # Cores busy per role during (b): where the machine's time went.
        "pipeline_cpu_cores": cpu_share,
        # CPU milliseconds per article per role during (b): unlike the
        # wall-clock figures above, barely moved by other load on the machine.
        "cpu_ms_per_article": cpu_ms_per_article,
        # spaCy alone in (a), CPU ms per article (mean of the two runs), and its share
        # of the NLP processes' CPU per article in (b).
        "spacy_cpu_ms_per_article": round(spacy_cpu, 2),
        "spacy_cpu_ms_per_article_runs": [round(c, 2) for c in spacy_cpu_runs],
        "cpu_ratio": cpu_ratio(spacy_cpu, cpu_ms_per_article.get("nlp_processes")),
        **_nlp_figures(stages, wall, processes, cpu_used.get("nlp_processes")),
    }
    return report


def _nlp_figures(
    stages: dict[str, float], wall_s: float, processes: int, nlp_cpu_s: float | None
) -> dict[str, float | None]:
    """How busy the NLP processes were during (b), and spaCy's share of their work.

    ``nlp_busy_fraction`` is the time the processes spent on batches (spaCy,
    coding and building records, measured inside them) over the working
    window of (b) (first article sent to last enriched article read back)
    times the number of processes: 1.0 means they never waited for the
    worker. ``nlp_cpu_fraction`` is the CPU they got over the same span; on a
    machine shared with other work it is lower than the busy fraction.
    """
    busy = sum(stages.get(stage, 0.0) for stage in ("nlp", "coding", "encode"))
    return {
        "nlp_busy_fraction": round(busy / (wall_s * processes), 3) if busy else None,
        "nlp_cpu_fraction": (
            round(nlp_cpu_s / (wall_s * processes), 3) if nlp_cpu_s is not None else None
        ),
        "spacy_share_of_nlp_process": round(stages["nlp"] / busy, 3) if busy else None,
    }


def _stage_seconds(port: int) -> dict[str, float]:
    """``parley_stage_duration_seconds_sum`` per stage from the worker's /metrics."""
    import re
    import urllib.request

    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
            body = response.read().decode()
    except OSError:
        return {}
    pattern = re.compile(r'^parley_stage_duration_seconds_sum\{stage="([a-z_]+)"\} (\S+)$', re.M)
    return {stage: float(value) for stage, value in pattern.findall(body)}


async def _run_pipeline(
    settings: Settings, bootstrap: str, articles: Sequence[dict[str, Any]], rate: float | None
) -> PipelineRun:
    async with _Pipeline(settings, bootstrap) as pipeline:
        return await pipeline.run(articles, rate, timeout_s=600)


def _wait_ready(port: int, worker: subprocess.Popen[bytes], timeout_s: float = 120.0) -> None:
    import urllib.request

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            raise RuntimeError("worker exited during start; see .parley-data/bench-worker.log")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.25)
    raise RuntimeError("worker not ready in time; see .parley-data/bench-worker.log")
