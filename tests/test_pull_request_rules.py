"""The pull request rules: no regression of what is achieved, next-phase work held back until
the gates before it pass, current-phase progress reported, and the swimlanes a change touches.

The rules are judged by the real engine on hand-built matrices, then end to end through the CLI
on the KMTA example and on real git repositories whose phase tags say what is achieved.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import re
import shlex
import subprocess
from pathlib import Path

import pytest

from gatekeeper.changes import touched
from gatekeeper.cli import main
from gatekeeper.engine import evaluate
from gatekeeper.errors import ExitCode, UsageError
from gatekeeper.evidence import ArtifactEvidence, ArtifactState, ParsedFile, TestResult, TestStatus
from gatekeeper.matrix.load import parse_matrix
from gatekeeper.model import (
    Artifact,
    Benchmark,
    Cell,
    Matrix,
    Phase,
    PullRequestRules,
    Swimlane,
    TestCriterion,
)
from gatekeeper.pathglob import path_glob
from gatekeeper.policy import (
    Declaration,
    RuleKind,
    declarations,
    gate_policy,
    pull_request_policy,
)
from tests.conftest import REPO
from tests.gitrepo import Repo, make_repo

KMTA = REPO / "examples" / "kmta"
TODAY = dt.date(2026, 11, 26)
IDS = ("sandbox", "stone", "bronze", "iron")


DEFAULT_RULES = PullRequestRules()


def _matrix(rules: PullRequestRules = DEFAULT_RULES, current: str | None = None) -> Matrix:
    """One swimlane with a cell in every phase; cell X reads the tests of class X."""
    cells = tuple(
        Cell(
            "core",
            p,
            f"{p} works",
            (Benchmark("t", "core", p, TestCriterion("unit", classname=(p,))),),
        )
        for p in IDS
    )
    lanes = (Swimlane("core", "Core", ("src/core/**",)), Swimlane("api", "API", ("api/*.proto",)))
    phases = tuple(Phase(p, p.title()) for p in IDS)
    artifacts = {"unit": Artifact("unit", "junit", ("unit.xml",))}
    return Matrix(
        "gatekeeper.yml", "", phases, lanes, cells, artifacts, (), current, pull_requests=rules
    )


def _evidence(*green: str) -> dict[str, ArtifactEvidence]:
    """Every phase's test is there; those named pass, the others fail."""
    tests = tuple(
        TestResult(
            "s", p, "test", None, None, TestStatus.PASSED if p in green else TestStatus.FAILED
        )
        for p in IDS
    )
    parsed = ParsedFile("unit.xml", "junit", tests, ())
    return {"unit": ArtifactEvidence("unit", ArtifactState.READ, (parsed,), (), ("unit.xml",))}


def _rules(report_rules: object) -> list[tuple[str, str | None, bool, bool]]:
    return [(r.rule.kind.value, r.rule.phase, r.rule.blocking, r.passed) for r in report_rules]  # type: ignore[attr-defined]


# --- the rules, pure ----------------------------------------------------------------------


def test_outside_a_pull_request_one_gate_decides() -> None:
    matrix = _matrix(current="bronze")
    assert gate_policy(matrix).rules[0].phase == "bronze"
    assert gate_policy(dataclasses.replace(matrix, current=None)).rules[0].phase == "iron"
    assert gate_policy(matrix, "stone", "--phase stone").rules[0].reason == "--phase stone"


def test_an_achieved_phase_that_regresses_blocks() -> None:
    matrix = _matrix()
    policy = pull_request_policy(matrix, "iron", "tags")  # bronze achieved
    report = evaluate(matrix, _evidence("sandbox", "stone"), TODAY, policy)
    assert _rules(report.rules) == [
        ("no-regression", "bronze", True, False),
        ("current-phase", "iron", False, False),
    ]
    assert not report.passed and report.enforced == "bronze"
    report = evaluate(matrix, _evidence("sandbox", "stone", "bronze"), TODAY, policy)
    assert report.passed  # Iron still red: reported, not blocking
    assert report.enforced == "bronze"


def test_current_phase_progress_blocks_only_when_the_matrix_says_so() -> None:
    matrix = _matrix(PullRequestRules(block_on_current=True))
    policy = pull_request_policy(matrix, "iron", "tags")
    report = evaluate(matrix, _evidence("sandbox", "stone", "bronze"), TODAY, policy)
    assert _rules(report.rules)[-1] == ("current-phase", "iron", True, False)
    assert not report.passed and report.enforced == "iron"


def test_next_phase_work_waits_for_every_gate_before_it() -> None:
    matrix = _matrix()
    declared = (Declaration("iron", "label phase:iron"),)
    policy = pull_request_policy(matrix, "stone", "tags", declared)  # sandbox achieved
    report = evaluate(matrix, _evidence("sandbox", "stone"), TODAY, policy)
    assert _rules(report.rules) == [
        ("no-regression", "sandbox", True, True),
        ("next-phase", "bronze", True, False),
        ("current-phase", "stone", False, True),
    ]
    assert not report.passed
    assert "label phase:iron declares Iron work: the Bronze gate must pass first" in (
        report.rules[1].rule.reason
    )
    assert report.rules[1].blocking_cells == ("core/bronze",)
    assert evaluate(matrix, _evidence("sandbox", "stone", "bronze"), TODAY, policy).passed


def test_the_highest_declared_phase_decides_and_every_declaration_is_named() -> None:
    matrix = _matrix()
    declared = (
        Declaration("iron", "branch phase/iron/x"),
        Declaration("bronze", "label phase:bronze"),
    )
    rule = pull_request_policy(matrix, "stone", "tags", declared).rules[1]
    assert rule.phase == "bronze"
    assert rule.reason.startswith("label phase:bronze and branch phase/iron/x declare Iron work")


def test_nothing_achieved_yet_means_nothing_can_regress() -> None:
    matrix = _matrix()
    policy = pull_request_policy(matrix, "sandbox", "tags")
    report = evaluate(matrix, _evidence(), TODAY, policy)
    assert _rules(report.rules) == [("current-phase", "sandbox", False, False)]
    assert report.passed and report.enforced is None
    # work declared for the first phase needs no gate before it
    policy = pull_request_policy(matrix, "sandbox", "tags", (Declaration("sandbox", "label x"),))
    assert _rules(evaluate(matrix, _evidence(), TODAY, policy).rules)[0] == (
        "next-phase", None, True, True,
    )  # fmt: skip


def test_every_phase_achieved_leaves_only_no_regression() -> None:
    matrix = _matrix()
    policy = pull_request_policy(matrix, None, "tags")
    assert [r.kind for r in policy.rules] == [RuleKind.NO_REGRESSION]
    assert policy.rules[0].phase == "iron"


# --- how a pull request declares next-phase work -------------------------------------------


def test_labels_declare_by_the_default_convention() -> None:
    matrix = _matrix()
    found = declarations(matrix, ["bug", "phase:iron", "phase-iron", "phase:"], None)
    assert found == (Declaration("iron", "label phase:iron"),)


def test_a_label_that_fits_but_names_no_phase_is_refused() -> None:
    with pytest.raises(UsageError, match=r"label 'phase:irn' fits .* names none of its phases"):
        declarations(_matrix(), ["phase:irn"], None)


def test_branches_declare_only_when_the_matrix_says_how() -> None:
    assert declarations(_matrix(), [], "phase/iron/splitter") == ()
    matrix = _matrix(PullRequestRules(None, "phase/{phase}/"))
    assert declarations(matrix, ["phase:iron"], "phase/iron/splitter") == (
        Declaration("iron", "branch phase/iron/splitter"),
    )  # with next_phase given, labels declare only if it names a label convention
    assert declarations(matrix, [], "feature/phase/iron") == ()
    assert declarations(matrix, [], "phase/iron")[0].phase == "iron"  # ends at the phase
    with pytest.raises(UsageError, match="branch 'phase/ironclad/x'"):
        declarations(matrix, [], "phase/ironclad/x")
    with pytest.raises(UsageError, match="branch 'phase/irn/x'"):
        declarations(matrix, [], "phase/irn/x")


def test_a_branch_prefix_picks_the_longest_phase_id() -> None:
    matrix = _matrix(PullRequestRules(None, "next-{phase}"))
    matrix = dataclasses.replace(matrix, phases=(*matrix.phases, Phase("iron2", "Iron 2")))
    assert declarations(matrix, [], "next-iron2-x")[0].phase == "iron2"
    assert declarations(matrix, [], "next-iron-x")[0].phase == "iron"


def test_a_label_pattern_with_a_suffix() -> None:
    matrix = _matrix(PullRequestRules("{phase} work"))
    assert declarations(matrix, ["iron work", "iron"], None) == (
        Declaration("iron", "label iron work"),
    )


# --- changed files and swimlanes ------------------------------------------------------------


@pytest.mark.parametrize(
    ("glob", "path", "expected"),
    [
        ("src/core/**", "src/core/a/b.py", True),
        ("src/core/**", "src/core.py", False),
        ("*.md", "README.md", True),
        ("*.md", "docs/README.md", False),
        ("**/*.proto", "a.proto", True),
        ("**/*.proto", "x/y/a.proto", True),
        ("api/?.proto", "api/a.proto", True),
        ("api/?.proto", "api/ab.proto", False),
        ("a+b(c)/*", "a+b(c)/d", True),
        ("src/[ab]*/x", "src/beta/x", True),
        ("src/**/test/**/*.py", "src/test/t.py", True),  # ** may stand for no folder
        ("src/**/test/**/*.py", "src/a/b/test/c/t.py", True),
        ("src/**/test/**/*.py", "src/a/b/tests/c/t.py", False),
        ("src/*.py", "src/a/b.py", False),
    ],
)
def test_path_globs(glob: str, path: str, expected: bool) -> None:
    assert path_glob(glob).fullmatch(path) is expected


@pytest.mark.parametrize(
    ("glob", "path", "expected"),
    [  # a backtracking matcher takes exponential time on these (benchmarks/path_globs.py)
        ("*a*a*a*a*a*a*a*a*b", "a" * 100_000, False),
        ("*a*a*a*a*a*a*a*a*b", "a" * 100_000 + "b", True),
        ("**/*a*a*a*a*a*a*a*a*b", "a/" * 2_000 + "a" * 10_000, False),
        ("/".join(["**"] * 12) + "/x", "a/" * 4_000 + "y", False),
        ("/".join(["**"] * 12) + "/x", "a/" * 4_000 + "x", True),
    ],
)
def test_path_globs_stay_bounded_on_hostile_names(glob: str, path: str, expected: bool) -> None:
    assert path_glob(glob).fullmatch(path) is expected


def test_changed_files_count_towards_every_swimlane_they_belong_to() -> None:
    changes = touched(
        _matrix(), ["src/core/x.py", "./src/core/y/z.py", "api\\a.proto", "README.md", ""]
    )
    assert changes.files == 4
    assert changes.touched == (("core", 2), ("api", 1))
    assert changes.outside == 1


# --- the matrix file -------------------------------------------------------------------------

_FILE = """\
version: 1
phases: [{id: one, name: One}, {id: two, name: Two}]
artifacts: {unit: {paths: "*.xml"}}
swimlanes:
  - id: core
    name: Core
    paths: ["src/**", "lib/*.py"]
    cells: {one: {goal: g, benchmarks: [{id: t, tests: {from: unit}}]}}
"""


def test_the_matrix_file_sets_the_conventions() -> None:
    matrix = parse_matrix(_FILE.encode(), "m.yml")
    assert matrix.pull_requests == PullRequestRules("phase:{phase}", None, False)
    assert matrix.swimlanes[0].paths == ("src/**", "lib/*.py")
    text = (
        _FILE + "pull_requests:\n  next_phase: {branch: 'next/{phase}/'}\n  current_phase: block\n"
    )
    assert parse_matrix(text.encode(), "m.yml").pull_requests == PullRequestRules(
        None, "next/{phase}/", True
    )


@pytest.mark.parametrize(
    "bad",
    [
        "pull_requests: {next_phase: {branch: '{phase}/'}}",  # no fixed text before {phase}
        "pull_requests: {next_phase: {label: 'phase'}}",  # no {phase}
        "pull_requests: {current_phase: sometimes}",
        "pull_requests: {next_phase: {tag: x}}",
    ],
)
def test_bad_conventions_are_matrix_errors(bad: str) -> None:
    with pytest.raises(Exception) as caught:
        parse_matrix((_FILE + bad + "\n").encode(), "m.yml")
    assert "m.yml:9:" in str(caught.value.problems[0])  # type: ignore[attr-defined]


# --- end to end: the CLI on the KMTA example -------------------------------------------------


def _check(*argv: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, object]]:
    code = main(["check", "--matrix", str(KMTA / "gatekeeper.yml"), "--format", "json", *argv])
    return code, json.loads(capsys.readouterr().out)


def test_kmta_as_a_pull_request_stands_at_bronze_and_reports_iron(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, report = _check("--pull-request", capsys=capsys)
    assert code == ExitCode.PASSED  # Bronze holds; Iron's red cells are progress, not blocking
    assert report["policy"]["achieved"] == "bronze"  # type: ignore[index]
    assert [(r["kind"], r["passed"]) for r in report["rules"]] == [  # type: ignore[attr-defined]
        ("no-regression", True), ("current-phase", False),
    ]  # fmt: skip
    code, report = _check("--pull-request", "--label", "phase:steel", capsys=capsys)
    assert code == ExitCode.FAILED  # Steel work waits for the Iron gate
    assert report["rules"][1]["kind"] == "next-phase"  # type: ignore[index]
    assert report["rules"][1]["phase"] == "iron" and not report["rules"][1]["passed"]  # type: ignore[index]
    assert report["enforced_phase"] == "iron"


def test_kmta_pull_request_in_the_terminal_says_which_rule_blocked(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main([
        "check", "--matrix", str(KMTA / "gatekeeper.yml"), "--pull-request", "--current",
        "steel", "--label", "phase:steel",
    ])  # fmt: skip
    out = capsys.readouterr().out
    assert code == ExitCode.FAILED
    assert "pull request rules (no regression, next-phase work) FAILED" in out.splitlines()[0]
    assert "    FAILED  no regression: Iron is achieved" in out
    assert "from --current steel" in out


def test_pull_request_flags_need_pull_request_mode(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["check", "--matrix", str(KMTA / "gatekeeper.yml"), "--label", "phase:iron"])
    assert code == ExitCode.USAGE
    assert "--label: only with --pull-request" in capsys.readouterr().err
    code = main(["check", "--matrix", str(KMTA / "gatekeeper.yml"), "--pull-request",
                 "--current", "zinc"])  # fmt: skip
    assert code == ExitCode.USAGE
    assert "--current 'zinc': not a phase" in capsys.readouterr().err


def test_changed_files_mark_the_swimlanes_touched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    changed = tmp_path / "changed.txt"
    changed.write_text("examples/kmta/suite/kmta/splitter.py\nREADME.md\n", encoding="utf-8")
    _, report = _check("--pull-request", "--changed-files", str(changed), capsys=capsys)
    assert report["changes"] == {
        "files": 2, "touched": [{"swimlane": "ingress-api", "files": 1}], "outside": 1,
    }  # fmt: skip
    main(["check", "--matrix", str(KMTA / "gatekeeper.yml"), "--pull-request",
          "--changed-files", str(changed), "--format", "markdown"])  # fmt: skip
    markdown = capsys.readouterr().out
    assert "| ✏️ **Ingress API** |" in markdown
    assert "| **Scalability** |" in markdown


# --- end to end: phase tags in a real repository say what is achieved ------------------------


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Repo:
    return make_repo(tmp_path, monkeypatch)


def _drop_current(repo: Repo) -> None:
    text = (repo.path / "gatekeeper.yml").read_text(encoding="utf-8")
    (repo.path / "gatekeeper.yml").write_text(text.replace("current: one\n", ""), "utf-8")
    repo.commit("no current: the phase tags say")


def test_phase_tags_say_what_must_not_regress(repo: Repo) -> None:
    _drop_current(repo)
    repo.evidence()  # core/one passes; two has no k6 evidence
    assert repo.run("check", "--pull-request", "--format", "none") == ExitCode.PASSED
    repo.git("tag", "-a", "phase/one", "-m", "one")
    repo.git("commit", "--quiet", "--allow-empty", "-m", "later work")
    assert repo.run("check", "--pull-request", "--format", "none") == ExitCode.PASSED
    from tests.test_cli import JUNIT_FAIL

    repo.evidence(JUNIT_FAIL)  # the achieved phase regresses
    assert repo.run("check", "--pull-request", "--format", "none") == ExitCode.FAILED
    # without the tag nothing is achieved: the same evidence blocks nothing
    repo.git("tag", "-d", "phase/one")
    assert repo.run("check", "--pull-request", "--format", "none") == ExitCode.PASSED


def test_a_shallow_clone_is_refused_rather_than_read_as_no_phase(
    repo: Repo,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _drop_current(repo)
    repo.git("tag", "-a", "phase/one", "-m", "one")
    repo.git("commit", "--quiet", "--allow-empty", "-m", "later work")
    shallow = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "--quiet", "--depth", "1", f"file://{repo.path}", str(shallow)],
        check=True, capture_output=True,
    )  # fmt: skip
    code = main(["check", "--matrix", str(shallow / "gatekeeper.yml"), "--pull-request"])
    assert code == ExitCode.USAGE
    assert "is shallow" in capsys.readouterr().err


def test_the_readme_s_pull_request_example_says_what_it_claims(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    found = re.search(
        r"^\$ (gatekeeper check --pull-request[^#\n]*?)\s+# in examples/kmta", readme, re.M
    )
    assert found, "the README's pull request example is gone"
    monkeypatch.chdir(KMTA)
    assert main(shlex.split(found.group(1))[1:]) == ExitCode.FAILED
    out = capsys.readouterr().out
    assert (
        "    FAILED  next-phase work: label phase:steel declares Steel work: the Iron gate" in out
    )


def test_delete_failed_tag_without_a_tag_push_says_there_is_nothing_to_delete(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(["check", "--matrix", str(KMTA / "gatekeeper.yml"), "--format", "none",
                 "--delete-failed-tag"])  # fmt: skip
    assert code == ExitCode.FAILED  # the gate's code, as without the flag
    assert "--delete-failed-tag: no phase tag decided this gate" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("gatekeeper check --pull-request --dry-run", ExitCode.PASSED),
        ("gatekeeper check --pull-request --label phase:steel --dry-run", ExitCode.FAILED),
    ],
)
def test_the_kmta_readme_s_pull_request_commands_exit_as_it_says(
    command: str, expected: ExitCode, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = (KMTA / "README.md").read_text(encoding="utf-8")
    assert (
        f"`{command}`\nexits {int(expected)}" in text
        or f"`{command}` exits {int(expected)}" in text
    )
    monkeypatch.chdir(KMTA)
    assert main([*shlex.split(command)[1:], "--format", "none"]) == expected


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (b"src/\xff\xfe.py\n", "cannot read"),  # not UTF-8
        (b"x" * (16 * 1024 * 1024 + 1), "over 16 MiB"),
    ],
)
def test_an_unreadable_or_gigantic_changed_files_list_is_a_usage_error(
    tmp_path: Path, content: bytes, said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    changed = tmp_path / "changed.txt"
    changed.write_bytes(content)
    code = main(["check", "--matrix", str(KMTA / "gatekeeper.yml"), "--pull-request",
                 "--changed-files", str(changed), "--format", "none"])  # fmt: skip
    assert code == ExitCode.USAGE
    err = capsys.readouterr().err
    assert f"--changed-files {changed}: {said}" in err
    assert "Traceback" not in err


def test_changed_files_from_standard_input(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("x/kmta/dkim.py\n\n"))
    _, report = _check("--pull-request", "--changed-files", "-", capsys=capsys)
    assert report["changes"] == {
        "files": 1, "touched": [{"swimlane": "email-auth", "files": 1}], "outside": 0,
    }  # fmt: skip
