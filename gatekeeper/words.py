"""Small helpers for the words messages are made of; pure, imports nothing of gatekeeper."""

from __future__ import annotations


def count(n: int, noun: str, plural: str | None = None) -> str:
    """'1 problem', '2 problems', '0 problems': never 'problem(s)'."""
    word = noun if n == 1 else (plural or f"{noun}s")
    return f"{n:,} {word}"
