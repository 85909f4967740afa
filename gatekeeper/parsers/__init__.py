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
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol, cast

from gatekeeper.errors import EvidenceError, Position
from gatekeeper.evidence import ParsedFile, SeriesRequest
from gatekeeper.plausible import check_plausible

SNIFF_BYTES = 4096
"""How much of the start of a file format detection looks at."""


class Parser(Protocol):
    """What every format module provides."""

    NAME: str
    """The format name used in the matrix file."""

    def detect(self, head: bytes) -> bool:
        """Whether the first bytes of a file look like this format."""
        ...

    def parse(self, path: Path, display: str, wanted: Sequence[SeriesRequest] = ()) -> ParsedFile:
        """Read the file at ``path``; ``display`` is how messages name it.

        ``wanted`` names the series the matrix asks for; formats that carry raw
        samples (streams) use it to keep only those, with their tag filters.
        """
        ...


PARSER_MODULES: dict[str, str] = {
    # Detection tries them in this order: the most specific signatures first, so the
    # XML roots and JSON keys come before the text formats' line shapes.
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


def detect_format(path: Path, display: str) -> str:
    """Tell a file's format from its content, not its name."""
    try:
        with path.open("rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError as exc:
        raise EvidenceError(Position(display), f"cannot read: {exc.strerror or exc}") from exc
    for name in PARSER_MODULES:
        if get_parser(name).detect(head):
            return name
    tried = ", ".join(PARSER_MODULES)
    raise EvidenceError(Position(display), f"cannot tell the format (tried {tried}); set `format:`")


def parse_file(
    path: Path, display: str, fmt: str, wanted: Sequence[SeriesRequest] = ()
) -> ParsedFile:
    """Parse one file as ``fmt`` (or detect it when ``fmt`` is 'auto'); every value it yields
    is one a tool can have measured (``gatekeeper.plausible``), whatever the format."""
    name = detect_format(path, display) if fmt == AUTO else fmt
    try:
        parsed = get_parser(name).parse(path, display, wanted)
    except ArithmeticError as exc:  # statistics of values past the float limit, in any parser
        message = f"numbers too large to compute statistics with ({type(exc).__name__})"
        raise EvidenceError(Position(display), message) from exc
    return check_plausible(parsed)
