"""k6's own spelling of a sample line, recognised in full so it can be read without decoding.

k6 writes every sample as ``{"metric":NAME,"type":"Point","data":{"time":T,"value":V,
"tags":{...}[,"metadata":{...}]}}`` (its JSON writer, struct field order, no spaces);
older versions put ``"type"`` first and ``"metric"`` last. The patterns here match a
whole line in either order and nothing else, so a line they accept is valid JSON with
exactly one of each key, and reading it from the match gives what ``json.loads`` gives:

- the metric name, the time and the tag keys are strings without escapes; tag and
  metadata values may hold escapes (k6 writes ``&`` as ``\\u0026``);
- the value is a JSON number (``float()`` alone would also take ``1_000``, ``nan``...);
- bytes from 0x80 up are taken as they are: the caller checks that the line is UTF-8.

Any other spelling (spaces, other key orders, an escaped name, repeated keys) does not
match, and the caller decodes that line with ``json.loads`` instead.
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import NamedTuple

_CHAR = rb"[\x20\x21\x23-\x5b\x5d-\xff]"
"""A string character that JSON lets stand for itself."""
_PLAIN = rb'"' + _CHAR + rb'*+"'
_STRING = rb'"' + _CHAR + rb'*+(?:\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})' + _CHAR + rb'*+)*+"'
_NUMBER = rb"-?(?:0|[1-9][0-9]*+)(?:\.[0-9]++)?(?:[eE][-+]?[0-9]++)?"
_PLAIN_OBJECT = rb"\{(?:" + _PLAIN + b":" + _PLAIN + b"(?:," + _PLAIN + b":" + _PLAIN + rb")*+)?\}"
_OBJECT = rb"\{(?:" + _PLAIN + b":" + _STRING + b"(?:," + _PLAIN + b":" + _STRING + rb")*+)?\}"


def _data(groups: bool) -> bytes:
    """The ``data`` object. With ``groups``: the value, then the tags when free of escapes
    (``null`` too), else the tags; without: the value only."""
    plain, escaped = (b"(null|", b"|(") if groups else (b"(?:null|", b"|(?:")
    return (
        rb'\{"time":' + _PLAIN + rb',"value":(' + _NUMBER + rb'),"tags":(?:' + plain
        + _PLAIN_OBJECT + b")" + escaped + _OBJECT + rb'))(?:,"metadata":' + _OBJECT + rb")?\}"
    )  # fmt: skip


_DATA = _data(groups=True)
_END = rb"\}\r?(?=\n)"
_ESCAPED = re.compile(r'["\\\x00-\x1f]')
"""Characters JSON always writes escaped."""

POINT = re.compile(rb'\{"metric":' + _PLAIN + rb',"type":"Point","data":' + _DATA + _END)
OLD_POINT = re.compile(rb'\{"type":"Point","data":' + _DATA + rb',"metric":' + _PLAIN + _END)
"""A sample line as k6 wrote it before v0.29: type first, metric last."""
EVERY_POINT = re.compile(
    rb'\n\{"metric":"(' + _CHAR + rb'*+)","type":"Point","data":'
    + _data(groups=False) + rb"\}(?=\r?\n)"
)  # fmt: skip
"""Every sample line of a block in k6's spelling, as (name, value) pairs (``findall``)."""


def raw_name(name: str) -> bytes:
    """A metric name's bytes as they stand in a line that spells it without escapes."""
    return name.encode("utf-8", "surrogatepass")  # a lone surrogate is found by no search


def in_layout(data: bytes | bytearray, start: int) -> bool:
    """Whether the line starting at ``start`` is a valid sample line in k6's spelling: in
    UTF-8, with a finite value."""
    found = POINT.match(data, start) or OLD_POINT.match(data, start)
    if found is None or number(found[1]) is None:
        return False
    return found[0].isascii() or utf8(found[0])


def utf8(text: bytes) -> bool:
    """Whether the bytes are UTF-8 (the patterns take any byte from 0x80 up)."""
    try:
        text.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


class Samples(NamedTuple):
    """k6's spellings of one metric's sample lines, as patterns.

    Groups: the value, the tags when free of escapes (``null`` too), else the tags.
    """

    line: re.Pattern[bytes]
    """A whole line in k6's field order, for ``match`` at its start (or where the name is)."""
    old_line: re.Pattern[bytes]
    """A whole line in the older field order, for ``match`` at its start."""
    lines: re.Pattern[bytes]
    """Each line of ``"\\n"``-separated lines, in k6's field order, for ``findall``."""
    old_lines: re.Pattern[bytes]
    """The same in the older field order."""


@cache
def samples_of(name: str) -> Samples | None:
    """The patterns of one metric's sample lines; None when its name needs escapes.

    The line patterns match at a line's start only, so a match where the name would
    start a line in k6's field order shows that it does.
    """
    if _ESCAPED.search(name):
        return None
    quoted = b'"' + re.escape(raw_name(name)) + b'"'
    new = rb'\{"metric":' + quoted + rb',"type":"Point","data":' + _DATA + rb"\}\r?(?=\n)"
    old = rb'\{"type":"Point","data":' + _DATA + rb',"metric":' + quoted + rb"\}\r?(?=\n)"
    return Samples(
        re.compile(rb"(?<=\n)" + new),
        re.compile(rb"(?<=\n)" + old),
        re.compile(rb"\n" + new),
        re.compile(rb"\n" + old),
    )


@cache
def escapes_of(text: str) -> re.Pattern[bytes]:
    """A search for any JSON escape that stands for one of ``text``'s characters.

    A string equal to ``text`` either holds its bytes or spells a character of it with
    an escape, so a line without either cannot name it.
    """
    shorts = {'"': '"', "\\": "\\", "/": "/", "\b": "b", "\f": "f", "\n": "n", "\r": "r"}
    shorts["\t"] = "t"  # the character after the backslash, for the short escapes
    units = set()
    for char in set(text):
        code = ord(char)
        if code > 0xFFFF:  # written as a surrogate pair: its first half is enough
            code = 0xD800 + ((code - 0x10000) >> 10)
        units.add("u" + "".join(d if d.isdigit() else f"[{d}{d.upper()}]" for d in f"{code:04x}"))
        if char in shorts:
            units.add(re.escape(shorts[char]))
    return re.compile(rb"\\(?:" + "|".join(sorted(units)).encode() + b")")


def number(text: bytes) -> float | None:
    """A value matched by the patterns, as ``json.loads`` reads it; None when not finite.

    ``json.loads`` reads ``-0`` as the integer 0, whose float has no sign.
    """
    value = float(text)
    if value - value:  # inf - inf is nan: too large for a float
        return None
    return 0.0 if text == b"-0" else value


Filter = tuple[tuple[bytes, bytes], ...]
"""A tag filter as bytes to look for: (``"key":``, ``"value"``) per tag."""


def tag_filter(tags: tuple[tuple[str, str], ...]) -> Filter | None:
    """The filter's bytes, or None when a key or value would need escapes to be written."""
    needles = []
    for key, value in tags:
        if _ESCAPED.search(key + value):
            return None
        try:
            needles.append((b'"' + key.encode() + b'":', b'"' + value.encode() + b'"'))
        except UnicodeEncodeError:  # a lone surrogate: only an escape can spell it
            return None
    return tuple(needles)


def decoded_tags(tags: bytes | bytearray) -> dict[str, str]:
    """A matched tags object (``null`` included) as ``json.loads`` reads it."""
    found: dict[str, str] | None = json.loads(tags.decode("utf-8"))
    return found or {}
