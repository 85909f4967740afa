"""Equal JSON: the same decoded value written another way (issue 9, property (a)).

A tool's JSON may reach gatekeeper re-indented or minified, its members in another order
(``jq -S``, a language whose maps do not keep order), its characters escaped, behind a
byte order mark. None of that changes what it says, so none of it may change what
gatekeeper reads. Each rewrite here writes a decoded value back out in one such way; numbers
keep their value (Python's ``repr`` of a float reads back as the same float).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

Order = Callable[[list[str]], list[str]]


@dataclass(frozen=True)
class Style:
    """How a value is written out."""

    order: Order = list
    """The order of an object's members, from their order in the file."""
    escape: bool = False
    """Every character of every key and string as a ``\\uXXXX`` escape."""
    indent: str | None = None
    """One level of indentation; None writes the value on one line."""
    newline: str = "\n"
    colon: str = ":"
    comma: str = ","


def dumps(value: object, style: Style, depth: int = 0) -> str:
    """``value`` as JSON text in ``style``."""
    if isinstance(value, dict):
        members = [
            f"{_string(key, style)}{style.colon}{dumps(value[key], style, depth + 1)}"
            for key in style.order(list(value))
        ]
        return _container("{", members, "}", style, depth)
    if isinstance(value, list):
        items = [dumps(item, style, depth + 1) for item in value]
        return _container("[", items, "]", style, depth)
    if isinstance(value, str):
        return _string(value, style)
    return json.dumps(value)  # numbers (NaN and Infinity as Python writes them), literals


def _container(opener: str, items: list[str], closer: str, style: Style, depth: int) -> str:
    if not items:
        return opener + closer
    if style.indent is None:
        return opener + style.comma.join(items) + closer
    inner = style.newline + style.indent * (depth + 1)
    outer = style.newline + style.indent * depth
    return opener + inner + (style.comma + inner).join(items) + outer + closer


def _string(text: str, style: Style) -> str:
    if not style.escape:
        return json.dumps(text, ensure_ascii=False)
    units = text.encode("utf-16-be", errors="surrogatepass")
    escaped = (f"\\u{int.from_bytes(units[i : i + 2], 'big'):04x}" for i in range(0, len(units), 2))
    return '"' + "".join(escaped) + '"'


def _reversed(keys: list[str]) -> list[str]:
    return keys[::-1]


DOCUMENT_STYLES: dict[str, Style] = {
    "minified": Style(),
    "reindented": Style(indent="\t", newline="\r\n", colon=" : ", comma=" ,"),
    "reversed": Style(order=_reversed, indent="  ", colon=": "),
    "sorted": Style(order=sorted, indent="    ", colon=": "),  # jq -S
    "escaped": Style(escape=True, indent=" ", colon=": "),
}
"""Rewrites of a whole document."""

LINE_STYLES: dict[str, Style] = {
    "spaced": Style(colon=" : ", comma=" , "),
    "reversed": Style(order=_reversed),
    "sorted": Style(order=sorted),
    "escaped": Style(escape=True),
}
"""Rewrites of each line of a JSON-lines stream (a line stays a line)."""

UTF8_BOM = b"\xef\xbb\xbf"


def rewrite_document(data: bytes, name: str) -> bytes:
    """A document rewritten by the style ``name``, or behind a BOM (``bom``)."""
    if name == "bom":
        return UTF8_BOM + data
    return dumps(json.loads(data), DOCUMENT_STYLES[name]).encode("utf-8") + b"\n"


def rewrite_lines(data: bytes, name: str) -> bytes:
    """Each line of a JSON-lines stream rewritten by ``name``; ``spaced`` also ends lines
    with CRLF. A line that is not JSON (a tool's stray output) is kept as it is."""
    style = LINE_STYLES[name]
    end = b"\r\n" if name == "spaced" else b"\n"
    out = []
    for line in data.splitlines():
        try:
            value = json.loads(line)
        except ValueError:
            out.append(line)
            continue
        out.append(dumps(value, style).encode("utf-8"))
    return end.join(out) + end
