"""A path an artifact's pattern matches that cannot be read as a file (a dangling symlink, a
symlink loop, a FIFO, a socket) makes the artifact an error, naming the path and why; it is
never skipped while the other files pass (adversarial review F8). A folder a glob matches is
not a file and is skipped, as before."""

from __future__ import annotations

import json
import os
import shutil
import socket
from pathlib import Path

import pytest

from gatekeeper.cli import main
from gatekeeper.errors import ExitCode
from gatekeeper.findfiles import find_files

JUNIT = Path(__file__).resolve().parent / "parsers" / "fixtures" / "real" / "pytest-xunit2.xml"
"""6 tests, 1 failed, 1 errored, 2 skipped: 2 of 4 run tests pass (50 %)."""

PASSING = """\
version: 1
current: one
phases: [{id: one, name: One}]
artifacts:
  unit: {format: junit, paths: PATHS}
swimlanes:
  - id: core
    name: Core
    cells:
      one:
        goal: half the tests pass
        benchmarks:
          - {id: tests, tests: {from: unit, pass_rate: 40%}}
"""

special_files = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on Windows")


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    # relative names from here on: a socket's path must fit in about 100 bytes
    monkeypatch.chdir(tmp_path)
    (tmp_path / "reports").mkdir()
    shutil.copyfile(JUNIT, tmp_path / "reports" / "unit.xml")
    return tmp_path


def problems(root: Path, *patterns: str) -> list[str]:
    found = find_files(root, patterns)
    assert [p.relative_to(root).as_posix() for p in found.files] == ["reports/unit.xml"]
    return [str(problem) for problem in found.problems]


def check(root: Path, paths: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """The exit code, the benchmark's outcome and its details, from ``check --dry-run``."""
    (root / "gatekeeper.yml").write_text(PASSING.replace("PATHS", paths), encoding="utf-8")
    argv = ["check", "-m", str(root / "gatekeeper.yml"), "--dry-run", "--format", "json"]
    code = main([*argv, "--today", "2026-01-01"])
    (benchmark,) = json.loads(capsys.readouterr().out)["cells"][0]["benchmarks"]
    return code, benchmark["outcome"], "\n".join(benchmark["details"])


def test_a_dangling_symlink_is_a_problem_not_skipped(root: Path) -> None:
    (root / "reports" / "shard2.xml").symlink_to("gone.xml")
    said = ["reports/shard2.xml: a symlink to a missing file (gone.xml)"]
    assert problems(root, "reports/*.xml") == said
    assert problems(root, "reports/**/*.xml") == said
    # named literally: the name is there, what it points at is not
    assert problems(root, "reports/unit.xml", "reports/shard2.xml") == said


def test_a_symlink_loop_is_a_problem(root: Path) -> None:
    (root / "reports" / "loop.xml").symlink_to("loop.xml")
    (root / "reports" / "ping.xml").symlink_to("pong.xml")
    (root / "reports" / "pong.xml").symlink_to("ping.xml")
    assert problems(root, "reports/*.xml") == [
        "reports/loop.xml: a symlink loop",
        "reports/ping.xml: a symlink loop",
        "reports/pong.xml: a symlink loop",
    ]
    assert problems(root, "reports/unit.xml", "reports/loop.xml") == [
        "reports/loop.xml: a symlink loop"
    ]


def test_a_glob_below_a_symlink_loop_or_a_dangling_folder_is_a_problem(root: Path) -> None:
    (root / "looped").symlink_to("looped")
    (root / "shards").symlink_to("gone")
    found = find_files(root, ("looped/*.xml", "shards/*.xml", "looped/x.xml"))
    assert found.files == ()
    assert [str(p) for p in found.problems] == [
        "looped: a symlink loop",
        "looped/x.xml: a symlink loop",
        "shards: a symlink to a missing folder (gone)",
    ]


@special_files
def test_fifos_and_sockets_are_problems_not_read(root: Path) -> None:
    os.mkfifo(root / "reports" / "pipe.xml")  # reading it would wait forever
    (root / "reports" / "via.xml").symlink_to("pipe.xml")
    with socket.socket(socket.AF_UNIX) as server:
        server.bind("reports/sock.xml")
        assert problems(root, "reports/*.xml") == [
            "reports/pipe.xml: a FIFO, not a regular file",
            "reports/sock.xml: a socket, not a regular file",
            "reports/via.xml: a symlink to a FIFO, not a regular file",
        ]
        assert problems(root, "reports/unit.xml", "reports/pipe.xml") == [
            "reports/pipe.xml: a FIFO, not a regular file"
        ]


def test_a_device_is_not_a_regular_file(root: Path) -> None:
    if not Path(os.devnull).is_char_device():
        pytest.skip("no character device at os.devnull")
    found = find_files(root, (os.devnull,))
    assert [str(p) for p in found.problems] == [
        f"{os.devnull}: a character device, not a regular file"
    ]


def test_a_folder_a_glob_matches_is_skipped_silently(root: Path) -> None:
    (root / "reports" / "old.xml").mkdir()  # a folder named like a report
    (root / "reports" / "linked.xml").symlink_to("old.xml")
    assert problems(root, "reports/*.xml") == []
    assert problems(root, "reports/*") == []


def test_check_reports_the_unreadable_path_as_an_error_not_a_pass(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert check(root, '"reports/*.xml"', capsys)[:2] == (ExitCode.PASSED, "pass")
    (root / "reports" / "shard2.xml").symlink_to("gone.xml")
    code, outcome, details = check(root, '"reports/*.xml"', capsys)
    assert (code, outcome) == (ExitCode.NO_EVIDENCE, "error")
    assert details == "reports/shard2.xml: a symlink to a missing file (gone.xml)"
    code, outcome, details = check(root, "[reports/unit.xml, reports/shard2.xml]", capsys)
    assert (code, outcome) == (ExitCode.NO_EVIDENCE, "error")
    assert "reports/shard2.xml: a symlink to a missing file" in details
