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
OUTPUTS = ("verdict", "stands-at", "enforced-phase", "report", "tag")
SHA_PIN = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")
EXPRESSION = re.compile(r"\$\{\{")


@pytest.fixture(scope="module")
def action() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    return loaded


def _options(command: str) -> dict[str, argparse.Action]:
    """Each option string of `gatekeeper COMMAND --help`, and each positional by its metavar."""
    parser = build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    found: dict[str, argparse.Action] = {}
    for option in commands.choices[command]._actions:
        for flag in option.option_strings or [str(option.metavar)]:
            found[flag] = option
    return found


CLI_ONLY: dict[str, dict[str, str]] = {
    "check": {
        "--help": "argparse's help: nothing to decide in CI",
    },
    "promote": {
        "--help": "argparse's help: nothing to decide in CI",
        "--local": "tags the runner's clone, which the job throws away: in the Action the tag "
        "is made through the API",
    },
}
"""The flags of each command that have no input on purpose, and why."""


def _step(action: dict[str, Any], step_id: str) -> dict[str, Any]:
    return next(s for s in action["runs"]["steps"] if s.get("id") == step_id)


def test_every_input_but_command_and_token_is_a_flag(action: dict[str, Any]) -> None:
    assert set(action["inputs"]) == {*launch.INPUTS, *launch.NOT_FLAGS}
    assert set(launch.COMMANDS) == set(CLI_ONLY)
    for command, table in launch.COMMANDS.items():
        options = _options(command)
        for name, spec in table.items():
            where = f"{command} input {name}"
            assert spec.flag in options, f"{where}: `gatekeeper {command}` has no {spec.flag}"
            option = options[spec.flag]
            if spec.kind is launch.Kind.POSITIONAL:
                assert not option.option_strings and option.nargs == "?", where
                continue
            assert spec.flag == f"--{name}", f"{where} maps to {spec.flag}"
            if spec.kind is launch.Kind.SWITCH:
                assert option.nargs == 0, f"{where}: {spec.flag} takes a value, not true/false"
            else:  # one value; '?' too, since the input always gives it (--fetch-bundles=GLOB)
                assert option.nargs in (None, "?"), f"{where}: {spec.flag} takes one value"
            repeated = isinstance(option, argparse._AppendAction)
            assert repeated == (spec.kind is launch.Kind.LINES), f"{where}: repeatable?"


def _names(option: argparse.Action) -> set[str]:
    return set(option.option_strings) or {str(option.metavar)}


@pytest.mark.parametrize("command", sorted(CLI_ONLY))
def test_every_flag_of_the_command_has_an_input_or_a_reason(command: str) -> None:
    options = _options(command)
    covered = {spec.flag for spec in launch.COMMANDS[command].values()} | set(CLI_ONLY[command])
    uncovered = sorted({flag for flag, o in options.items() if not _names(o) & covered})
    assert not uncovered, f"`gatekeeper {command}` flags with no input and no reason: {uncovered}"
    stale = set(CLI_ONLY[command]) - set(options)
    assert not stale, f"CLI_ONLY[{command!r}] names flags the command no longer has: {stale}"


def test_input_defaults_leave_the_cli_defaults(action: dict[str, Any]) -> None:
    """An input set is refused by a command that does not take it, so every input's default
    is empty (the CLI default applies, its description names it), but the command's."""
    assert action["inputs"]["command"]["default"] == launch.DEFAULT_COMMAND
    for name in launch.INPUTS:
        assert action["inputs"][name]["default"] == "", f"input {name}: default must be empty"
        assert "default" in action["inputs"][name]["description"] or name in NO_DEFAULT, name
    env = {launch.env_name(name): str(i["default"]) for name, i in action["inputs"].items()}
    env.pop("INPUT_TOKEN")
    env.pop("INPUT_SIGNOFF_TOKEN")
    parser = build_parser()
    for command in launch.COMMANDS:
        env["INPUT_COMMAND"] = command
        argv = [launch.command_of(env), *launch.arguments(command, env)]
        assert vars(parser.parse_args(argv)) == vars(parser.parse_args([command])), command


NO_DEFAULT = ("output", "bundle", "fetch-bundles", "label")
"""Inputs with nothing to default to: empty means none."""


def test_choices_of_the_cli_are_in_the_input_description(action: dict[str, Any]) -> None:
    for command, table in launch.COMMANDS.items():
        options = _options(command)
        for name, spec in table.items():
            description = action["inputs"][name]["description"]
            assert description.startswith(tuple(launch.COMMANDS)), f"{name}: say which command"
            assert command in description, f"{name}: the description does not name {command}"
            for choice in options[spec.flag].choices or ():
                assert choice in description, f"{name}: {choice}"


def test_inputs_reach_the_step_only_through_env(action: dict[str, Any]) -> None:
    step = _step(action, "gatekeeper")
    names = [*launch.INPUTS, "command"]
    expected = {launch.env_name(name): f"${{{{ inputs.{name} }}}}" for name in names}
    assert {k: v for k, v in step["env"].items() if k.startswith("INPUT_")} == expected
    assert step["env"]["GITHUB_TOKEN"] == "${{ inputs.token }}"
    assert action["inputs"]["token"]["default"] == "${{ github.token }}"
    for other in action["runs"]["steps"]:
        if other is not step:  # the token goes to the one step that posts, nowhere else
            assert "inputs.token" not in json.dumps(other), other["name"]


def test_the_signoff_token_reaches_gatekeeper_only_as_its_variable(
    action: dict[str, Any],
) -> None:
    from gatekeeper.signoffs import TOKEN_INPUT, TOKEN_VARIABLE

    step = _step(action, "gatekeeper")
    assert step["env"][TOKEN_VARIABLE] == f"${{{{ inputs.{TOKEN_INPUT} }}}}"
    assert action["inputs"][TOKEN_INPUT]["default"] == ""
    assert TOKEN_INPUT in launch.NOT_FLAGS
    for other in action["runs"]["steps"]:
        if other is not step:
            assert f"inputs.{TOKEN_INPUT}" not in json.dumps(other), other["name"]


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


def test_outputs_come_from_the_gatekeeper_step(action: dict[str, Any]) -> None:
    assert tuple(action["outputs"]) == OUTPUTS
    for name, output in action["outputs"].items():
        assert output["value"] == f"${{{{ steps.gatekeeper.outputs.{name} }}}}"
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
    assert {
        "pull-request.yml", "merge-queue.yml", "phase-tag.yml", "promote.yml", "pages.yml"
    } <= names  # fmt: skip
    assert any(n.startswith("fork-two-stage/") for n in names)
    table = (REPO / "examples" / "workflows" / "README.md").read_text(encoding="utf-8")
    assert not [n for n in names if f"| `{n}` |" not in table], "a file not in the README table"


def _on(workflow: dict[Any, Any]) -> dict[str, Any]:
    """The workflow's events and their settings, whichever way `on:` is written."""
    on = workflow.get("on", workflow.get(True))  # YAML 1.1 reads the key `on` as true
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return dict.fromkeys(on)
    assert isinstance(on, dict)
    return on


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: str(p.relative_to(REPO)))
def test_no_example_is_path_filtered(path: Path) -> None:
    """A required check from a workflow that a path filter skipped stays pending for ever."""
    for event, filters in _on(yaml.safe_load(path.read_text(encoding="utf-8"))).items():
        assert not {"paths", "paths-ignore"} & set(filters or ()), f"{event} is path-filtered"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: str(p.relative_to(REPO)))
def test_examples_install_what_their_suites_need(path: Path) -> None:
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    for name, job in workflow["jobs"].items():
        steps = job.get("steps", [])
        suites = [i for i, s in enumerate(steps) if re.match(r"Run .*suites", s.get("name", ""))]
        if not suites:
            continue
        before = steps[: suites[0]]
        assert any(s.get("uses", "").startswith("actions/setup-python@") for s in before), name
        install = [s for s in before if s.get("name") == "Install the project's dependencies"]
        assert install and "pip install" in install[0]["run"], f"{name}: no install step"


def test_an_example_skips_expensive_jobs_inside_the_workflow_and_always_gates() -> None:
    """The pattern that replaces a path filter: a `changes` job, jobs conditional on its
    outputs, and a gate job that needs them all and runs whatever they did."""
    jobs = yaml.safe_load((REPO / "examples/workflows/pull-request.yml").read_text("utf-8"))["jobs"]
    assert jobs["changes"]["outputs"]
    skipped = [n for n, j in jobs.items() if "needs.changes.outputs." in str(j.get("if", ""))]
    assert skipped, "no job is skipped by what changed"
    (gate,) = [n for n, j in jobs.items() if any(
        s.get("uses", "").startswith("gatekeeper-ci/gatekeeper@") for s in j.get("steps", [])
    )]  # fmt: skip
    assert set(jobs[gate]["needs"]) == set(jobs) - {gate}, "the gate waits for every job"
    assert jobs[gate]["if"] in ("${{ !cancelled() }}", "${{ always() }}"), "and always runs"


def test_the_pages_example_publishes_the_page_whatever_the_verdict() -> None:
    """Pushes to main only; the gate's page and badge uploaded and deployed even when the gate
    fails (a red page is the news), each job with only its own permissions."""
    workflow = yaml.safe_load((REPO / "examples/workflows/pages.yml").read_text("utf-8"))
    assert _on(workflow) == {"push": {"branches": ["main"]}}
    assert workflow["permissions"] == {}
    jobs = workflow["jobs"]
    (gate,) = [j for j in jobs.values() if any(
        s.get("uses", "").startswith("gatekeeper-ci/gatekeeper@") for s in j["steps"]
    )]  # fmt: skip
    steps = gate["steps"]
    at = next(i for i, s in enumerate(steps) if s.get("uses", "").startswith("gatekeeper-ci/"))
    inputs = steps[at]["with"]
    assert inputs["output"].split() == ["html:site/index.html", "badge:site/badge.svg"]
    assert inputs["history-branch"] == "gatekeeper-history"
    assert "continue-on-error" not in steps[at], "the run must still show a failing gate"
    (upload,) = [s for s in steps[at:] if "upload-pages-artifact@" in s.get("uses", "")]
    assert upload["if"] == "${{ !cancelled() }}" and upload["with"]["path"] == "site/"
    assert gate["permissions"] == {"contents": "write"}  # the history branch
    (deploy,) = [j for j in jobs.values() if j is not gate]
    assert deploy["needs"] == next(n for n, j in jobs.items() if j is gate)
    assert deploy["if"] == "${{ !cancelled() }}", "published when the gate fails too"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]


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
