from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from jsonschema import Draft202012Validator

from schemas.compat import breaking_changes
from schemas.export import (
    JSON_DIR,
    PAYLOAD_MODELS,
    RELEASED_DIR,
    SCHEMA_MAJOR,
    build_schema,
    export_schemas,
    main,
    schema_filename,
)
from schemas.models import SCHEMA_VERSION, Alert, Severity, UnsupportedArticle
from tests.unit.publish import factories
from workers.publish.envelope import RecordKind, encode_record, parse_envelope


def test_committed_schemas_match_the_models(tmp_path: Path) -> None:
    fresh = export_schemas(tmp_path)
    assert {p.name for p in fresh} == {schema_filename(n) for n in PAYLOAD_MODELS}
    for path in fresh:
        committed = JSON_DIR / path.name
        assert committed.exists(), f"{committed} missing: run `parley schemas export`"
        assert committed.read_bytes() == path.read_bytes(), (
            f"{committed.name} drifted from schemas/models.py: run `parley schemas export` "
            "and commit the result"
        )


def test_export_is_deterministic(tmp_path: Path) -> None:
    first = {p.name: p.read_bytes() for p in export_schemas(tmp_path / "a")}
    second = {p.name: p.read_bytes() for p in export_schemas(tmp_path / "b")}
    assert first == second


def test_main_writes_into_the_given_directory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([str(tmp_path)]) == 0
    assert (tmp_path / "event.v1.schema.json").exists()
    assert "event.v1.schema.json" in capsys.readouterr().out


@pytest.mark.parametrize("name", sorted(PAYLOAD_MODELS))
def test_schema_files_are_valid_2020_12_schemas_with_id_title_and_version(name: str) -> None:
    schema = json.loads((JSON_DIR / schema_filename(name)).read_text())
    Draft202012Validator.check_schema(schema)
    assert schema["$id"] == f"urn:parley:schema:{name}.v{SCHEMA_MAJOR}.schema.json"
    assert schema["title"] == PAYLOAD_MODELS[name].__name__
    assert schema["x-parley-schema-version"] == SCHEMA_VERSION
    assert "schema_version" in schema["properties"]


def _released_snapshots() -> list[Path]:
    return sorted(
        path
        for path in RELEASED_DIR.glob("*/*.schema.json")
        if path.name.split(".")[1] == f"v{SCHEMA_MAJOR}"
    )


def test_there_is_a_released_snapshot_of_every_payload() -> None:
    names = {p.name for p in _released_snapshots()}
    assert {schema_filename(n) for n in PAYLOAD_MODELS} <= names


@pytest.mark.parametrize(
    "snapshot", _released_snapshots(), ids=lambda p: f"{p.parent.name}/{p.name}"
)
def test_current_models_do_not_break_released_schemas(snapshot: Path) -> None:
    name = snapshot.name.split(".")[0]
    problems = breaking_changes(json.loads(snapshot.read_text()), build_schema(name))
    assert problems == [], (
        f"change breaks consumers of released {snapshot.parent.name}/{snapshot.name}; "
        "add optional fields only, or bump the major version"
    )


def _validate(name: str, payload: bytes) -> None:
    schema = json.loads((JSON_DIR / schema_filename(name)).read_text())
    jsonschema.validate(
        json.loads(payload),
        schema,
        cls=Draft202012Validator,
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


def test_published_payloads_validate_against_the_committed_schemas() -> None:
    event = factories.event()
    samples = [
        factories.enriched(),
        event,
        factories.event(source=None, target=None, location=None, event_date=None),
        Alert(alert_id="a1", rule_id="r", severity=Severity.WARNING, summary="x", event=event),
        UnsupportedArticle(language="fr", article=factories.article()),
    ]
    for model in samples:
        _key, value, headers = encode_record(model)
        kind = next(k for k in RecordKind if k.ce_type == parse_envelope(headers)["type"])
        _validate(kind.schema_name, value)


def test_schema_rejects_a_payload_missing_a_required_field() -> None:
    payload = json.loads(factories.event().model_dump_json())
    del payload["cameo"]
    with pytest.raises(jsonschema.ValidationError, match="cameo"):
        _validate("event", json.dumps(payload).encode())


def test_schema_accepts_unknown_fields_from_a_later_minor_version() -> None:
    payload = json.loads(factories.event().model_dump_json())
    payload["added_in_1_1"] = "anything"
    _validate("event", json.dumps(payload).encode())
