"""Streamed JUnit (``junit.parse``) against a plain full parse with ElementTree and junitparser.

Hypothesis writes JUnit documents: suites nested in suites, cases with failures, errors,
skips, Surefire's reruns and flaky attempts, system-out, properties, a case inside a
case's output, a ``status`` attribute; spelt with attributes in any order, either quote,
whitespace and newlines inside tags, entity and character references, CDATA, comments,
processing instructions, an XML declaration or a byte order mark, a default namespace
or a prefix, and fed to the stream in chunks as small as 7 bytes. The reference reads
the whole tree with ElementTree (namespaces set aside: the stream reads local names),
takes every ``testcase`` not inside another one, and judges it with junitparser's
``xunit2.TestCase``: the same cases, in the same order, with the same statuses, reruns,
messages and attributes. A ``failure`` or ``error`` outside every case is an error of
its suite, in its place among the cases.

The same reference judges every real JUnit file the suite holds (tests/corpus/junit, the
parser fixtures and the example's reports): the same counts per outcome and the same
cases with their messages, or, for a file that is not well-formed XML, a refusal by both
at the same line.
"""

from __future__ import annotations

import csv
import random
import tempfile
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from junitparser import Error, Failure, Skipped, xunit2

from gatekeeper.errors import EvidenceError
from gatekeeper.evidence import TestResult, TestStatus
from gatekeeper.parsers import _xml
from gatekeeper.parsers._xml import first_line, local, seconds, whole_number
from gatekeeper.parsers.testresults import junit
from tests.conftest import CORPUS, REPO
from tests.parsers.fuzz_budget import budget

TEXTS = ("a", "", "x & y", "<b>", 'say "hi"', "it's", "ünï 🚀", "two\nlines", "  pad  ", "[1-2]")
TIMES = ("0.5", "1,234.5", "0,25", "junk", "", "-1", "1e3")
RESULTS = (
    "failure",
    "error",
    "skipped",
    "rerunFailure",
    "rerunError",
    "flakyFailure",
    "flakyError",
)
STATUS = ("", "failed", "skipped", "ERROR", "disabled", "passed")


def element(tag: str, attrs: dict[str, str], children: list[object]) -> tuple[object, ...]:
    return (tag, attrs, children)


texts = st.sampled_from(TEXTS)
results = st.builds(
    element,
    st.sampled_from((*RESULTS, "system-out", "system-err", "stackTrace")),
    st.dictionaries(st.sampled_from(["message", "type"]), texts, max_size=2),
    st.lists(texts, max_size=1),
)


suite_results = st.builds(
    element,
    st.sampled_from(("failure", "error")),
    st.dictionaries(st.sampled_from(["message", "type"]), texts, max_size=2),
    st.lists(texts, max_size=1),
)


@st.composite
def cases(draw: st.DrawFn, depth: int = 0) -> tuple[object, ...]:
    attrs = draw(st.dictionaries(st.sampled_from(["name", "classname", "file", "line"]), texts))
    if draw(st.booleans()):
        attrs["time"] = draw(st.sampled_from(TIMES))
    if draw(st.integers(0, 4)) == 0:
        attrs["status"] = draw(st.sampled_from(STATUS))
    if draw(st.booleans()):
        attrs["line"] = str(draw(st.integers(0, 10**10)))
    children: list[object] = draw(st.lists(results, max_size=4))
    if depth == 0 and draw(st.integers(0, 9)) == 0:  # a case inside a case's output
        children.append(element("system-out", {}, [draw(cases(depth=1))]))
    return element("testcase", attrs, children)


@st.composite
def suites(draw: st.DrawFn, depth: int = 0) -> tuple[object, ...]:
    attrs = draw(st.dictionaries(st.sampled_from(["name", "file", "tests"]), texts))
    children: list[object] = []
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.integers(0, 5))
        if kind == 0 and depth < 3:
            children.append(draw(suites(depth + 1)))
        elif kind == 1:
            properties = [element("property", {"name": "k", "value": draw(texts)}, [])]
            children.append(element("properties", {}, properties))
        elif kind == 2 and draw(st.integers(0, 2)) == 0:  # the suite's own failure or error
            children.append(draw(suite_results))
        else:
            children.append(draw(cases()))
    return element("testsuite", attrs, children)


documents = st.one_of(
    suites(),
    st.builds(element, st.just("testsuites"), st.just({}), st.lists(suites(), max_size=3)),
)


def write(document: tuple[object, ...], rng: random.Random) -> bytes:
    """The document in a spelling chosen by ``rng``; the same tree whatever it chooses."""
    prefix = rng.choice(["", "", "j:"])
    namespace = rng.choice(["", ' xmlns="urn:x"']) if not prefix else ' xmlns:j="urn:j"'
    head = rng.choice(["", '<?xml version="1.0"?>\n', "<?xml version='1.0' encoding='UTF-8'?>"])
    body = _element(document, rng, prefix, namespace)
    bom = "\ufeff" if rng.random() < 0.1 else ""
    return (bom + head + _misc(rng) + body + _misc(rng) + "\n").encode("utf-8")


def _element(node: object, rng: random.Random, prefix: str, extra: str = "") -> str:
    if isinstance(node, str):
        return _text(node, rng)
    tag, attrs, children = node  # type: ignore[misc]
    items = list(attrs.items())
    rng.shuffle(items)
    quote = rng.choice(['"', "'"])
    spelled = "".join(
        _space(rng, 1)
        + f"{key}{_space(rng)}={_space(rng)}{quote}{_value(value, quote, rng)}{quote}"
        for key, value in items
    )
    start = f"<{prefix}{tag}{extra}{spelled}{_space(rng)}"
    if not children and rng.random() < 0.7:
        return start + "/>"
    inner = "".join(_misc(rng) + _element(child, rng, prefix) for child in children)
    return f"{start}>{inner}{_misc(rng)}</{prefix}{tag}{_space(rng)}>"


def _value(text: str, quote: str, rng: random.Random) -> str:
    out = []
    for char in text:
        if char in "<&" + quote or rng.random() < 0.1:
            out.append(rng.choice([f"&#{ord(char)};", f"&#x{ord(char):x};", _named(char)]))
        elif char == "\n":
            out.append("&#10;")  # a raw one would be read as a space
        else:
            out.append(char)
    return "".join(out)


def _named(char: str) -> str:
    names = {"<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;"}
    return names.get(char, f"&#{ord(char)};")


def _text(text: str, rng: random.Random) -> str:
    if text and "]]>" not in text and rng.random() < 0.3:
        return f"<![CDATA[{text}]]>"
    return "".join(_named(c) if c in "<&>" or rng.random() < 0.05 else c for c in text)


def _space(rng: random.Random, least: int = 0) -> str:
    return rng.choice([" ", "\n", "\t ", "  "]) if least or rng.random() < 0.2 else ""


def _misc(rng: random.Random) -> str:
    return rng.choice(["", "", "", "\n  ", "<!-- note -->", "<?pi x?>"])


@contextmanager
def chunks(size: int) -> Iterator[None]:
    saved = _xml._CHUNK
    _xml._CHUNK = size
    try:
        yield
    finally:
        _xml._CHUNK = saved


def streamed(content: bytes, chunk: int) -> list[TestResult]:
    with tempfile.TemporaryDirectory() as folder, chunks(chunk):
        path = Path(folder) / "report.xml"
        path.write_bytes(content)
        return list(junit.parse(path, "report.xml").tests)


def reference(content: bytes) -> list[TestResult]:
    """Every outermost testcase of the whole tree, judged by junitparser."""
    root = ET.fromstring(content.decode("utf-8").removeprefix("\ufeff"))
    for node in root.iter():
        node.tag = local(node.tag)
        node.attrib = {local(key): value for key, value in node.attrib.items()}
    return list(_walk(root, []))


def _walk(node: ET.Element, suites: list[ET.Element]) -> Iterator[TestResult]:
    if node.tag == "testcase":
        yield _judged(node, suites)
        return
    if node.tag in ("failure", "error"):  # outside every case: the suite's own, an error
        yield _suite_error(node, suites)
        return
    inner = [*suites, node] if node.tag == "testsuite" else suites
    for child in node:
        yield from _walk(child, inner)


def _suite_error(node: ET.Element, suites: list[ET.Element]) -> TestResult:
    suite = suites[-1].get("name", "") if suites else ""
    said = first_line(node.get("message"), node.text, node.get("type"))
    return TestResult(
        suite=suite,
        classname=suite,
        name=f"[suite {node.tag}]",
        file=None,
        line=None,
        status=TestStatus.ERROR,
        message=said or f"the suite's own <{node.tag}>, without a message",
        source="report.xml",
    )


def _judged(node: ET.Element, suites: list[ET.Element]) -> TestResult:
    case = xunit2.TestCase.fromelem(node)
    status, message = TestStatus.PASSED, None
    for kind, judged in ((Error, TestStatus.ERROR), (Failure, TestStatus.FAILED),
                         (Skipped, TestStatus.SKIPPED)):  # fmt: skip
        found = [r for r in case.result if isinstance(r, kind)]
        if found:
            status, message = judged, first_line(found[0].message, found[0].text)
            break
    else:
        status = junit._STATUS_ATTRIBUTE.get(node.get("status", "").lower(), TestStatus.PASSED)
    reruns = len(case.interim_result)
    suite_file = next((s.get("file") for s in reversed(suites) if s.get("file")), None)
    return TestResult(
        suite=suites[-1].get("name", "") if suites else "",
        classname=node.get("classname", ""),
        name=node.get("name", ""),
        file=node.get("file") or suite_file,
        line=whole_number(node.get("line")),
        status=status,
        flaky=status is TestStatus.PASSED and reruns > 0,
        reruns=reruns,
        duration=seconds(node.get("time")),
        message=message,
        source="report.xml",
    )


@pytest.mark.slow
@budget(examples=150)
@given(documents, st.randoms(use_true_random=False), st.sampled_from([7, 64, 65536]))
def test_the_stream_reads_what_a_whole_tree_reads(
    document: tuple[object, ...], rng: random.Random, chunk: int
) -> None:
    content = write(document, rng)
    assert streamed(content, chunk) == reference(content)


def test_the_roles_of_a_cases_children_are_junitparsers() -> None:
    """junit.ROLES is written out (junitparser is not imported to read a report): it must
    be what junitparser's xunit2 TestCase makes of each child tag."""
    roles: dict[str, TestStatus | None] = {}
    for tag, kind in xunit2.TestCase.ITER_TYPES.items():
        if issubclass(kind, xunit2.InterimResult):
            roles[tag] = None
        for result, status in (
            (Error, TestStatus.ERROR),
            (Failure, TestStatus.FAILED),
            (Skipped, TestStatus.SKIPPED),
        ):
            if issubclass(kind, result):
                roles[tag] = status
    assert dict(junit.ROLES) == roles
    assert set(RESULTS) == set(roles)  # the documents above use every one of them


def _real_junit_files() -> list[Path]:
    """Every JUnit document of the corpus (by the root its manifest records) and the
    JUnit files among the parser fixtures and the example's reports."""
    junit_corpus = CORPUS / "junit"
    with (junit_corpus / "MANIFEST.tsv").open(encoding="utf-8", newline="") as manifest:
        rows = list(csv.DictReader(manifest, delimiter="\t"))
    found = [
        junit_corpus / row["path"]
        for row in rows
        if row["kind"] in ("root:testsuites", "root:testsuite")
    ]
    for folder in (REPO / "tests" / "parsers" / "fixtures", REPO / "examples" / "kmta" / "reports"):
        found += [p for p in sorted(folder.rglob("*.xml")) if b"<testsuite" in p.read_bytes()]
    return found


REAL_JUNIT = _real_junit_files()


def test_the_real_files_are_there() -> None:
    assert len(REAL_JUNIT) >= 290  # 297 corpus files and 6 of the project's own in 2026-12


@pytest.mark.parametrize(
    "path", REAL_JUNIT, ids=[p.relative_to(REPO).as_posix() for p in REAL_JUNIT]
)
def test_every_real_junit_file_is_read_as_junitparser_reads_it(path: Path) -> None:
    content = path.read_bytes()
    try:
        expected = reference(content)
    except ET.ParseError as refused:
        with pytest.raises(EvidenceError) as caught:
            junit.parse(path, "report.xml")
        assert caught.value.position.line == refused.position[0]
        return
    ours = list(junit.parse(path, "report.xml").tests)
    assert Counter(t.status for t in ours) == Counter(t.status for t in expected)
    assert [t.message for t in ours] == [t.message for t in expected]
    assert ours == expected
