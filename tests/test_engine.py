"""The pure engine, on hand-built matrices and evidence: no files, no I/O."""

from __future__ import annotations

import datetime as dt

import pytest

from gatekeeper.engine import evaluate
from gatekeeper.evidence import (
    ArtifactEvidence,
    ArtifactState,
    Metric,
    ParsedFile,
    TestResult,
    TestStatus,
)
from gatekeeper.model import (
    Artifact,
    Benchmark,
    Cell,
    Criterion,
    FlakyPolicy,
    Matrix,
    MetricCriterion,
    Phase,
    Swimlane,
    TestCriterion,
    Waiver,
)
from gatekeeper.results import CellState, Outcome, Report
from gatekeeper.threshold import parse_threshold
from gatekeeper.units import Dimension, Quantity

TODAY = dt.date(2026, 11, 26)
PASSED, FAILED, SKIPPED, ERROR = (
    TestStatus.PASSED,
    TestStatus.FAILED,
    TestStatus.SKIPPED,
    TestStatus.ERROR,
)


def case(
    name: str, status: TestStatus = PASSED, cls: str = "tests.test_a", **kw: object
) -> TestResult:
    return TestResult(
        suite="suite", classname=cls, name=name, file=None, line=None, status=status, **kw
    )  # type: ignore[arg-type]


def ms(value: float) -> Quantity:
    return Quantity(value / 1000, Dimension.TIME)


def junit(*tests: TestResult) -> ArtifactEvidence:
    return ArtifactEvidence("unit", ArtifactState.READ, (ParsedFile("r.xml", "junit", tests),))


def metrics(*series: Metric) -> ArtifactEvidence:
    return ArtifactEvidence("load", ArtifactState.READ, (ParsedFile("k6.json", "k6", (), series),))


def one_benchmark(
    criterion: Criterion, evidence: ArtifactEvidence, waivers: tuple[Waiver, ...] = ()
) -> Report:
    bench = Benchmark("b", "lane", "one", criterion)
    matrix = Matrix(
        path="m.yml",
        project="P",
        phases=(Phase("one", "One"),),
        swimlanes=(Swimlane("lane", "Lane"),),
        cells=(Cell("lane", "one", "goal", (bench,)),),
        artifacts={evidence.artifact: Artifact(evidence.artifact, "auto", ("*",))},
        waivers=waivers,
    )
    return evaluate(matrix, {evidence.artifact: evidence}, TODAY)


def outcome_of(criterion: Criterion, evidence: ArtifactEvidence) -> tuple[Outcome, str]:
    result = one_benchmark(criterion, evidence).benchmarks[0]
    return result.outcome, result.summary


# --- test criteria ---------------------------------------------------------


def test_all_selected_tests_passing_is_a_pass() -> None:
    evidence = junit(case("test_1"), case("test_2"), case("other", FAILED, cls="tests.test_b"))
    outcome, summary = outcome_of(TestCriterion("unit", classname=("tests.test_a",)), evidence)
    assert outcome is Outcome.PASS
    assert summary == "2/2 tests passed"


def test_one_failure_breaks_the_default_full_pass_rate() -> None:
    evidence = junit(case("test_1"), case("test_2", FAILED, message="boom\nstack"))
    result = one_benchmark(TestCriterion("unit"), evidence).benchmarks[0]
    assert result.outcome is Outcome.FAIL
    assert "pass rate 50% < required 100%" in result.summary
    assert result.details == ("failed: tests.test_a::test_2 — boom",)
    assert [t.name for t in result.failed_tests] == ["test_2"]


def test_errors_count_as_failures() -> None:
    outcome, _ = outcome_of(TestCriterion("unit"), junit(case("t", ERROR)))
    assert outcome is Outcome.FAIL


def test_a_pass_rate_below_100_tolerates_some_failures() -> None:
    tests = [case(f"t{i}") for i in range(19)] + [case("bad", FAILED)]
    assert outcome_of(TestCriterion("unit", pass_rate=0.95), junit(*tests))[0] is Outcome.PASS
    assert outcome_of(TestCriterion("unit", pass_rate=0.96), junit(*tests))[0] is Outcome.FAIL


def test_an_empty_selection_never_passes() -> None:
    outcome, summary = outcome_of(TestCriterion("unit", name=("nothing*",)), junit(case("t")))
    assert outcome is Outcome.FAIL
    assert "matched no test in r.xml" in summary


def test_an_empty_file_never_passes() -> None:
    assert outcome_of(TestCriterion("unit"), junit())[0] is Outcome.FAIL


def test_all_skipped_is_not_a_pass() -> None:
    outcome, summary = outcome_of(TestCriterion("unit"), junit(case("t", SKIPPED)))
    assert outcome is Outcome.FAIL
    assert "0 run tests matched; at least 1 required" in summary


def test_minimum_count_counts_run_tests() -> None:
    evidence = junit(case("a"), case("b"), case("c", SKIPPED))
    assert outcome_of(TestCriterion("unit", min_count=2), evidence)[0] is Outcome.PASS
    assert outcome_of(TestCriterion("unit", min_count=3), evidence)[0] is Outcome.FAIL


def test_skipped_limit() -> None:
    evidence = junit(case("a"), case("b", SKIPPED), case("c", SKIPPED))
    assert outcome_of(TestCriterion("unit", max_skipped=2), evidence)[0] is Outcome.PASS
    outcome, summary = outcome_of(TestCriterion("unit", max_skipped=1), evidence)
    assert outcome is Outcome.FAIL
    assert ", 2 skipped: at most 1 skipped allowed" in summary


def test_flaky_policy_decides_how_a_rerun_pass_counts() -> None:
    evidence = junit(case("a"), case("b", flaky=True, reruns=1))
    lenient = outcome_of(TestCriterion("unit", flaky=FlakyPolicy.PASS), evidence)
    assert lenient == (Outcome.PASS, "2/2 tests passed, 1 flaky (passed on rerun)")
    strict = outcome_of(TestCriterion("unit", flaky=FlakyPolicy.FAIL), evidence)
    assert strict[0] is Outcome.FAIL
    assert strict[1].startswith("1/2 tests passed, 1 flaky (counted as failed)")


def test_selectors_combine_with_and_and_globs_with_or() -> None:
    evidence = junit(
        case("test_sign", cls="tests.test_dkim"),
        case("test_verify", cls="tests.test_dkim"),
        case("test_sign", cls="tests.test_spf", status=FAILED),
    )
    crit = TestCriterion("unit", classname=("tests.test_dkim",), name=("test_sign", "test_v*"))
    assert outcome_of(crit, evidence) == (Outcome.PASS, "2/2 tests passed")
    both = TestCriterion("unit", name=("test_sign",))
    assert outcome_of(both, evidence)[0] is Outcome.FAIL


def test_glob_matching_is_case_sensitive() -> None:
    evidence = junit(case("Test_upper"))
    assert outcome_of(TestCriterion("unit", name=("test_*",)), evidence)[0] is Outcome.FAIL


# --- evidence that cannot be used ------------------------------------------


def test_missing_artifact_is_missing_never_pass() -> None:
    evidence = ArtifactEvidence("unit", ArtifactState.MISSING, patterns=("reports/*.xml",))
    outcome, summary = outcome_of(TestCriterion("unit"), evidence)
    assert outcome is Outcome.MISSING
    assert summary == "no evidence: no file matches reports/*.xml"


def test_unreadable_artifact_is_an_error_with_the_reason() -> None:
    evidence = ArtifactEvidence(
        "unit",
        ArtifactState.ERROR,
        (ParsedFile("ok.xml", "junit", (case("t"),)),),
        ("bad.xml:3:7: truncated",),
    )
    result = one_benchmark(TestCriterion("unit"), evidence).benchmarks[0]
    assert result.outcome is Outcome.ERROR
    assert result.details == ("bad.xml:3:7: truncated",)


# --- metric criteria -------------------------------------------------------


def k6_trend(name: str, tags: dict[str, str] | None = None, **stats: float) -> Metric:
    quantities = {
        k.replace("p", "p(") + ")" if k.startswith("p") and k[1:].isdigit() else k: ms(v)
        for k, v in stats.items()
    }
    # as the k6 parsers make them: a tagged series is a sub-metric of the untagged one
    return Metric(name, tags or {}, quantities, "trend", source="k6.json", subseries=bool(tags))


def metric(selector: str, *thresholds: str) -> MetricCriterion:
    from gatekeeper.selector import parse_metric_selector

    name, tags = parse_metric_selector(selector)
    return MetricCriterion("load", name, tags, tuple(parse_threshold(t) for t in thresholds))


def test_threshold_in_ms_against_seconds_in_base_units() -> None:
    evidence = metrics(k6_trend("http_req_duration", p95=240.0))
    outcome, summary = outcome_of(metric("http_req_duration", "p(95) < 250ms"), evidence)
    assert outcome is Outcome.PASS
    assert summary == "http_req_duration p(95) = 240ms (meets 'p(95) < 250ms')"
    assert outcome_of(metric("http_req_duration", "p(95) < 0.2s"), evidence)[0] is Outcome.FAIL
    assert (
        outcome_of(metric("http_req_duration", "p(95) < 240000000ns"), evidence)[0] is Outcome.FAIL
    )
    assert outcome_of(metric("http_req_duration", "p(95) <= 240000us"), evidence)[0] is Outcome.PASS


def test_bare_numbers_against_times_are_milliseconds_as_in_k6() -> None:
    evidence = metrics(k6_trend("http_req_duration", p95=240.0))
    assert outcome_of(metric("http_req_duration", "p(95)<250"), evidence)[0] is Outcome.PASS
    assert outcome_of(metric("http_req_duration", "p(95)<200"), evidence)[0] is Outcome.FAIL


def test_sub_metric_tag_filter_selects_the_tagged_series_only() -> None:
    evidence = metrics(
        k6_trend("http_req_duration", p95=100.0),
        k6_trend("http_req_duration", {"scenario": "splitter"}, p95=400.0),
    )
    untagged = metric("http_req_duration", "p(95) < 250ms")
    tagged = metric("http_req_duration{scenario:splitter}", "p(95) < 250ms")
    assert outcome_of(untagged, evidence)[0] is Outcome.PASS
    outcome, summary = outcome_of(tagged, evidence)
    assert outcome is Outcome.FAIL
    assert summary == "http_req_duration{scenario:splitter} p(95) = 400ms (breaks 'p(95) < 250ms')"


def test_series_of_one_name_that_are_not_parts_of_each_other_are_all_judged() -> None:
    """Two pytest-benchmark series named test_parse, one in a group: the name alone selects
    both (it selected the untagged one only, and the slow one in the group went unjudged)."""
    fast = Metric("test_parse", {}, {"avg": ms(1.0)}, "benchmark", source="micro.json")
    slow = Metric("test_parse", {"group": "parse"}, {"avg": ms(5000.0)}, "benchmark",
                  source="micro.json")  # fmt: skip
    outcome, summary = outcome_of(metric("test_parse", "mean < 10ms"), metrics(fast, slow))
    assert outcome is Outcome.FAIL
    assert summary == "test_parse{group:parse} avg = 5s (breaks 'mean < 10ms')"
    assert (
        outcome_of(metric("test_parse{group:parse}", "mean < 10ms"), metrics(fast, slow))[0]
        is Outcome.FAIL
    )


def test_a_series_with_no_samples_never_passes() -> None:
    empty = Metric("http_req_duration", {"scenario": "idle"}, {}, "trend", source="k6.json")
    outcome, summary = outcome_of(
        metric("http_req_duration{scenario:idle}", "p(95) < 1s"), metrics(empty)
    )
    assert outcome is Outcome.MISSING
    assert "has no samples" in summary


def test_absent_metric_is_missing_with_a_suggestion() -> None:
    evidence = metrics(k6_trend("http_req_duration", p95=1.0))
    outcome, summary = outcome_of(metric("http_req_duraton", "p(95) < 1s"), evidence)
    assert outcome is Outcome.MISSING
    assert "did you mean http_req_duration?" in summary


def test_a_statistic_the_tool_did_not_report_is_an_error() -> None:
    evidence = metrics(k6_trend("http_req_duration", p95=1.0, avg=1.0))
    outcome, summary = outcome_of(metric("http_req_duration", "p(99) < 1s"), evidence)
    assert outcome is Outcome.ERROR
    assert (
        summary
        == "http_req_duration in k6.json does not report p(99) (did you mean p(95)? it has: "
        "avg, p(95))"
    )


def test_a_unit_of_the_wrong_dimension_is_an_error() -> None:
    rate = Metric(
        "http_req_failed", {}, {"rate": Quantity(0.02, Dimension.RATIO)}, "rate", source="k6.json"
    )
    assert outcome_of(metric("http_req_failed", "rate < 1%"), metrics(rate))[0] is Outcome.FAIL
    assert outcome_of(metric("http_req_failed", "rate < 3%"), metrics(rate))[0] is Outcome.PASS
    assert outcome_of(metric("http_req_failed", "rate < 0.03"), metrics(rate))[0] is Outcome.PASS
    outcome, summary = outcome_of(metric("http_req_failed", "rate < 250ms"), metrics(rate))
    assert outcome is Outcome.ERROR
    assert "unit 'ms' measures time, but the statistic measures ratio" in summary


def test_every_threshold_and_every_matching_series_must_hold() -> None:
    evidence = metrics(
        Metric("test_sign_small", {}, {"avg": ms(1.0)}, "benchmark", source="b.json"),
        Metric("test_sign_large", {}, {"avg": ms(3.0)}, "benchmark", source="b.json"),
    )
    outcome, summary = outcome_of(metric("test_sign_*", "avg < 2ms"), evidence)
    assert outcome is Outcome.FAIL
    assert summary == "test_sign_large avg = 3ms (breaks 'avg < 2ms')"
    result = one_benchmark(metric("test_sign_*", "avg < 5ms", "avg > 0.5ms"), evidence).benchmarks[
        0
    ]
    assert result.outcome is Outcome.PASS
    assert len(result.measurements) == 4


def test_a_benchmark_is_found_by_an_alias_and_despite_extra_tags() -> None:
    series = Metric(
        "test_x[a]", {"group": "g"}, {"avg": ms(1)}, "benchmark", ("bench.py::test_x[a]",), "b.json"
    )
    assert outcome_of(metric("bench.py::test_x*", "avg < 2ms"), metrics(series))[0] is Outcome.PASS
    assert outcome_of(metric("test_x*{group:g}", "avg < 2ms"), metrics(series))[0] is Outcome.PASS
    assert (
        outcome_of(metric("test_x*{group:h}", "avg < 2ms"), metrics(series))[0] is Outcome.MISSING
    )


def test_throughput_reads_a_counters_rate() -> None:
    reqs = Metric(
        "http_reqs", {}, {"rate": Quantity(120, Dimension.THROUGHPUT)}, "counter", source="k6.json"
    )
    assert outcome_of(metric("http_reqs", "throughput > 100/s"), metrics(reqs))[0] is Outcome.PASS
    assert outcome_of(metric("http_reqs", "rate > 150/s"), metrics(reqs))[0] is Outcome.FAIL


# --- waivers ---------------------------------------------------------------


def _waived(expires: dt.date, evidence: ArtifactEvidence) -> Report:
    waiver = Waiver("lane/one/b", "rig undersized", "jmoody", expires)
    return one_benchmark(TestCriterion("unit"), evidence, (waiver,))


def test_a_live_waiver_lets_a_failing_benchmark_through_and_says_so() -> None:
    report = _waived(TODAY, junit(case("t", FAILED)))
    result = report.benchmarks[0]
    assert result.outcome is Outcome.WAIVED
    assert result.underlying is Outcome.FAIL
    assert result.summary.startswith("waived by jmoody until 2026-11-26: rig undersized")
    assert report.cells[0].state is CellState.GREEN
    assert report.passed


def test_an_expired_waiver_fails_loudly() -> None:
    report = _waived(TODAY - dt.timedelta(days=1), junit(case("t", FAILED)))
    result = report.benchmarks[0]
    assert result.outcome is Outcome.FAIL
    assert result.summary.startswith("waiver expired on 2026-11-25 (approved by jmoody)")
    assert not report.passed


def test_an_expired_waiver_fails_even_when_the_evidence_passes() -> None:
    report = _waived(TODAY - dt.timedelta(days=1), junit(case("t")))
    assert report.benchmarks[0].outcome is Outcome.FAIL
    assert report.benchmarks[0].underlying is Outcome.PASS


def test_a_waiver_that_is_not_needed_keeps_the_pass_and_is_shown() -> None:
    result = _waived(TODAY, junit(case("t"))).benchmarks[0]
    assert result.outcome is Outcome.PASS
    assert "a waiver is in place but not needed" in result.summary
    assert result.waiver is not None


def test_a_waiver_covers_missing_evidence_too() -> None:
    missing = ArtifactEvidence("unit", ArtifactState.MISSING, patterns=("x",))
    assert _waived(TODAY, missing).benchmarks[0].outcome is Outcome.WAIVED


# --- cells, gates, where the project stands --------------------------------

PHASES = (Phase("a", "A"), Phase("b", "B"), Phase("c", "C"))


def _matrix(cells: dict[tuple[str, str], str], current: str | None = None) -> Matrix:
    """Cells keyed (lane, phase) -> the test name their benchmark selects."""
    built = tuple(
        Cell(
            lane, phase, "goal", (Benchmark("t", lane, phase, TestCriterion("unit", name=(test,))),)
        )
        for (lane, phase), test in cells.items()
    )
    return Matrix(
        path="m.yml",
        project="",
        phases=PHASES,
        swimlanes=(Swimlane("x", "X"), Swimlane("y", "Y")),
        cells=built,
        artifacts={"unit": Artifact("unit", "junit", ("*.xml",))},
        current=current,
    )


def _gates(report: Report) -> dict[str, bool]:
    return {g.phase.id: g.passed for g in report.gates}


def test_gates_are_cumulative_and_the_project_stands_at_the_last_passing_one() -> None:
    matrix = _matrix({("x", "a"): "ok", ("y", "b"): "bad", ("x", "c"): "ok"}, current="b")
    report = evaluate(matrix, {"unit": junit(case("ok"), case("bad", FAILED))}, TODAY)
    assert _gates(report) == {"a": True, "b": False, "c": False}  # c's own cell is green
    assert report.gate("c").blocking == ("y/b",)
    assert report.stands_at == "a"
    assert report.enforced == "b"
    assert not report.passed
    assert report.cell("x", "c").state is CellState.GREEN  # type: ignore[union-attr]
    assert report.cell("y", "a") is None  # blank


def test_a_phase_with_no_cells_passes_only_when_earlier_ones_do() -> None:
    matrix = _matrix({("x", "b"): "bad"})
    report = evaluate(matrix, {"unit": junit(case("bad", FAILED))}, TODAY)
    assert _gates(report) == {"a": True, "b": False, "c": False}


def test_grey_cells_block_like_red_ones() -> None:
    matrix = _matrix({("x", "a"): "ok", ("x", "b"): "absent"})
    evidence = {"unit": junit(case("ok"))}
    report = evaluate(matrix, evidence, TODAY, enforced="b")
    assert report.cell("x", "b").state is CellState.RED  # type: ignore[union-attr]  # empty selection fails
    missing = {"unit": ArtifactEvidence("unit", ArtifactState.MISSING, patterns=("*.xml",))}
    report = evaluate(matrix, missing, TODAY, enforced="a")
    assert report.cell("x", "a").state is CellState.GREY  # type: ignore[union-attr]
    assert not report.passed
    assert report.no_evidence


@pytest.mark.parametrize(
    ("current", "enforced", "expected"),
    [(None, None, "c"), ("b", None, "b"), ("b", "a", "a")],
)
def test_which_gate_is_enforced(current: str | None, enforced: str | None, expected: str) -> None:
    report = evaluate(
        _matrix({("x", "a"): "ok"}, current), {"unit": junit(case("ok"))}, TODAY, enforced
    )
    assert report.enforced == expected
    assert report.passed


def test_red_beats_grey_in_a_cell() -> None:
    bench_ok = Benchmark("fails", "x", "a", TestCriterion("unit", name=("bad",)))
    bench_missing = Benchmark(
        "absent", "x", "a", MetricCriterion("load", "m", {}, (parse_threshold("avg<1"),))
    )
    matrix = Matrix(
        path="m.yml",
        project="",
        phases=PHASES,
        swimlanes=(Swimlane("x", "X"),),
        cells=(Cell("x", "a", "g", (bench_ok, bench_missing)),),
        artifacts={
            "unit": Artifact("unit", "junit", ("*",)),
            "load": Artifact("load", "k6", ("*",)),
        },
    )
    evidence = {
        "unit": junit(case("bad", FAILED)),
        "load": ArtifactEvidence("load", ArtifactState.MISSING, patterns=("k6.json",)),
    }
    report = evaluate(matrix, evidence, TODAY)
    assert report.cells[0].state is CellState.RED
    assert not report.no_evidence


def test_any_percentile_is_computed_from_raw_samples() -> None:
    raw = Metric(
        "http_req_duration",
        {},
        {},
        "trend",
        source="out.ndjson",
        samples=[i / 1000 for i in range(1, 101)],  # 1ms .. 100ms
        sample_dimension=Dimension.TIME,
    )
    outcome, summary = outcome_of(metric("http_req_duration", "p(99) < 100ms"), metrics(raw))
    assert outcome is Outcome.PASS
    assert summary == "http_req_duration p(99) = 99.01ms (meets 'p(99) < 100ms')"
    assert (
        outcome_of(metric("http_req_duration", "p(99.5) < 99.4ms"), metrics(raw))[0] is Outcome.FAIL
    )
