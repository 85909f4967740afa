"""The `fake_github` pytest fixture. Import it into the test module that uses it:

    from tests.fakegithub.fixture import fake_github_fixture  # noqa: F401 - the fixture

and ask for `fake_github` (registered under that name, so the import is not shadowed).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .server import FakeGitHub


@pytest.fixture(name="fake_github")
def fake_github_fixture() -> Iterator[FakeGitHub]:
    """A started fake GitHub, stopped after the test."""
    with FakeGitHub() as server:
        yield server
