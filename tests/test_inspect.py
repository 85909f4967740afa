"""`gatekeeper inspect` on the example's real artifacts: exact output, exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from gatekeeper.cli import main
from gatekeeper.errors import ExitCode
from tests.conftest import REPO, compare_or_regenerate

REPORTS = REPO / "examples" / "kmta" / "reports"
EXPECTED = Path(__file__).parent / "inspect_expected"
FILES = [
    "junit/unit.xml",
    "k6/splitter-summary.json",
    "k6/campaigns-summary.json",
    "bench/micro.json",
]


@pytest.mark.parametrize("name", FILES)
def test_inspect_output(
    name: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(REPORTS)
    assert main(["inspect", name]) == ExitCode.PASSED
    out = capsys.readouterr().out
    compare_or_regenerate(EXPECTED / (name.replace("/", "__") + ".txt"), out)


def test_selectors_printed_by_inspect_select_what_they_describe(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The class selector inspect suggests, used in a matrix, finds exactly those tests."""
    monkeypatch.chdir(REPORTS)
    main(["inspect", "junit/unit.xml"])
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if "tests.test_splitter.TestSplitter " in x)
    assert line.split()[-4:] == ["6", "passed,", "1", "failed"]


def test_unreadable_files_are_reported_and_counted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_text("<testsuite><testcase name='x'>")
    text = tmp_path / "notes.txt"
    text.write_text("hello\n")
    good = str(REPORTS / "junit" / "integration.xml")
    assert main(["inspect", str(bad), str(text)]) == ExitCode.NO_EVIDENCE
    err = capsys.readouterr().err
    assert f"{bad}:1:" in err and "truncated" in err
    assert f"{text}: cannot tell the format (tried junit, " in err
    assert main(["inspect", good, str(bad)]) == ExitCode.FAILED
    assert main(["inspect", "--format", "k6", good]) == ExitCode.NO_EVIDENCE


def test_hostile_names_are_printed_inert(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hostile = tmp_path / "h.xml"
    hostile.write_text(
        '<testsuite name="s"><testcase classname="&#10;::error::x" name="t\u202eexe"/></testsuite>',
        encoding="utf-8",
    )
    assert main(["inspect", str(hostile)]) == ExitCode.PASSED
    out = capsys.readouterr().out
    assert "\u202e" not in out  # a bidi override would reorder the line on screen
    assert not any(line.lstrip().startswith("::") for line in out.splitlines())


def test_the_characters_written_as_escapes_are_the_controls_and_direction_marks() -> None:
    """Reports and inspect escape every control character (category Cc) and text-direction
    control, and nothing else, with one regular expression (a 15 MB test name took seconds a
    character at a time)."""
    import sys
    import unicodedata

    from gatekeeper.text import BIDI_CONTROLS, CONTROLS

    unsafe = {chr(c) for c in range(sys.maxunicode + 1) if CONTROLS.fullmatch(chr(c))}
    expected = {
        chr(c)
        for c in range(sys.maxunicode + 1)
        if unicodedata.category(chr(c)) == "Cc" or chr(c) in BIDI_CONTROLS
    }
    assert unsafe == expected


@pytest.mark.parametrize(
    "name",
    [
        "a\u2028b",
        "a\u2029b",
        "\ufeffa",
        "x\ud800y",
        "tab\there",
        "rtl\u202eltr",
        "q\"'#:",
        "##[error]x",
        "\\##[",
        "###[[",
    ],
)
def test_a_printed_selector_reads_back_as_the_name_whatever_it_holds(name: str) -> None:
    """What inspect prints is pasted into the matrix: YAML must read it back exactly (line
    separators, a BOM and lone surrogates included, which JSON's quoting leaves raw)."""
    import yaml

    from gatekeeper.reporters.inspection import _quoted

    printed = _quoted(name)
    assert printed.isprintable() or "\\" in printed
    assert "##[" not in printed  # a workflow command anywhere in a CI log's line
    assert yaml.safe_load(f"name: {printed}") == {"name": name}
