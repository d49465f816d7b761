"""Staged state (workers.overlay): written to the table only on apply()."""

from __future__ import annotations

from typing import Any

from workers.overlay import Overlay


def test_changes_reach_the_base_only_on_apply() -> None:
    table: dict[str, Any] = {"a": 1}
    overlay = Overlay(table)
    overlay["b"] = 2
    del overlay["a"]
    assert table == {"a": 1}
    assert "a" not in overlay and overlay["b"] == 2 and set(overlay) == {"b"}
    assert overlay.apply() == 2
    assert table == {"b": 2}


def test_batches_in_flight_see_each_others_staged_changes() -> None:
    table: dict[str, Any] = {}
    pending: dict[str, Any] = {}
    first, second = Overlay(table, pending), Overlay(table, pending)
    first["id:x"] = {"version": 1}
    assert second["id:x"] == {"version": 1}, "the next batch must see the staged article"
    assert table == {}
    first.apply()
    assert table == {"id:x": {"version": 1}} and pending == {}


def test_apply_keeps_a_newer_value_staged_by_a_later_batch() -> None:
    table: dict[str, Any] = {}
    pending: dict[str, Any] = {}
    first, second = Overlay(table, pending), Overlay(table, pending)
    first["k"] = 1
    second["k"] = 2
    # The later value is staged: the earlier batch must not write its older one,
    # which would stay in the table if the later batch applied first.
    assert first.apply() == 0
    assert table == {}
    assert Overlay(table, pending)["k"] == 2
    second.apply()
    assert table == {"k": 2} and pending == {}


def test_missing_keys_raise_and_get_defaults() -> None:
    overlay = Overlay({})
    assert overlay.get("nope") is None
    try:
        overlay["nope"]
    except KeyError:
        pass
    else:
        raise AssertionError("KeyError expected")


def test_an_earlier_batch_applied_last_does_not_overwrite_a_newer_value() -> None:
    table: dict[str, Any] = {}
    pending: dict[str, Any] = {}
    first, second = Overlay(table, pending), Overlay(table, pending)
    first["k"] = 1
    second["k"] = 2
    assert second.delta() == {"k": 2} and first.delta() == {}
    second.apply()
    first.apply()
    assert table == {"k": 2} and pending == {}


def test_delta_marks_deletions_with_none() -> None:
    overlay = Overlay({"a": 1})
    del overlay["a"]
    overlay["b"] = {"x": 1}
    assert overlay.delta() == {"a": None, "b": {"x": 1}}
