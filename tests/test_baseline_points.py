"""Baselines in percentage points (issue 14): ``line -0.5pt`` lets 80 % become 79.5 %, not
79.4 %; on coverage (``line``, ``branch``, ``function``) ``line -0.5%`` says the same, as the
issue and coverage services read it, while ``error_rate +10%`` stays relative.

Parsing and refusals; the arithmetic at the boundary, at 0 %, 100 % and NaN; the engine's
verdicts and the JSON report's fields (held to the schema); ``validate`` and ``check`` end to
end on summed LCOV folders; and coverage.py's own reports of two runs of a small package.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from gatekeeper.cli import main
from gatekeeper.engine import evaluate
from gatekeeper.errors import ExitCode
from gatekeeper.evidence import ArtifactEvidence, ArtifactState, Metric, ParsedFile
from gatekeeper.model import (
    Artifact,
    Baseline,
    Benchmark,
    Cell,
    Matrix,
    MetricCriterion,
    Phase,
    Swimlane,
)
from gatekeeper.reporters import REPORTERS, RenderOptions
from gatekeeper.resources import load_schema
from gatekeeper.results import Outcome
from gatekeeper.threshold import ChangeUnit, ThresholdSyntaxError, parse_change
from gatekeeper.units import Dimension, Quantity
from tests.parsers.test_coverage_real_tools import _coverage
from tests.test_coverage_sum import lcov

REPORT_SCHEMA = Draft202012Validator(load_schema("report.schema.json"))
TODAY = dt.date(2026, 12, 3)
REAL = Path(__file__).parent / "parsers" / "fixtures" / "real"

# --- parsing --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "statistic", "limit", "unit"),
    [
        ("line -0.5pt", "line", -0.005, ChangeUnit.POINTS),
        ("line -0.5pp", "line", -0.005, ChangeUnit.POINTS),
        ("branch - 2 pt", "branch", -0.02, ChangeUnit.POINTS),
        ("error_rate +0.25pt", "error_rate", 0.0025, ChangeUnit.POINTS),
        ("line -0.5%", "line", -0.005, ChangeUnit.POINTS),  # coverage: '%' is points
        ("branch +1%", "branch", 0.01, ChangeUnit.POINTS),
        ("function -2%", "function", -0.02, ChangeUnit.POINTS),
        ("error_rate +10%", "error_rate", 0.10, ChangeUnit.RELATIVE),  # elsewhere: relative
        ("mean +10%", "avg", 0.10, ChangeUnit.RELATIVE),
    ],
)
def test_points_and_per_cent_parse(
    text: str, statistic: str, limit: float, unit: ChangeUnit
) -> None:
    change = parse_change(text)
    assert (change.statistic, change.limit, change.unit) == (
        statistic, pytest.approx(limit), unit,
    )  # fmt: skip


@pytest.mark.parametrize(
    "text", ["line -0.5 points", "line -0.5pts", "line 0.5pt", "line -pt", "line -0.5PT"]
)
def test_what_is_not_a_change_says_how_to_write_one_in_points(text: str) -> None:
    with pytest.raises(ThresholdSyntaxError, match=r"for a ratio, STAT -Npt .* 'line -0.5pt'"):
        parse_change(text)


def test_points_apply_only_to_a_ratio() -> None:
    parse_change("line -0.5pt").applies_to(Dimension.RATIO)
    parse_change("mean +10%").applies_to(Dimension.TIME)  # relative: any dimension
    with pytest.raises(ThresholdSyntaxError) as caught:
        parse_change("mean -0.5pt").applies_to(Dimension.TIME)
    assert str(caught.value) == (
        "'mean -0.5pt' is in percentage points, which only a ratio has (coverage, a pass or "
        "error rate), but avg measures time: write 'mean -N%' for a change relative to the "
        "baseline's value"
    )


# --- arithmetic -----------------------------------------------------------------------------


def test_half_a_point_down_holds_and_a_hair_more_breaks() -> None:
    drop = parse_change("line -0.5pt")
    assert 0.795 - 0.8 < -0.005  # float noise: the exact boundary must still hold
    assert drop.holds(drop.change(0.795, 0.80))
    assert not drop.holds(drop.change(0.80 - 0.005000001, 0.80))  # -0.5000001 points
    assert not drop.holds(drop.change(0.794, 0.80))
    assert drop.holds(drop.change(0.99, 0.80))  # more coverage is never a regression
    same = parse_change("line -0.5%")  # coverage: half a point, not 0.5 % of 80 %
    assert same.holds(same.change(0.795, 0.80))
    assert not same.holds(same.change(0.794, 0.80))
    relative = parse_change("error_rate -50%")  # of 2 %: 1 point
    assert relative.holds(relative.change(0.01, 0.02))
    assert not relative.holds(relative.change(0.0099, 0.02))


def test_a_baseline_of_0_or_100_per_cent_is_judged_in_points() -> None:
    drop, grow = parse_change("line -0.5pt"), parse_change("error_rate +0.5pt")
    assert drop.change(0.0, 0.0) == 0.0 and drop.holds(0.0)  # no division by the baseline
    assert grow.holds(grow.change(0.005, 0.0))
    assert not grow.holds(grow.change(0.0051, 0.0))
    assert drop.holds(drop.change(0.995, 1.0))
    assert not drop.holds(drop.change(0.994, 1.0))
    with pytest.raises(ThresholdSyntaxError, match="baseline is 0"):
        parse_change("error_rate +50%").change(0.0051, 0.0)  # relative: undefined from 0


def test_nan_never_holds() -> None:
    for text in ("line -0.5pt", "line +0.5pt", "line -5%", "line +5%"):
        change = parse_change(text)
        assert not change.holds(change.change(math.nan, 0.8)), text
        assert not change.holds(change.change(0.8, math.nan)), text


def test_minus_zero_forbids_any_drop() -> None:
    """'-0%' and '-0pt' limit a drop, like '-5%': the sign is kept though 0 has none."""
    for text in ("ops -0%", "line -0pt"):
        change = parse_change(text)
        assert not change.grows
        assert not change.holds(change.change(0.79, 0.80)), text
        assert change.holds(change.change(0.81, 0.80)), text
    assert parse_change("mean +0%").grows


@given(
    before=st.integers(0, 10_000),
    allowed=st.integers(0, 10_000),
    off=st.integers(-2, 2) | st.integers(-10_000, 10_000),  # mostly at the boundary
    sign=st.sampled_from("+-"),
)
@example(before=8000, allowed=50, off=0, sign="-")
@example(before=7000, allowed=50, off=0, sign="-")  # 0.695 - 0.7 < -0.005 in floats
@example(before=0, allowed=50, off=0, sign="+")
def test_points_agree_with_exact_arithmetic_on_counts(
    before: int, allowed: int, off: int, sign: str
) -> None:
    """Coverage of counts out of 10,000 lines against a limit in hundredths of a point: the
    float verdict is the exact one, boundary included (as written, never by float noise)."""
    now = min(10_000, max(0, before + (allowed if sign == "+" else -allowed) + off))
    change = parse_change(f"line {sign}{allowed // 100}.{allowed % 100:02d}pt")
    moved = Fraction(now - before, 10_000)
    limit = Fraction(allowed, 10_000)
    exact = moved <= limit if sign == "+" else moved >= -limit
    assert change.holds(change.change(now / 10_000, before / 10_000)) is exact


# --- the engine -----------------------------------------------------------------------------


def _series(name: str, source: str, dimension: Dimension, **stats: float) -> Metric:
    return Metric(name, {}, {k: Quantity(v, dimension) for k, v in stats.items()},
                  "", (), source)  # fmt: skip


def _read(artifact: str, *metrics: Metric) -> ArtifactEvidence:
    parsed = ParsedFile(f"{artifact}.json", "coverage-json", (), metrics)
    return ArtifactEvidence(artifact, ArtifactState.READ, (parsed,), (), (f"{artifact}.json",))


def _judge(now: Metric, before: Metric, *changes: str) -> tuple[Outcome, str, list[dict[str, Any]]]:
    criterion = MetricCriterion(
        "cov", "TOTAL", {}, (), Baseline("main", tuple(parse_change(c) for c in changes))
    )
    cell = Cell("core", "one", "covered", (Benchmark("cov", "core", "one", criterion),))
    matrix = Matrix(
        "gatekeeper.yml", "", (Phase("one", "One"),), (Swimlane("core", "Core"),), (cell,),
        {"cov": Artifact("cov", "coverage-json", ("cov.json",)),
         "main": Artifact("main", "coverage-json", ("main.json",))},
    )  # fmt: skip
    report = evaluate(matrix, {"cov": _read("cov", now), "main": _read("main", before)}, TODAY)
    (result,) = report.benchmarks
    rendered = json.loads(REPORTERS["json"](report, RenderOptions(1)))
    REPORT_SCHEMA.validate(rendered)
    (bench,) = rendered["cells"][0]["benchmarks"]
    return result.outcome, result.summary, bench["measurements"]


def _line(value: float, source: str) -> Metric:
    return _series("TOTAL", source, Dimension.RATIO, line=value)


def test_a_drop_in_points_is_shown_in_points_and_carried_as_points() -> None:
    outcome, summary, (measured,) = _judge(
        _line(0.793, "cov.json"), _line(0.80, "main.json"), "line -0.5pt"
    )
    assert outcome is Outcome.FAIL
    assert summary == "TOTAL line = 79.3% vs 80% (-0.7 pt) (breaks 'line -0.5pt' of the baseline)"
    assert (measured["value"], measured["baseline"], measured["unit"]) == (0.793, 0.8, "1")
    assert measured["change"] == pytest.approx(-0.007)  # 0.7 points, as a fraction of 1
    assert measured["allowed_change"] == pytest.approx(-0.005)
    assert measured["change_unit"] == "points"
    assert measured["limit"] is None


@pytest.mark.parametrize(
    ("now", "outcome", "shown"),
    [
        (0.795, Outcome.PASS, "(-0.5 pt) (within 'line -0.5pp'"),
        (0.80 - 0.005000001, Outcome.FAIL, "(-0.5000001 pt) (breaks 'line -0.5pp'"),
        (0.7949, Outcome.FAIL, "(-0.51 pt) (breaks 'line -0.5pp'"),
        (0.8, Outcome.PASS, "(+0.0 pt)"),
    ],
)
def test_the_boundary_is_judged_as_written_and_shown_apart(
    now: float, outcome: Outcome, shown: str
) -> None:
    """A change beyond the limit is never shown as the limit itself ('-0.5 pt' breaking
    '-0.5pp'): it gets the decimals that tell them apart."""
    got, summary, _ = _judge(_line(now, "cov.json"), _line(0.80, "main.json"), "line -0.5pp")
    assert got is outcome
    assert shown in summary


def test_per_cent_on_coverage_is_points_as_pt_is() -> None:
    """The issue's own example: ``line -0.5%`` may drop at most half a point."""
    outcome, summary, (points, per_cent) = _judge(
        _line(0.795, "cov.json"), _line(0.80, "main.json"), "line -0.5pt", "line -0.5%"
    )
    assert outcome is Outcome.PASS
    assert (points["ok"], points["change_unit"]) == (True, "points")
    assert (per_cent["ok"], per_cent["change_unit"]) == (True, "points")
    assert per_cent["change"] == pytest.approx(-0.005)
    outcome, summary, _ = _judge(_line(0.7949, "cov.json"), _line(0.80, "main.json"), "line -0.5%")
    assert outcome is Outcome.FAIL
    assert summary.endswith("(-0.51 pt) (breaks 'line -0.5%' of the baseline)")


def test_points_on_a_time_are_an_error_not_a_verdict() -> None:
    now = _series("TOTAL", "cov.json", Dimension.TIME, avg=1.0)
    before = _series("TOTAL", "main.json", Dimension.TIME, avg=1.0)
    outcome, summary, (measured,) = _judge(now, before, "mean -0.5pt")
    assert outcome is Outcome.ERROR
    assert summary.startswith("TOTAL: 'mean -0.5pt' is in percentage points, which only a ratio")
    assert (measured["ok"], measured["change_unit"]) == (False, None)


@pytest.mark.parametrize("change", ["line -0.5pt", "line +100pt", "line -100%", "line +100%"])
@pytest.mark.parametrize(("now", "before"), [(math.nan, 0.8), (0.8, math.nan)])
def test_a_nan_on_either_side_is_an_error(change: str, now: float, before: float) -> None:
    outcome, summary, _ = _judge(_line(now, "cov.json"), _line(before, "main.json"), change)
    assert outcome is Outcome.ERROR
    assert "is NaN, which is not a measurement" in summary


@pytest.mark.parametrize(
    ("now", "before", "outcome"),
    [(0.0, 0.0, Outcome.PASS), (1.0, 1.0, Outcome.PASS), (0.995, 1.0, Outcome.PASS),
     (0.9949, 1.0, Outcome.FAIL), (0.0, 0.004, Outcome.PASS), (0.0, 0.006, Outcome.FAIL)],
)  # fmt: skip
def test_0_and_100_per_cent_on_either_side(now: float, before: float, outcome: Outcome) -> None:
    got, _, _ = _judge(_line(now, "cov.json"), _line(before, "main.json"), "line -0.5pt")
    assert got is outcome


# --- end to end: validate and check -----------------------------------------------------------


def _matrix(max_change: str, fmt: str = "lcov") -> str:
    return f"""\
version: 1
phases: [{{id: one, name: One}}]
artifacts:
  cov: {{format: {fmt}, paths: "cov/*"}}
  main: {{format: {fmt}, paths: "main/*"}}
swimlanes:
  - id: ingress
    name: Ingress
    cells:
      one:
        goal: covered
        benchmarks:
          - id: cov
            metric: {{from: cov, name: "ingress/*"}}
            baseline: {{from: main, max_change: {max_change!r}}}
"""


def _check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, *reports: tuple[str, str]
) -> tuple[int, dict[str, Any]]:
    (tmp_path / "gatekeeper.yml").write_text(text, encoding="utf-8")
    for relative, content in reports:
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(content, encoding="utf-8")
    capsys.readouterr()
    code = main(["check", "--matrix", str(tmp_path / "gatekeeper.yml"), "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    REPORT_SCHEMA.validate(report)
    (benchmark,) = report["cells"][0]["benchmarks"]
    return code, benchmark


NOW = {"ingress/api.py": (95, 100, None), "ingress/split.py": (70, 100, None),
       "other/tool.py": (0, 50, None)}  # fmt: skip
"""82.5 % over ingress/ summed (165 of 200 lines); the file elsewhere is not selected."""


@pytest.mark.parametrize(
    ("split_before", "max_change", "code", "outcome"),
    [
        (71, "line -0.5pt", ExitCode.PASSED, "pass"),  # 83 % -> 82.5 %: exactly half a point
        (72, "line -0.5pt", ExitCode.FAILED, "fail"),  # 83.5 % -> 82.5 %: a whole point
        (72, "line -1pp", ExitCode.PASSED, "pass"),
        (71, "line -0.5%", ExitCode.PASSED, "pass"),  # coverage: '%' is points, as pt
        (72, "line -0.5%", ExitCode.FAILED, "fail"),
        (0, "line -0.5pt", ExitCode.PASSED, "pass"),  # 47.5 % -> 82.5 %: a rise is no drop
    ],
)
def test_check_judges_a_summed_folder_against_its_summed_baseline(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    split_before: int,
    max_change: str,
    code: int,
    outcome: str,
) -> None:
    before = {**NOW, "ingress/split.py": (split_before, 100, None)}
    got, benchmark = _check(
        tmp_path, capsys, _matrix(max_change),
        ("cov/unit.info", lcov(NOW)), ("main/unit.info", lcov(before)),
    )  # fmt: skip
    (measured,) = benchmark["measurements"]
    assert (got, benchmark["outcome"]) == (code, outcome), benchmark["summary"]
    assert measured["series"] == "ingress/*"
    assert measured["baseline"] == pytest.approx((95 + split_before) / 200)
    assert measured["change_unit"] == "points"  # coverage: pt, pp and % alike


def test_validate_refuses_points_on_a_time_and_check_on_auto_says_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    matrix = tmp_path / "gatekeeper.yml"
    matrix.write_text(
        _matrix("mean -0.5pt", fmt="pytest-benchmark").replace("ingress/*", "test_a"),
        encoding="utf-8",
    )
    assert main(["validate", str(matrix)]) == ExitCode.USAGE
    said = capsys.readouterr()
    assert "'mean -0.5pt' is in percentage points, which only a ratio has" in said.out + said.err
    assert "pytest-benchmark's avg measures time: write 'mean -N%'" in said.out + said.err
    text = (REAL / "pytest-benchmark.json").read_text(encoding="utf-8")  # a real run
    code, benchmark = _check(
        tmp_path, capsys, _matrix("mean -0.5pt", fmt="auto").replace("ingress/*", "test_sum"),
        ("cov/micro.json", text), ("main/micro.json", text),
    )  # fmt: skip
    assert (code, benchmark["outcome"]) == (ExitCode.FAILED, "error")
    assert "test_sum: 'mean -0.5pt' is in percentage points" in benchmark["summary"]


# --- coverage.py's own reports --------------------------------------------------------------

_CALC = """\
def sign(x):
    if x > 0:
        return 1
    if x < 0:
        return -1
    return 0


def twice(x):
    return x * 2
"""


def _covered(root: Path, calls: str) -> float:
    """Measure pkg/ with coverage.py under a test that makes ``calls``; its printed total."""
    (root / "pkg").mkdir(parents=True)
    (root / "pkg" / "__init__.py").write_text("")
    (root / "pkg" / "calc.py").write_text(_CALC)
    (root / "test_pkg.py").write_text(f"from pkg.calc import sign, twice\n\n\ndef test():\n"
                                      f"    {calls}\n")  # fmt: skip
    pytest_args = ["-q", "-p", "no:cacheprovider", "-p", "no:xdist", "-p", "no:benchmark"]
    _coverage(root, "run", "--source=pkg", "-m", "pytest", *pytest_args, "test_pkg.py")
    _coverage(root, "json", "-q", "-o", "coverage.json")
    return float(_coverage(root, "report", "--format=total", "--precision=6"))


@pytest.mark.slow
@pytest.mark.needs("coverage")
def test_coveragepy_runs_before_and_after_a_lost_test(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The base branch tests every branch of sign(); the change loses two of them: the drop
    coverage.py itself prints is the drop gatekeeper judges, in points."""
    before = _covered(tmp_path / "main", "assert (sign(2), sign(-2), sign(0), twice(1)) == "
                                         "(1, -1, 0, 2)")  # fmt: skip
    now = _covered(tmp_path / "cov", "assert (sign(2), twice(1)) == (1, 2)")
    assert (before, now) == (100.0, 62.5)  # of 8 statements, 3 not run now
    text = _matrix("{}", fmt="coverage-json").replace("ingress/*", "TOTAL")
    text = text.replace('"cov/*"', '"cov/coverage.json"').replace(
        '"main/*"', '"main/coverage.json"'
    )
    for allowed, code in (("37.5", ExitCode.PASSED), ("37.49", ExitCode.FAILED)):
        got, benchmark = _check(tmp_path, capsys, text.replace("'{}'", f"'line -{allowed}pt'"))
        assert got == code, benchmark["summary"]
        (measured,) = benchmark["measurements"]
        assert (measured["value"], measured["baseline"]) == (0.625, 1.0)
        assert (measured["change"], measured["change_unit"]) == (-0.375, "points")


# --- the README's example -------------------------------------------------------------------


def _cobertura(covered: int, total: int) -> str:
    """A Cobertura report of one file, ``covered`` of its ``total`` lines hit."""
    rate = f"{covered / total:.4g}"
    lines = "".join(f'<line number="{n}" hits="{int(n <= covered)}"/>' for n in range(1, total + 1))
    return (
        f'<?xml version="1.0" ?>\n<coverage line-rate="{rate}" lines-covered="{covered}" '
        f'lines-valid="{total}" branch-rate="0" branches-covered="0" branches-valid="0" '
        f'version="7.17.5"><packages><package name="src" line-rate="{rate}"><classes>'
        f'<class name="app.py" filename="src/app.py" line-rate="{rate}"><lines>{lines}'
        "</lines></class></classes></package></packages></coverage>\n"
    )


def test_the_readme_coverage_baseline_prints_what_the_readme_says(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Baselines: no slower than main") :]
    blocks = [b.split("```", 1)[0] for b in section.split("```yaml\n")[1:]]
    artifacts, benchmark = next(b for b in blocks if "-0.5pt" in b).split("...\n")
    printed = section.split("```text\n", 1)[1].split("```", 1)[0]
    (tmp_path / "gatekeeper.yml").write_text(
        "version: 1\nphases: [{id: iron, name: Iron}]\n" + artifacts
        + "swimlanes:\n  - id: core\n    name: Core\n    cells:\n      iron:\n"
        "        goal: no coverage lost\n        benchmarks:\n" + benchmark,
        encoding="utf-8",
    )  # fmt: skip
    for path, (covered, total) in {
        "reports/coverage.xml": (793, 1000), "baseline/coverage.xml": (800, 1000)
    }.items():  # fmt: skip
        (tmp_path / path).parent.mkdir(exist_ok=True)
        (tmp_path / path).write_text(_cobertura(covered, total), encoding="utf-8")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.chdir(tmp_path)
    capsys.readouterr()
    assert main(["check", "--matrix", "gatekeeper.yml"]) == ExitCode.FAILED
    assert printed in capsys.readouterr().out
