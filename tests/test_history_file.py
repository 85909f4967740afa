"""A history file's text (``gatekeeper.github.historyfile``): keys found, lines that are not
records named and kept, the appended content, and the size cap."""

from __future__ import annotations

import pytest

from gatekeeper.github import historyfile
from gatekeeper.github.historyfile import Scan, appended, line_problem, scan, size_problem


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", Scan(frozenset())),
        (b'{"key": "a"}\n{"key": "b"}\n', Scan(frozenset({"a", "b"}))),
        (b'{"key": "a"}', Scan(frozenset({"a"}))),  # no last newline
        (b'{"key": "a"}\n\n{"key": 3}\n', Scan(frozenset({"a"}), (2,))),  # a blank line
        (b'{"key": "a"}\n\xff\xfe\n"text"\n{"no": "key"}\n', Scan(frozenset({"a"}), (2, 3))),
        (b'{"key": "a"}\r\n{"key": "b"}\r\n', Scan(frozenset({"a", "b"}))),  # CRLF is JSON space
    ],
)
def test_scan_finds_keys_and_names_what_is_no_record(content: bytes, expected: Scan) -> None:
    assert scan(content) == expected


def test_the_warning_names_at_most_ten_lines() -> None:
    content = b"x\n" * 12
    assert historyfile.unreadable_warning("h.jsonl", scan(content)) == (
        "h.jsonl: lines 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 and 2 more not a JSON object: kept as "
        "they are, the record was added after them"
    )
    assert historyfile.unreadable_warning("h.jsonl", scan(b'{"key": "a"}\n')) is None


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", b'{"key": "k"}\n'),
        (b'{"key": "a"}\n', b'{"key": "a"}\n{"key": "k"}\n'),
        (b'{"key": "a"}', b'{"key": "a"}\n{"key": "k"}\n'),
        (b"\xff broken", b'\xff broken\n{"key": "k"}\n'),  # kept byte for byte
    ],
)
def test_appended_keeps_every_byte_before(content: bytes, expected: bytes) -> None:
    assert appended(content, '{"key": "k"}') == expected


def test_a_record_must_be_one_object_of_its_key() -> None:
    assert line_problem('{"key": "k", "v": "é"}', "k") is None
    assert line_problem('{"key": "k"}', "") == "the record's key is empty"
    assert line_problem('{"key": "k"}\r', "k") == "the record is more than one line"
    assert line_problem('{"v": 1}', "k") == "the record's key is None, not 'k'"


def test_the_cap_counts_the_line_to_come() -> None:
    cap = historyfile.MAX_FILE_BYTES
    assert size_problem("h.jsonl", cap - 10, 10) is None
    assert size_problem("h.jsonl", cap - 10, 11) == (
        f"h.jsonl is {cap - 10:,} bytes; with this record it would pass the {cap:,} bytes a "
        "history file may hold: start a new file (another path), it is left as it is"
    )
