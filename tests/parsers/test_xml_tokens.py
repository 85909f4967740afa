"""Huge XML tokens cost linear time up to a cap; junk named as XML fails at its first bytes.

expat rescans an unfinished token from its start on every feed: fed 64 KiB at a time, a
15 MB attribute was 240 rescans of up to 15 MB. ``_xml._feed`` makes each feed at least as
long as the unfinished token, so the feeds inside one token are logarithmic in number, and
refuses a token past ``_xml.MAX_TOKEN`` (16 MiB) as soon as a feed shows it
(``python benchmarks/xml_tokens.py``).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from gatekeeper.errors import EvidenceError
from gatekeeper.parsers import _xml
from gatekeeper.parsers.testresults import junit

MB = 1 << 20


@pytest.fixture
def feeds(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """The size of every chunk handed to expat."""
    from defusedxml.ElementTree import DefusedXMLParser

    sizes: list[int] = []
    original = DefusedXMLParser.feed

    def counted(self: DefusedXMLParser, data: bytes) -> None:
        sizes.append(len(data))
        original(self, data)

    monkeypatch.setattr(DefusedXMLParser, "feed", counted)
    yield sizes


def _write(path: Path, *parts: bytes, repeat: bytes = b"", times: int = 0) -> Path:
    with path.open("wb") as out:
        out.write(parts[0])
        for _ in range(times):
            out.write(repeat)
        for part in parts[1:]:
            out.write(part)
    return path


SHAPES = [
    (b'<testsuite>\n<testcase name="', b'"/>\n</testsuite>\n'),  # an attribute value
    (b"<testsuite>\n<!-- ", b' -->\n<testcase name="a"/>\n</testsuite>\n'),  # a comment
]


@pytest.mark.parametrize(("opening", "closing"), SHAPES, ids=["attribute", "comment"])
def test_a_token_just_under_the_cap_is_read_in_few_feeds(
    tmp_path: Path, feeds: list[int], opening: bytes, closing: bytes
) -> None:
    path = _write(tmp_path / "big.xml", opening, closing, repeat=b"x" * MB, times=15)
    started = time.perf_counter()
    (test,) = junit.parse(path, "big.xml").tests
    assert time.perf_counter() - started < 2.0  # fed 64 KiB at a time: several seconds
    assert len(test.name) == (15 * MB if b"name" in opening else 1)
    assert sum(feeds) == path.stat().st_size
    assert len(feeds) <= 12  # 64 KiB, 64 KiB, 128 KiB, ... 8 MiB: not 240 feeds


@pytest.mark.parametrize(("opening", "closing"), SHAPES, ids=["attribute", "comment"])
def test_the_issue_s_40_mb_token_is_refused_at_its_line_after_the_cap(
    tmp_path: Path, feeds: list[int], opening: bytes, closing: bytes
) -> None:
    path = _write(tmp_path / "big.xml", opening, closing, repeat=b"x" * MB, times=40)
    started = time.perf_counter()
    with pytest.raises(EvidenceError) as caught:
        junit.parse(path, "big.xml")
    assert time.perf_counter() - started < 2.0
    assert str(caught.value) == (
        "big.xml:2:1: an XML tag, comment or instruction longer than 16 MiB; refused"
    )
    assert sum(feeds) <= _xml.MAX_TOKEN + 2 * 64 * 1024  # the rest of the file is never read


def test_a_token_longer_than_the_cap_is_refused_at_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_xml, "MAX_TOKEN", 2 * MB)
    opening = b'<testsuite>\n<testcase name="a"/>\n<testcase name="b" message="'
    path = _write(tmp_path / "big.xml", opening, b'"/></testsuite>\n', repeat=b"y" * MB, times=3)
    with pytest.raises(EvidenceError) as caught:
        junit.parse(path, "big.xml")
    assert (caught.value.position.line, caught.value.position.column) == (3, 1)
    assert caught.value.message == "an XML tag, comment or instruction longer than 2 MiB; refused"


def test_just_under_the_cap_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_xml, "MAX_TOKEN", 2 * MB)
    opening = b'<testsuite><testcase name="'
    path = _write(
        tmp_path / "big.xml", opening, b'"/></testsuite>\n', repeat=b"z" * (MB - 64), times=2
    )
    (test,) = junit.parse(path, "big.xml").tests
    assert len(test.name) == 2 * (MB - 64)


def test_text_and_cdata_stream_past_the_cap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_xml, "MAX_TOKEN", MB)
    opening = b'<testsuite><testcase name="t"><failure message="m"><![CDATA['
    closing = b"]]></failure><system-out>log</system-out></testcase></testsuite>\n"
    path = _write(
        tmp_path / "log.xml", opening, closing, repeat=b"line of output\n" * 4096, times=80
    )
    (test,) = junit.parse(path, "log.xml").tests
    assert test.status.value == "failed"


def _sparse(path: Path, head: bytes, size: int) -> Path:
    """A file of ``size`` bytes that starts with ``head`` (the rest is a hole: zeros)."""
    with path.open("wb") as out:
        out.write(head)
        out.truncate(size)
    return path


@pytest.mark.parametrize(
    ("head", "message"),
    [
        (b"<" + b"a" * 8192, "not a JUnit report: no root element tag within the first 4096 bytes"),
        (b'{"metric":"http_reqs","type":"Point"}\n', "malformed XML: not well-formed"),
        (b"hello, this is a log\n", "malformed XML: syntax error"),
    ],
    ids=["endless-tag", "ndjson", "text"],
)
def test_300_mb_of_non_xml_named_junit_fails_at_its_first_bytes(
    tmp_path: Path, head: bytes, message: str, feeds: list[int]
) -> None:
    path = _sparse(tmp_path / "report.xml", head, 300 * MB)
    started = time.perf_counter()
    with pytest.raises(EvidenceError) as caught:
        junit.parse(path, "report.xml")
    assert time.perf_counter() - started < 1.0
    assert message in str(caught.value)
    assert sum(feeds) <= 64 * 1024


def test_a_long_comment_before_the_root_is_still_read(tmp_path: Path) -> None:
    comment = b"<!-- " + b"license text " * 1000 + b"-->\n"
    path = _write(tmp_path / "r.xml", comment + b'<testsuite><testcase name="a"/></testsuite>\n')
    assert [t.name for t in junit.parse(path, "r.xml").tests] == ["a"]
