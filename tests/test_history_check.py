"""`check --history`: the page's history is read, its bad lines named, and the verdict is
never the history's to change."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from gatekeeper.cli import main

ROOT = Path(__file__).resolve().parent.parent
MATRIX = ROOT / "examples" / "kmta" / "gatekeeper.yml"
HISTORY = ROOT / "examples" / "kmta" / "history"
AS_OF = "2026-12-01T12:00:00Z"


def _check(*extra: str) -> int:
    return main(["check", "--matrix", str(MATRIX), "--as-of", AS_OF, *extra])


def test_a_missing_history_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = _check("--history", str(tmp_path / "nowhere"), "--output", f"html:{tmp_path}/p.html")
    assert code == 2
    assert f"--history {tmp_path / 'nowhere'}: no such file or folder" in capsys.readouterr().err
    assert not (tmp_path / "p.html").exists(), "bad usage is refused before any work"


def test_history_without_a_page_is_said(capsys: pytest.CaptureFixture[str]) -> None:
    assert _check("--history", str(HISTORY), "--format", "none") == 1
    assert "--history is shown on the HTML report only" in capsys.readouterr().err


def test_the_history_never_changes_the_verdict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plain = _check("--format", "json", "--output", f"html:{tmp_path}/a.html")
    without = json.loads(capsys.readouterr().out)
    broken = tmp_path / "history"
    shutil.copytree(HISTORY, broken)
    with (broken / "2026-11.jsonl").open("a", encoding="utf-8") as handle:
        handle.write('{"history_version": 1, "verdict": "passed"}\n::error::x\n')
    code = _check("--format", "json", "--output", f"html:{tmp_path}/b.html", "--history",
                  str(broken))  # fmt: skip
    captured = capsys.readouterr()
    assert code == plain == 1
    assert json.loads(captured.out) == without
    lines = [x for x in captured.err.splitlines() if "history line left out" in x]
    assert len(lines) == 2
    assert f"{broken / '2026-11.jsonl'}:6: 'phases': expected a list" in lines[0]
    assert f"{broken / '2026-11.jsonl'}:7: not JSON" in lines[1]
    assert not any(x.startswith("::") for x in captured.err.splitlines())


def test_many_bad_lines_are_counted_not_all_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text("nope\n" * 12, encoding="utf-8")
    assert _check("--format", "none", "--output", f"html:{tmp_path}/p.html", "--history",
                  str(bad)) == 1  # fmt: skip
    err = capsys.readouterr().err
    assert err.count("history line left out") == 5
    assert "… and 7 more history lines left out" in err
    assert f"--history: no evaluations in {bad}" in err


def test_the_page_timeline_has_the_phase_tags_of_the_clone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page's timeline reads the phase tags of the clone the root is in: an annotated
    tag made on 2026-07-01 says when phase one was reached, though the history (empty here:
    one unreadable line) says nothing."""
    from tests.gitrepo import make_repo

    repo = make_repo(tmp_path, monkeypatch)
    repo.evidence()
    monkeypatch.setenv("GIT_COMMITTER_DATE", "2026-07-01T10:00:00Z")
    repo.git("tag", "-a", "phase/one", "-m", "one done")
    history = tmp_path / "h.jsonl"
    history.write_text("not yet\n", encoding="utf-8")
    page = tmp_path / "page.html"
    repo.run("check", "--format", "none", "--output", f"html:{page}", "--history", str(history))
    html = page.read_text(encoding="utf-8")
    assert '<li data-phase="one" class="reached' in html
    assert '<time datetime="2026-07-01">2026-07-01</time>' in html
    assert "phase tag <code>phase/one</code>" in html


def test_phase_tags_alone_draw_the_timeline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No history given: the page's timeline still says when the phase tags were made."""
    from tests.gitrepo import make_repo

    repo = make_repo(tmp_path, monkeypatch)
    repo.evidence()
    page = tmp_path / "page.html"
    repo.run("check", "--format", "none", "--output", f"html:{page}")
    assert '<ol class="timeline">' not in page.read_text(encoding="utf-8"), "no tag: none"
    monkeypatch.setenv("GIT_COMMITTER_DATE", "2026-07-01T10:00:00Z")
    repo.git("tag", "phase/one")  # lightweight: dated by its commit
    committed = repo.git("log", "-1", "--format=%cs")
    repo.run("check", "--format", "none", "--output", f"html:{page}")
    html = page.read_text(encoding="utf-8")
    assert '<li data-phase="one" class="reached' in html
    assert f'<time datetime="{committed}">{committed}</time>' in html
