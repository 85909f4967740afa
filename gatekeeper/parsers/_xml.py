"""Reading XML test reports as a stream: safe, bounded, with positions in errors.

Shared by the XML formats so each one only describes its shape. A format names its root
elements and the elements that make up one record (a test case, a test definition); each
record is handed over as soon as it closes and is then dropped from the tree, so memory
stays flat however large the report. Entity declarations are refused (billion laughs,
XXE) and external references are never fetched: a DOCTYPE that only names a DTD (JaCoCo's,
gcovr's Cobertura) is read past, its DTD never opened (expat parses no external subset).
A huge single token (an attribute value, a comment) costs bounded time up to MAX_TOKEN
and a longer one is refused; a file whose first tag runs past its first 4096 bytes is
refused there.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Generic, TypeVar
from xml.etree.ElementTree import Element, ParseError, TreeBuilder

from gatekeeper.errors import EvidenceError, Position
from gatekeeper.parsers import SNIFF_BYTES
from gatekeeper.records import record

if TYPE_CHECKING:
    from pyexpat import XMLParserType

    from defusedxml.ElementTree import DefusedXMLParser

T = TypeVar("T")

MAX_DEPTH = 1000
"""Deeper nesting than any test report has; refused so that work per record stays bounded."""

_CHUNK = 64 * 1024
"""Bytes handed to expat at a time, at least."""
MAX_TOKEN = 16 * 1024 * 1024
"""The longest single XML token read: a start tag with its attributes, a comment, a
processing instruction; longer is refused (text and CDATA stream whatever their size). No
test tool writes one near this size. It also bounds what expat before 2.6 costs: Python
hands it at most 1 MiB per call and it rescans an unfinished token on every call, so a
token costs at most 16 rescans a byte (expat 2.6 defers the rescans itself)."""

MESSAGE_LIMIT = 500
"""Longest message kept from a failure or skip: its first line is what a reader needs."""

_BOMS = {b"\xef\xbb\xbf": "utf-8", b"\xff\xfe": "utf-16-le", b"\xfe\xff": "utf-16-be"}
_PROLOG_ITEM = re.compile(
    rb"\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>)", re.DOTALL
)
_ROOT_TAG = re.compile(rb"\s*<(?:[\w.-]+:)?([\w.-]+)[\s/>]")
_THOUSANDS = re.compile(r"[1-9]\d{0,2}(?:,\d{3})+(?:\.\d+)?")
_POSITION_SUFFIX = re.compile(r": line \d+, column \d+$")


BOOLEANS = {"true": True, "false": False, "1": True, "0": False}
"""An xs:boolean attribute's meaning."""


class UnknownValue(Exception):
    """A record holds a value outside the set its tool writes: a format's ``convert`` raises
    it and ``read_records`` reports it at the record's start tag, never as a default."""


def closed(value: str, meanings: Mapping[str, T], what: str) -> T:
    """The meaning of an attribute with a closed set of values, looked up in lower case."""
    meaning = meanings.get(value.lower())
    if meaning is None:
        known = ", ".join(meanings)
        raise UnknownValue(f"{what} is {value!r}, expected one of {known} (in any case)")
    return meaning


@record
class Layout:
    """What a format's documents look like, as far as streaming them goes."""

    kind: str
    """How messages name the format, with its article: "a JUnit report"."""
    roots: tuple[str, ...]
    """Local names of the root elements the format allows."""
    records: frozenset[str]
    """Local names of the elements handed over whole; one inside another belongs to it."""
    containers: frozenset[str] = frozenset()
    """Local names of elements outside records handed to ``read_records``'s ``finish`` as
    they close (a suite, a run), with the records found inside them."""
    notes: frozenset[str] = frozenset()
    """Local names of elements kept whole, the first of each name, as children of the
    container they are directly inside (a suite's own failure message)."""


def root_name(head: bytes) -> str | None:
    """The root element's local name, after any BOM, XML declaration, comments and DOCTYPE."""
    found = _ROOT_TAG.match(*_after_prolog(head))
    return found.group(1).decode("ascii", errors="replace") if found else None


def _after_prolog(head: bytes) -> tuple[bytes, int]:
    """The head (as UTF-8) and where its prolog ends."""
    for bom, encoding in _BOMS.items():
        if head.startswith(bom):
            head = head[len(bom) :].decode(encoding, errors="ignore").encode()
            break
    position = 0
    while item := _PROLOG_ITEM.match(head, position):
        position = item.end()
    return head, position


def _check_head(head: bytes, layout: Layout, display: str) -> None:
    """Refuse at its first bytes a file whose first tag runs past the head: no report's root
    tag is kilobytes long, but junk can be (300 MB of it would otherwise be read to the cap)."""
    text, position = _after_prolog(head)
    rest = text[position:].lstrip()
    if len(head) < SNIFF_BYTES or _ROOT_TAG.match(text, position) is not None:
        return
    if rest[:1] == b"<" and rest[1:2] not in b"!?":
        message = f"not {layout.kind}: no root element tag within the first {SNIFF_BYTES} bytes"
        raise EvidenceError(Position(display), message)


Finish = Callable[[Element, Iterable[T], Sequence[Element]], T | None]
"""What a container that closed adds: ``finish(container, found_inside, ancestors)``."""


def read_records(
    path: Path,
    display: str,
    layout: Layout,
    convert: Callable[[Element, Sequence[Element]], T],
    finish: Finish[T] | None = None,
) -> list[T]:
    """``convert(record, ancestors)`` for every record, in document order.

    ``ancestors`` runs from the root to the record's parent and holds their attributes
    only (no text), and the notes of a container. Neither may be kept after ``convert``
    returns. With ``finish``, each container of the layout is passed to it as it closes,
    with what was found inside it; what it returns (if not None) is found after those.
    """
    reader = _RecordReader(display, layout, convert, finish)
    stream_xml(path, display, layout, reader.listen)
    return reader.found


def stream_xml(
    path: Path, display: str, layout: Layout, listen: Callable[[XMLParserType], None]
) -> None:
    """Feed the file to expat under every guard of this module, with the handlers that
    ``listen(expat)`` installs (they may raise EvidenceError, TooDeep or UnknownValue
    only as this module's readers do). Entity declarations and external references are
    refused by defusedxml's handlers, which ``listen`` must leave in place."""
    from defusedxml import DefusedXmlException, EntitiesForbidden, ExternalReferenceForbidden
    from defusedxml.ElementTree import DefusedXMLParser

    parser = DefusedXMLParser(
        target=_NoTarget(), forbid_dtd=False, forbid_entities=True, forbid_external=True
    )
    listen(parser.parser)
    try:
        with path.open("rb") as handle:
            _check_head(handle.read(SNIFF_BYTES), layout, display)
            handle.seek(0)
            _feed(handle, parser)
        parser.close()
    except _TooLong as exc:
        limit = MAX_TOKEN // (1024 * 1024)
        message = f"an XML tag, comment or instruction longer than {limit} MiB; refused"
        raise EvidenceError(_expat_position(parser, display), message) from exc
    except TooDeep as exc:
        message = f"elements nested more than {MAX_DEPTH} deep; this is not {layout.kind}"
        raise EvidenceError(_expat_position(parser, display), message) from exc
    except EntitiesForbidden as exc:
        message = "refused: XML entity declarations are not allowed"
        raise EvidenceError(_expat_position(parser, display), message) from exc
    except ExternalReferenceForbidden as exc:
        message = "refused: XML external references are not allowed"
        raise EvidenceError(_expat_position(parser, display), message) from exc
    except ParseError as exc:
        line, column = exc.position
        reason = _POSITION_SUFFIX.sub("", str(exc))
        if exc.code in (3, 5):  # expat's "no element found" / "unclosed token"
            reason += " (is the file truncated?)"
        raise EvidenceError(
            Position(display, line, column + 1), f"malformed XML: {reason}"
        ) from exc
    except DefusedXmlException as exc:
        raise EvidenceError(Position(display), f"refused: {exc}") from exc
    except LookupError as exc:  # an encoding declaration Python does not know
        raise EvidenceError(Position(display), f"unreadable XML: {exc}") from exc
    except OSError as exc:
        raise EvidenceError(Position(display), f"cannot read: {exc.strerror or exc}") from exc


class _NoTarget:
    """The parser's target: the handlers ``listen`` installs take every event instead."""

    def close(self) -> None:
        """Nothing was built: what was read went to the handlers as it closed."""


def _feed(handle: BinaryIO, parser: DefusedXMLParser) -> None:
    """The file to expat, in time bounded by its length whatever its tokens.

    expat rescans a token it has not seen the end of from its start on every feed: a 15 MB
    attribute fed 64 KiB at a time was 240 rescans of up to 15 MB. Each feed here is at
    least as long as the unfinished token expat holds (the bytes since its current
    position), so the token doubles between feeds and they add up to twice its length; a
    token past MAX_TOKEN is refused as soon as a feed shows it.
    """
    expat = parser.parser
    fed = pending = 0
    # Near the cap the feeds shrink again, so a token cannot pass it inside one feed.
    while chunk := handle.read(max(_CHUNK, min(pending, MAX_TOKEN - pending))):
        parser.feed(chunk)
        fed += len(chunk)
        pending = fed - max(expat.CurrentByteIndex, 0)
        if pending > MAX_TOKEN:
            raise _TooLong


class _TooLong(Exception):
    """A token longer than MAX_TOKEN: expat's position is still its start."""


class TooDeep(Exception):
    """Raised from inside expat, so that its position is still the offending tag's."""


class _RecordReader(Generic[T]):
    """expat's handlers: each record built into a tree, bare ancestors around it.

    defusedxml's parser keeps its guards (entities, external references) and its error
    reporting, but elements go from expat straight to these handlers: nothing outside
    a record (or a note) becomes a tree, no event list is kept, attributes arrive as
    expat's dict.
    """

    def __init__(
        self,
        display: str,
        layout: Layout,
        convert: Callable[[Element, Sequence[Element]], T],
        finish: Finish[T] | None = None,
    ) -> None:
        self.display = display
        self.layout = layout
        self.convert = convert
        self.finish = finish
        self.found: list[T] = []
        self.ancestors: list[Element] = []
        """Open elements outside the record, root first: their attributes only."""
        self.starts: list[int] = []
        """For each ancestor, how many records had been found when it opened."""
        self.record: TreeBuilder | None = None
        self.noting = False
        """The tree being built is a note of the innermost ancestor, not a record."""
        self.depth = 0
        """Open elements inside the record being built."""
        self.names: dict[str, str] = {}
        self.namespaced = False
        self.expat: XMLParserType | None = None
        self.record_at = (0, 0)
        """Line and column of the record's start tag."""

    def listen(self, expat: XMLParserType) -> None:
        self.expat = expat
        expat.ordered_attributes = False
        expat.StartElementHandler = self._start
        expat.EndElementHandler = self._end
        expat.CharacterDataHandler = self._data
        expat.StartNamespaceDeclHandler = self._namespace

    def _name(self, raw: str) -> str:
        """expat's ``uri}local`` spelt as ElementTree does, ``{uri}local``."""
        name = self.names.get(raw)
        if name is None:
            name = self.names[raw] = "{" + raw if "}" in raw else raw
        return name

    def _namespace(self, prefix: str | None, uri: str) -> None:
        self.namespaced = True  # from now on attribute names may need respelling too

    def _start(self, raw: str, attrib: dict[str, str]) -> None:
        tag = self.names.get(raw) or self._name(raw)
        if self.namespaced and attrib:
            attrib = {self._name(key): value for key, value in attrib.items()}
        if self.record is not None:
            self.depth += 1
            if self.depth + len(self.ancestors) > MAX_DEPTH:
                raise TooDeep
            self.record.start(tag, attrib)
            return
        name = local(tag)
        if not self.ancestors and name not in self.layout.roots:
            raise EvidenceError(
                Position(self.display),
                f"not {self.layout.kind}: the root element is <{name}>, "
                f"expected {_either(self.layout.roots)}",
            )
        if len(self.ancestors) >= MAX_DEPTH:
            raise TooDeep
        if name in self.layout.records:  # a record inside a record belongs to the outer one
            if self.expat is not None:
                self.record_at = (self.expat.CurrentLineNumber, self.expat.CurrentColumnNumber + 1)
            self.record, self.depth = TreeBuilder(), 1
            self.record.start(tag, attrib)
        elif name in self.layout.notes and self._in_container():
            self.record, self.depth, self.noting = TreeBuilder(), 1, True
            self.record.start(tag, attrib)
        else:
            self.ancestors.append(Element(tag, attrib))
            self.starts.append(len(self.found))

    def _in_container(self) -> bool:
        return bool(self.ancestors) and local(self.ancestors[-1].tag) in self.layout.containers

    def _end(self, raw: str) -> None:
        if self.record is None:
            self._close(self.ancestors.pop(), self.starts.pop())
            return
        self.record.end(self.names.get(raw) or self._name(raw))
        self.depth -= 1
        if not self.depth:
            record, self.record = self.record.close(), None
            if self.noting:
                self.noting, parent = False, self.ancestors[-1]
                if child(parent, local(record.tag)) is None:  # the first says it; no pile-up
                    parent.append(record)
                return
            try:
                self.found.append(self.convert(record, self.ancestors))
            except UnknownValue as exc:
                where = Position(self.display, *self.record_at)
                raise EvidenceError(where, str(exc)) from exc

    def _close(self, element: Element, start: int) -> None:
        if self.finish is None or local(element.tag) not in self.layout.containers:
            return
        found = self.found
        inside = map(found.__getitem__, range(start, len(found)))  # a view, not a copy
        try:
            added = self.finish(element, inside, self.ancestors)
        except UnknownValue as exc:  # reported at the container's end tag
            where = Position(self.display)
            if self.expat is not None:
                where = Position(
                    self.display, self.expat.CurrentLineNumber, self.expat.CurrentColumnNumber + 1
                )
            raise EvidenceError(where, str(exc)) from exc
        if added is not None:
            found.append(added)

    def _data(self, text: str) -> None:
        if self.record is not None:
            self.record.data(text)


def _expat_position(parser: DefusedXMLParser, display: str) -> Position:
    expat = parser.parser
    return Position(display, expat.CurrentLineNumber, expat.CurrentColumnNumber + 1)


def _either(names: Sequence[str]) -> str:
    shown = [f"<{name}>" for name in names]
    return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} or {shown[-1]}"


def local(tag: str) -> str:
    """A tag without its namespace."""
    return tag.rpartition("}")[2]


def child(element: Element, name: str) -> Element | None:
    """The first direct child with this local name, whatever its namespace."""
    return next((c for c in element if local(c.tag) == name), None)


def text_at(element: Element | None, *path: str) -> str | None:
    """The text of the element reached by following local names from ``element``."""
    for name in path:
        if element is None:
            return None
        element = child(element, name)
    return None if element is None else element.text


def first_line(*texts: str | None) -> str | None:
    """The first non-blank line of the first text that has one, shortened to a message."""
    for candidate in texts:
        lines = [line.strip() for line in (candidate or "").splitlines() if line.strip()]
        if lines:
            return lines[0][:MESSAGE_LIMIT]
    return None


def whole_number(value: str | None) -> int | None:
    """A non-negative integer attribute (a line number); junk becomes None."""
    digits = (value or "").strip()
    # Bounded so a hostile value cannot hit int()'s digit limit.
    return int(digits) if digits.isdecimal() and len(digits) <= 9 else None


def seconds(value: str | None) -> float | None:
    """Seconds from a time attribute; "1,234.5" and "0,25" are read, junk becomes None."""
    if value is None:
        return None
    if "," in value:  # most values have none: float() then reads them as they are
        value = value.strip()
        if _THOUSANDS.fullmatch(value):
            value = value.replace(",", "")
        elif value.count(",") == 1 and "." not in value:
            value = value.replace(",", ".")
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) and number >= 0 else None
