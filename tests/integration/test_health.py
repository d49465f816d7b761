"""/healthz on a real worker: alive when idle, failing when a batch hangs (issue 7), and
the NLP processes dying with a killed worker.

A hung NLP process is simulated for real: the worker's pool process is
stopped with SIGSTOP before an article arrives, so the batch never returns.
"""

from __future__ import annotations

import json
import os
import signal
import time

import psutil
import pytest

from tests.integration.conftest import Stack

pytestmark = pytest.mark.broker

ARTICLE = {
    "title": "Ministers meet in Vienna.",
    "body": "The foreign ministers of Austria and Hungary met in Vienna on Monday.",
    "published_at": "2024-05-06T09:00:00Z",
    "source": "health.example",
    "url": "https://health.example/vienna",
}


def _healthz(stack: Stack) -> tuple[int, dict[str, object]]:
    status, body = stack.workers[0].get("/healthz")
    return status, json.loads(body)


def _wait_for_status(stack: Stack, wanted: int, timeout_s: float) -> dict[str, object]:
    deadline = time.monotonic() + timeout_s
    status, body = _healthz(stack)
    while status != wanted and time.monotonic() < deadline:
        time.sleep(0.5)
        status, body = _healthz(stack)
    assert status == wanted, f"/healthz stayed {status}: {body}"
    return body


def test_liveness_fails_while_a_batch_hangs_and_recovers_and_pool_dies_with_worker(
    stack: Stack,
) -> None:
    """One worker for both checks (a worker start costs seconds): /healthz fails while a
    batch hangs and recovers; then, killed with SIGKILL, the worker cannot stop its pool,
    and the pool processes must notice and exit, not live on as orphans holding a loaded
    model."""
    worker = stack.start_worker(PARLEY_STUCK_AFTER_S="3")
    time.sleep(4)  # longer than the limit, with nothing to do
    status, body = _healthz(stack)
    assert status == 200 and body["alive"] is True

    (pool_process,) = [
        child
        for child in psutil.Process(worker.process.pid).children()
        if "resource_tracker" not in " ".join(child.cmdline())
    ]
    os.kill(pool_process.pid, signal.SIGSTOP)
    try:
        stack.produce([json.dumps(ARTICLE).encode()])
        body = _wait_for_status(stack, 503, timeout_s=60)
        assert body["alive"] is False
        # Either rule may trip first: the batch running too long, or lag
        # waiting with no progress.
        assert "batch in progress" in str(body["reason"]) or "no progress" in str(body["reason"])
    finally:
        os.kill(pool_process.pid, signal.SIGCONT)
    stack.consume(stack.topics.enriched, until=lambda records: len(records) == 1)
    _wait_for_status(stack, 200, timeout_s=30)

    # the same worker, killed: its NLP processes die with it
    children = psutil.Process(worker.process.pid).children(recursive=True)
    assert children, "the worker has no NLP process"
    worker.stop(signal.SIGKILL)
    _gone, alive = psutil.wait_procs(children, timeout=15)
    assert not alive, f"orphaned after kill -9: {[p.pid for p in alive]}"
