"""Chaos run on the embedded broker: repeated kill -9 of the worker and of NLP processes,
a stopped broker, a second worker joining and leaving, poison records; then an
independent count. Not part of CI (the CI-sized run is tests/integration/test_chaos.py).

    .venv/bin/python scripts/chaos.py                      # the default run (2,000 articles)
    .venv/bin/python scripts/chaos.py --articles 300 --worker-kills 3 --nlp-kills 1 \\
        --broker-pause 0 --no-second-worker                # the CI-sized run

Prints a timeline and a summary; exits 0 only when nothing was lost (see
workers/chaos.py for what is checked).
"""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from workers.chaos import ChaosConfig, run_chaos  # noqa: E402


def main() -> int:
    defaults = ChaosConfig()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=defaults.articles)
    parser.add_argument("--worker-kills", type=int, default=defaults.worker_kills)
    parser.add_argument("--nlp-kills", type=int, default=defaults.nlp_kills)
    parser.add_argument(
        "--broker-pause", type=float, default=defaults.broker_pause_s, help="Seconds; 0: none."
    )
    parser.add_argument("--no-second-worker", action="store_true")
    parser.add_argument(
        "--no-process-killers",
        action="store_true",
        help="No poison articles that kill their NLP process (the pool's test hook).",
    )
    parser.add_argument("--poison", type=float, default=defaults.poison_fraction)
    parser.add_argument("--partitions", type=int, default=defaults.partitions)
    parser.add_argument("--processes", type=int, default=defaults.processes)
    parser.add_argument("--store", default=defaults.store, help="memory:// or rocksdb://")
    parser.add_argument("--seed", type=int)
    parser.add_argument("--timeout", type=float, default=defaults.timeout_s)
    parser.add_argument("--work-dir", type=Path, help="Keep logs and table data here.")
    parser.add_argument(
        "--env",
        action="append",
        default=[],
        metavar="PARLEY_X=VALUE",
        help="Extra worker setting (repeatable), e.g. PARLEY_BROKER_SESSION_TIMEOUT_S=6.",
    )
    args = parser.parse_args()
    if args.processes < 1 and args.nlp_kills:
        parser.error("--nlp-kills needs --processes 1 or more")
    config = ChaosConfig(
        articles=args.articles,
        worker_kills=args.worker_kills,
        nlp_kills=args.nlp_kills,
        broker_pause_s=args.broker_pause,
        second_worker=not args.no_second_worker,
        process_killers=not args.no_process_killers,
        poison_fraction=args.poison,
        partitions=args.partitions,
        processes=args.processes,
        store=args.store,
        seed=args.seed,
        timeout_s=args.timeout,
        work_dir=args.work_dir,
        worker_env=dict(item.partition("=")[::2] for item in args.env),
    )
    # SIGTERM ends the run through its clean-up (workers, broker, leftover check).
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    report = run_chaos(config, say=lambda line: print(line, flush=True))
    print(report.summary(), flush=True)
    return 0 if report.passed else 1


if __name__ == "__main__":
    sys.exit(main())
