"""The fake GitHub answers like GitHub: pagination, accumulating annotations, identities,
injected failures, and responses that fit GitHub's own response schemas."""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.fakegithub import signoffs, spec
from tests.fakegithub.client import SHA, call, notes, output
from tests.fakegithub.faults import SECONDARY_RATE_LIMIT
from tests.fakegithub.fixture import fake_github_fixture  # noqa: F401 - the fixture
from tests.fakegithub.server import DEFAULT_TOKEN, FakeGitHub
from tests.fakegithub.state import ACTIONS_BOT, APP_BOT, Identity

REPO = "/repos/Codertocat/Hello-World"
COMMENTS = f"{REPO}/issues/2/comments"
RUN = {"name": "gatekeeper", "head_sha": SHA}


def links(header: str | None) -> dict[str, str]:
    """rel -> URL from a Link header, in the order given."""
    found = {}
    for part in (header or "").split(", "):
        if part:
            url, rel = part.split("; ")
            found[rel.removeprefix('rel="').removesuffix('"')] = url.strip("<>")
    return found


def test_pagination_is_github_s(fake_github: FakeGitHub) -> None:
    for number in range(65):
        fake_github.add_comment(2, f"comment {number}", Identity("someone", 7))
    first = call(fake_github, "GET", COMMENTS)
    assert len(first.body) == 30  # per_page defaults to 30
    root = f"{fake_github.url}/repositories/186853002/issues/2/comments"
    assert first.headers["Link"] == f'<{root}?page=2>; rel="next", <{root}?page=3>; rel="last"'
    middle = call(fake_github, "GET", f"{COMMENTS}?per_page=30&page=2")
    assert list(links(middle.headers["Link"])) == ["prev", "next", "last", "first"]
    assert links(middle.headers["Link"])["next"] == f"{root}?per_page=30&page=3"
    last = call(fake_github, "GET", links(middle.headers["Link"])["last"])  # GitHub's own URL form
    assert list(links(last.headers["Link"])) == ["prev", "first"]
    assert len(last.body) == 5
    ids = [c["id"] for page in (first, middle, last) for c in page.body]
    assert ids == sorted(ids) and len(set(ids)) == 65  # ascending ids, none twice
    capped = call(fake_github, "GET", f"{COMMENTS}?per_page=500")
    assert len(capped.body) == 65 and "Link" not in capped.headers  # at most 100, one page
    assert fake_github.violations == []


def test_annotations_accumulate_across_updates(fake_github: FakeGitHub) -> None:
    first = {**RUN, "status": "in_progress", "output": output(annotations=notes(50))}
    run = call(fake_github, "POST", f"{REPO}/check-runs", first).body
    path = f"{REPO}/check-runs/{run['id']}"
    call(fake_github, "PATCH", path, {"output": output(annotations=notes(50, 50))})
    final = call(fake_github, "PATCH", path, {"conclusion": "failure", "output": output(
        summary="final", annotations=notes(20, 100))}).body  # fmt: skip
    assert final["output"]["annotations_count"] == 120
    assert final["output"]["summary"] == "final"
    assert (final["status"], final["conclusion"]) == (
        "completed",
        "failure",
    )  # conclusion completes
    assert final["completed_at"] is not None
    messages = [a["message"] for a in fake_github.annotations(run["id"])]
    assert messages == [f"test {i} failed" for i in range(120)]
    assert fake_github.violations == []


def test_check_runs_are_listed_by_name_latest_first(fake_github: FakeGitHub) -> None:
    older = call(fake_github, "POST", f"{REPO}/check-runs", RUN).body
    newer = call(fake_github, "POST", f"{REPO}/check-runs", RUN).body
    call(fake_github, "POST", f"{REPO}/check-runs", {**RUN, "name": "other"})
    listed = call(fake_github, "GET", f"{REPO}/commits/{SHA}/check-runs?check_name=gatekeeper").body
    assert [r["id"] for r in listed["check_runs"]] == [newer["id"]]  # filter=latest by default
    every = call(
        fake_github, "GET", f"{REPO}/commits/{SHA}/check-runs?check_name=gatekeeper&filter=all"
    )
    assert [r["id"] for r in every.body["check_runs"]] == [newer["id"], older["id"]]
    assert every.body["total_count"] == 2
    assert fake_github.violations == []


def test_an_app_token_is_refused_get_user_and_posts_as_its_own_bot(
    fake_github: FakeGitHub,
) -> None:
    fake_github.use_app_token(APP_BOT)
    assert call(fake_github, "GET", "/user").status == 403
    posted = call(fake_github, "POST", COMMENTS, {"body": "hello"}).body
    assert (posted["user"]["login"], posted["user"]["type"]) == ("my-app[bot]", "Bot")


def test_check_run_output_is_limited_in_utf8_bytes_not_characters(
    fake_github: FakeGitHub,
) -> None:
    """OpenAPI says 65535 characters; GitHub refuses more than 65535 bytes."""
    body = {"name": "c", "head_sha": SHA, "output": {"title": "t", "summary": "🟩" * 20_000}}
    refused = call(fake_github, "POST", f"{REPO}/check-runs", body)
    assert refused.status == 422
    assert refused.body["errors"][0]["message"] == "summary exceeds a maximum bytesize of 65535"
    fake_github.violations.clear()
    body["output"] = {"title": "t", "summary": "🟩" * 16_383}
    assert call(fake_github, "POST", f"{REPO}/check-runs", body).status == 201


def test_the_identity_authors_comments_and_answers_get_user(fake_github: FakeGitHub) -> None:
    refused = call(fake_github, "GET", "/user")  # GITHUB_TOKEN: an installation token
    assert (refused.status, refused.body["message"]) == (
        403,
        "Resource not accessible by integration",
    )
    posted = call(fake_github, "POST", COMMENTS, {"body": "hello"}).body
    assert (posted["user"]["login"], posted["user"]["type"]) == (ACTIONS_BOT.login, "Bot")
    fake_github.identity = Identity("octo-bot", 99)
    assert call(fake_github, "GET", "/user").body["login"] == "octo-bot"
    edited = call(
        fake_github, "PATCH", f"{REPO}/issues/comments/{posted['id']}", {"body": "edited"}
    )
    assert (edited.body["body"], edited.body["id"]) == ("edited", posted["id"])
    assert call(fake_github, "POST", COMMENTS, {"body": "x"}).body["user"]["login"] == "octo-bot"
    assert call(fake_github, "PATCH", f"{REPO}/issues/comments/1", {"body": "gone"}).status == 404
    assert fake_github.violations == []  # a stale id is GitHub's 404, not a client's mistake


def test_a_fault_fails_the_given_number_of_times(fake_github: FakeGitHub) -> None:
    fault = fake_github.fail("POST", r"/check-runs$", 502)
    first = call(fake_github, "POST", f"{REPO}/check-runs", RUN)
    assert first.status == 502 and "Bad Gateway" in first.body  # an HTML page, as GitHub's edge
    assert call(fake_github, "POST", f"{REPO}/check-runs", RUN).status == 201
    assert fault.hits == 1 and len(fake_github.check_runs()) == 1
    always = fake_github.fail("GET", r"/comments$", 500, times=None)
    assert [call(fake_github, "GET", COMMENTS).status for _ in range(3)] == [500] * 3
    assert always.hits == 3


def test_a_fault_after_the_work_leaves_the_work_done(fake_github: FakeGitHub) -> None:
    fake_github.fail("POST", r"/check-runs$", 502, after=True)
    assert call(fake_github, "POST", f"{REPO}/check-runs", RUN).status == 502
    assert len(fake_github.check_runs()) == 1  # a blind retry would make a second one


def test_a_lost_answer_is_a_502_after_the_creation(fake_github: FakeGitHub) -> None:
    fake_github.add_commit(SHA)
    body = {"tag": "phase/one", "message": "m", "object": SHA, "type": "commit"}
    tag = call(fake_github, "POST", f"{REPO}/git/tags", body).body
    fake_github.lose_answer("POST", r"/git/refs$")
    ref = {"ref": "refs/tags/phase/one", "sha": tag["sha"]}
    assert call(fake_github, "POST", f"{REPO}/git/refs", ref).status == 502
    assert list(fake_github.tag_refs()) == ["refs/tags/phase/one"]
    again = call(fake_github, "POST", f"{REPO}/git/refs", ref)  # the blind retry
    assert (again.status, again.body["message"]) == (422, "Reference already exists")
    missing = call(fake_github, "GET", f"{REPO}/releases/tags/phase%2Fone")
    assert missing.status == 404
    fake_github.lose_answer("POST", r"/releases$")
    release = {"tag_name": "phase/one", "body": "notes"}
    assert call(fake_github, "POST", f"{REPO}/releases", release).status == 502
    found = call(fake_github, "GET", f"{REPO}/releases/tags/phase%2Fone")
    assert (found.status, found.body["tag_name"]) == (200, "phase/one")
    assert len(fake_github.releases()) == 1


@pytest.mark.parametrize("status", [403, 429])
def test_a_secondary_rate_limit_says_so_as_github_does(
    fake_github: FakeGitHub, status: int
) -> None:
    fake_github.secondary_rate_limit("POST", r"/comments$", retry_after=1, status=status)
    reply = call(fake_github, "POST", COMMENTS, {"body": "hi"})
    assert (reply.status, reply.headers["Retry-After"]) == (status, "1")
    assert reply.body["message"] == SECONDARY_RATE_LIMIT
    assert "You have exceeded a secondary rate limit" in reply.body["message"]
    assert fake_github.comments() == []
    assert call(fake_github, "POST", COMMENTS, {"body": "hi"}).status == 201


def test_a_read_only_token_cannot_write(fake_github: FakeGitHub) -> None:
    fake_github.read_only = True
    reply = call(fake_github, "POST", f"{REPO}/check-runs", RUN)
    assert (reply.status, reply.body["message"]) == (403, "Resource not accessible by integration")
    assert call(fake_github, "GET", COMMENTS).status == 200
    assert fake_github.check_runs() == [] and len(fake_github.writes()) == 1


def test_requests_are_recorded(fake_github: FakeGitHub) -> None:
    before = time.monotonic()
    call(fake_github, "POST", f"{COMMENTS}", {"body": "hi"})
    call(fake_github, "GET", f"{COMMENTS}?per_page=100")
    posted, listed = fake_github.requests
    assert (posted.method, posted.path, posted.body, posted.status) == (
        "POST",
        COMMENTS,
        {"body": "hi"},
        201,
    )
    assert (listed.query, listed.status) == ({"per_page": ["100"]}, 200)
    assert posted.headers["authorization"].startswith("Bearer ")
    assert before <= posted.at <= listed.at
    assert fake_github.calls("GET", r"/comments$") == [listed]


def test_an_enterprise_server_root_is_served_under_its_prefix() -> None:
    with FakeGitHub(prefix="/api/v3") as github:
        assert github.url.endswith("/api/v3")
        assert call(github, "POST", COMMENTS, {"body": "hi"}).status == 201
        assert call(github, "GET", github.url.removesuffix("/api/v3") + COMMENTS).status == 404
        assert len(github.violations) == 1


def _responses(github: FakeGitHub) -> dict[str, Any]:
    """One answer of every endpoint, keyed by operationId."""
    run = call(github, "POST", f"{REPO}/check-runs", {**RUN, "output": output()}).body
    comment = call(github, "POST", COMMENTS, {"body": "hi"}).body
    status = call(github, "POST", f"{REPO}/statuses/{SHA}", {"state": "failure"}).body
    run_path, comment_path = (
        f"{REPO}/check-runs/{run['id']}",
        f"{REPO}/issues/comments/{comment['id']}",
    )
    run_id = github.add_run(SHA)
    artifact_id = github.add_artifact(run_id, "bundle", b"PK\x05\x06" + bytes(18))
    github.identity = Identity("octo-bot", 99)
    child = "f" * 40
    github.add_commit(SHA)
    github.add_commit(child, SHA)
    tag_body = {"tag": "phase/one", "message": "m", "object": SHA, "type": "commit"}
    tag = call(github, "POST", f"{REPO}/git/tags", tag_body).body
    ref_body = {"ref": "refs/tags/phase/one", "sha": tag["sha"]}
    git = {
        "git/create-tag": tag,
        "git/create-ref": call(github, "POST", f"{REPO}/git/refs", ref_body).body,
        "git/list-matching-refs": call(github, "GET", f"{REPO}/git/matching-refs/tags/ph").body,
        "git/get-tag": call(github, "GET", f"{REPO}/git/tags/{tag['sha']}").body,
        "repos/compare-commits-with-basehead": call(
            github, "GET", f"{REPO}/compare/{SHA}...{child}"
        ).body,
        "repos/list-commits": call(github, "GET", f"{REPO}/commits?sha={child}").body,
        "repos/create-release": call(
            github, "POST", f"{REPO}/releases", {"tag_name": "phase/one", "body": "notes"}
        ).body,
        "repos/get-release-by-tag": call(github, "GET", f"{REPO}/releases/tags/phase%2Fone").body,
        "git/delete-ref": call(github, "DELETE", f"{REPO}/git/refs/tags/phase/one").body,
    }
    github.add_pull(7, labels=["phase:two"], files=["a.py", "b.py"], renamed_from={"b.py": "c.py"})
    pulls = {
        "pulls/get": call(github, "GET", f"{REPO}/pulls/7").body,
        "pulls/list-files": call(github, "GET", f"{REPO}/pulls/7/files").body,
    }
    return {
        **git,
        **pulls,
        **_signoff_responses(github, child),
        **_git_database_responses(github),
        "actions/list-workflow-runs-for-repo": call(
            github, "GET", f"{REPO}/actions/runs?head_sha={SHA}"
        ).body,
        "actions/get-workflow-run": call(github, "GET", f"{REPO}/actions/runs/{run_id}").body,
        "actions/list-workflow-run-artifacts": call(
            github, "GET", f"{REPO}/actions/runs/{run_id}/artifacts"
        ).body,
        "actions/download-artifact": call(
            github, "GET", f"{REPO}/actions/artifacts/{artifact_id}/zip"
        ).body,
        "checks/create": run,
        "checks/update": call(github, "PATCH", run_path, {"conclusion": "success"}).body,
        "checks/list-for-ref": call(github, "GET", f"{REPO}/commits/{SHA}/check-runs").body,
        "repos/create-commit-status": status,
        "repos/list-commit-statuses-for-ref": call(
            github, "GET", f"{REPO}/commits/{SHA}/statuses"
        ).body,
        "issues/create-comment": comment,
        "issues/update-comment": call(github, "PATCH", comment_path, {"body": "x"}).body,
        "issues/list-comments": call(github, "GET", COMMENTS).body,
        "users/get-authenticated": call(github, "GET", "/user").body,
        "repos/get": call(github, "GET", REPO).body,
    }


def _signoff_responses(github: FakeGitHub, child: str) -> dict[str, Any]:
    """A sign-off's record, pull request (#8, merged as ``child``), its commits and reviews,
    and a team read with a token that can read the organisation's members."""
    store = github.store
    store.files_at[child] = {"signoffs/r.md"}
    signoffs.add_signoff_pull(store, 8, author="carol", head_sha=SHA, commits=[SHA],
                              merged_at="2026-12-01T10:00:00Z", merge_commit_sha=child)  # fmt: skip
    signoffs.add_review(store, 8, "alice", "APPROVED", SHA, "2026-12-01T09:00:00Z")
    store.teams["acme/sre"] = {"alice": "active"}
    github.members_tokens.add("ghs_members")
    team = "/orgs/acme/teams/sre"
    return {
        "repos/get-content": call(github, "GET", f"{REPO}/contents/signoffs/r.md?ref={child}").body,
        "repos/list-pull-requests-associated-with-commit": call(
            github, "GET", f"{REPO}/commits/{child}/pulls"
        ).body,
        "pulls/list-commits": call(github, "GET", f"{REPO}/pulls/8/commits").body,
        "pulls/list-reviews": call(github, "GET", f"{REPO}/pulls/8/reviews").body,
        "teams/get-by-name": call(github, "GET", team, token="ghs_members").body,
        "teams/get-membership-for-user-in-org": call(
            github, "GET", f"{team}/memberships/alice", token="ghs_members"
        ).body,
    }


def _git_database_responses(github: FakeGitHub) -> dict[str, Any]:
    """A file written on a branch of its own through the git database, and read back."""
    blob = call(github, "POST", f"{REPO}/git/blobs", {"content": "{}\n"}).body
    item = {"path": "history/2026-12.jsonl", "mode": "100644", "type": "blob", "sha": blob["sha"]}
    tree = call(github, "POST", f"{REPO}/git/trees", {"tree": [item]}).body
    commit = call(github, "POST", f"{REPO}/git/commits",
                  {"message": "first", "tree": tree["sha"], "parents": []}).body  # fmt: skip
    call(github, "POST", f"{REPO}/git/refs", {"ref": "refs/heads/history", "sha": commit["sha"]})
    child = call(
        github,
        "POST",
        f"{REPO}/git/commits",
        {"message": "next", "tree": tree["sha"], "parents": [commit["sha"]]},
    ).body
    moved = call(github, "PATCH", f"{REPO}/git/refs/heads/history", {"sha": child["sha"]})
    return {
        "git/create-blob": blob,
        "git/create-tree": tree,
        "git/create-commit": commit,
        "git/update-ref": moved.body,
        "git/get-ref": call(github, "GET", f"{REPO}/git/ref/heads/history").body,
        "git/get-commit": call(github, "GET", f"{REPO}/git/commits/{child['sha']}").body,
        "git/get-tree": call(github, "GET", f"{REPO}/git/trees/{tree['sha']}?recursive=1").body,
        "git/get-blob": call(github, "GET", f"{REPO}/git/blobs/{blob['sha']}").body,
    }


def test_every_answer_fits_github_s_response_schema(fake_github: FakeGitHub) -> None:
    responses = _responses(fake_github)
    assert sorted(responses) == sorted(e.operation_id for e in spec.endpoints())
    for endpoint in spec.endpoints():
        assert spec.response_problems(endpoint, responses[endpoint.operation_id]) == [], (
            endpoint.template
        )
    assert fake_github.violations == []


def test_a_real_client_reads_it_and_its_strays_are_caught(fake_github: FakeGitHub) -> None:
    from github import Auth, Github, GithubException

    for number in range(150):
        fake_github.add_comment(2, f"remark {number}", Identity("someone", 7))
    lazy = Github(base_url=fake_github.url, auth=Auth.Token(DEFAULT_TOKEN), per_page=100,
                  retry=None, lazy=True)  # fmt: skip
    eager = Github(base_url=fake_github.url, auth=Auth.Token(DEFAULT_TOKEN), retry=None)
    try:
        comments = lazy.get_repo("Codertocat/Hello-World").get_issue(2).get_comments()
        assert [c.body for c in comments] == [f"remark {n}" for n in range(150)]  # via Link
        assert fake_github.violations == []
        with pytest.raises(GithubException) as refused:  # GET .../issues/2 is not in the contract
            eager.get_repo("Codertocat/Hello-World").get_issue(2)
        assert refused.value.status == 404
        assert [v.path for v in fake_github.violations] == [f"{REPO}/issues/2"]
    finally:
        lazy.close()
        eager.close()


def test_a_pull_request_s_files_are_paged_and_capped_like_github_s(
    fake_github: FakeGitHub,
) -> None:
    fake_github.add_pull(9, labels=["phase:two", "docs"], head_ref="two/lanes", files=[
        f"src/f{n:03}.py" for n in range(250)])  # fmt: skip
    pull = call(fake_github, "GET", f"{REPO}/pulls/9").body
    assert [label["name"] for label in pull["labels"]] == ["phase:two", "docs"]
    assert (pull["number"], pull["head"]["ref"], pull["changed_files"]) == (9, "two/lanes", 250)
    first = call(fake_github, "GET", f"{REPO}/pulls/9/files?per_page=100")
    root = f"{fake_github.url}/repositories/186853002/pulls/9/files"
    assert links(first.headers["Link"])["next"] == f"{root}?per_page=100&page=2"
    last = call(fake_github, "GET", links(first.headers["Link"])["last"])
    assert [f["filename"] for f in last.body] == [f"src/f{n:03}.py" for n in range(200, 250)]
    fake_github.store.max_pull_files = 120  # GitHub's is 3,000
    capped = call(fake_github, "GET", f"{REPO}/pulls/9/files?per_page=100")
    assert 'rel="last"' in capped.headers["Link"]
    assert len(call(fake_github, "GET", links(capped.headers["Link"])["last"]).body) == 20
    assert call(fake_github, "GET", f"{REPO}/pulls/10").status == 404
    assert fake_github.violations == []


def test_deleting_a_tag_removes_its_ref_once(fake_github: FakeGitHub) -> None:
    fake_github.add_commit(SHA)
    fake_github.add_tag("phase/one", SHA)
    deleted = call(fake_github, "DELETE", f"{REPO}/git/refs/tags/phase/one")
    assert (deleted.status, deleted.body) == (204, "")
    assert fake_github.tag_refs() == {}
    again = call(fake_github, "DELETE", f"{REPO}/git/refs/tags/phase/one")
    assert (again.status, again.body["message"]) == (422, "Reference does not exist")
    assert fake_github.violations == []  # a lost race, not a client's mistake
    fake_github.add_tag("phase/two", SHA)
    fake_github.fail("DELETE", r"/git/refs/tags/phase/two$", 403, body={
        "message": "Resource not accessible by integration"})  # fmt: skip
    refused = call(fake_github, "DELETE", f"{REPO}/git/refs/tags/phase/two")
    assert refused.status == 403 and "refs/tags/phase/two" in fake_github.tag_refs()
