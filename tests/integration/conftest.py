"""Broker integration fixtures: a real Tansu broker over a socket, real worker
processes (``parley run``), and confluent-kafka (librdkafka) as the
independent client that produces inputs and reads outputs.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from confluent_kafka import Consumer, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

from workers.broker import EmbeddedBroker, free_port, tansu_worker_env

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


@dataclass
class Worker:
    process: subprocess.Popen[bytes]
    port: int
    log_path: Path

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def get(self, path: str, timeout: float = 5.0) -> tuple[int, bytes]:
        try:
            with urllib.request.urlopen(self.url(path), timeout=timeout) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    def ready(self) -> bool:
        try:
            status, _ = self.get("/readyz", timeout=2.0)
        except OSError:
            return False
        return status == 200

    def wait_ready(self, timeout_s: float = 90.0) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"worker exited ({self.process.returncode}):\n{self.log()}")
            if self.ready():
                return
            time.sleep(0.25)
        raise AssertionError(f"worker not ready after {timeout_s}s:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-6000:]

    def stop(self, sig: int = signal.SIGTERM, timeout_s: float = 30.0) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout_s)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


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
        environment = {
            **os.environ,
            "PARLEY_BROKER": self.bootstrap,
            "PARLEY_APP_ID": self.app_id,
            "PARLEY_WEB_PORT": str(port),
            "PARLEY_WEB_HOST": "127.0.0.1",
            "PARLEY_PARTITIONS": str(PARTITIONS),
            "PARLEY_PROCESSES": "1",
            "PARLEY_DATA_DIR": str(self.tmp / "data"),
            "PARLEY_LOG_LEVEL": "INFO",
            **tansu_worker_env(),
            **self.topics.env(),
            **self.extra_env,
            **env,
        }
        with open(log_path, "ab") as log_file:
            process = subprocess.Popen(
                [sys.executable, "-m", "workers.cli", "run"],
                env=environment,
                stdout=log_file,
                stderr=subprocess.STDOUT,
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


@dataclass
class Record:
    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes
    headers: list[tuple[str, bytes]]

    @classmethod
    def from_message(cls, message: Any) -> Record:
        return cls(
            topic=message.topic(),
            partition=message.partition(),
            offset=message.offset(),
            key=message.key(),
            value=message.value() or b"",
            headers=[(k, v or b"") for k, v in (message.headers() or [])],
        )

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key == name:
                return value.decode()
        return None

    def json(self) -> Any:
        return json.loads(self.value)


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
