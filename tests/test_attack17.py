"""Adversary pass on issue 17's history, page and `gatekeeper history`: each test is a hole
found (it failed before its fix) or a defence that held, named by what it attacks."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from gatekeeper.cli import main
from gatekeeper.errors import UsageError
from gatekeeper.github import history_run, historyfile
from gatekeeper.github.history_run import branch_name, month_file
from gatekeeper.history.model import History, build, first_reached
from gatekeeper.history.records import Evaluation, Problem, read_lines
from gatekeeper.reporters.trends import MAX_POINTS
from tests.fakegithub.fixture import actions_fixture, fake_github_fixture  # noqa: F401
from tests.fakegithub.runner import DEFAULT_BRANCH_PUSH, PULL_REQUEST, Actions
from tests.fakegithub.server import FakeGitHub
from tests.gitrepo import Repo, make_repo

ROOT = Path(__file__).resolve().parent.parent
MATRIX = ROOT / "examples" / "kmta" / "gatekeeper.yml"
HISTORY = ROOT / "examples" / "kmta" / "history"
AS_OF = "2026-12-01T12:00:00Z"
LINE = (HISTORY / "2026-11.jsonl").read_text(encoding="utf-8").splitlines()[0]
"""A real record of the example's history (its first benchmark point has ``"value":0.0``)."""


@pytest.fixture
def without(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, object]:
    """The verdict with no history: what every hostile history must leave as it is."""
    code = main(["check", "--matrix", str(MATRIX), "--as-of", AS_OF, "--format", "json",
                 "--output", f"html:{tmp_path}/plain.html"])  # fmt: skip
    return code, json.loads(capsys.readouterr().out)


def _with_history(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], lines: list[str]
) -> tuple[int, object, str, str]:
    history = tmp_path / "h.jsonl"
    history.write_text("\n".join(lines) + "\n", encoding="utf-8")
    page = tmp_path / "page.html"
    code = main(["check", "--matrix", str(MATRIX), "--as-of", AS_OF, "--format", "json",
                 "--output", f"html:{page}", "--history", str(history)])  # fmt: skip
    captured = capsys.readouterr()
    return code, json.loads(captured.out), captured.err, page.read_text(encoding="utf-8")


def _record(**changes: object) -> dict[str, object]:
    found: dict[str, object] = json.loads(LINE)
    found.update(changes)
    return found


# --- numbers and dates a hostile or corrupt line holds: a problem, never a crash -------------

OUT_OF_RANGE = [
    pytest.param(
        json.dumps(_record(date="0001-01-01T00:00:00+01:00")), "out of range", id="year-0"
    ),
    pytest.param(
        json.dumps(_record(date="9999-12-31T23:59:59-01:00")),
        "out of range",
        id="year-10000",
    ),
    pytest.param(
        LINE.replace('"value":0.0', '"value":' + "9" * 400, 1), "finite number", id="int-1e400"
    ),
    pytest.param(
        LINE.replace('"value":0.0', '"value":' + "9" * 5000, 1), "too long", id="int-5000-digits"
    ),
]


@pytest.mark.parametrize(("line", "said"), OUT_OF_RANGE)
def test_out_of_range_numbers_and_dates_are_problems(line: str, said: str) -> None:
    assert '"value":0.0' in LINE
    (found,) = read_lines("h.jsonl", [line.encode()])
    assert isinstance(found, Problem), found
    assert said in found.message


@pytest.mark.parametrize(("line", "said"), OUT_OF_RANGE)
def test_out_of_range_history_leaves_the_verdict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], without: tuple[int, object],
    line: str, said: str,
) -> None:  # fmt: skip
    code, report, err, _ = _with_history(tmp_path, capsys, [LINE, line])
    assert (code, report) == without
    assert "internal error" not in err
    assert said in err


def test_dates_at_the_ends_of_the_calendar_in_utc_are_read() -> None:
    for date in ("0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z"):
        (found,) = read_lines("h.jsonl", [json.dumps(_record(date=date)).encode()])
        assert isinstance(found, Evaluation), found


# --- values at the ends of a float's range: charts and words stay numbers -------------------


def _valued(value: float, key: str, date: str) -> str:
    found = _record(key=key, date=date)
    for bench in found["benchmarks"]:  # type: ignore[attr-defined]
        for point in bench["points"]:
            point["value"] = value
    return json.dumps(found)


EXTREMES = [
    pytest.param((1e308, -1e308), id="1e308-to-minus"),
    pytest.param((1.7e308, 1.7e308), id="max-twice"),
    pytest.param((5e-324, -0.0), id="subnormal-and-minus-zero"),
]


@pytest.mark.parametrize("values", EXTREMES)
def test_extreme_values_chart_without_nan(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], without: tuple[int, object],
    values: tuple[float, float],
) -> None:  # fmt: skip
    lines = [_valued(v, f"k{i}", f"2026-11-2{i}T12:00:00Z") for i, v in enumerate(values)]
    code, report, err, page = _with_history(tmp_path, capsys, lines)
    assert (code, report) == without
    assert "internal error" not in err
    assert 'class="trend"' in page
    # a coordinate of NaN or infinity draws nothing and the browser logs an error
    assert re.search(r' (?:c[xy]|d)="', page)
    assert not re.search(r' (?:c[xy]|d|x|y)="[^"]*(?:nan|inf)', page)


@pytest.mark.parametrize("values", EXTREMES)
@pytest.mark.parametrize("fmt", ["json", "terminal"])
def test_extreme_values_in_gatekeeper_history(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], values: tuple[float, float], fmt: str
) -> None:
    history = tmp_path / "h.jsonl"
    lines = [_valued(v, f"k{i}", f"2026-11-2{i}T12:00:00Z") for i, v in enumerate(values)]
    history.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code = main(["history", "--matrix", str(MATRIX), "--history", str(history), "--format", fmt])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    if fmt == "json":
        json.loads(captured.out, parse_constant=lambda name: pytest.fail(f"{name} in the JSON"))
    else:
        assert " inf " not in captured.out and "nan" not in captured.out.lower()


# --- phase tags made by hand: a date git prints but no datetime holds -------------------------


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Repo:
    return make_repo(tmp_path, monkeypatch)


def _hand_made_tag(repo: Repo, name: str, tagger_date: str) -> None:
    """An annotated tag object written as bytes (``git tag`` would not make these dates)."""
    commit = repo.git("rev-parse", "HEAD")
    body = f"object {commit}\ntype commit\ntag {name}\ntagger x <x@x.invalid> {tagger_date}\n\nm\n"
    done = subprocess.run(
        ["git", "-C", str(repo.path), "hash-object", "-t", "tag", "-w", "--stdin", "--literally"],
        input=body, capture_output=True, text=True, check=True,
    )  # fmt: skip
    repo.git("update-ref", f"refs/tags/{name}", done.stdout.strip())


@pytest.mark.parametrize(
    "date", ["253402300800 +0000", "0 +9999"], ids=["year-10000", "offset-of-4-days"]
)
def test_a_phase_tag_with_an_impossible_date_is_ignored(
    repo: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str], date: str
) -> None:
    repo.evidence()
    history = tmp_path / "h.jsonl"
    history.write_text("", encoding="utf-8")
    page = ["--format", "json", "--output", f"html:{tmp_path}/p.html", "--history", str(history)]
    page += ["--as-of", AS_OF]
    before = repo.run("check", "--phase", "one", *page)
    report = json.loads(capsys.readouterr().out)
    _hand_made_tag(repo, "phase/one", date)
    assert repo.run("check", "--phase", "one", *page) == before
    captured = capsys.readouterr()
    assert "internal error" not in captured.err
    assert json.loads(captured.out) == report
    assert repo.run("history", "--history", str(history)) == 0
    assert "ignored (fit the pattern, name no phase): phase/one" in capsys.readouterr().out


# --- a long history: check's page holds what it shows, not every evaluation -----------------


def _long_history(count: int) -> list[Evaluation | Problem]:
    """``count`` evaluations of the example's last record, an hour apart, from 2020; the
    first passes Sandbox alone, and a bad line every hundred."""
    items: list[Evaluation | Problem] = []
    start = dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc)
    for i in range(count):
        when = (start + dt.timedelta(hours=i)).strftime("%Y-%m-%dT%H:%M:%SZ")
        made = _record(key=f"k{i}", commit=f"{i:040x}", date=when)
        if i == 0:
            made["phases"] = [{"id": "sandbox", "gate": "passed"}]
        lines = [json.dumps(made).encode()] + ([b"{"] if i % 100 == 99 else [])
        items += read_lines("h.jsonl", lines)
    return items


def test_a_bounded_history_keeps_the_newest_and_the_first_passes() -> None:
    items = _long_history(1000)
    whole, kept = build(items), build(items, keep=60)
    assert kept.evaluations[-60:] == whole.evaluations[-60:]
    assert len(kept.evaluations) <= 60 + len({p for e in whole.evaluations for p in e.passed})
    assert kept.older == 940
    phases = ["sandbox", "stone", "bronze", "iron"]
    assert first_reached(kept, phases) == first_reached(whole, phases)
    assert first_reached(kept, phases)["sandbox"].commit == f"{0:040x}"
    assert kept.problem_count == whole.problem_count == 10
    again = build([*items, *items[:500]], keep=60)  # a record read twice is kept once
    assert again.evaluations == kept.evaluations and again.older == 940


def test_the_page_of_a_bounded_history_is_the_page_of_the_whole() -> None:
    from gatekeeper.reporters.common import RenderOptions
    from gatekeeper.reporters.html import render
    from tests.history_fixtures import NOV, line
    from tests.reporters.scenarios import passing

    lines = [
        line(180.0 + i % 50, 30.0 + i % 7, when=NOV + dt.timedelta(hours=i), commit=f"{i:040x}")
        for i in range(300)
    ]
    items = list(read_lines("h.jsonl", [x.encode() for x in lines]))
    scenario = passing()
    pages = [
        render(scenario.report, RenderOptions(scenario.exit_code, history=build(items, keep=k)))
        for k in (None, MAX_POINTS)
    ]
    assert "the last 60 of 301 evaluations" in pages[0]  # this run and 59 of the history
    assert pages[0] == pages[1]


# --- check --history-branch: what the API read holds, and its failures ---------------------

BRANCH = "gatekeeper-history"


@pytest.fixture
def _quick(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GATEKEEPER_GITHUB_BACKOFF", "0.01")


def _branch_with_months(github: FakeGitHub, actions: Actions) -> None:
    """Two more months of history beside the one the recorded push made."""
    actions.run(DEFAULT_BRANCH_PUSH, "--history-branch", BRANCH, failing=0)
    [line] = json.loads(f"[{(github.file_on(BRANCH, 'history/2026-11.jsonl') or b'').decode()}]")
    files = {}
    for month in ("2026-09", "2026-10"):
        line.update(key=f"k{month}", date=f"{month}-01T00:00:00Z")
        files[f"history/{month}.jsonl"] = (json.dumps(line) + "\n").encode()
    github.commit_files(BRANCH, files)


def _page_run(actions: Actions, tmp_path: Path) -> tuple[str, str]:
    page = tmp_path / "page.html"
    run = actions.run(PULL_REQUEST, "--history-branch", BRANCH, "--output", f"html:{page}",
                      failing=0)  # fmt: skip
    assert run.code == 0
    return run.err, page.read_text(encoding="utf-8")


@pytest.mark.usefixtures("_quick")
def test_a_branch_file_past_the_writers_cap_is_not_fetched(
    actions: Actions, fake_github: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _branch_with_months(fake_github, actions)
    monkeypatch.setattr(historyfile, "MAX_FILE_BYTES", 10)  # every file is past it
    fake_github.requests.clear()
    err, html = _page_run(actions, tmp_path)
    assert f"the history on {BRANCH} could not be read" in err
    assert "more than the 10 bytes a history file may hold" in err
    assert not [r for r in fake_github.requests if "/git/blobs/" in r.path]
    assert "gate first passed" not in html
    assert fake_github.violations == []


@pytest.mark.usefixtures("_quick")
def test_a_branch_read_that_fails_mid_way_shows_this_run(
    actions: Actions, fake_github: FakeGitHub, tmp_path: Path
) -> None:
    _branch_with_months(fake_github, actions)
    fake_github.fail("GET", r"/git/blobs/", 404, times=None)
    err, html = _page_run(actions, tmp_path)
    assert f"the history on {BRANCH} could not be read" in err
    assert "gate first passed" not in html
    assert fake_github.violations == []


@pytest.mark.usefixtures("_quick")
def test_an_internal_error_reading_the_branch_keeps_the_verdict(
    actions: Actions, fake_github: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _branch_with_months(fake_github, actions)

    def broken(*_: object, **__: object) -> History:
        raise KeyError("a bug")

    monkeypatch.setattr(history_run, "read_blobs", broken)
    err, html = _page_run(actions, tmp_path)
    assert "could not be read: internal error (KeyError: 'a bug')" in err
    assert "internal error; the gate is not decided" not in err
    assert "gate first passed" not in html


# --- the writer's names ---------------------------------------------------------------------


@pytest.mark.parametrize("name", ["HEAD", ".hidden", "team/.history", "history.lock/x"])
def test_a_branch_name_git_refuses_is_refused(name: str) -> None:
    with pytest.raises(UsageError, match="--history-branch"):
        branch_name(name)


@pytest.mark.parametrize("name", ["gatekeeper-history", "team/history", "h.v1", "a.locks"])
def test_plain_branch_names_are_taken(name: str) -> None:
    assert branch_name(name) == name


def test_a_month_file_of_an_early_year_has_four_digits() -> None:
    early = dt.datetime(1, 1, 1, tzinfo=dt.timezone.utc)
    assert month_file(early) == "history/0001-01.jsonl"
    late = dt.datetime(2026, 12, 31, 23, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    assert month_file(late) == "history/2027-01.jsonl"


def test_thousands_of_ignored_tags_are_counted_not_all_named(
    repo: Repo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    commit = repo.git("rev-parse", "HEAD")
    refs = "".join(f"{commit} refs/tags/phase/x{i:04d}\n" for i in range(3000))
    (repo.path / ".git" / "packed-refs").write_text(refs, encoding="utf-8")
    history = tmp_path / "h.jsonl"
    history.write_text("", encoding="utf-8")
    assert repo.run("history", "--history", str(history)) == 0
    out = capsys.readouterr().out
    assert "phase/x0009 and 2,990 more (--format json lists them all)" in out
    assert max(len(x) for x in out.splitlines()) < 400
    assert repo.run("history", "--history", str(history), "--format", "json") == 0
    assert len(json.loads(capsys.readouterr().out)["tags"]["ignored"]) == 3000


# --- --history that is no file: read for ever ------------------------------------------------


@pytest.mark.parametrize("command", ["check", "history"])
def test_a_history_that_is_a_fifo_is_refused_not_read_for_ever(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    fifo = tmp_path / "h.jsonl"
    os.mkfifo(fifo)  # opening it would wait for a writer; /dev/zero would be read for ever
    extra = ["--as-of", AS_OF, "--output", f"html:{tmp_path}/p.html"] if command == "check" else []
    code = main([command, "--matrix", str(MATRIX), "--history", str(fifo), *extra])
    assert code == 2
    assert "neither a regular file nor a folder" in capsys.readouterr().err
