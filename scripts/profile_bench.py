"""Profile the worker's main process during ``parley bench`` with py-spy (not CI).

Runs ``parley bench`` with the given arguments, attaches ``py-spy record`` to
the bench's worker (the ``parley run`` child) for phase (b), the backlog run,
samples it without pausing it (``--nonblocking``), and prints
where the main process spent its samples: by parley function (self + callees,
"inclusive") and by leaf function ("self"). py-spy is a development tool, not
a dependency: ``.venv/bin/pip install py-spy``.

    .venv/bin/python scripts/profile_bench.py --out /tmp/prof -- --articles 120 --processes 1

The raw samples are kept in ``--out`` (``worker.txt``, py-spy's "raw" format:
one collapsed stack per line with its count) for a flame graph tool.
"""

from __future__ import annotations

import argparse
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import psutil


def find_worker(bench: psutil.Process, timeout_s: float = 300.0) -> psutil.Process:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for child in bench.children(recursive=True):
            try:
                cmdline = " ".join(child.cmdline())
            except psutil.Error:
                continue
            if "workers.cli run" in cmdline:
                return child
        time.sleep(0.2)
    raise SystemExit("profile_bench: the bench never started a worker")


def summarize(raw: Path, top: int) -> str:
    inclusive: Counter[str] = Counter()
    leaf: Counter[str] = Counter()
    total = 0
    for line in raw.read_text().splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack:
            continue
        count = int(count_text)
        frames = [frame.split(" (")[0] + " (" + frame.split(" (")[-1] for frame in stack.split(";")]
        total += count
        leaf[frames[-1]] += count
        for frame in set(frames):
            if "workers/" in frame or "schemas/" in frame:
                inclusive[frame] += count
    lines = [f"{total} samples of the worker's main process", "", "inclusive (parley code):"]
    lines += [f"  {100 * n / total:5.1f}%  {name}" for name, n in inclusive.most_common(top)]
    lines += ["", "self (leaf frames):"]
    lines += [f"  {100 * n / total:5.1f}%  {name}" for name, n in leaf.most_common(top)]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="Directory for the samples.")
    parser.add_argument("--rate", type=int, default=100, help="Samples per second.")
    parser.add_argument("--top", type=int, default=30, help="Lines per table.")
    parser.add_argument("bench_args", nargs="*", help="Arguments for parley bench (after --).")
    args = parser.parse_args()
    py_spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if not Path(py_spy).exists():
        raise SystemExit("profile_bench: py-spy is not installed (pip install py-spy)")
    args.out.mkdir(parents=True, exist_ok=True)
    raw = args.out / "worker.txt"
    bench = subprocess.Popen(
        [sys.executable, "-m", "workers.cli", "bench", *args.bench_args],
        stdout=open(args.out / "bench.json", "wb"),  # noqa: SIM115 - lives as long as the bench
        stderr=subprocess.PIPE,
        text=True,
    )
    assert bench.stderr is not None
    spy: subprocess.Popen[bytes] | None = None
    # Sample phase (b) only, the backlog run the CPU-per-article figures are about.
    for line in bench.stderr:
        sys.stderr.write(line)
        if "(b)" in line and spy is None:
            worker = find_worker(psutil.Process(bench.pid))
            spy = subprocess.Popen(
                [
                    py_spy,
                    "record",
                    "--pid",
                    str(worker.pid),
                    "--rate",
                    str(args.rate),
                    "--nonblocking",
                    "--format",
                    "raw",
                    "--output",
                    str(raw),
                ],
                stdout=subprocess.DEVNULL,
                stderr=open(args.out / "py-spy.log", "wb"),  # noqa: SIM115
            )
        elif "(c)" in line and spy is not None:
            spy.send_signal(signal.SIGINT)
            spy.wait(60)
    code = bench.wait()
    if code != 0 or spy is None:
        raise SystemExit(f"profile_bench: parley bench exited with {code}")
    print((args.out / "bench.json").read_text().strip())
    print(summarize(raw, args.top))


if __name__ == "__main__":
    main()
