"""Parsers: one module per artifact format, registered by name.

Modules are grouped by what they yield: ``testresults/`` (tests), ``load/`` (request
and metric series) and ``bench/`` (benchmark series); ``_json``, ``_xml`` and ``_text``
are the bounded, position-reporting readers they share. Adding a format means one new
module and one line in ``PARSER_MODULES``.
A parser reads one file and returns a ``ParsedFile`` or raises
``EvidenceError`` naming the file and, where it can, the line and column.
Modules are imported only when their format is needed (or detection asks),
so a module keeps heavy imports inside ``parse``.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Protocol, cast, runtime_checkable

from gatekeeper.errors import EvidenceError, Position
from gatekeeper.evidence import ParsedFile, SeriesRequest
from gatekeeper.parsers._json_head import JsonHead, read_json_head
from gatekeeper.plausible import check_plausible
from gatekeeper.records import record

SNIFF_BYTES = 4096
"""How much of the start of a file format detection looks at."""


class Parser(Protocol):
    """What every format module provides, beside at least one way to be detected:
    ``HeadDetector``, ``JsonDocumentFormat`` or ``JsonLinesFormat``."""

    NAME: str
    """The format name used in the matrix file."""

    def parse(self, path: Path, display: str, wanted: Sequence[SeriesRequest] = ()) -> ParsedFile:
        """Read the file at ``path``; ``display`` is how messages name it.

        ``wanted`` names the series the matrix asks for; formats that carry raw
        samples (streams) use it to keep only those, with their tag filters.
        """
        ...


@runtime_checkable
class HeadDetector(Protocol):
    """A format told by a file's first bytes: XML by its root element, text by its lines."""

    def detect(self, head: bytes) -> bool:
        """Whether the first bytes of a file look like this format."""
        ...


@runtime_checkable
class JsonDocumentFormat(Protocol):
    """A format whose files are one JSON document, told by the decoded value (members in
    any order, escapes decoded), never by how the bytes spell it."""

    def detect_json(self, document: object) -> bool:
        """Whether a JSON document (an object or an array) is this format's."""
        ...

    def parse_json(
        self, document: object, path: Path, display: str, wanted: Sequence[SeriesRequest] = ()
    ) -> ParsedFile:
        """``parse`` of a file already decoded to ``document`` (``path`` finds its siblings)."""
        ...


@runtime_checkable
class JsonLinesFormat(Protocol):
    """A format whose files are JSON lines (a stream of events), told by decoded lines."""

    def detect_json_lines(self, lines: Sequence[object]) -> bool:
        """Whether the decoded lines of a file's head (``lines[0]`` its first) are this
        format's."""
        ...


PARSER_MODULES: dict[str, str] = {
    # Detection tries them in this order: the most specific signatures first, so the
    # XML roots and JSON documents come before the text formats' line shapes.
    "junit": "gatekeeper.parsers.testresults.junit",
    "nunit": "gatekeeper.parsers.testresults.nunit",
    "xunit-net": "gatekeeper.parsers.testresults.xunit_net",
    "trx": "gatekeeper.parsers.testresults.trx",
    "testng": "gatekeeper.parsers.testresults.testng",
    "k6": "gatekeeper.parsers.load.k6",
    "k6-ndjson": "gatekeeper.parsers.load.k6_ndjson",
    "jmeter": "gatekeeper.parsers.load.jmeter",
    "locust": "gatekeeper.parsers.load.locust",
    "pytest-benchmark": "gatekeeper.parsers.bench.pytest_benchmark",
    "google-benchmark": "gatekeeper.parsers.bench.google_benchmark",
    "hyperfine": "gatekeeper.parsers.bench.hyperfine",
    "catch2": "gatekeeper.parsers.bench.catch2",
    "go-bench": "gatekeeper.parsers.bench.go_bench",
    "gatling": "gatekeeper.parsers.load.gatling",
    "wrk": "gatekeeper.parsers.load.wrk",
    "vegeta": "gatekeeper.parsers.load.vegeta",
    "jmh": "gatekeeper.parsers.bench.jmh",
    "benchmarkdotnet": "gatekeeper.parsers.bench.benchmarkdotnet",
    "benchmarkjs": "gatekeeper.parsers.bench.benchmarkjs",
    "cargo-bench": "gatekeeper.parsers.bench.cargo_bench",
    "criterion": "gatekeeper.parsers.bench.criterion",
}

AUTO = "auto"
FORMAT_NAMES: tuple[str, ...] = (AUTO, *PARSER_MODULES)


def get_parser(name: str) -> Parser:
    """The parser module for a format name."""
    return cast(Parser, importlib.import_module(PARSER_MODULES[name]))


@record
class Detection:
    """The format content says a file is in, and the document detection decoded to tell."""

    name: str
    """The format's name."""
    document: object | None = None
    """The file's JSON document, when it is one and the format reads JSON documents."""


def identify(path: Path, display: str) -> Detection:
    """Tell a file's format from its content, not its name: the first format, in
    ``PARSER_MODULES`` order, that claims its head (bytes), its JSON document or its JSON
    lines. A JSON document is decoded once, here, and handed on to the parser."""
    head, json_head = _sniff(path, display)
    found = next(_claimants(head, json_head), None)
    if found is not None:
        return found
    if json_head is not None and json_head.problem is not None:
        problem = json_head.problem  # JSON that does not decode: say where it breaks
        raise EvidenceError(problem.position, f"cannot tell the format: {problem.message}")
    tried = ", ".join(PARSER_MODULES)
    raise EvidenceError(Position(display), f"cannot tell the format (tried {tried}); set `format:`")


def claiming_formats(path: Path, display: str) -> list[str]:
    """Every format that claims a file, in detection order: detection takes the first, and
    a file a tool wrote should be claimed by its format alone."""
    return [found.name for found in _claimants(*_sniff(path, display))]


def _sniff(path: Path, display: str) -> tuple[bytes, JsonHead | None]:
    try:
        with path.open("rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError as exc:
        raise EvidenceError(Position(display), f"cannot read: {exc.strerror or exc}") from exc
    return head, read_json_head(path, display, head, whole=len(head) < SNIFF_BYTES)


def _claimants(head: bytes, json_head: JsonHead | None) -> Iterator[Detection]:
    document = None if json_head is None else json_head.document
    lines = () if json_head is None else json_head.lines
    for name in PARSER_MODULES:
        parser = get_parser(name)
        if isinstance(parser, HeadDetector) and parser.detect(head):
            yield Detection(name)
        elif isinstance(parser, JsonDocumentFormat) and _claims_document(parser, document):
            yield Detection(name, document)
        elif lines and isinstance(parser, JsonLinesFormat) and parser.detect_json_lines(lines):
            yield Detection(name)


def _claims_document(parser: JsonDocumentFormat, document: object | None) -> bool:
    return document is not None and parser.detect_json(document)


def detect_format(path: Path, display: str) -> str:
    """The name of the format a file's content says it is in (see ``identify``)."""
    return identify(path, display).name


def parse_file(
    path: Path, display: str, fmt: str, wanted: Sequence[SeriesRequest] = ()
) -> ParsedFile:
    """Parse one file as ``fmt`` (or detect it when ``fmt`` is 'auto'); every value it yields
    is one a tool can have measured (``gatekeeper.plausible``), whatever the format."""
    found = identify(path, display) if fmt == AUTO else Detection(fmt)
    parser = get_parser(found.name)
    try:
        if found.document is not None and isinstance(parser, JsonDocumentFormat):
            parsed = parser.parse_json(found.document, path, display, wanted)
        else:
            parsed = parser.parse(path, display, wanted)
    except ArithmeticError as exc:  # statistics of values past the float limit, in any parser
        message = f"numbers too large to compute statistics with ({type(exc).__name__})"
        raise EvidenceError(Position(display), message) from exc
    return check_plausible(parsed)
