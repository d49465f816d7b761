"""Issue 12: wire copy in British spelling codes as the same copy in American spelling.

Each pair below is one act written both ways; the event must not depend on the
spelling. The sentences are parley's own.
"""

from __future__ import annotations

import pytest

from tests.model.sentences import code, summary
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
    return [(plover, source) for _, plover, source, _ in summary(code(enricher, text))]


@pytest.mark.parametrize(("british", "american", "plover"), PAIRS)
def test_british_spelling_codes_as_american(
    enricher: Enricher, british: str, american: str, plover: str
) -> None:
    coded = _types(enricher, british)
    assert coded == _types(enricher, american)
    assert plover in {t for t, _ in coded}, coded
