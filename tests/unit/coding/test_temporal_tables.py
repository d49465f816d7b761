"""Dates, code tables and the evaluator's scoring: no model."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from workers.coding.evaluate import _gold_items, _Item, _Scorer
from workers.coding.tables import cameo, cameo_codes, lexicon, plover_type_of
from workers.coding.temporal import (
    _FALLBACK_DATE_RE,
    _FALLBACK_HINTS,
    _HISTORICAL_HINTS,
    _HISTORICAL_RE,
    _hinted,
    event_temporal,
    find_date_expressions,
    resolve_date,
)

WEDNESDAY = date(2024, 5, 22)


@pytest.mark.parametrize(
    ("expression", "future", "expected"),
    [
        ("Wednesday", False, date(2024, 5, 22)),
        ("Monday", False, date(2024, 5, 20)),
        ("on Friday", True, date(2024, 5, 24)),
        ("on May 18", False, date(2024, 5, 18)),
        ("yesterday", False, date(2024, 5, 21)),
        ("next month", True, date(2024, 6, 1)),
    ],
)
def test_resolve_date(expression: str, future: bool, expected: date) -> None:
    assert resolve_date(expression, WEDNESDAY, future) == expected


def test_year_and_anniversary_are_historical() -> None:
    old = event_temporal("Russia annexed Crimea in 2014.", ["2014"], WEDNESDAY)
    assert old.event_date is not None and old.event_date.year == 2014 and old.historical
    anniversary = event_temporal("On the anniversary of the war, X spoke.", [], WEDNESDAY)
    assert anniversary.historical and anniversary.event_date == WEDNESDAY
    current = event_temporal("X met Y on Monday.", ["Monday"], WEDNESDAY)
    assert not current.historical and current.event_date == date(2024, 5, 20)


@pytest.mark.parametrize("span", ["two years", "48 hours", "several months", "within six weeks"])
def test_a_count_of_units_is_a_duration_not_a_date_that_long_ago(span: str) -> None:
    temporal = event_temporal(f"The junta pledged to hand over power in {span}.", [span], WEDNESDAY)
    assert temporal.event_date == WEDNESDAY
    assert not temporal.historical


def test_a_count_of_units_ago_is_still_a_date() -> None:
    temporal = event_temporal("Troops left three years ago.", ["three years ago"], WEDNESDAY)
    assert temporal.event_date.year == 2021
    assert temporal.historical


def test_undated_sentence_takes_publication_date() -> None:
    assert event_temporal("X met Y.", [], WEDNESDAY).event_date == WEDNESDAY


def test_code_table_has_all_roots_and_reference_codes() -> None:
    codes = cameo_codes()
    assert {f"{r:02d}" for r in range(1, 21)} <= set(codes)
    for code in [
        "026",
        "036",
        "040",
        "042",
        "043",
        "046",
        "051",
        "057",
        "111",
        "112",
        "120",
        "125",
        "130",
        "138",
        "141",
        "161",
        "163",
        "164",
        "166",
        "174",
        "190",
        "195",
    ]:
        assert code in codes
    assert cameo("16").quad_class == 4  # ICEWS convention
    assert cameo("163").plover_type == "SANCTION" and cameo("166").plover_type == "SANCTION"
    assert cameo("057").goldstein == 8.0 and cameo("195").goldstein == -10.0
    assert plover_type_of("0874") == "RETREAT" and plover_type_of("010") is None


def test_every_lexicon_code_exists() -> None:
    lex = lexicon()
    for triggers in lex.verbs.values():
        for trigger in triggers:
            assert cameo(trigger.code)
    assert lex.verbs["impose"][0].objects >= {"sanction"}


def test_scorer_matches_by_key_multiset_and_scores_countries() -> None:
    scorer = _Scorer()
    gold_roots, gold_types = _gold_items(
        [
            {"source": "RUSGOV", "target": "UKR", "code": "111", "scheme": "CAMEO"},
            {"source": "USA", "target": None, "code": "010", "scheme": "CAMEO"},
        ]
    )
    assert [i.key for i in gold_types] == ["ACCUSE"]  # 010 has no PLOVER type
    scorer.add(gold_roots, [_Item("11", "RUS", "UKR"), _Item("19", "RUS", "UKR")])
    summary = scorer.summary(macro=True)
    assert summary["matched"] == 1 and summary["gold"] == 2 and summary["predicted"] == 2
    assert summary["micro"]["precision"] == 0.5 and summary["micro"]["recall"] == 0.5
    assert scorer.source_hits == 1 and scorer.target_hits == 1


def test_appeals_and_demands_are_plover_requests_statements_uncoded() -> None:
    # PLOVER's REQUEST covers requests, demands and orders: CAMEO 02x and 10x.
    assert cameo("026").plover_type == "REQUEST" and cameo("026").plover_mode == "appeal"
    # 10x modes are the authors' crosswalk's (106 "Demand meeting, negotiation" is mode meet)
    assert cameo("106").plover_type == "REQUEST" and cameo("106").plover_mode == "meet"
    assert cameo("020").quad_class == 1 and cameo("100").quad_class == 3  # CAMEO's own
    assert plover_type_of("0234") == "REQUEST"
    assert plover_type_of("018") is None and plover_type_of("01") is None


def test_trigger_prepositions_are_words_not_yaml_booleans(tmp_path: Path) -> None:
    lex = lexicon()
    assert any(t.prep == "on" for t in lex.verbs["call"])  # "called on"
    assert "on" in lex.verbs["deploy"][0].target_preps
    bad = tmp_path / "triggers.yaml"
    bad.write_text(
        "verbs:\n  - {lemma: call, code: '020', prep: on}\nnouns: []\nlight_verbs: []\n"
        "intent_verbs: []\nreject_verbs: []\nspeech_verbs: []\nmodal_hypothetical: []\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="quote"):
        lexicon.__wrapped__(bad)


def test_inverse_and_desire_entries_load() -> None:
    lex = lexicon()
    assert any(t.inverse and "aid" in t.objects for t in lex.verbs["receive"])
    assert any(t.inverse and t.prep == "under" for t in lex.verbs["come"])
    assert "want" in lex.desire_verbs


def test_the_date_hints_are_in_every_text_the_date_patterns_match() -> None:
    """The substring pre-tests skip a regex scan only where it could find nothing."""
    texts = [
        "Talks resume on MONDAY",
        "the strike came Yesterday",
        "they meet TOMORROW",
        "a vote next Month",
        "NEXT WEEK",
        "three YEARS AGO",
        "two days ago",
        "in 1999",
        "IN 2014 they met",
        "on the anniversary of the war",
        "decades ago",
        "A DECADE AGO",
        "in the 1990s",
        "In The 2000s",
        "Russia condemned the attack",
        "no date here at all",
    ]
    for text in texts:
        lowered = text.lower()
        if _FALLBACK_DATE_RE.search(text):
            assert _hinted(lowered, _FALLBACK_HINTS), text
        if _HISTORICAL_RE.search(text):
            assert _hinted(lowered, _HISTORICAL_HINTS), text
    assert not _hinted("russia condemned the attack", _FALLBACK_HINTS)
    assert find_date_expressions("They met on Monday.", []) == ["on Monday"]
    assert find_date_expressions("Russia condemned the attack.", []) == []
