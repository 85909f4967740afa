"""A value outside the closed set a tool writes is refused where it is, never defaulted (N3).

Each case takes a real file, puts a misspelt value where the tool writes one of a fixed
set, and expects an EvidenceError naming the key path (JSON) or the record's line and
column (XML). Read as a default, such a value dropped a measurement, made a failed case
pass, or read milliseconds as plain numbers. TRX, NUnit, xUnit.net and TestNG have the
same test beside their other tests; BenchmarkDotNet and test2json in test_broken_records.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence import TestStatus
from gatekeeper.parsers import parse_file

FIXTURES = Path(__file__).resolve().parent / "fixtures"
KMTA = Path(__file__).resolve().parents[2] / "examples" / "kmta" / "reports"


def refusal(path: Path, fmt: str) -> str:
    with pytest.raises(EvidenceError) as caught:
        parse_file(path, path.name, fmt)
    return str(caught.value)


def with_value(tmp_path: Path, source: Path, keys: tuple[str | int, ...], value: object) -> Path:
    """A copy of a JSON file with the value at ``keys`` replaced."""
    document = json.loads(source.read_text(encoding="utf-8"))
    holder = document
    for key in keys[:-1]:
        holder = holder[key]
    holder[keys[-1]] = value
    path = tmp_path / source.name
    path.write_text(json.dumps(document, indent=1), encoding="utf-8")
    return path


JSON_CASES = [
    # (format, file, key path to the value, misspelt value, what the error says)
    (
        "google-benchmark",
        FIXTURES / "google-benchmark/repetitions.json",
        ("benchmarks", 3, "run_type"),
        "agregate",
        'benchmarks[3].run_type: expected one of iteration, aggregate, got "agregate"',
    ),
    (
        "google-benchmark",
        FIXTURES / "google-benchmark/repetitions.json",
        ("benchmarks", 6, "aggregate_unit"),
        "percentag",
        'benchmarks[6].aggregate_unit: expected one of time, percentage, got "percentag"',
    ),
    (
        "google-benchmark",
        FIXTURES / "google-benchmark/repetitions.json",
        ("benchmarks", 21, "error_occurred"),
        "true",
        'benchmarks[21].error_occurred: expected true or false, got "true"',
    ),
    (
        "jmh",
        FIXTURES / "jmh/modes.json",
        (1, "mode"),
        "thrpy",
        '[1].mode: expected one of thrpt, avgt, sample, ss, got "thrpy"',
    ),
    (
        "jmh",
        FIXTURES / "jmh/modes.json",
        (2, "primaryMetric", "scoreUnit"),
        "ns/oq",
        "[2].primaryMetric.scoreUnit: expected one of ops/ns, ops/us, ops/ms, ops/s, ops/min,",
    ),
    (
        "k6",
        KMTA / "k6/campaigns-summary.json",
        ("metrics", "http_req_duration", "contains"),
        "tine",
        'metrics.http_req_duration.contains: expected one of default, time, data, got "tine"',
    ),
    (
        "gatling",
        FIXTURES / "gatling/stats-groups.json",
        ("contents", "req_home-5", "type"),
        "REQUESR",
        "(top level).contents.req_home-5.type: expected one of GROUP, REQUEST,",
    ),
]


@pytest.mark.parametrize(
    ("fmt", "source", "keys", "value", "says"), JSON_CASES, ids=[c[4][:30] for c in JSON_CASES]
)
def test_a_json_value_outside_the_tools_set_names_its_key_path(
    tmp_path: Path, fmt: str, source: Path, keys: tuple[str | int, ...], value: object, says: str
) -> None:
    path = with_value(tmp_path, source, keys, value)
    assert refusal(path, fmt).startswith(f"{path.name}: {says}")


def test_the_json_cases_hold_values_of_the_set_before_they_are_misspelt() -> None:
    for _, source, keys, value, _ in JSON_CASES:
        holder = json.loads(source.read_text(encoding="utf-8"))
        for key in keys:
            holder = holder[key]
        assert holder != value and isinstance(holder, (str, bool)), (source, keys)


def test_junit_status_attribute_outside_the_known_words(tmp_path: Path) -> None:
    # a case without children is judged by its status attribute: 'faile' read as a pass
    text = (FIXTURES / "handmade/nested-suites.xml").read_text(encoding="utf-8")
    assert 'status="disabled"' in text
    path = tmp_path / "nested.xml"
    path.write_text(text.replace('status="disabled"', 'status="disablde"'), encoding="utf-8")
    line = text[: text.index('status="disabled"')].count("\n") + 1
    assert refusal(path, "junit").startswith(
        f"nested.xml:{line}:5: the test case's status attribute is 'disablde', expected one of"
    )


@pytest.mark.parametrize(
    ("word", "status"),
    [
        ("Success", TestStatus.PASSED),
        ("NotRunnable", TestStatus.ERROR),
        ("run", TestStatus.PASSED),
        ("", TestStatus.PASSED),  # written empty, it says nothing: the children decide
    ],
)
def test_junit_status_words_of_the_known_writers(
    tmp_path: Path, word: str, status: TestStatus
) -> None:
    path = tmp_path / "words.xml"
    path.write_text(f'<testsuite><testcase name="a" status="{word}"/></testsuite>')
    [case] = parse_file(path, "words.xml", "junit").tests
    assert case.status is status


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        (
            '<OverallResult success="false"',
            '<OverallResult success="flase"',
            "OverallResult success is 'flase', expected one of true, false, 1, 0",
        ),
        (
            '<OverallResult success="true" skips="0"',
            '<OverallResult success="true" skips="O"',
            "OverallResult skips is 'O', expected a count",
        ),
    ],
)
def test_catch2_xml_attribute_outside_its_set(
    tmp_path: Path, old: str, new: str, says: str
) -> None:
    text = (FIXTURES / "catch2/catch2-v3.7.1.xml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "catch.xml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    before = text[: text.index(old)]
    case_line = before[: before.rindex("<TestCase")].count("\n") + 1
    assert refusal(path, "catch2").startswith(f"catch.xml:{case_line}:")
    assert says in refusal(path, "catch2")
