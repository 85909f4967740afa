"""Catch2's XML reporter output (``-r xml``) and its console output's benchmark table.

XML: Catch2 v2 writes ``<Catch><Group>``, v3 ``<Catch2TestRun>``; both hold ``<TestCase>``
elements with an ``<OverallResult>`` and, for each BENCHMARK, a ``<BenchmarkResults>``
whose mean and standard deviation are in nanoseconds. A benchmark is named as written in
the source and tagged with its test case; it also answers to its path, ``test case/
section/.../benchmark``. Every benchmark carries that one tag, so a plain selector finds
a name in any test case or section. A benchmark that threw has a ``<failed>`` child and
keeps no statistics, even where Catch2 v2 still calls its test case a success; that, and a
test case that failed around its benchmarks, is a failure the tool recorded for them.

Console (the default reporter; see ``_catch2_console``): the same statistics, read from
the table Catch2 prints, under the same names. The table's rows do not carry their test
case, so these series have no tag and no path: a selector by benchmark name (``fib 15``)
reads either output. Test results come from the XML only; the console's totals are
ignored.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from xml.etree.ElementTree import Element

from gatekeeper.errors import EvidenceError, Position
from gatekeeper.evidence import Metric, ParsedFile, SeriesRequest, TestResult, TestStatus
from gatekeeper.parsers import SNIFF_BYTES, _xml
from gatekeeper.parsers.bench import _catch2_console
from gatekeeper.units import Dimension, Quantity

NAME = "catch2"

_LAYOUT = _xml.Layout("a Catch2 XML report", ("Catch", "Catch2TestRun"), frozenset({"TestCase"}))
_NS = 1e-9
# <element attribute> -> statistic, all in nanoseconds.
_TIMES = {
    ("mean", "value"): "avg",
    ("mean", "lowerBound"): "avg_low",
    ("mean", "upperBound"): "avg_high",
    ("standardDeviation", "value"): "stddev",
    ("standardDeviation", "lowerBound"): "stddev_low",
    ("standardDeviation", "upperBound"): "stddev_high",
}
_OUTLIERS = ("lowMild", "lowSevere", "highMild", "highSevere")
_ERRORS = frozenset({"Exception", "FatalErrorCondition"})

Record = tuple[TestResult, list[Metric]]


def detect(head: bytes) -> bool:
    """The root element is Catch2's ``<Catch>`` (v2) or ``<Catch2TestRun>`` (v3), or the
    text has the console's benchmark table header."""
    return _xml.root_name(head) in _LAYOUT.roots or _catch2_console.detect(head)


def parse(path: Path, display: str, wanted: Sequence[SeriesRequest] = ()) -> ParsedFile:
    """Every test case as a test result and every benchmark as a metric."""
    if not _looks_like_xml(path, display):
        metrics = _catch2_console.read(path, display)
        return ParsedFile(path=display, format=NAME, metrics=metrics)
    records = _xml.read_records(path, display, _LAYOUT, lambda e, a: _record(e, a, display))
    tests = tuple(test for test, _ in records)
    metrics = tuple(metric for _, found in records for metric in found)
    return ParsedFile(path=display, format=NAME, tests=tests, metrics=metrics)


def _looks_like_xml(path: Path, display: str) -> bool:
    """A first character '<' (or a UTF-16 byte order mark): read as XML, else as text."""
    try:
        with path.open("rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError as exc:
        raise EvidenceError(Position(display), f"cannot read: {exc.strerror or exc}") from exc
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    return head.removeprefix(b"\xef\xbb\xbf").lstrip()[:1] == b"<"


def _record(case: Element, ancestors: Sequence[Element], display: str) -> Record:
    name = case.get("name", "")
    outcome = _xml.child(case, "OverallResult")
    status, message = _status(case, outcome)
    test = TestResult(
        suite=ancestors[-1].get("name", "") if ancestors else "",
        classname="",
        name=name,
        file=case.get("filename"),
        line=_xml.whole_number(case.get("line")),
        status=status,
        duration=_xml.seconds(outcome.get("durationInSeconds")) if outcome is not None else None,
        message=message,
        source=display,
    )
    metrics: list[Metric] = []
    failed = status in (TestStatus.FAILED, TestStatus.ERROR)
    around = (f"test case {name!r} {status.value}: {message or 'no message'}",) if failed else ()
    _benchmarks(case, (name, around), (), display, metrics)
    return test, metrics


def _status(case: Element, outcome: Element | None) -> tuple[TestStatus, str | None]:
    if outcome is None:
        return TestStatus.ERROR, "Catch2 wrote no OverallResult for this test case"
    if not _success(outcome):
        for element in case.iter():
            tag = _xml.local(element.tag)
            if tag in _ERRORS:
                return TestStatus.ERROR, _xml.first_line(element.text)
            if tag == "Failure" or (tag == "Expression" and not _success(element)):
                return TestStatus.FAILED, _failure_message(element)
        return TestStatus.FAILED, None
    written = outcome.get("skips")
    skips = _xml.whole_number(written)
    if written is not None and skips is None:  # read as none, a skipped case would pass
        raise _xml.UnknownValue(f"OverallResult skips is {written!r}, expected a count")
    if skips:
        skip = next((e for e in case.iter() if _xml.local(e.tag) == "Skip"), None)
        return TestStatus.SKIPPED, _xml.first_line(skip.text if skip is not None else None)
    return TestStatus.PASSED, None


def _success(element: Element) -> bool:
    """The success attribute Catch2 writes on OverallResult and Expression: true or false."""
    word = element.get("success", "")
    return _xml.closed(word, _xml.BOOLEANS, f"{_xml.local(element.tag)} success")


def _failure_message(element: Element) -> str | None:
    if _xml.local(element.tag) != "Expression":
        return _xml.first_line(element.text)
    original = _xml.first_line(_text(element, "Original"))
    expanded = _xml.first_line(_text(element, "Expanded"))
    shown = f"{element.get('type', 'CHECK')}( {original} ) with expansion: {expanded}"
    return shown[: _xml.MESSAGE_LIMIT]


def _text(element: Element, name: str) -> str | None:
    found = _xml.child(element, name)
    return None if found is None else found.text


Case = tuple[str, tuple[str, ...]]
"""A test case's name, and its failure (when it failed) that every benchmark in it carries."""


def _benchmarks(
    parent: Element, case: Case, sections: tuple[str, ...], display: str, found: list[Metric]
) -> None:
    for element in parent:
        tag = _xml.local(element.tag)
        if tag == "Section":
            inner = (*sections, element.get("name", ""))
            _benchmarks(element, case, inner, display, found)
        elif tag == "BenchmarkResults":
            found.append(_metric(element, case, sections, display))


def _metric(element: Element, in_case: Case, sections: tuple[str, ...], display: str) -> Metric:
    name = element.get("name", "")
    case, failures = in_case
    tags = {"test_case": case}
    aliases = ("/".join((case, *sections, name)),)
    failed = _xml.child(element, "failed")
    if failed is not None:
        said = (failed.get("message") or _xml.first_line(failed.text) or "no message")[:200]
        failures = (f"BENCHMARK {name!r} failed: {said}",)
    mean = _xml.child(element, "mean")
    if failed is not None or mean is None:
        return Metric(name, tags, {}, "benchmark", aliases, display, failures=failures)
    where = f"test case {case!r}, benchmark {name!r}"
    stats: dict[str, Quantity] = {}
    for (child, attribute), stat in _TIMES.items():
        value = _number(element, child, attribute, display, where)
        if value is not None:
            stats[stat] = Quantity(value * _NS, Dimension.TIME)
    for attribute, stat in (("samples", "count"), ("iterations", "iterations")):
        count = _number(element, None, attribute, display, where)
        if count is not None:
            stats[stat] = Quantity(count, Dimension.COUNT)
    variance = _number(element, "outliers", "variance", display, where)
    if variance is not None:
        stats["outlier_variance"] = Quantity(variance, Dimension.RATIO)
    counts = [_number(element, "outliers", a, display, where) for a in _OUTLIERS]
    if all(c is not None for c in counts):
        stats["outliers"] = Quantity(sum(c or 0 for c in counts), Dimension.COUNT)
    return Metric(name, tags, stats, "benchmark", aliases, display, failures=failures)


def _number(
    element: Element, child: str | None, attribute: str, display: str, where: str
) -> float | None:
    holder = element if child is None else _xml.child(element, child)
    raw = None if holder is None else holder.get(attribute)
    if raw is None:
        return None
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        label = attribute if child is None else f"{child} {attribute}"
        raise EvidenceError(Position(display), f"{where}: {label} {raw!r} is not a number")
    return value
