"""The potholes a new user hit in their first hour (issue 13), each held closed.

Every test runs the command line as a user would, on files written here, and asserts the
message a person reads: where the mistake is, and what was probably meant.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from gatekeeper.cli import main
from gatekeeper.errors import ExitCode

LOCUST_STATS = (
    "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,"
    "Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,"
    "50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%\n"
    "GET,/,10,0,31,33.5,20,80,120,2.0,0.0,31,33,35,36,40,44,60,80,80,80,80\n"
    ",Aggregated,10,0,31,33.5,20,80,120,2.0,0.0,31,33,35,36,40,44,60,80,80,80,80\n"
)


def write_project(tmp_path: Path, thresholds: list[str], fmt: str = "locust") -> Path:
    benchmarks = "\n".join(
        f"          - {{id: b{i}, metric: {{from: load, name: Aggregated}}, threshold: {t!r}}}"
        for i, t in enumerate(thresholds)
    )
    matrix = textwrap.dedent(
        f"""\
        version: 1
        phases: [{{id: one, name: One}}]
        artifacts:
          load: {{format: {fmt}, paths: "run_stats.csv"}}
        swimlanes:
          - id: web
            name: W
            cells:
              one:
                goal: fast
                benchmarks:
        """
    )
    (tmp_path / "gatekeeper.yml").write_text(matrix + benchmarks + "\n", encoding="utf-8")
    (tmp_path / "run_stats.csv").write_text(LOCUST_STATS, encoding="utf-8")
    return tmp_path / "gatekeeper.yml"


def test_p95_without_brackets_is_refused_at_validate_with_did_you_mean(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    matrix = write_project(tmp_path, ["p95 < 250ms", "p(95) < 250ms"])
    assert main(["validate", str(matrix)]) == ExitCode.USAGE
    err = capsys.readouterr().err
    assert ":12:" in err  # the first benchmark's line, not the second's
    assert "'p95 < 250ms': locust reports no statistic 'p95' (did you mean p(95)?)" in err
    assert f"{matrix}: 1 problem\n" in err  # one, and never 'problem(s)'


def test_a_statistic_the_format_never_reports_lists_what_it_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    matrix = write_project(tmp_path, ["rate < 250ms", "avrg < 1s"])
    assert main(["validate", str(matrix)]) == ExitCode.USAGE
    err = capsys.readouterr().err
    assert "locust reports no statistic 'rate' (it has: avg, avg_content_size," in err
    assert "locust reports no statistic 'avrg' (did you mean avg?)" in err
    assert "2 problems" in err


def test_a_rate_in_milliseconds_is_refused_whatever_the_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    thresholds = ["rate < 250ms", "rate < 1MB", "rate < 1%", "rate < 5/s", "rate < 1MB/s"]
    matrix = write_project(tmp_path, thresholds, fmt="auto")
    assert main(["validate", str(matrix)]) == ExitCode.USAGE
    err = capsys.readouterr().err
    assert "'rate < 250ms': unit 'ms' measures time, which rate measures in no format" in err
    assert "'rate < 1MB': unit 'MB' measures size, which rate measures in no format" in err
    assert "2 problems" in err  # a ratio, a throughput, a data rate: each is some tool's rate


def test_what_validate_cannot_know_is_said_at_check_with_the_file_and_did_you_mean(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    matrix = write_project(tmp_path, ["p95 < 250ms"], fmt="auto")  # auto: not known before
    assert main(["validate", str(matrix)]) == ExitCode.PASSED
    capsys.readouterr()
    assert main(["check", "--matrix", str(matrix)]) == ExitCode.FAILED
    out = capsys.readouterr().out
    assert "Aggregated in run_stats.csv does not report p95 (did you mean p(95)? it has:" in out


def test_an_empty_file_says_it_is_empty(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for fmt in ("locust", "auto"):
        matrix = write_project(tmp_path, ["p(95) < 250ms"], fmt=fmt)
        (tmp_path / "run_stats.csv").write_bytes(b"")
        # the only evidence is unreadable: no evidence, never a pass
        assert main(["check", "--matrix", str(matrix)]) == ExitCode.NO_EVIDENCE
        out = capsys.readouterr().out
        assert "run_stats.csv: the file is empty (0 bytes)" in out, fmt
        assert "cannot tell the format" not in out


def test_no_gate_passed_reads_no_phase_yet_and_the_table_keeps_its_columns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    matrix = write_project(tmp_path, ["p(95) < 1ms"])  # the swimlane's name, W, is one letter
    assert main(["check", "--matrix", str(matrix)]) == ExitCode.FAILED
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "One gate FAILED — no phase yet"
    gate = next(line for line in lines if line.lstrip().startswith("gate"))
    lane = next(line for line in lines if line.lstrip().startswith("W "))
    assert gate.split() == ["gate", "FAILED"]  # never 'gateFAILED'
    assert gate.index("FAILED") == lane.index("FAILED")


@pytest.mark.parametrize(
    ("argv", "usage", "meant"),
    [
        (["check", "--dryrun"], "usage: gatekeeper check", "did you mean --dry-run?"),
        (["promote", "--dryrun"], "usage: gatekeeper promote", "did you mean --dry-run?"),
        (["check", "--fromat=json"], "usage: gatekeeper check", "did you mean --format?"),
        (["inspect", "x.xml", "--formt", "junit"], "usage: gatekeeper inspect", "--format?"),
    ],
)
def test_an_unknown_flag_gets_the_commands_usage_and_a_suggestion(
    capsys: pytest.CaptureFixture[str], argv: list[str], usage: str, meant: str
) -> None:
    assert main(argv) == ExitCode.USAGE
    err = capsys.readouterr().err
    assert err.startswith(usage)
    assert meant in err
    assert "usage: gatekeeper [-h]" not in err


def test_an_unknown_word_is_not_given_a_made_up_suggestion(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["check", "stray"]) == ExitCode.USAGE
    err = capsys.readouterr().err
    assert "unrecognized arguments: stray" in err
    assert "did you mean" not in err


MERGED = """\
version: 1
phases: [{id: one, name: One}]
artifacts:
  junit: {format: junit, paths: "r.xml"}
x-defaults: &defaults
  id: base
  tests: {from: junit, min: 2}
swimlanes:
  - id: core
    name: Core
    cells:
      one:
        goal: g
        benchmarks:
          - <<: *defaults
            id: first
          - <<: *defaults
            id: second
            tests: {from: junit, min: 1}
"""


def test_yaml_merge_keys_are_standard_yaml_and_the_written_key_wins(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from gatekeeper.matrix.load import read_matrix

    path = tmp_path / "gatekeeper.yml"
    path.write_text(MERGED, encoding="utf-8")
    assert main(["validate", str(path)]) == ExitCode.PASSED
    assert "ok (1 phase, 1 cell, 2 benchmarks)" in capsys.readouterr().out
    matrix = read_matrix(path, "gatekeeper.yml")
    first, second = matrix.cells[0].benchmarks
    assert (first.id, second.id) == ("first", "second")
    assert (first.criterion.min_count, second.criterion.min_count) == (2, 1)  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "benchmarks",
    [
        # a mapping that merges and overrides, used again through its alias
        "          - &first\n            <<: *defaults\n            id: first\n"
        "          - *first\n",
        # a mapping flattened as a merge before it is reached through an alias
        "          - <<: &inner\n              <<: *defaults\n              id: first\n"
        "            tests: {from: junit, min: 1}\n"
        "          - *inner\n",
    ],
)
def test_a_merged_mapping_reached_again_through_an_alias_has_no_false_duplicate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], benchmarks: str
) -> None:
    """Resolving a merge rewrites the mapping in place: reached a second time, the keys merged
    into it must not count as written ones (a valid file refused with 'duplicate key')."""
    path = tmp_path / "gatekeeper.yml"
    head = MERGED[: MERGED.index("          - <<: *defaults")]
    path.write_text(head + benchmarks, encoding="utf-8")
    main(["validate", str(path)])
    err = capsys.readouterr().err
    assert "duplicate key" not in err
    assert "benchmarks[1].id: duplicate benchmark id 'first'" in err  # the alias repeats it


def test_two_written_keys_of_one_name_are_still_a_duplicate_and_bad_merges_are_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "gatekeeper.yml"
    twice = MERGED.replace(
        "            id: first\n", "            id: first\n            id: again\n"
    )
    path.write_text(twice, encoding="utf-8")
    assert main(["validate", str(path)]) == ExitCode.USAGE
    err = capsys.readouterr().err
    assert ":17:13: swimlanes[0].cells.one.benchmarks[0].id: duplicate key 'id' (first at " \
        "line 16)" in err  # fmt: skip
    defaults = "x-defaults: &defaults\n  id: base\n  tests: {from: junit, min: 2}"
    path.write_text(MERGED.replace(defaults, "x-defaults: &defaults 5"), encoding="utf-8")
    assert main(["validate", str(path)]) == ExitCode.USAGE
    err = capsys.readouterr().err
    assert "invalid merge key (<<): expected a mapping or list of mappings" in err
    assert "internal error" not in err


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("version: 1\nphases:\n\t- {id: one, name: One}\n", 3),
        ("version: 1\nphases:\n  - id: one\n\tname: One\n", 4),
    ],
)
def test_a_tab_indented_matrix_says_tab_and_guesses_no_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, line: int
) -> None:
    path = tmp_path / "gatekeeper.yml"
    path.write_text(text, encoding="utf-8")
    assert main(["validate", str(path)]) == ExitCode.USAGE
    err = capsys.readouterr().err
    assert f"{path}:{line}:1: a tab in the indentation: YAML indents with spaces only\n" in err
    assert "(top level)" not in err


@pytest.mark.parametrize(
    "tabbed",
    [
        'project: "Demo\n\tshop"\n',  # a tab in a quoted string's next line
        "x-note: |\n  Demo\n  \tshop\n",  # a tab in a block scalar's content
        "x-list: [1,\n\t2]\n",  # a tab inside brackets
    ],
)
def test_a_tab_that_is_no_indentation_is_not_named_for_the_next_lines_mistake(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], tabbed: str
) -> None:
    """The tab is valid where it is; the stray `- phases` on the next line is the error."""
    path = tmp_path / "gatekeeper.yml"
    path.write_text("version: 1\n" + tabbed + "- phases\n", encoding="utf-8")
    assert main(["validate", str(path)]) == ExitCode.USAGE
    err = capsys.readouterr().err
    assert "a tab in the indentation" not in err
    line = 2 + tabbed.count("\n")
    assert f":{line}:1: invalid YAML: did not find expected key" in err


LOCUST_RUN = Path(__file__).parent / "parsers" / "fixtures" / "locust"
LOCUST_MATRIX = """\
version: 1
phases: [{id: one, name: One}]
artifacts:
  load: {format: FORMAT, paths: "load/*.csv"}
swimlanes:
  - id: web
    name: Web
    cells:
      one:
        goal: fast
        benchmarks:
          - {id: p95, metric: {from: load, name: Aggregated}, threshold: "p(95) < 1h"}
          - {id: fails, metric: {from: load, name: Aggregated}, threshold: "fails < 1000000"}
"""


@pytest.mark.parametrize("fmt", ["locust", "auto"])
def test_a_glob_over_all_of_a_locust_runs_files_judges_the_run_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    import json

    (tmp_path / "load").mkdir()
    for suffix in ("stats", "stats_history", "failures", "exceptions"):
        name = f"locust-2.47_{suffix}.csv"
        (tmp_path / "load" / name).write_bytes((LOCUST_RUN / name).read_bytes())
    matrix = tmp_path / "gatekeeper.yml"
    matrix.write_text(LOCUST_MATRIX.replace("FORMAT", fmt), encoding="utf-8")
    assert main(["check", "--matrix", str(matrix), "--format", "json"]) == ExitCode.PASSED
    report = json.loads(capsys.readouterr().out)
    measured = [m for c in report["cells"] for b in c["benchmarks"] for m in b["measurements"]]
    assert len(measured) == 2  # one series a benchmark: the run, not each of its files
    assert {m["source"] for m in measured} == {"load/locust-2.47_stats.csv"}


@pytest.mark.parametrize(
    ("suffix", "lesser"),
    [
        ("failures", "Method,Name,Error,Occurrences\nGET,/,HTTPError(500),37\n"),
        (
            "stats_history",
            "Timestamp,User Count,Type,Name,Total Request Count,Total Failure Count\n"
            "1764000000,5,GET,/,50,12\n1764000001,5,,Aggregated,50,12\n",
        ),
        ("failures", "Method,Name,Error,Occurrences\nPOST,/pay,HTTPError(500),1\n"),
    ],
)
def test_a_lesser_file_of_a_run_that_records_more_failures_is_not_passed_over(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], suffix: str, lesser: str
) -> None:
    """A run's _stats.csv says no request failed; a _failures.csv or _stats_history.csv of
    the same prefix records failures (a stale file beside a new run's, or the other way
    round): the files are not one run, so the lesser is not passed over and its failures
    are judged, never a pass."""
    (tmp_path / "load").mkdir()
    (tmp_path / "load" / "run_stats.csv").write_text(LOCUST_STATS, encoding="utf-8")
    (tmp_path / "load" / f"run_{suffix}.csv").write_text(lesser, encoding="utf-8")
    matrix = tmp_path / "gatekeeper.yml"
    matrix.write_text(
        LOCUST_MATRIX.replace("FORMAT", "locust").replace("fails < 1000000", "fails == 0")
        + "          - {id: get, metric: {from: load, name: '/{method:GET}'}, "
        "threshold: 'fails == 0'}\n",
        encoding="utf-8",
    )
    assert main(["check", "--matrix", str(matrix)]) != ExitCode.PASSED
    assert f"run_{suffix}.csv" in capsys.readouterr().out


def test_without_its_stats_file_a_locust_run_is_judged_on_its_history(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "load").mkdir()
    for suffix in ("stats_history", "failures"):
        name = f"locust-2.47_{suffix}.csv"
        (tmp_path / "load" / name).write_bytes((LOCUST_RUN / name).read_bytes())
    matrix = tmp_path / "gatekeeper.yml"
    matrix.write_text(LOCUST_MATRIX.replace("FORMAT", "locust"), encoding="utf-8")
    assert main(["check", "--matrix", str(matrix)]) == ExitCode.FAILED
    out = capsys.readouterr().out
    # the history holds no run percentiles: said with the file, never a pass
    assert "Aggregated in load/locust-2.47_stats_history.csv does not report p(95)" in out
    assert "failures.csv does not report" not in out


def test_inspect_says_what_a_locust_exceptions_file_is_and_where_to_point(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["inspect", str(LOCUST_RUN / "locust-2.47_exceptions.csv")]) == 0
    out = capsys.readouterr().out
    assert "0 series: Locust's PREFIX_exceptions.csv lists the exceptions" in out
    assert "point the artifact at PREFIX_stats.csv" in out
    assert "0 tests" not in out


def test_the_readme_locust_example_validates(tmp_path: Path) -> None:
    from tests.conftest import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    intro = readme.index("A Locust run judged by its percentiles")
    block = readme[readme.index("```yaml\n", intro) + 8 : readme.index("```\n", intro + 200)]
    matrix = tmp_path / "gatekeeper.yml"
    header = "version: 1\nphases: [{id: iron, name: Iron}]\n"
    matrix.write_text(header + block, encoding="utf-8")
    assert main(["validate", str(matrix)]) == ExitCode.PASSED


def test_a_matrix_under_dot_github_reads_paths_from_the_repository_root(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".github").mkdir()
    matrix = write_project(tmp_path, ["p(95) < 1h"])  # writes run_stats.csv at the root
    matrix = matrix.rename(tmp_path / ".github" / "gatekeeper.yml")
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == ExitCode.PASSED  # found as ./.github/gatekeeper.yml
    assert "evidence" not in capsys.readouterr().err
    elsewhere = tmp_path / "config"
    elsewhere.mkdir()
    (tmp_path / ".github" / "gatekeeper.yml").rename(elsewhere / "gatekeeper.yml")
    assert main(["check", "--matrix", "config/gatekeeper.yml"]) == ExitCode.NO_EVIDENCE
    # any other folder keeps its rule: paths are read from the matrix file's folder
    assert "no file matches run_stats.csv in config\n" in capsys.readouterr().out


def test_no_file_matches_names_the_folder_searched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    matrix = write_project(repo, ["p(95) < 1h"])
    (matrix.parent / "run_stats.csv").unlink()
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--matrix", "repo/gatekeeper.yml"]) == ExitCode.NO_EVIDENCE
    assert "no file matches run_stats.csv in repo\n" in capsys.readouterr().out
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    monkeypatch.chdir(outside)
    assert main(["check", "--matrix", str(matrix)]) == ExitCode.NO_EVIDENCE
    assert f"no file matches run_stats.csv in {matrix.parent}\n" in capsys.readouterr().out
