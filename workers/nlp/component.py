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

from bisect import bisect_left

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

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
        strings = doc.vocab.strings
        found = _longest_first(
            [(start, end, strings[match_id]) for match_id, start, end in matches]
        )
        # ``found`` is sorted by start and free of overlaps, so its ends ascend too: the
        # matches inside a statistical entity are one run of it, found by bisection.
        starts = [start for start, _, _ in found]
        ents = doc.ents
        blocked: set[int] = set()  # tokens of the statistical entities kept
        for ent in ents:
            if ent.label_ not in _CONTAINING_LABELS_KEPT:
                continue
            first = last = bisect_left(starts, ent.start)
            while last < len(found) and found[last][1] <= ent.end:
                last += 1
            inside = found[first:last]
            strictly_contains = inside and all(
                (start, end) != (ent.start, ent.end) for start, end, _ in inside
            )
            if (
                strictly_contains
                and not _only_function_words_outside(ent, inside)
                and not _runs_into_an_amount(ent, inside)
            ):
                blocked.update(range(ent.start, ent.end))
        entries = self.gazetteer.entries
        gazetteer_spans = [
            Span(doc, start, end, label=entries[kb_id].label, kb_id=kb_id)
            for start, end, kb_id in found
            if not any(i in blocked for i in range(start, end))
        ]
        covered = {i for s in gazetteer_spans for i in range(s.start, s.end)}
        statistical = [
            ent for ent in ents if not any(i in covered for i in range(ent.start, ent.end))
        ]
        # What ``doc.ents = ...`` does, less its rebuilding every Span from its parts.
        doc.set_ents(sorted([*statistical, *gazetteer_spans], key=lambda s: s.start))
        return doc


def _longest_first(matches: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """``spacy.util.filter_spans`` on (start, end, kb id) triples, so that only the matches
    kept become Spans: the longest (then the first) of overlapping matches, by start."""
    ordered = sorted(matches, key=lambda m: (m[1] - m[0], -m[0]), reverse=True)
    kept = []
    seen: set[int] = set()
    for match in ordered:
        start, end, _ = match
        if start not in seen and end - 1 not in seen:
            kept.append(match)
            seen.update(range(start, end))
    return sorted(kept, key=lambda m: m[0])


def _only_function_words_outside(ent: Span, inside: list[tuple[int, int, str]]) -> bool:
    """True for "the Arctic Council" around "Arctic Council": the extra tokens add nothing."""
    inner = {i for start, end, _ in inside for i in range(start, end)}
    return all(
        ent.doc[i].is_punct or ent.doc[i].lower_ in _FUNCTION_WORDS
        for i in range(ent.start, ent.end)
        if i not in inner
    )


def _runs_into_an_amount(ent: Span, inside: list[tuple[int, int, str]]) -> bool:
    """True for the small model's ORG "Quito $1 billion" in "agreed to lend Quito $1
    billion": a name run into the sum after it is no name of its own, the place is kept."""
    inner = {i for start, end, _ in inside for i in range(start, end)}
    return any(ent.doc[i].is_currency for i in range(ent.start, ent.end) if i not in inner)


@Language.factory(COMPONENT_NAME)
def make_gazetteer_component(nlp: Language, name: str) -> GazetteerComponent:
    return GazetteerComponent(nlp, load_gazetteer())
