"""Selectors select what `inspect` and the reports show: a name written as the tool wrote it
selects it, brackets included; only ``*`` and ``?`` are wildcards; a selection that matches
nothing suggests names close to it, never the very string written."""

from __future__ import annotations

import json
import random
import re
import shutil
from fnmatch import fnmatchcase
from pathlib import Path

import pytest

from gatekeeper.cli import main
from gatekeeper.engine import tests as engine_tests
from gatekeeper.errors import ExitCode
from gatekeeper.evidence import SeriesRequest
from gatekeeper.parsers import parse_file
from gatekeeper.selector import did_you_mean, is_glob, name_matches

FIXTURES = Path(__file__).resolve().parent / "parsers" / "fixtures"
PARAMETRIZED = FIXTURES / "real" / "pytest-parametrized.xml"
"""pytest's own report of parametrised tests (tests/parsers/make_fixtures.py)."""
LOCUST = FIXTURES / "locust" / "locust-2.47_stats.csv"


@pytest.mark.parametrize(
    ("selector", "name", "expected"),
    [
        ("test_add[1-2]", "test_add[1-2]", True),
        ("test_add[12]", "test_add1", False),  # no character class any more
        ("test_[ab]", "test_a", False),
        ("/kv/[key]", "/kv/[key]", True),
        ("/kv/*", "/kv/[key]", True),
        ("/kv/*", "/kv/a/b", True),  # "*" crosses "/": a name is not a path
        ("test_add[?-2]", "test_add[1-2]", True),
        ("test_add[*]", "test_add[1-2]", True),
        ("test_add[*]", "test_add", False),
        ("a?c", "abc", True),
        ("a?c", "ac", False),
        ("ab*ab", "aba", False),
        ("ab*ab", "abab", True),
        ("*", "", True),
        ("", "", True),
        ("", "x", False),
        ("Test*", "test_x", False),  # case counts
        ("a\\b", "a\\b", True),  # a backslash is a character, not an escape
    ],
)
def test_name_selectors(selector: str, name: str, expected: bool) -> None:
    assert name_matches(name, selector) is expected


def test_without_brackets_selectors_match_as_fnmatch_did() -> None:
    rng = random.Random(9)
    for _ in range(20_000):
        selector = "".join(rng.choice("ab*?/") for _ in range(rng.randint(0, 7)))
        name = "".join(rng.choice("ab/") for _ in range(rng.randint(0, 9)))
        assert name_matches(name, selector) is fnmatchcase(name, selector), (selector, name)


def test_a_hostile_selector_matches_in_linear_time() -> None:
    # a backtracking matcher needs about n**8 steps here
    assert not name_matches("a" * 200_000, "*a*a*a*a*a*a*a*a*b")
    assert name_matches("a" * 200_000 + "b", "*a*a*a*a*a*a*a*a*b")
    assert not name_matches("ab" * 100_000, "*a?a?a?a?a?a?a?c*")


def test_only_star_and_question_mark_make_a_glob() -> None:
    assert [is_glob(s) for s in ("a*", "a?", "a[1]", "/kv/[key]")] == [True, True, False, False]


def test_a_suggestion_is_never_what_was_written() -> None:
    assert did_you_mean(["test_a[1]"], ["test_a[1]", "test_a[2]", "zzz"]) == ["test_a[2]"]
    assert did_you_mean(["x", "y"], ["x", "y"]) == []


MATRIX = """\
version: 1
current: one
phases: [{{id: one, name: One}}]
artifacts:
  evidence: {{format: {format}, paths: "reports/*"}}
swimlanes:
  - id: core
    name: Core
    cells:
      one:
        goal: selected
        benchmarks:
          - {benchmark}
"""


def _check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str, benchmark: str
) -> tuple[int, dict[str, object]]:
    matrix = tmp_path / "gatekeeper.yml"
    matrix.write_text(MATRIX.format(format=fmt, benchmark=benchmark), encoding="utf-8")
    capsys.readouterr()
    argv = ["check", "-m", str(matrix), "--dry-run", "--format", "json", "--today", "2026-01-01"]
    code = main(argv)
    report = json.loads(capsys.readouterr().out)
    return code, report["cells"][0]["benchmarks"][0]


def _reports(tmp_path: Path, source: Path, name: str | None = None) -> Path:
    (tmp_path / "reports").mkdir(exist_ok=True)
    return Path(shutil.copyfile(source, tmp_path / "reports" / (name or source.name)))


def _inspected(path: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    """Every name `gatekeeper inspect` lists: metric selectors are JSON strings (as YAML reads
    them), test groups are printed as they are, then their counts."""
    capsys.readouterr()
    assert main(["inspect", str(path)]) == 0
    shown = capsys.readouterr().out
    metrics = [json.loads(q) for q in re.findall(r'^    ("(?:[^"\\]|\\.)*")', shown, re.M)]
    groups = re.findall(r"^    (\S.*?) +\d+ (?:passed|failed|skipped|error)", shown, re.M)
    return metrics or groups


def test_every_parametrised_pytest_name_selects_its_one_test(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _reports(tmp_path, PARAMETRIZED)
    tests = parse_file(PARAMETRIZED, PARAMETRIZED.name, "junit").tests
    assert {"test_add[1-2]", "test_literal[/kv/[key]]", "test_cell[[0][1]]"} <= {
        t.name for t in tests
    }
    for test in tests:
        selector = json.dumps({"from": "evidence", "class": test.classname, "name": test.name})
        code, result = _check(tmp_path, capsys, "junit", f"{{id: one, tests: {selector}}}")
        failing = test.name == "test_add[2-2]"
        # a "*" in a name is still a wildcard: test_cell[*] also selects test_cell[[0][1]]
        count = 2 if test.name == "test_cell[*]" else 1
        expected = f"0/{count} tests passed:" if failing else f"{count}/{count} tests passed"
        assert str(result["summary"]).startswith(expected), engine_tests.test_id(test)
        assert code == (ExitCode.FAILED if failing else ExitCode.PASSED)


def test_a_star_in_brackets_still_widens_and_a_character_class_no_longer_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _reports(tmp_path, PARAMETRIZED)
    code, result = _check(
        tmp_path, capsys, "junit", '{id: one, tests: {from: evidence, name: "test_add[*]"}}'
    )
    assert (code, result["summary"]) == (
        ExitCode.FAILED,
        "1/2 tests passed: pass rate 50% < required 100%",
    )
    code, result = _check(
        tmp_path, capsys, "junit", '{id: one, tests: {from: evidence, name: "test_add[12]"}}'
    )
    assert code == ExitCode.FAILED
    assert result["summary"] == (
        "0/0 tests passed: the selection matched no test in reports/pytest-parametrized.xml "
        '(did you mean name: "test_add[1-2]" or "test_add[2-2]"?)'
    )


def test_inspect_s_suites_classes_and_tests_select_what_it_counts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    junit = PARAMETRIZED.read_text(encoding="utf-8")
    junit = junit.replace('classname="test_param.TestGrid"', 'classname="Grid[*]?"')
    path = tmp_path / "reports" / "odd.xml"
    path.parent.mkdir()
    path.write_text(junit.replace('name="param"', 'name="suite [x]"'), encoding="utf-8")
    suites = {"suite [x]": "7/8 tests passed"}
    classes = {"test_param": "5/6 tests passed", "Grid[*]?": "2/2 tests passed"}
    names = [t.name for t in parse_file(path, path.name, "junit").tests]
    tests = dict.fromkeys(names, "1/1 tests passed")
    tests["test_add[2-2]"] = "0/1 tests passed"
    tests["test_cell[*]"] = "2/2 tests passed"  # itself, and by its * also test_cell[[0][1]]
    shown = _inspected(path, capsys)
    assert shown == ["suite [x]", "test_param", "Grid[*]?", *names]
    for key, expected in (("suite", suites), ("class", classes), ("name", tests)):
        for selector, summary in expected.items():
            benchmark = f"{{id: one, tests: {{from: evidence, {key}: {json.dumps(selector)}}}}}"
            _, result = _check(tmp_path, capsys, "junit", benchmark)
            assert str(result["summary"]).startswith(summary), selector


def test_a_locust_grouped_name_selects_itself(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _reports(tmp_path, LOCUST, "run_stats.csv")
    path.write_text(path.read_text(encoding="utf-8").replace("/items", "/kv/[key]"), "utf-8")
    shown = _inspected(path, capsys)
    assert "/kv/[key]{method:POST}" in shown
    for selector in shown:
        benchmark = (
            f"{{id: one, metric: {{from: evidence, name: {json.dumps(selector)}, "
            'expect_failures: true}, threshold: "count > 0"}'  # its /fail row failed, by design
        )
        code, result = _check(tmp_path, capsys, "locust", benchmark)
        assert code == ExitCode.PASSED, (selector, result)


def test_a_name_with_braces_as_inspect_prints_it_selects_itself(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``GET /users/{id}``: braces that hold no tag:value pairs are part of the name (they
    were refused as a bad tag filter), and a tag filter after them still reads as one."""
    path = _reports(tmp_path, LOCUST, "run_stats.csv")
    path.write_text(path.read_text(encoding="utf-8").replace("/items", "/users/{id}"), "utf-8")
    shown = _inspected(path, capsys)
    assert "/users/{id}{method:POST}" in shown
    for selector in ("/users/{id}", "/users/{id}{method:POST}"):
        benchmark = (
            f"{{id: one, metric: {{from: evidence, name: {json.dumps(selector)}}}, "
            'threshold: "count > 0"}'
        )
        code, result = _check(tmp_path, capsys, "locust", benchmark)
        assert code == ExitCode.PASSED, (selector, result)
        assert result["summary"] == "/users/{id}{method:POST} count = 40 (meets 'count > 0')"


def test_a_missing_metric_suggests_other_names_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _reports(tmp_path, LOCUST, "run_stats.csv")
    path.write_text(path.read_text(encoding="utf-8").replace("/items", "/kv/[key]"), "utf-8")
    benchmark = '{id: one, metric: {from: evidence, name: "/kv/[kez]"}, threshold: "count > 0"}'
    code, result = _check(tmp_path, capsys, "locust", benchmark)
    assert code == ExitCode.FAILED
    assert result["summary"] == (
        "no metric '/kv/[kez]' in reports/run_stats.csv (did you mean /kv/[key]?)"
    )


K6_STREAM = "".join(
    json.dumps(line, separators=(",", ":")) + "\n"
    for line in [
        {"type": "Metric", "data": {"name": "step[1]", "type": "trend", "contains": "time"},
         "metric": "step[1]"},
        {"type": "Metric", "data": {"name": "step1", "type": "trend", "contains": "time"},
         "metric": "step1"},
        *({"metric": name, "type": "Point",
           "data": {"time": f"2025-03-01T10:00:0{i}Z", "value": value, "tags": {}}}
          for i, (name, value) in enumerate([("step[1]", 10), ("step1", 900), ("step[1]", 20)])),
    ]
)  # fmt: skip


@pytest.mark.parametrize(
    ("selector", "names"),
    [("step[1]", ["step[1]"]), ("step[*]", ["step[1]"]), ("step?1?", ["step[1]"])],
)
def test_the_k6_stream_prefilter_reads_brackets_literally(
    tmp_path: Path, selector: str, names: list[str]
) -> None:
    path = tmp_path / "run.ndjson"
    path.write_text(K6_STREAM, encoding="utf-8")
    parsed = parse_file(path, "run.ndjson", "k6-ndjson", [SeriesRequest(selector, ())])
    assert [m.name for m in parsed.metrics] == names
    assert sorted(parsed.metrics[0].samples) == [0.01, 0.02]


def test_jmeter_keeps_samples_for_a_bracketed_label(tmp_path: Path) -> None:
    path = tmp_path / "run.jtl"
    rows = ["timeStamp,elapsed,label,success"]
    rows += [f"17000000000{i:02d},{10 + i},GET /kv/[key],true" for i in range(5)]
    rows += [f"17000000001{i:02d},{50 + i},GET /kv/k,true" for i in range(5)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    parsed = parse_file(path, "run.jtl", "jmeter", [SeriesRequest("GET /kv/[key]", ())])
    kept = {m.name: len(m.samples) for m in parsed.metrics}
    assert kept == {"GET /kv/[key]": 5, "GET /kv/k": 0, "TOTAL": 0}
