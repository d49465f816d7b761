"""Issue 12: wire copy in British spelling codes as the same copy in American spelling.

Each pair below is one act written both ways; the event must not depend on the
spelling. The sentences are parley's own.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from schemas.models import Article
from workers.core import Enricher

pytestmark = pytest.mark.model

PAIRS = [
    # event nouns and verbs whose British form no dictionary lists
    (
        "Russia ordered a partial mobilisation of its reservists on Wednesday.",
        "Russia ordered a partial mobilization of its reservists on Wednesday.",
        "MOBILIZE",
    ),
    (
        "Egypt and Sudan finalised a water-sharing agreement in Cairo.",
        "Egypt and Sudan finalized a water-sharing agreement in Cairo.",
        "SUPPORT",
    ),
    # verbs the dictionaries list both ways stay coded
    (
        "Armenia mobilised reservists along its border with Azerbaijan.",
        "Armenia mobilized reservists along its border with Azerbaijan.",
        "MOBILIZE",
    ),
    (
        "Norway criticised Russia over the arrest.",
        "Norway criticized Russia over the arrest.",
        "ACCUSE",
    ),
    (
        "Unions organised a protest in Lagos against Nigeria's fuel price rise.",
        "Unions organized a protest in Lagos against Nigeria's fuel price rise.",
        "PROTEST",
    ),
]


def _types(enricher: Enricher, text: str) -> list[tuple[str | None, str | None]]:
    article = Article(
        article_id="spelling-test",
        source="test",
        url="https://example.org/a",
        title="",
        body=text,
        language="en",
        published_at=datetime(2024, 5, 2, 9, tzinfo=UTC),
    )
    return sorted(
        (e.plover.type if e.plover else None, e.source.country if e.source else None)
        for e in enricher.enrich(article).events
    )


@pytest.mark.parametrize(("british", "american", "plover"), PAIRS)
def test_british_spelling_codes_as_american(
    enricher: Enricher, british: str, american: str, plover: str
) -> None:
    coded = _types(enricher, british)
    assert coded == _types(enricher, american)
    assert plover in {t for t, _ in coded}, coded
