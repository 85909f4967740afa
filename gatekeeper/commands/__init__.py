"""One module per subcommand; each entry point returns an exit code.

Layer: commands. Wires the layers below (reading the environment and the files, judging,
reporting, posting); nothing below imports a command.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from gatekeeper import DEFAULT_MATRIX
from gatekeeper.errors import UsageError

if TYPE_CHECKING:
    from gatekeeper.model import Matrix

__all__ = ["DEFAULT_MATRIX", "as_of", "locate_matrix", "phase_option", "project_root", "use_color"]


def locate_matrix(given: str | None) -> Path:
    """The matrix file named on the command line, or the default places."""
    if given:
        return Path(given)
    for candidate in (Path(DEFAULT_MATRIX), Path(".github") / DEFAULT_MATRIX):
        if candidate.is_file():
            return candidate
    raise UsageError(
        f"no matrix file: looked for ./{DEFAULT_MATRIX} and ./.github/{DEFAULT_MATRIX} "
        "(use --matrix FILE, or `gatekeeper init` to write one)"
    )


def as_of(text: str | None, flag: str = "--as-of") -> dt.datetime:
    """The run's one clock: ``--as-of`` (a date: its last moment in UTC, so that evidence
    measured that day is not from the future; a date and time without a zone: UTC), else
    now. Waivers are judged by its day, evidence ages are measured to it."""
    if text is None:
        return dt.datetime.now(dt.timezone.utc)
    from gatekeeper.freshness import parse_iso_time

    try:
        day = dt.date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        day = None
    if day is not None:
        return dt.datetime.combine(day, dt.time.max, dt.timezone.utc)
    try:
        return parse_iso_time(text)
    except ValueError as exc:
        raise UsageError(
            f"{flag} {text!r}: expected a date (YYYY-MM-DD) or a date and time "
            "(YYYY-MM-DDTHH:MM:SSZ)"
        ) from exc


def project_root(matrix: Path, given: str | None) -> Path:
    """The folder artifact globs start from (and git runs in): ``--root`` when given; for a
    matrix under ``.github/``, the repository's root (the folder holding ``.github/``), as
    for the other tools configured there; else the matrix file's folder. Resolved."""
    if given:
        root = Path(given)
        if not root.is_dir():
            raise UsageError(f"--root {given!r}: not a folder")
        return root.resolve()
    try:
        folder = matrix.resolve().parent
    except (OSError, RuntimeError) as exc:  # a loop: RuntimeError before Python 3.13
        raise UsageError(f"{matrix}: a symlink loop") from exc
    return folder.parent if folder.name == ".github" else folder


def use_color(environ: Mapping[str, str], choice: str = "auto") -> bool:
    """Colour in the terminal report: ``always``, ``never``, or (``auto``) only on a TTY and
    never when NO_COLOR is set."""
    if choice != "auto":
        return choice == "always"
    return sys.stdout.isatty() and not environ.get("NO_COLOR")


def phase_option(matrix: Matrix, flag: str, value: str) -> str:
    """``value`` when it is a phase id of ``matrix``, else a usage error naming ``flag``."""
    ids = [p.id for p in matrix.phases]
    if value not in ids:
        raise UsageError(f"{flag} {value!r}: not a phase of {matrix.path} ({', '.join(ids)})")
    return value
