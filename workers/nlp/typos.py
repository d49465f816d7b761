"""``parley_typo_lemmas``: a misspelled common word keeps the lemma of the word it means.

Wire copy has typos, and so do the PLOVER authors' own gold records ("peackeepers who are
depolyed", "Kaunda rejectd the demands"). The coder matches by lemma, so one transposed
or dropped letter in the verb or event noun loses the event. This component gives such a
token the lemma of its correction: a lower-case common word (not a proper noun, not in a
named entity, five letters or more) that pyspellchecker's English word list (160,000
words with their frequencies) does not know, and that is one edit (an insertion,
deletion, substitution or transposition) from a word it does know, takes the lemma that
spaCy's own lemmatizer gives the likeliest such word under the token's part of speech.

Only the lemma changes: the token's text, and so every offset and every evidence string,
stays as written. A real word is never corrected ("protect" stays "protect", though
"protest" is one letter away), and a word with no candidate one edit away is left alone.
"""

from __future__ import annotations

from functools import cache

import numpy
from spacy.attrs import ENT_IOB, IS_ALPHA, LENGTH, LOWER, POS
from spacy.language import Language
from spacy.parts_of_speech import ADJ, ADV, NOUN, VERB
from spacy.strings import hash_string  # type: ignore[attr-defined]
from spacy.tokens import Doc
from spellchecker import SpellChecker

COMPONENT_NAME = "parley_typo_lemmas"
_MIN_LENGTH = 5  # shorter words have too many neighbours one edit away
_OUTSIDE = 2  # ENT_IOB: 1 inside, 2 outside, 3 beginning, 0 unset


@cache
def english_words() -> SpellChecker:
    """pyspellchecker's English frequency list, edits of distance one (loaded once)."""
    return SpellChecker(language="en", distance=1)


def correction(word: str) -> str | None:
    """The likeliest known word one edit from ``word`` (lower case), or None when ``word``
    is itself a known word or has no known word that close."""
    words = english_words()
    if word in words:
        return None
    candidates = words.candidates(word)
    if not candidates:
        return None
    # the likeliest first; ties by spelling, so the choice never depends on set order
    return max(sorted(candidates), key=words.word_usage_frequency)


@cache
def _known_hashes() -> numpy.ndarray:
    """The sorted string hashes of every known word (a string's hash is the same in any
    vocab), so that a Doc's known words are found in one array read, not per token."""
    return numpy.sort(
        numpy.fromiter(
            (hash_string(word) for word in english_words().word_frequency.dictionary),
            dtype=numpy.uint64,
        )
    )


def correct_typo_lemmas(doc: Doc, nlp: Language) -> Doc:
    if not len(doc):
        return doc
    columns = doc.to_array([LOWER, POS, ENT_IOB, IS_ALPHA, LENGTH])
    pos, iob = columns[:, 1], columns[:, 2]
    candidates = numpy.flatnonzero(
        (columns[:, 4] >= _MIN_LENGTH)
        & (columns[:, 3] == 1)
        & ((iob == 0) | (iob == _OUTSIDE))
        & ((pos == VERB) | (pos == NOUN) | (pos == ADJ) | (pos == ADV))
    )
    if not len(candidates):
        return doc
    lowers = columns[candidates, 0]
    known = _known_hashes()
    at = numpy.searchsorted(known, lowers)
    at[at == len(known)] = 0
    hits = candidates[known[at] != lowers]
    if not len(hits):
        return doc
    lemmatizer = nlp.get_pipe("lemmatizer") if "lemmatizer" in nlp.pipe_names else None
    for k in hits.tolist():
        token = doc[k]
        if not token.text[1:].islower():
            continue  # "McCain", "NATO": a name, however tagged
        fixed = correction(token.lower_)
        if fixed is None:
            continue
        token.lemma_ = _lemma(fixed, token.pos_, token.tag_, nlp, lemmatizer)
    return doc


def _lemma(word: str, pos: str, tag: str, nlp: Language, lemmatizer: object) -> str:
    """spaCy's lemma of ``word`` read as ``pos`` ("rejected" VERB -> "reject")."""
    rule_lemmatize = getattr(lemmatizer, "rule_lemmatize", None)
    if rule_lemmatize is None:
        return word
    probe = Doc(nlp.vocab, words=[word], pos=[pos], tags=[tag])
    lemmas = rule_lemmatize(probe[0])
    return str(lemmas[0]) if lemmas else word


@Language.factory(
    COMPONENT_NAME, assigns=["token.lemma"], requires=["token.lemma", "token.pos", "token.tag"]
)
def make_typo_lemmas(nlp: Language, name: str) -> TypoLemmas:
    return TypoLemmas(nlp)


class TypoLemmas:
    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp

    def __call__(self, doc: Doc) -> Doc:
        return correct_typo_lemmas(doc, self.nlp)
