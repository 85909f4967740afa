from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from pathlib import Path
from typing import NoReturn

import pytest

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "tests" / "corpus"
"""Real artifacts copied from ../shared/corpus (origins and licences in each SOURCES.md)."""
REGENERATE = os.environ.get("GATEKEEPER_REGENERATE") == "1"
"""Set GATEKEEPER_REGENERATE=1 to rewrite expected-output files instead of comparing."""


@pytest.fixture(autouse=True)
def _outside_github_actions(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests start outside any Actions run, even when this project's own CI is one: an
    in-process `main()` must not write to the real job summary or post with its token."""
    for name in list(os.environ):
        if name.startswith(("GITHUB_", "RUNNER_", "INPUT_")):
            monkeypatch.delenv(name)


@pytest.fixture
def corpus() -> Path:
    """The corpus of real artifacts in tests/corpus."""
    return CORPUS


def child_env(**extra: str) -> dict[str, str]:
    """The environment for a pytest a test starts (pytest-benchmark runs): the suite runs
    under pytest-xdist, and a child that inherits PYTEST_XDIST_WORKER thinks it is a worker
    too, so pytest-benchmark disables itself."""
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_XDIST_")}
    return {**inherited, **extra}


def compare_or_regenerate(expected_file: Path, actual: str) -> None:
    """Exact comparison with an expected-output file (rewritten when regenerating)."""
    if REGENERATE:
        expected_file.write_text(actual, encoding="utf-8")
        return
    assert expected_file.is_file(), f"{expected_file} missing: run with GATEKEEPER_REGENERATE=1"
    assert actual == expected_file.read_text(encoding="utf-8")


BUNDLES_CARRY_FINDINGS = '"findings"' in (REPO / "schemas" / "bundle.schema.json").read_text(
    encoding="utf-8"
)
"""Whether evidence bundles carry SARIF findings yet (the `sarifbundle` work): until they do,
a SARIF artifact judged from a bundle has no analysis run and is `missing`."""
needs_bundled_findings = pytest.mark.xfail(
    not BUNDLES_CARRY_FINDINGS,
    reason="the KMTA example's Bandit benchmark: bundles do not carry findings yet",
    strict=True,
)
"""For a test that judges the KMTA example from a bundle: it fails until bundles carry
findings, and runs as any test once they do (strict: a pass before then is a surprise)."""


TOOLS = "pip install -e '.[test,tools]'"
"""How to install what the `tools` extra holds (pyproject.toml): modules and programs."""


def missing_tool(reason: str) -> NoReturn:
    """Skip a real-tool test where the tool is absent — except in CI, where .ci/run installs
    every tool, so an absent one is a failure rather than a silently skipped proof.

    The one way a test gives up for want of a tool: the ``needs`` mark (modules),
    ``tools_program`` (programs of the ``tools`` extra) and the system programs
    (``shutil.which`` then this) all end here."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; .ci/run should have installed it")
    pytest.skip(reason)


def tools_program(name: str) -> str:
    """The program ``name`` that the ``tools`` extra installs (zizmor, act): beside this
    interpreter when the suite runs from a virtual environment that is not activated."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.is_file() else shutil.which(name)
    if found is None:
        missing_tool(f"{name} not installed ({TOOLS})")
    return found


def pytest_runtest_setup(item: pytest.Item) -> None:
    """``@pytest.mark.needs("pyarrow", ...)``: the modules of the ``tools`` extra a test imports."""
    for mark in item.iter_markers("needs"):
        absent = [name for name in mark.args if importlib.util.find_spec(name) is None]
        if absent:
            missing_tool(f"{', '.join(absent)} not installed ({TOOLS})")
