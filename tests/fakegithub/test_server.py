"""The fake GitHub itself: it must refuse what GitHub refuses, or the scenario tests that
rely on it prove nothing."""

from __future__ import annotations

import http.client
import json
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.fakegithub.client import SHA, call, notes, output
from tests.fakegithub.fixture import fake_github_fixture  # noqa: F401 - the fixture
from tests.fakegithub.server import DEFAULT_TOKEN, FakeGitHub

REPO = "/repos/Codertocat/Hello-World"
RUN = {"name": "gatekeeper", "head_sha": SHA}


# -- what it refuses --------------------------------------------------------------------------


def test_a_summary_over_65535_characters_is_refused(fake_github: FakeGitHub) -> None:
    reply = call(
        fake_github, "POST", f"{REPO}/check-runs", {**RUN, "output": output(summary="x" * 65536)}
    )
    assert reply.status == 422
    assert reply.body["message"].startswith("Invalid request.")
    assert "output/summary" in fake_github.violations[0].message
    assert fake_github.check_runs() == []
    reply = call(
        fake_github, "POST", f"{REPO}/check-runs", {**RUN, "output": output(summary="x" * 65535)}
    )
    assert reply.status == 201


@pytest.mark.parametrize("method", ["POST", "PATCH"])
def test_51_annotations_in_one_request_are_refused(fake_github: FakeGitHub, method: str) -> None:
    run = call(fake_github, "POST", f"{REPO}/check-runs", RUN).body
    path = f"{REPO}/check-runs" + (f"/{run['id']}" if method == "PATCH" else "")
    payload = {"output": output(annotations=notes(51))}
    reply = call(fake_github, method, path, {**RUN, **payload} if method == "POST" else payload)
    assert reply.status == 422
    assert "output/annotations" in fake_github.violations[0].message
    assert fake_github.annotations(run["id"]) == []


def test_a_status_state_outside_the_enum_is_refused(fake_github: FakeGitHub) -> None:
    reply = call(fake_github, "POST", f"{REPO}/statuses/{SHA}", {"state": "passed"})
    assert reply.status == 422
    assert "'passed' is not one of" in fake_github.violations[0].message
    assert fake_github.statuses() == []


@pytest.mark.parametrize(
    ("path", "body", "expected"),
    [
        (
            f"{REPO}/statuses/{SHA}",
            {"state": "success", "description": "d" * 141},
            "description is too long",
        ),
        (f"{REPO}/issues/2/comments", {"body": "b" * 65537}, "Body is too long"),
        (f"{REPO}/check-runs", {**RUN, "status": "completed"}, "is not valid under any"),
        (f"{REPO}/check-runs", {**RUN, "started_at": "yesterday"}, "is not a 'date-time'"),
        (
            f"{REPO}/check-runs",
            {"name": "gatekeeper", "head_sha": "main"},
            "No commit found for SHA",
        ),
        (f"{REPO}/check-runs", {"head_sha": SHA}, "'name' is a required property"),
        (
            f"{REPO}/check-runs",
            {
                **RUN,
                "output": output(annotations=[{**notes(1)[0], "end_line": 3, "start_column": 1}]),
            },
            "start_column",
        ),
    ],
)
def test_github_s_other_limits_are_enforced(
    fake_github: FakeGitHub, path: str, body: dict[str, Any], expected: str
) -> None:
    reply = call(fake_github, "POST", path, body)
    assert reply.status == 422
    assert [expected in v.message for v in fake_github.violations] == [True]


def test_an_update_with_output_needs_its_title(fake_github: FakeGitHub) -> None:
    run = call(fake_github, "POST", f"{REPO}/check-runs", RUN).body
    reply = call(
        fake_github, "PATCH", f"{REPO}/check-runs/{run['id']}", {"output": {"summary": "s"}}
    )
    assert reply.status == 422
    assert "'title' is a required property" in fake_github.violations[0].message


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/repos/Codertocat/Hello-World/issues/2", 404),  # real, but not in the contract
        ("DELETE", f"{REPO}/issues/comments/1", 404),
        ("GET", f"{REPO}/check-runs/1", 404),  # only PATCH is in the contract
        ("PATCH", f"{REPO}/check-runs/not-a-number", 404),
        ("GET", "/repos/someone/else/issues/2/comments", 404),  # not the repository of the run
        ("GET", f"{REPO}/issues/2/comments?per_page=x", 422),
        ("GET", f"{REPO}/commits/{SHA}/check-runs?status=done", 422),
        ("GET", f"{REPO}/issues/2/comments?sort=created", 422),  # not a parameter of this endpoint
    ],
)
def test_unknown_endpoints_and_bad_parameters_are_violations(
    fake_github: FakeGitHub, method: str, path: str, status: int
) -> None:
    body = {"output": output()} if method == "PATCH" else None
    assert call(fake_github, method, path, body).status == status
    assert len(fake_github.violations) == 1
    assert fake_github.violations[0].path == urlsplit(path).path


def test_a_body_that_is_not_json_is_refused(fake_github: FakeGitHub) -> None:
    reply = call(fake_github, "POST", f"{REPO}/issues/2/comments", raw=b"body=hello")
    assert (reply.status, reply.body["message"]) == (400, "Problems parsing JSON")
    assert fake_github.violations[0].status == 400


@pytest.mark.parametrize(
    ("token", "message"), [(None, "Requires authentication"), ("ghp_wrong", "Bad credentials")]
)
def test_requests_without_the_token_are_refused(
    fake_github: FakeGitHub, token: str | None, message: str
) -> None:
    reply = call(fake_github, "POST", f"{REPO}/issues/2/comments", {"body": "hi"}, token=token)
    assert (reply.status, reply.body["message"]) == (401, message)
    assert fake_github.comments() == []
    assert fake_github.violations[0].status == 401


def test_the_token_may_be_sent_as_token_or_bearer(fake_github: FakeGitHub) -> None:
    connection = http.client.HTTPConnection(urlsplit(fake_github.url).netloc, timeout=10)
    try:
        for scheme in ("token", "Bearer"):  # on one keep-alive connection
            connection.request(
                "GET",
                f"{REPO}/issues/2/comments",
                headers={"Authorization": f"{scheme} {DEFAULT_TOKEN}"},
            )
            response = connection.getresponse()
            assert (response.status, json.loads(response.read())) == (200, [])
    finally:
        connection.close()
    assert fake_github.violations == []
