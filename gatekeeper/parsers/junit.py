"""JUnit XML test reports in their real-world dialects, read as a stream.

Each ``<testcase>`` is handed to junitparser for its semantics as soon as it
closes and is then dropped from the tree, so memory stays flat however large
the report. Entity declarations are refused (billion laughs, XXE).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO
from xml.etree.ElementTree import Element, ParseError, TreeBuilder

import junitparser
from defusedxml import DefusedXmlException, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import DefusedXMLParser, iterparse
from junitparser import xunit2

from gatekeeper.errors import EvidenceError, Position
from gatekeeper.evidence import ParsedFile, SeriesRequest, TestResult, TestStatus

NAME = "junit"

_ROOTS = ("testsuites", "testsuite")
_MESSAGE_LIMIT = 500
_BOMS = {b"\xef\xbb\xbf": "utf-8", b"\xff\xfe": "utf-16-le", b"\xfe\xff": "utf-16-be"}
_PROLOG_ITEM = re.compile(
    rb"\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>)", re.DOTALL
)
_ROOT_TAG = re.compile(rb"\s*<(?:[\w.-]+:)?(?:testsuites|testsuite)[\s/>]")
_THOUSANDS = re.compile(r"[1-9]\d{0,2}(?:,\d{3})+(?:\.\d+)?")
_POSITION_SUFFIX = re.compile(r": line \d+, column \d+$")
# Some writers (TST, Jest-style reporters) say the outcome only in a status attribute.
_STATUS_ATTRIBUTE = {
    "disabled": TestStatus.SKIPPED,
    "skipped": TestStatus.SKIPPED,
    "notrun": TestStatus.SKIPPED,
    "ignored": TestStatus.SKIPPED,
    "failed": TestStatus.FAILED,
    "failure": TestStatus.FAILED,
    "errored": TestStatus.ERROR,
    "error": TestStatus.ERROR,
}
_RESULT_TYPES: dict[TestStatus, type[junitparser.Element]] = {
    TestStatus.ERROR: junitparser.Error,
    TestStatus.FAILED: junitparser.Failure,
    TestStatus.SKIPPED: junitparser.Skipped,
}


def detect(head: bytes) -> bool:
    """The root element, after any BOM, XML declaration and comments, is a testsuite(s)."""
    for bom, encoding in _BOMS.items():
        if head.startswith(bom):
            head = head[len(bom) :].decode(encoding, errors="ignore").encode()
            break
    position = 0
    while item := _PROLOG_ITEM.match(head, position):
        position = item.end()
    return _ROOT_TAG.match(head, position) is not None


def parse(path: Path, display: str, wanted: Sequence[SeriesRequest] = ()) -> ParsedFile:
    """Read every test case of a JUnit XML report; a report with none is not an error."""
    parser = DefusedXMLParser(
        target=TreeBuilder(), forbid_dtd=False, forbid_entities=True, forbid_external=True
    )
    try:
        with path.open("rb") as handle:
            tests = tuple(_cases(handle, display, parser))
    except EntitiesForbidden as exc:
        message = "refused: XML entity declarations are not allowed"
        raise EvidenceError(_expat_position(parser, display), message) from exc
    except ExternalReferenceForbidden as exc:
        message = "refused: XML external references are not allowed"
        raise EvidenceError(_expat_position(parser, display), message) from exc
    except ParseError as exc:
        line, column = exc.position
        reason = _POSITION_SUFFIX.sub("", str(exc))
        if exc.code in (3, 5):  # expat's "no element found" / "unclosed token"
            reason += " (is the file truncated?)"
        raise EvidenceError(
            Position(display, line, column + 1), f"malformed XML: {reason}"
        ) from exc
    except DefusedXmlException as exc:
        raise EvidenceError(Position(display), f"refused: {exc}") from exc
    except LookupError as exc:  # an encoding declaration Python does not know
        raise EvidenceError(Position(display), f"unreadable XML: {exc}") from exc
    except OSError as exc:
        raise EvidenceError(Position(display), f"cannot read: {exc.strerror or exc}") from exc
    return ParsedFile(path=display, format=NAME, tests=tests)


def _expat_position(parser: DefusedXMLParser, display: str) -> Position:
    expat = parser.parser
    return Position(display, expat.CurrentLineNumber, expat.CurrentColumnNumber + 1)


def _cases(source: BinaryIO, display: str, parser: DefusedXMLParser) -> Iterator[TestResult]:
    open_elements: list[Element] = []
    open_cases = 0
    for event, element in iterparse(source, ("start", "end"), parser=parser):
        tag = _local(element.tag)
        if event == "start":
            if not open_elements and tag not in _ROOTS:
                raise EvidenceError(
                    Position(display),
                    f"not a JUnit report: the root element is <{tag}>, "
                    "expected <testsuites> or <testsuite>",
                )
            open_elements.append(element)
            open_cases += tag == "testcase"
            continue
        open_elements.pop()
        if tag == "testcase":
            open_cases -= 1
            if not open_cases:  # a testcase inside a testcase belongs to the outer one
                yield _result(element, open_elements, display)
        if open_elements and not open_cases:
            # Done with it: keep the tree from growing with the file.
            open_elements[-1].remove(element)


def _result(element: Element, enclosing: list[Element], display: str) -> TestResult:
    for child in element.iter():
        child.tag = _local(child.tag)  # junitparser matches bare tag names only
    case: xunit2.TestCase = xunit2.TestCase.fromelem(element)  # type: ignore[no-untyped-call]
    status = _status(case, element)
    reruns = sum(
        len(found)
        for found in (
            case.flaky_failures(),
            case.flaky_errors(),
            case.rerun_failures(),
            case.rerun_errors(),
        )
    )
    suites = [e for e in reversed(enclosing) if _local(e.tag) == "testsuite"]
    suite_file = next((s.get("file") for s in suites if s.get("file")), None)
    return TestResult(
        suite=suites[0].get("name", "") if suites else "",
        classname=element.get("classname", ""),
        name=element.get("name", ""),
        file=element.get("file") or suite_file,
        line=_line(element.get("line")),
        status=status,
        flaky=status is TestStatus.PASSED and reruns > 0,
        reruns=reruns,
        duration=_seconds(element.get("time")),
        message=_message(case, status),
        source=display,
    )


def _status(case: xunit2.TestCase, element: Element) -> TestStatus:
    if case.is_error:
        return TestStatus.ERROR
    if case.is_failure:
        return TestStatus.FAILED
    if case.is_skipped:
        return TestStatus.SKIPPED
    return _STATUS_ATTRIBUTE.get(element.get("status", "").lower(), TestStatus.PASSED)


def _message(case: xunit2.TestCase, status: TestStatus) -> str | None:
    wanted = _RESULT_TYPES.get(status)
    result = next((r for r in case.result if wanted and isinstance(r, wanted)), None)
    if result is None:
        return None
    for text in (result.message, result.text):
        lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
        if lines:
            return lines[0][:_MESSAGE_LIMIT]
    return None


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _line(text: str | None) -> int | None:
    digits = (text or "").strip()
    # Bounded so a hostile value cannot hit int()'s digit limit.
    return int(digits) if digits.isdecimal() and len(digits) <= 9 else None


def _seconds(text: str | None) -> float | None:
    """Seconds from a time attribute; "1,234.5" and "0,25" are read, junk becomes None."""
    if text is None:
        return None
    text = text.strip()
    if _THOUSANDS.fullmatch(text):
        text = text.replace(",", "")
    elif text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) and value >= 0 else None
