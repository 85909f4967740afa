"""Bronze's config tool: one JSON file describes the stack; the tool checks, diffs and renders it.

The MTA and HAProxy configurations are both rendered from it, so they cannot disagree.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from kmta import haproxy


class ConfigError(ValueError):
    """A stack config that cannot be used; lists every problem at once."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class StackConfig:
    """The whole stack's configuration."""

    domain: str
    dkim_selector: str
    max_connections: int
    servers: tuple[haproxy.Server, ...]


_REQUIRED = ("domain", "dkim_selector", "max_connections", "servers")


def load(text: str) -> StackConfig:
    """Parse and check a stack config; raise ConfigError naming every problem."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError([f"not JSON: {exc.msg} at line {exc.lineno}"]) from exc
    if not isinstance(data, dict):
        raise ConfigError(["the config must be a JSON object"])
    problems = [f"missing {key!r}" for key in _REQUIRED if key not in data]
    servers = data.get("servers", [])
    if not isinstance(servers, list) or not servers:
        problems.append("'servers' must be a non-empty list")
        servers = []
    limit = data.get("max_connections", 1)
    if not isinstance(limit, int) or limit < 1:
        problems.append("'max_connections' must be a positive whole number")
    parsed = []
    for index, raw in enumerate(servers):
        try:
            parsed.append(haproxy.Server(**raw))
        except TypeError as exc:
            problems.append(f"servers[{index}]: {exc}")
    if problems:
        raise ConfigError(problems)
    return StackConfig(
        data["domain"], data["dkim_selector"], data["max_connections"], tuple(parsed)
    )


def diff(old: StackConfig, new: StackConfig) -> list[str]:
    """What applying ``new`` over ``old`` changes, one line per change, servers by name."""
    changes = [
        f"~ {field}: {getattr(old, field)!r} -> {getattr(new, field)!r}"
        for field in ("domain", "dkim_selector", "max_connections")
        if getattr(old, field) != getattr(new, field)
    ]
    before = {s.name: s for s in old.servers}
    after = {s.name: s for s in new.servers}
    changes += [f"- server {name}" for name in before if name not in after]
    changes += [f"+ server {name}" for name in after if name not in before]
    changes += [
        f"~ server {name}" for name in before if name in after and before[name] != after[name]
    ]
    return changes


def render(config: StackConfig) -> dict[str, str]:
    """Every file the stack needs, by file name."""
    mta = "".join(
        f"{key} = {value}\n"
        for key, value in (
            ("domain", config.domain),
            ("dkim_selector", config.dkim_selector),
            ("max_connections", config.max_connections),
        )
    )
    return {
        "haproxy.cfg": haproxy.render(config.servers, maxconn=config.max_connections),
        "mta.conf": mta,
    }


def dump(config: StackConfig) -> str:
    """The config as JSON, keys in a stable order: what the tool writes back."""
    data: dict[str, Any] = {
        "domain": config.domain,
        "dkim_selector": config.dkim_selector,
        "max_connections": config.max_connections,
        "servers": [{k: v for k, v in vars(s).items() if v is not None} for s in config.servers],
    }
    return json.dumps(data, indent=2) + "\n"
