"""Would a schema change break existing consumers? Compare two JSON Schemas.

``breaking_changes(old, new)`` walks both schemas in step, through ``$ref``,
``anyOf``/``oneOf``, object properties and array items, and reports:

- a removed field (a rename shows as a removal, with the likely new name);
- a retyped field: its set of JSON types or string format changed (a widened
  type breaks consumers too: they were written for the old one);
- a new required field, or an optional field that became required (payloads
  stored under the old schema lack it);
- a narrowed enum or const (values consumers already store stop validating).

An added optional field is not a break: consumers ignore fields they do not
know (the published schemas allow unknown properties for that reason).
"""

from __future__ import annotations

from typing import Any

Schema = dict[str, Any]


def breaking_changes(old_schema: Schema, new_schema: Schema) -> list[str]:
    """Every change from old to new that would break a consumer, as readable messages."""
    walker = _Walker(old_schema, new_schema)
    walker.compare(old_schema, new_schema, str(old_schema.get("title", "$")))
    return walker.problems


class _Walker:
    def __init__(self, old_root: Schema, new_root: Schema) -> None:
        self.old_root = old_root
        self.new_root = new_root
        self.problems: list[str] = []
        self._seen: set[tuple[str, str]] = set()

    def compare(self, old: Schema, new: Schema, path: str) -> None:
        old_ref, new_ref = old.get("$ref", ""), new.get("$ref", "")
        if old_ref or new_ref:
            # Recursive models (and shared $defs) would loop forever otherwise.
            if (old_ref, new_ref) in self._seen:
                return
            self._seen.add((old_ref, new_ref))
        old = _resolve(self.old_root, old)
        new = _resolve(self.new_root, new)

        old_types, new_types = _types(self.old_root, old), _types(self.new_root, new)
        if old_types != new_types:
            self.problems.append(f"{path}: retyped from {_show(old_types)} to {_show(new_types)}")

        old_enum, new_enum = _enum(self.old_root, old), _enum(self.new_root, new)
        if old_enum is not None:
            lost = old_enum - new_enum if new_enum is not None else set()
            if lost:
                self.problems.append(f"{path}: enum narrowed, removed value(s) {_show(lost)}")

        old_props, old_required = _properties(self.old_root, old)
        new_props, new_required = _properties(self.new_root, new)
        added = sorted(set(new_props) - set(old_props))
        for name in sorted(set(old_props) - set(new_props)):
            hint = f" (renamed to {', '.join(added)}?)" if added else ""
            self.problems.append(f"{path}.{name}: field removed{hint}")
        for name in sorted(new_required - old_required):
            if name in old_props:
                self.problems.append(f"{path}.{name}: optional field became required")
            else:
                self.problems.append(f"{path}.{name}: new required field")
        for name in sorted(set(old_props) & set(new_props)):
            self.compare(old_props[name], new_props[name], f"{path}.{name}")

        old_items, new_items = _items(self.old_root, old), _items(self.new_root, new)
        if old_items is not None and new_items is not None:
            self.compare(old_items, new_items, f"{path}[]")


def _resolve(root: Schema, node: Schema) -> Schema:
    seen = 0
    while "$ref" in node and seen < 64:
        ref: str = node["$ref"]
        if not ref.startswith("#/"):
            raise ValueError(f"only local $ref are supported, got {ref!r}")
        target: Any = root
        for part in ref[2:].split("/"):
            target = target[part]
        # Keywords beside $ref (a description, a default) still apply.
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
        seen += 1
    return node


def _alternatives(root: Schema, node: Schema) -> list[Schema]:
    """The node itself, or its anyOf/oneOf branches, resolved and flattened."""
    branches = node.get("anyOf") or node.get("oneOf")
    if not branches:
        return [node]
    out: list[Schema] = []
    for branch in branches:
        out.extend(_alternatives(root, _resolve(root, branch)))
    return out


def _types(root: Schema, node: Schema) -> frozenset[str]:
    found: set[str] = set()
    for alternative in _alternatives(root, node):
        declared = alternative.get("type")
        if declared is None:
            if "properties" in alternative:
                declared = "object"
            elif "const" in alternative or "enum" in alternative:
                values = alternative.get("enum", [alternative.get("const")])
                declared = sorted({_json_type(v) for v in values})
            else:
                declared = "any"
        for name in [declared] if isinstance(declared, str) else declared:
            fmt = alternative.get("format")
            found.add(f"{name}:{fmt}" if fmt and name == "string" else name)
    return frozenset(found)


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _enum(root: Schema, node: Schema) -> set[Any] | None:
    """Allowed values, or None when any value of the type is allowed."""
    values: set[Any] = set()
    for alternative in _alternatives(root, node):
        if "enum" in alternative:
            values.update(alternative["enum"])
        elif "const" in alternative:
            values.add(alternative["const"])
        elif alternative.get("type") == "null":
            values.add(None)
        else:
            return None
    return values


def _properties(root: Schema, node: Schema) -> tuple[dict[str, Schema], set[str]]:
    props: dict[str, Schema] = {}
    required: set[str] = set()
    for alternative in _alternatives(root, node):
        props.update(alternative.get("properties", {}))
        required.update(alternative.get("required", []))
    return props, required


def _items(root: Schema, node: Schema) -> Schema | None:
    for alternative in _alternatives(root, node):
        items = alternative.get("items")
        if isinstance(items, dict):
            return items
    return None


def _show(values: frozenset[str] | set[Any]) -> str:
    return "|".join(sorted(str(v) for v in values)) or "nothing"
