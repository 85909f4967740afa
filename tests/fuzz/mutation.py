"""A mutation and the file it works on; mutators.py states what each kind may do."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum


class Effect(str, Enum):
    SAME = "same meaning"
    VALUE = "plausible value change"
    BROKEN = "broken evidence"


@dataclass(frozen=True)
class Mutation:
    kind: str
    effect: Effect
    detail: str
    """Where and what, for a person reading a failure."""
    data: bytes
    renames: bool = False
    """Broken, unless it renamed a record: then the file, as gatekeeper reads it, holds a test
    or series that the original does not, and the mutation is a value change after all."""


@dataclass(frozen=True)
class Doc:
    """The file being mutated."""

    data: bytes
    shape: str
    """json, ndjson, xml, csv or text."""

    @property
    def text(self) -> str:
        return self.data.decode("utf-8", "surrogateescape")


def encode(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")


Mutator = Callable[[Doc, random.Random, int], "Mutation | None"]
"""(document, random source, how many times this kind ran before) -> mutation, or None when
the kind has nothing to work on in this document."""
