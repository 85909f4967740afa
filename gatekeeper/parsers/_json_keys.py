"""JSON decoding that refuses an object writing one key twice, and says where.

``json.loads`` keeps the last of a repeated key, so ``"error_occurred": true, ...,
"error_occurred": false`` reads as a clean run and ``"exit_codes": [1, 1], "exit_codes": [0,
0]`` as two successes. No tool writes a key twice, and JSON readers disagree on which one
counts, so such evidence is refused.

The check rides on the C decoder (an ``object_pairs_hook``: lists of numbers, the bulk of a
big file, never reach Python). Only when it fires is the text walked again to find where:
each value is skipped by the C decoder, and the walk descends only into the value that holds
the repeat, so finding it costs a few decodes of the text at most.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

_SPACE = re.compile(r"[ \t\n\r]*")


class RepeatedKeyError(ValueError):
    """A JSON object in the text writes ``key`` twice."""

    def __init__(self, key: str, key_path: str, at: int | None, first: int | None, text: str):
        self.key = key
        """The key, decoded."""
        self.key_path = key_path
        """The key path of the object holding it (``results[0]``); ``(top level)`` for the root."""
        self.line, self.column = _line_column(text, at)
        """Where the second one starts (its opening quote), when the walk found it."""
        self.first_line, self.first_column = _line_column(text, first)
        """Where the first one starts."""
        super().__init__(self.message)

    @property
    def message(self) -> str:
        """What is wrong, without the position of the second key (the caller's to give)."""
        shown = json.dumps(self.key, ensure_ascii=False)
        shown = shown if len(shown) <= 60 else shown[:57] + '..."'
        first = ""
        if self.first_line is not None:
            same_line = self.first_line == self.line
            at_line = "" if same_line else f"line {self.first_line}, "
            first = f" (first at {at_line}column {self.first_column})"
        return (
            f"duplicate key {shown} in {self.key_path}{first}: no tool writes a key twice, "
            "and which one counts is ambiguous"
        )


class _Twice(Exception):
    """Raised by the hook, inside the C decoder; turned into RepeatedKeyError outside it."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found = dict(pairs)
    if len(found) != len(pairs):
        raise _Twice(_first_repeat(pairs))
    return found


def _first_repeat(pairs: list[tuple[str, Any]]) -> str:
    seen: set[str] = set()
    for key, _ in pairs:
        if key in seen:
            return key
        seen.add(key)
    raise AssertionError("no key is repeated")  # only called when one is


_DECODER = json.JSONDecoder(object_pairs_hook=_unique)


def loads(text: str, parse_constant: Callable[[str], Any] | None = None) -> Any:
    """``json.loads(text)``, but an object that writes a key twice raises RepeatedKeyError.

    Every other error is ``json.loads``'s own (JSONDecodeError, RecursionError, ValueError).
    """
    decoder = _DECODER
    if parse_constant is not None:
        decoder = json.JSONDecoder(object_pairs_hook=_unique, parse_constant=parse_constant)
    try:
        return decoder.decode(text)
    except _Twice as exc:
        raise _located(text, exc.key, decoder) from None


def _located(text: str, key: str, decoder: json.JSONDecoder) -> RepeatedKeyError:
    try:
        start = _skip(text, 0)
        found = _find(text, start, "", decoder) if text[start] in "{[" else None
    except (ValueError, IndexError, RecursionError):
        found = None  # the text before the repeat decoded, so this is not expected
    if found is None:
        return RepeatedKeyError(key, "an object", None, None, text)
    key, path, at, first = found
    return RepeatedKeyError(key, path or "(top level)", at, first, text)


def _find(
    text: str, at: int, path: str, decoder: json.JSONDecoder
) -> tuple[str, str, int, int] | None:
    """The first repeated key within the object or array that opens at ``text[at]``:
    (key, key path of its object, offset of the repeat, offset of the first one)."""
    is_object = text[at] == "{"
    seen: dict[str, int] = {}
    position = _skip(text, at + 1)
    index = 0
    while text[position] not in "}]":
        inner = f"{path}[{index}]"
        if is_object:
            key, after = decoder.raw_decode(text, position)  # a key is a JSON string
            if key in seen:
                return key, path, position, seen[key]
            seen[key] = position
            position = _skip(text, _skip(text, after) + 1)  # past the colon
            inner = f"{path}.{key}" if path else key
        try:
            end = decoder.raw_decode(text, position)[1]
        except _Twice:
            return _find(text, position, inner, decoder)
        position = _skip(text, end)
        if text[position] == ",":
            position = _skip(text, position + 1)
        index += 1
    return None


def _skip(text: str, position: int) -> int:
    match = _SPACE.match(text, position)
    return position if match is None else match.end()


def _line_column(text: str, offset: int | None) -> tuple[int | None, int | None]:
    """1-based line and column (in characters) of ``offset``, as json reports positions."""
    if offset is None:
        return None, None
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1
