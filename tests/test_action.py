"""action.yml against the CLI and the README; the example workflows; zizmor over both.

The action is a thin shell around `gatekeeper check`: every input is one flag (action/launch.py
holds the table), its default is the flag's default, it is documented, and nothing a user
controls is ever interpolated into a script. These tests keep all of that from drifting.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from gatekeeper.cli import build_parser
from tests.action_scripts import launch
from tests.conftest import tools_program

REPO = Path(__file__).resolve().parents[1]
ACTION = REPO / "action.yml"
WORKFLOWS = sorted((REPO / "examples" / "workflows").rglob("*.yml"))
ACT_WORKFLOWS = [REPO / "tests" / "act" / "pull-request.yml"]
OUTPUTS = ("verdict", "stands-at", "enforced-phase", "report")
SHA_PIN = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")
EXPRESSION = re.compile(r"\$\{\{")


@pytest.fixture(scope="module")
def action() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    return loaded


def _check_options() -> dict[str, argparse.Action]:
    parser = build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    check = commands.choices["check"]
    return {flag: a for a in check._actions for flag in a.option_strings}


def _step(action: dict[str, Any], step_id: str) -> dict[str, Any]:
    return next(s for s in action["runs"]["steps"] if s.get("id") == step_id)


def test_every_input_but_the_token_is_a_check_flag(action: dict[str, Any]) -> None:
    assert set(action["inputs"]) == {*launch.INPUTS, "token"}
    options = _check_options()
    for name, spec in launch.INPUTS.items():
        assert spec.flag == f"--{name}", f"input {name} maps to {spec.flag}"
        assert spec.flag in options, f"input {name}: `gatekeeper check` has no {spec.flag}"
        option = options[spec.flag]
        if spec.kind is launch.Kind.SWITCH:
            assert option.nargs == 0, f"{spec.flag} takes a value, the input is true/false"
        else:  # one value; '?' too, since the input always gives it (--fetch-bundles=GLOB)
            assert option.nargs in (None, "?"), f"{spec.flag} should take one value"
        repeated = isinstance(option, argparse._AppendAction)
        assert repeated == (spec.kind is launch.Kind.LINES), f"{spec.flag}: repeatable?"


def test_input_defaults_are_the_cli_defaults(action: dict[str, Any]) -> None:
    defaults = {name: str(action["inputs"][name].get("default", "")) for name in launch.INPUTS}
    env = {launch.env_name(name): value for name, value in defaults.items()}
    parser = build_parser()
    argv = ["check", *launch.check_argv(env)]
    try:
        through_action = parser.parse_args(argv)
    except SystemExit:
        pytest.fail(f"`gatekeeper {' '.join(argv)}` (the action's defaults) is refused")
    assert vars(through_action) == vars(parser.parse_args(["check"]))


def test_choices_of_the_cli_are_in_the_input_description(action: dict[str, Any]) -> None:
    options = _check_options()
    for name, spec in launch.INPUTS.items():
        for choice in options[spec.flag].choices or ():
            assert choice in action["inputs"][name]["description"], f"{name}: {choice}"


def test_inputs_reach_the_check_only_through_env(action: dict[str, Any]) -> None:
    check = _step(action, "check")
    expected = {launch.env_name(name): f"${{{{ inputs.{name} }}}}" for name in launch.INPUTS}
    assert {k: v for k, v in check["env"].items() if k.startswith("INPUT_")} == expected
    assert check["env"]["GITHUB_TOKEN"] == "${{ inputs.token }}"
    assert action["inputs"]["token"]["default"] == "${{ github.token }}"
    for step in action["runs"]["steps"]:
        if step is not check:  # the token goes to the one step that posts, nowhere else
            assert "inputs.token" not in json.dumps(step), step["name"]


def _run_scripts(document: Any) -> list[str]:
    if isinstance(document, dict):
        found = [v for k, v in document.items() if k == "run" and isinstance(v, str)]
        return found + [s for v in document.values() for s in _run_scripts(v)]
    if isinstance(document, list):
        return [s for item in document for s in _run_scripts(item)]
    return []


@pytest.mark.parametrize(
    "path", [ACTION, *WORKFLOWS, *ACT_WORKFLOWS], ids=lambda p: str(p.relative_to(REPO))
)
def test_no_expression_inside_a_script(path: Path) -> None:
    scripts = _run_scripts(yaml.safe_load(path.read_text(encoding="utf-8")))
    assert scripts, f"{path} runs no script"
    for script in scripts:  # zizmor's template-injection, and stricter: not even `github.*`
        assert not EXPRESSION.search(script), f"{path}: expression in run: {script!r}"


def test_composite_calls_no_other_action(action: dict[str, Any]) -> None:
    assert action["runs"]["using"] == "composite"
    assert all("uses" not in step for step in action["runs"]["steps"])
    for step in action["runs"]["steps"]:  # only the action's own scripts run
        assert '"$GATEKEEPER_ACTION_PATH/action/' in step["run"], step["name"]


def test_outputs_come_from_the_check_step(action: dict[str, Any]) -> None:
    assert tuple(action["outputs"]) == OUTPUTS
    for name, output in action["outputs"].items():
        assert output["value"] == f"${{{{ steps.check.outputs.{name} }}}}"
        assert output["description"]


def test_branding(action: dict[str, Any]) -> None:
    assert action["branding"]["icon"] and action["branding"]["color"]


def _readme_section(title: str) -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    match = re.search(rf"^{re.escape(title)}\s*$(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert match, f"README.md has no section {title!r}"
    return match.group(1)


def test_every_input_and_output_is_in_the_readme(action: dict[str, Any]) -> None:
    section = _readme_section("## GitHub Action")
    missing = [n for n in [*action["inputs"], *action["outputs"]] if f"`{n}`" not in section]
    assert not missing, f"not in README's '## GitHub Action': {missing}"


# --- example workflows ----------------------------------------------------------------


def _uses(document: Any) -> list[str]:
    if isinstance(document, dict):
        found = [v for k, v in document.items() if k == "uses" and isinstance(v, str)]
        return found + [u for v in document.values() for u in _uses(v)]
    if isinstance(document, list):
        return [u for item in document for u in _uses(item)]
    return []


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: str(p.relative_to(REPO)))
def test_example_workflows_pin_actions_and_declare_permissions(
    path: Path, action: dict[str, Any]
) -> None:
    text = path.read_text(encoding="utf-8")
    workflow = yaml.safe_load(text)
    assert "permissions" in workflow, "a workflow states its token's permissions at the top"
    for uses in _uses(workflow):
        assert SHA_PIN.match(uses), f"{uses}: pin to a full commit SHA"
        assert re.search(rf"uses: {re.escape(uses)} # v\d", text), f"{uses}: no version comment"
    for job in workflow["jobs"].values():
        for step in job.get("steps", []):
            if step.get("uses", "").startswith("gatekeeper-ci/gatekeeper@"):
                unknown = set(step.get("with", {})) - set(action["inputs"])
                assert not unknown, f"{path.name}: no such input {unknown}"


def test_the_examples_cover_the_recipes() -> None:
    names = {str(p.relative_to(REPO / "examples" / "workflows")) for p in WORKFLOWS}
    assert {"pull-request.yml", "merge-queue.yml", "phase-tag.yml"} <= names
    assert any(n.startswith("fork-two-stage/") for n in names)


# --- zizmor ---------------------------------------------------------------------------


def test_zizmor_finds_nothing() -> None:
    zizmor = tools_program("zizmor")
    # Files, not folders: zizmor reads a folder as a repository and audits only its .github/.
    targets = [str(p.relative_to(REPO)) for p in (ACTION, *WORKFLOWS, *ACT_WORKFLOWS)]
    done = subprocess.run(
        [zizmor, "--offline", "--no-config", "--format", "json", *targets],
        capture_output=True, text=True, cwd=REPO, check=False,
    )  # fmt: skip
    findings = [f for f in json.loads(done.stdout or "[]") if not f.get("ignored")]
    assert done.returncode == 0 and not findings, "\n".join([*map(_finding, findings), done.stderr])


def _finding(finding: dict[str, Any]) -> str:
    where = finding["locations"][0]
    path = where["symbolic"]["key"].get("Local", {}).get("verbatim_path", "?")
    row = where["concrete"]["location"]["start_point"]["row"] + 1
    feature = where["concrete"].get("feature", "").strip().partition("\n")[0]
    return f"{path}:{row}: {finding['ident']}: {feature}"
