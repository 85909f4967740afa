"""The sanitisers every reporter puts untrusted text through."""

from __future__ import annotations

import pytest

from gatekeeper.reporters.markdown import escape
from gatekeeper.text import WORD_JOINER, one_line, plain

WJ = WORD_JOINER


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("tests/test_x.py::test_y", "tests/test_x.py::test_y"),  # pytest ids keep their ::
        ("name\n::error::pwned", "name ::error::pwned"),
        ("::error::pwned", WJ + "::error::pwned"),
        ("  \n ::set-output name=x::y", WJ + "::set-output name=x::y"),
        ("text ##[error]legacy", f"text ##{WJ}[error]legacy"),
        ("\x1b[31mred\x1b[0m", "\\x1b[31mred\\x1b[0m"),
        ("bell\x07 del\x7f csi\x9b", "bell\\x07 del\\x7f csi\\x9b"),
        ("a\r\nb\tc\u2028d\x85e", "a b c d e"),
        ("evil\u202etxt.exe", "evil\\u202etxt.exe"),
        ("µs, 🟩, @everyone, <b>", "µs, 🟩, @everyone, <b>"),  # not the terminal's business
    ],
)
def test_plain(raw: str, shown: str) -> None:
    assert plain(raw) == shown


def test_one_line_leaves_workflow_commands_to_the_caller() -> None:
    assert one_line("::error::x ##[y]") == "::error::x ##[y]"


def test_markdown_escape_shows_control_characters_as_text() -> None:
    assert escape("a\x1b[31m@b\nc") == "a\\\\x1b\\[31m@\u2060b c"
