"""XML text with positions: tags, attributes, text and elements as spans of the raw text.

Enough to rewrite a document into another spelling of the same information set (attribute
order, quote style, whitespace inside tags, character references, CDATA, empty-element
tags, a byte order mark, CRLF line ends), or to delete or repeat one element.
The XML declaration, comments, processing instructions and any DOCTYPE are left as written.
"""

from __future__ import annotations

import functools
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from xml.parsers import expat

_MARKUP = re.compile(
    r"""<!--.*?-->
      | <!\[CDATA\[.*?\]\]>
      | <\?.*?\?>
      | <!DOCTYPE(?:[^\[>]|\[.*?\])*>
      | </(?P<end>[^\s>]+)\s*>
      | <(?P<name>[^\s/>!?]+)
        (?P<attrs>(?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)
        \s*(?P<close>/?)>""",
    re.VERBOSE | re.DOTALL,
)
_ATTR = re.compile(r"""\s+([^\s=/>]+)\s*=\s*("[^"]*"|'[^']*')""")
_REFERENCE = re.compile(r"&(?:#[0-9]+|#x[0-9a-fA-F]+|[A-Za-z_][\w.-]*);")
_NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?(?![\w.])")
_WHITESPACE = " \t\r\n"
_PREDEFINED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}


@dataclass
class Piece:
    """One stretch of the text: a tag, character data, or other markup."""

    kind: str
    """start, empty, end, text, or other (declaration, comment, CDATA, DOCTYPE)."""
    start: int
    end: int
    name: str = ""
    attrs: list[tuple[str, str]] = field(default_factory=list)
    """(name, quoted value as written) of a start or empty tag."""


@functools.lru_cache(maxsize=64)  # the same original text is taken apart for every mutation
def pieces(text: str) -> list[Piece]:
    """The whole text as consecutive pieces (read-only: cached)."""
    found: list[Piece] = []
    at = 0
    for match in _MARKUP.finditer(text):
        if match.start() > at:
            found.append(Piece("text", at, match.start()))
        if match.group("end"):
            found.append(Piece("end", match.start(), match.end(), match.group("end")))
        elif match.group("name"):
            kind = "empty" if match.group("close") else "start"
            attrs = [(m.group(1), m.group(2)) for m in _ATTR.finditer(match.group("attrs"))]
            found.append(Piece(kind, match.start(), match.end(), match.group("name"), attrs))
        else:
            found.append(Piece("other", match.start(), match.end()))
        at = match.end()
    if at < len(text):
        found.append(Piece("text", at, len(text)))
    return found


def is_well_formed(data: bytes) -> bool:
    """Whether expat reads the bytes as one well-formed document."""
    parser = expat.ParserCreate()
    try:
        parser.Parse(data, True)
    except (expat.ExpatError, LookupError):  # LookupError: an encoding expat does not know
        return False
    return True


def elements(text: str) -> list[tuple[int, int]]:
    """(start, end) of every element but the root, in document order."""
    found: list[tuple[int, int]] = []
    open_: list[int] = []
    for piece in pieces(text):
        if piece.kind == "start":
            open_.append(piece.start)
        elif piece.kind == "end" and open_:
            start = open_.pop()
            if open_:
                found.append((start, piece.end))
        elif piece.kind == "empty" and open_:
            found.append((piece.start, piece.end))
    return sorted(found)


def _inside_root(text: str) -> list[Piece]:
    """Pieces with the depth at which they sit marked by membership: text inside the root."""
    inside, depth = [], 0
    for piece in pieces(text):
        if piece.kind == "start":
            depth += 1
        elif piece.kind == "end":
            depth -= 1
        elif piece.kind == "text" and depth > 0:
            inside.append(piece)
    return inside


def numbers(text: str) -> list[tuple[int, int]]:
    """Spans of numbers in attribute values and in character data."""
    spans: list[tuple[int, int]] = []
    for piece in pieces(text):
        if piece.kind == "text":
            spans += [(piece.start + m.start(), piece.start + m.end())
                      for m in _NUMBER.finditer(text, piece.start, piece.end)]  # fmt: skip
        elif piece.kind in ("start", "empty"):
            raw = text[piece.start : piece.end]
            for attr in _ATTR.finditer(raw):
                base = piece.start + attr.start(2) + 1
                value = attr.group(2)[1:-1]
                spans += [(base + m.start(), base + m.end()) for m in _NUMBER.finditer(value)]
    return spans


def name_spans(text: str) -> list[tuple[int, int]]:
    """Where element and attribute names are."""
    spans: list[tuple[int, int]] = []
    for piece in pieces(text):
        if piece.kind in ("start", "empty", "end"):
            offset = 2 if piece.kind == "end" else 1
            spans.append((piece.start + offset, piece.start + offset + len(piece.name)))
        if piece.kind in ("start", "empty"):
            raw = text[piece.start : piece.end]
            spans += [
                (piece.start + m.start(1), piece.start + m.end(1)) for m in _ATTR.finditer(raw)
            ]
    return spans


# --- rewrites that keep the information set ---------------------------------------------


def _space(rng: random.Random, at_least_one: bool) -> str:
    options = [" ", "  ", "\n", "\t", "\n    "]
    return rng.choice(options if at_least_one else ["", *options])


def _tag(piece: Piece, attrs: list[tuple[str, str]], rng: random.Random | None) -> str:
    """A start or empty tag written again, with random whitespace when ``rng`` is given."""
    parts = ["<", piece.name]
    for name, value in attrs:
        if rng is None:
            parts.append(f" {name}={value}")
        else:
            parts.append(
                f"{_space(rng, True)}{name}{_space(rng, False)}={_space(rng, False)}{value}"
            )
    parts.append(_space(rng, False) if rng else "")
    parts.append("/>" if piece.kind == "empty" else ">")
    return "".join(parts)


def _rewrite_tags(text: str, rewrite: Callable[[Piece], str | None]) -> str:
    """The text with each piece ``rewrite`` returns something for replaced by it."""
    out, at = [], 0
    for piece in pieces(text):
        new = rewrite(piece)
        if new is not None:
            out += [text[at : piece.start], new]
            at = piece.end
    return "".join(out) + text[at:]


def shuffle_attributes(text: str, rng: random.Random) -> str:
    """Attributes of every tag in a random order."""

    def rewrite(piece: Piece) -> str | None:
        if piece.kind not in ("start", "empty") or len(piece.attrs) < 2:
            return None
        attrs = list(piece.attrs)
        rng.shuffle(attrs)
        return _tag(piece, attrs, None)

    return _rewrite_tags(text, rewrite)


def switch_quotes(text: str, rng: random.Random) -> str:
    """Some attribute values quoted with the other quote character (escaped as needed)."""

    def requote(value: str) -> str:
        inner, quote = value[1:-1], value[0]
        other = "'" if quote == '"' else '"'
        escaped = inner.replace(other, "&apos;" if other == "'" else "&quot;")
        return other + escaped + other

    def rewrite(piece: Piece) -> str | None:
        if piece.kind not in ("start", "empty") or not piece.attrs:
            return None
        attrs = [(n, requote(v) if rng.random() < 0.6 else v) for n, v in piece.attrs]
        return _tag(piece, attrs, None)

    return _rewrite_tags(text, rewrite)


def space_tags(text: str, rng: random.Random) -> str:
    """Other whitespace between attributes, around ``=``, before ``>`` and ``/>``."""

    def rewrite(piece: Piece) -> str | None:
        if piece.kind == "end":
            return f"</{piece.name}{_space(rng, False)}>"
        if piece.kind in ("start", "empty"):
            return _tag(piece, piece.attrs, rng)
        return None

    return _rewrite_tags(text, rewrite)


def _references(raw: str, rng: random.Random, share: float) -> str:
    """Some characters of raw character data written as character references."""
    out, at = [], 0
    for ref in [*_REFERENCE.finditer(raw), None]:
        stop = ref.start() if ref else len(raw)
        for char in raw[at:stop]:
            if char in _WHITESPACE or rng.random() >= share:
                out.append(char)
            else:
                out.append(f"&#{ord(char)};" if rng.random() < 0.5 else f"&#x{ord(char):X};")
        if ref:
            out.append(ref.group())
            at = ref.end()
    return "".join(out)


def character_references(text: str, rng: random.Random) -> str:
    """Some characters of attribute values and character data as ``&#N;`` / ``&#xH;``."""

    def rewrite(piece: Piece) -> str | None:
        if piece.kind == "text":
            return _references(text[piece.start : piece.end], rng, 0.3)
        if piece.kind in ("start", "empty") and piece.attrs:
            attrs = [(n, v[0] + _references(v[1:-1], rng, 0.3) + v[0]) for n, v in piece.attrs]
            return _tag(piece, attrs, None)
        return None

    return _rewrite_tags(text, rewrite)


def toggle_empty_elements(text: str, rng: random.Random) -> str:
    """``<a/>`` as ``<a></a>``, and ``<a></a>`` as ``<a/>``."""
    found = pieces(text)
    out, at = [], 0
    for index, piece in enumerate(found):
        after = found[index + 1] if index + 1 < len(found) else None
        if piece.kind == "empty" and rng.random() < 0.7:
            start = _tag(Piece("start", 0, 0, piece.name), piece.attrs, None)
            out += [text[at : piece.start], f"{start}</{piece.name}>"]
            at = piece.end
        elif piece.kind == "start" and after and after.kind == "end" and rng.random() < 0.7:
            empty = _tag(Piece("empty", 0, 0, piece.name), piece.attrs, None)
            out += [text[at : piece.start], empty]
            at = after.end
    return "".join(out) + text[at:]


def _decoded(raw: str) -> str:
    def one(match: re.Match[str]) -> str:
        body = match.group()[1:-1]
        if body.startswith("#x"):
            return chr(int(body[2:], 16))
        if body.startswith("#"):
            return chr(int(body[1:]))
        return _PREDEFINED[body]

    return _REFERENCE.sub(one, raw)


def cdata_sections(text: str, rng: random.Random) -> str:
    """Some character data inside the root written as CDATA sections."""
    chosen: dict[int, str] = {}
    for piece in _inside_root(text):
        raw = text[piece.start : piece.end]
        if not raw.strip() or rng.random() < 0.5:
            continue
        decoded = _decoded(raw)
        if "]]>" not in decoded and "\r" not in decoded:
            chosen[piece.start] = f"<![CDATA[{decoded}]]>"

    def rewrite(piece: Piece) -> str | None:
        return chosen.get(piece.start) if piece.kind == "text" else None

    return _rewrite_tags(text, rewrite)


def add_bom(text: str) -> str | None:
    """A UTF-8 byte order mark in front, where the document is UTF-8."""
    head = text[:200].lower()
    if text.startswith("\ufeff") or ("encoding=" in head and "utf-8" not in head):
        return None
    return "\ufeff" + text


def crlf(text: str) -> str | None:
    """CRLF line ends: XML reads them as LF everywhere."""
    return None if "\r" in text else text.replace("\n", "\r\n")
