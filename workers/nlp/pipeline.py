"""Load the spaCy pipeline parley runs: the statistical model plus parley's components.

Order: ``parley_sentence_breaks`` before the parser (line breaks become preset
sentence starts the parser respects), ``parley_gazetteer`` after the NER, and
``parley_hyphenated_words`` next to last (it merges tokens, so it runs once every other
component has seen the text as spaCy tokenizes it), ``parley_typo_lemmas`` next (a
misspelled word takes its correction's lemma) and ``parley_american_spelling`` last (it
rewrites lemmas, merged and corrected ones included, to the spelling the coder's tables
use).
"""

from __future__ import annotations

import spacy
from spacy.language import Language

from workers.nlp.component import COMPONENT_NAME
from workers.nlp.hyphens import COMPONENT_NAME as HYPHENATED_WORDS
from workers.nlp.sentences import COMPONENT_NAME as SENTENCE_BREAKS
from workers.nlp.spelling import COMPONENT_NAME as AMERICAN_SPELLING
from workers.nlp.typos import COMPONENT_NAME as TYPO_LEMMAS


def build_pipeline(model: str) -> Language:
    nlp = spacy.load(model)
    if SENTENCE_BREAKS not in nlp.pipe_names:
        if "parser" in nlp.pipe_names:
            nlp.add_pipe(SENTENCE_BREAKS, before="parser")
        elif "senter" in nlp.pipe_names:
            nlp.add_pipe(SENTENCE_BREAKS, before="senter")
        else:
            nlp.add_pipe(SENTENCE_BREAKS, first=True)
    if COMPONENT_NAME not in nlp.pipe_names:
        if "ner" in nlp.pipe_names:
            nlp.add_pipe(COMPONENT_NAME, after="ner")
        else:
            nlp.add_pipe(COMPONENT_NAME, last=True)
    if HYPHENATED_WORDS not in nlp.pipe_names:
        nlp.add_pipe(HYPHENATED_WORDS, last=True)
    if TYPO_LEMMAS not in nlp.pipe_names:
        nlp.add_pipe(TYPO_LEMMAS, last=True)
    if AMERICAN_SPELLING not in nlp.pipe_names:
        nlp.add_pipe(AMERICAN_SPELLING, last=True)
    return nlp
