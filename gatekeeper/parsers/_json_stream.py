"""Reading a JSON document of any size as a stream, keeping only a projection of it.

A parser names what it reads (a ``Spec``: member names, ``*`` for every member or element);
the document is streamed through ijson (its C backend, yajl2_c) and only those parts are
built, so memory follows the projection, not the file: a coverage.py report of 50,000 files
keeps each file's ``summary`` and none of its line arrays.

Everything ``_json.load`` refuses, this refuses too, wherever in the document: malformed or
truncated JSON, bytes that are not UTF-8 (a UTF-8 BOM is skipped, UTF-16 refused), a key
written twice in an object, nesting deeper than ``_json_projection.MAX_DEPTH`` (below
``json``'s own limit); ``_json_projection`` builds what is kept and checks keys and
nesting. It refuses more: ``NaN`` and ``Infinity``, which are not JSON (``json`` reads
them), and a token (key, string, number) longer than ``MAX_TOKEN_BYTES``, which the
tokenizer would hold whole. ``read`` takes the whole reader's verdict on every file that
reader can read (up to ``_json.MAX_BYTES``), so those differences show only past it.

Two inputs yajl2_c mishandles are read by ijson's pure-Python backend instead, slower but
exact: a number of more digits than Python converts (``sys.get_int_max_str_digits``: the C
backend crashes the process on one) and a ``\\uD800``-style escape of half a surrogate pair
(which the C backend turns into ``?``). A raw scan of each chunk finds them before yajl does;
it also refuses the control characters both backends skip as space and JSON allows nowhere
(``\\f``, ``\\v``; ``\\x1c``-``\\x1f``).
The pure-Python backend is also what runs when the C one is not installed (an ijson built
without a compiler): the same answers, some 3.5 times slower
(a 2 MB report: 1.3 s against 0.37 s, one run on a busy machine).

A ``StreamError`` says what was wrong and at which byte; ``locate`` turns the byte offset
into a line and column by reading the file again up to it (errors only: a clean read
counts no lines).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Final, TypeVar

from gatekeeper.errors import EvidenceError, Position
from gatekeeper.parsers import _json
from gatekeeper.parsers._json_projection import ANY as ANY
from gatekeeper.parsers._json_projection import Builder
from gatekeeper.parsers._json_projection import Spec as Spec
from gatekeeper.parsers._json_projection import StreamError as StreamError
from gatekeeper.parsers._json_projection import union as union

CHUNK_BYTES: Final = 64 * 1024
MAX_TOKEN_BYTES: Final = 4 * 1024 * 1024
"""The longest key, string or number read: a file path or a test name is far shorter, and
a longer one would be held whole by the tokenizer."""
_BOM: Final = b"\xef\xbb\xbf"
_T = TypeVar("_T")


def _max_digits() -> int:
    get = getattr(sys, "get_int_max_str_digits", None)  # Python >= 3.10.7 / 3.11
    return int(get()) if get is not None else 0


_SURROGATE_HALF: Final = re.compile(
    rb"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F])"
    rb"|(?<![0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}"
)
_DIGITS: Final = b"0123456789"
_NOT_JSON_SPACE: Final = (b"\x0b", b"\x0c", b"\x1c", b"\x1d", b"\x1e", b"\x1f")
"""Control characters yajl (\\v, \\f) or ijson's Python backend (also \\x1c-\\x1f) skip as
space: JSON allows them nowhere (in a string too they must be escaped), so each is refused."""
_STRIDE: Final = 256


class _Hazards:
    """Finds, chunk by chunk, what the C backend mishandles: half a surrogate pair escaped,
    a run of digits longer than Python converts to an int (wherever it is: in a string too,
    which the Python backend then reads, the same). Cheap: the full searches run only where
    a quick look finds ``\\u`` or a sampled run of digits."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        """The most digits Python converts (0: no limit, nothing to find)."""
        self.run = 0
        """Digits at the end of what was seen so far."""
        self.tail = b""
        self.long = re.compile(rb"[0-9]{%d}" % (limit + 1)) if limit else None
        # Every STRIDE-th byte: a run of limit + 1 digits shows as `samples` digits in a row.
        self.samples = (limit + 1) // _STRIDE
        self.sampled = re.compile(rb"[0-9]{%d}" % self.samples) if self.samples >= 4 else None

    def seen(self, chunk: bytes) -> bool:
        """Whether ``chunk``, read after the chunks before, holds one."""
        around = self.tail + chunk
        self.tail = chunk[-16:]
        if b"\\u" in around and _SURROGATE_HALF.search(around):
            return True
        if self.long is None:
            return False
        lead = len(chunk) - len(chunk.lstrip(_DIGITS))
        if self.run + lead > self.limit:
            return True
        if lead == len(chunk):
            self.run += lead
            return False
        self.run = len(chunk) - len(chunk.rstrip(_DIGITS))
        if self.sampled is not None and not self.sampled.search(chunk[::_STRIDE]):
            return False
        return self.long.search(chunk) is not None


class _Backend(Exception):
    """The raw scan found what the C backend mishandles: read again with the Python one."""


def _ijson() -> Any:
    # Imported when a document is streamed, not with detection: ijson takes some 30 ms to
    # import (it probes its backends), which every run would pay.
    import ijson  # type: ignore[import-untyped]  # ijson ships no type information

    return ijson


def c_backend() -> bool:
    """Whether ijson's C backend (yajl2_c) is what reads documents here."""
    return bool(_ijson().backend == "yajl2_c")


def project(path: Path, spec: Spec) -> object:
    """The document at ``path`` with only what ``spec`` names built; StreamError otherwise.
    OSError is the caller's to report."""
    ijson = _ijson()
    backend: Any = ijson
    watch = c_backend()  # for what the C backend mishandles
    if not watch:
        backend = ijson.get_backend("python")
    try:
        try:
            return _project(path, spec, backend, watch)
        except _Backend:
            backend, watch = ijson.get_backend("python"), False
            return _project(path, spec, backend, watch)
    except StreamError as exc:
        if exc.width <= 1:
            raise
        # The chunk is known, not the byte: read to it again, then a byte at a time.
        try:
            _project(path, spec, backend, watch, bytewise_from=exc.offset)
        except StreamError as exact:
            raise exact from None
        raise  # not expected: the same bytes fail the same way


def read(path: Path, display: str, spec: Spec, parse: Callable[[object], _T]) -> _T:
    """``parse`` of the projection of the document at ``path``.

    A file ``_json.load`` reads whole (up to its MAX_BYTES) that is refused here, in its
    JSON or by ``parse``, is read whole after all and its verdict taken: the message and
    position of every refusal are then exactly those of the formats read whole, whatever the
    two readers' wording (and a JSON quirk only one of them minds, NaN in an array nobody
    reads, is read as ``json`` reads it). Larger files have only this reader's word.
    """
    try:
        document = project(path, spec)
        return parse(document)
    except OSError as exc:
        raise EvidenceError(Position(display), f"cannot read: {exc.strerror or exc}") from exc
    except (StreamError, EvidenceError) as exc:
        if _size(path) <= _json.MAX_BYTES:
            return parse(_json.load(path, display))
        if isinstance(exc, EvidenceError):
            raise
        raise load_error(path, display, exc) from None


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def load_error(path: Path, display: str, exc: StreamError) -> EvidenceError:
    """``exc`` as an EvidenceError at the line and column of its offset."""
    line, column = locate(path, exc.offset) if exc.offset is not None else (None, None)
    return EvidenceError(Position(display, line, column), exc.message)


def locate(path: Path, offset: int) -> tuple[int | None, int | None]:
    """1-based line and column (in characters) of byte ``offset`` of the file (after a BOM)."""
    line, column = 1, 1
    try:
        with path.open("rb") as handle:
            at = len(_BOM) if handle.read(len(_BOM)) == _BOM else 0
            handle.seek(at)
            for chunk in _chunks(handle):
                part = chunk[: max(0, offset - at)]
                newlines = part.count(b"\n")
                if newlines:
                    line += newlines
                    column = 1
                    part = part[part.rfind(b"\n") + 1 :]
                # characters, not bytes: every byte but a UTF-8 continuation byte starts one
                column += len(part) - sum(part.count(bytes((b,))) for b in range(0x80, 0xC0))
                at += len(chunk)
                if at >= offset:
                    break
    except OSError:
        return None, None
    return line, column


def _chunks(handle: Any) -> Iterator[bytes]:
    while chunk := handle.read(CHUNK_BYTES):
        yield chunk


def _project(
    path: Path,
    spec: Spec,
    backend: Any,
    watch: bool,
    bytewise_from: int | None = None,
) -> object:
    hazards = _Hazards(_max_digits()) if watch else None
    ijson = _ijson()
    events: list[tuple[str, Any]] = ijson.sendable_list()
    parser = backend.basic_parse_coro(events)
    builder = Builder(spec)
    offset = 0  # in the file's bytes, a BOM included
    quiet = 0  # bytes fed since the last event: the token being read is at least this long
    with path.open("rb") as handle:
        for chunk in _chunks(handle):
            if offset == 0:
                if chunk.startswith((b"\xff\xfe", b"\xfe\xff")):
                    raise StreamError("not UTF-8: the file is UTF-16 encoded", 0)
                if chunk.startswith(_BOM):
                    chunk, offset = chunk[len(_BOM) :], len(_BOM)
            if hazards is not None and hazards.seen(chunk):
                raise _Backend
            _refuse_strays(chunk, offset)
            pieces = [chunk]
            if bytewise_from is not None and offset + len(chunk) > bytewise_from:
                pieces = [chunk[at : at + 1] for at in range(len(chunk))]
            for piece in pieces:
                _feed(parser.send, piece, offset, ijson.JSONError)
                offset += len(piece)
                if events:
                    quiet = 0
                    builder.take(events, offset - len(piece), len(piece))
                    events.clear()
                else:
                    quiet += len(piece)
                    if quiet > MAX_TOKEN_BYTES:
                        limit = MAX_TOKEN_BYTES // (1024 * 1024)
                        message = f"refused: a key, string or number longer than {limit} MiB"
                        raise StreamError(message, offset - quiet)
    _feed(lambda _: parser.close(), b"", offset, ijson.JSONError)
    builder.take(events, offset, 1)
    return builder.result(offset)


def _refuse_strays(chunk: bytes, offset: int) -> None:
    found = [at for at in map(chunk.find, _NOT_JSON_SPACE) if at >= 0]  # memchr: fast
    if found:
        at = min(found)
        message = f"invalid JSON: control character 0x{chunk[at]:02x}, which JSON allows nowhere"
        raise StreamError(message, offset + at)


def _feed(
    send: Callable[[bytes], object], piece: bytes, offset: int, refused: type[Exception]
) -> None:
    try:
        send(piece)
    except refused as exc:
        raise StreamError(_said(exc), offset, len(piece)) from exc
    except (UnicodeDecodeError, ValueError) as exc:  # ijson's Python backend, on bad text
        raise StreamError(_said(exc), offset, len(piece)) from exc


def _said(exc: Exception) -> str:
    """yajl's first line ("parse error: premature EOF"), without its picture of the spot."""
    text = exc.args[0] if exc.args else str(exc)
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    first = str(text).strip().splitlines()[0].strip() if str(text).strip() else "malformed"
    return f"invalid JSON: {first if len(first) <= 80 else first[:77] + '...'}"
