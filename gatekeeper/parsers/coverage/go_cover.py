"""Go's cover profiles (``go test -coverprofile``): ``mode: set|count|atomic``, then one
``file:startLine.startCol,endLine.endCol statements count`` line per block.

Go measures statements: they are the ``line`` statistic here (``lines_covered`` of
``lines_total`` count statements), as ``go tool cover -func`` totals them. A block listed
more than once (profiles of several packages concatenated, ``-coverpkg``) is covered where
any listing covers it, and must name the same number of statements each time, as ``go tool
cover`` requires. A series per file (its import path), per package (the file's folder) and
``TOTAL``. Go's profiles have no branch or function counts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from gatekeeper.errors import EvidenceError, Position
from gatekeeper.evidence import ParsedFile, SeriesRequest
from gatekeeper.parsers._text import head_lines, terminated_lines
from gatekeeper.parsers.coverage._counts import Counts, normalised, parsed, tally

NAME = "go-cover"

_MODE = re.compile(r"mode: (set|count|atomic)")
_BLOCK = re.compile(r"(.+):(\d{1,9})\.(\d{1,9}),(\d{1,9})\.(\d{1,9}) (\d{1,9}) (\d{1,19})")


def detect(head: bytes) -> bool:
    """The first line is ``mode: set``, ``mode: count`` or ``mode: atomic``."""
    lines = head_lines(head)
    return bool(lines) and _MODE.fullmatch(lines[0].rstrip()) is not None


def parse(path: Path, display: str, wanted: Sequence[SeriesRequest] = ()) -> ParsedFile:
    """Read a cover profile: a series per file, per package and the report's TOTAL."""
    blocks: dict[str, dict[tuple[int, int, int, int], tuple[int, bool]]] = {}
    for number, text in terminated_lines(path, display, max_line=64 * 1024):
        line = text.rstrip("\r\n")
        where = Position(display, number)
        if number == 1:
            if _MODE.fullmatch(line) is None:
                raise EvidenceError(where, "expected `mode: set`, `count` or `atomic` first")
            continue
        if not line.strip():
            continue
        if _MODE.fullmatch(line):
            continue  # profiles concatenated: each starts with its mode line
        found = _BLOCK.fullmatch(line)
        if found is None:
            shown = line if len(line) <= 80 else line[:77] + "..."
            message = f"cannot read {shown!r}: expected file:line.col,line.col statements count"
            raise EvidenceError(where, message)
        name = normalised(found[1])
        key = (int(found[2]), int(found[3]), int(found[4]), int(found[5]))
        statements, hit = int(found[6]), int(found[7]) > 0
        held = blocks.setdefault(name, {})
        if key in held and held[key][0] != statements:
            message = (
                f"{name}:{key[0]}.{key[1]} listed with {held[key][0]} and {statements} "
                "statements: the profiles disagree"
            )
            raise EvidenceError(where, message)
        held[key] = (statements, hit or (key in held and held[key][1]))
    files: dict[str, Counts] = {}
    packages: dict[str, Counts] = {}
    for name, held in blocks.items():
        total = sum(statements for statements, _ in held.values())
        covered = sum(statements for statements, hit in held.values() if hit)
        files[name] = Counts(lines=(covered, total))
        package = name.rpartition("/")[0]
        if package:
            tally(packages, package, files[name])
    return parsed(NAME, display, files, packages)
