"""Hand-built spaCy Docs for the coder's unit tests: no model, every parse given."""

from __future__ import annotations

import spacy
from spacy.tokens import Doc

from workers.coding.doctree import Node, doc_tree
from workers.nlp.types import Mention

VOCAB = spacy.blank("en").vocab
#: (word, lemma, head index, dep, pos) per token.
Rows = list[tuple[str, str, int, str, str]]


def parse(rows: Rows, one_sentence: bool = True) -> Doc:
    """A Doc with the given parse; one sentence unless ``one_sentence`` is False."""
    return Doc(
        VOCAB,
        words=[r[0] for r in rows],
        lemmas=[r[1] for r in rows],
        heads=[r[2] for r in rows],
        deps=[r[3] for r in rows],
        pos=[r[4] for r in rows],
        sent_starts=[i == 0 for i in range(len(rows))] if one_sentence else None,
    )


def nodes(doc: Doc) -> list[Node]:
    """The coder's view of ``doc``'s tokens (``workers.coding.doctree``), one per token."""
    return doc_tree(doc).nodes


def mention(
    doc: Doc,
    index: int,
    country: str | None,
    label: str = "GPE",
    end: int | None = None,
    role: str | None = None,
) -> Mention:
    """A resolved mention over tokens ``index``..``end`` of ``doc`` with its country."""
    stop = end if end is not None else index + 1
    span = doc[index:stop]
    return Mention(
        start=span.start_char,
        end=span.end_char,
        token_start=index,
        token_end=stop,
        text=span.text,
        label=label,
        canonical=span.text,
        country=country,
        role=role,
        actor_code=(country or "") + (role or "") or None,
    )
