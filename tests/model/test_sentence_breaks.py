"""The real pipeline keeps a headline without a final period out of the first body sentence."""

from __future__ import annotations

import pytest

from workers.core import Enricher
from workers.nlp.sentences import COMPONENT_NAME

pytestmark = pytest.mark.model


def test_parser_respects_headline_break(enricher: Enricher) -> None:
    nlp = enricher.nlp  # the session's pipeline (build_pipeline)
    assert nlp.pipe_names.index(COMPONENT_NAME) < nlp.pipe_names.index("parser")
    doc = nlp("Russia warns Ukraine\n\nMoscow said on Monday it would respond to any attack.")
    sentences = [s.text.strip() for s in doc.sents]
    assert sentences == [
        "Russia warns Ukraine",
        "Moscow said on Monday it would respond to any attack.",
    ]
