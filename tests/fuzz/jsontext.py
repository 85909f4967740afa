"""JSON text with positions: enough structure to change a document in one place, or to
rewrite it without changing its value.

The fuzzer needs the raw text, not a parsed value: a rewrite must keep every number as it
was spelt and every string as it was escaped, except for the one thing it rewrites.
Python's spelling of non-finite numbers (``NaN``, ``Infinity``) is read as a literal, since
that is how Python tools write them.
"""

from __future__ import annotations

import functools
import json
import random
import re
from dataclasses import dataclass, field

_TOKEN = re.compile(
    r"""(?P<ws>[ \t\r\n]+)
      | (?P<string>"(?:[^"\\]|\\.)*")
      | (?P<number>-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?)
      | (?P<literal>true|false|null|NaN|-?Infinity)
      | (?P<punct>[{}\[\]:,])""",
    re.VERBOSE | re.DOTALL,
)


class NotJSON(ValueError):
    """The text is not one JSON value this module can take apart."""


@dataclass
class Token:
    kind: str
    """ws, string, number, literal or punct."""
    start: int
    end: int
    text: str


@dataclass
class Node:
    """A value in the text: its span, and its children for containers."""

    kind: str
    """object, array, string, number or literal."""
    start: int
    end: int
    members: list[tuple[Node, Node]] = field(default_factory=list)
    """(key, value) pairs of an object, in the text's order."""
    items: list[Node] = field(default_factory=list)
    """Elements of an array."""

    def walk(self) -> list[Node]:
        """This node and every node inside it, depth first."""
        found = [self]
        for key, value in self.members:
            found += [key, *value.walk()]
        for item in self.items:
            found += item.walk()
        return found


@functools.lru_cache(maxsize=256)  # the same original text is taken apart for every mutation
def tokens(text: str) -> list[Token]:
    """Every token, whitespace included; raises NotJSON on anything else (read-only: cached)."""
    found, at = [], 0
    while at < len(text):
        match = _TOKEN.match(text, at)
        if match is None or match.lastgroup is None:
            raise NotJSON(f"no JSON token at offset {at}")
        found.append(Token(match.lastgroup, at, match.end(), match.group()))
        at = match.end()
    return found


@functools.lru_cache(maxsize=256)
def parse(text: str) -> Node:
    """The tree of spans of a JSON document (one value, surrounding whitespace allowed;
    read-only: cached)."""
    significant = [t for t in tokens(text) if t.kind != "ws"]
    node, used = _value(significant, 0)
    if used != len(significant):
        raise NotJSON("text after the JSON value")
    return node


def _value(toks: list[Token], at: int) -> tuple[Node, int]:
    if at >= len(toks):
        raise NotJSON("the text ends inside a value")
    tok = toks[at]
    if tok.kind in ("string", "number", "literal"):
        return Node(tok.kind, tok.start, tok.end), at + 1
    if tok.text == "{":
        return _container(toks, at, "}", object_=True)
    if tok.text == "[":
        return _container(toks, at, "]", object_=False)
    raise NotJSON(f"unexpected {tok.text!r} at offset {tok.start}")


def _container(toks: list[Token], at: int, closer: str, *, object_: bool) -> tuple[Node, int]:
    node = Node("object" if object_ else "array", toks[at].start, -1)
    at += 1
    while at < len(toks) and toks[at].text != closer:
        if node.members or node.items:
            if toks[at].text != ",":
                raise NotJSON(f"expected ',' at offset {toks[at].start}")
            at += 1
        if object_:
            key, at = _value(toks, at)
            if key.kind != "string" or at >= len(toks) or toks[at].text != ":":
                raise NotJSON(f"expected a key and ':' at offset {key.start}")
            value, at = _value(toks, at + 1)
            node.members.append((key, value))
        else:
            item, at = _value(toks, at)
            node.items.append(item)
    if at >= len(toks):
        raise NotJSON("the text ends inside a container")
    node.end = toks[at].end
    return node, at + 1


def is_valid(text: str) -> bool:
    """Whether Python's json module (NaN and Infinity allowed, as Python writes them) reads it."""
    try:
        json.loads(text)
    except (ValueError, RecursionError):
        return False
    return True


# --- rewrites that keep the value -------------------------------------------------------


def reindent(text: str, rng: random.Random, one_line: bool = False) -> str:
    """The same tokens with other whitespace: compact, spaced, or indented (CRLF or LF)."""
    styles = ["compact", "spaced"] if one_line else ["compact", "spaced", "indent"]
    style = rng.choice(styles)
    newline = rng.choice(["\n", "\r\n"])
    indent = rng.choice(["  ", "    ", "\t", " "])
    out: list[str] = []
    depth = 0
    toks = [t for t in tokens(text) if t.kind != "ws"]
    for index, tok in enumerate(toks):
        following = toks[index + 1].text if index + 1 < len(toks) else ""
        if style == "indent" and tok.text in "]}" and out and out[-1] not in "[{":
            depth -= 1
            out.append(newline + indent * depth)
        elif style == "indent" and tok.text in "]}":
            depth -= 1
        out.append(tok.text)
        if style == "compact":
            continue
        if tok.text == ":":
            out.append(" ")
        elif tok.text == ",":
            out.append(newline + indent * depth if style == "indent" else " ")
        elif style == "indent" and tok.text in "[{" and following not in ("]", "}"):
            depth += 1
            out.append(newline + indent * depth)
        elif style == "indent" and tok.text in "[{":
            depth += 1
    trailing = "" if one_line else rng.choice(["", newline, " " + newline])
    return "".join(out) + trailing


def shuffle_keys(text: str, rng: random.Random) -> str:
    """Every object's members in a random order (objects with a repeated key keep theirs)."""
    return _emit(text, parse(text), rng)


def _emit(text: str, node: Node, rng: random.Random) -> str:
    if node.kind == "object":
        members = list(node.members)
        keys = [json.loads(text[k.start : k.end]) for k, _ in members]
        if len(set(keys)) == len(keys):
            rng.shuffle(members)
        inner = [f"{text[k.start : k.end]}:{_emit(text, v, rng)}" for k, v in members]
        return "{" + ",".join(inner) + "}"
    if node.kind == "array":
        return "[" + ",".join(_emit(text, item, rng) for item in node.items) + "]"
    return text[node.start : node.end]


def escape_strings(text: str, rng: random.Random) -> str:
    """Some characters of some strings (keys too) written as ``\\uXXXX`` (or ``\\/``)."""
    out, at = [], 0
    for tok in tokens(text):
        if tok.kind != "string" or rng.random() < 0.5:
            continue
        out += [text[at : tok.start], _escaped(tok.text, rng)]
        at = tok.end
    return "".join(out) + text[at:]


def _escaped(literal: str, rng: random.Random) -> str:
    parts, inner, at = ['"'], literal[1:-1], 0
    while at < len(inner):
        if inner[at] == "\\":  # an escape already: kept as written
            width = 6 if inner[at + 1] == "u" else 2
            parts.append(inner[at : at + width])
            at += width
            continue
        char = inner[at]
        at += 1
        if rng.random() >= 0.4:
            parts.append(char)
        elif char == "/" and rng.random() < 0.5:
            parts.append("\\/")
        else:
            encoded = char.encode("utf-16-be")
            for unit in range(0, len(encoded), 2):
                code = f"{int.from_bytes(encoded[unit : unit + 2], 'big'):04x}"
                parts.append("\\u" + (code.upper() if rng.random() < 0.5 else code))
    return "".join(parts) + '"'


_NUMBER = re.compile(r"(-?)(\d+)(?:\.(\d+))?(?:[eE]([-+]?\d+))?")


def respell(number: str, rng: random.Random) -> str | None:
    """Another spelling of exactly the same decimal value, hence the same float: the point
    moved against the exponent, or zeros added. Only a number written as a float is
    respelt: ``5`` and ``5.0`` are one JSON number, but Python's and Rust's readers (and
    so the tools writing them) tell an integer from a float. None when nothing to do."""
    match = _NUMBER.fullmatch(number)
    if match is None:
        return None
    sign, whole, fraction, exponent = match.groups()
    if fraction is None and exponent is None:
        return None
    digits = (whole + (fraction or "")).lstrip("0") or "0"
    power = int(exponent or 0) - len(fraction or "")  # value = digits * 10**power
    if digits == "0":
        return sign + rng.choice(["0.0", "0e0", "0.00E+1", "0E-2"])
    shift = rng.randint(0, len(digits) + 2)  # digits after the point in the new spelling
    padded = digits.rjust(shift + 1, "0")
    mantissa = padded[: len(padded) - shift] + (
        "." + padded[len(padded) - shift :] if shift else ""
    )
    if rng.random() < 0.3:
        mantissa += ("" if shift else ".") + "0" * rng.randint(1, 2)
    new_power = power + shift
    marker = rng.choice(["e", "E"])
    suffix = f"{marker}{new_power:+d}" if rng.random() < 0.5 else f"{marker}{new_power}"
    if new_power == 0 and rng.random() < 0.5 and "." in mantissa:
        suffix = ""
    return sign + mantissa + suffix


def respell_numbers(text: str, rng: random.Random) -> str:
    """Some numbers spelt another way with the same value (see ``respell``)."""
    out, at = [], 0
    for tok in tokens(text):
        if tok.kind != "number" or rng.random() < 0.5:
            continue
        new = respell(tok.text, rng)
        if new is not None:
            out += [text[at : tok.start], new]
            at = tok.end
    return "".join(out) + text[at:]


# --- changes in one place ---------------------------------------------------------------


def containers(text: str, kind: str) -> list[Node]:
    """The objects (or arrays) with at least one member (or item), in text order."""
    return [n for n in parse(text).walk() if n.kind == kind and (n.members or n.items)]


def splice_container(text: str, node: Node, parts: list[str], kind: str) -> str:
    """``node`` replaced by a container of ``parts`` (raw member or item texts)."""
    opener, closer = ("{", "}") if kind == "object" else ("[", "]")
    return text[: node.start] + opener + ",".join(parts) + closer + text[node.end :]


def member_texts(text: str, node: Node) -> list[str]:
    """Each member of an object as written, ``"key": value``."""
    return [text[k.start : v.end] for k, v in node.members]


def item_texts(text: str, node: Node) -> list[str]:
    """Each item of an array as written."""
    return [text[i.start : i.end] for i in node.items]


def numbers(text: str) -> list[Token]:
    """Number tokens (and NaN/Infinity literals), outside strings."""
    return [t for t in tokens(text) if t.kind == "number" or t.text.endswith(("NaN", "Infinity"))]


def enclosing_key(text: str, offset: int) -> str | None:
    """The key of the innermost object member whose value holds ``offset``."""
    found = None
    for node in parse(text).walk():
        for key, value in node.members:
            if value.start <= offset < value.end:
                found = json.loads(text[key.start : key.end])  # walk goes inwards: keep the last
    return found


def key_spans(text: str) -> list[tuple[int, int]]:
    """Where object keys are (inside their quotes)."""
    return [(k.start + 1, k.end - 1) for n in parse(text).walk() for k, _ in n.members]
