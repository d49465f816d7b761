"""Broker integration fixtures: a real Tansu broker over a socket, real worker
processes (``parley run``), and confluent-kafka (librdkafka) as the
independent client that produces inputs and reads outputs.
"""

from __future__ import annotations

import signal
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from confluent_kafka import Consumer, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

from workers.broker import EmbeddedBroker, free_port, start_worker_process
from workers.harness import Record, WorkerProcess

pytestmark = pytest.mark.broker

PARTITIONS = 2


@pytest.fixture(scope="session")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedBroker]:
    log = tmp_path_factory.mktemp("broker") / "tansu.log"
    with EmbeddedBroker(log_path=log) as running:
        yield running


@dataclass
class Topics:
    """Per-test topic names, so tests sharing one broker never see each other."""

    prefix: str
    raw: str = ""
    enriched: str = ""
    events: str = ""
    alerts: str = ""
    dlq: str = ""
    unsupported: str = ""

    def __post_init__(self) -> None:
        for name in ("raw", "enriched", "events", "alerts", "dlq", "unsupported"):
            setattr(self, name, f"{self.prefix}.{name}")

    def env(self) -> dict[str, str]:
        return {
            "PARLEY_RAW_TOPICS": self.raw,
            "PARLEY_ENRICHED_TOPIC": self.enriched,
            "PARLEY_EVENTS_TOPIC": self.events,
            "PARLEY_ALERTS_TOPIC": self.alerts,
            "PARLEY_DLQ_TOPIC": self.dlq,
            "PARLEY_UNSUPPORTED_TOPIC": self.unsupported,
        }

    def all(self) -> list[str]:
        return [self.raw, self.enriched, self.events, self.alerts, self.dlq, self.unsupported]


class Worker(WorkerProcess):
    """A worker process of one test (``workers.harness``), failing the test if never ready."""

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def wait_ready(self, timeout_s: float = 90.0) -> bool:
        if not super().wait_ready(timeout_s):
            if not self.alive():
                raise AssertionError(f"worker exited ({self.process.returncode}):\n{self.log()}")
            raise AssertionError(f"worker not ready after {timeout_s}s:\n{self.log()}")
        return True


@dataclass
class Stack:
    """One test's view of the broker: its topics, its workers, its clients."""

    bootstrap: str
    topics: Topics
    tmp: Path
    app_id: str
    workers: list[Worker] = field(default_factory=list)
    extra_env: dict[str, str] = field(default_factory=dict)

    def create_topics(self) -> None:
        admin = AdminClient({"bootstrap.servers": self.bootstrap})
        futures = admin.create_topics(
            [
                NewTopic(t, num_partitions=PARTITIONS, replication_factor=1)
                for t in self.topics.all()
            ]
        )
        for future in futures.values():
            future.result(timeout=30)

    def start_worker(self, wait: bool = True, **env: str) -> Worker:
        port = free_port()
        log_path = self.tmp / f"worker-{len(self.workers)}.log"
        process = start_worker_process(
            self.bootstrap,
            port,
            log_path,
            ("run",),
            PARLEY_APP_ID=self.app_id,
            PARLEY_WEB_HOST="127.0.0.1",
            PARLEY_PARTITIONS=str(PARTITIONS),
            PARLEY_PROCESSES="1",
            PARLEY_DATA_DIR=str(self.tmp / "data"),
            PARLEY_LOG_LEVEL="INFO",
            **self.topics.env(),
            **self.extra_env,
            **env,
        )
        worker = Worker(process, port, log_path)
        self.workers.append(worker)
        if wait:
            worker.wait_ready()
        return worker

    def producer(self) -> Producer:
        return Producer({"bootstrap.servers": self.bootstrap, "message.max.bytes": 16_000_000})

    def produce(
        self,
        values: list[bytes],
        headers: list[tuple[str, bytes]] | None = None,
        keys: list[bytes | None] | None = None,
    ) -> None:
        producer = self.producer()
        for i, value in enumerate(values):
            producer.produce(
                self.topics.raw, value=value, key=keys[i] if keys else None, headers=headers or []
            )
            producer.poll(0)
        assert producer.flush(30) == 0, "producer could not deliver every record"

    def reader(self, topic: str) -> Consumer:
        """A confluent-kafka consumer of every partition of ``topic``, from offset 0."""
        consumer = Consumer(
            {
                "bootstrap.servers": self.bootstrap,
                "group.id": f"reader-{uuid.uuid4().hex[:8]}",
                "enable.auto.commit": False,
            }
        )
        consumer.assign([TopicPartition(topic, p, 0) for p in range(PARTITIONS)])
        return consumer

    def consume(
        self,
        topic: str,
        until: Callable[[list[Record]], bool],
        timeout_s: float = 90.0,
    ) -> list[Record]:
        """Read a topic from the start with an independent client until ``until`` holds."""
        consumer = self.reader(topic)
        try:
            records: list[Record] = []
            deadline = time.monotonic() + timeout_s
            while time.monotonic() < deadline:
                message = consumer.poll(0.5)
                if message is not None and message.error() is None:
                    records.append(Record.from_message(message))
                if until(records):
                    return records
                for worker in self.workers:
                    if worker.process.poll() not in (None, 0, -signal.SIGTERM, -signal.SIGKILL):
                        raise AssertionError(f"worker died:\n{worker.log()}")
            raise AssertionError(
                f"{topic}: condition not met after {timeout_s}s with {len(records)} record(s)\n"
                + "\n".join(w.log() for w in self.workers[-1:])
            )
        finally:
            consumer.close()

    def drain(self, topic: str, settle_s: float = 3.0) -> list[Record]:
        """Everything on a topic now (reads until nothing new for ``settle_s``)."""
        consumer = self.reader(topic)
        try:
            records: list[Record] = []
            quiet_since = time.monotonic()
            while time.monotonic() - quiet_since < settle_s:
                message = consumer.poll(0.3)
                if message is not None and message.error() is None:
                    records.append(Record.from_message(message))
                    quiet_since = time.monotonic()
            return records
        finally:
            consumer.close()


def _make_stack(broker: EmbeddedBroker, tmp: Path) -> Stack:
    prefix = f"t{uuid.uuid4().hex[:8]}"
    running = Stack(
        bootstrap=broker.bootstrap, topics=Topics(prefix), tmp=tmp, app_id=f"parley-{prefix}"
    )
    running.create_topics()
    return running


def _stop_all(running: Stack) -> None:
    for worker in running.workers:
        worker.stop(signal.SIGKILL, timeout_s=10)


@pytest.fixture
def stack(broker: EmbeddedBroker, tmp_path: Path) -> Iterator[Stack]:
    running = _make_stack(broker, tmp_path)
    try:
        yield running
    finally:
        _stop_all(running)


@pytest.fixture(scope="module")
def module_stack(
    broker: EmbeddedBroker, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Stack]:
    """One stack shared by a module's tests (a worker start costs seconds)."""
    running = _make_stack(broker, tmp_path_factory.mktemp("stack"))
    try:
        yield running
    finally:
        _stop_all(running)
