"""SARIF messages: a result's text, its own or its rule's ``messageStrings`` template with
the arguments put in (SARIF 2.1.0 §3.11) and ``{{``/``}}`` read as braces, as its first
line cut to ``MAX_MESSAGE``.

A template is filled lazily and only as far as the cut: ``{0}`` a million times over an
argument of megabytes would otherwise ask for terabytes. What is kept is exactly what filling
all of it and then cutting gives: the text's first line once surrounding whitespace is
stripped, its first ``MAX_MESSAGE`` characters. A placeholder whose number is no argument's
(``{7}`` of two, or ``{999…}`` of thousands of digits) is kept as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

MAX_MESSAGE = 500
"""Characters of a finding's message (and context) kept: enough to tell it, bounded for a
hostile file."""

_SHORT = 4096
"""A message's own text up to this long is cut by splitting it whole; a longer one lazily
(a hostile text of a million lines is not split into a million strings)."""
_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{(\d+)\}")
"""A placeholder, or a brace written twice (SARIF §3.11.5: ``{{`` is ``{``, ``}}`` is ``}``)."""
_LINE_BREAK = re.compile(r"[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
"""What ``str.splitlines`` splits on."""


def message(raw: object, rule: dict[str, object] | None = None) -> str:
    """A message's text: its own, or its rule's ``messageStrings`` entry with the arguments
    put in; the first line only, cut to ``MAX_MESSAGE`` characters."""
    if not isinstance(raw, dict):
        return ""
    arguments = raw.get("arguments")
    values = [str(a) for a in arguments] if isinstance(arguments, list) else []
    text = raw.get("text")
    if isinstance(text, str):
        if len(text) <= _SHORT and "{" not in text and "}" not in text:
            lines = text.strip().splitlines()  # the common case, at C speed: the same answer
            return lines[0][:MAX_MESSAGE] if lines else ""
        return first_line(_pieces(text, values))  # its own placeholders and braces too
    if rule is None:
        return ""
    strings = rule.get("messageStrings")
    entry = strings.get(raw.get("id")) if isinstance(strings, dict) else None
    template = entry.get("text") if isinstance(entry, dict) else None
    if not isinstance(template, str):
        return ""
    return first_line(_pieces(template, values))


def _pieces(template: str, values: list[str]) -> Iterator[tuple[str, int | None]]:
    """The filled-in text of ``template``, piece by piece, in order: each with the number of
    the argument it is (None for the template's own text)."""
    end = 0
    most = len(str(len(values)))  # digits of the largest argument number, and one more
    for match in _PLACEHOLDER.finditer(template):
        if match.group(1) is None:  # {{ or }}: a brace written as SARIF escapes it
            yield template[end : match.start()], None
            yield match.group(0)[0], None
            end = match.end()
            continue
        digits = match.group(1).lstrip("0") or "0"
        if len(digits) > most or int(digits) >= len(values):  # no int() of 4,300 digits
            continue
        yield template[end : match.start()], None
        yield values[int(digits)], int(digits)
        end = match.end()
    yield template[end:], None


def first_line(pieces: Iterator[tuple[str, int | None]]) -> str:
    """``text.strip().splitlines()[0][:MAX_MESSAGE]`` ('' for none) of the text that
    ``pieces`` make up, reading no more of them than the answer needs: past the cut, only
    whether something other than whitespace follows, each argument looked at once."""
    blank: dict[int, bool] = {}  # by argument: one repeated a million times is read once

    def is_blank(piece: str, argument: int | None) -> bool:
        if argument is None:
            return not piece or piece.isspace()
        if argument not in blank:
            blank[argument] = not piece or piece.isspace()
        return blank[argument]

    kept = ""
    for piece, argument in pieces:
        if not kept:
            if is_blank(piece, argument):
                continue  # leading whitespace
            piece = piece.lstrip()
        part = piece[: MAX_MESSAGE - len(kept)]
        found = _LINE_BREAK.search(part)
        cut = found.start() if found else len(part)
        kept += part[:cut]
        if found or len(kept) == MAX_MESSAGE:
            rest = piece[cut:]
            # the first line loses its trailing whitespace only where nothing follows it
            if (not rest or rest.isspace()) and all(is_blank(*each) for each in pieces):
                return kept.rstrip()
            return kept
    return kept.rstrip()
