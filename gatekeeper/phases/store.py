"""Where phase tags live: the interface ``status`` and ``promote`` work through.

``git.LocalGit`` is the local repository. A store that works through the GitHub API (a tag
object, a ref and a release) implements the same methods; nothing else changes.
"""

from __future__ import annotations

from typing import Protocol

from gatekeeper.phases.tags import TagRef


class PhaseTagStore(Protocol):
    """Reads and writes phase tags. Every failure is a ``GatekeeperError`` (exit 2)."""

    def commit(self, ref: str) -> str:
        """The full SHA of the commit ``ref`` names."""
        ...

    def reachable_tags(self, commit: str, glob: str) -> tuple[TagRef, ...]:
        """Tags whose names fit ``glob`` and whose commit is an ancestor of ``commit``
        (or is it)."""
        ...

    def find_tag(self, name: str) -> TagRef | None:
        """The tag ``name`` wherever it points, or None when there is none."""
        ...

    def describe(self, commit: str) -> str:
        """A commit for a person: abbreviated SHA, then its subject in parentheses."""
        ...

    def warnings(self) -> tuple[str, ...]:
        """What to say before tagging, without refusing (uncommitted changes)."""
        ...

    def create_tag(self, name: str, commit: str, message: str) -> None:
        """Create the annotated tag ``name`` on ``commit``; refuse to move an existing one."""
        ...

    def next_steps(self, name: str) -> tuple[str, ...]:
        """What to do after ``create_tag`` (a local tag is pushed by hand)."""
        ...
