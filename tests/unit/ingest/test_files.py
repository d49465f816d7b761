from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import pytest

from workers.ingest import InputError, read_inputs


def test_directory_is_read_recursively_in_sorted_order(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "story.txt").write_text("Title\n\nBody.")
    (tmp_path / "a.jsonl").write_text('{"n": 1}\n\n{"n": 2}\n')
    (tmp_path / "feed.rss").write_text("<rss/>")
    (tmp_path / "README.md").write_text("not an article")
    (tmp_path / ".hidden.json").write_text("{}")
    records = list(read_inputs([tmp_path]))
    assert [(r.origin, r.content_type) for r in records] == [
        (f"{tmp_path}/a.jsonl:1", "application/json"),
        (f"{tmp_path}/a.jsonl:3", "application/json"),
        (f"{tmp_path}/b/story.txt", "text/plain"),
        (f"{tmp_path}/feed.rss", "application/rss+xml"),
    ]
    assert records[1].value == b'{"n": 2}'


def test_named_file_with_unknown_suffix_is_sniffed(tmp_path: Path) -> None:
    path = tmp_path / "record.dat"
    path.write_bytes(b'{"title": "x"}')
    [record] = read_inputs([str(path)])
    assert record.content_type is None and record.value == b'{"title": "x"}'


def test_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = io.TextIOWrapper(io.BytesIO(b"Title\n\nBody"))
    monkeypatch.setattr(sys, "stdin", fake)
    [record] = read_inputs(["-"])
    assert record == record.__class__(b"Title\n\nBody", None, "<stdin>")


def test_missing_path_raises_one_line_error(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        list(read_inputs([tmp_path / "nope.json"]))
    assert "nope.json" in str(caught.value) and "\n" not in str(caught.value)


def test_unreadable_file_raises_input_error(tmp_path: Path) -> None:
    path = tmp_path / "locked.json"
    path.write_text("{}")
    path.chmod(0)
    if os.access(path, os.R_OK):
        pytest.skip("running as root: permissions are not enforced")
    with pytest.raises(InputError, match="cannot read"):
        list(read_inputs([path]))
