"""Generate the JSON Schema files of every payload parley publishes.

The pydantic models in ``schemas/models.py`` are the single source; the files
under ``schemas/json/`` are generated from them by ``parley schemas export``
and committed, so consumers can code against them without Python. Output is
deterministic (sorted keys, two-space indent, trailing newline) so that a test
can compare a fresh export with the committed files byte for byte.

File names carry the major version (``event.v1.schema.json``): a consumer
written against v1 keeps working for every 1.x, because within a major version
the models only gain optional fields (``schemas/compat.py`` checks that).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from schemas.models import (
    SCHEMA_VERSION,
    Alert,
    Article,
    EnrichedArticle,
    Event,
    UnsupportedArticle,
)

JSON_DIR = Path(__file__).parent / "json"
RELEASED_DIR = JSON_DIR / "released"
SCHEMA_MAJOR = SCHEMA_VERSION.split(".")[0]
DIALECT = "https://json-schema.org/draft/2020-12/schema"

PAYLOAD_MODELS: dict[str, type[BaseModel]] = {
    "article": Article,
    "enriched_article": EnrichedArticle,
    "event": Event,
    "alert": Alert,
    "unsupported_article": UnsupportedArticle,
}


def schema_filename(name: str, major: str = SCHEMA_MAJOR) -> str:
    return f"{name}.v{major}.schema.json"


def schema_id(name: str) -> str:
    """The schema's ``$id``, also sent as the CloudEvents ``dataschema`` of its records.

    A URN rather than a URL because the files ship in the repo and the package,
    not on a web server; it names the file so a consumer can find it.
    """
    return f"urn:parley:schema:{schema_filename(name)}"


def build_schema(name: str) -> dict[str, Any]:
    model = PAYLOAD_MODELS[name]
    # Serialization mode describes what is on the wire, which is what consumers read.
    schema = model.model_json_schema(mode="serialization")
    _allow_unknown_fields(schema)
    schema["$schema"] = DIALECT
    schema["$id"] = schema_id(name)
    schema["title"] = model.__name__
    schema["x-parley-schema-version"] = SCHEMA_VERSION
    return schema


def _allow_unknown_fields(node: Any) -> None:
    """Drop ``additionalProperties: false`` (from the models' ``extra="forbid"``).

    The models reject unknown fields so parley's own bugs fail loudly, but a
    consumer validating 1.x payloads against the v1 file must accept the
    optional fields a later 1.y adds: the published contract is a tolerant reader.
    """
    if isinstance(node, dict):
        if node.get("additionalProperties") is False:
            del node["additionalProperties"]
        for child in node.values():
            _allow_unknown_fields(child)
    elif isinstance(node, list):
        for child in node:
            _allow_unknown_fields(child)


def render_schema(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def export_schemas(out_dir: Path = JSON_DIR) -> list[Path]:
    """Write one schema file per payload model into ``out_dir``; return the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name in PAYLOAD_MODELS:
        path = out_dir / schema_filename(name)
        path.write_text(render_schema(build_schema(name)), encoding="utf-8")
        written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    """``parley schemas export [OUT_DIR]``: regenerate the committed schema files."""
    args = list(sys.argv[1:] if argv is None else argv)
    out_dir = Path(args[0]) if args else JSON_DIR
    for path in export_schemas(out_dir):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
