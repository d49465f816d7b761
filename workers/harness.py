"""Drive real ``parley run`` worker processes from outside: for the soak and chaos runs.

A worker here is a child process started exactly as in production
(``python -m workers.cli run`` with ``PARLEY_*`` variables), watched through
its own endpoints (``/readyz``, ``/metrics``) and through the process table
(its NLP processes, their memory). Outputs are read back with an independent
client, confluent-kafka (librdkafka, not the aiokafka the worker uses); it is
a test dependency, imported only where a topic is read.
"""

from __future__ import annotations

import json
import signal
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil

from workers.broker import free_port, start_worker_process


def is_nlp_process(process: psutil.Process) -> bool:
    """A pool process: spawned by multiprocessing, not its resource tracker."""
    try:
        command = " ".join(process.cmdline())
    except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
        return False
    return "multiprocessing" in command and "resource_tracker" not in command


def parse_metrics(text: str) -> dict[str, float]:
    """Prometheus text exposition -> metric name -> sum over its series."""
    totals: dict[str, float] = {}
    for line in text.splitlines():
        if line.startswith("#") or " " not in line:
            continue
        name_labels, value = line.rsplit(" ", 1)
        name = name_labels.split("{", 1)[0]
        totals[name] = totals.get(name, 0.0) + float(value)
    return totals


@dataclass
class WorkerProcess:
    process: subprocess.Popen[bytes]
    port: int
    log_path: Path
    name: str = "worker"

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        return self.process.poll() is None

    def get(self, path: str, timeout: float = 5.0) -> tuple[int, bytes]:
        url = f"http://127.0.0.1:{self.port}{path}"
        try:
            with urllib.request.urlopen(url, timeout=timeout) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    def ready(self) -> bool:
        try:
            return self.get("/readyz", timeout=2.0)[0] == 200
        except OSError:
            return False

    def wait_ready(self, timeout_s: float = 180.0) -> bool:
        """True once ready; False if the process exited or the time ran out."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if not self.alive():
                return False
            if self.ready():
                return True
            time.sleep(0.25)
        return False

    def metrics(self) -> dict[str, float]:
        """Every metric, summed over its series; empty when the worker does not answer."""
        try:
            status, body = self.get("/metrics", timeout=5.0)
        except OSError:
            return {}
        return parse_metrics(body.decode()) if status == 200 else {}

    def nlp_processes(self) -> list[psutil.Process]:
        try:
            children = psutil.Process(self.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            return []
        return sorted((c for c in children if is_nlp_process(c)), key=lambda p: p.pid)

    def rss_mb(self) -> dict[str, float]:
        """Resident memory per process: ``worker`` and ``nlp-1``, ``nlp-2``... by pid order."""
        roles: dict[str, float] = {}
        try:
            roles["worker"] = psutil.Process(self.pid).memory_info().rss / 2**20
        except psutil.NoSuchProcess:
            return roles
        for number, child in enumerate(self.nlp_processes(), start=1):
            try:
                roles[f"nlp-{number}"] = child.memory_info().rss / 2**20
            except psutil.NoSuchProcess:
                pass
        return roles

    def log(self, chars: int = 6000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    def send(self, signum: int) -> None:
        if self.alive():
            self.process.send_signal(signum)

    def stop(self, signum: int = signal.SIGTERM, timeout_s: float = 60.0) -> int:
        """Signal, wait, and SIGKILL if it does not go; returns the exit status."""
        if self.alive():
            self.process.send_signal(signum)
            try:
                self.process.wait(timeout_s)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


def start_worker(
    bootstrap: str,
    env: dict[str, str],
    log_path: Path,
    *,
    name: str = "worker",
) -> WorkerProcess:
    """Start ``parley run`` against the embedded broker; does not wait for it to be ready.

    The child dies with this process (``start_worker_process``), so a driver
    that is itself killed leaves no worker behind.
    """
    port = free_port()
    process = start_worker_process(
        bootstrap, port, log_path, ("run",), PARLEY_WEB_HOST="127.0.0.1", **env
    )
    return WorkerProcess(process, port, log_path, name)


@dataclass
class Record:
    """One record as the independent client read it."""

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
                return value.decode("utf-8", errors="replace")
        return None

    def json(self) -> Any:
        return json.loads(self.value)


def read_topic(
    bootstrap: str, topic: str, timeout_s: float = 60.0, settle_s: float = 1.0
) -> list[Record]:
    """Every record on ``topic`` now, from offset 0 of every partition, without a group.

    Reads up to each partition's end offset as the broker reports it when the
    read starts (assign, no subscribe: no group join to wait for), then until
    nothing new arrives for ``settle_s``: the embedded Tansu reports the last
    *batch's* base offset + 1 as the end, short of a multi-record batch's tail.
    """
    from confluent_kafka import Consumer, TopicPartition

    consumer = Consumer(
        {
            "bootstrap.servers": bootstrap,
            "group.id": f"parley-reader-{uuid.uuid4().hex[:8]}",
            "enable.auto.commit": False,
            "fetch.message.max.bytes": 16 * 2**20,
        }
    )
    try:
        metadata = consumer.list_topics(topic, timeout=10)
        partitions = sorted(metadata.topics[topic].partitions)
        ends: dict[int, int] = {}
        for partition in partitions:
            _low, high = consumer.get_watermark_offsets(
                TopicPartition(topic, partition), timeout=10
            )
            if high > 0:
                ends[partition] = high
        consumer.assign([TopicPartition(topic, p, 0) for p in ends])
        records: list[Record] = []
        positions = dict.fromkeys(ends, 0)
        deadline = time.monotonic() + timeout_s
        while any(positions[p] < ends[p] for p in ends):
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"{topic}: read {len(records)} record(s), positions {positions}, ends {ends}"
                )
            message = consumer.poll(0.5)
            if message is None or message.error() is not None:
                continue
            record = Record.from_message(message)
            records.append(record)
            positions[record.partition] = record.offset + 1
        quiet_since = time.monotonic()
        while time.monotonic() - quiet_since < settle_s:
            message = consumer.poll(0.2)
            if message is not None and message.error() is None:
                records.append(Record.from_message(message))
                quiet_since = time.monotonic()
        return records
    finally:
        consumer.close()
