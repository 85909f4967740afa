"""Evidence that expires: ``max_age``, the run's one clock (``--as-of``), stale vs due.

End to end through the command line on real files (a JUnit report with a suite timestamp),
through bundles, on pull requests and on promote; the rules of age on the engine directly.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import textwrap
from pathlib import Path

import pytest

from gatekeeper.cli import main
from gatekeeper.engine import evaluate
from gatekeeper.errors import ExitCode
from gatekeeper.evidence import ArtifactEvidence, ArtifactState, ParsedFile, TestResult, TestStatus
from gatekeeper.freshness import age_text, parse_iso_time, parse_max_age
from gatekeeper.matrix.load import parse_matrix
from gatekeeper.model import Matrix, Waiver
from gatekeeper.policy import Declaration, pull_request_policy
from gatekeeper.results import Outcome, Report
from tests.gitrepo import Repo, make_repo

MEASURED = "2026-10-01T12:00:00Z"
SHA = "0123456789abcdef0123456789abcdef01234567"

MATRIX = """\
version: 1
project: Drill
current: two
phases:
  - {id: one, name: One}
  - {id: two, name: Two}
artifacts:
  unit: {format: junit, paths: "reports/*.xml"}
swimlanes:
  - id: core
    name: Core
    cells:
      one:
        goal: The failover drill passes each month
        benchmarks:
          - {id: drill, tests: {from: unit, class: tests.test_drill}, max_age: 30d}
      two:
        goal: More
        benchmarks:
          - {id: more, tests: {from: unit, class: tests.test_more}}
"""


def junit(timestamp: str | None = MEASURED, drill: str = "") -> str:
    stamp = "" if timestamp is None else f' timestamp="{timestamp}"'
    return textwrap.dedent(f"""\
        <?xml version="1.0" encoding="utf-8"?>
        <testsuites><testsuite name="pytest" tests="2"{stamp}>
        <testcase classname="tests.test_drill" name="test_failover" time="1">{drill}</testcase>
        <testcase classname="tests.test_more" name="test_more" time="1"/>
        </testsuite></testsuites>
        """)


FAILED = '<failure message="replica did not take over">trace</failure>'


def project(tmp_path: Path, report: str | None = None, matrix: str = MATRIX) -> Path:
    tmp_path.mkdir(exist_ok=True)
    (tmp_path / "gatekeeper.yml").write_text(matrix, encoding="utf-8")
    (tmp_path / "reports").mkdir(exist_ok=True)
    (tmp_path / "reports" / "unit.xml").write_text(report or junit(), encoding="utf-8")
    return tmp_path


def check(root: Path, *extra: str) -> int:
    return main(["check", "--matrix", str(root / "gatekeeper.yml"), "--format", "json", *extra])


def drill_of(out: str) -> dict[str, object]:
    document = json.loads(out)
    return next(
        b for c in document["cells"] for b in c["benchmarks"] if b["id"] == "drill"
    )  # fmt: skip


# --- max_age as written --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "span"),
    [("30d", dt.timedelta(days=30)), ("12h", dt.timedelta(hours=12)), ("4w", dt.timedelta(28))],
)
def test_max_age_units(text: str, span: dt.timedelta) -> None:
    assert parse_max_age(text).span == span


@pytest.mark.parametrize("text", ["0d", "-1d", "30", "30x", "1.5d", "d", " 30d", "30D", ""])
def test_max_age_refuses_zero_negative_and_garbage(text: str) -> None:
    with pytest.raises(ValueError, match="expected a whole number above 0 and a unit"):
        parse_max_age(text)


@pytest.mark.parametrize("value", ["0d", "-3d", "30", "a month", "1.5w"])
def test_validate_refuses_a_bad_max_age_with_its_place(
    tmp_path: Path, value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "gatekeeper.yml"
    path.write_text(MATRIX.replace("max_age: 30d", f'max_age: "{value}"'), encoding="utf-8")
    assert main(["validate", str(path)]) == ExitCode.USAGE
    captured = capsys.readouterr()
    said = captured.out + captured.err
    assert f"gatekeeper.yml:16:71: swimlanes[0].cells.one.benchmarks[0].max_age: '{value}'" in said
    assert "a whole number above 0 and a unit, h (hours), d (days) or w (weeks)" in said


def test_the_matrix_keys_load(tmp_path: Path) -> None:
    text = MATRIX.replace(
        'unit: {format: junit, paths: "reports/*.xml"}',
        'unit: {format: junit, paths: "reports/*.xml", max_age: 7d}',
    ).replace("phases:\n", "pull_requests: {stale: block}\nphases:\n")
    matrix = parse_matrix(text.encode(), "gatekeeper.yml")
    assert matrix.artifacts["unit"].max_age == parse_max_age("7d")
    assert matrix.cells[0].benchmarks[0].max_age == parse_max_age("30d")
    assert matrix.pull_requests.block_on_stale
    assert not parse_matrix(MATRIX.encode(), "m.yml").pull_requests.block_on_stale


# --- the verdict by age, end to end ----------------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "code", "outcome", "summary"),
    [
        ("2026-10-20", 0, "pass", "1/1 tests passed"),
        ("2026-10-31T12:00:00Z", 0, "pass", ""),  # exactly 30 days: not older than that
        (
            "2026-10-31T12:00:01Z",
            1,
            "missing",
            "stale: last evidence 30 days 00:00:01 old (max 30d)",
        ),
        ("2026-11-11T12:00:00Z", 1, "missing", "stale: last evidence 41 days old (max 30d)"),
        ("2026-10-01T12:04:00Z", 0, "pass", ""),  # a runner's clock a little behind: skew
        ("2026-10-01T11:54:00Z", 1, "error", "evidence from the future: measured at "),
    ],
    ids=["fresh", "boundary", "just-over", "stale", "skew", "future"],
)
def test_the_gate_by_age(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    as_of: str,
    code: int,
    outcome: str,
    summary: str,
) -> None:
    root = project(tmp_path)
    assert check(root, "--as-of", as_of) == code
    drill = drill_of(capsys.readouterr().out)
    assert drill["outcome"] == outcome
    assert summary in str(drill["summary"])
    age = drill["age"]
    assert isinstance(age, dict)
    assert age["measured_at"] == "2026-10-01T12:00:00Z"
    assert age["max_age"] == "30d" and age["max_age_seconds"] == 30 * 86400


def test_the_report_states_the_check_time_and_each_age(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path)
    assert check(root, "--as-of", "2026-11-11T12:00:00Z") == ExitCode.FAILED
    document = json.loads(capsys.readouterr().out)
    assert document["as_of"] == "2026-11-11T12:00:00Z"
    assert document["date"] == "2026-11-11"
    drill = drill_of(json.dumps(document))
    assert drill["age"] == {
        "max_age": "30d", "max_age_seconds": 2592000, "measured_at": "2026-10-01T12:00:00Z",
        "age_seconds": 41 * 86400.0, "stale": True,
    }  # fmt: skip
    more = document["cells"][1]["benchmarks"][0]
    assert more["age"] is None  # no max_age applies
    assert main(["check", "--matrix", str(root / "gatekeeper.yml"), "--format", "terminal",
                 "--as-of", "2026-11-11T12:00:00Z"]) == ExitCode.FAILED  # fmt: skip
    out = capsys.readouterr().out
    assert "evidence ages as of 2026-11-11 12:00 UTC" in out
    assert "stale: last evidence 41 days old (max 30d)" in out
    assert "evidence measured 2026-10-01 12:00 UTC, 41 days old (max 30d, stale)" in out


def test_a_date_is_its_last_moment_and_today_is_its_alias(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path, junit("2026-10-31T20:00:00Z"))
    assert check(root, "--as-of", "2026-10-31") == ExitCode.PASSED  # not from the future
    assert json.loads(capsys.readouterr().out)["as_of"] == "2026-10-31T23:59:59.999999Z"
    assert check(root, "--today", "2026-10-31") == ExitCode.PASSED
    capsys.readouterr()
    assert check(root, "--today", "2026-10-31", "--as-of", "2026-10-31") == ExitCode.USAGE
    assert "--today and --as-of: give one" in capsys.readouterr().err
    assert check(root, "--as-of", "last tuesday") == ExitCode.USAGE
    assert "--as-of 'last tuesday': expected a date" in capsys.readouterr().err


def test_stale_never_hides_a_failure(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = project(tmp_path, junit(drill=FAILED))
    assert check(root, "--as-of", "2026-12-01") == ExitCode.FAILED
    drill = drill_of(capsys.readouterr().out)
    assert drill["outcome"] == "fail"
    assert drill["age"]["stale"] is True  # type: ignore[index]


def test_evidence_with_no_recorded_time_cannot_satisfy_a_max_age(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path, junit(None))
    assert check(root, "--as-of", "2026-10-02") == ExitCode.FAILED
    drill = drill_of(capsys.readouterr().out)
    assert drill["outcome"] == "missing"
    assert str(drill["summary"]).startswith(
        "no recorded time: junit files do not say when they were measured, and evidence with "
        "no recorded time cannot satisfy max_age 30d"
    )
    assert drill["age"] == {"max_age": "30d", "max_age_seconds": 2592000, "measured_at": None,
                            "age_seconds": None, "stale": False}  # fmt: skip


def test_a_garbled_timestamp_is_an_error_only_where_a_max_age_needs_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path, junit("yesterday"))
    assert check(root, "--as-of", "2026-10-02") == ExitCode.FAILED
    drill = drill_of(capsys.readouterr().out)
    assert drill["outcome"] == "error"
    assert str(drill["summary"]).startswith(
        "unreadable time: reports/unit.xml:2:13: <testsuite> timestamp: 'yesterday' is not"
    )
    (root / "gatekeeper.yml").write_text(MATRIX.replace(", max_age: 30d", ""), encoding="utf-8")
    assert check(root, "--as-of", "2026-10-02") == ExitCode.PASSED  # the tests themselves read


def test_the_oldest_file_dates_the_artifact(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path)
    other = junit("2026-11-10T00:00:00Z").replace("test_more", "test_other")
    (root / "reports" / "newer.xml").write_text(other, encoding="utf-8")
    assert check(root, "--as-of", "2026-11-11T12:00:00Z") == ExitCode.FAILED
    assert "41 days old" in str(drill_of(capsys.readouterr().out)["summary"])


def test_a_benchmark_max_age_wins_over_its_artifact(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    looser = MATRIX.replace(
        'unit: {format: junit, paths: "reports/*.xml"}',
        'unit: {format: junit, paths: "reports/*.xml", max_age: 1w}',
    ).replace("max_age: 30d", "max_age: 60d")
    root = project(tmp_path, matrix=looser)
    assert check(root, "--as-of", "2026-11-11T12:00:00Z") == ExitCode.FAILED
    document = json.loads(capsys.readouterr().out)
    drill = drill_of(json.dumps(document))
    assert drill["outcome"] == "pass" and drill["age"]["max_age"] == "60d"  # type: ignore[index]
    more = document["cells"][1]["benchmarks"][0]
    assert more["outcome"] == "missing"
    assert more["summary"] == "stale: last evidence 41 days old (max 1w)"


# --- bundles keep each file's own time -------------------------------------------------------


def test_a_bundle_keeps_each_files_own_time(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path / "ci")
    bundle = tmp_path / "bundle.json"
    matrix = str(root / "gatekeeper.yml")
    assert main(["collect", "--matrix", matrix, "--sha", SHA, "--out", str(bundle)]) == 0
    written = json.loads(bundle.read_text(encoding="utf-8"))
    files = written["shards"][0]["artifacts"]["unit"]["files"]
    assert [f["measured_at"] for f in files] == ["2026-10-01T12:00:00+00:00"]
    capsys.readouterr()
    # CI's verdict, reproduced later with --as-of = CI's time, whenever the bundle was made
    assert check(root, "--bundle", str(bundle), "--as-of", "2026-10-20") == ExitCode.PASSED
    assert drill_of(capsys.readouterr().out)["outcome"] == "pass"
    assert check(root, "--bundle", str(bundle), "--as-of", "2026-11-11T12:00Z") == 1
    assert "41 days old" in str(drill_of(capsys.readouterr().out)["summary"])


def test_a_bundle_of_the_version_before_records_no_time(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path / "ci")
    bundle = tmp_path / "bundle.json"
    matrix = str(root / "gatekeeper.yml")
    assert main(["collect", "--matrix", matrix, "--sha", SHA, "--out", str(bundle)]) == 0
    older = json.loads(bundle.read_text(encoding="utf-8"))
    older["bundle_version"] = 4
    for file in older["shards"][0]["artifacts"]["unit"]["files"]:
        del file["measured_at"], file["time_error"]
    bundle.write_text(json.dumps(older), encoding="utf-8")
    capsys.readouterr()
    assert check(root, "--bundle", str(bundle), "--as-of", "2026-10-20") == ExitCode.FAILED
    assert str(drill_of(capsys.readouterr().out)["summary"]).startswith("no recorded time: junit")
    # and the version before never had the key: one that claims a time is not believed
    older["shards"][0]["artifacts"]["unit"]["files"][0]["measured_at"] = "2026-10-19T00:00:00Z"
    bundle.write_text(json.dumps(older), encoding="utf-8")
    assert check(root, "--bundle", str(bundle), "--as-of", "2026-10-20") == ExitCode.FAILED


def test_a_bundle_keeps_a_garbled_time_as_the_same_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path / "ci", junit("yesterday"))
    bundle = tmp_path / "bundle.json"
    matrix = str(root / "gatekeeper.yml")
    assert main(["collect", "--matrix", matrix, "--sha", SHA, "--out", str(bundle)]) == 0
    capsys.readouterr()
    assert check(root, "--as-of", "2026-10-02") == ExitCode.FAILED
    direct = drill_of(capsys.readouterr().out)
    assert check(root, "--bundle", str(bundle), "--as-of", "2026-10-02") == ExitCode.FAILED
    assert drill_of(capsys.readouterr().out) == direct  # the same verdict, the same words


def test_a_bundle_is_trusted_as_cis_own_record_times_included(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bundle whose file claims fresh evidence is believed, as its test results are: a
    bundle is CI's own record (README: keep bundles where only CI writes them)."""
    root = project(tmp_path / "ci")
    bundle = tmp_path / "bundle.json"
    matrix = str(root / "gatekeeper.yml")
    assert main(["collect", "--matrix", matrix, "--sha", SHA, "--out", str(bundle)]) == 0
    data = json.loads(bundle.read_text(encoding="utf-8"))
    data["shards"][0]["artifacts"]["unit"]["files"][0]["measured_at"] = "2026-11-10T00:00:00+00:00"
    bundle.write_text(json.dumps(data), encoding="utf-8")
    capsys.readouterr()
    assert check(root, "--bundle", str(bundle), "--as-of", "2026-11-11T12:00:00Z") == 0


def test_a_bundle_with_an_impossible_time_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path / "ci")
    bundle = tmp_path / "bundle.json"
    matrix = str(root / "gatekeeper.yml")
    assert main(["collect", "--matrix", matrix, "--sha", SHA, "--out", str(bundle)]) == 0
    for bad in ("2026-13-01T00:00:00+00:00", "2026-10-01T12:00:00+02:00", "yesterday"):
        data = json.loads(bundle.read_text(encoding="utf-8"))
        data["shards"][0]["artifacts"]["unit"]["files"][0]["measured_at"] = bad
        forged = tmp_path / "forged.json"
        forged.write_text(json.dumps(data), encoding="utf-8")
        capsys.readouterr()
        assert check(root, "--bundle", str(forged)) == ExitCode.NO_EVIDENCE
        assert "files[0].measured_at: " in capsys.readouterr().out  # the bundle refused


# --- pull requests: due, not blocking; promote and next-phase: blocking ----------------------


def test_stale_in_an_achieved_phase_is_due_and_the_pull_request_passes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path)
    argv = ("--pull-request", "--as-of", "2026-11-11T12:00:00Z")
    assert check(root, *argv) == ExitCode.PASSED
    document = json.loads(capsys.readouterr().out)
    rule = document["rules"][0]
    assert (rule["kind"], rule["passed"], rule["due"]) == (
        "no-regression",
        True,
        ["core/one/drill"],
    )
    assert rule["blocking_cells"] == []
    assert document["phases"][0]["gate"] == "failed"  # the gate itself is not met: no promote
    assert main(["check", "--matrix", str(root / "gatekeeper.yml"), *argv]) == ExitCode.PASSED
    out = capsys.readouterr().out
    assert "Due (1, not blocking: stale evidence of an achieved phase, run it again):" in out
    assert "core/one/drill: evidence measured 2026-10-01 12:00 UTC, 41 days old" in out
    assert "Blocking" not in out


def test_with_stale_block_stale_evidence_blocks_the_pull_request(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    strict = MATRIX.replace("phases:\n", "pull_requests: {stale: block}\nphases:\n")
    root = project(tmp_path, matrix=strict)
    assert check(root, "--pull-request", "--as-of", "2026-11-11T12:00:00Z") == ExitCode.FAILED
    rule = json.loads(capsys.readouterr().out)["rules"][0]
    assert (rule["passed"], rule["due"], rule["blocking_cells"]) == (False, [], ["core/one"])


def test_stale_evidence_blocks_next_phase_work(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path)
    argv = ("--pull-request", "--label", "phase:two", "--as-of", "2026-11-11T12:00:00Z")
    assert check(root, *argv) == ExitCode.FAILED
    document = json.loads(capsys.readouterr().out)
    kinds = {r["kind"]: r for r in document["rules"]}
    assert kinds["next-phase"]["passed"] is False
    assert kinds["next-phase"]["blocking_cells"] == ["core/one"]
    main(["check", "--matrix", str(root / "gatekeeper.yml"), *argv])
    out = capsys.readouterr().out
    assert "Due (" not in out  # a failing rule's gate covers it: there it blocks
    assert "stale: last evidence 41 days old (max 30d)" in out


def test_the_local_command_carries_the_clock(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(tmp_path)
    for name in ("GITHUB_REPOSITORY", "GITHUB_TOKEN", "GITHUB_EVENT_PATH", "GITHUB_EVENT_NAME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    argv = ("--pull-request", "--dry-run", "--as-of", "2026-11-11T12:00:00Z")
    check(root, *argv)
    err = capsys.readouterr().err
    assert "--as-of 2026-11-11T12:00:00Z" in err


# --- the engine directly ---------------------------------------------------------------------


def _matrix() -> Matrix:
    return parse_matrix(MATRIX.encode(), "gatekeeper.yml")


def _evidence(when: dt.datetime | None) -> dict[str, ArtifactEvidence]:
    tests = (
        TestResult("s", "tests.test_drill", "test_failover", None, None, TestStatus.PASSED),
        TestResult("s", "tests.test_more", "test_more", None, None, TestStatus.PASSED),
    )
    parsed = ParsedFile("reports/unit.xml", "junit", tests, measured_at=when)
    return {"unit": ArtifactEvidence("unit", ArtifactState.READ, (parsed,), (), ("r",))}


def _report(when: dt.datetime | None, as_of: dt.datetime, policy: object = None) -> Report:
    return evaluate(_matrix(), _evidence(when), as_of, policy)  # type: ignore[arg-type]


def test_a_waiver_and_max_age_share_one_clock() -> None:
    measured = parse_iso_time(MEASURED)
    matrix = dataclasses.replace(_matrix(), waivers=())
    report = evaluate(matrix, _evidence(measured), measured + dt.timedelta(days=41))
    assert report.today == dt.date(2026, 11, 11)
    drill = report.benchmarks[0]
    assert drill.stale and drill.outcome is Outcome.MISSING
    assert drill.details == ("the evidence alone says pass: 1/1 tests passed",)


def test_a_date_given_to_the_engine_is_its_start() -> None:
    report = _report(parse_iso_time(MEASURED), dt.date(2026, 10, 2))  # type: ignore[arg-type]
    assert report.as_of == dt.datetime(2026, 10, 2, tzinfo=dt.timezone.utc)
    assert report.benchmarks[0].outcome is Outcome.PASS


def test_due_only_on_the_no_regression_rule() -> None:
    matrix = _matrix()
    measured = parse_iso_time(MEASURED)
    later = measured + dt.timedelta(days=41)
    policy = pull_request_policy(matrix, "two", "test", (Declaration("two", "label phase:two"),))
    report = evaluate(matrix, _evidence(measured), later, policy)
    assert not report.passed and report.due == ()
    policy = pull_request_policy(matrix, "two", "test")
    report = evaluate(matrix, _evidence(measured), later, policy)
    assert report.passed and report.due == ("core/one/drill",)
    assert report.stands_at is None  # a gate is never met by stale evidence


@pytest.mark.parametrize(
    ("age", "text"),
    [
        (dt.timedelta(days=41, hours=5), "41 days"),
        (dt.timedelta(days=30, hours=5), "30 days 05:00:00"),
        (dt.timedelta(days=14, hours=5), "14 days"),
        (dt.timedelta(hours=50), "50 hours"),
        (dt.timedelta(hours=48, seconds=61), "48 hours 01:01"),
        (dt.timedelta(hours=30), "30 hours"),
        (dt.timedelta(hours=1), "1 hour"),
    ],
)
def test_age_words(age: dt.timedelta, text: str) -> None:
    limit = parse_max_age("48h" if text.startswith(("50", "48")) else "30d")
    assert age_text(age, limit) == text


# --- promote and status judge by the same clock ---------------------------------------------


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Repo:
    made = make_repo(tmp_path, monkeypatch)
    (made.path / "gatekeeper.yml").write_text(MATRIX, encoding="utf-8")
    made.commit("a matrix with a max_age")
    made.evidence(junit=junit())
    return made


def test_promote_refuses_on_stale_evidence(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    assert repo.run("promote", "one", "--as-of", "2026-11-11T12:00:00Z") == ExitCode.FAILED
    captured = capsys.readouterr()
    assert "stale: last evidence 41 days old (max 30d)" in captured.out
    assert "no tag phase/one created" in captured.err
    assert repo.tags() == []
    assert repo.run("promote", "one", "--as-of", "bad") == ExitCode.USAGE
    assert repo.run("promote", "one", "--as-of", "2026-10-20") == ExitCode.PASSED
    assert repo.tags() == ["phase/one"]


def test_status_judges_as_of(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    assert repo.run("status", "--as-of", "2026-11-11T12:00:00Z") == ExitCode.PASSED
    assert "working on One: its gate does not pass yet (1 cell not met)" in capsys.readouterr().out
    assert repo.run("status", "--as-of", "2026-10-20") == ExitCode.PASSED
    assert "working on One: its gate passes" in capsys.readouterr().out


def test_a_locust_run_is_dated_by_its_history(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The judged ``_stats.csv`` records no time; its run's ``_stats_history.csv`` does."""
    fixtures = Path(__file__).parent / "parsers" / "fixtures" / "locust"
    reports = tmp_path / "reports"
    reports.mkdir()
    for name in ("locust-2.47_stats.csv", "locust-2.47_stats_history.csv"):
        (reports / name).write_bytes((fixtures / name).read_bytes())
    matrix = textwrap.dedent("""\
        version: 1
        phases: [{id: one, name: One}]
        artifacts:
          load: {format: locust, paths: "reports/*.csv", max_age: 1d}
        swimlanes:
          - id: shop
            name: Shop
            cells:
              one:
                goal: Holds under load
                benchmarks:
                  - {id: requests, metric: {from: load, name: Aggregated}, threshold: "count > 0"}
        """)
    (tmp_path / "gatekeeper.yml").write_text(matrix, encoding="utf-8")
    assert check(tmp_path, "--as-of", "2026-11-26T12:00:00Z") == ExitCode.PASSED
    bench = json.loads(capsys.readouterr().out)["cells"][0]["benchmarks"][0]
    assert bench["age"]["measured_at"] == "2026-11-26T06:34:41Z"
    (reports / "locust-2.47_stats_history.csv").unlink()
    assert check(tmp_path, "--as-of", "2026-11-26T12:00:00Z") == ExitCode.FAILED
    bench = json.loads(capsys.readouterr().out)["cells"][0]["benchmarks"][0]
    assert bench["summary"].startswith("no recorded time: locust files do not say when")


def test_a_phase_tag_gate_is_never_passed_on_stale_evidence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project(tmp_path)
    stale = ("--phase-from-tag", "phase/one", "--as-of", "2026-11-11T12:00:00Z")
    assert check(root, *stale) == ExitCode.FAILED
    assert "phase/one" in capsys.readouterr().err
    assert check(root, "--phase-from-tag", "phase/one", "--as-of", "2026-10-20") == 0


def test_a_waiver_covers_stale_evidence_and_it_is_not_due() -> None:
    matrix = _matrix()
    waiver = Waiver("core/one/drill", "drill moved to next week", "jmoody", dt.date(2026, 11, 30))
    matrix = dataclasses.replace(matrix, waivers=(waiver,))
    measured = parse_iso_time(MEASURED)
    later = measured + dt.timedelta(days=41)
    report = evaluate(matrix, _evidence(measured), later, pull_request_policy(matrix, "two", "t"))
    drill = report.benchmarks[0]
    assert drill.outcome is Outcome.WAIVED and drill.underlying is Outcome.MISSING
    assert report.passed and report.due == () and report.stands_at == "two"
