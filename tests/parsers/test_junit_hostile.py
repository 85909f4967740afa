"""Broken and hostile XML: every one is an EvidenceError naming the file and, where known, where."""

from __future__ import annotations

from pathlib import Path

import pytest

from gatekeeper.errors import EvidenceError
from gatekeeper.parsers.testresults import junit

DECL = b'<?xml version="1.0" encoding="UTF-8"?>\n'


def parse_error(tmp_path: Path, content: bytes, name: str = "report.xml") -> EvidenceError:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(EvidenceError) as caught:
        junit.parse(path, name)
    return caught.value


def test_truncated_file(tmp_path: Path) -> None:
    content = DECL + b'<testsuite name="s">\n  <testcase name="a"/>\n  <testcase name="b"'
    error = parse_error(tmp_path, content)
    # line 4, at the '<' of the tag that never closes
    assert str(error) == ("report.xml:4:3: malformed XML: unclosed token (is the file truncated?)")
    assert (error.position.file, error.position.line, error.position.column) == ("report.xml", 4, 3)


def test_truncated_after_a_complete_case(tmp_path: Path) -> None:
    content = DECL + b'<testsuite name="s">\n  <testcase name="a"/>\n'
    error = parse_error(tmp_path, content)
    assert str(error) == "report.xml:4:1: malformed XML: no element found (is the file truncated?)"


def test_empty_file(tmp_path: Path) -> None:
    error = parse_error(tmp_path, b"")
    assert (error.position.line, error.position.column) == (1, 1)


BILLION_LAUGHS = (
    DECL + b"<!DOCTYPE lolz [\n"
    b'  <!ENTITY lol "lol">\n'
    b'  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n'
    b'  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">\n'
    b"]>\n"
    b'<testsuite name="&lol3;"><testcase name="a"/></testsuite>\n'
)
XXE_FILE = (
    DECL + b"<!DOCTYPE testsuite [\n"
    b'  <!ENTITY xxe SYSTEM "file:///etc/passwd">\n'
    b"]>\n"
    b'<testsuite name="&xxe;"><testcase name="a"/></testsuite>\n'
)
XXE_PARAMETER = (
    DECL + b"<!DOCTYPE testsuite [\n"
    b'  <!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd">\n'
    b"  %remote;\n"
    b"]>\n"
    b"<testsuite/>\n"
)


# expat reports the place inside the declaration where it recognised it.
@pytest.mark.parametrize(
    ("content", "column"),
    [(BILLION_LAUGHS, 16), (XXE_FILE, 43), (XXE_PARAMETER, 57)],
    ids=["billion-laughs", "xxe-file", "xxe-parameter-entity"],
)
def test_entity_declarations_are_refused(tmp_path: Path, content: bytes, column: int) -> None:
    error = parse_error(tmp_path, content)
    assert str(error) == (
        f"report.xml:3:{column}: refused: XML entity declarations are not allowed"
    )


def test_external_dtd_is_not_fetched(tmp_path: Path) -> None:
    path = tmp_path / "dtd.xml"
    path.write_bytes(
        DECL + b'<!DOCTYPE testsuite SYSTEM "http://127.0.0.1:9/junit.dtd">\n'
        b'<testsuite name="s"><testcase name="a"/></testsuite>\n'
    )
    [case] = junit.parse(path, "dtd.xml").tests
    assert case.name == "a"


def test_undefined_entity(tmp_path: Path) -> None:
    error = parse_error(tmp_path, b'<testsuite>\n<testcase name="&nope;"/></testsuite>')
    assert str(error) == "report.xml:2:1: malformed XML: undefined entity"


def test_bytes_that_are_not_utf8_in_a_utf8_document(tmp_path: Path) -> None:
    content = DECL + b'<testsuite name="s">\n  <testcase name="caf\xe9"/>\n</testsuite>\n'
    error = parse_error(tmp_path, content)
    # column 22 is the 0xE9 byte itself
    assert str(error) == "report.xml:3:22: malformed XML: not well-formed (invalid token)"


def test_bad_bytes_in_failure_text(tmp_path: Path) -> None:
    content = (
        DECL + b"<testsuite>\n"
        b'<testcase name="a"><failure>bad \xff\xfe byte</failure></testcase>\n'
        b"</testsuite>\n"
    )
    error = parse_error(tmp_path, content)
    assert (error.position.line, error.position.column) == (3, 33)


def test_other_declared_encodings_are_honoured(tmp_path: Path) -> None:
    for encoding in ("ISO-8859-1", "UTF-16"):
        path = tmp_path / f"{encoding}.xml"
        declaration = f'<?xml version="1.0" encoding="{encoding}"?>\n'
        text = declaration + '<testsuite><testcase name="café"/></testsuite>'
        path.write_bytes(text.encode(encoding))
        assert [t.name for t in junit.parse(path, path.name).tests] == ["café"]


def test_unknown_encoding(tmp_path: Path) -> None:
    error = parse_error(tmp_path, b'<?xml version="1.0" encoding="x-klingon"?>\n<testsuite/>')
    assert "unknown encoding: x-klingon" in str(error)
    assert error.position.file == "report.xml"


def test_wrong_root_element(tmp_path: Path) -> None:
    error = parse_error(tmp_path, DECL + b"<html>\n<body><testcase name='a'/></body>\n</html>\n")
    assert str(error) == (
        "report.xml: not a JUnit report: the root element is <html>, "
        "expected <testsuites> or <testsuite>"
    )


def test_second_root_element(tmp_path: Path) -> None:
    error = parse_error(tmp_path, b'<testsuite name="s"/>\n<testsuite name="t"/>\n')
    assert str(error) == "report.xml:2:1: malformed XML: junk after document element"


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(EvidenceError) as caught:
        junit.parse(tmp_path / "nope.xml", "reports/nope.xml")
    assert str(caught.value) == "reports/nope.xml: cannot read: No such file or directory"


# --- attack files and broken files kept in the corpus -----------------------------------------

ENRICO = "junit/publish-unit-test-result-action/python/test/files"
JENKINS = "junit/jenkins-junit-plugin/src/test/resources/hudson/tasks/junit"


@pytest.mark.parametrize(
    ("relative", "message"),
    [
        (f"{JENKINS}/testXxe-xxe.xml", ":4:34: refused: XML entity declarations are not allowed"),
        (f"{JENKINS}/testXxe-oob.xml", ":1:1: malformed XML: syntax error"),
        (
            f"{ENRICO}/nunit/nunit3/jenkins/NUnit-sec1752-file.xml",
            ":3:53: refused: XML entity declarations are not allowed",
        ),
        (
            f"{ENRICO}/nunit/nunit3/jenkins/NUnit-sec1752-https.xml",
            ":3:105: refused: XML entity declarations are not allowed",
        ),
        (
            f"{ENRICO}/junit-xml/pytest/corrupt-xml.xml",
            ":11:22: malformed XML: no element found (is the file truncated?)",
        ),
        (
            "junit/action-junit-report/test_results/junit-web-test/expected.xml",
            ":9:59: malformed XML: not well-formed (invalid token)",  # time="<<computed>>"
        ),
        (
            f"{ENRICO}/junit-xml/non-junit.xml",
            ": not a JUnit report: the root element is <suites>, "
            "expected <testsuites> or <testsuite>",
        ),
    ],
)
def test_corpus_attacks_and_broken_files(corpus: Path, relative: str, message: str) -> None:
    with pytest.raises(EvidenceError) as caught:
        junit.parse(corpus / relative, "the.xml")
    assert str(caught.value) == "the.xml" + message
