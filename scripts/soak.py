"""Soak run: one real worker under steady load at 70% of its capacity, for a long time.

Not part of CI (it runs for ten minutes or more). It starts the embedded
broker (or uses ``--broker``), runs ``parley run`` as a child process exactly
as in production, measures the worker's capacity on a backlog, then produces
articles (``workers/synthetic.py``, the reliability suite's generator) at
``--load`` (default 0.7) of that rate for ``--minutes`` and samples, every
``--every`` seconds, the resident memory of each process (the worker, each
NLP process, the embedded broker), consumer lag, failures and dead letters
from ``/metrics``.

The summary says PASS when no parley process's RSS grew by 5% or more from
its first sample after ``--warmup`` seconds, lag did not grow (the last
quarter's mean lag is within a few seconds of work of the first quarter's)
and there were no failures; the exit status is 0 on PASS, 1 otherwise. The
broker's RSS is reported, not judged: the embedded Tansu keeps every record
in memory, so it grows with the topics by design.

    .venv/bin/python scripts/soak.py --minutes 10
    .venv/bin/python scripts/soak.py --minutes 10 --env PARLEY_DEDUP_WINDOW_S=120 \
        --env PARLEY_LINK_WINDOW_S=120 --env PARLEY_STATE_SWEEP_INTERVAL_S=30
        # windows short enough for the state to reach its steady size within the run
    .venv/bin/python scripts/soak.py --minutes 1 --rate 20 --warmup 10    # quick check
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psutil
from aiokafka import AIOKafkaProducer

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from workers.broker import EmbeddedBroker, ensure_topics  # noqa: E402
from workers.harness import WorkerProcess, start_worker  # noqa: E402
from workers.synthetic import article as synthetic_article  # noqa: E402

MAX_RSS_GROWTH = 0.05
ALLOWED_LAG_GROWTH_S = 5.0  # seconds of work: commit intervals make lag saw-toothed


def article(run: str, i: int) -> bytes:
    # Dates within the last 300 days: some dyads recur on a date, so stories
    # link and alert suppression works as on a real feed.
    day = datetime.now(UTC) - timedelta(days=1 + i % 300)
    return synthetic_article(run, i, 3, published=day, host="soak.example.org")


@dataclass
class Sample:
    at: float
    rss_mb: dict[str, float]
    lag: float
    enriched: float
    failures: float
    dead_letters: float


@dataclass
class Soak:
    worker: WorkerProcess
    broker_pid: int | None
    samples: list[Sample] = field(default_factory=list)

    def sample(self) -> Sample:
        values = self.worker.metrics()
        rss = self.worker.rss_mb()
        if self.broker_pid is not None:
            try:
                rss["broker"] = psutil.Process(self.broker_pid).memory_info().rss / 2**20
            except psutil.NoSuchProcess:
                pass
        sample = Sample(
            at=time.monotonic(),
            rss_mb=rss,
            lag=values.get("parley_consumer_lag_records", 0.0),
            enriched=values.get("parley_articles_enriched_total", 0.0),
            failures=values.get("parley_failures_total", 0.0),
            dead_letters=values.get("parley_dead_letters_total", 0.0),
        )
        self.samples.append(sample)
        return sample


async def produce(producer: AIOKafkaProducer, topic: str, values: list[bytes]) -> None:
    futures = [await producer.send(topic, value) for value in values]
    for future in futures:
        await future


async def wait_enriched(worker: WorkerProcess, target: float, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while worker.metrics().get("parley_articles_enriched_total", 0.0) < target:
        if time.monotonic() > deadline:
            raise SystemExit(f"worker did not reach {target:.0f} enriched articles in time")
        await asyncio.sleep(0.5)


async def soak(args: argparse.Namespace, bootstrap: str, broker_pid: int | None, tmp: Path) -> int:
    run = uuid.uuid4().hex[:8]
    raw = f"soak-{run}.raw"
    env = {
        "PARLEY_APP_ID": f"parley-soak-{run}",
        "PARLEY_RAW_TOPICS": raw,
        "PARLEY_PARTITIONS": str(args.partitions),
        "PARLEY_DATA_DIR": str(tmp / "data"),
        "PARLEY_STORE": args.store,
        **{
            f"PARLEY_{name.upper()}_TOPIC": f"soak-{run}.{name}"
            for name in ("enriched", "events", "alerts", "dlq", "unsupported")
        },
    }
    if args.processes is not None:
        env["PARLEY_PROCESSES"] = str(args.processes)
    for item in args.env:
        name, _, value = item.partition("=")
        env[name] = value
    await ensure_topics(bootstrap, [raw], args.partitions)
    worker = start_worker(bootstrap, env, tmp / "worker.log")
    if not worker.wait_ready():
        raise SystemExit(f"worker did not become ready; see {worker.log_path}")
    state = Soak(worker, broker_pid)
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    sequence = 0
    try:
        rate = args.rate
        if rate is None:
            backlog = args.calibrate
            await produce(producer, raw, [article(run, i) for i in range(backlog)])
            sequence = backlog
            await wait_enriched(worker, 1, 120)
            started = time.monotonic()
            first = worker.metrics()["parley_articles_enriched_total"]
            await wait_enriched(worker, backlog, 600)
            capacity = (backlog - first) / max(time.monotonic() - started, 1e-6)
            rate = capacity * args.load
            print(f"capacity {capacity:.1f} articles/s; soaking at {rate:.1f}/s ({args.load:.0%})")
        else:
            print(f"soaking at {rate:.1f} articles/s (given)")
        await asyncio.sleep(args.every)  # let the backlog's commit land before the baseline
        duration = args.minutes * 60
        started = time.monotonic()
        next_sample = started
        produced = 0
        while (now := time.monotonic()) - started < duration:
            due = int((now - started) * rate) - produced
            if due > 0:
                await produce(producer, raw, [article(run, sequence + k) for k in range(due)])
                sequence += due
                produced += due
            if now >= next_sample:
                s = state.sample()
                memory = " ".join(f"{role} {mb:6.1f}" for role, mb in s.rss_mb.items())
                print(
                    f"{now - started:7.0f}s produced {produced:6d} enriched {s.enriched:7.0f} "
                    f"lag {s.lag:5.0f} failures {s.failures:.0f} | RSS MB {memory}",
                    flush=True,
                )
                next_sample += args.every
            if not worker.alive():
                print(f"worker exited ({worker.process.returncode}); see {worker.log_path}")
                return 1
            await asyncio.sleep(0.1)
        state.sample()
    finally:
        await producer.stop()
        worker.stop()
    return summarize(state.samples, rate, args.warmup)


def summarize(samples: list[Sample], rate: float, warmup_s: float) -> int:
    if len(samples) < 4:
        print("too few samples for a summary (run longer)")
        return 1
    start = samples[0].at
    steady = [s for s in samples if s.at - start >= warmup_s] or samples[-2:]
    quarter = max(len(samples) // 4, 1)
    lag_first = statistics.fmean(s.lag for s in samples[:quarter])
    lag_last = statistics.fmean(s.lag for s in samples[-quarter:])
    lag_growth = lag_last - lag_first
    failures = samples[-1].failures - samples[0].failures
    dead = samples[-1].dead_letters - samples[0].dead_letters
    elapsed = samples[-1].at - samples[0].at
    throughput = (samples[-1].enriched - samples[0].enriched) / max(elapsed, 1e-6)
    print("\n--- soak summary ---")
    print(f"duration          {elapsed:.0f}s, {len(samples)} samples; warm-up {warmup_s:.0f}s")
    print(f"throughput        {throughput:.1f} articles/s (target {rate:.1f})")
    checks: dict[str, bool] = {}
    for role in samples[0].rss_mb:
        series = [s.rss_mb[role] for s in steady if role in s.rss_mb]
        if len(series) < 2:
            continue
        growth = (series[-1] - series[0]) / series[0]
        print(
            f"RSS {role:<13} {series[0]:7.1f} MB after warm-up -> {series[-1]:7.1f} MB "
            f"({growth:+.1%}; max {max(series):.1f})"
        )
        if role != "broker":
            checks[f"RSS growth of {role} {growth:+.1%} < {MAX_RSS_GROWTH:.0%}"] = (
                growth < MAX_RSS_GROWTH
            )
    print(
        f"lag               first quarter {lag_first:.1f}, last quarter {lag_last:.1f}, "
        f"max {max(s.lag for s in samples):.0f}"
    )
    checks[f"lag growth {lag_growth:+.0f} records <= {ALLOWED_LAG_GROWTH_S:.0f}s of work"] = (
        lag_growth <= rate * ALLOWED_LAG_GROWTH_S
    )
    checks[f"failures {failures:.0f}, dead letters {dead:.0f}"] = failures == 0 and dead == 0
    for label, ok in checks.items():
        print(f"{'PASS' if ok else 'FAIL'}  {label}")
    passed = all(checks.values())
    print("PASS" if passed else "FAIL")
    return 0 if passed else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--load", type=float, default=0.7, help="Fraction of measured capacity.")
    parser.add_argument("--rate", type=float, help="Articles/s; skips the capacity measurement.")
    parser.add_argument("--calibrate", type=int, default=400, help="Backlog for the capacity run.")
    parser.add_argument("--every", type=float, default=10.0, help="Seconds between samples.")
    parser.add_argument(
        "--warmup", type=float, default=120.0, help="Seconds before the RSS baseline."
    )
    parser.add_argument("--processes", type=int, help="PARLEY_PROCESSES for the worker.")
    parser.add_argument("--partitions", type=int, default=2)
    parser.add_argument("--store", default="memory://", help="PARLEY_STORE for the worker.")
    parser.add_argument("--broker", help="Use this Kafka instead of a fresh embedded broker.")
    parser.add_argument(
        "--env",
        action="append",
        default=[],
        metavar="PARLEY_X=VALUE",
        help="Extra worker setting (repeatable), e.g. PARLEY_DEDUP_WINDOW_S=120.",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="parley-soak-") as tmp_dir:
        tmp = Path(tmp_dir)
        if args.broker:
            return asyncio.run(soak(args, args.broker, None, tmp))
        with EmbeddedBroker(log_path=tmp / "tansu.log") as broker:
            return asyncio.run(soak(args, broker.bootstrap, broker.pid, tmp))


if __name__ == "__main__":
    sys.exit(main())
