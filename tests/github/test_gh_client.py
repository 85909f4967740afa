"""The client's pure parts: what PyGithub is given, and how its errors are read. (Requests
on the wire are the scenario tests', against the fake GitHub.)"""

from __future__ import annotations

import datetime as dt

import requests
from github import GithubException

from gatekeeper.github.api import _check_run_arguments, _describe, _message
from gatekeeper.github.retry import Failure


def test_check_run_arguments_give_back_the_body_s_exact_timestamp() -> None:
    body = {"name": "g", "completed_at": "2026-11-26T07:30:05Z", "output": {"title": "t"}}
    arguments = _check_run_arguments(body)
    assert arguments["completed_at"] == dt.datetime(2026, 11, 26, 7, 30, 5, tzinfo=dt.timezone.utc)
    # PyGithub writes it back with this format (CheckRun.edit, Repository.create_check_run)
    assert arguments["completed_at"].strftime("%Y-%m-%dT%H:%M:%SZ") == body["completed_at"]
    assert body["completed_at"] == "2026-11-26T07:30:05Z"  # the body itself is left alone


def test_github_errors_are_read_with_their_headers() -> None:
    error = GithubException(403, {"message": "secondary rate limit"}, {"retry-after": "3"})
    assert _describe(error) == Failure(403, "secondary rate limit", {"retry-after": "3"})
    lost = requests.ConnectionError("refused")
    assert _describe(lost) == Failure(None, "ConnectionError: refused")
    assert _describe(KeyError("bug")) is None  # a bug is not retried


def test_an_html_error_page_is_reduced_to_its_title() -> None:
    page = "<html><head><title>502 Bad Gateway</title></head><body>…</body></html>"
    assert _message({"data": page}) == "502 Bad Gateway"
    assert _message({"message": "x" * 1000}) == "x" * 300
    assert _message(None) == "" and _message("text") == ""
