"""Shared fixtures for the parser tests: where the real files are."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"
"""Files made by real tools (``real/``, see make_fixtures.py) and by hand (``handmade/``)."""

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
"""The conformance corpus, copied from ../shared/corpus (see its SOURCES.md files)."""


@pytest.fixture
def corpus() -> Path:
    """The conformance corpus in tests/corpus."""
    return CORPUS
