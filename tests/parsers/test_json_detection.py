"""How ``format: auto`` reads JSON: by the decoded value, decoded once, streams by their head.

The rewrite test (test_json_rewrites) holds that equal JSON is read the same; these hold
the mechanism: no format is told from JSON's bytes, a document is decoded once and handed
to its parser, a JSON-lines stream is told from its head's lines without reading the rest,
and JSON that does not decode is refused where it breaks.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gatekeeper import parsers
from gatekeeper.cli import main
from gatekeeper.errors import EvidenceError, ExitCode
from gatekeeper.parsers import (
    AUTO,
    PARSER_MODULES,
    SNIFF_BYTES,
    HeadDetector,
    JsonDocumentFormat,
    JsonLinesFormat,
    Parser,
    _json,
    claiming_formats,
    detect_format,
    get_parser,
    identify,
    parse_file,
)
from gatekeeper.parsers._json_head import read_json_head
from tests.parsers.test_json_rewrites import json_files

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "parsers" / "fixtures"


def test_every_format_has_a_detector() -> None:
    for name in PARSER_MODULES:
        parser = get_parser(name)
        kinds = [isinstance(parser, k) for k in (HeadDetector, JsonDocumentFormat, JsonLinesFormat)]
        assert any(kinds), name


BYTES_PENDING: dict[str, str] = {}
"""Formats that still tell their JSON from the head's bytes, by folder: strict, so a fix shows."""


def _pending(relative: str) -> list[pytest.MarkDecorator]:
    reason = BYTES_PENDING.get(relative.split("/")[-2])
    return [pytest.mark.xfail(strict=True, reason=reason)] if reason else []


@pytest.mark.parametrize(
    "relative", [pytest.param(r, marks=_pending(r), id=r) for r, _ in json_files()]
)
def test_no_format_tells_json_by_its_bytes(relative: str) -> None:
    """A detector of bytes may not claim JSON: its spelling would decide the format."""
    head = (REPO / relative).read_bytes()[:SNIFF_BYTES]
    byte_claims = [
        name
        for name in PARSER_MODULES
        if isinstance(parser := get_parser(name), HeadDetector) and parser.detect(head)
    ]
    assert byte_claims == []


def test_a_document_is_decoded_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Path] = []
    real_load = _json.load

    def counting_load(path: Path, display: str) -> object:
        calls.append(path)
        return real_load(path, display)

    monkeypatch.setattr(_json, "load", counting_load)
    path = FIXTURES / "hyperfine" / "commands.json"
    found = identify(path, "commands.json")
    assert (found.name, calls) == ("hyperfine", [path])
    assert found.document == json.loads(path.read_bytes())
    calls.clear()
    parsed = parse_file(path, "commands.json", AUTO)
    assert calls == [path]  # detection's decoding, handed to the parser
    assert parsed == parse_file(path, "commands.json", "hyperfine")


def test_a_stream_is_told_from_its_head_alone() -> None:
    path = FIXTURES / "go-bench" / "count2.json"
    json_head = read_json_head(path, path.name, path.read_bytes()[:SNIFF_BYTES], whole=False)
    assert json_head is not None
    assert (json_head.document, json_head.problem) == (None, None)
    first = path.read_bytes().split(b"\n", 1)[0]
    assert json_head.lines[0] == json.loads(first)
    assert len(json_head.lines) > 1


def test_a_first_line_longer_than_the_head_is_read_to_its_end(tmp_path: Path) -> None:
    """A stream whose first event is long is still a stream, not a document to refuse."""
    long_output = "goos: linux " + "x" * (2 * SNIFF_BYTES)
    events = [
        {"Action": "output", "Package": "p", "Output": long_output + "\n"},
        {"Action": "output", "Package": "p", "Output": "BenchmarkA-8 \t 10\t 5 ns/op\n"},
        {"Action": "pass", "Package": "p"},
    ]
    path = tmp_path / "run.json"
    path.write_text("".join(json.dumps(e) + "\n" for e in events), encoding="utf-8")
    head = path.read_bytes()[:SNIFF_BYTES]
    json_head = read_json_head(path, "run.json", head, whole=False)
    assert json_head is not None
    assert (json_head.document, json_head.problem) == (None, None)  # not read as a document
    assert json_head.lines == tuple(events)
    assert detect_format(path, "run.json") == "go-bench"


def test_json_that_does_not_decode_is_refused_where_it_breaks(tmp_path: Path) -> None:
    text = (FIXTURES / "hyperfine" / "single-run.json").read_text(encoding="utf-8")
    path = tmp_path / "cut.json"
    path.write_text(text.replace('"mean": ', '"mean" ', 1), encoding="utf-8")
    with pytest.raises(EvidenceError) as caught:
        detect_format(path, "cut.json")
    assert str(caught.value) == "cut.json:5:14: cannot tell the format: invalid JSON: " + (
        "Expecting ':' delimiter"
    )


def test_an_oversized_document_is_refused_as_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_json, "MAX_BYTES", 100)
    path = tmp_path / "big.json"
    path.write_text(json.dumps({"results": [{"command": "x" * 200}]}), encoding="utf-8")
    with pytest.raises(EvidenceError, match=r"^big\.json: cannot tell the format: file is larger"):
        detect_format(path, "big.json")


def test_json_no_format_knows_lists_the_formats_tried(tmp_path: Path) -> None:
    path = tmp_path / "other.json"
    path.write_text('{"name": "a", "value": 1}\n', encoding="utf-8")
    with pytest.raises(EvidenceError, match=r"^other.json: cannot tell the format \(tried junit, "):
        detect_format(path, "other.json")


def test_a_file_two_formats_claim_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A hyperfine export with pytest-benchmark's keys added (review F7): read as the first
    # claimant, pytest-benchmark, its failed runs went unseen.
    document = json.loads((FIXTURES / "hyperfine" / "commands.json").read_text())
    document.update(machine_info={}, benchmarks=[])
    path = tmp_path / "hf.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert claiming_formats(path, "hf.json") == ["pytest-benchmark", "hyperfine"]
    said = "hf.json: the content fits more than one format (pytest-benchmark, hyperfine); set "
    with pytest.raises(EvidenceError) as caught:
        parse_file(path, "hf.json", AUTO)
    assert str(caught.value) == said + "`format:`"
    hyperfine = {m.label: m.failures for m in parse_file(path, "hf.json", "hyperfine").metrics}
    assert hyperfine["false"] == ("5 of 5 runs exited non-zero (exit code 1)",)
    checked = [(AUTO, ExitCode.NO_EVIDENCE, "error"), ("hyperfine", ExitCode.FAILED, "fail")]
    for fmt, code, outcome in checked:
        (tmp_path / "m.yml").write_text(MATRIX.replace("FORMAT", fmt), encoding="utf-8")
        argv = ["check", "-m", str(tmp_path / "m.yml"), "--dry-run", "--format", "json"]
        assert main(argv) == code
        (result,) = json.loads(capsys.readouterr().out)["cells"][0]["benchmarks"]
        assert result["outcome"] == outcome
        assert (said in "".join(result["details"])) == (fmt == AUTO)


MATRIX = """\
version: 1
project: T
phases: [{id: one, name: One}]
artifacts:
  hf: {format: FORMAT, paths: hf.json}
swimlanes:
  - id: core
    name: Core
    cells:
      one:
        goal: fast
        benchmarks:
          - {id: false-is-fast, metric: {from: hf, name: "false"}, threshold: mean < 1s}
"""


def test_an_xml_document_is_asked_no_further_than_its_first_claimant(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Its one root element names its format; asking every format would import them all.
    asked: list[str] = []
    real_get_parser = parsers.get_parser

    def recording(name: str) -> Parser:
        asked.append(name)
        return real_get_parser(name)

    monkeypatch.setattr(parsers, "get_parser", recording)
    assert identify(FIXTURES / "real" / "pytest-xunit2.xml", "x.xml").name == "junit"
    assert asked == ["junit"]
    asked.clear()
    assert identify(FIXTURES / "hyperfine" / "commands.json", "h.json").name == "hyperfine"
    assert asked == list(PARSER_MODULES)  # anything else: every format is asked
