"""Token hash columns of one Doc, read once for all its sentences.

The coder finds trigger candidates by the lemma and lower-case hashes of each token of a
sentence. ``Span.to_array`` costs about ten microseconds a call whatever the span's
length, ``Doc.to_array`` about as much for the whole document: reading the document once
and slicing it per sentence takes the cost from once per sentence to once per article.

The coder works on one document at a time, so one document is kept: the last one asked
about, held by reference (compared with ``is``, so a later document at the same address
can never be mistaken for it).
"""

from __future__ import annotations

from spacy.attrs import LEMMA, LOWER
from spacy.tokens import Doc, Span

_LAST: list[tuple[Doc, list[list[int]]]] = []


def doc_columns(doc: Doc) -> list[list[int]]:
    """(lemma hash, lower-case hash) of every token of ``doc``, read on the first call."""
    if _LAST and _LAST[0][0] is doc:
        return _LAST[0][1]
    columns: list[list[int]] = doc.to_array([LEMMA, LOWER]).tolist()
    _LAST[:] = [(doc, columns)]
    return columns


def span_columns(span: Span) -> list[list[int]]:
    """(lemma hash, lower-case hash) of each token of the span."""
    return doc_columns(span.doc)[span.start : span.end]
