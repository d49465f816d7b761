"""The CAMEO -> PLOVER crosswalk kept as data: the authors' answer, and parley's overrides."""

from __future__ import annotations

from workers.coding.tables import cameo, cameo_codes, crosswalk, plover_mapping, plover_type_of


def test_root_08_splits_code_by_code_into_concede_and_retreat() -> None:
    assert plover_type_of("081") == "CONCEDE" and plover_type_of("083") == "CONCEDE"
    assert plover_type_of("084") == "RETREAT" and plover_type_of("087") == "RETREAT"
    # the table files easing a curfew (0813) under RETREAT; the manual's CONCEDE section
    # names "removing curfews": parley overrides it, the table's answer stays visible
    assert crosswalk("0813").type == "RETREAT" and plover_type_of("0813") == "CONCEDE"
    assert plover_mapping("0871").mode == "ceasefire"
    assert plover_mapping("0871").context == "military"


def test_sanctions_163_are_sanction_discontinue_by_the_manual_over_the_tables_coerce() -> None:
    # the authors' 2021 table files 163 under COERCE; the manual's SANCTION modes code
    # international sanctions as 'discontinue' (plover_overrides.tsv)
    assert crosswalk("163").type == "COERCE"
    assert plover_mapping("163").type == "SANCTION" and plover_mapping("163").mode == "discontinue"
    assert plover_mapping("163").source == "override"
    assert {plover_type_of(c) for c in ("160", "161", "162", "163", "164", "166", "1661")} == {
        "SANCTION"
    }


def test_a_four_digit_code_absent_from_the_table_takes_its_parent_row() -> None:
    assert "0841" in cameo_codes()  # 4-digit codes are in the code table
    assert cameo("0841").name.startswith("Return, release person")
    assert crosswalk("0411").type == "CONSULT"  # no such row: 041's
    assert plover_type_of("1712") == "ASSAULT" and plover_type_of("171") == "COERCE"


def test_appeals_are_an_explicit_override_and_the_authors_answer_stays_visible() -> None:
    assert crosswalk("026").type is None and crosswalk("026").source == "none"
    assert plover_mapping("026").source == "override"
    assert plover_mapping("0234").type == "REQUEST"
    assert crosswalk("010").type is None and plover_type_of("010") is None


def test_context_is_carried_on_the_code_row() -> None:
    assert cameo("0333").plover_context == "humanitarian"
    assert cameo("173").plover_mode == "arrest" and cameo("173").plover_type == "COERCE"


def test_an_official_resignation_is_retreat_as_the_manual_lists_its_modes() -> None:
    assert crosswalk("0831").type == "CONCEDE"
    assert plover_mapping("0831").type == "RETREAT" and plover_mapping("0831").mode == "resign"
    assert plover_type_of("083") == "CONCEDE"  # other reforms conceded stay CONCEDE
