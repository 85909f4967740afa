"""JUnit XML: reports written by real pytest, nested suites, statuses, times, messages."""

from __future__ import annotations

import subprocess
import sys
import tracemalloc
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from gatekeeper.evidence import TestResult, TestStatus
from gatekeeper.parsers.testresults import junit

FIXTURES = Path(__file__).resolve().parent / "fixtures"

S = TestStatus


def parse(path: Path) -> list[TestResult]:
    return list(junit.parse(path, path.name).tests)


def by_name(tests: list[TestResult]) -> dict[str, TestResult]:
    return {t.name: t for t in tests}


@pytest.mark.parametrize("family", ["xunit1", "xunit2"])
def test_real_pytest_report(family: str) -> None:
    parsed = junit.parse(FIXTURES / "real" / f"pytest-{family}.xml", f"pytest-{family}.xml")
    assert parsed.format == "junit"
    assert parsed.path == f"pytest-{family}.xml"
    cases = by_name(list(parsed.tests))
    assert {name: case.status for name, case in cases.items()} == {
        "test_passes": S.PASSED,
        "test_fails": S.FAILED,
        "test_errors_in_setup": S.ERROR,
        "test_skipped": S.SKIPPED,
        "test_expected_failure": S.SKIPPED,  # pytest reports xfail as skipped
        "test_inside_class": S.PASSED,
    }
    assert {case.suite for case in cases.values()} == {"sample"}
    assert cases["test_inside_class"].classname == "test_sample.TestParser"
    assert cases["test_fails"].message == "AssertionError: arithmetic is broken"
    assert cases["test_errors_in_setup"].message == (
        'failed on setup with "RuntimeError: database is down"'
    )
    assert cases["test_skipped"].message == "needs a GPU"
    assert cases["test_passes"].message is None
    assert all(case.duration is not None and case.duration >= 0 for case in cases.values())
    assert all(case.source == f"pytest-{family}.xml" for case in cases.values())


def test_xunit1_family_carries_file_and_line() -> None:
    cases = by_name(parse(FIXTURES / "real" / "pytest-xunit1.xml"))
    assert cases["test_fails"].file == "test_sample.py"
    # pytest writes the 0-based line of the `def`; the parser passes it on unchanged.
    assert cases["test_passes"].line == 8
    assert cases["test_fails"].line == 12
    xunit2 = by_name(parse(FIXTURES / "real" / "pytest-xunit2.xml"))
    assert xunit2["test_fails"].file is None
    assert xunit2["test_fails"].line is None


def test_nested_suites_count_each_case_once() -> None:
    tests = parse(FIXTURES / "handmade" / "nested-suites.xml")
    assert [(t.suite, t.name) for t in tests] == [
        ("outer", "first"),
        ("middle", "second"),
        ("inner", "third"),
        ("outer", "fourth"),
        ("sibling", "fifth"),
        ("sibling", "sixth"),
    ]
    cases = by_name(tests)
    assert [cases[n].status for n in ("first", "second", "third", "fourth", "fifth", "sixth")] == [
        S.PASSED,
        S.FAILED,
        S.SKIPPED,
        S.PASSED,
        S.PASSED,
        S.SKIPPED,  # status="disabled" and no result element: not run, so not a pass
    ]
    # file: the case's own, else the innermost enclosing suite that names one
    assert cases["first"].file == "tests/outer_test.py"
    assert cases["second"].file == "tests/outer_test.py"
    assert cases["third"].file == "tests/inner_test.py"
    assert cases["fifth"].file == "tests/sibling_test.py"
    assert cases["fifth"].line == 12
    assert cases["sixth"].file is None
    assert cases["second"].message == "expected 2, got 3"


def test_times_with_separators_and_junk() -> None:
    cases = by_name(parse(FIXTURES / "handmade" / "nested-suites.xml"))
    assert cases["first"].duration == 0.5
    assert cases["second"].duration == 1234.5
    assert cases["third"].duration == 0.25
    assert cases["fourth"].duration is None
    assert cases["fifth"].duration is None


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("2,503.1", 2503.1),
        ("1,234", 1234.0),
        ("0,288", 0.288),
        ("8.7e-05", 8.7e-05),
        (" 3 ", 3.0),
        ("<<computed>>", None),
        ("11:18:43", None),
        ("-999.88", None),
        ("nan", None),
        ("inf", None),
        ("", None),
    ],
)
def test_time_attribute(tmp_path: Path, text: str, seconds: float | None) -> None:
    report = tmp_path / "t.xml"
    report.write_text(f'<testsuite><testcase name="t" time="{escape(text)}"/></testsuite>')
    assert parse(report)[0].duration == seconds


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("12", 12),
        (" 7 ", 7),
        ("0", 0),
        ("-3", None),
        ("²", None),
        ("12.5", None),
        ("9" * 5000, None),
    ],
)
def test_line_attribute(tmp_path: Path, text: str, line: int | None) -> None:
    report = tmp_path / "l.xml"
    report.write_text(
        f'<testsuite><testcase name="t" line="{text}"/></testsuite>', encoding="utf-8"
    )
    assert parse(report)[0].line == line


def test_status_precedence_error_failure_skipped(tmp_path: Path) -> None:
    report = tmp_path / "multi.xml"
    report.write_text(
        "<testsuite name='s'>"
        "<testcase name='all'><skipped/><failure message='f'/><error message='e'/></testcase>"
        "<testcase name='fail-skip'><skipped message='s'/><failure message='f'/></testcase>"
        "<testcase name='skip'><skipped/></testcase>"
        "<testcase name='pass'/>"
        "</testsuite>"
    )
    cases = by_name(parse(report))
    assert (cases["all"].status, cases["all"].message) == (S.ERROR, "e")
    assert (cases["fail-skip"].status, cases["fail-skip"].message) == (S.FAILED, "f")
    assert (cases["skip"].status, cases["skip"].message) == (S.SKIPPED, None)
    assert cases["pass"].status is S.PASSED


def test_message_is_first_line_trimmed(tmp_path: Path) -> None:
    report = tmp_path / "m.xml"
    long = "x" * 800
    report.write_text(
        "<testsuite>"
        "<testcase name='text'><failure>\n\n   first line  \nsecond line</failure></testcase>"
        f"<testcase name='long'><error message='{long}'/></testcase>"
        "</testsuite>"
    )
    cases = by_name(parse(report))
    assert cases["text"].message == "first line"
    assert cases["long"].message == "x" * 500


def test_namespaced_report_keeps_its_failures(tmp_path: Path) -> None:
    report = tmp_path / "ns.xml"
    report.write_text(
        '<testsuites xmlns="urn:example"><testsuite name="s">'
        '<testcase name="a"><failure message="boom"/></testcase>'
        "</testsuite></testsuites>"
    )
    [case] = parse(report)
    assert (case.suite, case.status, case.message) == ("s", S.FAILED, "boom")


def test_report_without_cases_is_empty_not_an_error(tmp_path: Path) -> None:
    report = tmp_path / "empty.xml"
    report.write_text('<testsuites><testsuite name="s" tests="6" failures="1"/></testsuites>')
    assert parse(report) == []


def _streaming_peak(report: Path, cases: int) -> int:
    body = "".join(
        f'<testcase name="t{i}" classname="c{i}"><failure message="m{i}">{"o" * 50}</failure>'
        f"<system-out>{'o' * 50}</system-out></testcase>"
        for i in range(cases)
    )
    report.write_text(f"<testsuites><testsuite name='s'>{body}</testsuite></testsuites>")
    tracemalloc.start()
    try:
        streamed = junit.stream_tests(report, "big.xml", lambda test: None)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        assert streamed.test_count == cases and streamed.tests == ()


def test_the_stream_keeps_nothing_of_a_case_once_handed_over(tmp_path: Path) -> None:
    # both past the bounded table of class names the stream shares
    small = _streaming_peak(tmp_path / "small.xml", 10_000)
    large = _streaming_peak(tmp_path / "large.xml", 40_000)
    assert large < small + 64 * 1024, (small, large)  # flat, not 4x


def test_reading_a_report_imports_neither_junitparser_nor_lxml(tmp_path: Path) -> None:
    report = tmp_path / "r.xml"
    report.write_text('<testsuite name="s"><testcase name="t"><failure/></testcase></testsuite>')
    code = (
        "import sys; from pathlib import Path; from gatekeeper.parsers.testresults import junit;"
        f"junit.parse(Path({str(report)!r}), 'r.xml');"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('junitparser', 'lxml')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
