"""``parley_typo_lemmas`` and misspelled country names: one letter off still codes."""

from __future__ import annotations

import spacy
from spacy.tokens import Doc

from workers.nlp.gazetteer import load_gazetteer
from workers.nlp.resolve import _misspelled_country
from workers.nlp.typos import correct_typo_lemmas, correction


def test_a_word_one_edit_from_a_known_word_is_corrected() -> None:
    assert correction("depolyed") == "deployed"  # a transposition
    assert correction("peackeepers") == "peacekeepers"
    assert correction("condemed") == "condemned"  # a dropped letter


def test_a_known_word_is_never_corrected() -> None:
    # "protect" is one letter from "protest": both are words, neither is a typo
    assert correction("protect") is None
    assert correction("protest") is None


def test_a_word_with_no_known_word_one_edit_away_is_left_alone() -> None:
    assert correction("xqzvbnm") is None


def _doc(words: list[str], pos: list[str], ents: list[str] | None = None) -> Doc:
    return Doc(spacy.blank("en").vocab, words=words, lemmas=words, pos=pos, ents=ents)


def test_a_misspelled_verb_takes_its_correction_as_lemma_and_keeps_its_text() -> None:
    nlp = spacy.blank("en")  # no lemmatizer: the corrected word itself is the lemma
    doc = _doc(["Zambia", "rejectd", "the", "demands"], ["PROPN", "VERB", "DET", "NOUN"])
    correct_typo_lemmas(doc, nlp)
    assert doc[1].lemma_ == "rejected"
    assert doc[1].text == "rejectd"
    assert [t.lemma_ for t in doc][2:] == ["the", "demands"]


def test_names_short_words_and_entities_are_left_alone() -> None:
    nlp = spacy.blank("en")
    doc = _doc(
        ["Kagamee", "hitt", "Shellled", "Kigalii"],
        ["PROPN", "VERB", "VERB", "NOUN"],
        ["O", "O", "O", "B-GPE"],
    )
    correct_typo_lemmas(doc, nlp)
    assert doc[0].lemma_ == "Kagamee"  # a proper noun: a name, not a typo
    assert doc[1].lemma_ == "hitt"  # under five letters
    assert doc[2].lemma_ == "shelled"  # capitalised at a sentence start is still a word
    assert doc[3].lemma_ == "Kigalii"  # inside an entity


def test_a_name_one_letter_off_a_country_is_that_country() -> None:
    gaz = load_gazetteer()
    found = _misspelled_country(gaz, "Nicaragau")
    assert found is not None and found.country == "NIC"
    demonym = _misspelled_country(gaz, "Ethiopan")
    assert demonym is not None and demonym.country == "ETH"


def test_a_correctly_spelled_or_unlike_name_is_no_misspelling() -> None:
    gaz = load_gazetteer()
    assert _misspelled_country(gaz, "Nigeria") is None  # spelled right: the gazetteer's job
    assert _misspelled_country(gaz, "Kagame") is None
    assert _misspelled_country(gaz, "Chaad") is None  # under six letters
