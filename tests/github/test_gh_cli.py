"""The GitHub flags of `gatekeeper check`: their names and choices are the contract's."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from gatekeeper.cli import build_parser, main
from gatekeeper.commands.options import COMMENT_MODES
from gatekeeper.errors import ExitCode
from gatekeeper.github.publish import CommentMode


def _check_parser() -> argparse.ArgumentParser:
    commands = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return commands.choices["check"]  # type: ignore[no-any-return]


def test_the_flags_and_their_defaults() -> None:
    args = _check_parser().parse_args([])
    assert (args.check_name, args.github_check, args.github_status) == ("gatekeeper", "on", "off")
    assert (args.comment, args.job_summary) == ("always", "on")


def test_comment_modes_are_the_enum_s() -> None:
    assert tuple(m.value for m in CommentMode) == COMMENT_MODES


def test_every_github_flag_is_in_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--help"]) == 0
    text = capsys.readouterr().out
    for flag in ("--check-name", "--github-check", "--github-status", "--comment", "--job-summary"):
        assert flag in text


@pytest.mark.parametrize("name", ["", "   ", "tab\there", "x" * 256])
def test_a_bad_check_name_is_a_usage_error(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--check-name", name, "--matrix", str(tmp_path / "m.yml")]) == (
        ExitCode.USAGE
    )
    assert "--check-name" in capsys.readouterr().err


def test_a_bad_choice_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--comment", "sometimes"]) == ExitCode.USAGE
    assert "--comment" in capsys.readouterr().err
