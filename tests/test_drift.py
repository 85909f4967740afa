"""``baseline.drift``: an unpaired comparison at a confidence allows for the drift between runs
(issue 15: an unpaired comparison "needs a larger change to count as a regression").

The matrix key and what `validate` refuses; the widened limit's arithmetic; the engine's
verdicts on seeded samples: a change the plain limit calls a regression is within once the
drift is allowed, a change past both is still one, and the verdict says which; the JSON
report's baseline carries it.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from gatekeeper.cli import main
from gatekeeper.engine.metrics import evaluate_metric
from gatekeeper.engine.sampled import widened
from gatekeeper.matrix.load import parse_matrix
from gatekeeper.matrix.problems import MatrixError
from gatekeeper.model import Baseline, MetricCriterion
from gatekeeper.results import Outcome
from gatekeeper.threshold import parse_change
from tests.test_confidence import _evidence, _matrix, _series, _times


def _criterion(drift: float | None, change: str = "median +10%") -> MetricCriterion:
    baseline = Baseline("main", (parse_change(change),), 0.95, drift=drift)
    return MetricCriterion("micro", "test_work", {}, (), baseline)


def _verdict(head: list[float], base: list[float], drift: float | None) -> tuple[Outcome, str]:
    outcome, summary, _, _ = evaluate_metric(
        _criterion(drift),
        _evidence("micro", _series("micro.json", head)),
        _evidence("main", _series("main.json", base)),
    )
    return outcome, summary


def test_the_matrix_declares_a_drift() -> None:
    text = _matrix().replace(b"confidence: 0.95}", b'confidence: 0.95, drift: "15%"}')
    criterion = parse_matrix(text, "m.yml").cells[0].benchmarks[0].criterion
    assert isinstance(criterion, MetricCriterion) and criterion.baseline is not None
    assert criterion.baseline.drift == pytest.approx(0.15)
    plain = parse_matrix(_matrix(), "m.yml").cells[0].benchmarks[0].criterion
    assert isinstance(plain, MetricCriterion) and plain.baseline is not None
    assert plain.baseline.drift is None


@pytest.mark.parametrize(
    ("edit", "said"),
    [
        ((b"confidence: 0.95}", b'drift: "15%"}'), "drift widens the interval's limit at a "
                                                    "confidence: add confidence"),
        ((b"confidence: 0.95}", b'confidence: 0.95, paired: true, drift: "5%"}'),
         "paired rounds measure base and HEAD together"),
        ((b"confidence: 0.95}", b'confidence: 0.95, drift: "150%"}'),
         "'150%' does not fit: A percentage from 0%"),
        ((b"confidence: 0.95}", b"confidence: 0.95, drift: 0.15}"),
         "drift: expected text, got a number"),
        ((b"confidence: 0.95}", b'confidence: 0.95, drift: "-5%"}'), "'-5%' does not fit"),
    ],
)  # fmt: skip
def test_validate_refuses_a_drift_that_cannot_work(edit: tuple[bytes, bytes], said: str) -> None:
    with pytest.raises(MatrixError) as caught:
        parse_matrix(_matrix().replace(*edit), "m.yml")
    problems = "\n".join(str(p) for p in caught.value.problems)
    assert said in problems, problems
    assert "benchmarks[0].baseline" in problems


@pytest.mark.parametrize(
    ("limit", "drift", "expected"),
    [
        (0.10, 0.15, 1.10 * 1.15 - 1),  # +10 % and 15 % drift: +26.5 %
        (-0.05, 0.15, 0.95 / 1.15 - 1),  # a drop of 5 % and 15 % drift: -17.4 %
        (-0.0, 0.10, 1 / 1.10 - 1),  # no drop allowed, but the drift
        (0.10, None, 0.10),
        (0.10, 0.0, 0.10),
    ],
)
def test_the_limit_is_widened_by_the_drift(
    limit: float, drift: float | None, expected: float
) -> None:
    assert widened(limit, drift) == pytest.approx(expected)
    assert math.copysign(1.0, widened(limit, drift)) == math.copysign(1.0, limit)


def test_a_change_within_the_drift_is_no_regression_and_says_it_allowed_it() -> None:
    """20 % slower against +10 %: a regression unpaired as written; within once 15 % of
    drift between the runs is allowed (1.10 x 1.15 = 1.265)."""
    head, base = _times(11, 80, 1.2e-3, 0.03), _times(12, 80, 1.0e-3, 0.03)
    outcome, summary = _verdict(head, base, None)
    assert outcome is Outcome.FAIL and "breaks 'median +10%'" in summary
    assert "unpaired: includes drift between runs" in summary
    outcome, summary = _verdict(head, base, 0.15)
    assert outcome is Outcome.PASS, summary
    assert "unpaired: allows 15 % drift between runs" in summary


def test_a_change_past_the_limit_and_the_drift_is_still_a_regression() -> None:
    head, base = _times(13, 80, 1.5e-3, 0.03), _times(14, 80, 1.0e-3, 0.03)
    outcome, summary = _verdict(head, base, 0.15)
    assert outcome is Outcome.FAIL and "breaks 'median +10%'" in summary


def test_the_report_carries_the_drift(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = _matrix().replace(b"confidence: 0.95}", b'confidence: 0.95, drift: "15%"}')
    (tmp_path / "gatekeeper.yml").write_bytes(text)
    for folder in ("reports", "baseline"):
        (tmp_path / folder).mkdir()
    document = {
        "benchmarks": [
            {
                "name": "test_work",
                "fullname": "test_work",
                "stats": {"min": 1e-3, "max": 1e-3, "mean": 1e-3, "median": 1e-3,
                          "stddev": 0.0, "rounds": 12, "ops": 1000.0,
                          "data": [1e-3] * 12},
            }
        ]
    }  # fmt: skip
    for path in ("reports/micro.json", "baseline/micro.json"):
        (tmp_path / path).write_text(json.dumps(document), encoding="utf-8")
    capsys.readouterr()
    main(["check", "--matrix", str(tmp_path / "gatekeeper.yml"), "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    (benchmark,) = report["cells"][0]["benchmarks"]
    assert benchmark["baseline"]["drift"] == pytest.approx(0.15)


def test_a_fetched_baseline_at_a_confidence_must_state_its_drift() -> None:
    """The merge base's evidence is another run's: without drift, validate asks for it;
    "0%" says none on purpose; the same-job baseline (from) and paired rounds need none."""
    fetched = _matrix().replace(b"{from: main, ", b"{")
    with pytest.raises(MatrixError) as caught:
        parse_matrix(fetched, "m.yml")
    problems = "\n".join(str(p) for p in caught.value.problems)
    assert "benchmarks[0].baseline: a baseline from another run" in problems
    assert "carries the drift between runs: say how much to allow with drift" in problems
    for drift in (b'"0%"', b'"15%"'):
        parse_matrix(
            fetched.replace(b"confidence: 0.95}", b"confidence: 0.95, drift: " + drift + b"}"),
            "m.yml",
        )
    parse_matrix(_matrix(), "m.yml")  # from: the base measured in this job
