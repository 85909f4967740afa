"""A baseline without `from`: the merge base's bundle, fetched from the fake GitHub (every
request checked against GitHub's OpenAPI description), an ancestor's within the bound, a
pinned or excluded run, `--baseline` locally; and every way of having none is `missing` or
`error`, never a pass."""

from __future__ import annotations

import io
import itertools
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from gatekeeper.cli import main
from gatekeeper.errors import ExitCode
from gatekeeper.resources import load_schema
from tests.fakegithub.fixture import fake_github_fixture  # noqa: F401 - the fixture
from tests.fakegithub.server import DEFAULT_TOKEN, FakeGitHub

REPORT_SCHEMA = Draft202012Validator(load_schema("report.schema.json"))
MICRO = Path(__file__).resolve().parent.parent / "examples" / "kmta" / "reports" / "bench"
NAME = "gatekeeper-bundle-linux"
BENCH = "perf/one/no-slower"
HEAD = "ee" * 20
TIP = "dd" * 20
"""The base branch's tip when the pull request was opened; its first parent is the merge base."""


def _sha(n: int) -> str:
    """The merge base is 0; n commits before it on the base branch's first-parent line."""
    return f"{n:040x}".replace("0", "a", 1)


MATRIX = """\
version: 1
current: one
pull_requests: {current_phase: block}
phases: [{id: one, name: One}]
artifacts:
  micro: {format: pytest-benchmark, paths: ["micro.json"]}
swimlanes:
  - id: perf
    name: Perf
    cells:
      one:
        goal: no slower than the merge base
        benchmarks:
          - id: no-slower
            metric: {from: micro, name: "test_*"}
            baseline: {max_change: "mean +10%"}
"""


def _micro(scale: float) -> bytes:
    """The example's pytest-benchmark file with every time multiplied by ``scale``."""
    data = json.loads((MICRO / "micro.json").read_text(encoding="utf-8"))
    for bench in data["benchmarks"]:
        stats = bench["stats"]
        for key in ("min", "max", "mean", "stddev", "median", "iqr", "q1", "q3", "total"):
            if isinstance(stats.get(key), float):
                stats[key] *= scale
        stats["data"] = [x * scale for x in stats.get("data", [])]
        stats["ops"] = 1 / stats["mean"]
    return json.dumps(data).encode()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "gatekeeper.yml").write_text(MATRIX, encoding="utf-8")
    (tmp_path / "micro.json").write_bytes(_micro(1.0))
    return tmp_path


def _bundle(
    project: Path, sha: str, scale: float = 1.0, *, with_micro: bool = True, matrix: str = MATRIX
) -> bytes:
    """What the base branch's CI collected for ``sha`` with ``matrix``: its micro.json,
    scaled."""
    base = project / f"base-{sha[:8]}-{scale}"
    base.mkdir()
    (base / "gatekeeper.yml").write_text(matrix, encoding="utf-8")
    if with_micro:
        (base / "micro.json").write_bytes(_micro(scale))
    out = base / "bundle.json"
    argv = ["collect", "-m", str(base / "gatekeeper.yml"), "--sha", sha, "--out", str(out)]
    assert main(argv) in (0, ExitCode.NO_EVIDENCE)
    return out.read_bytes()


def _zip(*members: tuple[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


def _upload(github: FakeGitHub, sha: str, bundle: bytes, name: str = NAME) -> int:
    run = github.add_run(sha)
    github.add_artifact(run, name, _zip(("gatekeeper-bundle.json", bundle)))
    return run


@pytest.fixture
def github(fake_github: FakeGitHub, project: Path, monkeypatch: pytest.MonkeyPatch) -> FakeGitHub:
    """A pull request from HEAD onto the base branch, whose history is TIP -> 0 -> 1 -> ... ->
    24 (first parents) and HEAD -> 0: the merge base is commit 0."""
    for name in ("GITHUB_ACTIONS", "GITHUB_SHA", "GITHUB_RUN_ID"):
        monkeypatch.delenv(name, raising=False)
    chain = [_sha(n) for n in range(25)]
    for child, parent in itertools.pairwise(chain):
        fake_github.add_commit(child, parent)
    fake_github.add_commit(chain[-1])
    fake_github.add_commit(TIP, chain[0])
    fake_github.add_commit(HEAD, chain[0])
    repo = {"full_name": fake_github.repository}
    event = {
        "number": 7,
        "pull_request": {
            "number": 7, "labels": [],
            "head": {"sha": HEAD, "ref": "feature", "repo": repo},
            "base": {"sha": TIP, "ref": "main", "repo": repo},
        },
    }  # fmt: skip
    path = project / "event.json"
    path.write_text(json.dumps(event), encoding="utf-8")
    monkeypatch.setenv("GITHUB_EVENT_NAME", "pull_request")
    monkeypatch.setenv("GITHUB_EVENT_PATH", str(path))
    monkeypatch.setenv("GITHUB_API_URL", fake_github.url)
    monkeypatch.setenv("GITHUB_REPOSITORY", fake_github.repository)
    monkeypatch.setenv("GITHUB_TOKEN", DEFAULT_TOKEN)
    monkeypatch.setenv("GATEKEEPER_GITHUB_BACKOFF", "0.01")
    return fake_github


def _check(
    project: Path, capsys: pytest.CaptureFixture[str], *extra: str
) -> tuple[int, dict[str, Any], dict[str, Any]]:
    """The exit code, the JSON report's baseline_evidence and the benchmark's entry."""
    capsys.readouterr()
    argv = ["check", "-m", str(project / "gatekeeper.yml"), "--today", "2026-12-04",
            "--format", "json", *extra]  # fmt: skip
    code = main(argv)
    report = json.loads(capsys.readouterr().out)
    REPORT_SCHEMA.validate(report)
    bench = next(b for c in report["cells"] for b in c["benchmarks"] if b["ref"] == BENCH)
    return code, report["baseline_evidence"], bench


def test_the_merge_base_s_bundle_is_the_baseline(
    github: FakeGitHub, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run = _upload(github, _sha(0), _bundle(project, _sha(0)))
    _upload(github, TIP, _bundle(project, TIP, 0.5))  # the tip is not the merge base
    code, used, bench = _check(project, capsys)
    assert (code, bench["outcome"]) == (ExitCode.PASSED, "pass"), bench["summary"]
    assert used["kind"] == "merge-base" and used["commit"] == used["merge_base"] == _sha(0)
    assert (used["run_id"], used["distance"]) == (run, 0)
    assert used["files"] == [f"{NAME}/gatekeeper-bundle.json"]
    assert used["description"] == f"bundle of {_sha(0)[:7]} (the merge base), run {run}"
    assert bench["baseline"]["source"] == "baseline evidence"
    assert not github.calls("GET", r"/commits$")  # the merge base had one: no history read
    for fmt in ("terminal", "markdown", "html"):
        capsys.readouterr()
        main(["check", "-m", str(project / "gatekeeper.yml"), "--format", fmt])
        assert f"baseline: bundle of {_sha(0)[:7]} (the merge base), run {run}" in (
            capsys.readouterr().out
        )
    assert github.violations == []


def test_a_slower_head_fails_against_the_merge_base(
    github: FakeGitHub, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _upload(github, _sha(0), _bundle(project, _sha(0), 0.5))
    code, _, bench = _check(project, capsys)
    assert (code, bench["outcome"]) == (ExitCode.FAILED, "fail")
    assert "breaks 'mean +10%' of the baseline" in json.dumps(bench)
    assert github.violations == []


def test_the_nearest_ancestor_with_a_bundle_is_used_and_how_far_is_said(
    github: FakeGitHub, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    github.add_run(_sha(0))  # a run of the merge base without bundles (it failed early)
    run = _upload(github, _sha(2), _bundle(project, _sha(2)))
    _upload(github, _sha(3), _bundle(project, _sha(3), 0.5))  # farther: not used
    code, used, bench = _check(project, capsys)
    assert (code, bench["outcome"]) == (ExitCode.PASSED, "pass"), bench["summary"]
    assert (used["kind"], used["commit"], used["distance"]) == ("ancestor", _sha(2), 2)
    assert used["merge_base"] == _sha(0) and used["run_id"] == run
    assert used["description"] == (
        f"bundle of {_sha(2)[:7]} (2 commits before the merge base {_sha(0)[:7]}), run {run}"
    )
    assert len(github.calls("GET", r"/commits$")) == 1
    assert github.violations == []


def _pushed(github: FakeGitHub, project: Path, monkeypatch: pytest.MonkeyPatch, sha: str) -> None:
    """A push of ``sha`` to main, as GitHub describes it to a workflow."""
    event = {"ref": "refs/heads/main", "before": _sha(0), "after": sha,
             "repository": {"full_name": github.repository}}  # fmt: skip
    path = project / "push.json"
    path.write_text(json.dumps(event), encoding="utf-8")
    monkeypatch.setenv("GITHUB_EVENT_NAME", "push")
    monkeypatch.setenv("GITHUB_EVENT_PATH", str(path))
    monkeypatch.setenv("GITHUB_SHA", sha)


def test_a_push_is_judged_against_its_parent_s_bundle(
    github: FakeGitHub, project: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    _pushed(github, project, monkeypatch, TIP)
    _upload(github, TIP, _bundle(project, TIP, 0.5))  # the pushed commit's own: never its base
    run = _upload(github, _sha(0), _bundle(project, _sha(0)))
    code, used, bench = _check(project, capsys)
    assert (code, bench["outcome"]) == (ExitCode.PASSED, "pass"), bench["summary"]
    assert (used["kind"], used["commit"], used["distance"]) == ("ancestor", _sha(0), 1)
    assert used["merge_base"] is None and used["run_id"] == run
    assert used["description"] == (
        f"bundle of {_sha(0)[:7]} (the parent of the pushed commit {TIP[:7]}), run {run}"
    )
    (project / "micro.json").write_bytes(_micro(2.0))  # this push made it twice as slow
    code, _, bench = _check(project, capsys)
    assert (code, bench["outcome"]) == (ExitCode.FAILED, "fail")
    assert github.violations == []


def test_a_push_takes_the_nearest_ancestor_or_is_missing(
    github: FakeGitHub, project: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    _pushed(github, project, monkeypatch, TIP)
    code, used, bench = _check(project, capsys)
    assert (code, bench["outcome"], used["kind"]) == (ExitCode.FAILED, "missing", "none")
    assert "first-parent ancestors of the pushed commit" in bench["summary"]
    assert "20 commits searched, at most 20" in bench["summary"]
    run = _upload(github, _sha(2), _bundle(project, _sha(2)))
    code, used, bench = _check(project, capsys)
    assert (code, bench["outcome"]) == (ExitCode.PASSED, "pass"), bench["summary"]
    assert (used["commit"], used["distance"], used["run_id"]) == (_sha(2), 3, run)
    assert f"(3 commits before the pushed commit {TIP[:7]})" in used["description"]
    _pushed(github, project, monkeypatch, _sha(24))  # the root: nothing came before it
    code, used, bench = _check(project, capsys)
    assert (code, bench["outcome"]) == (ExitCode.FAILED, "missing")
    assert "has no parent" in used["reason"]
    monkeypatch.setenv("GITHUB_EVENT_NAME", "schedule")
    code, used, bench = _check(project, capsys)
    assert (code, bench["outcome"]) == (ExitCode.FAILED, "missing")
    assert "neither a pull request nor a push" in used["reason"]
    assert github.violations == []


def test_no_bundle_within_the_bound_is_missing_never_a_pass(
    github: FakeGitHub, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _upload(github, _sha(20), _bundle(project, _sha(20)))  # the 21st commit: past the bound
    code, used, bench = _check(project, capsys)
    assert (code, bench["outcome"]) == (ExitCode.FAILED, "missing")
    assert used["kind"] == "none" and used["commit"] is None
    assert bench["summary"].startswith("no baseline: no artifact matching 'gatekeeper-bundle-*'")
    assert "20 commits searched, at most 20" in bench["summary"]
    searched = {c.query["head_sha"][0] for c in github.calls("GET", r"/actions/runs$")}
    assert searched == {_sha(n) for n in range(20)}
    assert github.violations == []


def test_an_excluded_run_is_passed_over_and_reported(
    github: FakeGitHub, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = _upload(github, _sha(0), _bundle(project, _sha(0)))
    bad = _upload(github, _sha(0), _bundle(project, _sha(0), 0.5))  # newer, but known-bad
    matrix = project / "gatekeeper.yml"
    matrix.write_text(
        MATRIX + f"baselines:\n  exclude:\n    - {{run: {bad}, reason: throttled runner}}\n",
        encoding="utf-8",
    )
    code, used, bench = _check(project, capsys)
    assert (code, bench["outcome"]) == (ExitCode.PASSED, "pass"), bench["summary"]
    assert (used["kind"], used["run_id"]) == ("merge-base", good)
    assert used["skipped"] == [f"run {bad} of {_sha(0)[:7]}: excluded (throttled runner)"]
    capsys.readouterr()
    main(["check", "-m", str(matrix)])
    assert f"    skipped run {bad} of {_sha(0)[:7]}: excluded (throttled runner)" in (
        capsys.readouterr().out
    )
    assert github.violations == []


def test_a_pinned_run_is_used_whatever_the_merge_base(
    github: FakeGitHub, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _upload(github, _sha(0), _bundle(project, _sha(0), 0.5))
    pinned = _upload(github, _sha(5), _bundle(project, _sha(5)))
    matrix = project / "gatekeeper.yml"
    matrix.write_text(
        MATRIX + f"baselines:\n  pin: {{run: {pinned}, reason: last good run}}\n",
        encoding="utf-8",
    )
    code, used, bench = _check(project, capsys)
    assert (code, bench["outcome"]) == (ExitCode.PASSED, "pass"), bench["summary"]
    assert (used["kind"], used["run_id"], used["commit"]) == ("pinned", pinned, _sha(5))
    assert "(pinned: last good run)" in used["description"]
    assert not github.calls("GET", r"/compare/")
    assert github.violations == []


@pytest.mark.parametrize(
    ("path", "status", "words"),
    [
        (r"/compare/", 500, "find the merge base"),
        (r"/compare/", 404, "find the merge base"),
        (r"/commits$", 404, "list the history of"),
        (r"/actions/runs$", 500, "list workflow runs of"),
        (r"/zip$", 404, "download artifact"),
    ],
)
def test_an_api_error_is_an_error_never_a_pass(
    github: FakeGitHub,
    project: Path,
    capsys: pytest.CaptureFixture[str],
    path: str,
    status: int,
    words: str,
) -> None:
    github.add_run(_sha(0))  # no bundle at the merge base: the history is read
    _upload(github, _sha(1), _bundle(project, _sha(1)))
    github.fail("GET", path, status, times=None)
    code, used, bench = _check(project, capsys)
    assert (code, bench["outcome"]) == (ExitCode.FAILED, "error")
    assert used["kind"] == "error" and words in used["reason"]
    assert f"HTTP {status}" in bench["summary"]
    assert github.violations == []


def test_a_hostile_bundle_is_refused(
    github: FakeGitHub, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bundle = _bundle(project, _sha(0))
    run = github.add_run(_sha(0))
    github.add_artifact(run, NAME, _zip(("ok.json", bundle), ("../evil.json", b"{}")))
    code, used, bench = _check(project, capsys)
    assert (code, bench["outcome"]) == (ExitCode.FAILED, "error")
    assert "member '../evil.json': path escapes the folder" in used["reason"]
    assert not (project.parent / "evil.json").exists()
    assert github.violations == []


def test_a_bundle_for_another_commit_than_its_run_s_is_refused(
    github: FakeGitHub, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _upload(github, _sha(0), _bundle(project, _sha(9)))
    code, _, bench = _check(project, capsys)
    assert (code, bench["outcome"]) == (ExitCode.FAILED, "error")
    assert f"evidence for commit {_sha(9)}, not for {_sha(0)}" in json.dumps(bench)
    assert github.violations == []


def test_a_bundle_without_the_artifact_is_no_baseline(
    github: FakeGitHub, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run = _upload(github, _sha(0), _bundle(project, _sha(0), with_micro=False))
    code, used, bench = _check(project, capsys)
    assert (code, bench["outcome"]) == (ExitCode.FAILED, "missing")
    assert bench["summary"] == (
        f"no baseline: the bundle of {_sha(0)[:7]} (the merge base), run {run} has no "
        "evidence of 'micro'"
    )
    assert used["kind"] == "merge-base"
    assert github.violations == []


def test_baseline_flag_overrides_locally_and_without_it_there_is_none(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("GITHUB_EVENT_NAME", "GITHUB_EVENT_PATH", "GITHUB_REPOSITORY", "GITHUB_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    given = project / "base.json"
    given.write_bytes(_bundle(project, _sha(3)))
    code, used, bench = _check(project, capsys, "--baseline", str(given))
    assert (code, bench["outcome"]) == (ExitCode.PASSED, "pass"), bench["summary"]
    assert (used["kind"], used["commit"], used["files"]) == ("file", _sha(3), [str(given)])
    code, used, bench = _check(project, capsys)
    assert (code, bench["outcome"], used["kind"]) == (ExitCode.FAILED, "missing", "none")
    assert "no --baseline BUNDLE given" in bench["summary"]  # outside a pull request
    code, used, bench = _check(project, capsys, "--pull-request")
    assert (code, bench["outcome"]) == (ExitCode.FAILED, "missing")
    assert "GITHUB_REPOSITORY or GITHUB_TOKEN is not set" in used["reason"]
    given.write_text("{not json", encoding="utf-8")
    code, used, bench = _check(project, capsys, "--baseline", str(given))
    assert (code, bench["outcome"], used["kind"]) == (ExitCode.FAILED, "error", "error")
    assert "baseline bundles refused" in bench["summary"]


def test_baseline_flag_without_a_benchmark_that_needs_it_is_a_usage_error(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    matrix = project / "gatekeeper.yml"
    matrix.write_text(MATRIX.replace('baseline: {max_change: "mean +10%"}',
                                     'threshold: "mean < 1s"'), encoding="utf-8")  # fmt: skip
    code = main(["check", "-m", str(matrix), "--baseline", str(matrix)])
    assert code == ExitCode.USAGE
    assert "no benchmark of" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        ("  exclude:\n    - {run: 5, reason: a}\n    - {run: 5, reason: b}\n",
         "run 5 is excluded twice"),
        ("  exclude: [{run: 5, reason: a}]\n  pin: {run: 5, reason: b}\n",
         "run 5 is both pinned and excluded"),
        ("  pin: {run: 5}\n", "reason"),
    ],
)  # fmt: skip
def test_validate_refuses_contradictory_baseline_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: str, words: str
) -> None:
    matrix = tmp_path / "gatekeeper.yml"
    matrix.write_text(MATRIX + "baselines:\n" + extra, encoding="utf-8")
    assert main(["validate", str(matrix)]) == ExitCode.USAGE
    assert words in capsys.readouterr().err


def test_a_workflow_run_reads_the_pull_request_s_base_from_the_api(
    github: FakeGitHub,
    project: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Stage 2 of the two-stage recipe: the payload names the pull request, not its base."""
    github.add_pull(7, head_sha=HEAD, base_sha=TIP)
    run = _upload(github, _sha(1), _bundle(project, _sha(1)))
    event = {"workflow_run": {"event": "pull_request", "head_sha": HEAD,
                              "pull_requests": [{"number": 7}]}}  # fmt: skip
    path = project / "event.json"
    path.write_text(json.dumps(event), encoding="utf-8")
    monkeypatch.setenv("GITHUB_EVENT_NAME", "workflow_run")
    code, used, bench = _check(project, capsys)
    assert (code, bench["outcome"]) == (ExitCode.PASSED, "pass"), bench["summary"]
    assert (used["kind"], used["run_id"], used["distance"]) == ("ancestor", run, 1)
    assert github.violations == []


def test_a_new_artifact_or_new_series_have_no_baseline(
    github: FakeGitHub, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The base commit's matrix had neither: a benchmark that is new in the pull request is
    missing until its baseline exists, never a pass."""
    run = _upload(github, _sha(0), _bundle(project, _sha(0)))
    matrix = project / "gatekeeper.yml"
    new_artifact = MATRIX.replace(
        '  micro: {format: pytest-benchmark, paths: ["micro.json"]}\n',
        '  micro: {format: pytest-benchmark, paths: ["micro.json"]}\n'
        '  micro2: {format: pytest-benchmark, paths: ["micro.json"]}\n',
    ).replace("metric: {from: micro,", "metric: {from: micro2,")
    matrix.write_text(new_artifact, encoding="utf-8")
    code, _, bench = _check(project, capsys)
    assert (code, bench["outcome"]) == (ExitCode.FAILED, "missing")
    assert bench["summary"] == (
        f"no baseline: the bundle of {_sha(0)[:7]} (the merge base), run {run} has no "
        "evidence of 'micro2'"
    )
    matrix.write_text(MATRIX, encoding="utf-8")
    renamed = (project / "micro.json").read_text(encoding="utf-8").replace('"test_', '"test_new_')
    (project / "micro.json").write_text(renamed, encoding="utf-8")
    code, _, bench = _check(project, capsys)
    assert (code, bench["outcome"]) == (ExitCode.FAILED, "missing")
    assert bench["summary"].startswith("no baseline: none of the 3 series of 'test_*' is in")
    assert github.violations == []


def test_the_base_s_bundle_keeps_the_samples_a_confidence_needs(
    github: FakeGitHub, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The base branch collected with the same matrix: its bundle kept the raw samples of the
    series compared at a confidence, so the merge base is judged from them."""
    matrix = MATRIX.replace(
        'baseline: {max_change: "mean +10%"}',
        'baseline: {max_change: "median +10%", confidence: 0.95, drift: "15%"}',
    )
    (project / "gatekeeper.yml").write_text(matrix, encoding="utf-8")
    _upload(github, _sha(0), _bundle(project, _sha(0), matrix=matrix))
    code, used, bench = _check(project, capsys)
    assert (code, bench["outcome"]) == (ExitCode.PASSED, "pass"), bench["summary"]
    methods = {m["method"] for m in bench["measurements"]}
    assert methods == {"mann-whitney"}, bench["measurements"]
    assert used["kind"] == "merge-base"
    assert github.violations == []
