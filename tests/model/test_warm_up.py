"""The warm-up article an NLP process enriches before it reports ready (workers/pool.py).

It is there to run every stage once before the first real batch, so it must reach
them all: entities and actors, coded events, and alert candidates under the
project's rules (``build_records``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from workers.core import Enricher, warm_up_article
from workers.publish.alerts import load_alert_rules
from workers.publish.records import build_records

pytestmark = pytest.mark.model

RULES = Path(__file__).resolve().parents[2] / "workers" / "data" / "alert_rules.yaml"


def test_the_warm_up_article_runs_every_stage(enricher: Enricher) -> None:
    enriched = enricher.enrich(warm_up_article())
    assert {e.label for e in enriched.entities} >= {"GPE", "PERSON"}
    assert any(actor.country for actor in enriched.actors)
    assert len(enriched.events) >= 3
    records = build_records(enriched, load_alert_rules(RULES))
    assert len(records.events) == len(enriched.events)
    assert any(event.alerts for event in records.events)
