"""Find a failing test's source file in the workspace, and the line its test starts on.

Test reports name files relative to wherever the runner ran (pytest: its rootdir), or
absolute on the machine that ran them; annotations need a path from the repository root.
pytest also writes 0-based lines (``line="24"`` for a ``def`` on line 25), other runners
1-based, so the line is checked against the source where it can be read.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from gatekeeper.evidence import TestResult
from gatekeeper.github.annotate import Location

_MAX_FILES = 50_000
"""Files indexed for suffix matching; a bigger tree is only searched by direct paths."""
_MAX_SOURCE_BYTES = 4 * 1024 * 1024
_SKIPPED_DIRS = frozenset({"node_modules", "__pycache__", "site-packages", "venv"})
_DECORATOR_LINES = 30


def source_line(lines: Sequence[str], reported: int | None, name: str) -> int:
    """The 1-based line to annotate. A ``def`` for the test at the reported line read as
    0-based, then as 1-based, then a little below (decorators come first) decides;
    otherwise the reported line is taken as 1-based."""
    if reported is None:
        return 1
    function = re.escape(name.split("[", 1)[0].rsplit(".", 1)[-1])
    defines = re.compile(rf"\s*(?:async\s+)?def\s+{function}\b")
    if 0 <= reported < len(lines) and defines.match(lines[reported]):
        return reported + 1
    if 1 <= reported <= len(lines) and defines.match(lines[reported - 1]):
        return reported
    for index in range(reported + 1, min(len(lines), reported + _DECORATOR_LINES)):
        if defines.match(lines[index]):
            return index + 1
    return max(1, reported)


def _as_written(test: TestResult) -> Location | None:
    """A file not in this checkout (the tests ran elsewhere): the path as the report wrote
    it, if it can be a repository path at all; GitHub lists such annotations on the check
    run page, if not beside the code."""
    assert test.file is not None
    path = PurePosixPath(test.file.replace("\\", "/"))
    if not path.parts or path.is_absolute() or ".." in path.parts or ":" in path.parts[0]:
        return None
    return Location(path.as_posix(), max(1, test.line or 1))


class SourceLocator:
    """``locate`` for ``annotations.build``: reads the disk, remembers what it found."""

    def __init__(self, workspace: Path, roots: Sequence[Path]) -> None:
        self._workspace = workspace.resolve()
        self._roots = [r.resolve() for r in roots]
        self._found: dict[tuple[str, str], Path | None] = {}
        self._lines: dict[Path, list[str]] = {}
        self._index: dict[str, list[Path]] | None = None

    def __call__(self, test: TestResult) -> Location | None:
        if not test.file:
            return None
        key = (test.file, test.source)
        if key not in self._found:
            try:
                self._found[key] = self._find(test.file, test.source)
            except (OSError, ValueError):  # a name too long, a NUL byte: no such file here
                self._found[key] = None
        path = self._found[key]
        if path is None:
            return _as_written(test)
        line = source_line(self._source(path), test.line, test.name)
        return Location(path.relative_to(self._workspace).as_posix(), line)

    def _find(self, name: str, artifact: str) -> Path | None:
        given = Path(name.replace("\\", "/"))
        bases = [self._workspace, *self._roots]
        bases += [(root / artifact).parent for root in self._roots if artifact]
        candidates = [given] if given.is_absolute() else [base / given for base in bases]
        for candidate in candidates:
            found = self._inside(candidate)
            if found is not None:
                return found
        # written elsewhere (another checkout, another rootdir): a unique path ending
        tail = tuple(p for p in given.parts if p not in ("/", "..", "."))
        if not tail:
            return None
        matches = [p for p in self._indexed().get(tail[-1], []) if p.parts[-len(tail) :] == tail]
        return matches[0] if len(matches) == 1 else None

    def _inside(self, candidate: Path) -> Path | None:
        try:
            # not Path.resolve: before Python 3.13 a symlink loop is a RuntimeError there
            resolved = Path(os.path.realpath(candidate))
            found = resolved.is_relative_to(self._workspace) and resolved.is_file()
        except (OSError, ValueError):  # ENAMETOOLONG, ELOOP, a NUL byte: not found
            return None
        return resolved if found else None

    def _indexed(self) -> dict[str, list[Path]]:
        if self._index is None:
            self._index = {}
            count = 0
            for folder, dirs, files in os.walk(self._workspace):
                dirs[:] = [d for d in dirs if not d.startswith(".") and d not in _SKIPPED_DIRS]
                for file in files:
                    self._index.setdefault(file, []).append(Path(folder) / file)
                    count += 1
                if count > _MAX_FILES:
                    self._index = {}
                    break
        return self._index

    def _source(self, path: Path) -> list[str]:
        if path not in self._lines:
            try:
                data = path.read_bytes()[:_MAX_SOURCE_BYTES] if path.stat().st_size else b""
            except OSError:
                data = b""
            self._lines[path] = data.decode("utf-8", errors="replace").splitlines()
        return self._lines[path]
