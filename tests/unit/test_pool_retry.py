"""The NLP pool's retry rules after a process death, without processes.

``_submit`` is replaced by a fake that "dies" (raises ``ProcessDied``) on
every batch holding a poison article, and once on a batch it was told to
kill once (an operator's kill -9). The real supervision, with real processes
killed for real, is tested in tests/integration/test_nlp_supervision.py.
"""

from __future__ import annotations

import asyncio
from typing import Any

from schemas.models import Article
from tests.unit.publish import factories
from workers.core import EnrichFailure, StageTimings
from workers.pool import NlpPool, ProcessDied


class FakePool(NlpPool):
    def __init__(self, poison: set[str], die_once: frozenset[str] = frozenset()) -> None:
        super().__init__("no-model", processes=1)
        self.poison = poison
        self.die_once = set(die_once)
        self.submitted: list[list[str]] = []

    async def _submit(self, kind: str, payload: Any) -> Any:
        ids = [article.article_id for article in payload]
        self.submitted.append(ids)
        if self.poison & set(ids) or self.die_once & set(ids):
            self.die_once -= set(ids)
            raise ProcessDied("killed")
        return [f"records of {i}" for i in ids], StageTimings(nlp_s=0.1)


def articles(*ids: str) -> list[Article]:
    return [factories.article(article_id) for article_id in ids]


def test_a_batch_whose_process_died_once_is_retried_whole() -> None:
    pool = FakePool(poison=set(), die_once={"b"})
    results = asyncio.run(pool.enrich(articles("a", "b", "c")))
    assert results == ["records of a", "records of b", "records of c"]
    assert pool.submitted == [["a", "b", "c"], ["a", "b", "c"]]


def test_a_poison_batch_is_split_and_only_the_killer_is_dead_lettered() -> None:
    pool = FakePool(poison={"b"})
    results = asyncio.run(pool.enrich(articles("a", "b", "c")))
    assert results[0] == "records of a" and results[2] == "records of c"
    failure = results[1]
    assert isinstance(failure, EnrichFailure)
    assert (failure.stage, failure.reason, failure.error_class) == (
        "nlp",
        "process_died",
        "ProcessDied",
    )
    assert failure.article.article_id == "b"
    # Twice whole, then one at a time, the killer once.
    assert pool.submitted == [["a", "b", "c"], ["a", "b", "c"], ["a"], ["b"], ["c"]]
    assert pool.stats.poison_articles == 1


def test_two_poison_articles_in_one_batch_both_go_and_the_rest_come_out() -> None:
    pool = FakePool(poison={"a", "c"})
    results = asyncio.run(pool.enrich(articles("a", "b", "c")))
    assert [isinstance(r, EnrichFailure) for r in results] == [True, False, True]
    assert pool.stats.in_flight == 0
