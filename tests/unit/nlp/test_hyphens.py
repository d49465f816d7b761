"""``parley_hyphenated_words``: the lexicon's hyphenated words become one token."""

from __future__ import annotations

from pathlib import Path

import spacy
from spacy.tokens import Doc, Span

from workers.nlp.hyphens import hyphenated_words, merge_hyphenated

WORDS = frozenset({"sit-in", "cease-fire", "prisoners-of-war"})


def _doc(words: list[str], spaces: list[bool], lemmas: list[str] | None = None) -> Doc:
    doc = Doc(spacy.blank("en").vocab, words=words, spaces=spaces)
    for token, lemma in zip(doc, lemmas or [w.lower() for w in words], strict=True):
        token.lemma_ = lemma
    return doc


def test_parts_written_together_merge_with_the_last_part_lemmatized() -> None:
    doc = _doc(
        ["Students", "staged", "Sit", "-", "ins", "again"],
        [True, True, False, False, True, False],
        ["student", "stage", "sit", "-", "in", "again"],
    )
    merged = merge_hyphenated(doc, WORDS)
    assert [t.text for t in merged] == ["Students", "staged", "Sit-ins", "again"]
    assert merged[2].lemma_ == "sit-in"
    assert merged.text == "Students staged Sit-ins again"


def test_three_parts_merge_and_unknown_words_stay_split() -> None:
    doc = _doc(
        ["freed", "prisoners", "-", "of", "-", "war", "and", "re", "-", "tried"],
        [True, False, False, False, False, True, True, False, False, False],
    )
    merged = merge_hyphenated(doc, WORDS)
    assert [t.text for t in merged] == ["freed", "prisoners-of-war", "and", "re", "-", "tried"]


def test_spaced_hyphen_is_no_word() -> None:
    doc = _doc(["a", "cease", "-", "fire"], [True, True, True, False])
    assert len(merge_hyphenated(doc, WORDS)) == 4


def test_span_crossing_an_entity_boundary_is_left_alone() -> None:
    doc = _doc(["Cease", "-", "fire", "talks"], [False, False, True, False])
    doc.ents = [Span(doc, 2, 4, label="EVENT")]
    merged = merge_hyphenated(doc, WORDS)
    assert [t.text for t in merged] == ["Cease", "-", "fire", "talks"]


def test_words_come_from_the_tables_and_skip_comments(tmp_path: Path) -> None:
    table = tmp_path / "nouns.tsv"
    table.write_text("# a pull-out comment\nsit-in\t141\nwalk-out\t143\n", encoding="utf-8")
    assert hyphenated_words([table]) == {"sit-in", "walk-out"}
    assert {"cease-fire", "build-up", "sit-in"} <= hyphenated_words()
