"""What format detection knows of a file that is JSON text: its decoded value, not its bytes.

JSON formats are told apart by what a document says, never by how it is spelt: members in
any order, escapes decoded, any whitespace, with or without a byte order mark. Two shapes:

- JSON lines (k6's ``--out json``, ``go test -json``): the first line is a whole JSON value
  and more follows. Only the lines within the sniffed head are decoded, so a stream of any
  size costs one small read; a stream format answers from those decoded lines.
- One document (every summary format): read whole, bounded and decoded exactly as the JSON
  parsers read it (``_json.load``), and handed on to the parser so it is decoded once.
  Larger than ``STREAMED_BYTES``, it is streamed instead (``_json_stream``) into a
  projection: every member down to the members of the values at depth 2 (all any format's
  ``detect_json`` looks at; deeper containers kept empty), with what the formats that read
  a projection (``JSON_PROJECTION``) need; a large coverage.py report is then read once,
  in flat memory, and the other formats read their file again themselves.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Final

from gatekeeper.errors import EvidenceError, Position
from gatekeeper.parsers import _json, _json_stream
from gatekeeper.parsers._json_stream import ANY, Spec
from gatekeeper.records import record

FIRST_LINE_BYTES: Final = 1024 * 1024
"""How far a head without a line end is read on to find the end of its first line."""
_AFTER_FIRST_LINE: Final = 4096
"""What is read after a long first line, to see whether more lines follow."""

STREAMED_BYTES: Final = 16 * 1024 * 1024
"""A JSON document larger than this is streamed for detection, not decoded whole (a
coverage.py report of a few thousand files; summaries are far smaller)."""
SKELETON: Final[Spec] = {ANY: {ANY: {ANY: {}}}}
"""What detection keeps of a streamed document (see the module's docstring)."""

_BOM = b"\xef\xbb\xbf"
_JSON_SPACE = b" \t\r\n"


@record
class JsonHead:
    """A file that opens like JSON (``{`` or ``[`` after an optional BOM and whitespace)."""

    document: object | None = None
    """The whole file's value (an object or an array), when it is one JSON document."""
    lines: tuple[object, ...] = ()
    """When the first line is a whole JSON value: the value of each complete line of the
    head that is one, in order (``lines[0]`` is the first line; a stray line of other
    output is left out). Empty when the first line is not a whole value."""
    problem: EvidenceError | None = None
    """Why a file that is not a stream could not be read as one document."""
    projected: bool = False
    """Whether ``document`` is a projection (streamed: see the module's docstring), which
    only a format with a ``JSON_PROJECTION`` reads; the others read the file again."""


def read_json_head(
    path: Path,
    display: str,
    head: bytes,
    *,
    whole: bool,
    projection: Callable[[], Spec] = lambda: SKELETON,
) -> JsonHead | None:
    """The decoded JSON of a file whose first bytes are ``head`` (``whole``: all of it);
    None when it does not open like JSON. ``projection`` is what to keep of a document too
    large to decode whole (``SKELETON`` and more)."""
    body = head.removeprefix(_BOM).lstrip(_JSON_SPACE)
    if body[:1] not in (b"{", b"["):
        return None
    if b"\n" not in body and not whole:
        more, whole = _past_first_line(path, display, len(head))
        body += more
    first, newline, rest = body.partition(b"\n")
    lines = _decoded_lines(first, rest, whole=whole)
    if lines and newline and rest.strip(_JSON_SPACE):
        return JsonHead(lines=lines)  # a stream: the head's lines are all detection needs
    if _size(path) > STREAMED_BYTES:
        try:
            document = _json_stream.project(path, projection())
            return JsonHead(document=document, lines=lines, projected=True)
        except _json_stream.StreamError as exc:
            if _size(path) > _json.MAX_BYTES:
                return JsonHead(lines=lines, problem=_json_stream.load_error(path, display, exc))
        except OSError as exc:
            problem = EvidenceError(Position(display), f"cannot read: {exc.strerror or exc}")
            return JsonHead(lines=lines, problem=problem)
    try:
        return JsonHead(document=_json.load(path, display), lines=lines)
    except EvidenceError as exc:
        return JsonHead(lines=lines, problem=exc)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # the reader says why it cannot be read


def _past_first_line(path: Path, display: str, offset: int) -> tuple[bytes, bool]:
    """The file from ``offset`` to the end of its first line (bounded) and a little more;
    and whether that is the rest of the file."""
    try:
        with path.open("rb") as handle:
            handle.seek(offset)
            line = handle.readline(FIRST_LINE_BYTES)
            after = handle.read(_AFTER_FIRST_LINE)
    except OSError as exc:
        raise EvidenceError(Position(display), f"cannot read: {exc.strerror or exc}") from exc
    return line + after, len(after) < _AFTER_FIRST_LINE


def _decoded_lines(first: bytes, rest: bytes, *, whole: bool) -> tuple[object, ...]:
    head_value = _value(first)
    if head_value is _NOT_A_VALUE:
        return ()
    # A head that is not the whole file may end inside a line: that one is left out.
    complete = rest.split(b"\n") if whole else rest.split(b"\n")[:-1]
    found = (_value(line) for line in complete if line.strip(_JSON_SPACE))
    return (head_value, *(value for value in found if value is not _NOT_A_VALUE))


_NOT_A_VALUE: Final = object()


def _value(line: bytes) -> object:
    try:
        return json.loads(line.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return _NOT_A_VALUE
