from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span


def _with_statistical(nlp: Language, text: str, ents: list[tuple[str, str]]) -> Doc:
    """A Doc whose ents are what a statistical NER would have set, then the gazetteer run."""
    doc = nlp.make_doc(text)
    spans = []
    for surface, label in ents:
        start = text.index(surface)
        span = doc.char_span(start, start + len(surface), label=label)
        assert span is not None
        spans.append(span)
    doc.ents = spans
    return nlp.get_pipe("parley_gazetteer")(doc)


def _ents(doc: Doc) -> list[tuple[str, str, str]]:
    return [(e.text, e.label_, e.kb_id_) for e in doc.ents]


def test_capital_tagged_org_becomes_gpe(blank_nlp: Language) -> None:
    doc = _with_statistical(blank_nlp, "Officials in Moscow denied it.", [("Moscow", "ORG")])
    assert _ents(doc) == [("Moscow", "GPE", "L.RUS.Moscow")]


def test_bare_surname_tagged_gpe_becomes_person(blank_nlp: Language) -> None:
    doc = _with_statistical(blank_nlp, "Lavrov said no.", [("Lavrov", "GPE")])
    assert _ents(doc) == [("Lavrov", "PERSON", "P.lavrov")]


def test_opposition_politician_tagged_org_becomes_person(blank_nlp: Language) -> None:
    doc = _with_statistical(blank_nlp, "Navalny was jailed.", [("Navalny", "ORG")])
    assert _ents(doc) == [("Navalny", "PERSON", "P.navalny")]


def test_uppercase_dateline_city_is_found(blank_nlp: Language) -> None:
    doc = _with_statistical(blank_nlp, "GENEVA, May 2 (Agency) - Talks began.", [("GENEVA", "ORG")])
    assert _ents(doc)[0] == ("GENEVA", "GPE", "L.CHE.Geneva")


def test_longer_statistical_name_containing_a_country_is_kept(blank_nlp: Language) -> None:
    doc = _with_statistical(
        blank_nlp, "Jordan Peterson met students.", [("Jordan Peterson", "PERSON")]
    )
    assert _ents(doc) == [("Jordan Peterson", "PERSON", "")]


def test_leading_article_does_not_shield_statistical_span(blank_nlp: Language) -> None:
    doc = _with_statistical(
        blank_nlp, "He addressed the Arctic Council today.", [("the Arctic Council", "ORG")]
    )
    assert _ents(doc) == [("Arctic Council", "ORG", "ORG.ARCTIC_COUNCIL")]


def test_unrelated_statistical_entities_survive(blank_nlp: Language) -> None:
    doc = _with_statistical(
        blank_nlp, "Gazprom cut gas to Poland on Monday.", [("Gazprom", "ORG"), ("Monday", "DATE")]
    )
    assert _ents(doc) == [
        ("Gazprom", "ORG", ""),
        ("Poland", "GPE", "C.POL"),
        ("Monday", "DATE", ""),
    ]


def test_lowercase_common_words_are_not_matched(blank_nlp: Language) -> None:
    doc = blank_nlp("They ate turkey and may go to china shops.")
    assert _ents(doc) == []


def test_demonym_is_norp(blank_nlp: Language) -> None:
    doc = blank_nlp("Icelandic and Emirati diplomats met.")
    assert _ents(doc) == [("Icelandic", "NORP", "D.ISL"), ("Emirati", "NORP", "D.ARE")]


def test_igo_is_org_with_kb_id(blank_nlp: Language) -> None:
    doc = blank_nlp("NATO and the IAEA issued statements.")
    assert [(e.text, e.label_, e.kb_id_) for e in doc.ents] == [
        ("NATO", "ORG", "ORG.NATO"),
        ("IAEA", "ORG", "ORG.IAEA"),
    ]


def test_existing_span_type_is_preserved(blank_nlp: Language) -> None:
    doc = blank_nlp("Putin spoke.")
    assert isinstance(doc.ents[0], Span) and doc.ents[0].kb_id_ == "P.putin"


def test_name_run_into_a_sum_gives_way_to_the_place(blank_nlp: Language) -> None:
    # issue 12: the small model tags "Quito $1 billion" as one ORG
    doc = _with_statistical(
        blank_nlp, "Beijing agreed to lend Quito $1 billion.", [("Quito $1 billion", "ORG")]
    )
    assert ("Quito", "GPE", "L.ECU.Quito") in _ents(doc)
