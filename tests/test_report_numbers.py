"""The JSON report carries every measured value as a number (issue 15): in the base unit of
its dimension, unrounded, beside its display string, with the threshold's limit (or the
baseline and the change) likewise, so a program never parses "324.7ms"."""

from __future__ import annotations

import datetime as dt
import json
import operator
from typing import Any

import pytest

from gatekeeper.cli import main
from gatekeeper.engine import evaluate
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
from gatekeeper.threshold import parse_change
from gatekeeper.units import Dimension, format_value
from tests.conftest import REPO
from tests.test_baseline import _read, _series

UNITS = {"time": "s", "ratio": "1", "throughput": "1/s", "size": "B", "data_rate": "B/s",
         "count": "1", "number": ""}  # fmt: skip
OPS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}


def _measurements(report: dict[str, Any]) -> list[dict[str, Any]]:
    return [m for c in report["cells"] for b in c["benchmarks"] for m in b["measurements"]]


@pytest.fixture(scope="module")
def kmta(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("kmta") / "report.json"
    matrix = str(REPO / "examples" / "kmta" / "gatekeeper.yml")
    main(["check", "--dry-run", "--matrix", matrix, "--format", "none", f"--output=json:{out}"])
    report: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return report


def test_every_measured_value_is_the_number_its_display_string_rounds(
    kmta: dict[str, Any],
) -> None:
    measured = [m for m in _measurements(kmta) if m["value"] is not None]
    assert len(measured) >= 10
    for m in measured:
        dimension = Dimension(m["dimension"])
        assert format_value(m["value"], dimension) == m["actual"], m
        assert m["unit"] == UNITS[m["dimension"]]


def test_a_threshold_s_limit_is_the_number_the_verdict_compared_with(
    kmta: dict[str, Any],
) -> None:
    for m in _measurements(kmta):
        if m["value"] is None:
            assert (m["limit"], m["dimension"], m["unit"]) == (None, None, None), m
            continue
        # a findings benchmark's count: "at most N"; a metric's: "STAT OP LIMIT"
        words = m["threshold"].split(" ", 2)
        stat, op = ("count", "<=") if words[:2] == ["at", "most"] else words[:2]
        assert m["limit"] is not None and m["baseline"] is None, m
        assert OPS[op](m["value"], m["limit"]) == m["ok"], (stat, m)


def test_a_comparison_with_the_baseline_carries_both_values_and_the_change() -> None:
    criterion = MetricCriterion(
        "micro", "test_a", {}, (), Baseline("main", (parse_change("mean +10%"),))
    )
    cell = Cell("core", "one", "fast", (Benchmark("speed", "core", "one", criterion),))
    matrix = Matrix(
        "gatekeeper.yml", "", (Phase("one", "One"),), (Swimlane("core", "Core"),), (cell,),
        {"micro": Artifact("micro", "pytest-benchmark", ("micro.json",)),
         "main": Artifact("main", "pytest-benchmark", ("main.json",))},
    )  # fmt: skip
    current = _read("micro", _series("test_a", "micro.json", avg=1.3e-3))
    base = _read("main", _series("test_a", "main.json", avg=1.0e-3))
    report = evaluate(matrix, {"micro": current, "main": base}, dt.date(2026, 12, 3))
    (measured,) = _measurements(json.loads(REPORTERS["json"](report, RenderOptions(1))))
    assert measured["ok"] is False
    assert (measured["value"], measured["baseline"], measured["unit"]) == (1.3e-3, 1.0e-3, "s")
    assert measured["change"] == pytest.approx(0.3)  # (1.3 - 1.0) / 1.0, not a rounded "+30.0%"
    assert measured["allowed_change"] == pytest.approx(0.1)
    assert measured["limit"] is None
