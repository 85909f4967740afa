"""Read the files ``init --from`` was pointed at: each parsed by its content, or the reason
it could not be (a value, not an abort: every file is accounted for)."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from gatekeeper.errors import EvidenceError, UsageError
from gatekeeper.evidence import ParsedFile, SeriesRequest
from gatekeeper.findfiles import special_kind
from gatekeeper.parsers import AUTO, parse_file
from gatekeeper.records import record

MAX_FILES = 2000
"""Files read at most: a folder of more is not a folder of CI reports."""
SKIPPED_FOLDERS = frozenset(
    {".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", ".tox", ".nox",
     ".mypy_cache", ".ruff_cache", ".pytest_cache"}
)  # fmt: skip
"""Folders that hold tools' own files, never their reports (``.benchmarks`` is read)."""


@record
class Scanned:
    """One file found under the given paths."""

    path: str
    """The file as the matrix names it: relative to the root the matrix reads from, with /."""
    parsed: ParsedFile | None
    """What it holds, when its format was recognised and it could be read."""
    problem: str = ""
    """Why it was not read, when ``parsed`` is None."""
    named: bool = False
    """Named on the command line itself, not found in a folder: its glob is its own path
    (the folder's other files were not read, so a glob that would match them is a guess)."""


@record
class Scan:
    """Every file found, and what was not looked at."""

    files: tuple[Scanned, ...]
    left_unread: int = 0
    """Files past ``MAX_FILES``, not read."""


def scan(sources: Sequence[str], root: Path, matrix: Path | None = None) -> Scan:
    """Read every file under ``sources`` (files or folders) but ``matrix`` (the file being
    written); ``root``: the folder the matrix's globs start from. A source that does not
    exist is a usage error."""
    found: list[Scanned] = []
    seen: set[str] = set() if matrix is None else {_relative(matrix, root)}
    left = 0
    for file, named in _files(sources):
        path = _relative(file, root)
        if path in seen:
            continue
        seen.add(path)
        if len(found) >= MAX_FILES:
            left += 1
            continue
        special = _not_regular(file)
        if special:  # a FIFO would be waited on for ever; a device is no report
            found.append(Scanned(path, None, f"{special}, not a regular file", named))
            continue
        try:
            found.append(Scanned(path, parse_file(file, path, AUTO), named=named))
        except EvidenceError as exc:
            message = str(exc)
            found.append(Scanned(path, None, message.removeprefix(f"{path}: "), named))
    return Scan(tuple(found), left)


def _files(sources: Sequence[str]) -> Iterator[tuple[Path, bool]]:
    """Each file, and whether it was named itself (not found in a folder)."""
    for source in sources:
        path = Path(source)
        if path.is_dir():
            yield from ((file, False) for file in _walk(path))
        elif path.exists():  # a file, or a FIFO or device that scan() then names
            yield path, True
        else:
            raise UsageError(f"--from {source!r}: no such file or folder")


def _not_regular(file: Path) -> str | None:
    """What ``file`` is when it is there and not a regular file (symlinks followed); None
    for a regular file, or when it cannot be looked at (reading it then says why)."""
    try:
        mode = file.stat().st_mode
    except (OSError, RuntimeError):
        return None
    return special_kind(mode)


def _walk(folder: Path) -> Iterator[Path]:
    for top, folders, names in os.walk(folder):
        folders[:] = sorted(f for f in folders if f not in SKIPPED_FOLDERS)
        for name in sorted(names):
            yield Path(top) / name


def _relative(file: Path, root: Path) -> str:
    """``file`` from ``root`` (``..`` when outside it, as artifact globs allow), with /."""
    try:
        resolved = file.resolve()
    except (OSError, RuntimeError):  # a symlink loop (RuntimeError before Python 3.13)
        resolved = Path(os.path.normpath(file.absolute()))  # named where found; reading fails
    try:
        return Path(os.path.relpath(resolved, root)).as_posix()
    except ValueError:  # another drive on Windows: no relative path exists
        return resolved.as_posix()


def reread(
    files: Sequence[ParsedFile], root: Path, wanted: Sequence[SeriesRequest]
) -> tuple[ParsedFile, ...]:
    """``files`` read again as ``check`` reads them for ``wanted`` series (a stream keeps
    only those, and a file without one says so); a file that now fails is left out, and the
    engine then judges the rest."""
    again = []
    for parsed in files:
        try:
            again.append(parse_file(root / parsed.path, parsed.path, parsed.format, wanted))
        except EvidenceError:
            continue
    return tuple(again)
