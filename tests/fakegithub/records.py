"""What the fake GitHub keeps of each request, and of each one GitHub would refuse."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any


@dataclass
class RecordedRequest:
    method: str
    path: str
    """As sent, without the query (the prefix of a GHES-style root included)."""
    query: dict[str, list[str]]
    body: Any
    """The JSON body parsed, the raw text if it is not JSON, None when empty."""
    headers: dict[str, str]
    """Header names in lower case."""
    at: float
    """time.monotonic() when it arrived."""
    status: int = 0
    """What the fake answered."""


@dataclass(frozen=True)
class Violation:
    method: str
    path: str
    status: int
    message: str

    def __str__(self) -> str:
        return f"{self.method} {self.path} -> {self.status}: {self.message}"


def parsed_body(raw: bytes) -> Any:
    """The JSON body parsed, the raw text if it is not JSON, None when empty."""
    if not raw:
        return None
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return raw.decode("utf-8", "replace")
