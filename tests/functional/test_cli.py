"""The CLI as a user runs it: real subprocesses, real files.

Bad input must exit non-zero with one line naming the problem, never a
traceback; good input must produce the documented output.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT


def parley(
    *args: str, stdin: bytes | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    import os

    environment = {k: v for k, v in os.environ.items() if not k.startswith("PARLEY_")}
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "workers.cli", *args],
        input=stdin,
        capture_output=True,
        timeout=300,
        cwd=REPO_ROOT,
        env=environment,
    )


def assert_one_line_error(result: subprocess.CompletedProcess[bytes], *needles: str) -> None:
    assert result.returncode != 0
    err = result.stderr.decode()
    assert "Traceback" not in err, err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("parley: error:")
    for needle in needles:
        assert needle in lines[0], lines[0]


def test_enrich_missing_file(tmp_path: Path) -> None:
    assert_one_line_error(parley("enrich", str(tmp_path / "nope.jsonl")), "nope.jsonl")


def test_enrich_unreadable_input(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"title": "Half an article", "body": ')
    assert_one_line_error(parley("enrich", str(path)), "invalid_json")


def test_eval_missing_gold_file(tmp_path: Path) -> None:
    assert_one_line_error(parley("eval", str(tmp_path / "gold.jsonl")), "gold.jsonl")


def test_bad_setting_is_named() -> None:
    result = parley("settings", env={"PARLEY_PARTITIONS": "many"})
    assert_one_line_error(result, "PARLEY_PARTITIONS")


def test_produce_without_broker_says_so(tmp_path: Path) -> None:
    assert_one_line_error(parley("produce", str(REPO_ROOT / "examples")), "PARLEY_BROKER")


def test_secrets_never_printed(tmp_path: Path) -> None:
    secret_file = tmp_path / "password"
    secret_file.write_text("file-secret-42\n")
    shown = parley("settings", env={"PARLEY_SASL_PASSWORD": "env-secret-17"})
    assert shown.returncode == 0
    assert b"env-secret-17" not in shown.stdout + shown.stderr
    assert b"PARLEY_SASL_PASSWORD=**********" in shown.stdout
    shown = parley("settings", env={"PARLEY_SASL_PASSWORD_FILE": str(secret_file)})
    assert b"file-secret-42" not in shown.stdout + shown.stderr


@pytest.mark.model
def test_enrich_prints_one_json_line_per_article_in_order(tmp_path: Path) -> None:
    lines = [
        {
            "title": "First.",
            "body": "Japanese Prime Minister Fumio Kishida visited Seoul on Monday.",
            "published_at": "2023-05-08T06:00:00Z",
            "url": "https://a.example/1",
        },
        {
            "title": "Second.",
            "body": "Germany and France signed a defence agreement in Berlin.",
            "published_at": "2024-02-01T06:00:00Z",
            "url": "https://a.example/2",
        },
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    result = parley("enrich", str(path))
    assert result.returncode == 0, result.stderr.decode()
    out = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert [o["article"]["title"] for o in out] == ["First.", "Second."]
    kishida = {e["text"]: e for e in out[0]["entities"]}
    assert kishida["Fumio Kishida"]["country"] == "JPN"
    assert kishida["Seoul"]["country"] == "KOR"


@pytest.mark.model
def test_enrich_reads_stdin_wire_text() -> None:
    wire = (
        b"Talks in Geneva\nUpdated: 2024-03-02 09:15 GMT\n\n"
        b"GENEVA, March 2 (Agency) - Armenian and Azerbaijani foreign ministers held "
        b"talks in Geneva on Saturday.\n\nRead more\n"
    )
    result = parley("enrich", "-", stdin=wire)
    assert result.returncode == 0, result.stderr.decode()
    (enriched,) = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert enriched["article"]["dateline"]["country"] == "CHE"
    assert "Read more" not in enriched["article"]["body"]
