"""Parsers: one module per artifact format, registered by name.

Modules are grouped by what they yield: ``testresults/`` (tests), ``load/`` (request
and metric series), ``bench/`` (benchmark series), ``coverage/`` (coverage series),
``analysis/`` (static-analysis findings) and ``chaos/`` (chaos experiments' verdicts);
``_json`` (and ``_json_stream``, which streams a document of any size), ``_xml`` and
``_text`` are the bounded, position-reporting readers they share.
Adding a format means one new module and one line in ``PARSER_MODULES``.
A parser reads one file and returns a ``ParsedFile`` or raises
``EvidenceError`` naming the file and, where it can, the line and column.
Modules are imported only when their format is needed (or detection asks),
so a module keeps heavy imports inside ``parse``.

Layer: evidence. May import the base and model layers; never the engine, reports or GitHub.
"""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Callable, Iterator, Sequence
from itertools import islice
from pathlib import Path
from typing import Protocol, cast, runtime_checkable

from gatekeeper.errors import EvidenceError, Position
from gatekeeper.evidence import ParsedFile, SeriesRequest, TestResult
from gatekeeper.parsers._json_head import SKELETON, JsonHead, read_json_head
from gatekeeper.parsers._json_stream import Spec, union
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
class StreamsTests(Protocol):
    """A test format that can hand each test over as it is read, keeping none."""

    def stream_tests(
        self, path: Path, display: str, sink: Callable[[TestResult], object]
    ) -> ParsedFile:
        """``parse`` with every test handed to ``sink`` in order, none kept in the result."""
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
class ReadsProjection(Protocol):
    """A JSON document format whose ``parse_json`` reads only part of a document, named by
    ``JSON_PROJECTION``: detection streams a large document into that part and hands it on
    (the other formats read a large file again; see ``_json_head``)."""

    JSON_PROJECTION: Spec
    """What ``parse_json`` reads (``_json_stream.Spec``)."""


@runtime_checkable
class JsonLinesFormat(Protocol):
    """A format whose files are JSON lines (a stream of events), told by decoded lines."""

    def detect_json_lines(self, lines: Sequence[object]) -> bool:
        """Whether the decoded lines of a file's head (``lines[0]`` its first) are this
        format's."""
        ...


PARSER_MODULES: dict[str, str] = {
    # Detection asks them in this order (the most specific signatures first: XML roots
    # and JSON documents before the text formats' line shapes); see ``identify``.
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
    "cobertura": "gatekeeper.parsers.coverage.cobertura",
    "jacoco": "gatekeeper.parsers.coverage.jacoco",
    "coverage-json": "gatekeeper.parsers.coverage.coverage_json",
    "lcov": "gatekeeper.parsers.coverage.lcov",
    "go-cover": "gatekeeper.parsers.coverage.go_cover",
    "sarif": "gatekeeper.parsers.analysis.sarif",
    "litmus": "gatekeeper.parsers.chaos.litmus",
    "chaos-mesh": "gatekeeper.parsers.chaos.chaos_mesh",
    "prometheus": "gatekeeper.parsers.load.prometheus",
}

AUTO = "auto"
FORMAT_NAMES: tuple[str, ...] = (AUTO, *PARSER_MODULES)


def holds_tests(name: str) -> bool:
    """Whether format ``name`` is one of test results (its module is in ``testresults/``)."""
    return PARSER_MODULES[name].startswith("gatekeeper.parsers.testresults.")


def holds_findings(name: str) -> bool:
    """Whether format ``name`` is one of static-analysis findings (its module is in
    ``analysis/``)."""
    return PARSER_MODULES.get(name, "").startswith("gatekeeper.parsers.analysis.")


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
    """Tell a file's format from its content, not its name: the one format that claims its
    head (bytes), its JSON document or its JSON lines. A file two formats claim is refused,
    never read as the first of them (a hyperfine export with pytest-benchmark's keys added
    would be read as pytest-benchmark, its failed runs unseen). A JSON document is decoded
    once, here, and handed on to the parser.

    An XML document is the exception: its one root element names its format (no two XML
    formats share a root name), so the first claimant is taken. Asking the others too would
    import every parser module, some 25 ms a process, to hear each say no."""
    from gatekeeper.parsers._xml import root_name  # _xml imports this module

    head, json_head = _sniff(path, display)
    claimants = _claimants(head, json_head)
    found = list(islice(claimants, 1) if root_name(head) is not None else claimants)
    if len(found) > 1:
        names = ", ".join(claimant.name for claimant in found)
        message = f"the content fits more than one format ({names}); set `format:`"
        raise EvidenceError(Position(display), message)
    if found:
        return found[0]
    if not head.strip():
        raise EvidenceError(Position(display), _EMPTY if not head else _BLANK)
    if json_head is not None and json_head.problem is not None:
        problem = json_head.problem  # JSON that does not decode: say where it breaks
        raise EvidenceError(problem.position, f"cannot tell the format: {problem.message}")
    tried = ", ".join(PARSER_MODULES)
    raise EvidenceError(Position(display), f"cannot tell the format (tried {tried}); set `format:`")


def claiming_formats(path: Path, display: str) -> list[str]:
    """Every format that claims a file, in ``PARSER_MODULES`` order: a file a tool wrote is
    claimed by its format alone, and detection refuses a file claimed by more (an XML
    document is asked no further than its first claimant: see ``identify``)."""
    return [found.name for found in _claimants(*_sniff(path, display))]


def _sniff(path: Path, display: str) -> tuple[bytes, JsonHead | None]:
    try:
        with path.open("rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError as exc:
        raise EvidenceError(Position(display), f"cannot read: {exc.strerror or exc}") from exc
    whole = len(head) < SNIFF_BYTES
    return head, read_json_head(path, display, head, whole=whole, projection=_projection)


def _projection() -> Spec:
    """What detection keeps of a JSON document too large to decode whole: what every
    format's ``detect_json`` looks at, and what the formats that read a projection read."""
    specs = [SKELETON]
    for name in PARSER_MODULES:
        parser = get_parser(name)
        if isinstance(parser, ReadsProjection):
            specs.append(parser.JSON_PROJECTION)
    return union(*specs)


def _claimants(head: bytes, json_head: JsonHead | None) -> Iterator[Detection]:
    document = None if json_head is None else json_head.document
    lines = () if json_head is None else json_head.lines
    projected = json_head is not None and json_head.projected
    for name in PARSER_MODULES:
        parser = get_parser(name)
        if isinstance(parser, HeadDetector) and parser.detect(head):
            yield Detection(name)
        elif isinstance(parser, JsonDocumentFormat) and _claims_document(parser, document):
            reads = not projected or isinstance(parser, ReadsProjection)
            yield Detection(name, document if reads else None)
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
    found = identify(path, display) if fmt == AUTO else _declared(path, display, fmt)
    return _parse_found(path, display, found, wanted)


_EMPTY = "the file is empty (0 bytes): the tool that writes it did not finish, or wrote nothing"
_BLANK = "the file holds nothing but blank space: the tool that writes it wrote nothing"


def _declared(path: Path, display: str, fmt: str) -> Detection:
    """A file of a declared format, unless it is empty: that says so instead of whatever the
    format's reader makes of no content ('malformed XML: no element found')."""
    try:
        empty = path.stat().st_size == 0
    except OSError:
        empty = False  # the reader says why it cannot be read
    if empty:
        raise EvidenceError(Position(display), _EMPTY)
    return Detection(fmt)


def _parse_found(
    path: Path, display: str, found: Detection, wanted: Sequence[SeriesRequest]
) -> ParsedFile:
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


def stream_file(
    path: Path,
    display: str,
    fmt: str,
    sink: Callable[[TestResult], object],
    wanted: Sequence[SeriesRequest] = (),
) -> ParsedFile:
    """``parse_file`` with each test handed to ``sink`` and none kept: as it is read where the
    format streams (``StreamsTests``), else once the file is parsed."""
    found = identify(path, display) if fmt == AUTO else _declared(path, display, fmt)
    parser = get_parser(found.name)
    if isinstance(parser, StreamsTests) and found.document is None:
        return check_plausible(parser.stream_tests(path, display, sink))
    parsed = _parse_found(path, display, found, wanted)
    for test in parsed.tests:
        sink(test)
    return dataclasses.replace(parsed, tests=(), streamed_tests=parsed.test_count)
