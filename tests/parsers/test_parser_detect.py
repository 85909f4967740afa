"""Format detection: each parser claims its own files and nothing else."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from gatekeeper.errors import EvidenceError
from gatekeeper.parsers import PARSER_MODULES, SNIFF_BYTES, detect_format
from tests.parsers.claims import claimed, claimed_bytes

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.mark.parametrize(
    ("relative", "fmt"),
    [
        ("real/pytest-xunit1.xml", "junit"),
        ("real/pytest-xunit2.xml", "junit"),
        ("real/pytest-benchmark.json", "pytest-benchmark"),
        ("handmade/nested-suites.xml", "junit"),
    ],
)
def test_fixtures(relative: str, fmt: str) -> None:
    assert claimed(FIXTURES / relative) == [fmt]


@pytest.mark.parametrize(
    ("relative", "fmt"),
    [
        ("bench/k6-summary-export/qr-code-generator_summary-export.json", "k6"),
        ("bench/k6-summary-export/ticket-reserve_summary-export.json", "k6"),
        ("bench/k6-handlesummary-json/k6-example-circleci-orb_summary.json", "k6"),
        ("bench/k6-handlesummary-json/k6-reporter_grpc.json", "k6"),
        ("bench/k6-handlesummary-json/k6-reporter_simple.json", "k6"),
        ("bench/k6-ndjson/ticket-reserve_output.ndjson", "k6-ndjson"),
        ("bench/pytest-benchmark/pytest_output.json", "pytest-benchmark"),
        ("bench/pytest-benchmark/pytest_several_units.json", "pytest-benchmark"),
        ("junit/junitparser/tests/data/no_suites_tag.xml", "junit"),
        (
            "junit/maven-surefire/surefire-report-parser/src/test/resources/fixture/testsuitexmlparser/TEST-org.acme.FlakyTest.xml",
            "junit",
        ),
        # starts with a UTF-8 BOM
        (
            "junit/publish-unit-test-result-action/python/test/files/junit-xml/xunit/xunit.xml",
            "junit",
        ),
    ],
)
def test_corpus_files(corpus: Path, relative: str, fmt: str) -> None:
    path = corpus / relative
    assert claimed(path) == [fmt]
    assert detect_format(path, relative) == fmt


@pytest.mark.parametrize(
    "relative",
    [
        "junit/publish-unit-test-result-action/python/test/files/junit-xml/non-junit.xml",
        "junit/publish-unit-test-result-action/python/test/files/mocha/tests.json",
    ],
)
def test_other_formats_are_not_claimed(corpus: Path, relative: str) -> None:
    path = corpus / relative
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    assert files
    for file in files:
        assert claimed(file) == [], file


@pytest.mark.parametrize(
    "head",
    [
        b'<?xml version="1.0"?>\n<!-- written by a tool -->\n<testsuites name="x">',
        b"\xef\xbb\xbf<testsuite>",
        b"  \n<testsuite/>",
        b'<?xml version="1.0"?><?xml-stylesheet href="a.xsl"?><!DOCTYPE testsuite [ ]><testsuite>',
        '<?xml version="1.0" encoding="UTF-16"?><testsuites>'.encode("utf-16"),
        b"<j:testsuites xmlns:j='urn:x'>",
    ],
)
def test_junit_heads(head: bytes) -> None:
    assert claimed_bytes(head) == ["junit"]


MANY_CHECKS = {f"status is {code}": {"passes": 1, "fails": 0} for code in range(100, 300)}


@pytest.mark.parametrize(
    "document",
    [
        b'{"state": {"isStdOutTTY": true}, "metrics": {"vus": {}}}',
        b'{"options": {"summaryTrendStats": []}, "metrics": {}}',
        b'\n  {\n "root_group": {}, "metrics": {}}',
        # an export whose root group lists so many checks that "metrics" comes late
        json.dumps({"root_group": {"checks": MANY_CHECKS}, "metrics": {}}).encode(),
        json.dumps({"metrics": {}, "root_group": {"checks": MANY_CHECKS}}).encode(),
    ],
)
def test_k6_summaries_in_any_key_order(document: bytes) -> None:
    assert claimed_bytes(document) == ["k6"]


@pytest.mark.parametrize(
    "head",
    [
        b"hello, this is a plain text file\nwith two lines\n",
        b"",
        b"<html><body>testsuite</body></html>",
        b"<!-- <testsuite> in a comment only -->\n<results/>",
        b'{"metrics": {}}',
        b'["metrics", "root_group"]',
        b'{"benchmarks": []}',
        random.Random(7).randbytes(SNIFF_BYTES),
    ],
    ids=[
        "text",
        "empty",
        "html",
        "comment-only",
        "metrics-only",
        "array",
        "no-machine-info",
        "random",
    ],
)
def test_nothing_claims_other_content(head: bytes) -> None:
    assert claimed_bytes(head) == []


def test_unknown_format_is_an_evidence_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("just some notes\n")
    with pytest.raises(EvidenceError, match="cannot tell the format"):
        detect_format(path, "notes.txt")


FIXTURES = Path(__file__).parent / "fixtures"
FORMAT_FOLDERS = sorted(p for p in FIXTURES.iterdir() if p.is_dir() and p.name in PARSER_MODULES)
NOT_CLAIMED = {
    "criterion/target/criterion/fib/20/new/benchmark.json": "read beside estimates.json",
    "criterion/target/criterion/fib/20/new/sample.json": "read beside estimates.json",
    "wrk/refused.txt": "wrk's 'unable to connect' output is no report",
    "sarif/SOURCES.md": "where the SARIF fixtures came from, not one of them",
    "litmus/SOURCES.md": "where the Litmus fixtures came from, not one of them",
    "chaos-mesh/SOURCES.md": "where the Chaos Mesh fixtures came from, not one of them",
}


@pytest.mark.parametrize("folder", FORMAT_FOLDERS, ids=[p.name for p in FORMAT_FOLDERS])
def test_a_format_claims_its_fixtures_and_nothing_else(folder: Path) -> None:
    """Every fixture of a format is detected as that format alone; no other fixture is."""
    for path in sorted(p for p in FIXTURES.rglob("*") if p.is_file()):
        formats = claimed(path)
        relative = path.relative_to(FIXTURES).as_posix()
        if folder in path.parents and relative not in NOT_CLAIMED:
            assert formats == [folder.name], relative
        else:
            assert folder.name not in formats, relative
