"""``parley_sentence_breaks``: force sentence starts at blank lines and line breaks.

parley analyses ``title + "\\n\\n" + body``. A headline has no final period, so
the statistical parser runs it into the first body sentence ("Russia warns
Ukraine\\n\\nMoscow said ..."), and an event's evidence, actors and dependency
chains then straddle two sentences. This component runs before the parser and
marks sentence starts; spaCy's parser keeps preset ``is_sent_start`` values as
constraints and only adds boundaries of its own.

- After a blank line (two or more newlines): always a new sentence (title,
  paragraphs).
- After a single newline: a new sentence only if the next word is capitalised
  and the line before ends like a sentence or a headline (final punctuation,
  or a capitalised word or number), so hard-wrapped prose ("... the\\nforeign
  minister") stays one sentence.
"""

from __future__ import annotations

from spacy.attrs import IS_SPACE
from spacy.language import Language
from spacy.tokens import Doc

COMPONENT_NAME = "parley_sentence_breaks"
_FINAL_PUNCT = frozenset({".", "!", "?", ":", ";", '"', "”", "'", "’", ")"})


def mark_line_breaks(doc: Doc) -> Doc:
    """Set ``is_sent_start`` on the first word after a blank line or a sentence-like line."""
    # A word's trailing whitespace is one space at most: newlines live in whitespace
    # tokens. So only the word after a run of whitespace tokens can follow a line
    # break, and only those runs are read (a few per article, not every token).
    runs: list[tuple[int, int]] = []  # [first, end) of each run of whitespace tokens
    for i, is_space in enumerate(doc.to_array(IS_SPACE).tolist()):
        if not is_space:
            continue
        if runs and runs[-1][1] == i:
            runs[-1] = (runs[-1][0], i + 1)
        else:
            runs.append((i, i + 1))
    for first, end in runs:
        if end >= len(doc):
            continue
        newlines = sum(doc[i].text.count("\n") for i in range(first, end))
        if newlines == 0:
            continue
        token = doc[end]
        if newlines >= 2:
            token.is_sent_start = True
            continue
        if first == 0:  # no line before this one
            continue
        last = doc[first - 1]
        ends_line = last.text[-1] in _FINAL_PUNCT or last.is_title or last.is_upper or last.is_digit
        if token.text[:1].isupper() and ends_line:
            token.is_sent_start = True
    return doc


class SentenceBreaks:
    """Pipeline component object (a factory so it can be configured and serialised)."""

    def __call__(self, doc: Doc) -> Doc:
        return mark_line_breaks(doc)


@Language.factory(COMPONENT_NAME)
def make_sentence_breaks(nlp: Language, name: str) -> SentenceBreaks:
    return SentenceBreaks()
