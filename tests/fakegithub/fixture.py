"""The `fake_github` and `actions` pytest fixtures. Import them into the test module that
uses them:

    from tests.fakegithub.fixture import fake_github_fixture  # noqa: F401 - the fixture

and ask for `fake_github` (registered under that name, so the import is not shadowed); the
same for `actions_fixture` and `actions`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .runner import Actions
from .server import FakeGitHub


@pytest.fixture(name="fake_github")
def fake_github_fixture() -> Iterator[FakeGitHub]:
    """A started fake GitHub, stopped after the test."""
    with FakeGitHub() as server:
        yield server


@pytest.fixture(name="actions")
def actions_fixture(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    fake_github: FakeGitHub,
) -> Iterator[Actions]:
    """A job whose steps run `gatekeeper check` against `fake_github`; afterwards, no request
    it made may be one GitHub would refuse."""
    yield Actions(tmp_path, monkeypatch, capsys, fake_github)
    assert fake_github.violations == [], "GitHub would have refused these requests"
