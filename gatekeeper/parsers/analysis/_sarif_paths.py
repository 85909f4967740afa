"""SARIF paths: the file an ``artifactLocation`` names (SARIF 2.1.0 §3.4), as a path.

A location gives a ``uri``, relative to the base its ``uriBaseId`` names in the run's
``originalUriBaseIds`` (§3.14.14; a base may itself be relative to another), or an ``index``
into ``run.artifacts`` (§3.4.5), whose own location then stands for it, ``uriBaseId``
included; an artifact with a ``parentIndex`` (§3.24.3) lies in that artifact (a folder, an
archive), and its relative uri is read from the parent's.

Bases and parents are resolved on demand and memoised for the locations that ask, so a
chain of n of them costs n steps, not n rounds of n; a cycle is an error at its key path. A
base that the log leaves to its consumer (no ``uri``), or an unknown one, leaves the path
relative, as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from gatekeeper.errors import EvidenceError, Position
from gatekeeper.parsers import _json


@dataclass(frozen=True)
class _Base:
    path: str | None
    """The base's own uri as a path; None when the log leaves it to its consumer."""
    parent: str | None
    """The base its own is relative to (``uriBaseId``)."""


class Paths:
    """The paths of one run's locations."""

    def __init__(self, run: dict[str, object], display: str, at: str) -> None:
        self.display, self.at = display, at
        where = f"{at}.originalUriBaseIds"
        raw = _json.expect_object(run.get("originalUriBaseIds", {}), display, where)
        self.bases: dict[str, _Base] = {}
        for key, value in _json.members(raw):
            location = _json.expect_object(value, display, f"{where}.{key}")
            uri, parent = location.get("uri"), location.get("uriBaseId")
            if uri is not None:
                uri = _json.expect_str(uri, display, f"{where}.{key}.uri")
            if parent is not None:
                parent = _json.expect_str(parent, display, f"{where}.{key}.uriBaseId")
            self.bases[key] = _Base(None if uri is None else path_of(uri), parent)
        self._no_cycle()
        self.resolved: dict[str, str | None] = {}
        listed = run.get("artifacts", [])
        self.artifacts = _json.expect_list(listed, display, f"{at}.artifacts")
        self.listed: dict[int, str | None] = {}

    def _no_cycle(self) -> None:
        """Refuse a base that is, through its parents, relative to itself: each base is
        walked once (a base has one parent, so a walk that meets its own path is a cycle)."""
        done: set[str] = set()
        for start in self.bases:
            walked: list[str] = []
            on_walk: set[str] = set()
            key: str | None = start
            while key is not None and key in self.bases and key not in done:
                if key in on_walk:
                    where = f"{self.at}.originalUriBaseIds.{key}.uriBaseId"
                    raise EvidenceError(
                        Position(self.display),
                        f"{where}: the base is relative to itself (through "
                        f"{', '.join(walked[walked.index(key) :][:5])}): it names no folder",
                    )
                walked.append(key)
                on_walk.add(key)
                key = self.bases[key].parent
            done.update(walked)

    def base(self, key: str) -> str | None:
        """The path base ``key`` stands for; None when the log does not say."""
        if key in self.resolved:
            return self.resolved[key]
        parts: list[str] = []
        name: str | None = key
        start: str | None = ""
        while name is not None:  # no cycle: refused when read
            if name != key and name in self.resolved:
                start = self.resolved[name]
                break
            entry = self.bases.get(name)
            if entry is None or entry.path is None:
                start = None
                break
            parts.append(entry.path)
            if is_absolute(entry.path):
                break
            name = entry.parent
        path = None if start is None else _join_all(start, parts)
        self.resolved[key] = path
        return path

    def file(self, location: dict[str, object], at: str) -> str:
        """The path of an ``artifactLocation`` at key path ``at``; '' when it gives none."""
        index = location.get("index")
        if index is not None and index != -1:
            if isinstance(index, bool) or not isinstance(index, int):
                raise _json.shape_error(
                    self.display, f"{at}.index", "an artifact of the run", index
                )
            listed = self._listed(index, f"{at}.index")
            if listed is not None:
                return listed
        return self._own(location, at) or ""

    def _own(self, location: dict[str, object], at: str) -> str | None:
        """A location's own uri, on its base; None when it has no uri."""
        uri = location.get("uri")
        if uri is None:
            return None
        path = path_of(_json.expect_str(uri, self.display, f"{at}.uri"))
        base = location.get("uriBaseId")
        if base is None or is_absolute(path):
            return path
        base = _json.expect_str(base, self.display, f"{at}.uriBaseId")
        resolved = self.base(base)
        return path if resolved is None else joined(resolved, path)

    def _listed(self, index: int, at: str) -> str | None:
        """The path of ``run.artifacts[index]``, under its parents; None when it gives no
        uri (the location's own is taken then)."""
        if index in self.listed:
            return self.listed[index]
        chain: list[tuple[int, str | None, bool]] = []  # index, own path, has a parent
        seen: set[int] = set()
        number, where = index, at
        start: str | None = ""
        while True:
            if not 0 <= number < len(self.artifacts):
                raise _json.shape_error(self.display, where, "an artifact of the run", number)
            if number in seen:
                raise EvidenceError(
                    Position(self.display),
                    f"{where}: artifact {number} lies in itself (through its parents)",
                )
            seen.add(number)
            if number != index and number in self.listed:
                start = self.listed[number]
                break
            entry_at = f"{self.at}.artifacts[{number}]"
            entry = _json.expect_object(self.artifacts[number], self.display, entry_at)
            raw = entry.get("location", {})
            location = _json.expect_object(raw, self.display, f"{entry_at}.location")
            own = self._own(location, f"{entry_at}.location")
            parent = entry.get("parentIndex", -1)
            if own is None or is_absolute(own) or parent == -1:
                chain.append((number, own, False))
                break
            chain.append((number, own, True))
            if isinstance(parent, bool) or not isinstance(parent, int):
                where = f"{entry_at}.parentIndex"
                raise _json.shape_error(self.display, where, "an artifact of the run", parent)
            number, where = parent, f"{entry_at}.parentIndex"
        path = start
        for _, own, nested in reversed(chain):
            if own is None:
                path = None
            elif nested and path is not None:
                path = joined(path, own)
            else:
                path = own
        self.listed[index] = path
        return path


def _join_all(start: str, parts: list[str]) -> str:
    """``start`` joined with ``parts``, innermost first (as a base's chain is walked)."""
    path = start
    for part in reversed(parts):
        path = part if is_absolute(part) else joined(path, part)
    return path


def is_absolute(path: str) -> bool:
    """Whether a path (as ``path_of`` writes it) stands on its own: from the root, a drive, or
    a URI of another scheme."""
    return path.startswith("/") or re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", path) is not None


def path_of(uri: str) -> str:
    """A SARIF URI as a path: ``file:///w/src/a.py`` -> ``/w/src/a.py``; a relative reference
    unquoted, without a leading ``./``; backslashes (``%5C`` or written) are separators in
    both; another scheme kept as written."""
    parts = urlsplit(uri)
    if parts.scheme == "file":
        path = unquote(parts.path).replace("\\", "/")
        if re.match(r"/[A-Za-z]:/", path):  # file:///C:/work/a.py
            path = path[1:]
        host = parts.netloc if parts.netloc != "localhost" else ""
        return f"//{host}{path}" if host else path
    if parts.scheme and len(parts.scheme) > 1:
        return uri
    path = unquote(uri).replace("\\", "/")
    while path.startswith("./"):
        path = path[2:]
    return path


def joined(base: str, path: str) -> str:
    """``path`` under folder ``base``."""
    if not base:
        return path
    return base.rstrip("/") + "/" + path if path else base
