"""Mutations that know a file's syntax: JSON members and items, XML elements, CSV records,
and the rewrites that keep each one's meaning. mutators.py states what each may do."""

from __future__ import annotations

import random
from collections.abc import Callable

from tests.fuzz import jsontext, lines, xmltext
from tests.fuzz.mutation import Doc, Effect, Mutation, Mutator, encode


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
                    kind, effect, where, encode(text[:start] + new + ending + text[end:])
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
        return Mutation(kind, effect, "document", encode(new))

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
    return Mutation("csv-line-ends", Effect.SAME, "every record", encode(new)) if at else None


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
        encode(new),
    )


def _ndjson_crlf(doc: Doc, rng: random.Random, turn: int) -> Mutation | None:
    text = doc.text
    return (
        None
        if "\r" in text
        else Mutation("ndjson-crlf", Effect.SAME, "every line", encode(text.replace("\n", "\r\n")))
    )


JSON: list[Mutator] = [
    _on_json("delete-member", Effect.VALUE, _container_op("object", repeat=False)),
    _on_json("repeat-member", Effect.VALUE, _container_op("object", repeat=True)),
    _on_json("delete-item", Effect.VALUE, _container_op("array", repeat=False)),
    _on_json("repeat-item", Effect.VALUE, _container_op("array", repeat=True)),
    _on_json("json-whitespace", Effect.SAME, lambda t, r, one: jsontext.reindent(t, r, one)),
    _on_json("json-key-order", Effect.SAME, lambda t, r, one: jsontext.shuffle_keys(t, r)),
    _on_json("json-escapes", Effect.SAME, lambda t, r, one: jsontext.escape_strings(t, r)),
    _on_json("json-number-spelling", Effect.SAME, lambda t, r, one: jsontext.respell_numbers(t, r)),
]  # fmt: skip

XML: list[Mutator] = [
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


NDJSON: list[Mutator] = [*JSON, _ndjson_crlf]
CSV: list[Mutator] = [_csv_line_ends, _csv_quote]
