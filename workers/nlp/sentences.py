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

from spacy.language import Language
from spacy.tokens import Doc, Token

COMPONENT_NAME = "parley_sentence_breaks"
_FINAL_PUNCT = frozenset({".", "!", "?", ":", ";", '"', "”", "'", "’", ")"})


def _newlines_before(token: Token) -> int:
    """Newlines in the whitespace between the previous non-space token and this one."""
    count = 0
    i = token.i - 1
    doc = token.doc
    while i >= 0 and doc[i].is_space:
        count += doc[i].text.count("\n") + doc[i].whitespace_.count("\n")
        i -= 1
    if i >= 0:
        count += doc[i].whitespace_.count("\n")
    return count


def _line_end_token(token: Token) -> Token | None:
    i = token.i - 1
    while i >= 0 and token.doc[i].is_space:
        i -= 1
    return token.doc[i] if i >= 0 else None


def mark_line_breaks(doc: Doc) -> Doc:
    """Set ``is_sent_start`` on the first word after a blank line or a sentence-like line."""
    for token in doc:
        if token.i == 0 or token.is_space:
            continue
        newlines = _newlines_before(token)
        if newlines == 0:
            continue
        if newlines >= 2:
            token.is_sent_start = True
            continue
        last = _line_end_token(token)
        if last is None:
            continue
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
