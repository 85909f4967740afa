"""An artifact's files: its path globs walked once, each real file found once.

Artifacts come from whatever ran in CI, a pull request's code included, so the folder tree
is untrusted: a symlink can point back up (``reports/again -> .``) or at a file read through
another name. So:

- A pattern's leading fixed part (``reports/junit`` in ``reports/junit/*.xml``; ``..`` and
  absolute paths allowed) is followed as the operating system does, symlinks included: the
  matrix wrote it. Below it the folder is walked once, carrying each pattern's automaton
  state (``pathglob``) down the tree, so the work is bounded by the entries walked times the
  patterns' length, and no folder is entered that no pattern can match below.
- The walk never enters a symlink to a folder, as git and ripgrep do not: no loop, no folder
  read twice. Wildcards skip names that begin with ``.`` unless the pattern writes the dot.
- A file is evidence once: files are told apart by device and inode, so a symlink to a file,
  or a hard link, already found under another name is not read again. A symlink found by a
  wildcard must point inside the root (or the pattern's fixed folder, when that is outside
  the root); one that points elsewhere is refused.
- A path a pattern matches that cannot be read as a file is a problem, never skipped: a
  symlink to a missing file, a symlink loop, a FIFO, socket or device (reading a FIFO would
  block). A folder is not a file: a glob matching one skips it, as nothing to read.
- At most ``MAX_ENTRIES`` folder entries are looked at; past that the artifact is an error.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from gatekeeper.errors import EvidenceError, Position
from gatekeeper.pathglob import GlobSet, States, path_glob, split_glob
from gatekeeper.records import record

MAX_ENTRIES = 1_000_000
"""Folder entries one artifact's globs may look at (a big monorepo checkout has a few
hundred thousand outside ``.git``); a glob that needs more is too broad."""
_Identity = tuple[int, int] | str
"""A file's device and inode, or its real path where the file system has no inodes."""
_GONE = (errno.ENOENT, errno.ENOTDIR, errno.ENAMETOOLONG)
"""Errors that mean no such file: nothing found, nothing to report (unless the name is a
symlink: then it points at nothing, and says so). ELOOP is not one: a loop is there."""
_KINDS = (
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


@record
class FoundFiles:
    """What an artifact's globs found."""

    files: tuple[Path, ...]
    """Each real file once, sorted by the name it was found under."""
    problems: tuple[EvidenceError, ...] = ()
    """What the search refused or could not read; any problem makes the artifact an error."""


@record
class _Hit:
    name: str
    """The path as the pattern spells it (normalised), relative to the root."""
    identity: _Identity
    """Of the file itself, a symlink's target for a symlink."""
    linked: bool
    """Found through a symlink: the file's real name is preferred when both are found."""


class _Search:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.real_root = os.path.realpath(root)
        self.hits: list[_Hit] = []
        self.problems: list[EvidenceError] = []
        self.entries = 0

    def problem(self, where: str, message: str) -> None:
        self.problems.append(EvidenceError(Position(where), message))

    def literal(self, name: str) -> None:
        path = self.root / name
        try:
            info = path.stat()
        except OSError as exc:
            # A name that is not there at all is not a problem here: the artifact without
            # files is missing evidence. A symlink to nothing is there, and is one.
            self._unreadable(name, path, exc)
            return
        except ValueError:  # an embedded NUL byte names no file
            return
        if stat.S_ISDIR(info.st_mode):
            return  # a folder: no file to read (the artifact is missing evidence if all are)
        linked = path.is_symlink()
        if self._regular(name, info, linked):
            self.hits.append(_Hit(os.path.normpath(name), _identity(info, path), linked))

    def walk(self, fixed: str, globs: GlobSet, shown: str) -> None:
        """Walk the folder ``fixed`` names once for every glob below it."""
        base = self.root / fixed
        real_base = os.path.realpath(base)
        limit = self.real_root if _within(real_base, self.real_root) else real_base
        stack: list[tuple[Path, str, tuple[States, ...]]] = [(base, fixed, globs.start)]
        while stack:
            folder, name, states = stack.pop()
            try:
                with os.scandir(folder) as entries:
                    listed = list(entries)
            except OSError as exc:
                # Only the fixed part is followed through symlinks: it alone can loop or dangle.
                if exc.errno == errno.ELOOP:
                    self.problem(name or ".", "a symlink loop")
                elif exc.errno == errno.ENOENT and folder.is_symlink():
                    self.problem(name or ".", f"a symlink to a missing folder ({_target(folder)})")
                elif exc.errno not in _GONE:
                    self.problem(name or ".", f"cannot list the folder: {exc.strerror or exc}")
                continue
            self.entries += len(listed)
            if self.entries > MAX_ENTRIES:
                message = f"{shown} looks at more than {MAX_ENTRIES:,} files and folders; narrow it"
                self.problem(fixed or ".", message)
                return
            for entry in listed:
                after = globs.step(states, entry.name)
                if not any(after):
                    continue
                child = f"{name}/{entry.name}" if name else entry.name
                try:
                    if globs.accepts(after):
                        self._found(entry, child, limit)
                    if globs.continues(after) and entry.is_dir(follow_symlinks=False):
                        stack.append((Path(entry.path), child, after))
                except OSError as exc:
                    self.problem(child, f"cannot read: {exc.strerror or exc}")

    def _found(self, entry: os.DirEntry[str], name: str, limit: str) -> None:
        try:
            # not entry.stat(): on Windows its st_ino is always 0
            info = Path(entry.path).stat()  # the target's, for a symlink
        except OSError as exc:
            self._unreadable(name, entry.path, exc)
            return
        if stat.S_ISDIR(info.st_mode):
            # A folder the glob also matches (`reports/*` holds `reports/old/`) is not a file,
            # nor a problem: there is nothing in it to read as this pattern's evidence.
            return
        linked = entry.is_symlink()
        if linked:
            target = os.path.realpath(entry.path)
            if not _within(target, limit):
                self.problem(name, f"a symlink to {target}, outside {limit}: refused")
                return
        if self._regular(name, info, linked):
            self.hits.append(_Hit(os.path.normpath(name), _identity(info, entry.path), linked))

    def _regular(self, name: str, info: os.stat_result, linked: bool) -> bool:
        """Whether a matched path that is not a folder is a regular file; if not, a problem:
        a FIFO or a device is not evidence (and reading a FIFO would wait forever)."""
        kind = special_kind(info.st_mode)
        if kind is None:
            return True
        self.problem(name, f"{'a symlink to ' if linked else ''}{kind}, not a regular file")
        return False

    def _unreadable(self, name: str, path: str | Path, exc: OSError) -> None:
        """A problem for a matched path that stat() refused, unless nothing is there."""
        if exc.errno == errno.ELOOP:
            self.problem(name, "a symlink loop")
        elif exc.errno not in _GONE:
            self.problem(name, f"cannot read: {exc.strerror or exc}")
        elif Path(path).is_symlink():  # the name is there, what it points at is not
            self.problem(name, f"a symlink to a missing file ({_target(path)})")

    def result(self) -> FoundFiles:
        chosen: dict[_Identity, _Hit] = {}
        for hit in sorted(self.hits, key=lambda h: (h.linked, h.name)):
            chosen.setdefault(hit.identity, hit)
        names = sorted(hit.name for hit in chosen.values())
        # by name: the folder listing's order is the file system's, the report's is not
        problems = sorted(self.problems, key=lambda p: (p.position.file, p.message))
        return FoundFiles(tuple(self.root / n for n in names), tuple(problems))


def special_kind(mode: int) -> str | None:
    """What a file of ``mode`` is when it is not a regular file ('a FIFO', 'a socket', …);
    None for a regular file. Reading a FIFO would wait for ever; a device is no report."""
    if stat.S_ISREG(mode):
        return None
    return next((said for test, said in _KINDS if test(mode)), "a special file")


def _target(path: str | Path) -> str:
    """What a symlink says it points at, as written in it."""
    try:
        return str(Path(path).readlink())
    except OSError as exc:  # removed since: say so rather than guess
        return f"unreadable: {exc.strerror or exc}"


def _identity(info: os.stat_result, path: str | Path) -> _Identity:
    return (info.st_dev, info.st_ino) if info.st_ino else os.path.realpath(path)


def _within(path: str, folder: str) -> bool:
    """Whether the real path ``path`` is ``folder`` or below it."""
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def find_files(root: Path, patterns: tuple[str, ...]) -> FoundFiles:
    """The files any of ``patterns`` (path globs, relative to ``root``) match, each once."""
    search = _Search(root)
    below: dict[str, list[str]] = {}
    for pattern in patterns:
        try:
            fixed, rest = split_glob(pattern)
        except ValueError as exc:
            search.problem(pattern, str(exc))
            continue
        if rest:
            below.setdefault(fixed, []).append(rest)
        else:
            search.literal(fixed)
    for fixed, rests in below.items():
        globs = GlobSet(tuple(path_glob(r, hidden=False) for r in dict.fromkeys(rests)))
        shown = ", ".join(repr(f"{fixed}/{r}" if fixed else r) for r in dict.fromkeys(rests))
        search.walk(fixed, globs, f"the glob {shown}")
    return search.result()
