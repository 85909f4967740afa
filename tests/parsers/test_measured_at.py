"""Each format's own record of when it measured, read from real files (``measured_at``).

A time with its zone is that moment; a zone-less one is some zone's local time, read as the
earliest moment it can name (UTC+14's: 14 hours before the same digits in UTC), never from
the future; pytest-benchmark's and SARIF's zone-less times are UTC by their writers' code.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from gatekeeper.parsers import parse_file
from gatekeeper.parsers._times import report_time

JUNIT = "tests/corpus/junit"
FIXTURES = "tests/parsers/fixtures"
NUNIT3 = f"{JUNIT}/publish-unit-test-result-action/python/test/files/nunit/nunit3/jenkins"

CASES = [
    # JUnit: the oldest suite's timestamp, zone-less (2013-05-24T10:23:58) as UTC+14's
    (f"{JUNIT}/junitparser/tests/data/normal.xml", "junit", "2013-05-23T20:23:58+00:00"),
    (f"{JUNIT}/action-junit-report/test_results/nextest/basic.xml", "junit",
     "2024-12-02T20:06:10.512000+00:00"),
    (f"{FIXTURES}/trx/results.trx", "trx", "2024-03-02T10:11:15+00:00"),  # Times@finish
    (f"{JUNIT}/test-results-parser/tests/data/mstest/testresults.trx", "trx",
     "2023-11-13T00:21:51.815454+00:00"),
    (f"{FIXTURES}/nunit/nunit2.xml", "nunit", "2014-03-01T20:11:12+00:00"),  # date + time
    (f"{NUNIT3}/NUnit-issue48478.xml", "nunit", "2017-12-15T18:14:54+00:00"),  # end-time
    (f"{FIXTURES}/nunit/nunit3.xml", "nunit", None),  # a test-run without its times
    (f"{FIXTURES}/real/pytest-benchmark.json", "pytest-benchmark",
     "2026-11-26T06:07:34.798557+00:00"),
    ("tests/corpus/bench/google-benchmark/googlecpp_output.json", "google-benchmark",
     "2019-11-29T07:26:59+00:00"),  # context.date, local time without a zone
    (f"{FIXTURES}/coverage-json/coveragepy-branch.json", "coverage-json",
     "2026-12-03T05:45:50.450289+00:00"),  # meta.timestamp: datetime.now(), zone-less
    (f"{FIXTURES}/cobertura/coveragepy-branch.xml", "cobertura",
     "2026-12-03T19:45:50.377000+00:00"),  # milliseconds since 1970 (coverage.py)
    (f"{FIXTURES}/cobertura/gcovr.xml", "cobertura", "2026-12-03T19:48:45+00:00"),  # seconds
    (f"{FIXTURES}/jacoco/groups.xml", "jacoco", "2025-12-03T13:53:24+00:00"),  # dump
    (f"{FIXTURES}/sarif/bandit.sarif", "sarif", "2026-12-03T21:02:10+00:00"),  # endTimeUtc
    (f"{FIXTURES}/sarif/ruff.sarif", "sarif", None),  # no invocation says when
    (f"{FIXTURES}/k6-ndjson/old-field-order.ndjson", "k6-ndjson",
     "2017-05-09T12:34:46.625742+00:00"),  # the last sample's time
    ("tests/corpus/bench/k6-ndjson/ticket-reserve_output.ndjson", "k6-ndjson",
     "2024-08-05T08:24:42.672887+00:00"),
    (f"{FIXTURES}/xunit-net/v2.xml", "xunit-net", "2024-03-01T20:11:12+00:00"),  # run-date
    (f"{FIXTURES}/testng/retries.xml", "testng", "2024-03-02T10:11:20+00:00"),  # "… UTC"
    (f"{JUNIT}/test-results-parser/tests/data/testng/single-suite.xml", "testng",
     "2015-03-10T06:11:58+00:00"),  # the oldest suite's finished-at, with Z
    (f"{JUNIT}/test-results-parser/tests/data/testng/single-suite-multiple-tests.xml",
     "testng", "2021-09-01T20:48:51+00:00"),  # "… IST": ambiguous, read as zone-less
    ("tests/corpus/bench/jmeter-jtl/jmeter_HTMLReportTestFile.csv", "jmeter",
     "2019-03-05T11:01:27.376000+00:00"),  # the latest sample's end
    ("tests/corpus/bench/jmeter-jtl/jmeter_BatchTestLocal.xml", "jmeter", None),
    ("tests/corpus/bench/gatling/gatling-3.8.3_kata_assertions.json", "gatling",
     "2023-05-15T14:50:09.919000+00:00"),  # the simulation's start
    ("tests/corpus/bench/gatling/gatling-3.8.3_kata_stats.json", "gatling", None),
    (f"{FIXTURES}/locust/locust-2.47_stats_history.csv", "locust",
     "2026-11-26T06:34:41+00:00"),  # the last row's Timestamp
    (f"{FIXTURES}/hyperfine/commands.json", "hyperfine", None),
    (f"{FIXTURES}/locust/locust-2.47_stats.csv", "locust", None),
    (f"{FIXTURES}/lcov/gcovr.info", "lcov", None),
    (f"{FIXTURES}/go-bench/count2.txt", "go-bench", None),
]  # fmt: skip


@pytest.mark.parametrize(
    ("path", "fmt", "expected"), CASES, ids=[f"{c[1]}:{Path(c[0]).name}" for c in CASES]
)
def test_the_time_a_real_file_records(path: str, fmt: str, expected: str | None) -> None:
    parsed = parse_file(Path(path), path, fmt)
    assert parsed.time_error is None
    moment = parsed.measured_at
    assert (moment.isoformat() if moment else None) == expected
    assert moment is None or moment.utcoffset() == dt.timedelta(0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2017-05-25 12:57:43Z", "2017-05-25T12:57:43+00:00"),
        ("2022-07-13T23:20:35.0612744Z", "2022-07-13T23:20:35.061274+00:00"),
        ("2024-05-21T13:09:23.747+02:00", "2024-05-21T11:09:23.747000+00:00"),
        ("2021-01-24T19:22:19 UTC", "2021-01-24T19:22:19+00:00"),
        ("Sat, 03 Dec 2022 23:10:07 GMT", "2022-12-03T23:10:07+00:00"),
        ("06/07/2018 20:33:39", "2018-06-07T06:33:39+00:00"),  # US local, zone-less
        ("20220623 12:41:36.340", "2022-06-22T22:41:36.340000+00:00"),  # Robot's
        ("2024-01-03", "2024-01-02T10:00:00+00:00"),  # a day: its start, the earliest zone
        ("2024-01-03T 12:40:13", "2024-01-02T22:40:13+00:00"),
        ("0001-01-01 00:00:00Z", None),  # .NET's DateTime.MinValue: no time
        ("", None),
    ],
)
def test_every_real_spelling_of_a_test_reports_time(text: str, expected: str | None) -> None:
    moment = report_time(text)
    assert (moment.isoformat() if moment else None) == expected


@pytest.mark.parametrize("text", ["yesterday", "YYYY-MM-DDTHH:MM:SS", "2018-38-06T02:38:04"])
def test_a_garbled_time_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="is not"):
        report_time(text)


def test_a_garbled_json_time_names_its_key(tmp_path: Path) -> None:
    source = json.loads(Path(f"{FIXTURES}/real/pytest-benchmark.json").read_text("utf-8"))
    source["datetime"] = "soon"
    path = tmp_path / "bench.json"
    path.write_text(json.dumps(source), encoding="utf-8")
    parsed = parse_file(path, "bench.json", "pytest-benchmark")
    assert parsed.measured_at is None
    assert parsed.time_error == "bench.json: datetime: 'soon' is not an ISO 8601 date and time"
    assert parsed.metrics  # the rest of the file is read: only a max_age needs the time


def test_a_junit_files_suites_give_their_oldest_time(tmp_path: Path) -> None:
    path = tmp_path / "junit.xml"
    path.write_text(
        '<testsuites timestamp="2026-01-03T00:00:00Z">'
        '<testsuite name="a" timestamp="2026-01-02T00:00:00Z"><testcase name="x"/></testsuite>'
        '<testsuite name="b" timestamp="2026-01-01T00:00:00Z"><testcase name="y"/></testsuite>'
        "</testsuites>",
        encoding="utf-8",
    )
    parsed = parse_file(path, "junit.xml", "junit")
    assert parsed.measured_at == dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
