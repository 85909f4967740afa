"""Failures a test run records outside its test cases count (issue 9, class 6).

The adversarial review's false passes (F1, F2, F8): a TRX run whose test host crashed, an
NUnit fixture whose OneTimeTearDown threw, a JUnit suite-level ``<error>``, a Go panic
after the last result. Each file below is adapted from the review's reproduction; the
real files of the corpus are held to their counts by test_conformance.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gatekeeper.cli import main
from gatekeeper.errors import EvidenceError
from gatekeeper.evidence import TestResult, TestStatus
from gatekeeper.parsers import parse_file
from gatekeeper.parsers.testresults import junit, nunit, trx

S = TestStatus

TRX_CRASH = """\
<?xml version="1.0" encoding="utf-8"?>
<TestRun id="3f1d0a52" name="ci@runner" xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">
  <Results>
    <UnitTestResult executionId="e1" testId="t1" testName="Shop.CartTests.Adds_item"
                    duration="00:00:00.0125000" outcome="Passed" />
  </Results>
  <TestDefinitions>
    <UnitTest name="Adds_item" id="t1">
      <Execution id="e1" />
      <TestMethod className="Shop.CartTests" name="Adds_item" />
    </UnitTest>
  </TestDefinitions>
  <ResultSummary outcome="Failed">
    <Counters total="40" executed="1" passed="1" failed="0" error="0" />
    <RunInfos>
      <RunInfo computerName="runner" outcome="Error" timestamp="2024-03-02T10:11:15">
        <Text>The active test run was aborted. Reason: Test host process crashed : Stack overflow.
        </Text>
      </RunInfo>
    </RunInfos>
  </ResultSummary>
</TestRun>
"""


def table(tests: tuple[TestResult, ...]) -> list[tuple[str, str, str, S, str | None]]:
    return [(t.suite, t.classname, t.name, t.status, t.message) for t in tests]


def read_trx(tmp_path: Path, content: str) -> tuple[TestResult, ...]:
    path = tmp_path / "run.trx"
    path.write_text(content, encoding="utf-8")
    return trx.parse(path, "run.trx").tests


def trx_run(summary: str, results: str = '<UnitTestResult testName="a" outcome="Passed"/>') -> str:
    return f"<TestRun><Results>{results}</Results>{summary}</TestRun>"


def test_trx_a_crashed_run_is_an_error_of_the_run(tmp_path: Path) -> None:
    crash = "The active test run was aborted. Reason: Test host process crashed : Stack overflow."
    assert table(read_trx(tmp_path, TRX_CRASH)) == [
        ("", "Shop.CartTests", "Adds_item", S.PASSED, None),
        ("", "", "[test run]", S.ERROR, crash),
    ]


@pytest.mark.parametrize(
    ("summary", "message"),
    [
        # VSTest: an Error message makes the run Failed; the message says why
        (
            '<ResultSummary outcome="Completed"><RunInfos><RunInfo outcome="Error">'
            "<Text>\n  Data collector 'blame' message: host crashed.\n</Text>"
            "</RunInfo></RunInfos></ResultSummary>",
            "Data collector 'blame' message: host crashed.",
        ),
        ('<ResultSummary outcome="Failed"/>', "the run's outcome is Failed"),
        ('<ResultSummary outcome="Aborted"/>', "the run's outcome is Aborted"),
        ('<ResultSummary outcome="Error"/>', "the run's outcome is Error"),
        (
            '<ResultSummary outcome="PassedButRunAborted"/>',
            "the run's outcome is PassedButRunAborted",
        ),
        ('<ResultSummary outcome="InProgress"/>', "the run's outcome is InProgress"),
    ],
)
def test_trx_a_run_level_failure_counts(tmp_path: Path, summary: str, message: str) -> None:
    tests = read_trx(tmp_path, trx_run(summary))
    assert table(tests)[1:] == [("", "", "[test run]", S.ERROR, message)]


@pytest.mark.parametrize(
    "summary",
    [
        '<ResultSummary outcome="Completed"/>',
        '<ResultSummary outcome="Passed"/>',
        '<ResultSummary outcome="Completed"><RunInfos><RunInfo outcome="Warning">'
        "<Text>No test is available in x.dll</Text></RunInfo></RunInfos></ResultSummary>",
        "",  # no summary at all: the results say everything there is
    ],
)
def test_trx_a_run_that_passed_adds_nothing(tmp_path: Path, summary: str) -> None:
    assert len(read_trx(tmp_path, trx_run(summary))) == 1


def test_trx_a_failed_result_explains_the_failed_run(tmp_path: Path) -> None:
    # As VSTest writes it: each failed xUnit.net test is also an Error RunInfo.
    summary = (
        '<ResultSummary outcome="Failed"><RunInfos><RunInfo outcome="Error">'
        "<Text>[xUnit.net] Shop.CartTests.Totals [FAIL]</Text></RunInfo></RunInfos>"
        "</ResultSummary>"
    )
    failed = '<UnitTestResult testName="b" outcome="Failed"/>'
    tests = read_trx(tmp_path, trx_run(summary, failed))
    assert [(t.name, t.status) for t in tests] == [("b", S.FAILED)]


@pytest.mark.parametrize(
    ("summary", "message"),
    [
        ('<ResultSummary outcome="Crashed"/>', "the run's outcome is 'Crashed', expected one"),
        (
            '<ResultSummary outcome="Completed"><RunInfos><RunInfo outcome="Eror"/>'
            "</RunInfos></ResultSummary>",
            "a RunInfo's outcome is 'Eror', expected one",
        ),
    ],
)
def test_trx_a_run_outcome_outside_the_set_is_refused(
    tmp_path: Path, summary: str, message: str
) -> None:
    with pytest.raises(EvidenceError, match=f"run.trx:1:.*{message}"):
        read_trx(tmp_path, trx_run(summary))


NUNIT_TEARDOWN = """\
<?xml version="1.0" encoding="utf-8" standalone="no"?>
<test-run id="2" testcasecount="1" result="Failed" total="1" passed="1" failed="0">
  <test-suite type="Assembly" name="Shop.Tests.dll" fullname="/src/Shop.Tests.dll"
              result="Failed" site="Child">
    <test-suite type="TestFixture" name="CartTests" fullname="Shop.CartTests"
                classname="Shop.CartTests" result="Failed" label="Error" site="TearDown">
      <failure><message><![CDATA[TearDown : System.Exception : db cleanup failed]]></message>
      </failure>
      <test-case name="Adds_item" fullname="Shop.CartTests.Adds_item" classname="Shop.CartTests"
                 result="Passed" duration="0.0125" />
    </test-suite>
  </test-suite>
</test-run>
"""


def read_nunit(tmp_path: Path, content: str) -> tuple[TestResult, ...]:
    path = tmp_path / "r.xml"
    path.write_text(content, encoding="utf-8")
    return nunit.parse(path, "r.xml").tests


def nunit_run(run: str, suite: str, cases: str) -> str:
    return (
        f"<test-run {run}><test-suite type='TestFixture' name='CartTests' "
        f"fullname='Shop.CartTests' {suite}>{cases}</test-suite></test-run>"
    )


PASSED = "<test-case name='a' classname='Shop.CartTests' result='Passed'/>"
FAILED = (
    "<test-case name='b' classname='Shop.CartTests' result='Failed'>"
    "<failure><message>Expected: 1</message></failure></test-case>"
)


def test_nunit_a_teardown_failure_around_passing_cases_is_an_error(tmp_path: Path) -> None:
    teardown = "TearDown : System.Exception : db cleanup failed"
    assert table(read_nunit(tmp_path, NUNIT_TEARDOWN)) == [
        ("Shop.CartTests", "Shop.CartTests", "Adds_item", S.PASSED, None),
        ("Shop.CartTests", "Shop.CartTests", "[TearDown]", S.ERROR, teardown),
    ]


def test_nunit_a_teardown_failure_counts_beside_a_failed_case(tmp_path: Path) -> None:
    suite = "result='Failed' site='TearDown'"
    tests = read_nunit(tmp_path, nunit_run("result='Failed'", suite, PASSED + FAILED))
    assert [(t.name, t.status, t.message) for t in tests] == [
        ("a", S.PASSED, None),
        ("b", S.FAILED, "Expected: 1"),
        ("[TearDown]", S.ERROR, "NUnit recorded a failure in this suite's TearDown"),
    ]


def test_nunit_a_failed_run_with_nothing_failed_in_it_is_an_error(tmp_path: Path) -> None:
    tests = read_nunit(tmp_path, nunit_run("result='Failed'", "result='Passed'", PASSED))
    message = "NUnit recorded this run as Failed, but no test in it failed"
    assert table(tests)[1:] == [("", "", "[test run]", S.ERROR, message)]


def test_nunit_a_child_failure_whose_cases_are_gone_is_an_error(tmp_path: Path) -> None:
    suite = "result='Failed' site='Child'><failure><message>One or more child tests had errors"
    suite += "</message></failure"
    tests = read_nunit(tmp_path, nunit_run("result='Failed'", suite, PASSED))
    message = (
        "NUnit recorded this suite as Failed, but no test in it failed: "
        "One or more child tests had errors"
    )
    # the suite's error explains the run above it: one error, not two
    assert table(tests)[1:] == [("Shop.CartTests", "Shop.CartTests", "[suite]", S.ERROR, message)]


@pytest.mark.parametrize(
    ("run", "suite", "cases"),
    [
        ("result='Failed'", "result='Failed' site='Child'", PASSED + FAILED),
        ("result='Failed(Child)'", "result='Failed' site='Child'", FAILED),  # NUnit 3.0
        ("result='Passed'", "result='Passed'", PASSED),
        ("result='Skipped'", "result='Skipped' label='Ignored'", ""),
        # a OneTimeSetUp that threw: each case says so, at site Parent
        (
            "result='Failed'",
            "result='Failed' label='Error' site='SetUp'",
            "<test-case name='a' result='Failed' label='Error' site='Parent'/>",
        ),
    ],
)
def test_nunit_a_suite_failure_its_cases_show_adds_nothing(
    tmp_path: Path, run: str, suite: str, cases: str
) -> None:
    tests = read_nunit(tmp_path, nunit_run(run, suite, cases))
    assert "[" not in "".join(t.name for t in tests)


def test_nunit_a_parent_failure_is_the_parents_to_report(tmp_path: Path) -> None:
    # NUnit writes a parameterised method under a fixture that could not be built as
    # failed at site Parent, with its cases beside it (NUnit-issue44527.xml in the corpus).
    report = """<test-run result='Failed'>
      <test-suite type='TestFixture' fullname='F' result='Failed' label='Invalid' site='SetUp'>
        <failure><message>No suitable constructor was found</message></failure>
        <test-suite type='ParameterizedMethod' fullname='F.M' result='Failed' label='Invalid'
                    site='Parent'/>
        <test-case name='M(1)' classname='F' result='Failed' label='Invalid' site='Parent'/>
      </test-suite></test-run>"""
    assert [(t.name, t.status) for t in read_nunit(tmp_path, report)] == [("M(1)", S.ERROR)]


def test_nunit2_a_suite_that_failed_over_passing_cases_is_an_error(tmp_path: Path) -> None:
    report = """<test-results total="4" failures="1">
      <test-suite name="Tests.dll" success="False"><results>
        <test-suite name="UnitTests" success="False"><results>
          <test-case name="UnitTests.Main.A" executed="True" success="True"/>
        </results></test-suite>
      </results></test-suite></test-results>"""
    tests = read_nunit(tmp_path, report)
    message = "NUnit recorded this suite as failed, but no test in it failed"
    assert table(tests)[1:] == [("UnitTests", "UnitTests", "[suite]", S.ERROR, message)]


def test_nunit_only_the_first_failure_of_a_suite_is_kept(tmp_path: Path) -> None:
    many = "".join(f"<failure><message>m{i}</message></failure>" for i in range(1000))
    suite = f"result='Failed' site='TearDown'>{many}<reason><message>r</message></reason"
    (_, error) = read_nunit(tmp_path, nunit_run("result='Failed'", suite, PASSED))
    assert error.message == "m0"


def test_nunit_a_suite_result_outside_the_set_is_refused_at_its_end(tmp_path: Path) -> None:
    report = "<test-run result='Passed'>\n<test-suite result='Pased'>\n</test-suite></test-run>"
    with pytest.raises(EvidenceError, match=r"r.xml:3:1: the suite's result is 'Pased'"):
        read_nunit(tmp_path, report)


def read_junit(tmp_path: Path, content: str) -> tuple[TestResult, ...]:
    path = tmp_path / "r.xml"
    path.write_text(content, encoding="utf-8")
    return junit.parse(path, "r.xml").tests


def test_junit_a_suite_level_error_is_an_error_of_its_suite(tmp_path: Path) -> None:
    # As Ant writes a test class that failed to load (jenkins junit-report-6700.xml),
    # here beside a case that passed.
    report = """<testsuite name="shop.CartTest" tests="2" errors="1" failures="0">
      <properties><property name="java.version" value="17"/></properties>
      <testcase classname="shop.CartTest" name="addsItem" time="0.01"/>
      <error message="shop/Db" type="java.lang.NoClassDefFoundError">java.lang...</error>
    </testsuite>"""
    assert table(read_junit(tmp_path, report)) == [
        ("shop.CartTest", "shop.CartTest", "addsItem", S.PASSED, None),
        ("shop.CartTest", "shop.CartTest", "[suite error]", S.ERROR, "shop/Db"),
    ]


def test_junit_a_suite_level_failure_of_a_nested_suite_or_the_root(tmp_path: Path) -> None:
    report = """<testsuites><testsuite name="outer"><testsuite name="inner">
        <testcase name="a"/><failure type="AssertionError">
          teardown threw
        </failure></testsuite>
        <testcase name="b"/></testsuite><error/></testsuites>"""
    assert table(read_junit(tmp_path, report)) == [
        ("inner", "", "a", S.PASSED, None),
        ("inner", "inner", "[suite failure]", S.ERROR, "teardown threw"),
        ("outer", "", "b", S.PASSED, None),
        ("", "", "[suite error]", S.ERROR, "the suite's own <error>, without a message"),
    ]


def test_junit_a_failure_inside_a_case_stays_the_case_s(tmp_path: Path) -> None:
    report = """<testsuite name="s"><testcase name="a"><system-out>log</system-out>
        <failure message="boom"/></testcase></testsuite>"""
    assert table(read_junit(tmp_path, report)) == [("s", "", "a", S.FAILED, "boom")]


def test_junit_suite_counters_are_not_held_against_the_cases(tmp_path: Path) -> None:
    # Real writers' counters disagree with their cases (Surefire counts every rerun in
    # failures: jenkins gh-237/TEST-io.olamy.AlwaysFailTest.xml says 4 for 1 failing case),
    # so a count cannot be refused; what is counted is the cases that are there.
    report = """<testsuite name="s" tests="3" failures="4" errors="2">
        <testcase name="a"><failure message="x"/></testcase><testcase name="b"/></testsuite>"""
    assert [t.status for t in read_junit(tmp_path, report)] == [S.FAILED, S.PASSED]


def test_junit_a_lone_rerun_failure_is_read_as_a_flaky_pass(tmp_path: Path) -> None:
    # Surefire's schema lets every child of a case occur zero times: a rerunFailure
    # without the failure it follows is not invalid, so it is read as junitparser reads it.
    report = """<testsuite name="s"><testcase name="a">
        <rerunFailure message="x"><stackTrace>t</stackTrace></rerunFailure>
        </testcase></testsuite>"""
    [case] = read_junit(tmp_path, report)
    assert (case.status, case.flaky, case.reruns) == (S.PASSED, True, 1)


def go_failures(tmp_path: Path, name: str, content: str) -> dict[str, tuple[str, ...]]:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return {m.label: m.failures for m in parse_file(path, name, "go-bench").metrics}


GO_HEAD = "goos: linux\ngoarch: amd64\npkg: example.com/p\n"
TIMEOUT = "panic: test timed out after 10m0s"


@pytest.mark.parametrize(
    "tail",
    [
        # the test binary run on its own: no FAIL line after Go's record of the crash
        f"{TIMEOUT}\nrunning tests:\n\tBenchmarkY (10m0s)\n\ngoroutine 7 [running]:\n",
        f"{TIMEOUT}\nexit status 2\nFAIL\texample.com/p\t600.1s\n",  # go test's own
        # stdout and stderr in one log: the panic after the next benchmark's name
        f"BenchmarkY-8   \t{TIMEOUT}\n",
    ],
)
def test_go_a_panic_after_the_results_fails_the_package_s_series(tmp_path: Path, tail: str) -> None:
    found = go_failures(
        tmp_path, "go.txt", GO_HEAD + "BenchmarkX-8   \t1000\t  1000 ns/op\n" + tail
    )
    assert found == {"BenchmarkX{pkg:example.com/p,procs:8}": (TIMEOUT,)}


def test_go_a_fatal_error_fails_the_series_beside_a_failed_benchmark(tmp_path: Path) -> None:
    text = (
        GO_HEAD + "BenchmarkX-8 \t 100\t 10 ns/op\n--- FAIL: BenchmarkZ\n"
        "fatal error: concurrent map writes\n\ngoroutine 1 [running]:\n"
    )
    found = go_failures(tmp_path, "go.txt", text)
    crash = "fatal error: concurrent map writes"
    assert found == {
        "BenchmarkX{pkg:example.com/p,procs:8}": (crash,),
        "BenchmarkZ{pkg:example.com/p,procs:1}": ("--- FAIL: BenchmarkZ", crash),
    }


def test_go_a_panic_in_test2json_output_fails_its_package_only(tmp_path: Path) -> None:
    def event(package: str, **fields: str) -> str:
        return json.dumps({"Package": package, **fields}) + "\n"

    events = [
        event("a", Action="output", Output="pkg: a\n"),
        event("a", Action="output", Output="BenchmarkA-2 \t 100\t 10 ns/op\n"),
        event("b", Action="output", Output="pkg: b\n"),
        event("b", Action="output", Output="BenchmarkB-2 \t 100\t 10 ns/op\n"),
        event("a", Action="output", Output="panic: boom [recovered]\n", Test="BenchmarkA"),
        event("a", Action="output", Output="\tpanic: boom\n", Test="BenchmarkA"),
        event("b", Action="pass"),
        event("a", Action="pass"),  # the end event is not what decides
    ]
    found = go_failures(tmp_path, "go.json", "".join(events))
    assert found == {
        "BenchmarkA{pkg:a,procs:2}": ("panic: boom [recovered]",),
        "BenchmarkB{pkg:b,procs:2}": (),
    }


def test_go_a_panic_after_a_package_ended_is_not_that_package_s(tmp_path: Path) -> None:
    # go test ./... : package a passed, then package b's init panicked before its header.
    text = (
        GO_HEAD.replace("example.com/p", "a") + "BenchmarkA-8 \t 100\t 10 ns/op\nPASS\n"
        "ok  \ta\t0.1s\npanic: init\n\ngoroutine 1 [running]:\nFAIL\tb\t0.003s\n"
    )
    assert go_failures(tmp_path, "go.txt", text) == {"BenchmarkA{pkg:a,procs:8}": ()}


def test_go_a_logged_line_that_mentions_a_panic_is_output(tmp_path: Path) -> None:
    text = GO_HEAD + "BenchmarkX-8 \t 100\t 10 ns/op\n    x_test.go:9: panic: not really\n"
    assert go_failures(tmp_path, "go.txt", text) == {"BenchmarkX{pkg:example.com/p,procs:8}": ()}


MATRIX = """\
version: 1
project: T
phases:
  - {id: stone, name: Stone}
artifacts:
  evidence: {format: FORMAT, paths: "reports/FILE"}
swimlanes:
  - id: core
    name: Core
    cells:
      stone:
        goal: g
        benchmarks:
          - id: b
            CRITERION
"""
GO_CRITERION = 'metric: {from: evidence, name: "BenchmarkX"}\n            threshold: "avg < 1ms"'
JUNIT_SUITE_ERROR = (
    '<testsuite name="s"><testcase classname="c" name="ok"/>'
    '<error message="BeforeAll threw"/></testsuite>\n'
)


@pytest.mark.parametrize(
    ("fmt", "file", "content", "criterion"),
    [
        ("trx", "run.trx", TRX_CRASH, "tests: {from: evidence}"),
        ("nunit", "r.xml", NUNIT_TEARDOWN, "tests: {from: evidence}"),
        ("junit", "r.xml", JUNIT_SUITE_ERROR, "tests: {from: evidence, min: 1}"),
        (
            "go-bench",
            "go.txt",
            GO_HEAD + f"BenchmarkX-8 \t1000\t 1000 ns/op\n{TIMEOUT}\n",
            GO_CRITERION,
        ),
    ],
)
@pytest.mark.parametrize("declared", [True, False])
def test_the_review_s_reproductions_fail_the_gate(
    tmp_path: Path, fmt: str, file: str, content: str, criterion: str, declared: bool
) -> None:
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / file).write_text(content, encoding="utf-8")
    matrix = tmp_path / "m.yml"
    text = MATRIX.replace("FORMAT", fmt if declared else "auto").replace("FILE", file)
    matrix.write_text(text.replace("CRITERION", criterion), encoding="utf-8")
    assert main(["check", "--matrix", str(matrix), "--dry-run", "--format", "none"]) == 1
