"""An SVG badge in the flat style of shields.io: "gatekeeper | Bronze · failed".

Green only when the run exits 0, red when the gate failed (1), grey when there was no
evidence (3). No font is embedded or fetched: text widths are estimated from Verdana's
advance widths at 11 px, and ``textLength`` holds each text to its box whatever font the
viewer has. The phase name is the only text from the matrix file; it goes through
``markup()`` like every text of the HTML page.
"""

from __future__ import annotations

import math
import unicodedata

from gatekeeper.errors import ExitCode
from gatekeeper.reporters.common import RenderOptions, phase_name, verdict
from gatekeeper.results import Report
from gatekeeper.text import markup, one_line, shown

LABEL = "gatekeeper"
COLORS: dict[int, str] = {
    ExitCode.PASSED: "#2ea44f",
    ExitCode.FAILED: "#cf222e",
    ExitCode.NO_EVIDENCE: "#6e7781",
}
"""The right half's colour by exit code; any other code (never rendered today) is grey."""
GREY = COLORS[ExitCode.NO_EVIDENCE]
NO_PHASE = "no phase"
"""Where a project stands when not even the first gate passes."""
_PHASE_CHARS = 32
_PADDING = 5  # each side of a text, as shields.io does
_HEIGHT = 20

# Advance widths of Verdana at 11 px for printable ASCII (space to '~'), rounded to 0.01 px.
_ASCII_WIDTHS = (
    # space ! " # $ % & ' ( ) * + , - . /
    3.87, 4.33, 5.05, 9.0, 7.0, 11.84, 7.99, 2.95, 4.99, 4.99, 7.0, 9.0, 4.0, 4.99, 4.0, 4.99,
    # 0-9
    7.0, 7.0, 7.0, 7.0, 7.0, 7.0, 7.0, 7.0, 7.0, 7.0,
    # : ; < = > ? @
    4.99, 4.99, 9.0, 9.0, 9.0, 6.0, 11.0,
    # A-Z
    7.52, 7.54, 7.68, 8.48, 6.96, 6.32, 8.53, 8.27, 4.63, 5.0, 7.62, 6.12, 9.27,
    8.23, 8.66, 6.63, 8.66, 7.65, 7.52, 6.78, 8.05, 7.52, 10.88, 7.54, 6.77, 7.54,
    # [ \ ] ^ _ `
    4.99, 4.99, 4.99, 9.0, 7.0, 7.0,
    # a-z
    6.61, 6.85, 5.73, 6.85, 6.55, 3.87, 6.85, 6.96, 3.02, 3.79, 6.51, 3.02, 10.69,
    6.96, 6.68, 6.85, 6.85, 4.69, 5.73, 4.33, 6.96, 6.51, 8.98, 6.51, 6.51, 5.78,
    # { | } ~
    6.98, 4.99, 6.98, 9.0,
)  # fmt: skip
_OTHER_WIDTHS = {"·": 4.0, "…": 9.85, "\u00a0": 3.87}
_WIDE = 11.0
"""An East Asian wide or full-width character: about one em."""
_DEFAULT = 7.5
"""Any other character: about an average capital letter."""


def char_width(char: str) -> float:
    """Estimated width of one character in Verdana 11 px."""
    code = ord(char)
    if 0x20 <= code <= 0x7E:
        return _ASCII_WIDTHS[code - 0x20]
    if char in _OTHER_WIDTHS:
        return _OTHER_WIDTHS[char]
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0.0
    return _WIDE if unicodedata.east_asian_width(char) in ("W", "F") else _DEFAULT


def text_width(text: str) -> float:
    """Estimated width of a line of text in Verdana 11 px."""
    return sum(map(char_width, text))


def _box(text: str) -> int:
    """Width of the box around a text: the text rounded up to whole pixels, and padding."""
    return math.ceil(round(text_width(shown(text)), 1)) + 2 * _PADDING


def message(report: Report, exit_code: int) -> str:
    """The right half: where the project stands and the verdict, e.g. 'Bronze · failed'."""
    if exit_code == ExitCode.NO_EVIDENCE:
        return verdict(report, exit_code)
    stands = NO_PHASE
    if report.stands_at is not None:
        stands = one_line(phase_name(report, report.stands_at))
        if len(stands) > _PHASE_CHARS:
            stands = stands[: _PHASE_CHARS - 1] + "…"
    return f"{stands} · {verdict(report, exit_code)}"


def color(exit_code: int) -> str:
    """Green only for exit code 0, red for 1, grey for 3 (and anything else)."""
    return COLORS.get(exit_code, GREY)


def _num(value: float) -> str:
    """A coordinate with at most one decimal, no trailing zero."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _text(text: str, centre: float) -> str:
    """One text drawn twice: a shadow one pixel down, then the text itself."""
    length = _num(text_width(shown(text)))
    x = _num(centre)
    return (
        f'<text aria-hidden="true" x="{x}" y="15" fill="#010101" fill-opacity=".3" '
        f'textLength="{length}">{markup(text)}</text>\n'
        f'<text x="{x}" y="14" textLength="{length}">{markup(text)}</text>'
    )


def render(report: Report, options: RenderOptions) -> str:
    right = message(report, options.exit_code)
    left_w, right_w = _box(LABEL), _box(right)
    width = left_w + right_w
    said = markup(f"{LABEL}: {right}")
    fill = color(options.exit_code)
    lines = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{_HEIGHT}" '
        f'role="img" aria-label="{said}">',
        f"<title>{said}</title>",
        '<linearGradient id="s" x2="0" y2="100%">'
        '<stop offset="0" stop-color="#bbb" stop-opacity=".1"/>'
        '<stop offset="1" stop-opacity=".1"/></linearGradient>',
        f'<clipPath id="r"><rect width="{width}" height="{_HEIGHT}" rx="3" fill="#fff"/>'
        "</clipPath>",
        '<g clip-path="url(#r)">'
        f'<rect width="{left_w}" height="{_HEIGHT}" fill="#555"/>'
        f'<rect x="{left_w}" width="{right_w}" height="{_HEIGHT}" fill="{fill}"/>'
        f'<rect width="{width}" height="{_HEIGHT}" fill="url(#s)"/></g>',
        '<g fill="#fff" text-anchor="middle" '
        'font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">',
        _text(LABEL, left_w / 2),
        _text(right, left_w + right_w / 2),
        "</g>",
        "</svg>",
    ]
    return "\n".join(lines) + "\n"
