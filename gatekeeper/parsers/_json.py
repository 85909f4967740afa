"""Reading JSON summaries: bounded, strictly UTF-8, each key once, with positions and key
paths in errors.

Shared by the JSON-based parsers so each one only describes its shape.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path

from gatekeeper.errors import EvidenceError, Position
from gatekeeper.parsers import _json_keys

MAX_BYTES = 64 * 1024 * 1024
"""Summaries are small; anything larger is not one and is refused before reading it all."""

_UTF8_BOM = b"\xef\xbb\xbf"


def load(path: Path, display: str) -> object:
    """The parsed JSON value of the file, or an EvidenceError saying where it went wrong."""
    data = _read_bounded(path, display)
    text = _decode(data, display)
    try:
        return _json_keys.loads(text)
    except _json_keys.RepeatedKeyError as exc:
        raise EvidenceError(Position(display, exc.line, exc.column), exc.message) from exc
    except json.JSONDecodeError as exc:
        where = Position(display, exc.lineno, exc.colno)
        raise EvidenceError(where, f"invalid JSON: {exc.msg}") from exc
    except RecursionError as exc:
        raise EvidenceError(Position(display), "invalid JSON: nested too deeply") from exc
    except ValueError as exc:  # only an integer beyond Python's digit limit gets here
        raise EvidenceError(Position(display), "invalid JSON: a number is too long") from exc


def sniff(head: bytes) -> str | None:
    """The start of a file as text when it could be a JSON object, else None."""
    text = head.removeprefix(_UTF8_BOM).decode("utf-8", errors="ignore").lstrip()
    return text if text.startswith("{") else None


def _read_bounded(path: Path, display: str) -> bytes:
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise EvidenceError(Position(display), f"cannot read: {exc.strerror or exc}") from exc
    if len(data) > MAX_BYTES:
        limit = MAX_BYTES // (1024 * 1024)
        raise EvidenceError(
            Position(display),
            f"file is larger than {limit} MiB; this is not a summary file",
        )
    return data


def _decode(data: bytes, display: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise EvidenceError(Position(display, 1, 1), "not UTF-8: the file is UTF-16 encoded")
    try:
        return data.removeprefix(_UTF8_BOM).decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = exc.start + (len(_UTF8_BOM) if data.startswith(_UTF8_BOM) else 0)
        line_start = data.rfind(b"\n", 0, offset) + 1
        line = data.count(b"\n", 0, offset) + 1
        # Columns count characters, so decode what precedes the bad byte on its line.
        column = len(data[line_start:offset].decode("utf-8", errors="replace")) + 1
        bad = data[offset]
        raise EvidenceError(
            Position(display, line, column), f"not valid UTF-8 (byte 0x{bad:02x})"
        ) from exc


def _describe(value: object) -> str:
    shown = json.dumps(value, ensure_ascii=False, allow_nan=True)
    return shown if len(shown) <= 60 else shown[:57] + "..."


def shape_error(display: str, key_path: str, expected: str, value: object) -> EvidenceError:
    """An error naming the JSON key path whose value has the wrong shape."""
    return EvidenceError(
        Position(display), f"{key_path}: expected {expected}, got {_describe(value)}"
    )


def expect_object(value: object, display: str, key_path: str) -> dict[str, object]:
    """``value`` as a JSON object, or an error naming ``key_path``."""
    if not isinstance(value, dict):
        raise shape_error(display, key_path, "an object", value)
    return value


def members(obj: dict[str, object]) -> list[tuple[str, object]]:
    """An object's members in key order. A JSON object is unordered: nothing read from one
    (the order of series, which of two keys meaning the same statistic wins, the first
    error) may depend on the order a tool happened to write its members in."""
    return sorted(obj.items())


def expect_list(value: object, display: str, key_path: str) -> list[object]:
    """``value`` as a JSON array, or an error naming ``key_path``."""
    if not isinstance(value, list):
        raise shape_error(display, key_path, "an array", value)
    return value


def expect_str(value: object, display: str, key_path: str) -> str:
    """``value`` as a JSON string, or an error naming ``key_path``."""
    if not isinstance(value, str):
        raise shape_error(display, key_path, "a string", value)
    return value


def expect_number(value: object, display: str, key_path: str) -> float:
    """``value`` as a finite number; booleans and NaN are refused so nothing passes by accident."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise shape_error(display, key_path, "a number", value)
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        raise shape_error(display, key_path, "a finite number", value)
    return number


def expect_choice(value: object, choices: Sequence[str], display: str, key_path: str) -> str:
    """``value`` as one of the strings a tool documents for a field, or an error naming
    ``key_path``: a value outside the set is broken evidence, never read as a default."""
    if not isinstance(value, str) or value not in choices:
        raise shape_error(display, key_path, "one of " + ", ".join(choices), value)
    return value


def number_or_none(value: object, display: str, key_path: str) -> float | None:
    """Like ``expect_number`` but ``null`` (how JavaScript writes NaN) means no value."""
    return None if value is None else expect_number(value, display, key_path)
