"""The action's scripts: the launcher's input-to-flag mapping, and the locks install.py uses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from gatekeeper.cli import build_parser
from tests.action_scripts import REPO, install, launch


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No input, and no GitHub context (nothing is posted), but what a test sets."""
    for name in [*os.environ]:
        if name.startswith(("INPUT_", "GITHUB_")):
            monkeypatch.delenv(name)
    return monkeypatch


def test_launcher_maps_lines_switches_and_values() -> None:
    env = {
        "INPUT_OUTPUT": "json:gate.json\n\n  markdown:-odd name.md  \n",
        "INPUT_DRY_RUN": "True",
        "INPUT_MATRIX": "-m.yml",
        "INPUT_PHASE": "",
        "INPUT_ROOT": "  ",
    }
    assert launch.arguments("check", env) == [
        "--matrix=-m.yml",
        "--output=json:gate.json",
        "--output=markdown:-odd name.md",
        "--dry-run",
    ]
    assert launch.arguments("check", {"INPUT_DRY_RUN": "false"}) == []


def test_launcher_refuses_a_switch_that_is_not_a_boolean(clean_env: pytest.MonkeyPatch) -> None:
    with pytest.raises(launch.InputError, match="dry-run"):
        launch.arguments("check", {"INPUT_DRY_RUN": "yes"})
    clean_env.setenv("INPUT_DRY_RUN", "1")
    assert launch.main() == 2


def test_launcher_maps_promote_and_its_phase_after_the_options() -> None:
    env = {"INPUT_COMMAND": " promote ", "INPUT_PHASE": "-iron", "INPUT_MESSAGE": "-x"}
    assert launch.command_of(env) == "promote"
    assert launch.arguments("promote", env) == ["--message=-x", "--", "-iron"]
    args = build_parser().parse_args(["promote", *launch.arguments("promote", env)])
    assert (args.phase, args.message) == ("-iron", "-x")
    assert launch.command_of({}) == launch.command_of({"INPUT_COMMAND": ""}) == "check"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"INPUT_COMMAND": "promote", "INPUT_FORMAT": "json", "INPUT_LABEL": "x"},
         "input format, label: `gatekeeper promote` takes no such input"),
        ({"INPUT_MESSAGE": "Iron is done"}, "input message: `gatekeeper check` takes no such"),
        ({"INPUT_COMMAND": "status"}, "input command: expected check or promote, got 'status'"),
    ],
    ids=["check-inputs-to-promote", "promote-input-to-check", "unknown-command"],
)  # fmt: skip
def test_launcher_refuses_an_input_the_command_does_not_take(
    env: dict[str, str], message: str, clean_env: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    for name, value in env.items():
        clean_env.setenv(name, value)
    assert launch.main() == 2
    assert message in capsys.readouterr().err


def test_launcher_runs_the_check(tmp_path: Path, clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("INPUT_MATRIX", str(REPO / "examples/kmta/gatekeeper.yml"))
    clean_env.setenv("INPUT_FORMAT", "none")
    clean_env.setenv("INPUT_DRY_RUN", "true")
    clean_env.setenv("INPUT_OUTPUT", f"json:{tmp_path}/gate.json\nmarkdown:{tmp_path}/gate.md")
    code = launch.main()
    direct = subprocess.run(
        [sys.executable, "-m", "gatekeeper", "check", "--dry-run", "--format", "none",
         "--matrix", str(REPO / "examples/kmta/gatekeeper.yml")],
        capture_output=True, check=False,
    )  # fmt: skip
    assert code == direct.returncode
    assert json.loads((tmp_path / "gate.json").read_text(encoding="utf-8"))["verdict"]
    assert (tmp_path / "gate.md").read_text(encoding="utf-8").strip()


def test_launcher_echo_cannot_start_a_workflow_command(
    clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    clean_env.setenv("INPUT_MATRIX", str(REPO / "examples/kmta/gatekeeper.yml"))
    clean_env.setenv("INPUT_PHASE", "iron\n::warning::injected")
    clean_env.setenv("INPUT_DRY_RUN", "true")
    assert launch.main() == 2  # no such phase
    lines = capsys.readouterr().err.splitlines()
    assert lines[0].startswith("gatekeeper check ")
    assert not [line for line in lines if line.startswith("::")], lines


# --- pinned dependencies --------------------------------------------------------------


def _pins(lock: Path) -> dict[str, list[tuple[str, str, int]]]:
    """name -> [(version, marker, number of hashes)], read from a `--generate-hashes` lock."""
    pins: dict[str, list[tuple[str, str, int]]] = {}
    text = lock.read_text(encoding="utf-8").replace("\\\n", " ")
    for line in text.splitlines():
        if not line or line[0] in "# ":
            continue
        requirement, _, _ = line.partition("--hash")
        req = Requirement(requirement.strip())
        (spec,) = req.specifier
        assert spec.operator == "==", f"{lock.name}: {req.name} is not pinned"
        pins.setdefault(req.name.lower(), []).append(
            (spec.version, str(req.marker or ""), line.count("--hash=sha256:"))
        )
    return pins


def test_the_lock_pins_every_dependency_with_hashes() -> None:
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    pins = _pins(REPO / "action/requirements.lock")
    wanted = pyproject["project"]["dependencies"]  # gatekeeper itself is not built: no backend
    for text in wanted:
        requirement = Requirement(text)
        name = requirement.name.lower().replace("_", "-")
        assert name in pins, f"{name} is not in action/requirements.lock: regenerate it"
        for version, _, _ in pins[name]:
            assert requirement.specifier.contains(version), f"lock has {name}=={version}"
    assert all(count >= 1 for versions in pins.values() for *_, count in versions)
    (uv,) = _pins(REPO / "action/bootstrap.lock")["uv"]
    assert uv[2] >= 1
    assert install.uv_version() == uv[0]
    assert f"uv=={uv[0]}" in (REPO / "action/bootstrap.in").read_text(encoding="utf-8")


def test_the_action_puts_its_own_source_on_the_environments_path(tmp_path: Path) -> None:
    """No wheel is built: a .pth file in the environment names the action's folder."""
    site_packages = tmp_path / "venv" / "lib" / "python3.99" / "site-packages"
    site_packages.mkdir(parents=True)
    install.add_source(tmp_path / "venv")
    assert (site_packages / "gatekeeper-action.pth").read_text(encoding="utf-8") == f"{REPO}\n"
    code = f"import site; site.addsitedir({str(site_packages)!r}); import gatekeeper as g"
    done = subprocess.run(
        [sys.executable, "-S", "-c", f"{code}; print(g.__file__)"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == str(REPO / "gatekeeper" / "__init__.py")


def test_an_environment_without_one_site_packages_is_an_install_error(tmp_path: Path) -> None:
    for count in (0, 2):
        venv = tmp_path / f"venv{count}"
        for n in range(count):
            (venv / "lib" / f"python3.{n}" / "site-packages").mkdir(parents=True)
        with pytest.raises(install.InstallError, match=f"found {count}"):
            install.site_packages(venv)
