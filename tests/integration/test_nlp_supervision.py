"""An NLP process that dies is replaced in place (issue 14, item 1), on the real broker.

The worker's NLP process is killed for real with SIGKILL in the middle of a
stream; the worker must keep its pid and partitions, start a replacement and
still publish every article. The poison case uses the pool's test hook
(``PARLEY_TEST_KILL_MARKER``, documented in workers/pool.py): an NLP process
given an article containing the marker kills itself with SIGKILL every time,
so that article must end up in the DLQ with stage ``nlp`` and reason
``process_died`` and its batch-mates must come out normally.
"""

from __future__ import annotations

import os
import re
import signal
import time

import psutil
import pytest

from tests.integration.conftest import Stack, Worker
from tests.integration.test_reliability import article_ids, at_least, has_all, stream
from workers.publish.deadletter import read_dead_letter_headers

pytestmark = pytest.mark.broker

POISON_MARKER = "ZQXJ-POISON-MARKER"


def nlp_processes(worker: Worker) -> list[psutil.Process]:
    return [
        child
        for child in psutil.Process(worker.process.pid).children()
        if "resource_tracker" not in " ".join(child.cmdline())
    ]


def restarts_metric(worker: Worker) -> float:
    _, body = worker.get("/metrics")
    match = re.search(rb"^parley_nlp_process_restarts_total (\S+)$", body, re.MULTILINE)
    assert match, "parley_nlp_process_restarts_total is not exported"
    return float(match.group(1))


def test_an_nlp_process_killed_mid_stream_is_replaced_and_nothing_is_lost(stack: Stack) -> None:
    worker = stack.start_worker(PARLEY_BATCH_SIZE="4")
    pid = worker.process.pid
    (victim,) = nlp_processes(worker)
    assert restarts_metric(worker) == 0

    # Long enough articles that the stream takes seconds of NLP time.
    values = stream("nlpkill", 40, filler=30)
    expected = article_ids(values)
    stack.produce(values)
    # Kill it once the stream is flowing: some output out, most still to come.
    out_before_kill = stack.consume(stack.topics.enriched, until=at_least(4))
    victim.send_signal(signal.SIGKILL)
    _, alive = psutil.wait_procs([victim], timeout=10)
    assert not alive
    assert len(out_before_kill) < len(expected)

    records = stack.consume(stack.topics.enriched, until=has_all(expected), timeout_s=180)
    assert expected <= {r.header("ce_id") for r in records}
    assert worker.process.poll() is None and worker.process.pid == pid, worker.log()
    (replacement,) = nlp_processes(worker)
    assert replacement.pid != victim.pid
    assert restarts_metric(worker) == 1
    log = worker.log()
    assert "starting a replacement" in log
    # The process died holding a batch (mid-stream, not idle) and the batch was retried.
    assert "died holding a batch" in log and "retrying it" in log
    assert worker.ready()


def test_an_article_that_kills_its_process_goes_to_the_dlq_and_the_rest_come_out(
    stack: Stack,
) -> None:
    worker = stack.start_worker(
        PARLEY_BATCH_SIZE="4", PARLEY_BATCH_TIMEOUT_S="0.5", PARLEY_TEST_KILL_MARKER=POISON_MARKER
    )
    pid = worker.process.pid
    values = stream("nlppoison", 4)
    poison = values[2].replace(b"report nlppoison-2", f"report {POISON_MARKER}".encode())
    assert poison != values[2]
    values[2] = poison
    good = article_ids([v for v in values if v is not poison])
    stack.produce(values)

    dead = stack.consume(stack.topics.dlq, until=at_least(1), timeout_s=180)
    records = stack.consume(stack.topics.enriched, until=has_all(good), timeout_s=60)
    assert good <= {r.header("ce_id") for r in records}
    assert article_ids([poison]).isdisjoint(r.header("ce_id") for r in records)

    (letter,) = dead
    assert letter.value == poison  # the original bytes, untouched
    info = read_dead_letter_headers(letter.headers)
    assert (info.stage, info.reason, info.error_class) == ("nlp", "process_died", "ProcessDied")
    assert info.topic == stack.topics.raw

    assert worker.process.poll() is None and worker.process.pid == pid, worker.log()
    # Twice with its batch, then once alone when the batch had other articles
    # (Faust may also have handed it over in a batch of its own).
    assert restarts_metric(worker) in (2, 3)
    assert "retrying each article alone" in worker.log() or restarts_metric(worker) == 2
    deadline = time.monotonic() + 60
    while not worker.ready() and time.monotonic() < deadline:
        time.sleep(0.5)
    assert len(nlp_processes(worker)) == 1
    assert os.environ.get("PARLEY_TEST_KILL_MARKER") is None  # the hook stays test-only
