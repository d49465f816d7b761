"""Load the spaCy pipeline parley runs: the statistical model plus the gazetteer."""

from __future__ import annotations

import spacy
from spacy.language import Language

from workers.nlp.component import COMPONENT_NAME


def build_pipeline(model: str) -> Language:
    nlp = spacy.load(model)
    if COMPONENT_NAME not in nlp.pipe_names:
        if "ner" in nlp.pipe_names:
            nlp.add_pipe(COMPONENT_NAME, after="ner")
        else:
            nlp.add_pipe(COMPONENT_NAME, last=True)
    return nlp
