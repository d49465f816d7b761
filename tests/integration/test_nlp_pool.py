"""The NLP pool's real processes without a broker: a batch sent ahead is never blamed.

A slot keeps two batches in its NLP process (workers/pool.py, ``PREFETCH_PER_PROCESS``):
the one being enriched and the next. When the process dies, only the batch it was on
failed; the one queued behind it must go to the replacement without counting as a
death of its own, or an innocent batch could be split up as poison.

The pipeline here is a blank English one with a sentencizer, saved to a temporary
directory and loaded by path like any model: the test is about processes and pipes,
and a blank pipeline loads in a fraction of the real model's time.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest
import spacy

from tests.unit.publish import factories
from workers.core import EnrichFailure
from workers.pool import PROCESS_DIED, TEST_KILL_MARKER_ENV, NlpPool
from workers.publish.records import ArticleRecords

MARKER = "ZQXJ-SENT-AHEAD-MARKER"


@pytest.fixture(scope="module")
def blank_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    path = tmp_path_factory.mktemp("model") / "blank_en"
    nlp.to_disk(path)
    return path


def test_the_batch_behind_a_poison_batch_goes_to_the_replacement_unblamed(
    blank_model: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv(TEST_KILL_MARKER_ENV, MARKER)
    killer = factories.article("killer").model_copy(update={"body": f"Ministers met. {MARKER}"})
    innocent = [factories.article("spared-1"), factories.article("spared-2")]
    pool = NlpPool(str(blank_model), processes=1, batch_size=4)

    async def both() -> tuple[list[ArticleRecords | EnrichFailure], ...]:
        # Submitted before the process has loaded, so both wait in the queue and the
        # slot sends the second right behind the first.
        return tuple(await asyncio.gather(pool.enrich([killer]), pool.enrich(innocent)))

    try:
        with caplog.at_level(logging.WARNING, logger="workers.pool"):
            killed, spared = asyncio.run(both())
        restarts = pool.restarts
    finally:
        pool.shutdown()

    (failure,) = killed
    assert isinstance(failure, EnrichFailure)
    assert (failure.stage, failure.reason) == ("nlp", PROCESS_DIED)
    assert [r.article_id for r in spared if isinstance(r, ArticleRecords)] == [
        "spared-1",
        "spared-2",
    ]
    # Two deaths, both the killer's: once with the innocent batch queued behind it.
    assert restarts == 2
    assert "queued behind the one it died on" in caplog.text
    assert "batch of 2 article(s)" not in caplog.text
