"""Annotations: where they go (file, 1-based line), what they say (inert, within limits)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from gatekeeper.evidence import TestResult, TestStatus
from gatekeeper.github import annotate
from gatekeeper.github.annotate import Location
from gatekeeper.github.sources import SourceLocator, source_line
from gatekeeper.model import Matrix
from tests.github.gh_build import big, scenario

HOSTILE = "\n::error file=app.py,line=1::pwned\r\n##[warning]x \x1b[31m @admin \u202etxt"


def _test(file: str | None, line: int | None, name: str = "test_x", **more: object) -> TestResult:
    return TestResult("pytest", "tests.test_x", name, file, line, TestStatus.FAILED, **more)  # type: ignore[arg-type]


def test_an_annotation_is_inert_and_within_github_s_limits() -> None:
    note = annotate.annotation("a.py", 0, "failure", HOSTILE * 40, [HOSTILE * 400, "second"])
    assert note["start_line"] == note["end_line"] == 1  # GitHub refuses line 0
    assert len(note["title"]) == annotate.TITLE_LIMIT and note["title"].endswith("…")
    assert len(note["message"]) <= annotate.MESSAGE_LIMIT
    for text in (note["title"], note["message"]):
        assert "\r" not in text and "\x1b" not in text and "\u202e" not in text
        assert "##[" not in text
        assert all(not line.startswith("::") for line in text.split("\n"))
    assert list(note) == ["path", "start_line", "end_line", "annotation_level", "title", "message"]


def test_message_lines_stay_apart_but_each_is_one_line() -> None:
    note = annotate.annotation("a.py", 3, "warning", "t", ["first\nsecond", "", "third"])
    assert note["message"] == "first second\nthird"
    assert annotate.annotation("a.py", 3, "warning", "t", [])["message"] == "failed"


def test_failing_tests_and_benchmarks_of_the_enforced_gate_are_failures() -> None:
    s = scenario("failing")
    notes = annotate.build(
        s.report, matrix_path="gatekeeper.yml", locate=lambda t: Location(t.file or "", 10)
    )
    found = [(n["path"], n["start_line"], n["annotation_level"], n["title"]) for n in notes.items]
    assert found == [
        ("gatekeeper.yml", 42, "failure", "auth/bronze/dmarc-ingest — fail"),
        ("tests/test_dmarc.py", 10, "failure", "tests.test_dmarc::test_dmarc_aggregate"),
        ("tests/test_autoscale.py", 10, "failure", "tests.test_autoscale::test_scale_in"),
        ("tests/test_autoscale.py", 10, "failure", "tests.test_autoscale::test_scale_errors"),
    ]  # fmt: skip
    flaky = notes.items[2]["message"]
    assert flaky.startswith("flaky: passed after 1 failed attempt(s)")
    assert notes.left_out == 0


def test_later_phases_are_warnings_and_unlocated_tests_are_left_out() -> None:
    s = big(2, 1)
    s = dataclasses.replace(s, matrix=_with_lines(s.matrix))
    notes = annotate.build(s.report, matrix_path="m.yml", locate=lambda t: None)
    assert [(n["start_line"], n["annotation_level"], n["title"]) for n in notes.items] == [
        (10, "failure", "lane-0000/one/tests — fail"),
        (11, "failure", "lane-0001/one/tests — fail"),
        (100, "warning", "lane-0000/two/later — missing"),
        (101, "warning", "lane-0001/two/later — missing"),
    ]


def _with_lines(matrix: Matrix) -> Matrix:
    """Give the later cells' benchmarks a line, as the matrix loader does."""
    cells = []
    for n, cell in enumerate(c for c in matrix.cells if c.phase == "two"):
        bench = dataclasses.replace(cell.benchmarks[0], line=100 + n)
        cells.append(dataclasses.replace(cell, benchmarks=(bench,)))
    return dataclasses.replace(
        matrix, cells=tuple(c for c in matrix.cells if c.phase == "one") + tuple(cells)
    )


def test_batches_of_50() -> None:
    items = tuple({"n": n} for n in range(120))
    assert [len(b) for b in annotate.batches(items, 50)] == [50, 50, 20]
    assert annotate.batches((), 50) == [()]


SOURCE = '''"""tests"""
import pytest


def test_plain():
    assert True


@pytest.mark.parametrize("x", [1, 2])
@pytest.mark.slow
def test_decorated(x):
    assert x


class TestA:
    def test_same(self):
        pass


class TestB:
    def test_same(self):
        pass
'''


@pytest.mark.parametrize(
    ("reported", "name", "line"),
    [
        (4, "test_plain", 5),  # pytest: 0-based
        (5, "test_plain", 5),  # 1-based, as most runners write
        (8, "test_decorated[1]", 11),  # pytest points at the first decorator
        (15, "test_same", 16),  # TestA's, not TestB's
        (20, "test_same", 21),  # TestB's
        (0, "test_unknown", 1),  # never line 0
        (7, "test_unknown", 7),  # not found: taken as written
        (None, "test_plain", 1),
    ],
)
def test_the_line_is_the_test_s_def(reported: int | None, name: str, line: int) -> None:
    assert source_line(SOURCE.splitlines(), reported, name) == line


def test_files_are_found_in_the_workspace_or_taken_as_written(tmp_path: Path) -> None:
    workspace = tmp_path / "repo"
    (workspace / "examples" / "suite" / "tests").mkdir(parents=True)
    (workspace / "examples" / "suite" / "tests" / "test_x.py").write_text(SOURCE, encoding="utf-8")
    (workspace / "examples" / "reports").mkdir()
    locate = SourceLocator(workspace, [workspace / "examples"])
    # written relative to pytest's rootdir (examples/suite): found by its unique path ending
    assert locate(_test("tests/test_x.py", 4, "test_plain")) == Location(
        "examples/suite/tests/test_x.py", 5
    )
    absolute = str(workspace / "examples" / "suite" / "tests" / "test_x.py")
    assert locate(_test(absolute, 8, "test_decorated")) == Location(
        "examples/suite/tests/test_x.py", 11
    )
    # a file this checkout does not have: as written, when it can be a repository path
    assert locate(_test("src/other.py", 0)) == Location("src/other.py", 1)
    assert locate(_test("/elsewhere/abs.py", 3)) is None
    assert locate(_test("../outside.py", 3)) is None
    assert locate(_test(None, 3)) is None


def test_a_path_ending_found_twice_is_ambiguous(tmp_path: Path) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder / "tests").mkdir(parents=True)
        (tmp_path / folder / "tests" / "test_x.py").write_text(SOURCE, encoding="utf-8")
    locate = SourceLocator(tmp_path, [tmp_path])
    assert locate(_test("tests/test_x.py", 4, "test_plain")) == Location("tests/test_x.py", 4)


@pytest.mark.parametrize(
    "file",
    [
        "x" * 300 + ".py",  # ENAMETOOLONG
        "tests/" + "y" * 300 + "/test_x.py",
        "/" + "z/" * 3000 + "test_x.py",  # longer than PATH_MAX
        "tests/\0test_x.py",  # a NUL byte: ValueError
        ".",
    ],
)
def test_a_file_name_the_disk_refuses_is_not_found_and_locating_goes_on(
    tmp_path: Path, file: str
) -> None:
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_x.py").write_text(SOURCE, encoding="utf-8")
    (tmp_path / "loop").symlink_to("loop")
    locate = SourceLocator(tmp_path, [tmp_path])
    where = locate(_test(file, 4, "test_plain"))
    assert where is None or where.path == file  # taken as written, when it can be a path
    assert locate(_test("loop/test_x.py", 4, "test_plain")) == Location("loop/test_x.py", 4)
    assert locate(_test("tests/test_x.py", 4, "test_plain")) == Location("tests/test_x.py", 5)
