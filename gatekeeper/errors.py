"""The one exception hierarchy and the exit codes; both are public interfaces."""

from __future__ import annotations

from enum import IntEnum

from gatekeeper.records import record


class ExitCode(IntEnum):
    """Process exit codes. Documented in the README; a test keeps them in step."""

    PASSED = 0
    """The enforced gate passed."""
    FAILED = 1
    """The enforced gate failed, including because evidence was missing or unreadable."""
    USAGE = 2
    """The matrix file is broken, or the command line is wrong."""
    NO_EVIDENCE = 3
    """No evidence could be read at all: every artifact was missing or unreadable."""
    INTERNAL = 4
    """gatekeeper itself failed (a bug); the verdict is unknown and never a pass."""


@record
class Position:
    """Where in a file a problem is. Lines and columns count from 1."""

    file: str
    """The file, as the user named it."""
    line: int | None = None
    """1-based line, when known."""
    column: int | None = None
    """1-based column, when known."""

    def __str__(self) -> str:
        parts = [self.file]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)


class GatekeeperError(Exception):
    """Base of every error gatekeeper raises on purpose."""

    exit_code = ExitCode.USAGE


class UsageError(GatekeeperError):
    """Bad command line or options."""


class EvidenceError(GatekeeperError):
    """An artifact could not be read or understood. Carries where."""

    exit_code = ExitCode.FAILED

    def __init__(self, position: Position, message: str) -> None:
        super().__init__(f"{position}: {message}")
        self.position = position
        self.message = message
