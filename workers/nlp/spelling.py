"""``parley_american_spelling``: one spelling for the coder, whatever the wire service.

Reuters, AFP and the BBC write "mobilised", "criticised", "defence", "manoeuvres" and
"recognise"; AP and the CAMEO verb dictionaries write "mobilized", "criticized",
"defense". The coder matches words by lemma, so a British spelling in either the text or
a table is a verb or event noun that never matches: "the army mobilised reservists" coded
nothing while "mobilized" coded 152.

Rather than list every word twice, both sides are folded to the American form with
breame's British-to-American table (1,730 word forms, Apache-2.0): this component
rewrites the lemma of every token whose lemma has a British spelling ("mobilise" ->
"mobilize", "defence" -> "defense"), and the coding tables pass their text through
:func:`american_text` when they load. The token's text, and so every character offset
and every evidence string, is left as written. Proper nouns keep their lemma ("Labour"
the party, "Centre" in a name).

A few words in the table are spelled the British way in American newsrooms too
(dialogue, catalogue, cancellation, gauge): folding them would only make lemmas
look odd, so they are kept.
"""

from __future__ import annotations

import re
from functools import cache

import numpy
from breame.data.spelling_constants import BRITISH_ENGLISH_SPELLINGS
from spacy.attrs import LEMMA, POS
from spacy.language import Language
from spacy.parts_of_speech import PROPN
from spacy.strings import hash_string  # type: ignore[attr-defined]
from spacy.tokens import Doc

COMPONENT_NAME = "parley_american_spelling"
# Written this way by AP and the New York Times as well: left alone.
_KEPT_AS_WRITTEN = frozenset(
    {
        "analogue",
        "analogues",
        "cancellation",
        "cancellations",
        "catalogue",
        "catalogues",
        "dialogue",
        "dialogues",
        "gauge",
        "gauges",
        "gauged",
        "gauging",
    }
)
_WORD = re.compile(r"[a-z]+")


@cache
def american_spellings() -> dict[str, str]:
    """British lower-case word form -> its American form, minus the kept words."""
    return {
        british: american
        for british, american in BRITISH_ENGLISH_SPELLINGS.items()
        if british not in _KEPT_AS_WRITTEN and british.isalpha() and american.isalpha()
    }


def american(word: str) -> str:
    """The American spelling of a lower-case word; the word itself when it has none."""
    return american_spellings().get(word, word)


def american_text(text: str) -> str:
    """``text`` with every lower-case British word form replaced by its American form.

    For data files: words are matched whole, so "defence" in "defence_pact" or in a
    comment changes the same way, and capitalised words (names) are left alone.
    """
    table = american_spellings()
    return _WORD.sub(lambda m: table.get(m.group(0), m.group(0)), text)


def americanize_lemmas(doc: Doc) -> Doc:
    """Rewrite to American spelling the lemma of each non-proper-noun token that has one.

    The British lemmas are found by hash in one array read of the Doc, so an article
    pays for its few British words, not for a Python lookup per token.
    """
    if not len(doc):
        return doc
    british = _british_hashes()
    columns = doc.to_array([LEMMA, POS])
    lemmas = columns[:, 0]
    # Membership by bisection in the sorted hashes: ``numpy.isin`` sorts the table (about
    # 1,700 hashes) together with the document's lemmas again on every call.
    at = numpy.searchsorted(british, lemmas)
    at[at == len(british)] = 0
    hits = numpy.flatnonzero((british[at] == lemmas) & (columns[:, 1] != PROPN))
    if not len(hits):
        return doc
    strings = doc.vocab.strings
    for k in hits.tolist():
        token = doc[k]
        token.lemma_ = american(strings[int(columns[k, 0])])
    return doc


@cache
def _british_hashes() -> numpy.ndarray:
    """The hashes of every British word form, sorted (a string's hash is the same in any
    vocab)."""
    return numpy.sort(
        numpy.array([hash_string(word) for word in american_spellings()], dtype=numpy.uint64)
    )


@Language.factory(COMPONENT_NAME, assigns=["token.lemma"], requires=["token.lemma", "token.pos"])
def make_american_spelling(nlp: Language, name: str) -> AmericanSpelling:
    return AmericanSpelling()


class AmericanSpelling:
    def __call__(self, doc: Doc) -> Doc:
        return americanize_lemmas(doc)
