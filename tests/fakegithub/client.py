"""A plain HTTP client for the fake GitHub's own tests (http.client: nothing to hide behind)."""

from __future__ import annotations

import http.client
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from .server import DEFAULT_TOKEN, FakeGitHub

SHA = "ec26c3e57ca3a959ca5aad62de7213c562f8c821"
"""The head of pull request #2 in the webhook examples."""


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: Any


def call(
    github: FakeGitHub,
    method: str,
    path: str,
    body: object = None,
    *,
    token: str | None = DEFAULT_TOKEN,
    raw: bytes | None = None,
) -> Reply:
    """One request on a fresh connection; `path` is relative to the API root or absolute."""
    target = urlsplit(path if path.startswith("http") else github.url + path)
    connection = http.client.HTTPConnection(target.netloc, timeout=10)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
    if data is not None:
        headers["Content-Type"] = "application/json"
    try:
        connection.request(
            method, target.path + (f"?{target.query}" if target.query else ""), data, headers
        )
        response = connection.getresponse()
        text = response.read()
    finally:
        connection.close()
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError:
        parsed = text.decode()
    return Reply(response.status, response.headers, parsed)


def notes(count: int, start: int = 0) -> list[dict[str, Any]]:
    return [
        {"path": "tests/test_core.py", "start_line": i + 1, "end_line": i + 1,
         "annotation_level": "failure", "message": f"test {i} failed"}
        for i in range(start, start + count)
    ]  # fmt: skip


def output(**extra: Any) -> dict[str, Any]:
    return {"title": "Iron gate FAILED", "summary": "matrix", **extra}
