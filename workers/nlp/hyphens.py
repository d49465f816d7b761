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
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

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
    """Merge every ``X - Y`` (and ``X - Y - Z``) whose merged lemma is in ``words``."""
    merges: list[tuple[int, int, str]] = []
    i = 0
    n = len(doc)
    while i < n - 2:
        found = _hyphenated_at(doc, i, words)
        if found is None:
            i += 1
            continue
        end, lemma = found
        merges.append((i, end, lemma))
        i = end
    if not merges:
        return doc
    with doc.retokenize() as retokenizer:
        for start, end, lemma in merges:
            retokenizer.merge(doc[start:end], attrs={"LEMMA": lemma})
    return doc


def _hyphenated_at(doc: Doc, start: int, words: frozenset[str]) -> tuple[int, str] | None:
    """(end, lemma) of the longest lexicon word spelled with hyphens from token ``start``."""
    first = doc[start]
    if not first.is_alpha or first.whitespace_:
        return None
    best: tuple[int, str] | None = None
    written = first.lower_
    end = start + 1
    for _ in range(_MAX_PARTS - 1):
        if end + 1 >= len(doc):
            break
        hyphen, part = doc[end], doc[end + 1]
        if hyphen.text != "-" or hyphen.whitespace_ or not part.is_alpha:
            break
        lemma = f"{written}-{part.lemma_.lower()}"
        if lemma in words and _inside_one_entity(doc, start, end + 2):
            best = (end + 2, lemma)
        written = f"{written}-{part.lower_}"
        if part.whitespace_:
            break
        end += 2
    return best


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
