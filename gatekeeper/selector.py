"""Selector syntax shared by the matrix loader and the engine."""

from __future__ import annotations

import re
from collections.abc import Sequence
from fnmatch import fnmatchcase

_METRIC = re.compile(r"^(?P<name>[^{}]+?)\s*(?:\{(?P<tags>[^{}]*)\})?$")


def parse_metric_selector(text: str) -> tuple[str, dict[str, str]]:
    """'http_req_duration{scenario:submit}' -> ('http_req_duration', {'scenario': 'submit'})."""
    match = _METRIC.match(text.strip())
    if not match:
        raise ValueError(f"cannot read metric {text!r}: write NAME or NAME{{tag:value,...}}")
    raw = match.group("tags")
    if raw is not None and not raw.strip():
        raise ValueError(f"empty tag filter in {text!r}")
    tags: dict[str, str] = {}
    for pair in (raw or "").split(","):
        if not pair.strip():
            continue
        key, sep, value = pair.partition(":")
        if not sep or not key.strip():
            raise ValueError(f"bad tag {pair.strip()!r} in {text!r}: write tag:value")
        tags[key.strip()] = value.strip()
    return match.group("name"), tags


def matches_any(value: str | None, globs: Sequence[str]) -> bool:
    """True when no globs are given, or ``value`` matches one of them (case-sensitive)."""
    if not globs:
        return True
    return value is not None and any(fnmatchcase(value, g) for g in globs)
