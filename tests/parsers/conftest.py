"""Shared fixtures for the parser tests: where the real files are."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"
"""Files made by real tools (``real/``, see make_fixtures.py) and by hand (``handmade/``)."""

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"
"""The shared conformance corpus beside the repository; absent on some machines."""


@pytest.fixture
def corpus() -> Path:
    """The shared corpus, or a skip when this machine does not have it."""
    if not CORPUS.is_dir():
        pytest.skip(f"shared corpus not found at {CORPUS}")
    return CORPUS.resolve()
