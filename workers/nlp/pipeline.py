"""Load the spaCy pipeline parley runs (placeholder until the gazetteer lands)."""

from __future__ import annotations

import spacy
from spacy.language import Language


def build_pipeline(model: str) -> Language:
    return spacy.load(model)
