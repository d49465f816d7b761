"""``parley_hyphenated_words``: keep the coding lexicon's hyphenated words one token.

spaCy's English tokenizer splits on infix hyphens, so "staged a sit-in" reaches the
coder as ``sit`` ``-`` ``in`` and "a troop build-up" as ``build`` ``-`` ``up``. The
CAMEO verb dictionaries spell many event words that way (cease-fire, build-up, sit-in,
peace-keeper, counter-demonstration: see workers/data/coding/verb_patterns.tsv), and an
entry written as one word can never match two tokens and a hyphen. Wire copy in AP
style writes "cease-fire" throughout, so this is not a rare case.

This component runs last and merges ``X - Y`` (no spaces between the parts) into one
token when the merged lemma (the parts before the last as written, lower case, then the
last part's lemma: "Sit-ins" -> "sit-in") is a hyphenated word of the coding tables.
The merged token keeps the parse of the part that heads the span, as spaCy's
retokenizer does. A span that crosses an entity boundary is left alone, so names and
their character offsets are never touched.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

import numpy
from spacy.attrs import ORTH
from spacy.language import Language
from spacy.tokens import Doc

COMPONENT_NAME = "parley_hyphenated_words"
CODING_DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "coding"
# A hyphenated word as the lexicon files write it: letters, one or more inner hyphens.
_HYPHENATED = re.compile(r"\b[a-z]+(?:-[a-z]+)+\b")
_MAX_PARTS = 3


def hyphenated_words(files: Iterable[Path] | None = None) -> frozenset[str]:
    """Every hyphenated lower-case word in the coding tables (comments skipped)."""
    paths = (
        files
        if files is not None
        else sorted([*CODING_DATA_DIR.glob("*.tsv"), *CODING_DATA_DIR.glob("*.yaml")])
    )
    words: set[str] = set()
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.lstrip().startswith("#"):
                continue
            words.update(_HYPHENATED.findall(line.lower()))
    return frozenset(words)


@lru_cache(maxsize=1)
def _lexicon_words() -> frozenset[str]:
    return hyphenated_words()


def merge_hyphenated(doc: Doc, words: frozenset[str]) -> Doc:
    """Merge every ``X - Y`` (and ``X - Y - Z``) whose merged lemma is in ``words``.

    Only the text's hyphenated runs are looked at, so an article pays for its few
    hyphenated words, not for every token.
    """
    merges: list[tuple[int, int, str]] = []
    for start, end in _hyphen_chains(doc):
        merges.extend(_merges_in_chain(doc, start, end, words))
    if not merges:
        return doc
    with doc.retokenize() as retokenizer:
        for start, end, lemma in merges:
            retokenizer.merge(doc[start:end], attrs={"LEMMA": lemma})
    return doc


def _hyphen_chains(doc: Doc) -> Iterator[tuple[int, int]]:
    """(start, end) token ranges of word-hyphen-word(-hyphen-word...) written without spaces.

    The hyphens are found by their hash in one array read of the Doc, so an article pays
    for its few hyphens, not for a Token object per word.
    """
    orths = doc.to_array(ORTH)
    hyphen = doc.vocab.strings.add("-")
    last = len(doc) - 1
    covered = -1
    for k in numpy.flatnonzero(orths == hyphen).tolist():
        if k <= covered or k == 0 or k == last:
            continue
        end = k + 2
        while end < last and orths[end] == hyphen:
            end += 2
        tokens = [doc[i] for i in range(k - 1, end)]
        if any(t.whitespace_ for t in tokens[:-1]):
            continue
        covered = end - 1
        yield k - 1, end


def _merges_in_chain(
    doc: Doc, start: int, end: int, words: frozenset[str]
) -> list[tuple[int, int, str]]:
    """Lexicon words inside tokens start..end (word, hyphen, word, ...), longest first."""
    tokens = [doc[i] for i in range(start, end)]
    if any(t.text != "-" for t in tokens[1::2]) or any(not t.is_alpha for t in tokens[0::2]):
        return []
    found: list[tuple[int, int, str]] = []
    i = 0
    while i < len(tokens) - 2:
        for parts in range(_MAX_PARTS, 1, -1):
            last = i + 2 * (parts - 1)
            if last >= len(tokens):
                continue
            written = "-".join(t.lower_ for t in tokens[i:last:2])
            lemma = f"{written}-{tokens[last].lemma_.lower()}"
            if lemma in words and _inside_one_entity(doc, start + i, start + last + 1):
                found.append((start + i, start + last + 1, lemma))
                i = last + 2
                break
        else:
            i += 2
    return found


def _inside_one_entity(doc: Doc, start: int, end: int) -> bool:
    """True when tokens start..end-1 are all outside entities or all in the same one."""
    first = doc[start]
    for i in range(start + 1, end):
        token = doc[i]
        if token.ent_iob_ == "B" or token.ent_type != first.ent_type:
            return False
    return True


@Language.factory(COMPONENT_NAME, assigns=["token.lemma"], requires=["token.lemma"])
def make_hyphenated_words(nlp: Language, name: str) -> HyphenatedWords:
    return HyphenatedWords(_lexicon_words())


class HyphenatedWords:
    def __init__(self, words: frozenset[str]) -> None:
        self.words = words

    def __call__(self, doc: Doc) -> Doc:
        return merge_hyphenated(doc, self.words)
