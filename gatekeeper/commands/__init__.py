"""One module per subcommand; each entry point returns an exit code."""

from __future__ import annotations

from pathlib import Path

from gatekeeper.errors import UsageError

DEFAULT_MATRIX = "gatekeeper.yml"


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
