"""Sign-offs (issue 16) against the fake GitHub: the record at the judged commit, the pull
request that last changed it (a squash and a merge commit), its reviews and the named
teams' memberships, every request checked against GitHub's description; the bundle that
``collect`` writes judges the same offline; no token, no bundle: unverified."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from gatekeeper.cli import main
from gatekeeper.errors import ExitCode
from gatekeeper.matrix.load import read_matrix
from gatekeeper.model import SignoffCriterion
from gatekeeper.resources import load_schema
from tests.fakegithub import signoffs
from tests.fakegithub.fixture import fake_github_fixture  # noqa: F401 - the fixture
from tests.fakegithub.server import DEFAULT_TOKEN, FakeGitHub

REPORT_SCHEMA = Draft202012Validator(load_schema("report.schema.json"))
RECORD = "signoffs/failover-runbook.md"
BASE = "b0" * 20
C1 = "c1" * 20  # the pull request's commit that writes the record
C2 = "c2" * 20  # a later commit of it that changes something else
C3 = "c3" * 20  # one more, changing the record again (when asked)
MERGED = "d0" * 20  # the squash commit, or the merge commit
HEAD = "e0" * 20  # the judged commit, after the merge
MEMBERS_TOKEN = "ghs_FakeAppWithMembersRead000000000000000"
AT = "2026-12-01T10:00:00Z"
SAID = {
    "outsider": "approved by @dave, who is not in [@alice, @acme/sre]",
    "author": "approved by @alice, the pull request's author, who cannot sign off their own change",
    "dismissed": "review by @alice was dismissed",
    "changes": "@alice requested changes",
    "changed": f"{RECORD} changed after @alice's approval (commit c3c3c3c)",
    "no-pull": f"no pull request changed {RECORD} (last changed in commit e0e0e0e)",
    "missing": f"record missing: {RECORD} does not exist at e0e0e0e",
    "api-error": f"unverified: the sign-off on {RECORD}: list the reviews of pull request #7 "
    "(page 1): HTTP 500: Server Error; gave up after 5 tries",
    "no-token": f"unverified: the sign-off on {RECORD} was not read: no GITHUB_TOKEN or "
    "GITHUB_REPOSITORY; a sign-off is verified through the GitHub API; for CI's verdict, judge "
    "the bundle CI's collect wrote: `gatekeeper check --fetch-bundles` (or --bundle FILE)",
}
"""Every summary the README's Sign-offs section shows, as the tests see them."""
MATRIX = """\
version: 1
project: Demo
phases:
  - {id: one, name: One}
artifacts:
  unit: {format: junit, paths: ["reports/*.xml"]}
swimlanes:
  - id: ops
    name: Operations
    cells:
      one:
        goal: Runbook reviewed
        benchmarks:
          - id: runbook
            signoff: {by: ["@alice", "@acme/sre"], record: signoffs/failover-runbook.md}
"""


@pytest.fixture
def github(fake_github: FakeGitHub, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> FakeGitHub:
    for name in ("GITHUB_ACTIONS", "GITHUB_SHA", "GITHUB_EVENT_NAME", "GITHUB_EVENT_PATH",
                 "GITHUB_RUN_ID", "GATEKEEPER_SIGNOFF_TOKEN"):  # fmt: skip
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GITHUB_API_URL", fake_github.url)
    monkeypatch.setenv("GITHUB_REPOSITORY", fake_github.repository)
    monkeypatch.setenv("GITHUB_TOKEN", DEFAULT_TOKEN)
    monkeypatch.setenv("GATEKEEPER_GITHUB_BACKOFF", "0.01")
    (tmp_path / "gatekeeper.yml").write_text(MATRIX, encoding="utf-8")
    return fake_github


def layout(
    github: FakeGitHub, *, merge_commit: bool = False, author: str = "carol",
    reviews: tuple[tuple[str, str, str], ...] = (("alice", "APPROVED", C2),),
    changed_after: bool = False,
) -> None:  # fmt: skip
    """main: BASE <- MERGED <- HEAD; pull request #7 (C1, C2[, C3]) by ``author`` merged as
    MERGED, a squash (it changes the record itself) or a merge commit (git's history by path
    follows the pull request's own commit, C1 or C3)."""
    store = github.store
    commits = [C1, C2, C3] if changed_after else [C1, C2]
    github.add_commit(BASE)
    parent = BASE
    for sha in commits:
        github.add_commit(sha, parent)
        parent = sha
    store.changed[C1] = (RECORD,)
    if changed_after:
        store.changed[C3] = (RECORD,)
    head = commits[-1]
    if merge_commit:
        github.add_commit(MERGED, BASE, head)
    else:
        github.add_commit(MERGED, BASE)
        store.changed[MERGED] = (RECORD,)
    github.add_commit(HEAD, MERGED)
    store.files_at[HEAD] = {RECORD}
    signoffs.add_signoff_pull(
        store, 7, author=author, head_sha=head, commits=commits, merged_at=AT,
        merge_commit_sha=MERGED,
    )  # fmt: skip
    for login, state, commit in reviews:
        signoffs.add_review(store, 7, login, state, commit, AT)


def check(tmp_path: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, Any]:
    capsys.readouterr()
    argv = ["check", "-m", str(tmp_path / "gatekeeper.yml"), "--format", "json"]
    code = main([*argv, "--today", "2026-12-04", *extra])
    report = json.loads(capsys.readouterr().out)
    REPORT_SCHEMA.validate(report)
    (bench,) = [b for lane in report["cells"] for b in lane["benchmarks"]]
    return code, bench


def judged(
    github: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> tuple[int, Any]:
    found = check(tmp_path, capsys, "--sha", HEAD)
    assert github.violations == [], "GitHub would have refused these requests"
    return found


@pytest.mark.parametrize("merge_commit", [False, True], ids=["squash", "merge-commit"])
def test_approved_by_a_named_user_passes(
    github: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str], merge_commit: bool
) -> None:
    layout(github, merge_commit=merge_commit)
    code, bench = judged(github, tmp_path, capsys)
    assert (code, bench["outcome"]) == (ExitCode.PASSED, "pass")
    assert bench["summary"] == f"signed off by @alice in pull request #7 (approved {AT} at c2c2c2c)"
    approval = bench["signoff"]["approval"]
    assert approval == {"approver": "alice", "submitted_at": AT, "pull_request": 7, "commit": C2,
                        "changed_in": C1 if merge_commit else MERGED, "source": "api"}  # fmt: skip
    # a named user needs no team lookup: the default token suffices
    assert github.calls("GET", r"^/orgs/") == []


def test_approved_by_an_active_team_member_passes(
    github: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    layout(github, reviews=(("dave", "APPROVED", C2),))
    github.store.teams["acme/sre"] = {"dave": "active"}
    github.members_tokens.add(MEMBERS_TOKEN)
    monkeypatch.setenv("GATEKEEPER_SIGNOFF_TOKEN", MEMBERS_TOKEN)
    code, bench = judged(github, tmp_path, capsys)
    assert (code, bench["outcome"]) == (ExitCode.PASSED, "pass")
    assert bench["signoff"]["approval"]["approver"] == "dave"
    orgs = github.calls("GET", r"^/orgs/")
    assert [c.path for c in orgs] == [
        "/orgs/acme/teams/sre",
        "/orgs/acme/teams/sre/memberships/dave",
    ]
    assert all(c.headers["authorization"] == f"Bearer {MEMBERS_TOKEN}" for c in orgs)


@pytest.mark.parametrize(
    ("teams", "summary"),
    [
        ({"dave": "pending"}, SAID["outsider"]),
        ({}, SAID["outsider"]),
    ],
    ids=["pending-invitation", "not-a-member"],
)
def test_an_approval_from_outside_the_list_fails(
    github: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch, teams: dict[str, str], summary: str,
) -> None:  # fmt: skip
    layout(github, reviews=(("dave", "APPROVED", C2),))
    github.store.teams["acme/sre"] = teams
    github.members_tokens.add(MEMBERS_TOKEN)
    monkeypatch.setenv("GATEKEEPER_SIGNOFF_TOKEN", MEMBERS_TOKEN)
    code, bench = judged(github, tmp_path, capsys)
    assert (code, bench["outcome"], bench["summary"]) == (ExitCode.FAILED, "fail", summary)
    assert bench["signoff"]["approval"] is None


def test_the_authors_own_approval_does_not_count(
    github: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    layout(github, author="alice", reviews=(("alice", "APPROVED", C2),))
    code, bench = judged(github, tmp_path, capsys)
    assert (code, bench["outcome"]) == (ExitCode.FAILED, "fail")
    assert bench["summary"] == SAID["author"]


def test_a_dismissed_review_does_not_count(
    github: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    layout(github, reviews=(("alice", "DISMISSED", C2), ("bob", "COMMENTED", C2)))
    code, bench = judged(github, tmp_path, capsys)
    assert (code, bench["outcome"]) == (ExitCode.FAILED, "fail")
    assert bench["summary"] == SAID["dismissed"]


def test_an_approval_followed_by_changes_requested_does_not_count(
    github: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    layout(github, reviews=(("alice", "APPROVED", C1), ("alice", "CHANGES_REQUESTED", C2)))
    code, bench = judged(github, tmp_path, capsys)
    assert (code, bench["outcome"]) == (ExitCode.FAILED, "fail")
    assert bench["summary"] == SAID["changes"]


@pytest.mark.parametrize("merge_commit", [False, True], ids=["squash", "merge-commit"])
def test_a_record_changed_after_the_approval_fails(
    github: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str], merge_commit: bool
) -> None:
    layout(github, merge_commit=merge_commit, changed_after=True)  # alice approved at C2
    code, bench = judged(github, tmp_path, capsys)
    assert (code, bench["outcome"]) == (ExitCode.FAILED, "fail")
    assert bench["summary"] == SAID["changed"]


def test_an_approval_at_the_last_change_counts(
    github: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    layout(github, changed_after=True, reviews=(("alice", "APPROVED", C3),))
    assert judged(github, tmp_path, capsys)[1]["outcome"] == "pass"


def test_a_missing_record_fails(
    github: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    layout(github)
    github.store.files_at[HEAD] = set()
    code, bench = judged(github, tmp_path, capsys)
    assert (code, bench["outcome"]) == (ExitCode.FAILED, "fail")
    assert bench["summary"] == SAID["missing"]


def test_a_record_no_pull_request_changed_fails(
    github: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    layout(github)
    github.store.changed[HEAD] = (RECORD,)  # pushed straight to main
    code, bench = judged(github, tmp_path, capsys)
    assert (code, bench["outcome"]) == (ExitCode.FAILED, "fail")
    assert bench["summary"] == SAID["no-pull"]


def test_an_unreadable_membership_is_unverified_naming_the_fix(
    github: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    layout(github, reviews=(("dave", "APPROVED", C2),))
    github.store.teams["acme/sre"] = {"dave": "active"}  # GITHUB_TOKEN cannot read it: 403
    code, bench = judged(github, tmp_path, capsys)
    assert (code, bench["outcome"]) == (ExitCode.FAILED, "error")
    assert bench["summary"].startswith(
        "unverified: whether @dave is a member of @acme/sre cannot be read (HTTP 403: "
        "Resource not accessible by integration); give a token that can read the "
        "organisation's members (a GitHub App with Members: read"
    )
    assert "signoff-token" in bench["summary"]
    assert "GATEKEEPER_SIGNOFF_TOKEN" in bench["summary"]


def test_an_api_error_is_an_error_never_a_pass(
    github: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    layout(github)
    github.fail("GET", r"/pulls/7/reviews$", 500, times=None)
    code, bench = judged(github, tmp_path, capsys)
    # the matrix's only evidence could not be read: exit 3, as for unreadable files
    assert (code, bench["outcome"]) == (ExitCode.NO_EVIDENCE, "error")
    assert bench["summary"].startswith("unverified: the sign-off on signoffs/failover-runbook.md")
    assert "list the reviews of pull request #7" in bench["summary"]
    assert bench["summary"] == SAID["api-error"]


def test_without_a_token_or_a_bundle_a_local_run_is_unverified(
    github: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.delenv("GITHUB_TOKEN")
    code, bench = check(tmp_path, capsys, "--sha", HEAD)
    assert bench["outcome"] == "missing"
    assert code != ExitCode.PASSED
    assert bench["summary"] == SAID["no-token"]
    assert github.requests == []


@pytest.mark.parametrize("shape", ["pass", "changed-after", "unreadable"])
def test_the_bundle_collect_writes_gives_the_same_verdict_offline(
    github: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch, shape: str,
) -> None:  # fmt: skip
    if shape == "unreadable":
        layout(github, reviews=(("dave", "APPROVED", C2),))
    else:
        layout(github, changed_after=shape == "changed-after")
    online = judged(github, tmp_path, capsys)
    bundle = tmp_path / "bundle.json"
    matrix = str(tmp_path / "gatekeeper.yml")
    argv = ["collect", "-m", matrix, "--sha", HEAD, "--out", str(bundle)]
    assert main(argv) == 0
    assert "sign-offs: signoffs/failover-runbook.md found" in capsys.readouterr().out
    monkeypatch.delenv("GITHUB_TOKEN")
    asked = len(github.requests)
    offline = check(tmp_path, capsys, "--bundle", str(bundle), "--sha", HEAD)
    assert len(github.requests) == asked  # judged from the bundle: no call
    assert offline[0] == online[0]
    assert {k: v for k, v in offline[1].items() if k != "signoff"} == {
        k: v for k, v in online[1].items() if k != "signoff"
    }
    approval = online[1]["signoff"]["approval"]
    if approval is not None:
        assert offline[1]["signoff"]["approval"] == {**approval, "source": "bundle"}


def test_with_a_token_the_api_is_asked_whatever_a_bundle_says(
    github: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """A bundle may come from a pull request's own workflow, which can write any approval:
    where the API can be asked, its answer decides; the bundle's facts stand in only where it
    cannot (a laptop with no token judging CI's bundle)."""
    layout(github)
    bundle = tmp_path / "bundle.json"
    matrix = str(tmp_path / "gatekeeper.yml")
    assert main(["collect", "-m", matrix, "--sha", HEAD, "--out", str(bundle)]) == 0
    signoffs.add_review(github.store, 7, "alice", "DISMISSED", C2, AT)  # GitHub says otherwise now
    code, bench = check(tmp_path, capsys, "--bundle", str(bundle), "--sha", HEAD)
    assert (code, bench["outcome"]) == (ExitCode.FAILED, "fail"), bench["summary"]
    assert bench["summary"] == "review by @alice was dismissed"
    monkeypatch.delenv("GITHUB_TOKEN")
    code, bench = check(tmp_path, capsys, "--bundle", str(bundle), "--sha", HEAD)
    assert (code, bench["outcome"]) == (ExitCode.PASSED, "pass"), bench["summary"]
    assert bench["signoff"]["approval"]["source"] == "bundle"
    assert github.violations == []


def test_a_bundle_collected_without_a_token_is_unverified(
    github: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.delenv("GITHUB_TOKEN")
    bundle = tmp_path / "bundle.json"
    matrix = str(tmp_path / "gatekeeper.yml")
    assert main(["collect", "-m", matrix, "--sha", HEAD, "--out", str(bundle)]) == 0
    assert "sign-offs: not read" in capsys.readouterr().out
    code, bench = check(tmp_path, capsys, "--bundle", str(bundle), "--sha", HEAD)
    assert bench["outcome"] == "missing" and code != ExitCode.PASSED
    assert "the bundles hold no sign-off evidence" in bench["summary"]


@pytest.mark.parametrize("key", sorted(SAID))
def test_the_readme_shows_what_users_see(key: str) -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Sign-offs", 1)[1].split("\n### ", 1)[0]
    assert SAID[key] in section


def test_the_matrix_key_is_typed_as_written() -> None:
    matrix = read_matrix(Path(__file__).parent / "matrix_cases" / "valid" / "signoff.yml")
    (criterion,) = matrix.signoffs
    assert criterion == SignoffCriterion(
        ("@alice", "@acme-corp/sre.team"), "signoffs/failover-runbook.md"
    )
    assert (criterion.users, criterion.teams, criterion.reads) == (
        ("alice",),
        ("acme-corp/sre.team",),
        (),
    )
    assert not matrix.wants_baseline_evidence


def test_the_run_s_own_open_pull_request_can_carry_the_sign_off(
    github: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """On its own pull request's run, the change that writes the record is judged before it
    merges: its head is the judged commit, and the open pull request is the one that changed
    the record. Any other open pull request is not."""
    event = Path(__file__).parent / "fakegithub" / "events" / "pull_request-opened.json"
    head = json.loads(event.read_text(encoding="utf-8"))["pull_request"]["head"]["sha"]
    github.add_commit(BASE)
    github.add_commit(head, BASE)
    github.store.changed[head] = (RECORD,)
    github.store.files_at[head] = {RECORD}
    signoffs.add_signoff_pull(github.store, 2, author="carol", head_sha=head, commits=[head])
    signoffs.add_review(github.store, 2, "alice", "APPROVED", head, AT)
    monkeypatch.setenv("GITHUB_EVENT_NAME", "pull_request")
    monkeypatch.setenv("GITHUB_EVENT_PATH", str(event))
    monkeypatch.setenv("GITHUB_SHA", "4e1243bd22c66e76c2ba9eddc1f91394e57f9f83")  # the merge
    found = check(tmp_path, capsys, "--github-check", "off", "--comment", "off",
                  "--job-summary", "off", "--phase", "one")  # fmt: skip
    assert found[1]["outcome"] == "pass", found[1]["summary"]
    assert found[1]["signoff"]["approval"]["commit"] == head
    monkeypatch.setenv("GITHUB_EVENT_NAME", "push")  # not the pull request's own run
    monkeypatch.delenv("GITHUB_EVENT_PATH")
    code, bench = check(tmp_path, capsys, "--sha", head)
    assert (code, bench["outcome"]) == (ExitCode.FAILED, "fail")
    assert bench["summary"] == f"no pull request changed {RECORD} (last changed in commit " \
        f"{head[:7]}): #2 not merged"  # fmt: skip
    assert github.violations == []


@pytest.mark.parametrize("fmt", ["terminal", "markdown", "html", "badge"])
def test_every_report_shows_a_sign_off(
    github: FakeGitHub, tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    layout(github, changed_after=True)
    out = tmp_path / f"report.{fmt}"
    check(tmp_path, capsys, "--sha", HEAD, "--output", f"{fmt}:{out}")
    text = out.read_text(encoding="utf-8")
    if fmt != "badge":  # Markdown keeps @alice from being pinged with a word joiner
        shown = text.replace("&#x27;", "'").replace("&#39;", "'").replace("@\u2060", "@")
        assert "changed after @alice" in shown


def test_shards_that_heard_differently_make_the_record_an_error() -> None:
    from gatekeeper.bundles import Bundle, RunIdentity, Shard
    from gatekeeper.bundles.codec import dumps, loads
    from gatekeeper.bundles.combine import signoff_evidence
    from gatekeeper.signoffs import RecordState, Review, SignoffRecord

    def shard(name: str, state: str) -> Shard:
        review = Review("alice", state, AT, C2, True)
        found = SignoffRecord(RECORD, HEAD, RecordState.FOUND, "", MERGED, 7, "carol", C1,
                              (review,))  # fmt: skip
        return Shard(name, RunIdentity(), {}, {RECORD: found})

    bundle = Bundle(HEAD, (shard("a", "APPROVED"), shard("b", "DISMISSED")))
    again = loads(dumps(bundle).encode(), "b.json")
    assert again == bundle  # the codec keeps every fact
    (found,) = signoff_evidence(again).records.values()
    assert found.state is RecordState.ERROR
    assert found.reason.startswith(f"the bundle's shards disagree about {RECORD}")
    same = Bundle(HEAD, (shard("a", "APPROVED"), shard("b", "APPROVED")))
    assert signoff_evidence(same).records[RECORD].state is RecordState.FOUND
