"""Group the files read into artifacts: one per (folder, format), with globs that
generalise the file names (``reports/junit/*.xml``; for a tool that writes one run as
several files, the one file that carries the run: Locust's ``*_stats.csv``) and match no
file of another format, or none that could not be read, in the folder."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Sequence

from gatekeeper.evidence import RUN_FILES, ParsedFile, superseded
from gatekeeper.init_from.scan import Scanned
from gatekeeper.pathglob import path_glob
from gatekeeper.records import record


@record
class Family:
    """The files of one format in one folder: one artifact of the matrix."""

    id: str
    """The artifact id."""
    format: str
    folder: str
    """The folder, as the matrix names it ('' for the root)."""
    patterns: tuple[str, ...]
    """Its path globs."""
    files: tuple[ParsedFile, ...]
    """Every file the globs match, as ``check`` will read them."""


def families(scanned: Sequence[Scanned]) -> list[Family]:
    """The artifacts, in the order their first files were found."""
    groups: dict[tuple[str, str], list[Scanned]] = {}
    for found in scanned:
        if found.parsed is not None:
            key = (posixpath.dirname(found.path), found.parsed.format)
            groups.setdefault(key, []).append(found)
    taken: set[str] = set()
    made = []
    for (folder, fmt), members in groups.items():
        patterns = _patterns(folder, fmt, members, scanned)
        matched = tuple(
            s.parsed
            for s in scanned
            if s.parsed is not None and any(_matches(p, s.path) for p in patterns)
        )
        made.append(Family(unique(_slug(folder, fmt), taken), fmt, folder, patterns, matched))
    return made


def _patterns(
    folder: str, fmt: str, members: list[Scanned], scanned: Sequence[Scanned]
) -> tuple[str, ...]:
    """A glob per kind of file name, falling back to the file's own name where the glob
    would also match a file that is not this family's."""
    parsed = [m.parsed for m in members if m.parsed is not None]
    skipped = superseded(parsed)  # a run's lesser files: its most complete one carries it
    ours = {m.path for m in members}
    patterns: dict[str, None] = {}
    for member in members:
        if member.path in skipped:
            continue
        name = posixpath.basename(member.path)
        suffix = _suffix(name, fmt)
        exact = _join(folder, glob_escape(name))
        wide = _join(folder, "*" + glob_escape(suffix)) if suffix and not member.named else exact
        fits = _matches(wide, member.path) and all(
            s.path in ours for s in scanned if _matches(wide, s.path)
        )
        patterns[wide if fits else exact] = None
    return tuple(patterns)


def _matches(pattern: str, path: str) -> bool:
    """Whether ``check`` reads ``path`` for ``pattern``: wildcards skip hidden names."""
    return path_glob(pattern, hidden=False).fullmatch(path)


def _suffix(name: str, fmt: str) -> str:
    """What the files of a kind share at the end of their names: the suffix of a run's
    file (``_stats.csv``), else the extension; '' for a name with neither."""
    for suffix in RUN_FILES.get(fmt, ()):
        if name.endswith(suffix) and len(name) > len(suffix):
            return suffix
    stem, dot, extension = name.rpartition(".")
    return f".{extension}" if dot and stem and extension else ""


def glob_escape(text: str) -> str:
    """``text`` as a path glob that matches only itself: ``*``, ``?`` and ``[`` in brackets."""
    return re.sub(r"([*?\[])", r"[\1]", text)


def _join(folder: str, name: str) -> str:
    return f"{glob_escape(folder)}/{name}" if folder else name


def _slug(folder: str, fmt: str) -> str:
    """An artifact id: the format, after the folder's name when it says more."""
    last = posixpath.basename(folder.rstrip("/")).lower()
    base = re.sub(r"[^a-z0-9._-]+", "-", last).strip("-._")
    if not base or base in fmt or fmt in base or base in ("reports", "report", "results", ".."):
        return fmt
    return f"{base}-{fmt}"


def unique(wanted: str, taken: set[str]) -> str:
    """``wanted``, or ``wanted-2``, ``-3`` … the first not in ``taken`` (which it joins)."""
    candidate, number = wanted, 2
    while candidate in taken:
        candidate, number = f"{wanted}-{number}", number + 1
    taken.add(candidate)
    return candidate


def per_file(family: Family, taken: set[str]) -> list[Family]:
    """``family`` as one artifact per file, each named by its file: for files that are not
    one series of runs (k6 streams of different scripts, where a file without a series asked
    of the artifact makes that series missing). ``taken``: ids in use, extended."""
    made = []
    for parsed in family.files:
        name = posixpath.basename(parsed.path)
        stem = re.sub(r"[^a-z0-9._-]+", "-", name.rpartition(".")[0].lower() or name.lower())
        wanted = f"{family.id}-{stem.strip('-._')}".rstrip("-")
        made.append(
            Family(unique(wanted, taken), family.format, family.folder,
                   (_join(family.folder, glob_escape(name)),), (parsed,))
        )  # fmt: skip
    return made
