"""Run the CPU-bound enrichment core off Faust's event loop.

spaCy holds the GIL for most of its work, so threads do not help and running
it on the event loop starves heartbeats, commits and the web endpoints. Each
pool process loads the pipeline once (spawn start method: no forked copies of
the loop, the broker client or their sockets) and enriches whole batches with
``nlp.pipe``. Results cross the process boundary as pickled pydantic models.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass

import psutil

from schemas.models import Article, EnrichedArticle, ModelInfo
from workers import metrics
from workers.compat import set_parent_death_signal
from workers.core import Enricher, EnrichFailure, StageTimings

_ENRICHER: Enricher | None = None


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


def _init_process(model: str) -> None:
    _die_with_parent()
    _load(model)


def _load(model: str) -> None:
    global _ENRICHER
    if _ENRICHER is None:
        _ENRICHER = Enricher.load(model)


def _model_info(model: str) -> tuple[ModelInfo, int]:
    _load(model)
    assert _ENRICHER is not None
    return _ENRICHER.model_info, os.getpid()


def _enrich_batch(
    model: str, articles: Sequence[Article], batch_size: int
) -> tuple[list[bytes | EnrichFailure], StageTimings]:
    """Enrich in the pool process; results travel back as JSON.

    Pickling pydantic models costs about 15 times more than dumping them to
    JSON here and validating the JSON in the worker (measured: 3.0 ms vs
    0.2 ms per 25-event article in the pool process), and the pool process is
    the bottleneck.
    """
    _load(model)
    assert _ENRICHER is not None
    timings = StageTimings()
    results = _ENRICHER.enrich_many(articles, batch_size=batch_size, timings=timings)
    encoded = [
        result if isinstance(result, EnrichFailure) else result.model_dump_json().encode()
        for result in results
    ]
    return encoded, timings


def _peak_rss_mb() -> float:
    usage = psutil.Process().memory_info()
    peak = getattr(usage, "peak_wset", None)  # Windows only
    if peak is None:
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    return float(peak) / (1024 * 1024)


@dataclass
class PoolStats:
    in_flight: int = 0


class NlpPool:
    """A fixed set of processes, each holding one loaded pipeline.

    ``processes=0`` runs the core in one thread of the worker process
    (handy for tests and tiny deployments; it still keeps the event loop free
    between GIL releases, but only one core is used).
    """

    def __init__(self, model: str, processes: int, batch_size: int = 16) -> None:
        self.model = model
        self.processes = processes
        self.batch_size = batch_size
        self.stats = PoolStats()
        self.model_info: ModelInfo | None = None
        self._executor: Executor | None = None

    @property
    def ready(self) -> bool:
        return self.model_info is not None

    def start(self) -> None:
        if self.processes > 0:
            self._executor = ProcessPoolExecutor(
                max_workers=self.processes,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_init_process,
                initargs=(self.model,),
            )
        else:
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="parley-nlp")

    async def warm_up(self) -> ModelInfo:
        """Load the model in every process before the first batch arrives."""
        if self._executor is None:
            self.start()
        loop = asyncio.get_running_loop()
        workers = max(self.processes, 1)
        results = await asyncio.gather(
            *(loop.run_in_executor(self._executor, _model_info, self.model) for _ in range(workers))
        )
        self.model_info = results[0][0]
        return self.model_info

    async def enrich(self, articles: Sequence[Article]) -> list[EnrichedArticle | EnrichFailure]:
        """Enrich one batch in a pool process; records the nlp and coding stage times."""
        if self._executor is None:
            self.start()
        loop = asyncio.get_running_loop()
        self.stats.in_flight += len(articles)
        try:
            results, timings = await loop.run_in_executor(
                self._executor, _enrich_batch, self.model, list(articles), self.batch_size
            )
        finally:
            self.stats.in_flight -= len(articles)
        metrics.STAGE_SECONDS.labels("nlp").observe(timings.nlp_s)
        metrics.STAGE_SECONDS.labels("coding").observe(timings.coding_s)
        return [
            result
            if isinstance(result, EnrichFailure)
            else EnrichedArticle.model_validate_json(result)
            for result in results
        ]

    async def peak_rss_mb(self) -> list[float]:
        """Peak RSS of each pool process (best effort: one probe per process)."""
        if self._executor is None or self.processes == 0:
            return [_peak_rss_mb()]
        loop = asyncio.get_running_loop()
        return list(
            await asyncio.gather(
                *(loop.run_in_executor(self._executor, _peak_rss_mb) for _ in range(self.processes))
            )
        )

    def shutdown(self) -> None:
        executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)
