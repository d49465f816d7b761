"""``parley_gazetteer``: a spaCy component that merges gazetteer matches into doc.ents.

Runs after the statistical "ner". One case-sensitive PhraseMatcher (ORTH) over
every gazetteer surface form, built once per pipeline. A gazetteer match
replaces the statistical entities it overlaps (the model tags capitals and
surnames ORG/GPE on wire copy), except when a statistical PERSON/ORG/FAC/
EVENT/LAW/WORK_OF_ART strictly contains it ("Jordan Peterson", "Moscow State
University"): a longer name the model found is more specific than the part of
it the gazetteer knows.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from workers.nlp.gazetteer import Gazetteer, load_gazetteer

COMPONENT_NAME = "parley_gazetteer"
_CONTAINING_LABELS_KEPT = frozenset({"PERSON", "ORG", "FAC", "EVENT", "LAW", "WORK_OF_ART"})
_FUNCTION_WORDS = frozenset({"the", "a", "an", "'s", "’s", "of", "and"})


class GazetteerComponent:
    def __init__(self, nlp: Language, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        by_kb: dict[str, list[Doc]] = {}
        for name, kb_ids in gazetteer.names.items():
            by_kb.setdefault(kb_ids[0], []).append(nlp.make_doc(name))
        for kb_id, patterns in by_kb.items():
            self.matcher.add(kb_id, patterns)

    def __call__(self, doc: Doc) -> Doc:
        matches = self.matcher(doc)
        if not matches:
            return doc
        spans = []
        for match_id, start, end in matches:
            kb_id = doc.vocab.strings[match_id]
            entry = self.gazetteer.entries[kb_id]
            spans.append(Span(doc, start, end, label=entry.label, kb_id=kb_id))
        found = filter_spans(spans)
        kept_statistical: list[Span] = []
        covered: set[int] = set()
        dropped: set[int] = set()
        for ent in doc.ents:
            inside = [s for s in found if s.start >= ent.start and s.end <= ent.end]
            strictly_contains = inside and all(
                (s.start, s.end) != (ent.start, ent.end) for s in inside
            )
            if strictly_contains and _only_function_words_outside(ent, inside):
                strictly_contains = False
            if strictly_contains and ent.label_ in _CONTAINING_LABELS_KEPT:
                kept_statistical.append(ent)
                dropped.update(id(s) for s in inside)
        for span in found:
            if id(span) not in dropped:
                covered.update(range(span.start, span.end))
        gazetteer_spans = [s for s in found if id(s) not in dropped]
        blocked = {i for ent in kept_statistical for i in range(ent.start, ent.end)}
        gazetteer_spans = [
            s for s in gazetteer_spans if not any(i in blocked for i in range(s.start, s.end))
        ]
        covered = {i for s in gazetteer_spans for i in range(s.start, s.end)}
        statistical = [
            ent for ent in doc.ents if not any(i in covered for i in range(ent.start, ent.end))
        ]
        doc.ents = sorted([*statistical, *gazetteer_spans], key=lambda s: s.start)
        return doc


def _only_function_words_outside(ent: Span, inside: list[Span]) -> bool:
    """True for "the Arctic Council" around "Arctic Council": the extra tokens add nothing."""
    inner = {i for s in inside for i in range(s.start, s.end)}
    return all(
        ent.doc[i].is_punct or ent.doc[i].lower_ in _FUNCTION_WORDS
        for i in range(ent.start, ent.end)
        if i not in inner
    )


@Language.factory(COMPONENT_NAME)
def make_gazetteer_component(nlp: Language, name: str) -> GazetteerComponent:
    return GazetteerComponent(nlp, load_gazetteer())
