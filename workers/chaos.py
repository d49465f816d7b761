"""Chaos run: many faults in one long stream, then an independent count of what came out.

On its own embedded broker, with N distinct generated articles and 1 %
poison records among them, the driver

- kills the worker with SIGKILL at K random moments and restarts it;
- kills one of the worker's NLP processes with SIGKILL at M random moments
  (the worker must replace it in place: same worker pid, nothing lost);
- stops the broker once with SIGSTOP for a while, then SIGCONT;
- starts a second worker, lets it take partitions and work, and stops it;

then reads every output topic from offset 0 with confluent-kafka (not the
aiokafka the worker uses) and checks that every good article was enriched,
that every repeat of an output is identical to the first copy, that every
poison record is in the dead-letter topic byte for byte with its reason, and
that no process of the run is left. "Random moments" are drawn as points of
progress (outputs so far over N) plus a random delay, so faults land
mid-stream, during recovery and between batches alike; the seed is printed.

``scripts/chaos.py`` is the command line (the default run);
``tests/integration/test_chaos.py`` runs a small one in CI.
"""

from __future__ import annotations

import json
import logging
import os
import random
import signal
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psutil

from workers.broker import EmbeddedBroker, ensure_topics
from workers.harness import Record, WorkerProcess, read_topic, start_worker
from workers.ingest import parse_record
from workers.synthetic import Poison, article, every_six_hours, poison, process_killer

MARKER = "PARLEY_CHAOS_RUN"  # in every worker's environment, inherited by its children
# librdkafka's own complaints while the broker is stopped on purpose (timeouts,
# refused connections) go here instead of to stderr; errors still show.
QUIET = logging.getLogger("workers.chaos.kafka")
QUIET.setLevel(logging.ERROR)
NLP_REPLACE_S = 60.0  # an NLP process must be replaced, and working, within this
STALL_S = 180.0  # no new article for this long once every fault is done: stop and count


@dataclass
class NlpCheck:
    """An NLP kill waiting for its verdict: same worker, a new process, work going on."""

    due: float
    worker: WorkerProcess
    victim: int
    restarts: float
    enriched: float


@dataclass
class ChaosConfig:
    articles: int = 2000
    worker_kills: int = 20
    nlp_kills: int = 3
    broker_pause_s: float = 30.0  # 0: no pause
    second_worker: bool = True
    poison_fraction: float = 0.01
    # One in six poison records kills the NLP process that reads it (the pool's
    # test hook, PARLEY_TEST_KILL_MARKER): each costs a few process restarts.
    process_killers: bool = True
    partitions: int = 4
    processes: int = 2  # NLP processes of the main worker (the second has 1)
    store: str = "memory://"
    seed: int | None = None
    filler: int = 2  # filler sentences per article
    batch_size: int = 8
    timeout_s: float = 3600.0
    worker_env: dict[str, str] = field(default_factory=dict)
    work_dir: Path | None = None  # logs and table data; a temporary directory by default


@dataclass
class ChaosReport:
    config: ChaosConfig
    seed: int
    elapsed_s: float = 0.0
    good: int = 0
    poison: int = 0
    enriched_records: int = 0
    enriched_distinct: int = 0
    missing: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    repeats: int = 0
    differing_repeats: list[str] = field(default_factory=list)
    events: int = 0
    alerts: int = 0
    dead_letters: int = 0
    poison_missing: list[str] = field(default_factory=list)
    poison_wrong_reason: list[str] = field(default_factory=list)
    dlq_unexpected: int = 0
    worker_kills: int = 0
    kills_before_ready: int = 0
    unplanned_exits: list[str] = field(default_factory=list)
    nlp_kills: list[str] = field(default_factory=list)
    nlp_kills_failed: list[str] = field(default_factory=list)
    nlp_restarts_reported: float | None = None
    broker_paused_s: float = 0.0
    second_worker: str = "not run"
    left_behind: list[str] = field(default_factory=list)
    timeline: list[str] = field(default_factory=list)
    work_dir: str = ""
    error: str | None = None

    def failures(self) -> list[str]:
        found = []
        if self.error:
            found.append(f"run did not complete: {self.error}")
        if self.missing:
            found.append(f"{len(self.missing)} good article(s) never enriched")
        if self.unexpected:
            found.append(f"{len(self.unexpected)} enriched id(s) that were never sent")
        if self.differing_repeats:
            found.append(f"{len(self.differing_repeats)} repeated output(s) differ from the first")
        if self.poison_missing:
            found.append(f"{len(self.poison_missing)} poison record(s) not in the DLQ as sent")
        if self.poison_wrong_reason:
            found.append(f"{len(self.poison_wrong_reason)} poison record(s) with the wrong reason")
        if self.dlq_unexpected:
            found.append(f"{self.dlq_unexpected} dead letter(s) that are not poison")
        if self.nlp_kills_failed:
            found.append(f"{len(self.nlp_kills_failed)} NLP kill(s) not survived in place")
        if self.worker_kills < self.config.worker_kills:
            found.append(f"only {self.worker_kills} of {self.config.worker_kills} worker kills")
        if len(self.nlp_kills) < self.config.nlp_kills:
            found.append(f"only {len(self.nlp_kills)} of {self.config.nlp_kills} NLP kills")
        if self.config.broker_pause_s and not self.broker_paused_s:
            found.append("the broker was never paused")
        if self.config.second_worker and not self.second_worker.startswith("joined"):
            found.append(f"second worker: {self.second_worker}")
        if self.left_behind:
            found.append(f"{len(self.left_behind)} process(es) left behind")
        return found

    @property
    def passed(self) -> bool:
        return not self.failures()

    def summary(self) -> str:
        c = self.config
        lines = [
            "--- chaos summary ---",
            f"seed {self.seed}; {self.elapsed_s:.0f}s; store {c.store}; work dir {self.work_dir}",
            f"input            {self.good} articles + {self.poison} poison records "
            f"on {c.partitions} partitions",
            f"worker kills     {self.worker_kills} (SIGKILL; {self.kills_before_ready} "
            "before the restarted worker was ready)",
            f"NLP kills        {len(self.nlp_kills)}: " + ("; ".join(self.nlp_kills) or "none"),
            f"NLP restarts     {self.nlp_restarts_reported or 0:.0f} counted by "
            "parley_nlp_process_restarts_total on the workers hit",
            f"broker paused    {self.broker_paused_s:.0f}s (SIGSTOP)",
            f"second worker    {self.second_worker}",
            f"unplanned exits  {len(self.unplanned_exits)}"
            + (": " + "; ".join(self.unplanned_exits) if self.unplanned_exits else ""),
            f"enriched         {self.enriched_distinct} distinct of {self.good} "
            f"({self.enriched_records} records, {self.repeats} repeats)",
            f"events, alerts   {self.events}, {self.alerts} records",
            f"dead letters     {self.dead_letters} ({self.poison} poison sent)",
            f"left behind      {len(self.left_behind)} process(es)"
            + (": " + "; ".join(self.left_behind) if self.left_behind else ""),
        ]
        for label, ok in [
            ("every good article enriched", not self.missing and not self.unexpected),
            ("every repeat identical to the first copy", not self.differing_repeats),
            (
                "every poison record in the DLQ as sent, with its reason",
                not (self.poison_missing or self.poison_wrong_reason or self.dlq_unexpected),
            ),
            ("every NLP kill survived in place", not self.nlp_kills_failed),
            ("no process left behind", not self.left_behind),
        ]:
            lines.append(f"{'PASS' if ok else 'FAIL'}  {label}")
        for failure in self.failures():
            lines.append(f"FAIL  {failure}")
        for difference in self.differing_repeats[:10]:
            lines.append(f"      {difference}")
        lines.append("PASS" if self.passed else "FAIL")
        return "\n".join(lines)


# ------------------------------------------------------------------ comparison
def _without_times(kind: str, value: bytes) -> Any:
    """A payload minus the wall-clock stamps that say when, not what."""
    data = json.loads(value)
    if kind == "enriched":
        data.pop("enriched_at", None)
        data.get("article", {}).pop("ingested_at", None)
    elif kind == "alerts":
        data.pop("raised_at", None)
    return data


def _headers_without_times(record: Record) -> list[tuple[str, bytes]]:
    return sorted(h for h in record.headers if h[0] != "ce_time")


def first_difference(a: Any, b: Any, path: str = "") -> str | None:
    """Where two decoded payloads first differ, as ``path: a != b``; None if equal."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            found = first_difference(a.get(key), b.get(key), f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for index, (x, y) in enumerate(zip(a, b, strict=True)):
            found = first_difference(x, y, f"{path}[{index}]")
            if found:
                return found
        return None
    return None if a == b else f"{path or 'value'}: {str(a)[:80]} != {str(b)[:80]}"


def differing_repeats(kind: str, records: list[Record]) -> tuple[int, list[str]]:
    """(repeats, "kind:id (where)" for each id whose repeats differ) for one output topic."""
    by_id: dict[str, list[Record]] = defaultdict(list)
    for record in records:
        by_id[record.header("ce_id") or ""].append(record)
    repeats = 0
    differ = []
    for ce_id, copies in by_id.items():
        repeats += len(copies) - 1
        first = copies[0]
        for copy in copies[1:]:
            where = None
            if copy.key != first.key:
                where = f"key: {first.key!r} != {copy.key!r}"
            elif _headers_without_times(copy) != _headers_without_times(first):
                where = "headers"
            else:
                where = first_difference(
                    _without_times(kind, first.value), _without_times(kind, copy.value)
                )
            if where:
                differ.append(f"{kind}:{ce_id} ({where})")
                break
    return repeats, differ


# ------------------------------------------------------------------ processes
def processes_of_run(run: str) -> list[psutil.Process]:
    """Live processes whose environment carries this run's marker."""
    found = []
    for process in psutil.process_iter(["pid"]):
        if process.pid == os.getpid():
            continue
        try:
            if process.environ().get(MARKER) == run and process.status() != psutil.STATUS_ZOMBIE:
                found.append(process)
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            continue
    return found


def describe(process: psutil.Process) -> str:
    try:
        return f"pid {process.pid} {' '.join(process.cmdline())[:80]}"
    except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
        return f"pid {process.pid}"


# ------------------------------------------------------------------ the run
class ChaosRun:
    def __init__(self, config: ChaosConfig, say: Callable[[str], None] = print) -> None:
        self.config = config
        self.seed = config.seed if config.seed is not None else random.randrange(2**31)
        self.random = random.Random(self.seed)
        self.say = say
        self.run = uuid.uuid4().hex[:8]
        self.kill_marker = f"nlp-poison-{self.run}"
        self.report = ChaosReport(config=config, seed=self.seed)
        self.started = time.monotonic()
        self.broker: EmbeddedBroker | None = None
        self.main: WorkerProcess | None = None
        self.second: WorkerProcess | None = None
        self.starts: Counter[str] = Counter()
        self.work_dir: Path | None = None
        self.watermarks: Any = None
        self.restart_at: float | None = None
        self.resume_at: float | None = None
        self.paused_at = 0.0
        self.main_ready = False
        self.second_ready = False
        self.second_started = 0.0
        self.second_leave_at: float | None = None
        self.second_enriched = 0.0
        # The second worker leaves once it has done a real share of the work.
        self.second_share = max(10, config.articles // 50)
        self.nlp_checks: list[NlpCheck] = []
        self.followed: set[int] = set()
        self.kills_done = 0
        self.early_kill_at: float | None = None
        self.done = 0  # enriched records on the broker, as last seen
        self.ready_done = 0  # ... when the current main worker became ready
        self.ready_at = 0.0
        self.topics = {
            name: f"chaos-{self.run}.{name}"
            for name in ("raw", "enriched", "events", "alerts", "dlq", "unsupported")
        }

    # -- helpers ---------------------------------------------------------
    def note(self, message: str) -> None:
        line = f"{time.monotonic() - self.started:7.1f}s  {message}"
        self.report.timeline.append(line)
        self.say(line)

    def env(self, slot: str, processes: int) -> dict[str, str]:
        # Imported here: workers.pool loads the NLP core, which the driver itself never needs.
        from workers.pool import TEST_KILL_MARKER_ENV

        assert self.work_dir is not None
        return {
            MARKER: self.run,
            "PARLEY_APP_ID": f"parley-chaos-{self.run}",
            "PARLEY_RAW_TOPICS": self.topics["raw"],
            "PARLEY_ENRICHED_TOPIC": self.topics["enriched"],
            "PARLEY_EVENTS_TOPIC": self.topics["events"],
            "PARLEY_ALERTS_TOPIC": self.topics["alerts"],
            "PARLEY_DLQ_TOPIC": self.topics["dlq"],
            "PARLEY_UNSUPPORTED_TOPIC": self.topics["unsupported"],
            "PARLEY_PARTITIONS": str(self.config.partitions),
            "PARLEY_PROCESSES": str(processes),
            "PARLEY_BATCH_SIZE": str(self.config.batch_size),
            "PARLEY_STORE": self.config.store,
            # One data directory per worker slot: two RocksDB stores cannot share one.
            "PARLEY_DATA_DIR": str(self.work_dir / f"data-{slot}"),
            "PARLEY_LOG_LEVEL": "INFO",
            **({TEST_KILL_MARKER_ENV: self.kill_marker} if self.config.process_killers else {}),
            **self.config.worker_env,
        }

    def start(self, slot: str, processes: int) -> WorkerProcess:
        assert self.broker is not None and self.work_dir is not None
        number = self.starts[slot]
        self.starts[slot] += 1
        log_path = self.work_dir / f"worker-{slot}-{number}.log"
        return start_worker(
            self.broker.bootstrap, self.env(slot, processes), log_path, name=f"{slot}{number}"
        )

    def progress(self) -> int:
        """Enriched records on the broker so far (repeats included; -1 if it does not answer)."""
        from confluent_kafka import TopicPartition

        consumer = self.watermarks
        if consumer is None:
            return -1
        total = 0
        try:
            for partition in range(self.config.partitions):
                _low, high = consumer.get_watermark_offsets(
                    TopicPartition(self.topics["enriched"], partition), timeout=1.0
                )
                total += max(high, 0)
        except Exception:  # noqa: BLE001 - a paused broker does not answer
            return -1
        return total

    # -- the run ---------------------------------------------------------
    def execute(self) -> ChaosReport:
        config = self.config
        with tempfile.TemporaryDirectory(prefix="parley-chaos-") as tmp:
            self.work_dir = config.work_dir or Path(tmp)
            self.work_dir.mkdir(parents=True, exist_ok=True)
            self.report.work_dir = str(self.work_dir)
            try:
                self._run()
            except Exception as exc:  # noqa: BLE001 - reported, never silently passed
                self.report.error = f"{type(exc).__name__}: {exc}"
                self.note(f"error: {self.report.error}")
            finally:
                self._teardown()
            self.report.elapsed_s = time.monotonic() - self.started
        return self.report

    def _inputs(self) -> tuple[list[bytes], set[str], dict[bytes, Poison]]:
        config = self.config
        published = every_six_hours(datetime(2019, 1, 1, 9, tzinfo=UTC))
        good = [
            # Dates cycle after 8,000 articles (about 5.5 years) to stay in the past.
            article(
                self.run, i, config.filler, published=published(i % 8000), host="chaos.example.org"
            )
            for i in range(config.articles)
        ]
        expected = {a.article_id for value in good for a in parse_record(value)}
        count = round(config.articles * config.poison_fraction)
        pills = [
            process_killer(self.run, i, self.kill_marker)
            if config.process_killers and i % 6 == 5
            else poison(self.run, i)
            for i in range(count)
        ]
        records = list(good)
        for pill in pills:
            records.insert(self.random.randrange(len(records) + 1), pill.value)
        return records, expected, {p.value: p for p in pills}

    def _schedule(self) -> list[tuple[float, str]]:
        config = self.config
        r = self.random
        # About one kill in five hits a restarted worker during its start (0.5 to 8 s
        # after it was launched: joining the group, recovering tables, loading the
        # model); the others hit a worker that is up and working.
        early = round(config.worker_kills * 0.2)
        regular = config.worker_kills - early
        self.followed = set(r.sample(range(regular), early)) if regular else set()
        plan = [(r.uniform(0.03, 0.95), "kill") for _ in range(regular)]
        plan += [(r.uniform(0.05, 0.7), "nlp") for _ in range(config.nlp_kills)]
        if config.broker_pause_s:
            plan.append((r.uniform(0.2, 0.8), "pause"))
        if config.second_worker:
            plan.append((r.uniform(0.1, 0.6), "join"))
        return sorted(plan)

    def _run(self) -> None:
        import asyncio

        from confluent_kafka import Consumer, Producer

        config = self.config
        assert self.work_dir is not None
        self.broker = EmbeddedBroker(log_path=self.work_dir / "tansu.log").start()
        bootstrap = self.broker.bootstrap
        asyncio.run(ensure_topics(bootstrap, list(self.topics.values()), config.partitions))
        self.watermarks = Consumer(
            {"bootstrap.servers": bootstrap, "group.id": f"chaos-watch-{self.run}"},
            logger=QUIET,
        )
        records, expected, pills = self._inputs()
        self.report.good, self.report.poison = len(expected), len(pills)
        self.note(
            f"run {self.run}, seed {self.seed}: {len(expected)} articles, {len(pills)} poison, "
            f"broker {bootstrap} (pid {self.broker.pid})"
        )
        self.main = self.start("a", config.processes)
        if not self.main.wait_ready():
            raise RuntimeError(f"the first worker never became ready:\n{self.main.log()}")
        self.note(f"worker {self.main.name} ready (pid {self.main.pid})")

        producer = Producer(
            {"bootstrap.servers": bootstrap, "message.max.bytes": 16_000_000}, logger=QUIET
        )
        plan = self._schedule()
        sent = 0
        lead = max(50, len(records) // 8)  # records produced ahead of progress
        tail = lead  # held back until the last fault
        span = len(records) - tail  # faults are placed over the outputs before the tail
        deadline = time.monotonic() + config.timeout_s
        self.main_ready = True
        done = 0
        count_at, counted, stalled_since = 0.0, 0, time.monotonic()
        next_status = time.monotonic() + 30
        while time.monotonic() < deadline:
            outputs = self.progress()
            if outputs >= 0:
                done = self.done = outputs
            # The last records wait until every fault is done, so each fault (and the
            # check of an NLP kill, which needs work after it) lands mid-stream.
            allowed = len(records) if not plan else len(records) - tail
            while sent < allowed and sent < done + lead and self.resume_at is None:
                producer.produce(self.topics["raw"], value=records[sent])
                sent += 1
            producer.poll(0)
            self._watch_workers()
            if self.early_kill_at is not None and time.monotonic() >= self.early_kill_at:
                self.early_kill_at = None
                self._kill_main()
            elif plan and done >= plan[0][0] * span and self._can_act(plan[0][1]):
                _, action = plan.pop(0)
                time.sleep(self.random.uniform(0, 2.0))
                self._act(action)
            now = time.monotonic()
            if not plan and sent == len(records) and self._settled() and now >= count_at:
                # End offsets only hint at progress: the embedded broker reports a batch's
                # base offset + 1, short of a multi-record batch's tail. Count what is there.
                assert self.broker is not None
                enriched = read_topic(self.broker.bootstrap, self.topics["enriched"], settle_s=0.5)
                have = len(expected & {r.header("ce_id") for r in enriched})
                if have == len(expected):
                    break
                if have > counted:
                    counted, stalled_since = have, now
                elif now - stalled_since > STALL_S:
                    self.note(f"no new article for {STALL_S:.0f}s; counting what came out")
                    break
                count_at = now + 5
            if time.monotonic() >= next_status:
                next_status = time.monotonic() + 30
                upcoming = f"{plan[0][1]} at {plan[0][0] * span:.0f}" if plan else "none"
                self.note(
                    f"status: {done} enriched records of {len(expected)} articles, "
                    f"{sent}/{len(records)} sent, next fault {upcoming}, worker {self.main.name} "
                    f"{'ready' if self.main_ready else 'starting'}, "
                    f"lag {self.main.metrics().get('parley_consumer_lag_records')}"
                )
            time.sleep(0.2)
        else:
            raise TimeoutError(f"faults not done after {config.timeout_s:.0f}s: {plan}")
        if producer.flush(60) != 0:
            raise RuntimeError("the input producer could not deliver every record")
        self.note(f"faults done; produced {sent} records; waiting for every output")
        self._verify(expected, pills, deadline)

    def _can_act(self, action: str) -> bool:
        if self.resume_at is not None:  # nothing else while the broker is stopped
            return False
        if self.nlp_checks:  # an NLP kill is judged on the worker it hit: leave it be
            return False
        if action == "nlp":
            return (
                self.main is not None
                and self.main.alive()
                and self.main_ready
                and len(self.main.nlp_processes()) >= 1
            )
        if action in ("pause", "join"):
            return self.main is not None and self.main_ready
        # A kill in the stream waits until the restarted worker has done some work
        # (or has been up for a while: near the end there may be little left to do).
        return self.main_ready and (
            self.done >= self.ready_done + self.config.batch_size
            or time.monotonic() - self.ready_at > 15
        )

    def _settled(self) -> bool:
        return (
            self.resume_at is None
            and self.second is None
            and self.main is not None
            and self.main.alive()
            and self.main_ready
            and not self.nlp_checks
            and self.early_kill_at is None
        )

    def _act(self, action: str) -> None:
        assert self.main is not None and self.broker is not None
        if action == "kill":
            self._kill_main()
            if self.kills_done in self.followed:
                self.early_kill_at = time.monotonic() + self.random.uniform(0.5, 8.0)
            self.kills_done += 1
        elif action == "nlp":
            before = self.main.metrics()
            victim = self.random.choice(self.main.nlp_processes())
            victim.send_signal(signal.SIGKILL)
            self.report.nlp_kills.append(f"pid {victim.pid} of worker pid {self.main.pid}")
            self.nlp_checks.append(
                NlpCheck(
                    due=time.monotonic() + NLP_REPLACE_S,
                    worker=self.main,
                    victim=victim.pid,
                    restarts=before.get("parley_nlp_process_restarts_total", 0.0),
                    enriched=before.get("parley_articles_enriched_total", 0.0),
                )
            )
            self.note(f"kill -9 NLP process {victim.pid} of worker {self.main.name}")
        elif action == "pause":
            assert self.broker.pid is not None
            os.kill(self.broker.pid, signal.SIGSTOP)
            self.paused_at = time.monotonic()
            self.resume_at = self.paused_at + self.config.broker_pause_s
            self.note(f"SIGSTOP broker for {self.config.broker_pause_s:.0f}s")
        elif action == "join":
            self.second = self.start("b", 1)
            self.second_started = time.monotonic()
            self.second_ready = False
            self.report.second_worker = "started"
            self.note(f"second worker {self.second.name} starting (pid {self.second.pid})")

    def _judge(self, check: NlpCheck, now: float) -> str | None:
        """None: not decided yet; "": survived in place; else what went wrong."""
        worker = check.worker
        if self.main is not worker or not worker.alive():
            return f"worker {worker.name} (pid {worker.pid}) did not survive the NLP kill"
        pids = [p.pid for p in worker.nlp_processes()]
        values = worker.metrics()
        restarts = values.get("parley_nlp_process_restarts_total", 0.0) - check.restarts
        enriched = values.get("parley_articles_enriched_total", 0.0) - check.enriched
        replaced = len(pids) == self.config.processes and check.victim not in pids
        # More than could have been in flight at the kill: the replacement works.
        in_flight = 2 * self.config.batch_size * max(self.config.processes, 1)
        if replaced and restarts >= 1 and enriched > in_flight:
            self.report.nlp_restarts_reported = (self.report.nlp_restarts_reported or 0) + restarts
            return ""
        if now < check.due:
            return None
        return (
            f"worker {worker.name}: {len(pids)} of {self.config.processes} NLP processes, "
            f"{restarts:.0f} restart(s) counted, {enriched:.0f} enriched "
            f"{NLP_REPLACE_S:.0f}s after the kill"
        )

    def _kill_main(self) -> None:
        assert self.main is not None
        ready = self.main_ready
        self.main.stop(signal.SIGKILL)
        self.report.worker_kills += 1
        if not ready:
            self.report.kills_before_ready += 1
        self.note(
            f"kill -9 worker {self.main.name} (pid {self.main.pid}"
            f"{', not yet ready' if not ready else ''})"
        )
        self._restart_main()

    def _restart_main(self) -> None:
        self.main = self.start("a", self.config.processes)
        self.main_ready = False
        self.note(f"worker {self.main.name} starting (pid {self.main.pid})")

    def _watch_workers(self) -> None:
        now = time.monotonic()
        if self.resume_at is not None and now >= self.resume_at:
            assert self.broker is not None and self.broker.pid is not None
            os.kill(self.broker.pid, signal.SIGCONT)
            self.report.broker_paused_s = now - self.paused_at
            self.resume_at = None
            self.note("SIGCONT broker")
        main = self.main
        if main is not None:
            if not main.alive():
                code = main.process.returncode
                self.report.unplanned_exits.append(f"worker {main.name} exited {code}")
                self.note(f"worker {main.name} exited on its own ({code}); restarting")
                self._restart_main()
            elif not self.main_ready and main.ready():
                self.main_ready = True
                self.ready_done, self.ready_at = self.done, time.monotonic()
                self.note(f"worker {main.name} ready (pid {main.pid})")
        for check in list(self.nlp_checks):
            verdict = self._judge(check, now)
            if verdict is None:
                continue
            self.nlp_checks.remove(check)
            if verdict:
                self.report.nlp_kills_failed.append(verdict)
            else:
                self.note(f"worker {check.worker.name} replaced NLP process {check.victim}")
        second = self.second
        if second is not None:
            if not second.alive() and self.second_leave_at is None:
                self.report.second_worker = f"exited on its own ({second.process.returncode})"
                self.note(f"second worker {second.name} {self.report.second_worker}")
                self.second = None
            elif not self.second_ready and second.ready():
                self.second_ready = True
                self.note(f"second worker {second.name} ready: holds partitions")
            elif self.second_ready and self.second_leave_at is None:
                enriched = second.metrics().get("parley_articles_enriched_total", 0.0)
                up = now - self.second_started
                if (enriched >= self.second_share and up > 20) or up > 120:
                    second.send(signal.SIGTERM)
                    self.second_leave_at = now
                    self.second_enriched = enriched
                    self.note(f"second worker {second.name} leaving (SIGTERM)")
            elif self.second_leave_at is not None and not second.alive():
                code = second.process.returncode
                self.report.second_worker = (
                    f"joined, enriched {self.second_enriched:.0f}, left with exit {code}"
                )
                if code != 0:
                    self.report.unplanned_exits.append(f"second worker exited {code} on SIGTERM")
                self.note(f"second worker {second.name} gone ({code})")
                self.second = None
            elif self.second_leave_at is not None and now - self.second_leave_at > 90:
                second.stop(signal.SIGKILL)
                self.report.unplanned_exits.append("second worker ignored SIGTERM for 90s")

    def _verify(self, expected: set[str], pills: dict[bytes, Poison], deadline: float) -> None:
        assert self.broker is not None
        bootstrap = self.broker.bootstrap
        report = self.report
        last_missing, since = len(expected) + len(pills) + 1, time.monotonic()
        while True:
            self._watch_workers()
            enriched = read_topic(bootstrap, self.topics["enriched"])
            ids = Counter(r.header("ce_id") or "" for r in enriched)
            dead = read_topic(bootstrap, self.topics["dlq"])
            missing = expected - set(ids)
            poison_missing = set(pills) - {r.value for r in dead}
            if not missing and not poison_missing:
                break
            if time.monotonic() > deadline or len(missing) + len(poison_missing) >= last_missing:
                if time.monotonic() > deadline or time.monotonic() - since > STALL_S:
                    break
            else:
                last_missing, since = len(missing) + len(poison_missing), time.monotonic()
            self.note(f"waiting: {len(missing)} article(s), {len(poison_missing)} poison to go")
            time.sleep(10)
        # Let the last commits and outputs land, then read everything for the checks.
        time.sleep(3)
        enriched = read_topic(bootstrap, self.topics["enriched"])
        events = read_topic(bootstrap, self.topics["events"])
        alerts = read_topic(bootstrap, self.topics["alerts"])
        dead = read_topic(bootstrap, self.topics["dlq"])
        ids = Counter(r.header("ce_id") or "" for r in enriched)
        report.enriched_records = len(enriched)
        report.enriched_distinct = len(ids)
        report.missing = sorted(expected - set(ids))
        report.unexpected = sorted(set(ids) - expected)
        report.events, report.alerts, report.dead_letters = len(events), len(alerts), len(dead)
        repeats = 0
        for kind, records in (("enriched", enriched), ("events", events), ("alerts", alerts)):
            count, differ = differing_repeats(kind, records)
            repeats += count if kind == "enriched" else 0
            report.differing_repeats += differ
        report.repeats = repeats
        by_value: dict[bytes, list[Record]] = defaultdict(list)
        for record in dead:
            by_value[record.value].append(record)
        for value, pill in pills.items():
            copies = by_value.get(value)
            if not copies:
                report.poison_missing.append(value[:60].decode("latin-1"))
                continue
            for record in copies:
                got = (record.header("parley.error.stage"), record.header("parley.error.reason"))
                if (
                    got != (pill.stage, pill.reason)
                    or record.header("parley.error.topic") != (self.topics["raw"])
                ):
                    report.poison_wrong_reason.append(f"{value[:40]!r}: {got}")
        report.dlq_unexpected = sum(len(v) for k, v in by_value.items() if k not in pills)
        self.note(
            f"read back: {len(enriched)} enriched, {len(events)} events, {len(alerts)} alerts, "
            f"{len(dead)} dead letters"
        )

    def _teardown(self) -> None:
        for worker in (self.second, self.main):
            if worker is not None and worker.alive():
                code = worker.stop(signal.SIGTERM, timeout_s=60)
                self.note(f"worker {worker.name} stopped ({code})")
        watermarks = getattr(self, "watermarks", None)
        if watermarks is not None:
            watermarks.close()
        broker_pid = self.broker.pid if self.broker is not None else None
        if self.broker is not None:
            if broker_pid is not None:
                try:
                    os.kill(broker_pid, signal.SIGCONT)
                except ProcessLookupError:
                    pass
            self.broker.stop()
        # NLP processes notice their worker's death within a second or two.
        deadline = time.monotonic() + 15
        left = processes_of_run(self.run)
        while left and time.monotonic() < deadline:
            time.sleep(0.5)
            left = processes_of_run(self.run)
        if broker_pid is not None and psutil.pid_exists(broker_pid):
            try:
                if psutil.Process(broker_pid).status() != psutil.STATUS_ZOMBIE:
                    left.append(psutil.Process(broker_pid))
            except psutil.NoSuchProcess:
                pass
        self.report.left_behind = [describe(p) for p in left]
        for process in left:  # do not leave them running after reporting them
            try:
                process.kill()
            except psutil.NoSuchProcess:
                pass


def run_chaos(config: ChaosConfig, say: Callable[[str], None] = print) -> ChaosReport:
    """One chaos run; the report says what happened and whether anything was lost."""
    return ChaosRun(config, say).execute()
