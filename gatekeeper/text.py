"""Untrusted text made safe to show: in a terminal, a CI log, Markdown, HTML and SVG.

Test names, messages and file names come from artifacts a pull request can write. Every
place that shows one passes it through here first: ``one_line`` (no line breaks, control and
text-direction characters shown as escapes), ``plain`` (and never a GitHub Actions workflow
command), ``shown`` / ``markup`` (and valid in XML, escaped for HTML). Pure; imports nothing
of gatekeeper, so every layer may use it.
"""

from __future__ import annotations

import re

WORD_JOINER = "\u2060"
"""Invisible and not whitespace: it breaks a mention or a workflow command and shows nothing."""
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
"""Marks and overrides that reorder text as it is displayed (the 'Trojan Source' trick)."""


CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f" + "".join(sorted(BIDI_CONTROLS)) + "]")
"""Control characters (Unicode category Cc) and text-direction controls: one expression,
so a text of megabytes is made inert at C speed, not a character at a time."""


def _shown(match: re.Match[str]) -> str:
    code = ord(match[0])
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def one_line(text: str) -> str:
    """Untrusted text on one line: every run of whitespace (newlines included) becomes one
    space, and control and text-direction characters are shown as escapes (\\x1b, \\u202e)
    so that they do nothing to a terminal or a page."""
    return CONTROLS.sub(_shown, " ".join(text.split()))


def plain(text: str) -> str:
    """Untrusted text made inert for a terminal and a CI log.

    On one line (see ``one_line``), and never a GitHub Actions workflow command: the runner
    obeys ``::cmd::`` at the start of a line, after any spaces, and ``##[cmd]`` anywhere in
    one, so a word joiner goes in front of a leading ``::`` and inside every ``##[``. A
    ``::`` elsewhere (``tests/test_x.py::test_y``) is left alone.
    """
    text = one_line(text)
    if text.startswith("::"):
        text = WORD_JOINER + text
    return text.replace("##[", "##" + WORD_JOINER + "[")


def _xml_char(char: str) -> str:
    """Characters XML 1.0 forbids even as references (lone surrogates, U+FFFE, U+FFFF)."""
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF or code in (0xFFFE, 0xFFFF):
        return f"\\u{code:04x}"
    return char


def shown(text: str) -> str:
    """Untrusted text as a page or an SVG shows it, before escaping: ``one_line``, and the
    characters XML cannot hold shown as escapes too."""
    return "".join(map(_xml_char, one_line(text)))


def markup(text: str) -> str:
    """Untrusted text as the content of an HTML or SVG element or a quoted attribute value.

    ``shown`` (on one line, control, text-direction and XML-forbidden characters shown as
    escapes), then ``html.escape(..., quote=True)``: no tag, entity, comment or attribute can
    begin, and an SVG stays well-formed. ``##[`` becomes ``##&#91;`` (the same on a page),
    so the text is no workflow command when the page is printed to a CI log.
    """
    import html  # only the Markdown and HTML reports escape: start-up time

    return html.escape(shown(text), quote=True).replace("##[", "##&#91;")


_NOT_YAML_TEXT = re.compile("[\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")
"""Beside control characters, what YAML reads as a line break or refuses in a scalar."""


def _escaped(match: re.Match[str]) -> str:
    return f"\\u{ord(match[0]):04x}"


def yaml_quoted(text: str) -> str:
    """Untrusted text as a YAML double-quoted scalar that reads back as exactly ``text``, and
    is inert on screen: JSON's quoting (a JSON string is valid YAML), with control,
    text-direction and line-breaking characters, and what YAML refuses, written as escapes;
    and the ``[`` of a ``##[`` (a workflow command anywhere in a CI log's line) written
    ``\x5b``, which YAML reads back as ``[``. How ``inspect`` prints a selector and
    ``init --from`` writes one."""
    import json  # only inspect and init --from quote: start-up time

    quoted = json.dumps(text, ensure_ascii=False).replace("##[", "##\\x5b")
    return _NOT_YAML_TEXT.sub(_escaped, CONTROLS.sub(_escaped, quoted))
