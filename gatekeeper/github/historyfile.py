"""A history file's text, whatever its records say: JSON Lines, one object a line, each with
a unique ``key``. Pure: what the file holds, what it becomes with one more line, and what
the writer (github/history.py) refuses.

Existing lines are never rewritten: a line that is not a JSON object (a hand edit, a line cut
short) is kept byte for byte and reported by its line number; the new line goes after it.
Only ``key`` is read of each line: what else a record holds is its author's business.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

MAX_FILE_BYTES = 50 * 1024 * 1024
"""A file is not written past this (GitHub's blob API stops at 100 MB): a new file is
started instead (one a month, ``history/2026-12.jsonl``)."""
_SHOWN = 10


@dataclass(frozen=True)
class Scan:
    keys: frozenset[str]
    """The ``key`` of every line that is a JSON object with a string ``key``."""
    unreadable: tuple[int, ...] = ()
    """The line numbers (from 1) of the lines that are not JSON objects."""


def scan(content: bytes) -> Scan:
    keys: set[str] = set()
    unreadable: list[int] = []
    lines = content.split(b"\n")
    if lines[-1] == b"":  # the newline that ends the last line starts no line of its own
        lines.pop()
    for number, raw in enumerate(lines, start=1):
        try:
            record = json.loads(raw)
        except ValueError:  # not JSON, or not UTF-8
            record = None
        if not isinstance(record, dict):
            unreadable.append(number)
        elif isinstance(record.get("key"), str):
            keys.add(record["key"])
    return Scan(frozenset(keys), tuple(unreadable))


def unreadable_warning(path: str, scan: Scan) -> str | None:
    """What to say of the lines kept as they are; None when every line is a JSON object."""
    numbers = scan.unreadable
    if not numbers:
        return None
    shown = ", ".join(str(n) for n in numbers[:_SHOWN])
    more = f" and {len(numbers) - _SHOWN} more" if len(numbers) > _SHOWN else ""
    lines = "line" if len(numbers) == 1 else "lines"
    return (f"{path}: {lines} {shown}{more} not a JSON object: kept as they are, the record "
            "was added after them")  # fmt: skip


def line_problem(line: str, key: str) -> str | None:
    """Why ``line`` cannot be a record of ``key`` (None: it can): one JSON object on one line
    whose ``key`` is ``key``. A bug in the caller, refused before anything is written."""
    if not key:
        return "the record's key is empty"
    if "\n" in line or "\r" in line:
        return "the record is more than one line"
    try:
        record = json.loads(line)
    except ValueError as exc:
        return f"the record is not JSON ({exc})"
    if not isinstance(record, dict):
        return "the record is not a JSON object"
    if record.get("key") != key:
        return f"the record's key is {record.get('key')!r}, not {key!r}"
    return None


def size_problem(path: str, size: int, adding: int) -> str | None:
    """Why ``path`` (``size`` bytes now) may not grow by ``adding`` bytes; None: it may."""
    if size + adding <= MAX_FILE_BYTES:
        return None
    return (f"{path} is {size:,} bytes; with this record it would pass the "
            f"{MAX_FILE_BYTES:,} bytes a history file may hold: start a new file "
            "(another path), it is left as it is")  # fmt: skip


def appended(content: bytes, line: str) -> bytes:
    """``content`` with ``line`` after it: a last line without its newline gets one first."""
    if content and not content.endswith(b"\n"):
        content += b"\n"
    return content + line.encode("utf-8") + b"\n"
