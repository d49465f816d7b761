from __future__ import annotations

import pytest
import spacy
from spacy.language import Language

import workers.nlp.component  # noqa: F401 - registers the factory


@pytest.fixture(scope="session")
def blank_nlp() -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("parley_gazetteer")
    return nlp
