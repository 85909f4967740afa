"""Workflow commands, step outputs and the job summary, as the Actions runner reads them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from gatekeeper.github import actions_io
from gatekeeper.github.fit import split_report
from tests.github.gh_build import big, markdown


def test_data_and_properties_are_escaped_as_the_toolkit_does() -> None:
    assert actions_io.escape_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert actions_io.escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    assert actions_io.escape_data("a:b,c") == "a:b,c"  # only properties escape : and ,


def test_a_message_cannot_start_a_command_of_its_own() -> None:
    line = actions_io.warning("failed\n::error file=x.py,line=1::pwned", title="gate, keeper: x")
    assert line == (
        "::warning title=gate%2C keeper%3A x::failed%0A::error file=x.py,line=1::pwned\n"
    )
    assert line.count("\n") == 1


def test_commands_leave_out_empty_properties_and_mask_the_token() -> None:
    assert actions_io.command("notice", "hi", title="") == "::notice::hi\n"
    assert actions_io.mask("ghs_secret%\n") == "::add-mask::ghs_secret%25%0A\n"


def _delimiters(*values: str) -> Iterator[str]:
    yield from values


def test_outputs_use_heredocs_with_a_delimiter_absent_from_the_value() -> None:
    given = _delimiters("EOF_1", "EOF_2", "EOF_3")
    text = actions_io.format_outputs(
        {"verdict": "failed", "report": "line one\nEOF_2 inside\nline three"},
        lambda: next(given),
    )
    assert text == (
        "verdict<<EOF_1\nfailed\nEOF_1\nreport<<EOF_3\nline one\nEOF_2 inside\nline three\nEOF_3\n"
    )


def test_an_output_name_must_be_one_line() -> None:
    with pytest.raises(ValueError, match="one non-empty line"):
        actions_io.format_outputs({"a\nb": "x"}, actions_io.random_delimiter)


def test_outputs_are_appended_with_random_delimiters(tmp_path: Path) -> None:
    path = tmp_path / "output"
    path.write_text("earlier=1\n", encoding="utf-8")
    actions_io.write_outputs(path, {"stands-at": "", "verdict": "passed"})
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[0] == "earlier=1"
    first, second = lines[1].partition("<<")[2], lines[4].partition("<<")[2]
    assert first.startswith("ghadelimiter_") and len(first) == len("ghadelimiter_") + 32
    assert first != second
    assert lines[1:7] == [f"stands-at<<{first}", "", first, f"verdict<<{second}", "passed", second]


def test_the_job_summary_stays_within_what_is_left_of_1_mib(tmp_path: Path) -> None:
    path = tmp_path / "summary.md"
    path.write_text("x" * (actions_io.STEP_SUMMARY_LIMIT - 20_000), encoding="utf-8")
    s = big(40, 20, message="é" * 200)
    text = markdown(s.report, s.exit_code)
    assert len(text.encode()) > 20_000
    actions_io.append_summary(path, split_report(text), elsewhere="See the JSON report.")
    written = path.read_bytes()
    assert len(written) <= actions_io.STEP_SUMMARY_LIMIT
    added = written[actions_io.STEP_SUMMARY_LIMIT - 20_000 :].decode()
    assert added.startswith("## ❌ Big: One gate FAILED")
    assert "bytes: " in added and "See the JSON report." in added


def test_a_small_summary_is_appended_whole(tmp_path: Path) -> None:
    path = tmp_path / "new.md"
    s = big(2, 1)
    text = markdown(s.report, s.exit_code)
    actions_io.append_summary(path, split_report(text))
    actions_io.append_summary(path, split_report(text))
    assert path.read_text(encoding="utf-8") == text + text
