"""Problems found in a matrix file: each says where and which key."""

from __future__ import annotations

from collections.abc import Sequence

from gatekeeper.errors import ExitCode, GatekeeperError, Position
from gatekeeper.records import record

KeyPath = tuple[str | int, ...]


def render_path(path: KeyPath) -> str:
    """('swimlanes', 2, 'cells') -> 'swimlanes[2].cells'."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out or "(top level)"


@record
class Problem:
    """One thing wrong with a matrix file."""

    position: Position
    path: KeyPath
    """The key at fault."""
    message: str
    keyed: bool = True
    """False where the file cannot be read as keys at all (YAML syntax, encoding, size): the
    message names no key, which would only be a guess."""

    def __str__(self) -> str:
        if not self.keyed:
            return f"{self.position}: {self.message}"
        return f"{self.position}: {render_path(self.path)}: {self.message}"


class MatrixError(GatekeeperError):
    """The matrix file is broken; carries every problem found."""

    exit_code = ExitCode.USAGE

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = tuple(problems)
