"""``parley_sentence_breaks``: titles and paragraphs become their own sentences."""

from __future__ import annotations

import spacy
from spacy.language import Language

from workers.nlp.sentences import COMPONENT_NAME, mark_line_breaks


def _starts(nlp: Language, text: str) -> list[str]:
    doc = mark_line_breaks(nlp.make_doc(text))
    return [t.text for t in doc if t.is_sent_start and t.i > 0]


def test_blank_line_after_headline_starts_a_sentence() -> None:
    nlp = spacy.blank("en")
    assert _starts(nlp, "Russia warns Ukraine\n\nMoscow said it would respond.") == ["Moscow"]


def test_single_newline_after_headline_or_full_stop_starts_a_sentence() -> None:
    nlp = spacy.blank("en")
    assert _starts(nlp, "TALKS END IN GENEVA\nDelegates left.\nThey flew home.") == [
        "Delegates",
        "They",
    ]


def test_hard_wrapped_prose_is_not_split() -> None:
    nlp = spacy.blank("en")
    assert _starts(nlp, "The minister met the\nforeign minister of Iran in\nTehran.") == []


def test_no_newline_sets_nothing() -> None:
    doc = mark_line_breaks(spacy.blank("en").make_doc("Kenya hosted talks. Ethiopia came."))
    assert all(t.is_sent_start is None for t in doc[1:])


def test_factory_adds_component_before_a_parser_and_runs() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe(COMPONENT_NAME)
    doc = nlp("Sanctions lifted\n\nThe EU eased sanctions.")
    assert [s.text.strip() for s in doc.sents] == ["Sanctions lifted", "The EU eased sanctions."]
