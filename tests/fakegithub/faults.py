"""Failures the tests make the fake GitHub answer with, as GitHub sends them.

A fault answers matching requests with its status, headers and body `times` times (None:
for ever). By default it answers before the request is carried out, like a proxy that
drops it; `after=True` carries the request out and then fails, like a gateway timing out
on a backend that did the work (so a retried creation makes a duplicate unless the client
looks first).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from http import HTTPStatus

# GitHub's wording; clients (PyGithub's GithubRetry among them) recognise it by this text.
SECONDARY_RATE_LIMIT = (
    "You have exceeded a secondary rate limit. Please wait a few minutes before you try "
    "again. If you reach out to GitHub Support for help, please include the request ID "
    "E3C4:2C1F:1A2B3C:4D5E6F:65A1B2C3."
)
RATE_LIMIT_DOCS = (
    "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"
)
# A 502/503/504 comes from GitHub's front end as an HTML page, not as JSON.
GATEWAY_PAGE = (
    "<html><head><title>{code} {phrase}</title></head><body><h1>{phrase}</h1></body></html>"
)


def default_body(status: int) -> tuple[bytes, str]:
    """The body and content type GitHub sends with `status`."""
    phrase = HTTPStatus(status).phrase
    if status in (502, 503, 504):
        return GATEWAY_PAGE.format(code=status, phrase=phrase).encode(), "text/html"
    if status in (403, 429):
        body = {"message": SECONDARY_RATE_LIMIT, "documentation_url": RATE_LIMIT_DOCS}
    elif status == 500:
        body = {"message": "Server Error"}
    else:
        body = {"message": phrase}
    return json.dumps({**body, "status": str(status)}).encode(), "application/json; charset=utf-8"


@dataclass
class Fault:
    method: str
    """An HTTP method, or `*` for any."""
    path: re.Pattern[str]
    """Searched in the path relative to the API root, e.g. `/check-runs$`."""
    status: int
    times: int | None
    headers: dict[str, str]
    body: bytes
    content_type: str
    after: bool
    hits: int = 0
    """How many requests it has answered."""
    answered: list[float] = field(default_factory=list)
    """When (time.monotonic()) it answered each."""

    def matches(self, method: str, path: str, after: bool) -> bool:
        if after != self.after or (self.times is not None and self.hits >= self.times):
            return False
        return self.method in ("*", method) and self.path.search(path) is not None


def make_fault(
    method: str,
    path_regex: str,
    status: int,
    times: int | None = 1,
    headers: dict[str, str] | None = None,
    body: bytes | str | dict[str, object] | None = None,
    after: bool = False,
) -> Fault:
    if body is None:
        raw, content_type = default_body(status)
    elif isinstance(body, dict):
        raw, content_type = json.dumps(body).encode(), "application/json; charset=utf-8"
    else:
        raw = body.encode() if isinstance(body, str) else body
        content_type = "application/json; charset=utf-8"
    return Fault(
        method=method.upper(),
        path=re.compile(path_regex),
        status=status,
        times=times,
        headers=dict(headers or {}),
        body=raw,
        content_type=content_type,
        after=after,
    )
