"""``parley_american_spelling``: British lemmas reach the coder in the tables' spelling."""

from __future__ import annotations

import spacy
from spacy.tokens import Doc

from workers.coding.lexicon import pattern_lexicon
from workers.coding.tables import lexicon
from workers.nlp.spelling import american, american_text, americanize_lemmas


def _doc(words: list[str], lemmas: list[str], pos: list[str]) -> Doc:
    return Doc(spacy.blank("en").vocab, words=words, lemmas=lemmas, pos=pos)


def test_british_lemmas_become_american_and_the_text_stays_as_written() -> None:
    doc = _doc(
        ["Serbia", "mobilised", "its", "defence", "forces"],
        ["Serbia", "mobilise", "its", "defence", "force"],
        ["PROPN", "VERB", "PRON", "NOUN", "NOUN"],
    )
    americanize_lemmas(doc)
    assert [t.lemma_ for t in doc] == ["Serbia", "mobilize", "its", "defense", "force"]
    assert doc.text.strip() == "Serbia mobilised its defence forces"


def test_proper_nouns_keep_their_lemma() -> None:
    doc = _doc(
        ["Labour", "organised", "it"], ["Labour", "organise", "it"], ["PROPN", "VERB", "PRON"]
    )
    americanize_lemmas(doc)
    assert [t.lemma_ for t in doc] == ["Labour", "organize", "it"]


def test_words_american_newsrooms_also_spell_the_british_way_are_kept() -> None:
    assert american("dialogue") == "dialogue"
    assert american("cancellation") == "cancellation"
    assert american("manoeuvre") == "maneuver"
    assert american("talks") == "talks"


def test_table_text_is_folded_word_by_word_and_names_are_left_alone() -> None:
    assert american_text("recognise\t\tstate\n# Labour Centre: defence_pact") == (
        "recognize\t\tstate\n# Labour Centre: defense_pact"
    )


def test_loaded_tables_hold_no_british_key() -> None:
    verbs = set(pattern_lexicon().verbs) | set(lexicon().verbs)
    assert "mobilize" in verbs and "criticize" in verbs
    assert not {"mobilise", "criticise", "recognise", "apologise"} & verbs


def test_an_empty_doc_is_returned_unchanged() -> None:
    doc = Doc(spacy.blank("en").vocab, words=[])
    assert len(americanize_lemmas(doc)) == 0
