"""`check --fetch-bundles` against the fake GitHub: runs by head SHA, artifacts, the 302 to
storage, safe unpacking, and fail-closed refusals (exit 3, the reason in the report)."""

from __future__ import annotations

import io
import json
import re
import stat
import zipfile
from pathlib import Path

import pytest

from gatekeeper.bundles import BundleError
from gatekeeper.bundles.unzip import Limits, extract
from gatekeeper.cli import main
from gatekeeper.errors import ExitCode
from tests.bundle_suite import OTHER_SHA, SHA
from tests.conftest import needs_bundled_findings
from tests.fakegithub.fixture import fake_github_fixture  # noqa: F401 - the fixture
from tests.fakegithub.server import DEFAULT_TOKEN, FakeGitHub

KMTA = Path(__file__).resolve().parent.parent / "examples" / "kmta" / "gatekeeper.yml"
TODAY = "2026-11-26"
NAME = "gatekeeper-bundle-linux"


def _zip(*members: tuple[str | zipfile.ZipInfo, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.fixture
def github(fake_github: FakeGitHub, monkeypatch: pytest.MonkeyPatch) -> FakeGitHub:
    for name in ("GITHUB_ACTIONS", "GITHUB_SHA", "GITHUB_EVENT_NAME", "GITHUB_EVENT_PATH"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("GITHUB_RUN_ID", raising=False)
    monkeypatch.setenv("GITHUB_API_URL", fake_github.url)
    monkeypatch.setenv("GITHUB_REPOSITORY", fake_github.repository)
    monkeypatch.setenv("GITHUB_TOKEN", DEFAULT_TOKEN)
    monkeypatch.setenv("GATEKEEPER_GITHUB_BACKOFF", "0.01")
    return fake_github


def _bundle(tmp_path: Path, sha: str = SHA) -> Path:
    out = tmp_path / f"bundle-{sha[:7]}.json"
    assert main(["collect", "-m", str(KMTA), "--sha", sha, "--out", str(out)]) == 0
    return out


def _check(capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, dict[str, object]]:
    capsys.readouterr()
    argv = ["check", "-m", str(KMTA), "--today", TODAY, "--sha", SHA, "--format", "json"]
    code = main([*argv, *extra])
    return code, json.loads(capsys.readouterr().out)


def _refused_with(capsys: pytest.CaptureFixture[str], github: FakeGitHub, words: str) -> None:
    code, report = _check(capsys, "--fetch-bundles")
    assert code == ExitCode.NO_EVIDENCE
    assert words in json.dumps(report)
    assert github.violations == []


def test_fetched_bundles_are_judged_as_the_bundle_itself(
    github: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bundle = _bundle(tmp_path)
    run = github.add_run(SHA)
    github.add_artifact(run, NAME, _zip(("gatekeeper-bundle.json", bundle.read_bytes())))
    github.add_artifact(run, "coverage", _zip(("../not-ours", b"never downloaded")))
    github.add_artifact(github.add_run(OTHER_SHA), NAME, _zip(("x.json", b"{}")))
    fetched = _check(capsys, "--fetch-bundles")
    assert fetched == _check(capsys, "--bundle", str(bundle))
    assert fetched[0] == ExitCode.FAILED  # the README's verdict on kmta: Iron fails
    downloads = github.calls("GET", r"/zip$")
    assert len(downloads) == 1 and downloads[0].status == 302
    stored = github.calls("GET", r"^/_fake_storage/")
    assert len(stored) == 1 and "authorization" not in stored[0].headers
    assert github.violations == []


@pytest.mark.parametrize(
    ("member", "words"),
    [
        ("../evil.json", "path escapes the folder"),
        ("/tmp/evil.json", "absolute or non-portable path"),
        ("C:/evil.json", "absolute or non-portable path"),
        ("a\\..\\..\\evil.json", "absolute or non-portable path"),
    ],
)
def test_a_member_outside_the_folder_is_refused(
    github: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str], member: str, words: str
) -> None:
    zipped = _zip(("ok.json", _bundle(tmp_path).read_bytes()), (member, b"{}"))
    github.add_artifact(github.add_run(SHA), NAME, zipped)
    _refused_with(capsys, github, f"member {member!r}: {words}".replace("\\", "\\\\"))
    assert not (tmp_path.parent / "evil.json").exists()


def test_a_symlink_is_refused(
    github: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    link = zipfile.ZipInfo("bundle.json")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    github.add_artifact(github.add_run(SHA), NAME, _zip((link, b"/etc/passwd")))
    _refused_with(capsys, github, f"artifact '{NAME}'")
    _refused_with(capsys, github, "member 'bundle.json': symlink refused")


def test_a_zip_bomb_is_refused_by_the_caps(
    github: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bomb = _zip(("bundle.json", bytes(20 * 1024 * 1024)))
    assert len(bomb) < 100_000
    github.add_artifact(github.add_run(SHA), NAME, bomb)
    _refused_with(capsys, github, "member 'bundle.json': compressed more than 200:1")
    small = Limits(member_bytes=1000, ratio_floor=10**9)
    with pytest.raises(BundleError, match="larger than 1000 bytes"):
        extract(bomb, tmp_path / "a", "bomb", small)
    with pytest.raises(BundleError, match="2 members, more than 1"):
        extract(_zip(("a", b""), ("b", b"")), tmp_path / "b", "many", Limits(members=1))


def test_a_bundle_for_another_commit_is_refused(
    github: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = _bundle(tmp_path, OTHER_SHA)
    github.add_artifact(github.add_run(SHA), NAME, _zip(("b.json", other.read_bytes())))
    _refused_with(capsys, github, f"evidence for commit {OTHER_SHA}, not for {SHA}")


def test_an_api_failure_refuses_the_evidence_with_the_reason(
    github: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    github.add_artifact(github.add_run(SHA), NAME, _zip(("b.json", _bundle(tmp_path).read_bytes())))
    github.fail("GET", r"/artifacts$", 500, times=None)
    _refused_with(capsys, github, "list artifacts of run")
    _refused_with(capsys, github, "HTTP 500")
    assert len(github.calls("GET", r"/artifacts$")) == 2 * 5  # retried, then given up
    github.faults.clear()
    assert _check(capsys, "--fetch-bundles")[0] == ExitCode.FAILED  # judged again
    code, report = _check(capsys, "--fetch-bundles", "no-such-*")
    assert code == ExitCode.NO_EVIDENCE
    assert "no artifact matching 'no-such-*'" in json.dumps(report)
    assert github.violations == []


def test_an_encoded_zip_answer_is_never_inflated(
    github: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A download whose answer is gzip-encoded is read as the bytes that came, never
    inflated in memory (a small answer could inflate past the size cap before it is
    counted): those bytes are no zip, so the evidence is refused with its reason, never a
    pass, never exit 4. (The fake's faults answer API paths: the download answers itself,
    without the 302.)"""
    import gzip

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:  # gzip shrinks it: the
        archive.writestr("b.json", _bundle(tmp_path).read_bytes())  # zip is not in it as is
    zipped = buffer.getvalue()
    encoded = gzip.compress(zipped)
    assert zipped not in encoded and len(encoded) < len(zipped) // 2
    github.add_artifact(github.add_run(SHA), NAME, zipped)
    github.fail("GET", r"/zip$", 200, headers={"Content-Encoding": "gzip"},
                body=encoded, times=None)  # fmt: skip
    capsys.readouterr()
    code = main(["check", "-m", str(KMTA), "--today", TODAY, "--sha", SHA, "--fetch-bundles"])
    captured = capsys.readouterr()
    assert "internal error" not in captured.err
    assert code == ExitCode.NO_EVIDENCE
    assert f"artifact '{NAME}'" in captured.out


@pytest.mark.parametrize(
    "location", ["https://elsewhere.example/repos/x/y/actions/runs", "ftp://127.0.0.1/runs"]
)
def test_an_api_answer_moved_to_another_host_is_refused_not_an_internal_error(
    github: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str], location: str
) -> None:
    """A 301 to another host or scheme: PyGithub raises RuntimeError rather than follow it
    (the token would go there). An API failure with its reason, never exit 4."""
    github.add_artifact(github.add_run(SHA), NAME, _zip(("b.json", _bundle(tmp_path).read_bytes())))
    github.fail("GET", r"/actions/runs$", 301, headers={"Location": location}, times=None)
    capsys.readouterr()
    code = main(["check", "-m", str(KMTA), "--today", TODAY, "--sha", SHA, "--fetch-bundles"])
    captured = capsys.readouterr()
    assert "internal error" not in captured.err
    assert code == ExitCode.NO_EVIDENCE
    assert "list workflow runs of" in captured.out
    assert "redirected" in captured.out


def test_an_api_that_answers_202_for_ever_is_given_up_not_waited_on(
    github: FakeGitHub,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """PyGithub repeats a GET answered 202 (Accepted: computing) after 2 s, with no limit:
    answered so for ever, a run would wait past its deadline (about 1,000 x 2 s), then end
    in a RecursionError. The wait is made 0 here to see the end quickly."""
    import github as pygithub

    monkeypatch.setattr(pygithub.Consts, "PROCESSING_202_WAIT_TIME", 0)
    github.add_artifact(github.add_run(SHA), NAME, _zip(("b.json", _bundle(tmp_path).read_bytes())))
    github.fail("GET", r"/actions/runs$", 202, body={"message": "computing"}, times=None)
    capsys.readouterr()
    code = main(["check", "-m", str(KMTA), "--today", TODAY, "--sha", SHA, "--fetch-bundles"])
    captured = capsys.readouterr()
    assert "internal error" not in captured.err
    assert code == ExitCode.NO_EVIDENCE
    assert len(github.calls("GET", r"/actions/runs$")) <= 10


def test_empty_pages_that_link_to_a_next_page_for_ever_are_given_up(
    github: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each page empty, each with a Link to the next (500 of them here; for ever, the run
    never ended): the item cap never counts such a page, so the first is refused."""
    github.add_artifact(github.add_run(SHA), NAME, _zip(("b.json", _bundle(tmp_path).read_bytes())))
    runs = f"{github.url}/repos/{github.repository}/actions/runs?head_sha={SHA}&page=2"
    github.fail("GET", r"/actions/runs$", 200, headers={"Link": f'<{runs}>; rel="next"'},
                body={"total_count": 1, "workflow_runs": []}, times=500)  # fmt: skip
    capsys.readouterr()
    code = main(["check", "-m", str(KMTA), "--today", TODAY, "--sha", SHA, "--fetch-bundles"])
    captured = capsys.readouterr()
    assert "internal error" not in captured.err
    assert code == ExitCode.NO_EVIDENCE
    assert len(github.calls("GET", r"/actions/runs$")) == 1
    assert "page 1 is empty and links to a next page" in captured.out


def test_nothing_to_fetch_is_no_evidence_and_outside_github_is_a_usage_error(
    github: FakeGitHub, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _refused_with(capsys, github, "no artifact matching 'gatekeeper-bundle-*'")
    monkeypatch.delenv("GITHUB_TOKEN")
    assert main(["check", "-m", str(KMTA), "--fetch-bundles"]) == ExitCode.USAGE
    assert "GITHUB_TOKEN not set" in capsys.readouterr().err


def test_the_fake_storage_catches_a_leaked_token(github: FakeGitHub) -> None:
    import requests

    artifact = github.add_artifact(github.add_run(SHA), NAME, _zip(("b.json", b"{}")))
    where = f"{github.url}/repos/{github.repository}/actions/artifacts/{artifact}/zip"
    token = {"Authorization": f"Bearer {DEFAULT_TOKEN}"}
    with requests.Session() as session:
        location = session.get(where, headers=token, allow_redirects=False).headers["Location"]
        assert session.get(location, headers={}).status_code == 200
        assert session.get(location, headers=token).status_code == 400  # the token leaked
    assert [v.status for v in github.violations] == [400]


@pytest.mark.parametrize(
    ("tag", "expected"),
    [pytest.param("phase/bronze", 0, marks=needs_bundled_findings), ("phase/iron", 1)],
)
def test_a_pushed_phase_tag_is_judged_on_its_commit_s_ci_run_bundles(
    github: FakeGitHub,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tag: str,
    expected: int,
) -> None:
    """The phase-tag workflow need not run the suites again: the bundles the tagged commit's
    own CI run uploaded are its evidence (KMTA stands at Bronze: Iron's tag fails)."""
    run = github.add_run(SHA)
    github.add_artifact(run, NAME, _zip(("gatekeeper-bundle.json", _bundle(tmp_path).read_bytes())))
    monkeypatch.setenv("GITHUB_EVENT_NAME", "push")
    monkeypatch.setenv("GITHUB_REF", f"refs/tags/{tag}")
    monkeypatch.setenv("GITHUB_SHA", SHA)
    capsys.readouterr()
    code = main(["check", "-m", str(KMTA), "--today", TODAY, "--format", "json", "--fetch-bundles"])
    captured = capsys.readouterr()
    assert code == expected
    assert json.loads(captured.out)["enforced_phase"] == tag.removeprefix("phase/")
    assert f"tag {tag} (from GITHUB_REF) records the" in captured.err
    assert len(github.calls("GET", r"/zip$")) == 1
    assert github.violations == []


@pytest.mark.parametrize(
    ("members", "words"),
    [
        (
            (("a", b"{}"), ("a/b.json", b"{}")),
            "member 'a/b.json': appears twice in the zip, or as both a file and a folder",
        ),
        (
            (("a/b.json", b"{}"), ("a", b"{}")),
            "member 'a': appears twice in the zip, or as both a file and a folder",
        ),
        (
            (("a/", b""), ("a", b"{}")),
            "member 'a': appears twice in the zip, or as both a file and a folder",
        ),
        ((("x" * 300 + ".json", b"{}"),), "name too long for the file system"),
        ((("d/" * 3000 + "x.json", b"{}"),), "name too long for the file system"),
    ],
)
def test_what_the_file_system_refuses_is_a_bundle_error(
    tmp_path: Path, members: tuple[tuple[str, bytes], ...], words: str
) -> None:
    zipped = _zip(*members)
    with pytest.raises(BundleError, match=re.escape(words)):
        extract(zipped, tmp_path / "out", "odd")


def test_the_ratio_is_capped_over_the_whole_archive(tmp_path: Path) -> None:
    # each member is below the floor the per-member ratio starts at, the archive is not
    members = [(f"m{i}.json", bytes(900 * 1024)) for i in range(60)]
    zipped = _zip(*members)
    assert len(zipped) * 200 < 60 * 900 * 1024
    with pytest.raises(
        BundleError, match=r"the archive unpacks to more than 200 times its \d+ bytes"
    ):
        extract(zipped, tmp_path / "out", "many")
    assert extract(zipped, tmp_path / "ok", "many", Limits(ratio=10_000))[-1].name == "m59.json"


def test_a_member_both_file_and_folder_refuses_the_evidence(
    github: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    zipped = _zip(("ok.json", _bundle(tmp_path).read_bytes()), ("a", b"{}"), ("a/b.json", b"{}"))
    github.add_artifact(github.add_run(SHA), NAME, zipped)
    _refused_with(capsys, github, "member 'a/b.json': appears twice in the zip")


def test_artifact_names_are_selectors_brackets_literal(
    github: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    github.add_artifact(
        github.add_run(SHA), "bundle[linux]", _zip(("b.json", _bundle(tmp_path).read_bytes()))
    )
    assert _check(capsys, "--fetch-bundles", "bundle[linux]")[0] == ExitCode.FAILED  # judged
    assert _check(capsys, "--fetch-bundles", "bundle[*]")[0] == ExitCode.FAILED
    code, report = _check(capsys, "--fetch-bundles", "bundle[l]inux")  # no character class
    assert code == ExitCode.NO_EVIDENCE
    assert "no artifact matching 'bundle[l]inux'" in json.dumps(report)
    assert github.violations == []
