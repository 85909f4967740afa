"""Parsers: one module per artifact format, registered by name.

Adding a format means one new module and one line in ``PARSERS``.
A parser reads one file and returns a ``ParsedFile`` or raises
``EvidenceError`` naming the file and, where it can, the line and column.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from gatekeeper.errors import EvidenceError, Position
from gatekeeper.evidence import ParsedFile
from gatekeeper.parsers import junit, k6, pytest_benchmark

SNIFF_BYTES = 4096
"""How much of the start of a file format detection looks at."""


class Parser(Protocol):
    """What every format module provides."""

    NAME: str
    """The format name used in the matrix file."""

    def detect(self, head: bytes) -> bool:
        """Whether the first bytes of a file look like this format."""
        ...

    def parse(self, path: Path, display: str) -> ParsedFile:
        """Read the file at ``path``; ``display`` is how messages name it."""
        ...


PARSERS: dict[str, Parser] = {
    junit.NAME: junit,
    k6.NAME: k6,
    pytest_benchmark.NAME: pytest_benchmark,
}

AUTO = "auto"
FORMAT_NAMES: tuple[str, ...] = (AUTO, *PARSERS)


def detect_format(path: Path, display: str) -> str:
    """Tell a file's format from its content, not its name."""
    try:
        with path.open("rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError as exc:
        raise EvidenceError(Position(display), f"cannot read: {exc.strerror or exc}") from exc
    for name, parser in PARSERS.items():
        if parser.detect(head):
            return name
    tried = ", ".join(PARSERS)
    raise EvidenceError(Position(display), f"cannot tell the format (tried {tried}); set `format:`")


def parse_file(path: Path, display: str, fmt: str) -> ParsedFile:
    """Parse one file as ``fmt`` (or detect it when ``fmt`` is 'auto')."""
    name = detect_format(path, display) if fmt == AUTO else fmt
    return PARSERS[name].parse(path, display)
