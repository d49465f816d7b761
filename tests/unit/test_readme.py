"""The README's settings table is generated; it must not drift from Settings."""

from __future__ import annotations

import os

import pytest
from typer.testing import CliRunner

from tests.conftest import REPO_ROOT
from workers.cli import app


def test_readme_settings_table_matches_the_settings_class(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in list(os.environ):
        if name.startswith("PARLEY_"):
            monkeypatch.delenv(name)
    result = CliRunner().invoke(app, ["settings", "--markdown"])
    assert result.exit_code == 0, result.output
    readme = (REPO_ROOT / "README.md").read_text()
    start = readme.index("<!-- settings:begin -->") + len("<!-- settings:begin -->")
    end = readme.index("<!-- settings:end -->")
    assert readme[start:end].strip() == result.output.strip(), (
        "README settings table is stale: paste `parley settings --markdown` between the markers"
    )
