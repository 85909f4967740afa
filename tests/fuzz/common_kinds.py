"""Mutations for files of every shape: truncations, byte flips, lines deleted or repeated,
numbers replaced. What each may do to a verdict is stated in mutators.py."""

from __future__ import annotations

import random

from tests.fuzz import jsontext, lines, xmltext
from tests.fuzz.mutation import Doc, Effect, Mutation, Mutator, encode


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
        "truncate-at-line", effect, f"cut at offset {cut} of {len(text)}", encode(text[:cut])
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
        "truncate-mid-line", effect, f"cut at offset {cut} of {len(text)}", encode(text[:cut])
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
            jsontext.is_valid(new) if doc.shape == "json" else xmltext.is_well_formed(encode(new))
        )
        effect = Effect.VALUE if fine else Effect.BROKEN
    elif doc.shape == "csv" and index == 0:
        effect = Effect.BROKEN  # the header is not a record
    else:
        effect = Effect.VALUE
    what = "record" if doc.shape == "csv" else "line"
    kind = ("repeat-" if repeat else "delete-") + what
    return Mutation(kind, effect, f"{what} {index + 1} of {len(spans)}", encode(new))


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
        data = encode(text[:start] + new + text[end:])
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


COMMON: list[Mutator] = [
    truncate_at_line, truncate_mid_line, flip_byte, delete_line, repeat_line,
    *(_replace_number(i) for i in range(len(_REPLACEMENTS))),
]  # fmt: skip
