"""NUnit, xUnit.net, TRX and TestNG together: detection, broken and hostile input, streaming."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

import pytest

from gatekeeper.errors import EvidenceError
from gatekeeper.parsers import _xml, get_parser
from tests.parsers.claims import claimed_bytes

FIXTURES = Path(__file__).resolve().parent / "fixtures"
FORMATS = ("nunit", "xunit-net", "trx", "testng")
ROOTS = {
    "test-results": "nunit",
    "test-run": "nunit",
    "test-suite": "nunit",
    "assemblies": "xunit-net",
    "assembly": "xunit-net",
    "TestRun": "trx",
    "testng-results": "testng",
}
# Per format: what opens a document, one record ({} is its content), what closes it.
PARTS = {
    "nunit": (
        "<test-run>",
        '<test-case name="a" classname="C" result="Passed">{}</test-case>',
        "</test-run>",
    ),
    "xunit-net": (
        "<assemblies><assembly>",
        '<test name="a" type="C" result="Pass">{}</test>',
        "</assembly></assemblies>",
    ),
    "trx": (
        '<TestRun xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010"><Results>',
        '<UnitTestResult testName="a" outcome="Passed">{}</UnitTestResult>',
        "</Results></TestRun>",
    ),
    "testng": (
        '<testng-results><suite><test><class name="C">',
        '<test-method name="a" status="PASS">{}</test-method>',
        "</class></test></suite></testng-results>",
    ),
}


def document(fmt: str, records: int = 1, content: str = "", closed: bool = True) -> str:
    """Line 1 opens the document, line 2 holds the records, line 3 closes it."""
    head, record, tail = PARTS[fmt]
    return f"{head}\n{record.format(content) * records}\n" + (f"{tail}\n" if closed else "")


def claims(content: bytes) -> list[str]:
    return claimed_bytes(content)


def manifest(corpus: Path) -> Iterator[tuple[str, str]]:
    """(file under corpus/junit, root element) for every XML file the corpus lists."""
    lines = (corpus / "junit" / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines()
    for line in lines[1:]:
        _, path, _, _, kind = line.split("\t")
        if kind.startswith("root:"):
            yield path, kind.removeprefix("root:")


def test_every_corpus_file_is_claimed_by_its_format_only(corpus: Path) -> None:
    seen = dict.fromkeys(FORMATS, 0)
    for path, root in manifest(corpus):
        expected = ROOTS.get(root)
        found = [name for name in claims((corpus / "junit" / path).read_bytes()) if name in FORMATS]
        assert found == ([expected] if expected else []), path
        if expected:
            assert claims((corpus / "junit" / path).read_bytes()) == [expected], path
            seen[expected] += 1
    assert seen == {"nunit": 31, "xunit-net": 16, "trx": 16, "testng": 8}


@pytest.mark.parametrize(
    ("relative", "fmt"),
    [
        ("nunit/nunit3.xml", "nunit"),
        ("nunit/nunit2.xml", "nunit"),
        ("xunit-net/v2.xml", "xunit-net"),
        ("xunit-net/v1.xml", "xunit-net"),
        ("trx/results.trx", "trx"),
        ("testng/retries.xml", "testng"),
    ],
)
def test_fixtures_are_claimed_by_their_format(relative: str, fmt: str) -> None:
    assert claims((FIXTURES / relative).read_bytes()) == [fmt]


@pytest.mark.parametrize(
    ("head", "fmt"),
    [
        (b"\xef\xbb\xbf<?xml version='1.0'?>\n<!-- nunit3-console -->\n<test-run id='2'>", "nunit"),
        ('<?xml version="1.0" encoding="utf-16"?><test-results>'.encode("utf-16"), "nunit"),
        (
            b'<TestRun id="1"\n    xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">',
            "trx",
        ),
        (b"<assembly name='a.dll'>", "xunit-net"),
        (b"<?xml version='1.0'?><!DOCTYPE testng-results><testng-results>", "testng"),
    ],
)
def test_heads(head: bytes, fmt: str) -> None:
    assert claims(head) == [fmt]


@pytest.mark.parametrize(
    "head",
    [b"<test-case name='a'/>", b"<testng/>", b"<TestRunner>", b"<!-- <TestRun> -->\n<html>"],
)
def test_lookalikes_are_not_claimed(head: bytes) -> None:
    assert [name for name in claims(head) if name in FORMATS] == []


def parse_error(tmp_path: Path, fmt: str, content: str | bytes) -> EvidenceError:
    path = tmp_path / "report.xml"
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    with pytest.raises(EvidenceError) as caught:
        get_parser(fmt).parse(path, "report.xml")
    return caught.value


@pytest.mark.parametrize("fmt", FORMATS)
def test_truncated_file(tmp_path: Path, fmt: str) -> None:
    error = parse_error(tmp_path, fmt, document(fmt, closed=False))
    assert str(error) == "report.xml:3:1: malformed XML: no element found (is the file truncated?)"


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        (
            "nunit",
            "an NUnit report: the root element is <testsuites>, "
            "expected <test-results>, <test-run> or <test-suite>",
        ),
        (
            "xunit-net",
            "an xUnit.net report: the root element is <testsuites>, "
            "expected <assemblies> or <assembly>",
        ),
        ("trx", "a TRX report: the root element is <testsuites>, expected <TestRun>"),
        ("testng", "a TestNG report: the root element is <testsuites>, expected <testng-results>"),
    ],
)
def test_wrong_root_element(tmp_path: Path, fmt: str, expected: str) -> None:
    error = parse_error(tmp_path, fmt, "<testsuites><testsuite/></testsuites>")
    assert str(error) == f"report.xml: not {expected}"


@pytest.mark.parametrize("fmt", FORMATS)
def test_entity_declarations_are_refused(tmp_path: Path, fmt: str) -> None:
    declaration = '<!DOCTYPE x [\n<!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>\n'
    error = parse_error(tmp_path, fmt, declaration + document(fmt, content="&xxe;"))
    # expat reports the end of the declaration
    assert str(error) == "report.xml:2:41: refused: XML entity declarations are not allowed"


@pytest.mark.parametrize("fmt", FORMATS)
def test_bytes_that_are_not_utf8(tmp_path: Path, fmt: str) -> None:
    error = parse_error(tmp_path, fmt, document(fmt, content="caf\xe9").encode("latin-1"))
    assert error.message == "malformed XML: not well-formed (invalid token)"
    assert error.position.line == 2


@pytest.mark.parametrize("fmt", FORMATS)
def test_empty_and_missing_files(tmp_path: Path, fmt: str) -> None:
    assert str(parse_error(tmp_path, fmt, b"")) == (
        "report.xml:1:1: malformed XML: no element found (is the file truncated?)"
    )
    with pytest.raises(EvidenceError) as caught:
        get_parser(fmt).parse(tmp_path / "nope.xml", "nope.xml")
    assert str(caught.value) == "nope.xml: cannot read: No such file or directory"


@pytest.mark.parametrize("fmt", FORMATS)
def test_processed_elements_are_dropped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    """However long the report, what was read is let go: the root ends up empty."""
    path = tmp_path / "big.xml"
    path.write_text(document(fmt, records=500, content="<output>" + "o" * 50 + "</output>"))
    seen: list[Element] = []
    real_element = _xml.Element

    def spying_element(*args: Any, **kwargs: Any) -> Element:
        seen.append(real_element(*args, **kwargs))
        return seen[-1]

    # the stream makes the elements around the records with it
    monkeypatch.setattr(_xml, "Element", spying_element)
    assert len(get_parser(fmt).parse(path, "big.xml").tests) == 500
    assert seen
    assert all(len(e) == 0 for e in seen)


@pytest.mark.parametrize("fmt", [*FORMATS, "junit"])
def test_absurd_nesting_is_refused(tmp_path: Path, fmt: str) -> None:
    """Each record looks at its ancestors; a bounded depth keeps that work bounded."""
    root = {"junit": "testsuites", **{f: PARTS[f][0][1:].split(">")[0].split()[0] for f in FORMATS}}
    path = tmp_path / "deep.xml"
    path.write_text(f"<{root[fmt]}>\n" + "<x>" * 2000 + "</x>" * 2000 + f"</{root[fmt]}>")
    with pytest.raises(EvidenceError) as caught:
        get_parser(fmt).parse(path, "deep.xml")
    # just after the 1000th <x>, the element 1001 deep
    assert str(caught.value).startswith("deep.xml:2:3001: elements nested more than 1000 deep; ")
