"""The matrix file: every case under matrix_cases/ is collected automatically.

valid/*.yml must validate; invalid/*.yml must fail with exactly the problems in
the .expected file beside it (file:line:column: key: message, one per line).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from gatekeeper.matrix.load import read_matrix
from gatekeeper.matrix.problems import MatrixError
from gatekeeper.model import FlakyPolicy, MetricCriterion, TestCriterion
from tests.conftest import compare_or_regenerate

CASES = Path(__file__).parent / "matrix_cases"
VALID = sorted((CASES / "valid").glob("*.yml"))
INVALID = sorted((CASES / "invalid").glob("*.yml"))


def _display(path: Path) -> str:
    return path.relative_to(CASES).as_posix()


@pytest.mark.parametrize("path", VALID, ids=[p.stem for p in VALID])
def test_valid_matrix_files_load(path: Path) -> None:
    matrix = read_matrix(path, _display(path))
    assert matrix.phases and matrix.cells


@pytest.mark.parametrize("path", INVALID, ids=[p.stem for p in INVALID])
def test_invalid_matrix_files_report_every_problem(path: Path) -> None:
    with pytest.raises(MatrixError) as caught:
        read_matrix(path, _display(path))
    rendered = "\n".join(str(p) for p in caught.value.problems) + "\n"
    for problem in caught.value.problems:
        assert problem.position.file == _display(path)
        assert problem.position.line is not None, problem  # every problem says where
    compare_or_regenerate(path.with_suffix(".expected"), rendered)


def test_full_matrix_is_typed_as_written() -> None:
    matrix = read_matrix(CASES / "valid" / "full.yml")
    assert [p.id for p in matrix.phases] == ["one", "two", "on"]
    assert matrix.current == "two"
    tests = matrix.cells[0].benchmarks[0].criterion
    assert isinstance(tests, TestCriterion)
    assert tests.classname == ("a.*", "b.*")
    assert tests.pass_rate == pytest.approx(0.95)
    assert (tests.min_count, tests.max_skipped, tests.flaky) == (3, 0, FlakyPolicy.FAIL)
    p95 = matrix.cells[1].benchmarks[0]
    assert p95.ref == "core/two/p95"
    assert isinstance(p95.criterion, MetricCriterion)
    assert p95.criterion.name == "http_req_duration"
    assert dict(p95.criterion.tags) == {"scenario": "api", "status": "200"}
    assert [t.statistic for t in p95.criterion.thresholds] == ["p(95)", "avg", "max"]
    assert p95.line == 27  # the line of its `- id: p95`, for annotations
    numeric_rate = matrix.cells[1].benchmarks[2].criterion
    assert isinstance(numeric_rate, TestCriterion)
    assert numeric_rate.pass_rate == pytest.approx(0.995)
    assert matrix.cells[1].depends_on == ("core/one", "edge/two")
    assert matrix.waivers[0].expires == dt.date(2026, 12, 15)
    assert matrix.artifacts["load"].paths == ("reports/k6.json",)


def test_unreadable_matrix_file_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    with pytest.raises(MatrixError) as caught:
        read_matrix(tmp_path / "absent.yml", "absent.yml")
    assert "absent.yml: (top level): cannot read" in str(caught.value)


def test_schema_format_names_are_the_registered_parsers() -> None:
    import json

    from gatekeeper.parsers import FORMAT_NAMES

    schema = json.loads((CASES.parents[1] / "schemas" / "matrix.schema.json").read_text())
    artifact = schema["properties"]["artifacts"]["additionalProperties"]
    assert artifact["properties"]["format"]["enum"] == list(FORMAT_NAMES)


def test_phase_tag_pattern() -> None:
    full = read_matrix(CASES / "valid" / "full.yml")
    assert full.phase_tag("two") == "release/two-done"
    minimal = read_matrix(CASES / "valid" / "minimal.yml")
    assert minimal.phase_tag("one") == "phase/one"
