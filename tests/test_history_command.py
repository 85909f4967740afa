"""`gatekeeper history`: histories made by ``records.from_report`` from judged scenario reports,
read from files and from a branch of a real git repository with phase tags at known dates;
both outputs checked field by field, hostile history text kept inert, holes and empty
selections refused with exit 2."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from gatekeeper.cli import main
from gatekeeper.history.terminal import headroom_words, sparkline
from gatekeeper.history.view import TrendPoint, direction, headroom
from tests.conftest import REPO
from tests.gitrepo import IDENTITY, Repo, make_repo
from tests.history_fixtures import GONE, NOV, line, matrix_file, six_pushes

SCHEMA = json.loads((REPO / "schemas" / "history-report.schema.json").read_text(encoding="utf-8"))


def _history(folder: Path) -> Path:
    nov, dec = six_pushes()
    history = folder / "history"
    history.mkdir()
    (history / "2026-11.jsonl").write_text("\n".join(nov) + "\n", encoding="utf-8")
    (history / "2026-12.jsonl").write_text("\n".join(dec) + "\n", encoding="utf-8")
    return history


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A matrix file and its history, in a folder outside any git repository."""
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    matrix_file(tmp_path)
    _history(tmp_path)
    return tmp_path


def _run(capsys: pytest.CaptureFixture[str], folder: Path, *argv: str) -> tuple[int, str, str]:
    code = main(["history", "--matrix", str(folder / "gatekeeper.yml"), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def _valid(report: str) -> dict[str, object]:
    found: dict[str, object] = json.loads(report)
    jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker()).validate(
        found
    )
    return found


# --- from files ------------------------------------------------------------------------------


def test_terminal_from_files(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, project, "--history", str(project / "history"), "--color=never")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    history = project / "history"
    assert lines[:4] == [
        "KMTA — history",
        f"history: {history / '2026-11.jsonl'}, {history / '2026-12.jsonl'}",
        "  6 evaluations, 2026-11-05 to 2026-12-10",
        f"phase tags: unavailable ({project} is not in a git repository)",
    ]
    start = lines.index("Phases, first reached:")
    assert lines[start + 1 : start + 5] == [
        "  Stone   2026-11-05  gate first passed at 111111111111",
        "  Bronze  2026-11-05  gate first passed at 111111111111",
        "  Iron    not reached",
        # the fourth push failed the tracking p95; the sixth failed no-slower-than-main
        "Latest evaluation 2026-12-10 at 666666666666: stands at Stone, failed",
    ]
    track = lines.index("  PASS    ingress/bronze/track-latency")
    assert lines[track + 1 : track + 6] == [
        "      http_req_duration{scenario:track}: 231ms against p(95) < 250ms — 92.4 % of the "
        "limit, within 7.6 % of it",
        "        ▁▂▃█▆▅ 180ms → 231ms (+28.3 %) over 6 points",
        "      http_req_duration{scenario:track}: 1.2s against max < 2s — 60 % of the limit",
        "        ▄▄▄▄▄▄ 1.2s → 1.2s (+0 %) over 6 points",
        "      did not pass in 1 of the last 6 evaluations (1 fail, 5 pass)",
    ]
    assert "  MISSING scale/iron/smtp-submit-p95" in lines
    assert f"  PASS    {GONE} (no longer in the matrix)" in lines
    assert "\x1b" not in out


def test_json_from_files(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(
        capsys, project, "--history", str(project / "history"), "--format", "json", "--last", "3"
    )
    assert code == 0
    report = _valid(out)
    assert report["project"] == "KMTA"
    assert report["history"] == {
        "sources": [str(project / "history" / f"2026-{m}.jsonl") for m in (11, 12)],
        "note": None,
        "evaluations": 6,
        "first": "2026-11-05T09:00:00Z",
        "last": "2026-12-10T09:00:00Z",
        "since": None,
        "window": 3,
    }
    assert report["phases"] == [
        {"id": "stone", "name": "Stone", "reached": {
            "date": "2026-11-05T09:00:00Z", "commit": "1" * 40, "by": "gate", "tag": None}},
        {"id": "bronze", "name": "Bronze", "reached": {
            "date": "2026-11-05T09:00:00Z", "commit": "1" * 40, "by": "gate", "tag": None}},
        {"id": "iron", "name": "Iron", "reached": None},
    ]  # fmt: skip
    assert report["latest"] == {
        "date": "2026-12-10T09:00:00Z", "commit": "6" * 40, "verdict": "failed",
        "stands_at": "stone", "run_url": "https://github.com/o/r/actions/runs/7",
    }  # fmt: skip
    benchmarks = {b["ref"]: b for b in report["benchmarks"]}  # type: ignore[attr-defined]
    track = benchmarks["ingress/bronze/track-latency"]
    assert (track["in_matrix"], track["latest_outcome"], track["window"]) == (True, "pass", 3)
    assert (track["outcomes"], track["not_passing"]) == ({"fail": 1, "pass": 2}, 1)
    p95 = track["trends"][0]
    assert (p95["series"], p95["threshold"]) == (
        "http_req_duration{scenario:track}",
        "p(95) < 250ms",
    )
    assert p95["points"][0] == {
        "date": "2026-11-26T09:00:00Z", "commit": "4" * 40, "value": 0.26, "unit": "s",
        "limit": 0.25, "outcome": "fail", "ok": False, "actual": "260ms",
    }  # fmt: skip
    assert [p["value"] for p in p95["points"]] == [0.26, 0.24, 0.231]
    assert p95["change"] == pytest.approx(
        {"first": 0.26, "latest": 0.231, "absolute": -0.029, "relative": -0.029 / 0.26}
    )
    assert p95["headroom"] == pytest.approx(
        {"direction": "<", "value": 0.231, "limit": 0.25, "used": 0.924, "margin": 0.076}
    )
    assert benchmarks[GONE]["in_matrix"] is False
    missing = benchmarks["scale/iron/smtp-submit-p95"]
    assert (missing["trends"], missing["not_passing"]) == ([], 3)


def test_selection_since_and_window(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(
        capsys, project, "--history", str(project / "history"), "--format=json",
        "--benchmark", "*/parse-header", "--benchmark", "auth/stone/*", "--since", "2026-12-01",
    )  # fmt: skip
    assert code == 0
    report = _valid(out)
    refs = [b["ref"] for b in report["benchmarks"]]  # type: ignore[attr-defined]
    assert refs == ["auth/stone/dkim-signing", "scale/bronze/parse-header"]
    assert report["history"]["evaluations"] == 2  # type: ignore[index]
    # the dates phases were first reached come from the whole history, whatever --since says
    assert report["phases"][0]["reached"]["date"] == "2026-11-05T09:00:00Z"  # type: ignore[index]
    parse = report["benchmarks"][1]["trends"][0]  # type: ignore[index]
    assert [p["actual"] for p in parse["points"]] == ["33µs", "46µs"]


def test_a_selection_that_matches_nothing_is_refused(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _run(
        capsys, project, "--history", str(project / "history"),
        "--benchmark", "ingress/*", "--benchmark", "ingress/steel/*",
    )  # fmt: skip
    assert (code, out) == (2, "")
    assert "'ingress/steel/*'" in err and "matches no benchmark" in err


def test_a_corrupt_line_refuses_the_history_naming_file_and_line(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    december = project / "history" / "2026-12.jsonl"
    text = december.read_text(encoding="utf-8")
    december.write_text(text + '{"history_version": 1, "key": \n', encoding="utf-8")
    code, out, err = _run(capsys, project, "--history", str(project / "history"))
    assert (code, out) == (2, "")
    assert err.splitlines()[0].startswith(f"{december}:3: not JSON")
    assert "1 unreadable line in the history" in err


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["--last", "0"], "--last 0"),
        (["--since", "last week"], "--since 'last week'"),
        (["--history", "nowhere.jsonl"], "--history 'nowhere.jsonl'"),
        (["--history-ref", "origin/gatekeeper-history"], "is not in a git repository"),
    ],
)
def test_usage_errors_exit_2(
    project: Path, capsys: pytest.CaptureFixture[str], argv: list[str], said: str
) -> None:
    code, out, err = _run(capsys, project, *argv)
    assert (code, out) == (2, "")
    assert said in err and "Traceback" not in err


def test_outside_a_clone_without_history_says_so(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _run(capsys, project, "--color", "always")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[1] == (
        f"history: none read: no git clone to find origin/gatekeeper-history in ({project} is "
        "not in a git repository); get it with `git fetch origin gatekeeper-history`, or give "
        "--history FILE"
    )
    assert "  Stone   not reached" in lines
    assert "  auth/stone/dkim-signing: no evaluation in the history" in lines
    assert lines[0] == "\x1b[1mKMTA — history\x1b[0m"  # --color always


HOSTILE = "\n::error file=app.py,line=1::pwned \x1b[31mred\x1b[0m ##[group]x \u202egnp.exe"


def test_hostile_history_text_never_reaches_the_output_raw(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    obj = json.loads(line(201.3, 31.0, when=NOV, commit="a" * 40, run_url=HOSTILE))
    obj["commit"] = HOSTILE
    for bench in obj["benchmarks"]:
        bench["ref"] = bench["ref"] + HOSTILE.replace("/", "|")
        for point in bench["points"]:
            point["actual"] = point["series"] = point["threshold"] = HOSTILE
    bad = project / "hostile.jsonl"
    bad.write_text(json.dumps(obj) + "\n", encoding="utf-8")
    for fmt in ("terminal", "json"):
        code, out, err = _run(capsys, project, "--history", str(bad), "--format", fmt)
        assert (code, err) == (0, ""), err
        assert "pwned" in out  # shown, but inert:
        assert not re.search(r"^\s*::", out, re.MULTILINE), out  # a workflow command's place
        assert "##[" not in out and "\x1b" not in out and "\u202e" not in out
        assert "\n::" not in out
    report = _valid(out)
    assert report["latest"]["run_url"].startswith("::error file=app.py")  # type: ignore[index]


# --- from git: a branch of history and the phase tags ------------------------------------------

DAY1 = "2026-10-01T12:00:00Z"


def _git_in(repo: Repo, stdin: str, *args: str) -> str:
    done = subprocess.run(
        ["git", *IDENTITY, "-C", str(repo.path), *args],
        input=stdin, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return done.stdout.strip()


def _history_branch(repo: Repo, files: dict[str, str], branch: str = "gatekeeper-history") -> None:
    """A branch whose tree is ``history/<name>`` for each of ``files`` (no checkout)."""
    entries = []
    for name, text in files.items():
        blob = _git_in(repo, text, "hash-object", "-w", "--stdin")
        entries.append(f"100644 blob {blob}\t{name}")
    folder = _git_in(repo, "\n".join(entries) + "\n", "mktree")
    root = _git_in(repo, f"040000 tree {folder}\thistory\n", "mktree")
    commit = repo.git("commit-tree", root, "-m", "history")
    repo.git("update-ref", f"refs/heads/{branch}", commit)


def _dated(monkeypatch: pytest.MonkeyPatch, when: str) -> None:
    monkeypatch.setenv("GIT_COMMITTER_DATE", when)
    monkeypatch.setenv("GIT_AUTHOR_DATE", when)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Repo:
    """The matrix committed on 2026-10-01; phase/stone a lightweight tag on that commit,
    phase/bronze and phase/iron annotated tags made later; history on its own branch."""
    _dated(monkeypatch, DAY1)
    made = make_repo(tmp_path, monkeypatch)
    matrix_file(made.path)
    first = made.commit("the KMTA matrix")
    made.git("tag", "phase/stone", first)
    made.git("tag", "phase/no-such-phase", first)
    made.git("tag", "v1.0", first)
    _dated(monkeypatch, "2026-12-01T08:00:00Z")
    made.git("tag", "-a", "-m", "bronze", "phase/bronze", first)
    _dated(monkeypatch, "2026-12-20T08:00:00Z")
    made.git("tag", "-a", "-m", "iron", "phase/iron", first)
    nov, dec = six_pushes()
    _history_branch(
        made,
        {
            "2026-11.jsonl": "\n".join(nov) + "\n",
            "2026-12.jsonl": "\n".join(dec) + "\n",
            "README.md": "not history\n",
        },
    )
    return made


def test_git_branch_and_phase_tags(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    first = repo.git("rev-parse", "phase/stone")
    code, out, err = _run(capsys, repo.path, "--format", "json")  # the default: the branch
    assert (code, err) == (0, "")
    report = _valid(out)
    assert report["history"]["sources"] == [  # type: ignore[index]
        "gatekeeper-history:history/2026-11.jsonl",
        "gatekeeper-history:history/2026-12.jsonl",
    ]
    assert report["history"]["evaluations"] == 6  # type: ignore[index]
    reached = {p["id"]: p["reached"] for p in report["phases"]}  # type: ignore[attr-defined]
    assert reached == {
        # lightweight: its commit's date, earlier than the gate's first pass
        "stone": {"date": "2026-10-01T12:00:00Z", "commit": first, "by": "tag",
                  "tag": "phase/stone"},
        # annotated, made after the gate first passed: the gate's date stands
        "bronze": {"date": "2026-11-05T09:00:00Z", "commit": "1" * 40, "by": "gate",
                   "tag": None},
        # annotated, on a commit of October: the tagger's date, not the commit's
        "iron": {"date": "2026-12-20T08:00:00Z", "commit": first, "by": "tag",
                 "tag": "phase/iron"},
    }  # fmt: skip
    tags = report["tags"]
    assert tags["ignored"] == ["phase/no-such-phase"]  # type: ignore[index]
    assert sorted(t["tag"] for t in tags["read"]) == [  # type: ignore[index]
        "phase/bronze", "phase/iron", "phase/stone",
    ]  # fmt: skip

    code, out, _ = _run(capsys, repo.path, "--color", "never")
    lines = out.splitlines()
    assert lines[1:5] == [
        "history: gatekeeper-history:history/2026-11.jsonl, "
        "gatekeeper-history:history/2026-12.jsonl",
        "  6 evaluations, 2026-11-05 to 2026-12-10",
        "phase tags: 3 tags fit 'phase/{phase}'",
        "  ignored (fit the pattern, name no phase): phase/no-such-phase",
    ]
    assert f"  Stone   2026-10-01  tag phase/stone on {first[:12]}" in lines
    assert f"  Iron    2026-12-20  tag phase/iron on {first[:12]}" in lines


def test_remote_tracking_branch_first_and_both_sources_kept_once(
    repo: Repo, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    nov, _ = six_pushes()
    _history_branch(repo, {"2026-11.jsonl": nov[0] + "\n"}, "remote-copy")
    repo.git("update-ref", "refs/remotes/origin/gatekeeper-history", "remote-copy")
    code, out, _ = _run(capsys, repo.path, "--format", "json")
    assert code == 0
    assert _valid(out)["history"]["evaluations"] == 1  # type: ignore[index]
    files = _history(tmp_path)
    code, out, _ = _run(
        capsys, repo.path, "--format=json", "--history", str(files),
        "--history-ref", "gatekeeper-history",
    )  # fmt: skip
    history = _valid(out)["history"]
    assert history["evaluations"] == 6 and len(history["sources"]) == 4  # type: ignore[index]


def test_no_history_branch_says_how_to_get_one_and_still_shows_tags(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.git("update-ref", "-d", "refs/heads/gatekeeper-history")
    code, out, err = _run(capsys, repo.path, "--color=never")
    assert (code, err) == (0, "")
    assert (
        "history: none read: neither origin/gatekeeper-history nor gatekeeper-history is in the "
        f"clone at {repo.path}; get it with `git fetch origin gatekeeper-history`, or give "
        "--history FILE"
    ) in out.splitlines()
    assert "  Stone   2026-10-01  tag phase/stone on" in out
    assert "  Bronze  2026-12-01  tag phase/bronze on" in out
    assert "Latest evaluation" not in out


def test_an_unknown_ref_and_an_oversized_file_are_refused(
    repo: Repo, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = _run(capsys, repo.path, "--history-ref", "origin/nope")
    assert (code, out) == (2, "") and "'origin/nope' is not a commit" in err
    monkeypatch.setattr("gatekeeper.commands.history.MAX_FILE", 1000)
    code, out, err = _run(capsys, repo.path)
    assert (code, out) == (2, "")
    assert err.startswith("gatekeeper: gatekeeper-history:history/2026-11.jsonl: ")
    assert "more than a history file may hold" in err


def test_a_corrupt_line_in_the_branch_names_ref_file_and_line(
    repo: Repo, capsys: pytest.CaptureFixture[str]
) -> None:
    nov, _ = six_pushes()
    _history_branch(repo, {"2026-11.jsonl": nov[0] + "\n[1]\n"})
    code, out, err = _run(capsys, repo.path)
    assert (code, out) == (2, "")
    assert err.splitlines()[0] == (
        "gatekeeper-history:history/2026-11.jsonl:2: the line: expected an object"
    )


def test_as_a_process(repo: Repo) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "gatekeeper", "history", "--matrix", "gatekeeper.yml",
         "--format", "json", "--benchmark", "ingress/bronze/*"],
        cwd=repo.path, capture_output=True, text=True, check=False,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )  # fmt: skip
    assert (done.returncode, done.stderr) == (0, "")
    report = _valid(done.stdout)
    assert [b["ref"] for b in report["benchmarks"]] == [  # type: ignore[attr-defined]
        "ingress/bronze/track-latency"
    ]


# --- the pieces ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("threshold", "side"),
    [
        ("p(95) < 250ms", "<"), ("rate >= 2000/s", ">="), ("avg ≤ 1s", "<="),
        ("at most 5", "<="), ("at least 3 new vs baseline", ">="), ("mean +10% vs baseline", None),
    ],
)  # fmt: skip
def test_direction_from_the_threshold(threshold: str, side: str | None) -> None:
    assert direction(threshold) == side


def _point(value: float | None, limit: float | None = 100.0) -> TrendPoint:
    return TrendPoint(NOV, "c" * 40, value, "1", limit, "pass", "", True)


@pytest.mark.parametrize(
    ("value", "threshold", "words"),
    [
        (92, "x < 100", "92 % of the limit, within 8 % of it"),
        (50, "x < 100", "50 % of the limit"),
        (112, "x < 100", "over the limit by 12 %"),
        (100, "x <= 100", "at the limit"),
        (100, "x < 100", "at the limit, which fails"),
        (118, "x > 100", "18 % above the limit"),
        (105, "x >= 100", "within 5 % of the limit"),
        (95, "x > 100", "under the limit by 5 %"),
    ],
)
def test_headroom_words(value: float, threshold: str, words: str) -> None:
    room = headroom(_point(value), threshold)
    assert room is not None and headroom_words(room) == words


def test_no_headroom_without_a_value_a_limit_or_a_side() -> None:
    assert headroom(_point(None), "x < 1") is None
    assert headroom(_point(1, None), "x < 1") is None
    assert headroom(_point(1), "mean +10%") is None
    zero = headroom(_point(1, 0), "x < 0")
    assert zero is not None and zero.margin is None and headroom_words(zero) == "the limit is 0"


def test_sparkline_scales_to_the_values_shown() -> None:
    when = dt.datetime(2026, 12, 1, tzinfo=dt.timezone.utc)

    def points(*values: float | None) -> list[TrendPoint]:
        return [TrendPoint(when, "c", v, "s", None, "pass", "", True) for v in values]

    assert sparkline(points(1, 2, 3, 4, 5, 6, 7, 8)) == "▁▂▃▄▅▆▇█"
    assert sparkline(points(5, None, 5)) == "▄·▄"
    assert sparkline(points(None)) == ""
