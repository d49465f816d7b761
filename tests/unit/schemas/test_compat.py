"""The compatibility checker catches each kind of break on small synthetic schemas."""

from __future__ import annotations

import copy
from typing import Any

from schemas.compat import breaking_changes

BASE: dict[str, Any] = {
    "title": "Event",
    "type": "object",
    "properties": {
        "event_id": {"type": "string"},
        "goldstein": {"type": "number"},
        "published_at": {"type": "string", "format": "date-time"},
        "note": {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None},
        "severity": {"$ref": "#/$defs/Severity"},
        "source": {"anyOf": [{"$ref": "#/$defs/Actor"}, {"type": "null"}]},
        "tags": {"type": "array", "items": {"$ref": "#/$defs/Tag"}},
    },
    "required": ["event_id", "goldstein"],
    "$defs": {
        "Severity": {"type": "string", "enum": ["info", "warning", "critical"]},
        "Actor": {
            "type": "object",
            "properties": {"country": {"type": "string"}, "code": {"type": "string"}},
            "required": ["country"],
        },
        "Tag": {"type": "object", "properties": {"name": {"type": "string"}}},
    },
}


def changed(edit: Any) -> list[str]:
    new = copy.deepcopy(BASE)
    edit(new)
    return breaking_changes(BASE, new)


def test_identical_schemas_have_no_breaks() -> None:
    assert breaking_changes(BASE, copy.deepcopy(BASE)) == []


def test_added_optional_field_is_not_a_break() -> None:
    def add(s: dict[str, Any]) -> None:
        s["properties"]["story_id"] = {"anyOf": [{"type": "string"}, {"type": "null"}]}
        s["$defs"]["Actor"]["properties"]["role"] = {"type": "string"}

    assert changed(add) == []


def test_added_enum_value_is_not_a_break() -> None:
    assert changed(lambda s: s["$defs"]["Severity"]["enum"].append("emergency")) == []


def test_removed_field() -> None:
    assert changed(lambda s: s["properties"].pop("goldstein")) == ["Event.goldstein: field removed"]


def test_renamed_field_is_a_removal_with_a_hint() -> None:
    def rename(s: dict[str, Any]) -> None:
        s["properties"]["goldstein_score"] = s["properties"].pop("goldstein")
        s["required"] = ["event_id", "goldstein_score"]

    problems = changed(rename)
    assert "Event.goldstein: field removed (renamed to goldstein_score?)" in problems
    assert "Event.goldstein_score: new required field" in problems


def test_retyped_field() -> None:
    problems = changed(lambda s: s["properties"].update(goldstein={"type": "string"}))
    assert problems == ["Event.goldstein: retyped from number to string"]


def test_changed_string_format_is_a_retype() -> None:
    problems = changed(lambda s: s["properties"]["published_at"].update(format="date"))
    assert problems == ["Event.published_at: retyped from string:date-time to string:date"]


def test_field_made_nullable_is_a_retype() -> None:
    def nullable(s: dict[str, Any]) -> None:
        s["properties"]["event_id"] = {"anyOf": [{"type": "string"}, {"type": "null"}]}

    assert changed(nullable) == ["Event.event_id: retyped from string to null|string"]


def test_new_required_field() -> None:
    def add_required(s: dict[str, Any]) -> None:
        s["properties"]["origin"] = {"type": "string"}
        s["required"].append("origin")

    assert changed(add_required) == ["Event.origin: new required field"]


def test_optional_field_made_required() -> None:
    assert changed(lambda s: s["required"].append("note")) == [
        "Event.note: optional field became required"
    ]


def test_narrowed_enum_through_a_ref() -> None:
    assert changed(lambda s: s["$defs"]["Severity"]["enum"].remove("info")) == [
        "Event.severity: enum narrowed, removed value(s) info"
    ]


def test_narrowed_const() -> None:
    old = {
        "title": "U",
        "type": "object",
        "properties": {"reason": {"enum": ["unsupported_language", "too_short"]}},
    }
    new = {
        "title": "U",
        "type": "object",
        "properties": {"reason": {"const": "unsupported_language"}},
    }
    assert breaking_changes(old, new) == ["U.reason: enum narrowed, removed value(s) too_short"]


def test_breaks_inside_nullable_nested_defs_are_found() -> None:
    problems = changed(lambda s: s["$defs"]["Actor"]["properties"].pop("code"))
    assert problems == ["Event.source.code: field removed"]


def test_breaks_inside_array_items_are_found() -> None:
    problems = changed(lambda s: s["$defs"]["Tag"]["properties"].update(name={"type": "integer"}))
    assert problems == ["Event.tags[].name: retyped from string to integer"]


def test_recursive_definitions_terminate() -> None:
    tree: dict[str, Any] = {
        "title": "Node",
        "$ref": "#/$defs/Node",
        "$defs": {
            "Node": {
                "type": "object",
                "properties": {
                    "children": {"type": "array", "items": {"$ref": "#/$defs/Node"}},
                    "label": {"type": "string"},
                },
            }
        },
    }
    changed_tree = copy.deepcopy(tree)
    changed_tree["$defs"]["Node"]["properties"].pop("label")
    assert breaking_changes(tree, changed_tree) == ["Node.label: field removed"]
