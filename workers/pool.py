"""Run the CPU-bound enrichment core off Faust's event loop, in supervised processes.

spaCy holds the GIL for most of its work, so threads do not help and running
it on the event loop starves heartbeats, commits and the web endpoints. Each
NLP process loads the pipeline once (spawn start method: no forked copies of
the loop, the broker client or their sockets), enriches whole batches with
``nlp.pipe`` and builds every output record there
(``workers/publish/records.py``), so the worker publishes bytes as they come.

Supervision. A process can die under the worker: the OOM killer picks the
largest process on the machine, which is an NLP process, and an operator or
a scheduler may kill it. ``concurrent.futures.ProcessPoolExecutor`` cannot
survive that (one death breaks the whole pool for good), so each NLP process
here is one *slot*: a process, the pipe to it and a thread in the worker that
feeds it. The slot keeps up to two batches in its process: the one being
enriched and the next, sent ahead and read there by a thread of the process, so
the process never waits for the worker between batches (its replies go out
from a thread of their own, too). The process answers in order, so when the
pipe reports it gone, the slot thread fails the oldest batch it held (the one
it died on) with ``ProcessDied``, starts a replacement (model loaded), sends
it the batch that was queued behind, not counted against it, and goes on.
(A process killed while a reply was still being written fails that batch,
whose work was done, instead: it is retried, and nothing was published.) ``NlpPool``
retries a failed batch; a batch that killed its process twice in a row is
poison: each article is retried alone, and the article that kills its
process alone comes back as an ``EnrichFailure`` with stage ``nlp`` and
reason ``process_died`` (the worker dead-letters it); the others come out
normally. The worker process keeps its
pid, its partitions and every record.

Every slot thread lives as long as the pool: Linux's parent-death signal
(``PR_SET_PDEATHSIG``, see ``_die_with_parent``) fires when the *thread* that
started a child exits, so the processes are started from the slot thread
that owns them.

Test hook: when the environment variable ``PARLEY_TEST_KILL_MARKER`` is set
(only tests set it), an NLP process that is given an article whose text
contains that marker kills itself with SIGKILL, standing in for a poison
article that crashes spaCy or exhausts memory.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import multiprocessing
import os
import queue
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.reduction import ForkingPickler
from pathlib import Path
from typing import Any

from schemas.models import Article, ModelInfo
from workers import metrics
from workers.coding.events import load_tables
from workers.compat import set_parent_death_signal
from workers.core import Enricher, EnrichFailure, StageTimings, article_text, warm_up_article
from workers.publish.alerts import AlertRule, load_alert_rules
from workers.publish.envelope import DEFAULT_SOURCE
from workers.publish.records import ArticleRecords, build_records

log = logging.getLogger(__name__)

# A batch (or an article alone) that kills its process this many times in a
# row is poison. Two, not one: an NLP process can also die for reasons of its
# own (an operator's kill, the OOM killer choosing it while another process
# grew), and the batch it held then deserves one more try.
DEATHS_BEFORE_POISON = 2
TEST_KILL_MARKER_ENV = "PARLEY_TEST_KILL_MARKER"
# How often an idle slot checks that its process is still alive, seconds.
IDLE_CHECK_S = 1.0
# Batches a slot keeps in its NLP process at once: the one being enriched and the next,
# already sent and read there, so the process starts it the moment the first is done
# instead of waiting for the worker to read the reply and send another (10 to 25 ms a
# batch, BENCHMARKS.md, 2026-12-02 session 2). Two is enough: a batch takes a second.
PREFETCH_PER_PROCESS = 2
# How often a slot with a batch in its process looks for the next one to send ahead,
# seconds; a reply wakes it at once.
PREFETCH_POLL_S = 0.05
PROCESS_DIED = "process_died"

_ENRICHER: Enricher | None = None

# What an NLP process returns for one batch: per article its records or its failure.
BatchResult = tuple[list[ArticleRecords | EnrichFailure], StageTimings]


class ProcessDied(Exception):
    """The NLP process died while it held a batch."""


class PoolError(RuntimeError):
    """A batch-level error inside an NLP process (a bug, not one article's problem)."""


def _die_with_parent() -> None:
    """End this pool process when the worker that spawned it dies.

    A worker killed with SIGKILL cannot shut its pool down; without this its
    NLP processes (200+ MB each, model loaded) live on as orphans. Linux
    delivers SIGKILL on the parent's death (PR_SET_PDEATHSIG); elsewhere a
    daemon thread notices the re-parenting.
    """
    parent = os.getppid()
    set_parent_death_signal(signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(0)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, name="parley-parent-watch", daemon=True).start()


def _load(model: str) -> Enricher:
    global _ENRICHER
    if _ENRICHER is None:
        _ENRICHER = Enricher.load(model)
    return _ENRICHER


def _peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _apply_test_hook(articles: Sequence[Article], replies: queue.Queue[bytes | None]) -> None:
    marker = os.environ.get(TEST_KILL_MARKER_ENV)
    if marker and any(marker in article_text(article) for article in articles):
        # A real poison article kills its process in the middle of spaCy, long after
        # the previous batch's reply went out; dying with that reply half written
        # would fail the previous batch instead.
        replies.join()
        os.kill(os.getpid(), signal.SIGKILL)


@dataclass(frozen=True)
class RecordOptions:
    """What an NLP process needs to build output records: alert rules and ``ce_source``."""

    alert_rules: Path | None = None
    source: str = DEFAULT_SOURCE

    def load_rules(self) -> list[AlertRule]:
        return load_alert_rules(self.alert_rules) if self.alert_rules else []


def _enrich_batch(
    enricher: Enricher,
    rules: Sequence[AlertRule],
    source: str,
    articles: Sequence[Article],
    batch_size: int,
) -> BatchResult:
    """Enrich in the NLP process and build every output record there.

    The worker publishes what comes back as it is, filling in only what its
    state decides (links, alerts): no validation and no serialization on the
    worker's hot path (workers/publish/records.py).
    """
    timings = StageTimings()
    results = enricher.enrich_many(articles, batch_size=batch_size, timings=timings)
    started = time.perf_counter()
    built: list[ArticleRecords | EnrichFailure] = []
    for article, result in zip(articles, results, strict=True):
        if isinstance(result, EnrichFailure):
            built.append(result)
            continue
        try:
            built.append(build_records(result, rules, source))
        except Exception as exc:  # noqa: BLE001 - reported per article
            built.append(EnrichFailure(article, type(exc).__name__, str(exc)[:500]))
    timings.encode_s += time.perf_counter() - started
    return built, timings


def _warm_up(enricher: Enricher, rules: Sequence[AlertRule], source: str, batch_size: int) -> None:
    """Enrich one built-in article, so the first real batch does not pay for first use.

    The first batch a fresh process enriched took about 10 ms more per article in
    event coding and record building than the next ones (caches filled and code
    paths run for the first time; BENCHMARKS.md, "Parley's own work in the NLP
    process, 2026-12-02 session 2"): a sixth of a second on the first batch, paid
    by its latency. Part of loading the process, like the model.
    """
    _enrich_batch(enricher, rules, source, [warm_up_article()], batch_size)


def _serve(connection: Connection, model: str, batch_size: int, options: RecordOptions) -> None:
    """The NLP process: load the model, then answer requests in order until told to stop."""
    _die_with_parent()
    # A Ctrl-C or a SIGTERM sent to the whole process group reaches this process
    # too; the worker stops it over the pipe once its in-flight batch is done, so
    # dying here would only make the slot load a replacement model on the way out.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    try:
        enricher = _load(model)
        rules = options.load_rules()
        load_tables()
        _warm_up(enricher, rules, options.source, batch_size)
    except Exception as exc:  # noqa: BLE001 - a configuration problem, reported once
        connection.send(("failed", (f"{type(exc).__name__}: {exc}", os.getpid(), 0.0)))
        return
    # The model, the gazetteer and the coder's lexicons (hundreds of thousands of objects)
    # live as long as this process: freezing them keeps the cyclic garbage collector from
    # walking them on every full collection, which cost about a sixth of event coding
    # (BENCHMARKS.md, "Event coding speed"). The warm-up's garbage goes first.
    gc.collect()
    gc.freeze()
    connection.send(("ready", (enricher.model_info, os.getpid(), _peak_rss_mb())))
    requests = _start_request_reader(connection)
    replies, writer = _start_reply_writer(connection)
    try:
        while True:
            request = requests.get()
            if request is None:  # told to stop, or the worker closed the pipe
                return
            kind, payload = request
            try:
                if kind == "enrich":
                    _apply_test_hook(payload, replies)
                    reply: Any = _enrich_batch(enricher, rules, options.source, payload, batch_size)
                else:
                    raise PoolError(f"unknown request {kind!r}")
                answer: Any = ("ok", (reply, _peak_rss_mb()))
            except Exception as exc:  # noqa: BLE001 - reported to the worker, which decides
                answer = ("error", (f"{type(exc).__name__}: {exc}", _peak_rss_mb()))
            # Pickled here (the bytes are this batch's alone), written by the writer thread.
            replies.put(bytes(ForkingPickler.dumps(answer)))
    finally:
        replies.put(None)  # the writer sends what is queued, then ends
        writer.join(30)


def _start_request_reader(connection: Connection) -> queue.Queue[Any]:
    """Read the worker's requests as they come, so the next batch is here when one ends.

    The worker sends a batch while the one before it is still being enriched (up to
    ``PREFETCH_PER_PROCESS`` at once). Without this thread the request would wait
    in the pipe, and a request larger than the pipe's buffer would block the worker
    while this process blocks sending its reply: a deadlock. ``None`` in the queue:
    stop (asked for, or the pipe closed).
    """
    requests: queue.Queue[Any] = queue.Queue()

    def read() -> None:
        while True:
            try:
                request = connection.recv()
            except (EOFError, OSError):  # the worker closed the pipe: it is gone or stopping
                requests.put(None)
                return
            requests.put(request)
            if request is None:
                return

    threading.Thread(target=read, name="parley-nlp-requests", daemon=True).start()
    return requests


def _start_reply_writer(
    connection: Connection,
) -> tuple[queue.Queue[bytes | None], threading.Thread]:
    """Write pickled replies from a thread, so the next batch starts at once.

    A batch's reply is about 1.4 MB (16 articles of the bench); the send returns
    only when the worker has read most of it, and the worker's reading thread waits
    for its event loop to hand over the GIL between chunks: 5 to 15 ms per batch
    that this process spent idle (BENCHMARKS.md, 2026-12-02 session 2).
    """
    replies: queue.Queue[bytes | None] = queue.Queue()

    def write() -> None:
        while True:
            data = replies.get()
            if data is None:
                replies.task_done()
                return
            try:
                connection.send_bytes(data)
            except OSError:  # the worker is gone; the reader sees EOF and stops us
                return
            finally:
                replies.task_done()

    writer = threading.Thread(target=write, name="parley-nlp-replies", daemon=True)
    writer.start()
    return replies, writer


@dataclass
class _Job:
    kind: str
    payload: Any
    loop: asyncio.AbstractEventLoop
    future: asyncio.Future[Any]

    def resolve(self, value: Any = None, error: BaseException | None = None) -> None:
        def settle() -> None:
            if self.future.done():
                return
            if error is not None:
                self.future.set_exception(error)
            else:
                self.future.set_result(value)

        try:
            self.loop.call_soon_threadsafe(settle)
        except RuntimeError:  # the loop is closed: nobody is waiting any more
            pass

    def cancel(self) -> None:
        try:
            self.loop.call_soon_threadsafe(self.future.cancel)
        except RuntimeError:
            pass


_STOP = object()


class _IdleSlots:
    """How many slots wait for a job with nothing in their process (``with``: one more)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._count = 0

    def __enter__(self) -> None:
        with self._lock:
            self._count += 1

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            self._count -= 1

    def any(self) -> bool:
        return self._count > 0


class _Slot:
    """One NLP process and the thread in the worker that feeds it, restarting it when it dies."""

    def __init__(
        self,
        index: int,
        model: str,
        batch_size: int,
        options: RecordOptions,
        jobs: queue.Queue[Any],
        on_ready: Callable[[_Slot], None],
        idle: _IdleSlots,
    ) -> None:
        self.index = index
        self.model = model
        self.batch_size = batch_size
        self.options = options
        self.jobs = jobs
        self.on_ready = on_ready
        self.idle = idle
        self.context = multiprocessing.get_context("spawn")
        self.process: Any = None
        self.connection: Connection | None = None
        self.model_info: ModelInfo | None = None
        self.pid: int | None = None
        self.peak_rss_mb = 0.0
        self.restarts = 0
        self.stopping = False
        self.load_error: str | None = None
        self.thread = threading.Thread(
            target=self._run, name=f"parley-nlp-slot-{index}", daemon=True
        )

    def start(self) -> None:
        self.thread.start()

    # ------------------------------------------------------------ in the slot thread
    def _spawn(self) -> None:
        """Start a process and wait until its model is loaded; retry with backoff."""
        delay = 1.0
        while not self.stopping:
            parent_end, child_end = self.context.Pipe(duplex=True)
            process = self.context.Process(
                target=_serve,
                args=(child_end, self.model, self.batch_size, self.options),
                name=f"parley-nlp-{self.index}",
                daemon=True,
            )
            process.start()
            # Our copy of the child's end must go, or its death never reads as EOF.
            child_end.close()
            try:
                status, (info, pid, rss) = parent_end.recv()
            except (EOFError, OSError):
                process.join(5)
                parent_end.close()
                log.error(
                    "NLP process %d died while loading %s (exit code %s); retrying in %.0fs",
                    self.index,
                    self.model,
                    process.exitcode,
                    delay,
                )
                time.sleep(delay)
                delay = min(delay * 2, 30.0)
                continue
            if status == "failed":
                process.join(5)
                parent_end.close()
                self.load_error = str(info)
                self.on_ready(self)
                return
            self.process, self.connection = process, parent_end
            self.model_info, self.pid, self.peak_rss_mb = info, pid, rss
            self.on_ready(self)
            return

    def _bury(self) -> None:
        """Reap a dead process, count it and say so; the replacement is ``_respawn``'s."""
        process, connection = self.process, self.connection
        self.process = self.connection = None
        if connection is not None:
            connection.close()
        if process is not None:
            process.join(10)
        self.restarts += 1
        metrics.NLP_PROCESS_RESTARTS.inc()
        log.warning(
            "NLP process %d (pid %s) died with exit code %s; starting a replacement "
            "(restart %d of this slot)",
            self.index,
            self.pid,
            None if process is None else process.exitcode,
            self.restarts,
        )

    def _respawn(self) -> None:
        self._spawn()
        if self.connection is not None:
            log.warning("NLP process %d replaced: new pid %s, model loaded", self.index, self.pid)

    def _run(self) -> None:
        try:
            self._serve_jobs()
        except BaseException as exc:  # noqa: BLE001 - never leave warm_up waiting
            log.critical("NLP slot %d failed", self.index, exc_info=True)
            self.load_error = f"{type(exc).__name__}: {exc}"
            self.on_ready(self)

    def _serve_jobs(self) -> None:
        self._spawn()
        # Jobs sent to the process, oldest first: it answers them in order, so a death
        # belongs to the oldest. ``resend``: jobs a dead process held behind the one it
        # died on, owed to the replacement (not counted against them).
        sent: deque[_Job] = deque()
        resend: deque[_Job] = deque()
        stop_requested = False
        job: Any  # a _Job, _STOP or None (nothing came)
        while self.load_error is None:
            if self.connection is None:  # stopping while a replacement was due
                for held in (*sent, *resend):
                    held.cancel()
                sent.clear()
                resend.clear()
                if stop_requested:
                    break
                job = self.jobs.get()
                if job is _STOP:
                    break
                job.cancel()
                continue
            if resend:
                self._send(resend.popleft(), sent, resend)
                continue
            if not sent:
                if stop_requested:
                    break
                with self.idle:
                    try:
                        job = self.jobs.get(timeout=IDLE_CHECK_S)
                    except queue.Empty:
                        job = None
                if job is None:
                    # Idle: notice a death now, not when the next batch finds it.
                    if self.process is not None and not self.process.is_alive():
                        self._bury()
                        self._respawn()
                    continue
                if job is _STOP:
                    break
                self._send(job, sent, resend)
                continue
            may_send_ahead = len(sent) < PREFETCH_PER_PROCESS and not stop_requested
            # Not while another slot's process has nothing to do: the batch is its.
            if may_send_ahead and not self.idle.any():
                try:
                    job = self.jobs.get_nowait()
                except queue.Empty:
                    job = None
                if job is _STOP:
                    stop_requested = True
                elif job is not None:
                    self._send(job, sent, resend)
                    continue
            if self._reply_ready(PREFETCH_POLL_S if may_send_ahead else None):
                self._receive(sent, resend)
        self._stop_process()

    def _send(self, job: _Job, sent: deque[_Job], resend: deque[_Job]) -> None:
        assert self.connection is not None
        sent.append(job)
        try:
            self.connection.send((job.kind, job.payload))
        except (EOFError, OSError) as exc:
            self._died(exc, sent, resend)
        except BaseException as exc:  # noqa: BLE001 - e.g. an unpicklable payload
            # Pickling fails before a byte is written: the pipe is still in step.
            sent.pop()
            job.resolve(error=PoolError(f"{type(exc).__name__}: {exc}"))

    def _reply_ready(self, timeout_s: float | None) -> bool:
        assert self.connection is not None
        try:
            return self.connection.poll(timeout_s)
        except OSError:  # closed under us: recv says how
            return True

    def _receive(self, sent: deque[_Job], resend: deque[_Job]) -> None:
        assert self.connection is not None
        try:
            status, (reply, rss) = self.connection.recv()
        except (EOFError, OSError) as exc:
            self._died(exc, sent, resend)
            return
        except BaseException as exc:  # noqa: BLE001 - a reply that cannot be read
            sent.popleft().resolve(error=PoolError(f"{type(exc).__name__}: {exc}"))
            return
        job = sent.popleft()
        self.peak_rss_mb = max(self.peak_rss_mb, float(rss))
        if status == "error":
            job.resolve(error=PoolError(str(reply)))
        else:
            job.resolve(reply)

    def _died(self, exc: BaseException, sent: deque[_Job], resend: deque[_Job]) -> None:
        """The process died: its oldest job fails, the ones behind it go to the replacement."""
        # Counted and logged before the batch hears of it, so the
        # metric already shows the restart when its retry comes out.
        self._bury()
        if sent:
            sent.popleft().resolve(error=ProcessDied(f"NLP process {self.index} died: {exc!r}"))
        owed = [*sent, *resend]
        sent.clear()
        resend.clear()
        resend.extend(owed)
        if owed:
            log.warning(
                "NLP process %d had %d more batch(es) queued behind the one it died on: "
                "they go to the replacement",
                self.index,
                len(owed),
            )
        self._respawn()

    def _stop_process(self) -> None:
        process, connection = self.process, self.connection
        if connection is not None:
            try:
                connection.send(None)
            except OSError:
                pass
            connection.close()
        if process is not None:
            process.join(10)
            if process.is_alive():
                process.kill()
                process.join(5)


class _InlineSlot:
    """``processes=0``: the core in one thread of the worker process (no process to supervise)."""

    def __init__(
        self, model: str, batch_size: int, options: RecordOptions, jobs: queue.Queue[Any]
    ) -> None:
        self.model = model
        self.batch_size = batch_size
        self.options = options
        self.jobs = jobs
        self.enricher: Enricher | None = None
        self.model_info: ModelInfo | None = None
        self.pid: int | None = os.getpid()
        self.peak_rss_mb = 0.0
        self.restarts = 0
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._run, name="parley-nlp-inline", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def _run(self) -> None:
        try:
            self.enricher = Enricher.load(self.model)
            rules = self.options.load_rules()
            _warm_up(self.enricher, rules, self.options.source, self.batch_size)
        except Exception as exc:  # noqa: BLE001 - reported by warm_up
            self.load_error: str | None = f"{type(exc).__name__}: {exc}"
            self.ready.set()
            return
        self.model_info = self.enricher.model_info
        self.ready.set()
        while True:
            job = self.jobs.get()
            if job is _STOP:
                return
            try:
                if job.kind != "enrich":
                    raise PoolError(f"unknown request {job.kind!r}")
                job.resolve(
                    _enrich_batch(
                        self.enricher, rules, self.options.source, job.payload, self.batch_size
                    )
                )
            except BaseException as exc:  # noqa: BLE001 - handed to the waiting batch
                job.resolve(error=PoolError(f"{type(exc).__name__}: {exc}"))
            self.peak_rss_mb = _peak_rss_mb()


@dataclass
class PoolStats:
    in_flight: int = 0
    poison_articles: int = 0
    ready_slots: set[int] = field(default_factory=set)


class NlpPool:
    """A fixed number of supervised NLP processes, each holding one loaded pipeline.

    ``processes=0`` runs the core in one thread of the worker process
    (handy for tests and tiny deployments; it still keeps the event loop free
    between GIL releases, but only one core is used).
    """

    def __init__(
        self,
        model: str,
        processes: int,
        batch_size: int = 16,
        options: RecordOptions | None = None,
    ) -> None:
        self.model = model
        self.processes = processes
        self.batch_size = batch_size
        self.options = options or RecordOptions()
        self.stats = PoolStats()
        self.model_info: ModelInfo | None = None
        self._jobs: queue.Queue[Any] = queue.Queue()
        self._idle = _IdleSlots()
        self._slots: list[_Slot] = []
        self._inline: _InlineSlot | None = None
        self._started = False
        self._ready_lock = threading.Lock()
        self._all_ready = threading.Event()
        self._load_error: str | None = None

    @property
    def ready(self) -> bool:
        return self.model_info is not None

    def _slot_ready(self, slot: _Slot) -> None:
        with self._ready_lock:
            if slot.load_error is not None:
                self._load_error = slot.load_error
                self._all_ready.set()
                return
            self.stats.ready_slots.add(slot.index)
            if self.model_info is None:
                self.model_info = slot.model_info
            if len(self.stats.ready_slots) == len(self._slots):
                self._all_ready.set()

    def start(self) -> None:
        if self._started:
            return
        self._started = True
        if self.processes > 0:
            self._slots = [
                _Slot(
                    i,
                    self.model,
                    self.batch_size,
                    self.options,
                    self._jobs,
                    self._slot_ready,
                    self._idle,
                )
                for i in range(self.processes)
            ]
            for slot in self._slots:
                slot.start()
        else:
            self._inline = _InlineSlot(self.model, self.batch_size, self.options, self._jobs)
            self._inline.start()

    @property
    def pids(self) -> list[int]:
        """Process ids of the NLP processes now running (the worker's own with processes=0)."""
        if self._inline is not None:
            return [os.getpid()]
        return [slot.pid for slot in self._slots if slot.pid is not None]

    @property
    def restarts(self) -> int:
        return sum(slot.restarts for slot in self._slots)

    async def warm_up(self) -> ModelInfo:
        """Load the model in every process before the first batch arrives."""
        self.start()
        waiter = self._inline.ready if self._inline is not None else self._all_ready
        await asyncio.get_running_loop().run_in_executor(None, waiter.wait)
        if self._inline is not None:
            self.model_info = self._inline.model_info
            self._load_error = getattr(self._inline, "load_error", None)
        if self._load_error is not None:
            raise PoolError(f"cannot load spaCy pipeline {self.model!r}: {self._load_error}")
        assert self.model_info is not None
        return self.model_info

    async def _submit(self, kind: str, payload: Any) -> Any:
        self.start()
        loop = asyncio.get_running_loop()
        job = _Job(kind, payload, loop, loop.create_future())
        self._jobs.put(job)
        return await job.future

    async def _enrich_once(self, articles: Sequence[Article], attempts: int) -> BatchResult | None:
        """One batch, tried up to ``attempts`` times while processes die; None: poison."""
        for death in range(1, attempts + 1):
            try:
                result: BatchResult = await self._submit("enrich", list(articles))
                return result
            except ProcessDied:
                log.warning(
                    "an NLP process died holding a batch of %d article(s) (%d time(s) in a row)%s",
                    len(articles),
                    death,
                    "; retrying it" if death < attempts else "",
                )
        return None

    async def _enrich_raw(
        self, articles: Sequence[Article], attempts: int = DEATHS_BEFORE_POISON
    ) -> BatchResult:
        outcome = await self._enrich_once(articles, attempts)
        if outcome is not None:
            return outcome
        if len(articles) == 1:
            (article,) = articles
            self.stats.poison_articles += 1
            log.error(
                "article %s killed its NLP process: dead-lettered as %s",
                article.article_id,
                PROCESS_DIED,
            )
            failure = EnrichFailure(
                article,
                "ProcessDied",
                "the NLP process died while enriching this article"
                + (" alone, after its batch killed it twice" if attempts == 1 else ""),
                stage="nlp",
                reason=PROCESS_DIED,
            )
            return [failure], StageTimings()
        log.error(
            "a batch of %d article(s) killed its NLP process %d times in a row: "
            "retrying each article alone",
            len(articles),
            DEATHS_BEFORE_POISON,
        )
        # One at a time: a second poison article must not take an innocent one down with it.
        results: list[ArticleRecords | EnrichFailure] = []
        timings = StageTimings()
        for article in articles:
            # Alone, the article that kills its process is the poison: one try.
            alone, spent = await self._enrich_raw([article], attempts=1)
            results.extend(alone)
            timings.add(spent)
        return results, timings

    async def enrich(self, articles: Sequence[Article]) -> list[ArticleRecords | EnrichFailure]:
        """Enrich one batch in an NLP process: its output records, or why an article failed.

        Records the nlp, coding and encode stage times measured in the process.
        """
        self.stats.in_flight += len(articles)
        try:
            results, timings = await self._enrich_raw(articles)
        finally:
            self.stats.in_flight -= len(articles)
        metrics.STAGE_SECONDS.labels("nlp").observe(timings.nlp_s)
        metrics.STAGE_SECONDS.labels("coding").observe(timings.coding_s)
        metrics.STAGE_SECONDS.labels("encode").observe(timings.encode_s)
        return results

    def peak_rss_mb(self) -> list[float]:
        """Peak RSS of each NLP process, as last reported by it."""
        if self._inline is not None:
            return [self._inline.peak_rss_mb]
        return [slot.peak_rss_mb for slot in self._slots]

    def shutdown(self, timeout_s: float = 30.0) -> None:
        """Stop every NLP process; batches not yet started are cancelled."""
        if not self._started:
            return
        while True:
            try:
                job = self._jobs.get_nowait()
            except queue.Empty:
                break
            if job is not _STOP:
                job.cancel()
        slots: list[Any] = [*self._slots] if self._slots else [self._inline]
        for slot in slots:
            if isinstance(slot, _Slot):
                slot.stopping = True
            self._jobs.put(_STOP)
        deadline = time.monotonic() + timeout_s
        for slot in slots:
            slot.thread.join(max(deadline - time.monotonic(), 0.1))
        self._started = False
