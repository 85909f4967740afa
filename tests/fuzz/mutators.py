"""The mutations, and what each one may do to a verdict.

Every mutation has an ``Effect``, stated here once, which decides the property it is held to:

- ``SAME``: a rewrite that keeps the document's meaning (JSON: whitespace, key order,
  ``\\uXXXX`` escapes, other spellings of the same float, never an integer as a float;
  XML: attribute order, quote style, whitespace inside tags, character references, CDATA,
  ``<a/>`` for ``<a></a>``, a UTF-8 byte order mark, CRLF line ends; CSV: LF or CRLF
  record ends, quoting a field).
  The verdict must be identical: exit code and every benchmark's outcome (property a).
  Console text (go test, Catch2, wrk, ...) gets none: its tools define no equivalent
  spellings, and we do not invent any.
- ``VALUE``: a plausible change of value, which may move the verdict either way: a number
  replaced by ``0`` or ``1e308`` (finite, not negative), a digit changed into another
  digit, a whole record (CSV row, NDJSON line, console line) deleted or repeated, a JSON
  member or array item or an XML element deleted or repeated, a truncation at a record
  boundary of a row-based file, a byte flip inside a JSON key or an XML name that leaves
  the document well-formed (a field renamed: one the tool may omit, one it may add).
- ``BROKEN``: evidence no tool writes, which must never turn a failing benchmark into a
  pass (property b): a truncation anywhere but at a record boundary of a row-based file
  (so any truncation of a JSON or XML document that removes more than whitespace),
  ``NaN`` and ``±Infinity``, ``-1`` in place of a number that was not negative when the
  benchmark it turns into a pass then measures a negative value of a statistic with a unit
  (durations, counts, sizes and rates are never negative; a statistic without a unit, such
  as a k6 gauge, may be, and so may hyperfine's ``exit_codes``), any other byte flip (one that
  breaks the syntax, or changes a value such as a status, a unit or a line of console
  text), a deleted or repeated line that leaves JSON or XML ill-formed, a CSV header
  deleted or repeated. One exception, for byte flips and number replacements that keep the
  syntax: when gatekeeper then reads a test or series name that the original does not
  have, the change renamed a record (``/a`` to ``oa``), which is a value change.

Every mutation also holds to property (c) (exit 0-3, no traceback, no hang).
A mutation is a function of (seed, case, index) alone, so a failure can be replayed.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from tests.fuzz import jsontext, lines, xmltext


class Effect(str, Enum):
    SAME = "same meaning"
    VALUE = "plausible value change"
    BROKEN = "broken evidence"


@dataclass(frozen=True)
class Mutation:
    kind: str
    effect: Effect
    detail: str
    """Where and what, for a person reading a failure."""
    data: bytes
    renames: bool = False
    """Broken, unless it renamed a record: then the file, as gatekeeper reads it, holds a test
    or series that the original does not, and the mutation is a value change after all."""


@dataclass(frozen=True)
class Doc:
    """The file being mutated."""

    data: bytes
    shape: str
    """json, ndjson, xml, csv or text."""

    @property
    def text(self) -> str:
        return self.data.decode("utf-8", "surrogateescape")


def _encode(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")


Mutator = Callable[[Doc, random.Random, int], "Mutation | None"]
"""(document, random source, how many times this kind ran before) -> mutation, or None when
the kind has nothing to work on in this document."""


def _row_based(doc: Doc) -> bool:
    return doc.shape in ("ndjson", "csv", "text")


def _record_starts(doc: Doc) -> list[int]:
    if doc.shape == "csv":
        return [start for start, _, _ in lines.csv_records(doc.text)]
    return lines.line_starts(doc.text)


def truncate_at_line(doc: Doc, rng: random.Random, turn: int) -> Mutation | None:
    """Cut after a whole line; every line boundary in turn, in a seeded order."""
    text = doc.text
    cuts = [s for s in lines.line_starts(text) if 0 < s < len(text)] + [0]
    random.Random(len(text)).shuffle(cuts)
    cut = cuts[turn % len(cuts)]
    removed = text[cut:]
    if not removed.strip():  # only blank lines go: the very end of the document
        effect = Effect.SAME if doc.shape in ("json", "xml") else Effect.VALUE
    elif _row_based(doc) and cut in _record_starts(doc):
        effect = Effect.VALUE  # the trailing records are gone, every one kept is whole
    else:
        effect = Effect.BROKEN
    return Mutation(
        "truncate-at-line", effect, f"cut at offset {cut} of {len(text)}", _encode(text[:cut])
    )


def truncate_mid_line(doc: Doc, rng: random.Random, turn: int) -> Mutation | None:
    text = doc.text
    starts = set(lines.line_starts(text))
    offsets = [i for i in range(1, len(text)) if i not in starts]
    if not offsets:
        return None
    cut = rng.choice(offsets)
    last_line = text[text.rfind("\n", 0, cut) + 1 : cut]
    if not text[cut:].strip() and doc.shape in ("json", "xml"):
        effect = Effect.SAME
    elif not last_line.strip() and _row_based(doc) and cut - len(last_line) in _record_starts(doc):
        effect = Effect.VALUE  # only blanks of an unfinished line are kept
    else:
        effect = Effect.BROKEN
    return Mutation(
        "truncate-mid-line", effect, f"cut at offset {cut} of {len(text)}", _encode(text[:cut])
    )


def flip_byte(doc: Doc, rng: random.Random, turn: int) -> Mutation | None:
    data = bytearray(doc.data)
    if not data:
        return None
    at, bit = rng.randrange(len(data)), 1 << rng.randrange(8)
    before = data[at]
    data[at] ^= bit
    mutated = bytes(data)
    detail = f"byte {at}: {bytes([before])!r} -> {bytes([data[at]])!r}"
    if before in _DIGITS and data[at] in _DIGITS:
        return Mutation("flip-byte", Effect.VALUE, detail, mutated)
    if not _well_formed(doc, mutated):
        return Mutation("flip-byte", Effect.BROKEN, detail, mutated)
    if doc.shape in ("json", "xml") and _within(_char_offset(doc, at), _names(doc)):
        return Mutation("flip-byte", Effect.VALUE, detail, mutated)
    return Mutation("flip-byte", Effect.BROKEN, detail, mutated, renames=True)


_DIGITS = b"0123456789"


def _char_offset(doc: Doc, at: int) -> int:
    return len(doc.data[:at].decode("utf-8", "surrogateescape"))


def _names(doc: Doc) -> list[tuple[int, int]]:
    """Where the field names are: JSON keys, XML element and attribute names."""
    return jsontext.key_spans(doc.text) if doc.shape == "json" else xmltext.name_spans(doc.text)


def _well_formed(doc: Doc, mutated: bytes) -> bool:
    """Whether an independent reader still reads the file: JSON, each line of a JSON stream,
    XML, or CSV with the same number of fields in every record. Console text has no syntax
    to check."""
    try:
        text = mutated.decode("utf-8")
    except UnicodeDecodeError:
        return False
    if doc.shape == "json":
        return jsontext.is_valid(text)
    if doc.shape == "ndjson":
        return all(jsontext.is_valid(line) for line in text.splitlines() if line.strip())
    if doc.shape == "xml":
        return xmltext.is_well_formed(mutated)
    if doc.shape == "csv":
        widths = [len(f) for _, _, f in lines.csv_records(text)]
        return widths == [len(f) for _, _, f in lines.csv_records(doc.text)]
    return True


def _within(offset: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= offset < end for start, end in spans)


def _lines_op(doc: Doc, rng: random.Random, repeat: bool) -> Mutation | None:
    text = doc.text
    if doc.shape == "csv":
        spans = [(s, e) for s, e, _ in lines.csv_records(text)]
    else:
        spans = lines.line_spans(text)
    if not spans:
        return None
    index = rng.randrange(len(spans))
    start, end = spans[index]
    piece = text[start:end]
    if repeat and not piece.endswith("\n"):
        piece = "\n" + piece  # the last line has no line end: repeat it after one
    new = text[:end] + piece + text[end:] if repeat else text[:start] + text[end:]
    if doc.shape in ("json", "xml"):
        fine = (
            jsontext.is_valid(new) if doc.shape == "json" else xmltext.is_well_formed(_encode(new))
        )
        effect = Effect.VALUE if fine else Effect.BROKEN
    elif doc.shape == "csv" and index == 0:
        effect = Effect.BROKEN  # the header is not a record
    else:
        effect = Effect.VALUE
    what = "record" if doc.shape == "csv" else "line"
    kind = ("repeat-" if repeat else "delete-") + what
    return Mutation(kind, effect, f"{what} {index + 1} of {len(spans)}", _encode(new))


def delete_line(doc: Doc, rng: random.Random, turn: int) -> Mutation | None:
    return _lines_op(doc, rng, repeat=False)


def repeat_line(doc: Doc, rng: random.Random, turn: int) -> Mutation | None:
    return _lines_op(doc, rng, repeat=True)


# Number replacements: (name, JSON spelling, other spellings, effect)
_REPLACEMENTS = (
    ("nan", "NaN", ("NaN", "nan"), Effect.BROKEN),
    ("infinity", "Infinity", ("Infinity", "inf", "+Inf"), Effect.BROKEN),
    ("-infinity", "-Infinity", ("-Infinity", "-inf"), Effect.BROKEN),
    ("-1", "-1", ("-1",), Effect.BROKEN),
    ("1e308", "1e308", ("1e308",), Effect.VALUE),
    ("0", "0", ("0",), Effect.VALUE),
)


def _number_spans(doc: Doc, text: str) -> list[tuple[int, int, bool]]:
    """(start, end, in_json_string) of the numbers a replacement may hit."""
    if doc.shape == "xml":
        return [(s, e, False) for s, e in xmltext.numbers(text)]
    if doc.shape not in ("json", "ndjson"):
        return [(s, e, False) for s, e in lines.numbers(text)]
    found: list[tuple[int, int, bool]] = []
    for start, end in lines.line_spans(text) if doc.shape == "ndjson" else [(0, len(text))]:
        chunk = text[start:end]
        try:
            keys = {s - 1 for s, _ in jsontext.key_spans(chunk)}
            toks = jsontext.tokens(chunk)
        except jsontext.NotJSON:
            continue
        for tok in toks:
            if tok.kind == "number":
                found.append((start + tok.start, start + tok.end, False))
            elif tok.kind == "string" and tok.start not in keys:  # go test -json's Output
                found += [(start + s, start + e, True)
                          for s, e in lines.numbers(chunk, tok.start + 1, tok.end - 1)]  # fmt: skip
    return found


def _replace_number(which: int) -> Mutator:
    name, json_spelling, spellings, effect = _REPLACEMENTS[which]

    def mutate(doc: Doc, rng: random.Random, turn: int) -> Mutation | None:
        text = doc.text
        spans = _number_spans(doc, text)
        if not spans:
            return None
        start, end, in_string = rng.choice(spans)
        json_literal = doc.shape in ("json", "ndjson") and not in_string
        new = json_spelling if json_literal else rng.choice(spellings)
        old = text[start:end]
        mutated_effect = effect
        if name == "-1" and (old.startswith("-") or _may_be_negative(doc, text, start)):
            mutated_effect = Effect.VALUE
        detail = f"{old!r} at offset {start} -> {new}"
        data = _encode(text[:start] + new + text[end:])
        return Mutation(f"number-{name}", mutated_effect, detail, data, renames=True)

    return mutate


NEGATIVE_KEYS = frozenset({"exit_codes"})
"""JSON keys whose numbers may be negative: hyperfine's exit codes (Windows' are signed)."""


def _may_be_negative(doc: Doc, text: str, offset: int) -> bool:
    if doc.shape != "json":
        return False
    try:
        return jsontext.enclosing_key(text, offset) in NEGATIVE_KEYS
    except jsontext.NotJSON:
        return False


def _json_lines(doc: Doc) -> list[tuple[int, int]]:
    """The spans the JSON mutations work on: the document, or each line of a stream."""
    if doc.shape == "json":
        return [(0, len(doc.text))]
    return [(s, e) for s, e in lines.line_spans(doc.text) if doc.text[s:e].strip()]


def _on_json(
    kind: str, effect: Effect, change: Callable[[str, random.Random, bool], str | None]
) -> Mutator:
    """A change to the JSON document, or to one line of a JSON-lines stream."""

    def mutate(doc: Doc, rng: random.Random, turn: int) -> Mutation | None:
        spans = _json_lines(doc)
        rng.shuffle(spans)
        text = doc.text
        for start, end in spans[:50]:  # the first line (of a stream) it changes
            body = text[start:end]
            ending = body[len(body.rstrip("\r\n")) :] if doc.shape == "ndjson" else ""
            body = body[: len(body) - len(ending)]
            try:
                new = change(body, rng, doc.shape == "ndjson")
            except jsontext.NotJSON:
                continue
            if new is not None and new != body:
                where = "document" if doc.shape == "json" else f"line at offset {start}"
                return Mutation(
                    kind, effect, where, _encode(text[:start] + new + ending + text[end:])
                )
        return None

    return mutate


def _container_op(kind: str, repeat: bool) -> Callable[[str, random.Random, bool], str | None]:
    def change(text: str, rng: random.Random, one_line: bool) -> str | None:
        nodes = jsontext.containers(text, kind)
        if not nodes:
            return None
        node = rng.choice(nodes)
        parts = (
            jsontext.member_texts(text, node)
            if kind == "object"
            else jsontext.item_texts(text, node)
        )
        index = rng.randrange(len(parts))
        if repeat:
            parts.insert(index, parts[index])
        else:
            del parts[index]
        return jsontext.splice_container(text, node, parts, kind)

    return change


def _xml(kind: str, effect: Effect, change: Callable[[str, random.Random], str | None]) -> Mutator:
    def mutate(doc: Doc, rng: random.Random, turn: int) -> Mutation | None:
        new = change(doc.text, rng)
        if new is None or new == doc.text:
            return None
        return Mutation(kind, effect, "document", _encode(new))

    return mutate


def _element_op(repeat: bool) -> Callable[[str, random.Random], str | None]:
    def change(text: str, rng: random.Random) -> str | None:
        spans = xmltext.elements(text)
        if not spans:
            return None
        start, end = rng.choice(spans)
        return text[:end] + text[start:end] + text[end:] if repeat else text[:start] + text[end:]

    return change


def _csv_line_ends(doc: Doc, rng: random.Random, turn: int) -> Mutation | None:
    """Record ends LF as CRLF, or CRLF as LF (a quoted field's own line ends are kept)."""
    text = doc.text
    out, at = [], 0
    for _, end, _ in lines.csv_records(text):
        ending = "\r\n" if text[end - 2 : end] == "\r\n" else text[end - 1 : end]
        if ending in ("\n", "\r\n"):
            out += [text[at : end - len(ending)], "\n" if ending == "\r\n" else "\r\n"]
            at = end
    new = "".join(out) + text[at:]
    return Mutation("csv-line-ends", Effect.SAME, "every record", _encode(new)) if at else None


def _csv_quote(doc: Doc, rng: random.Random, turn: int) -> Mutation | None:
    text = doc.text
    records = lines.csv_records(text)[1:]  # the header stays as the tool writes it
    if not records:
        return None
    record = rng.choice(records)
    chosen = {i for i in range(len(record[2])) if rng.random() < 0.5} or {0}
    new = lines.quote_fields(text, record, chosen)
    return Mutation(
        "csv-quote",
        Effect.SAME,
        f"fields {sorted(chosen)} of the record at offset {record[0]}",
        _encode(new),
    )


_COMMON: list[Mutator] = [
    truncate_at_line, truncate_mid_line, flip_byte, delete_line, repeat_line,
    *(_replace_number(i) for i in range(len(_REPLACEMENTS))),
]  # fmt: skip

_JSON: list[Mutator] = [
    _on_json("delete-member", Effect.VALUE, _container_op("object", repeat=False)),
    _on_json("repeat-member", Effect.VALUE, _container_op("object", repeat=True)),
    _on_json("delete-item", Effect.VALUE, _container_op("array", repeat=False)),
    _on_json("repeat-item", Effect.VALUE, _container_op("array", repeat=True)),
    _on_json("json-whitespace", Effect.SAME, lambda t, r, one: jsontext.reindent(t, r, one)),
    _on_json("json-key-order", Effect.SAME, lambda t, r, one: jsontext.shuffle_keys(t, r)),
    _on_json("json-escapes", Effect.SAME, lambda t, r, one: jsontext.escape_strings(t, r)),
    _on_json("json-number-spelling", Effect.SAME, lambda t, r, one: jsontext.respell_numbers(t, r)),
]  # fmt: skip

_XML: list[Mutator] = [
    _xml("delete-element", Effect.VALUE, _element_op(repeat=False)),
    _xml("repeat-element", Effect.VALUE, _element_op(repeat=True)),
    _xml("xml-attribute-order", Effect.SAME, xmltext.shuffle_attributes),
    _xml("xml-quotes", Effect.SAME, xmltext.switch_quotes),
    _xml("xml-tag-whitespace", Effect.SAME, xmltext.space_tags),
    _xml("xml-character-references", Effect.SAME, xmltext.character_references),
    _xml("xml-empty-elements", Effect.SAME, xmltext.toggle_empty_elements),
    _xml("xml-cdata", Effect.SAME, xmltext.cdata_sections),
    _xml("xml-byte-order-mark", Effect.SAME, lambda t, r: xmltext.add_bom(t)),
    _xml("xml-crlf", Effect.SAME, lambda t, r: xmltext.crlf(t)),
]


def _ndjson_crlf(doc: Doc, rng: random.Random, turn: int) -> Mutation | None:
    text = doc.text
    return (
        None
        if "\r" in text
        else Mutation("ndjson-crlf", Effect.SAME, "every line", _encode(text.replace("\n", "\r\n")))
    )


KINDS: dict[str, list[Mutator]] = {
    "json": [*_COMMON, *_JSON],
    "ndjson": [*_COMMON, *_JSON, _ndjson_crlf],
    "xml": [*_COMMON, *_XML],
    "csv": [*_COMMON, _csv_line_ends, _csv_quote],
    "text": list(_COMMON),
}
"""The mutation kinds for each shape of file; mutation ``index`` uses kind ``index % len``."""


def mutate(doc: Doc, seed: str, case: str, index: int) -> Mutation:
    """Mutation ``index`` of a case: the same (seed, case, index) always gives the same bytes.
    A kind with nothing to work on hands over to the next one."""
    kinds = KINDS[doc.shape]
    for step in range(len(kinds)):
        kind = kinds[(index + step) % len(kinds)]
        rng = random.Random(f"{seed}/{case}/{index}")
        mutation = kind(doc, rng, index // len(kinds))
        if mutation is not None and mutation.data != doc.data:
            return mutation
    return Mutation("none", Effect.SAME, "no kind applies", doc.data)
