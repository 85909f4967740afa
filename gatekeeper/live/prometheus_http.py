"""The one HTTP client for Prometheus-compatible query APIs (``/api/v1/query``,
``/api/v1/query_range``): where a live query's answer comes from.

The server and its credentials come from the environment only (``PREFIX_URL``, and
``PREFIX_TOKEN`` as a Bearer token or ``PREFIX_USER`` and ``PREFIX_PASSWORD``); the server is
recorded without them. The whole answer must arrive within the query's timeout and fit in
``MAX_ANSWER_BYTES``. Every failure is a ``QueryError`` saying what went wrong, never a pass.
"""

from __future__ import annotations

import datetime as dt
import json
import time as clock
from collections.abc import Iterator, Mapping
from urllib.parse import unquote, urlsplit, urlunsplit

import requests
import urllib3

from gatekeeper.durations import parse_time
from gatekeeper.model import LiveQuery
from gatekeeper.records import record

MAX_ANSWER_BYTES = 8 * 1024 * 1024
"""A bigger answer is refused: a gate judges a handful of series, not a dump of the TSDB."""


class QueryError(Exception):
    """Why a query got no answer to judge."""


@record
class Answer:
    """What the server answered."""

    server: str
    """Its URL, without credentials."""
    time: dt.datetime
    """The evaluation time (a range's end), aware UTC."""
    body: bytes
    """The answer as sent, with a 2xx status."""


def evaluation_time(query: LiveQuery, now: dt.datetime) -> dt.datetime:
    """``query.time`` as an aware UTC time: ``now`` (to the second) for 'now'."""
    if query.time == "now":
        return now.astimezone(dt.timezone.utc).replace(microsecond=0)
    return parse_time(query.time)


def server_url(prefix: str, environ: Mapping[str, str]) -> tuple[str, tuple[str, str] | None]:
    """The server's URL from ``PREFIX_URL``, without credentials (as it is asked and shown),
    and the user and password it held, if any."""
    name = f"{prefix}_URL"
    url = environ.get(name, "").strip()
    if not url:
        raise QueryError(f"{name} is not set: the server's URL comes from the environment")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise QueryError(f"{name} is not a URL") from exc
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise QueryError(f"{name} is not an http:// or https:// URL")
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    netloc = host if port is None else f"{host}:{port}"
    bare = urlunsplit((parts.scheme, netloc, parts.path, "", ""))
    if parts.username is None:
        return bare, None
    return bare, (unquote(parts.username), unquote(parts.password or ""))


def ask(query: LiveQuery, environ: Mapping[str, str], now: dt.datetime) -> Answer:
    """Ask ``query`` of the server the environment names."""
    url, in_url = server_url(query.server, environ)
    at = evaluation_time(query, now)
    params = {"query": query.promql, "timeout": f"{query.timeout:g}s"}
    if query.range is None or query.step is None:
        endpoint = "/api/v1/query"
        params["time"] = f"{at.timestamp():.3f}"
    else:
        endpoint = "/api/v1/query_range"
        params.update(
            start=f"{at.timestamp() - query.range:.3f}",
            end=f"{at.timestamp():.3f}",
            step=f"{query.step:g}",
        )
    headers = {"Accept": "application/json"}
    token = environ.get(f"{query.server}_TOKEN")
    if token:
        headers["Authorization"] = f"Bearer {token}"
    user, password = environ.get(f"{query.server}_USER"), environ.get(f"{query.server}_PASSWORD")
    auth = (user, password or "") if user else None if token else in_url
    body = _get(url.rstrip("/") + endpoint, params, headers, auth, query.timeout, url)
    return Answer(url, at, body)


def _get(
    url: str,
    params: dict[str, str],
    headers: dict[str, str],
    auth: tuple[str, str] | None,
    timeout: float,
    shown: str,
) -> bytes:
    deadline = clock.monotonic() + timeout
    try:
        with requests.get(
            url, params=params, headers=headers, auth=auth, timeout=timeout, stream=True
        ) as response:
            body = _read_capped(response, deadline, timeout)
            status = response.status_code
            reason = response.reason
    except requests.Timeout as exc:
        raise QueryError(f"{shown} did not answer within {timeout:g}s") from exc
    except requests.RequestException as exc:
        raise QueryError(f"cannot reach {shown}: {_why(exc)}") from exc
    if not 200 <= status < 300:
        raise QueryError(f"{shown} answered HTTP {status} {reason or ''}".rstrip() + _said(body))
    return body


def _why(exc: BaseException) -> str:
    """The operating system's reason under a requests error (connection refused, name or
    service not known), else the error's kind: its text may hold the URL's credentials."""
    seen: set[int] = set()
    todo = [exc]
    while todo:
        found = todo.pop(0)
        if id(found) in seen:
            continue
        seen.add(id(found))
        if isinstance(found, OSError) and found.strerror:
            return found.strerror.lower()
        links = (found.__cause__, found.__context__, getattr(found, "reason", None), *found.args)
        todo += [link for link in links if isinstance(link, BaseException)]
    name = type(exc).__name__
    return "name or service not known" if "NameResolution" in repr(exc) else name


def _chunks(response: requests.Response) -> Iterator[bytes]:
    """The answer's bytes (decoded), as they arrive: ``read1`` returns after one read from
    the socket, where ``iter_content`` waits for a whole chunk, so a server that drips a
    byte at a time would hold it past the deadline (for hours) unchecked."""
    read1 = getattr(response.raw, "read1", None)  # urllib3 2; 1.26 has none
    if read1 is None:
        yield from response.iter_content(chunk_size=1024)
        return
    while True:
        try:  # urllib3's errors, as requests' own reading would raise them
            chunk = read1(65536, decode_content=True)
        except urllib3.exceptions.ReadTimeoutError as exc:
            raise requests.Timeout(str(exc)) from exc
        except urllib3.exceptions.HTTPError as exc:
            raise requests.ConnectionError(exc) from exc
        if not chunk:
            return
        yield chunk


def _read_capped(response: requests.Response, deadline: float, timeout: float) -> bytes:
    chunks: list[bytes] = []
    size = 0
    for chunk in _chunks(response):
        size += len(chunk)
        if size > MAX_ANSWER_BYTES:
            raise QueryError(f"the answer is larger than {MAX_ANSWER_BYTES:,} bytes")
        if clock.monotonic() > deadline:
            raise requests.Timeout(f"the answer took longer than {timeout:g}s")
        chunks.append(chunk)
    return b"".join(chunks)


def _said(body: bytes) -> str:
    """What an error answer says, when it is Prometheus's JSON error."""
    try:
        document = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return ""
    if isinstance(document, dict) and isinstance(document.get("error"), str):
        kind = document.get("errorType")
        prefix = f"{kind}: " if isinstance(kind, str) else ""
        return f": {prefix}{document['error'][:300]}"
    return ""
