"""Rules for live-query artifacts (``query:``) that a JSON Schema cannot say: what goes with a
query and what does not, a time that can be read, a window that makes sense, and a server
that is named by its environment variables, never written into the matrix."""

from __future__ import annotations

from typing import Any

from gatekeeper.durations import parse_duration, parse_time
from gatekeeper.matrix.problems import Problem
from gatekeeper.matrix.yamlpos import Located
from gatekeeper.model import DEFAULT_SERVER, QUERY_FORMAT

QUERY_KEYS = ("time", "window", "timeout", "server")
"""The keys that say how a query is asked: with ``paths`` they mean nothing."""

MAX_POINTS = 11000
"""Prometheus refuses a range query of more points a series than this."""


def query_problems(located: Located) -> list[Problem]:
    """Every problem of the matrix's live-query artifacts."""
    data = located.data if isinstance(located.data, dict) else {}
    artifacts = data.get("artifacts")
    problems: list[Problem] = []
    for ident, artifact in artifacts.items() if isinstance(artifacts, dict) else ():
        if isinstance(artifact, dict):
            for key, message in _artifact_problems(artifact):
                path = ("artifacts", ident, *key)
                problems.append(Problem(located.position(path), path, message))
    return problems


def _artifact_problems(artifact: dict[str, Any]) -> list[tuple[tuple[str, ...], str]]:
    if "query" not in artifact and "paths" not in artifact:
        return [
            ((), "missing required key 'paths' (its files), or 'query' (a live Prometheus query)")
        ]
    if "query" not in artifact:
        return [
            ((key,), f"{key} goes with query:, not with paths:")
            for key in QUERY_KEYS
            if key in artifact
        ]
    found: list[tuple[tuple[str, ...], str]] = []
    for key in ("paths", "shards"):
        if key in artifact:
            found.append(
                ((key,), f"an artifact is a live query (query:) or files ({key}:), not both")
            )
    fmt = artifact.get("format", QUERY_FORMAT)
    if fmt != QUERY_FORMAT:
        found.append((("format",), f"a live query's answer is read as {QUERY_FORMAT}, not {fmt}"))
    server = artifact.get("server", DEFAULT_SERVER)
    if isinstance(server, str) and ("/" in server or ":" in server or "." in server):
        message = (
            f"server names environment variables, never a URL: set the URL in "
            f"{DEFAULT_SERVER}_URL (or PREFIX_URL for server: PREFIX), credentials in "
            f"{DEFAULT_SERVER}_TOKEN or {DEFAULT_SERVER}_USER and {DEFAULT_SERVER}_PASSWORD"
        )
        found.append((("server",), message))
    time = artifact.get("time")
    if isinstance(time, str) and time != "now":
        try:
            parse_time(time)
        except ValueError:
            found.append(
                (("time",), f"{time!r}: write now, or an RFC 3339 time (2026-12-01T00:00:00Z)")
            )
    window = artifact.get("window")
    if isinstance(window, dict):
        found += _window_problems(window)
    return found


def _window_problems(window: dict[str, Any]) -> list[tuple[tuple[str, ...], str]]:
    try:
        span = parse_duration(str(window.get("range")))
        step = parse_duration(str(window.get("step")))
    except ValueError:
        return []  # the schema says how to write a duration
    if step > span:
        return [(("window", "step"), "the step is longer than the range: one point at most")]
    if span / step > MAX_POINTS:
        message = f"{span / step:.0f} points a series: Prometheus answers at most {MAX_POINTS}"
        return [(("window", "step"), message)]
    return []
