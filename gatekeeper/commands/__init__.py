"""One module per subcommand; each entry point returns an exit code."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from gatekeeper import DEFAULT_MATRIX
from gatekeeper.errors import UsageError

if TYPE_CHECKING:
    from gatekeeper.model import Matrix

__all__ = ["DEFAULT_MATRIX", "locate_matrix", "phase_option"]


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


def phase_option(matrix: Matrix, flag: str, value: str) -> str:
    """``value`` when it is a phase id of ``matrix``, else a usage error naming ``flag``."""
    ids = [p.id for p in matrix.phases]
    if value not in ids:
        raise UsageError(f"{flag} {value!r}: not a phase of {matrix.path} ({', '.join(ids)})")
    return value
