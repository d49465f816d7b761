"""Resolve a Doc's entities to actors (minimal version: statistical NER only)."""

from __future__ import annotations

from datetime import datetime

from spacy.tokens import Doc

from workers.nlp.types import Mention, ResolvedDoc


def resolve_doc(doc: Doc, published_at: datetime) -> ResolvedDoc:
    mentions = [
        Mention(
            start=ent.start_char, end=ent.end_char, token_start=ent.start, token_end=ent.end,
            text=ent.text, label=ent.label_, canonical=ent.text,
        )
        for ent in doc.ents
    ]
    return ResolvedDoc(doc=doc, mentions=mentions)
