"""Plain REST calls through requests, read the way retry.py reads PyGithub's failures.

For the endpoints gatekeeper calls without PyGithub (artifact downloads, git data and
releases): a response that is not the one expected is raised as ``Answered`` and
``describe`` turns it, or a transport error, into a ``Failure`` the retry loop judges.
"""

from __future__ import annotations

import requests

from gatekeeper import __version__
from gatekeeper.github.retry import Failure

API_VERSION = "2022-11-28"


def session() -> requests.Session:
    """A session sending what GitHub asks of every REST client: a User-Agent, its media type
    and the API version. The token is given per request, never to the session."""
    made = requests.Session()
    made.headers.update({
        "User-Agent": f"gatekeeper/{__version__}", "Accept": "application/vnd.github+json",
        "X-GitHub-Api-Version": API_VERSION,
    })  # fmt: skip
    return made


class Answered(Exception):
    """A response that is not the one expected."""

    def __init__(self, failure: Failure) -> None:
        super().__init__(failure.message)
        self.failure = failure


def describe(exc: Exception) -> Failure | None:
    """The failure behind ``exc``, or None when it is none of ours (then it propagates)."""
    if isinstance(exc, Answered):
        return exc.failure
    if isinstance(exc, requests.RequestException):
        return Failure(None, f"{type(exc).__name__}: {exc}")
    return None
