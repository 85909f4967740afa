"""`gatekeeper history`: a benchmark's trend and the dates phases were first reached, from the
history (files, or the ``history/`` folder of a branch in the local clone) and the phase tags.

Read-only. Exit 0 when it was shown; 2 for a history with any unreadable line (each printed
as ``file:line: message``: a history with holes is not shown as if whole), a ``--benchmark``
that matches nothing, a source that cannot be read, or a wrong command line. Phase tags are
optional: without git, or outside a repository, the output says they are unavailable.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Mapping
from pathlib import Path

from gatekeeper.commands import locate_matrix, project_root, use_color
from gatekeeper.commands.options import HistoryOptions
from gatekeeper.errors import ExitCode, UsageError
from gatekeeper.history import json_shape, terminal
from gatekeeper.history.digest import Digest
from gatekeeper.history.model import TagMark, history_files, read_blob, read_files
from gatekeeper.history.view import Tags, build_view, matrix_refs, selection
from gatekeeper.matrix.load import read_matrix
from gatekeeper.model import Matrix
from gatekeeper.phases.git import GitError, LocalGit
from gatekeeper.phases.tags import tag_glob, tag_part
from gatekeeper.text import plain
from gatekeeper.words import count

DEFAULT_REFS = ("origin/gatekeeper-history", "gatekeeper-history")
FOLDER = "history"
MAX_FILE = 50 * 1024 * 1024
"""A history file in a ref larger than this is refused, not read into memory: a ref's file
is read whole (a month of hourly pushes of 50 benchmarks is about 8 MB)."""


def local_git(root: Path) -> LocalGit | str:
    """The clone ``root`` is in, or why there is none."""
    try:
        return LocalGit(root)
    except GitError as exc:  # caused by another: git answered, and said this is no repository
        return (
            f"{root} is not in a git repository"
            if isinstance(exc.__cause__, GitError)
            else str(exc)
        )


def _ref_files(git: LocalGit, ref: str) -> list[tuple[str, str]]:
    """(name to show, blob id) of each ``history/*.jsonl`` in ``ref``; any too large refused
    before one is read."""
    files = [f for f in git.files_under(ref, FOLDER) if f[0].endswith(".jsonl")]
    for path, _, size in files:
        if size > MAX_FILE:
            raise UsageError(
                f"{ref}:{plain(path)}: {size:,} bytes, more than a history file may hold "
                f"({MAX_FILE / 2**20:g} MiB); not read (gatekeeper writes one file a month)"
            )
    return [(f"{ref}:{path}", blob) for path, blob, _ in files]


def read_history(
    paths: tuple[str, ...], git: LocalGit | None, ref: str | None, digest: Digest
) -> Digest:
    """Every evaluation and problem of the files ``paths`` and of the ``history/`` folder of
    ``ref``, fed to ``digest`` (a record in both counts once)."""
    files: list[Path] = []
    for given in paths:
        path = Path(given)
        if not path.exists():
            raise UsageError(f"--history {given!r}: no such file or folder")
        try:
            files += history_files(path)
        except OSError as exc:
            raise UsageError(f"--history {given!r}: {exc.strerror or exc}") from exc
    blobs = _ref_files(git, ref) if git is not None and ref is not None else []
    digest.sources = (*(str(f) for f in files), *(name for name, _ in blobs))
    try:
        digest.feed(read_files(files))
    except OSError as exc:
        raise UsageError(f"--history {exc.filename!r}: {exc.strerror or exc}") from exc
    for name, blob in blobs:  # one file in memory at a time, each at most MAX_FILE
        assert git is not None
        digest.feed(read_blob(name, git.blob(blob)))
    return digest


def phase_tags(matrix: Matrix, git: LocalGit | str) -> Tags:
    """Every phase tag in the clone with its date; unavailable (and said) without one."""
    if isinstance(git, str):
        return Tags(matrix.phase_tags, unavailable=git)
    ids = {p.id for p in matrix.phases}
    marks, ignored = [], []
    try:
        dated = git.dated_tags(tag_glob(matrix.phase_tags))
    except GitError as exc:
        return Tags(matrix.phase_tags, unavailable=str(exc))
    for ref, date in dated:
        phase = tag_part(matrix.phase_tags, ref.name)
        when = _tag_date(date)
        if phase not in ids or when is None:
            ignored.append(ref.name)
            continue
        marks.append(TagMark(phase, ref.name, when, ref.commit))
    return Tags(matrix.phase_tags, tuple(marks), None, tuple(sorted(ignored)))


def _tag_date(date: str) -> dt.datetime | None:
    """A tag's date as git wrote it; None when there is none or it cannot be one: a tag
    object made by hand can hold year 10000 or an offset of +9999 (git prints both)."""
    try:
        return dt.datetime.fromisoformat(date).astimezone(dt.timezone.utc) if date else None
    except (ValueError, OverflowError):
        return None


def _since(text: str | None) -> dt.datetime | None:
    if text is None:
        return None
    from gatekeeper.freshness import parse_iso_time

    try:
        if len(text) == 10:
            return dt.datetime.combine(dt.date.fromisoformat(text), dt.time(), dt.timezone.utc)
        return parse_iso_time(text)
    except ValueError as exc:
        raise UsageError(
            f"--since {text!r}: expected a date (YYYY-MM-DD) or a date and time "
            "(YYYY-MM-DDTHH:MM:SSZ)"
        ) from exc


def _default_ref(git: LocalGit | str) -> tuple[str | None, str | None]:
    """The first default ref the clone has, or the note that says none is there."""
    how = f"get it with `git fetch origin {DEFAULT_REFS[1]}`, or give --history FILE"
    if isinstance(git, str):
        return None, f"none read: no git clone to find {DEFAULT_REFS[0]} in ({git}); {how}"
    for ref in DEFAULT_REFS:
        try:
            git.commit(ref)
        except GitError:
            continue
        return ref, None
    refs = " nor ".join(DEFAULT_REFS)
    return None, f"none read: neither {refs} is in the clone at {git.top}; {how}"


def run_history(options: HistoryOptions, environ: Mapping[str, str]) -> int:
    if options.last < 1:
        raise UsageError(f"--last {options.last}: expected 1 or more")
    since = _since(options.since)
    path = locate_matrix(options.matrix)
    matrix = read_matrix(path, str(path))
    git = local_git(project_root(path, None))
    ref, note = options.history_ref, None
    if ref is None and not options.history:
        ref, note = _default_ref(git)
    if ref is not None and isinstance(git, str):
        raise UsageError(f"--history-ref {ref!r}: {git}")
    digest = Digest(last=options.last, since=since, patterns=options.benchmark)
    read_history(options.history, None if isinstance(git, str) else git, ref, digest)
    if digest.problems:
        for problem in digest.problems:
            print(plain(str(problem)), file=sys.stderr)
        print(
            f"gatekeeper: {count(len(digest.problems), 'unreadable line')} in the history: "
            "not shown as if whole (fix or remove them)",
            file=sys.stderr,
        )
        return int(ExitCode.USAGE)
    known = matrix_refs(matrix)
    gone = [r for r in digest.benchmark_refs() if r not in set(known)]
    refs = known + gone  # a benchmark the matrix no longer has is shown last, marked
    chosen, unmatched = selection(refs, options.benchmark)
    if unmatched:
        names = ", ".join(repr(plain(p)) for p in unmatched)
        raise UsageError(f"--benchmark {names}: matches no benchmark of the matrix or the history")
    view = build_view(digest, matrix, phase_tags(matrix, git), refs=chosen, note=note)
    if options.format == "json":
        sys.stdout.write(json_shape.render(view))
    else:
        sys.stdout.write(terminal.render(view, color=use_color(environ, options.color)))
    return int(ExitCode.PASSED)
