"""Where a worker's CPU goes per article, for one configuration (not CI; see BENCHMARKS.md).

Like phase (b) of ``parley bench`` without the spaCy ceiling run: an embedded
broker, one real worker (``parley run``) with the given ``PARLEY_*``
settings, N generated articles as a backlog. Prints one JSON line: articles/s,
CPU milliseconds per article per role, per worker thread (user and system),
idle CPU of each role, the NLP busy fraction and spaCy's share.

    .venv/bin/python scripts/worker_cpu.py 96 PARLEY_BATCHES_IN_FLIGHT=3
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from pathlib import Path

import psutil

from workers.bench import (
    _cpu_seconds,
    _nlp_figures,
    _run_pipeline,
    _stage_seconds,
    _wait_ready,
    generate_articles,
)
from workers.broker import EmbeddedBroker, ensure_topics, free_port, start_worker_process
from workers.processes import stop_process
from workers.settings import Settings


def thread_times(pid: int) -> dict[int, tuple[float, float]]:
    return {t.id: (t.user_time, t.system_time) for t in psutil.Process(pid).threads()}


def main() -> None:
    count = int(sys.argv[1])
    env = dict(arg.split("=", 1) for arg in sys.argv[2:])
    settings = Settings()
    tmp = Path(settings.data_dir)
    tmp.mkdir(parents=True, exist_ok=True)
    data = generate_articles(count)
    with EmbeddedBroker(log_path=tmp / "worker-cpu-broker.log") as broker:
        asyncio.run(ensure_topics(broker.bootstrap, settings.all_topics(), settings.partitions))
        port = free_port()
        env = {"PARLEY_PROCESSES": "1", **env}
        worker = start_worker_process(
            broker.bootstrap,
            port,
            tmp / "worker-cpu-worker.log",
            PARLEY_LOG_LEVEL="WARNING",
            PARLEY_DEDUP_WINDOW_S="0",
            **env,
        )
        try:
            _wait_ready(port, worker)
            time.sleep(3)
            before = _cpu_seconds(broker.pid, worker.pid)
            time.sleep(10)
            after = _cpu_seconds(broker.pid, worker.pid)
            idle = {role: round((after[role] - before[role]) / 10, 4) for role in after}
            threads_before = thread_times(worker.pid)
            before, stages_before = _cpu_seconds(broker.pid, worker.pid), _stage_seconds(port)
            started = time.perf_counter()
            run = asyncio.run(_run_pipeline(settings, broker.bootstrap, data, None))
            wall = time.perf_counter() - started
            after, stages_after = _cpu_seconds(broker.pid, worker.pid), _stage_seconds(port)
            threads_after = thread_times(worker.pid)
        finally:
            stop_process(worker)
    used = {role: after[role] - before[role] for role in after}
    threads = sorted(
        (
            (
                "main" if tid == worker.pid else str(tid),
                round(1000 * (user - threads_before.get(tid, (0.0, 0.0))[0]) / count, 2),
                round(1000 * (system - threads_before.get(tid, (0.0, 0.0))[1]) / count, 2),
            )
            for tid, (user, system) in threads_after.items()
        ),
        key=lambda item: -(item[1] + item[2]),
    )
    stages = {
        stage: seconds - stages_before.get(stage, 0.0) for stage, seconds in stages_after.items()
    }
    processes = int(env["PARLEY_PROCESSES"])
    print(
        json.dumps(
            {
                "settings": env,
                "articles": count,
                "articles_per_s": round(run.articles_per_s, 2),
                "cpu_ms_per_article": {
                    role: round(1000 * u / count, 2) for role, u in used.items()
                },
                "worker_threads_user_system_ms_per_article": threads[:4],
                "idle_cores": idle,
                **_nlp_figures(stages, wall, processes, used.get("nlp_processes")),
            }
        )
    )


if __name__ == "__main__":
    main()
