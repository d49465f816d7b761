"""Soak run: one real worker under steady load at 70% of its capacity, for a long time.

Not part of CI (it runs for ten minutes or more). It starts the embedded
broker (or uses ``--broker``), runs ``parley run`` as a child process exactly
as in production, measures the worker's capacity on a backlog, then produces
short articles at ``--load`` (default 0.7) of that rate for ``--minutes`` and
samples, every ``--every`` seconds, the worker's RSS (worker plus its NLP
processes), consumer lag, failures and dead letters from ``/metrics``.

The summary says PASS when RSS grew under 10% (from the first sample after
warm-up), lag did not grow (the last quarter's mean lag is within a few
seconds of work of the first quarter's) and there were no failures; the exit
status is 0 on PASS, 1 otherwise.

    .venv/bin/python scripts/soak.py --minutes 10
    .venv/bin/python scripts/soak.py --minutes 1 --rate 20     # quick check
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psutil
from aiokafka import AIOKafkaProducer

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from workers.broker import EmbeddedBroker, ensure_topics, free_port, tansu_worker_env  # noqa: E402

COUNTRIES = ["France", "Germany", "Japan", "Brazil", "India", "Kenya", "Canada", "Mexico",
             "Egypt", "Turkey", "Poland", "Spain", "Chile", "Peru", "Norway", "Vietnam"]
ACTIONS = [
    "{a} expelled two diplomats from {b}.",
    "The government of {a} condemned {b} over the border incident.",
    "{a} signed a trade agreement with {b} in the capital.",
    "{a} summoned the ambassador of {b} to protest the arrests.",
    "Leaders of {a} met their counterparts from {b} for talks.",
]
FILLER = [
    "Analysts said the dispute over fishing rights had simmered for years.",
    "The foreign ministry published a statement late in the evening.",
    "Opposition lawmakers asked for a debate in parliament next week.",
    "Markets showed little reaction to the news on the day.",
]
MAX_RSS_GROWTH = 0.10
ALLOWED_LAG_GROWTH_S = 5.0  # seconds of work: commit intervals make lag saw-toothed


def article(run: str, i: int) -> bytes:
    a = COUNTRIES[i % len(COUNTRIES)]
    b = COUNTRIES[(i + 1 + i // len(COUNTRIES)) % len(COUNTRIES)]
    day = datetime.now(UTC) - timedelta(days=1 + i % 300)
    body = " ".join([ACTIONS[i % len(ACTIONS)].format(a=a, b=b)]
                    + [FILLER[(i + k) % len(FILLER)] for k in range(3)]
                    + [f"The ministry numbered the note {run}-{i}."])
    return json.dumps({
        "title": f"{a} and {b}: report {i}", "body": body,
        "published_at": day.isoformat().replace("+00:00", "Z"), "source": f"Soak {i % 9}",
        "url": f"https://soak.example.org/{run}/{i}",
    }).encode()


@dataclass
class Sample:
    at: float
    rss_mb: float
    lag: float
    enriched: float
    failures: float
    dead_letters: float


@dataclass
class Worker:
    process: subprocess.Popen[bytes]
    port: int
    log_path: Path
    samples: list[Sample] = field(default_factory=list)

    def metrics(self) -> dict[str, float]:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/metrics", timeout=5) as resp:
            text = resp.read().decode()
        totals: dict[str, float] = {}
        for line in text.splitlines():
            if line.startswith("#") or " " not in line:
                continue
            name_labels, value = line.rsplit(" ", 1)
            name = name_labels.split("{", 1)[0]
            totals[name] = totals.get(name, 0.0) + float(value)
        return totals

    def ready(self) -> bool:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/readyz", timeout=2):
                return True
        except OSError:
            return False

    def rss_mb(self) -> float:
        parent = psutil.Process(self.process.pid)
        processes = [parent, *parent.children(recursive=True)]
        total = 0
        for process in processes:
            try:
                total += process.memory_info().rss
            except psutil.NoSuchProcess:
                pass
        return total / (1024 * 1024)

    def sample(self) -> Sample:
        values = self.metrics()
        sample = Sample(
            at=time.monotonic(),
            rss_mb=self.rss_mb(),
            lag=values.get("parley_consumer_lag_records", 0.0),
            enriched=values.get("parley_articles_enriched_total", 0.0),
            failures=values.get("parley_failures_total", 0.0),
            dead_letters=values.get("parley_dead_letters_total", 0.0),
        )
        self.samples.append(sample)
        return sample


def start_worker(bootstrap: str, env: dict[str, str], tmp: Path) -> Worker:
    port = free_port()
    log_path = tmp / "worker.log"
    environment = {**os.environ, **env, "PARLEY_BROKER": bootstrap,
                   "PARLEY_WEB_PORT": str(port), "PARLEY_WEB_HOST": "127.0.0.1"}
    with open(log_path, "ab") as log_file:
        process = subprocess.Popen([sys.executable, "-m", "workers.cli", "run"], cwd=REPO,
                                   env=environment, stdout=log_file, stderr=subprocess.STDOUT)
    worker = Worker(process, port, log_path)
    deadline = time.monotonic() + 180
    while not worker.ready():
        if process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"worker did not become ready; see {log_path}")
        time.sleep(0.5)
    return worker


async def produce(producer: AIOKafkaProducer, topic: str, values: list[bytes]) -> None:
    futures = [await producer.send(topic, value) for value in values]
    for future in futures:
        await future


async def wait_enriched(worker: Worker, target: float, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while worker.metrics().get("parley_articles_enriched_total", 0.0) < target:
        if time.monotonic() > deadline:
            raise SystemExit(f"worker did not reach {target:.0f} enriched articles in time")
        await asyncio.sleep(0.5)


async def soak(args: argparse.Namespace, bootstrap: str, tmp: Path) -> int:
    run = uuid.uuid4().hex[:8]
    raw = f"soak-{run}.raw"
    env = {
        "PARLEY_APP_ID": f"parley-soak-{run}",
        "PARLEY_RAW_TOPICS": raw,
        "PARLEY_PARTITIONS": str(args.partitions),
        "PARLEY_DATA_DIR": str(tmp / "data"),
        **tansu_worker_env(),
        **{f"PARLEY_{name.upper()}_TOPIC": f"soak-{run}.{name}"
           for name in ("enriched", "events", "alerts", "dlq", "unsupported")},
    }
    if args.processes is not None:
        env["PARLEY_PROCESSES"] = str(args.processes)
    await ensure_topics(bootstrap, [raw], args.partitions)
    worker = start_worker(bootstrap, env, tmp)
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
                s = worker.sample()
                print(f"{now - started:7.0f}s produced {produced:6d} enriched {s.enriched:7.0f} "
                      f"lag {s.lag:5.0f} rss {s.rss_mb:7.1f} MB failures {s.failures:.0f}",
                      flush=True)
                next_sample += args.every
            if worker.process.poll() is not None:
                print(f"worker exited ({worker.process.returncode}); see {worker.log_path}")
                return 1
            await asyncio.sleep(0.1)
        worker.sample()
    finally:
        await producer.stop()
        worker.process.terminate()
        try:
            worker.process.wait(60)
        except subprocess.TimeoutExpired:
            worker.process.kill()
    return summarize(worker.samples, rate)


def summarize(samples: list[Sample], rate: float) -> int:
    if len(samples) < 4:
        print("too few samples for a summary (run longer)")
        return 1
    quarter = max(len(samples) // 4, 1)
    rss_start, rss_end = samples[0].rss_mb, samples[-1].rss_mb
    rss_growth = (rss_end - rss_start) / rss_start
    lag_first = statistics.fmean(s.lag for s in samples[:quarter])
    lag_last = statistics.fmean(s.lag for s in samples[-quarter:])
    lag_growth = lag_last - lag_first
    failures = samples[-1].failures - samples[0].failures
    dead = samples[-1].dead_letters - samples[0].dead_letters
    elapsed = samples[-1].at - samples[0].at
    throughput = (samples[-1].enriched - samples[0].enriched) / max(elapsed, 1e-6)
    checks = {
        f"RSS growth {rss_growth:+.1%} < {MAX_RSS_GROWTH:.0%}": rss_growth < MAX_RSS_GROWTH,
        f"lag growth {lag_growth:+.0f} records <= {ALLOWED_LAG_GROWTH_S:.0f}s of work":
            lag_growth <= rate * ALLOWED_LAG_GROWTH_S,
        f"failures {failures:.0f}, dead letters {dead:.0f}": failures == 0 and dead == 0,
    }
    print("\n--- soak summary ---")
    print(f"duration          {elapsed:.0f}s, {len(samples)} samples")
    print(f"throughput        {throughput:.1f} articles/s (target {rate:.1f})")
    print(f"RSS               {rss_start:.1f} MB -> {rss_end:.1f} MB "
          f"(max {max(s.rss_mb for s in samples):.1f})")
    print(f"lag               first quarter {lag_first:.1f}, last quarter {lag_last:.1f}, "
          f"max {max(s.lag for s in samples):.0f}")
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
    parser.add_argument("--processes", type=int, help="PARLEY_PROCESSES for the worker.")
    parser.add_argument("--partitions", type=int, default=2)
    parser.add_argument("--broker", help="Use this Kafka instead of a fresh embedded broker.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="parley-soak-") as tmp_dir:
        tmp = Path(tmp_dir)
        if args.broker:
            return asyncio.run(soak(args, args.broker, tmp))
        with EmbeddedBroker(log_path=tmp / "tansu.log") as broker:
            return asyncio.run(soak(args, broker.bootstrap, tmp))


if __name__ == "__main__":
    sys.exit(main())
