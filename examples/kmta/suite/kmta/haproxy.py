"""Render the HAProxy configuration that fronts the MTA pool."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

MAX_WEIGHT = 256
"""HAProxy's largest server weight."""


@dataclass(frozen=True)
class Server:
    """One MTA behind HAProxy."""

    name: str
    address: str
    port: int = 25
    weight: int = 100
    interface: str | None = None
    """Network interface HAProxy's connections to this server leave by (Steel's goal)."""


def render(
    servers: Sequence[Server], *, bind_port: int = 25, maxconn: int = 4096, helo: str = "kmta"
) -> str:
    """The haproxy.cfg text: a TCP frontend and one backend with a health-checked server each."""
    if not servers:
        raise ValueError("an HAProxy backend needs at least one server")
    names = [s.name for s in servers]
    if len(set(names)) != len(names):
        raise ValueError(f"server names must be unique: {', '.join(sorted(names))}")
    lines = [
        "global",
        f"    maxconn {maxconn}",
        "    log stdout format raw local0",
        "",
        "defaults",
        "    mode tcp",
        "    log global",
        "    timeout connect 5s",
        "    timeout client 60s",
        "    timeout server 60s",
        "",
        "frontend smtp_in",
        f"    bind :{bind_port}",
        "    default_backend mta_pool",
        "",
        "backend mta_pool",
        "    balance leastconn",
        f"    option smtpchk HELO {helo}",
    ]
    for server in servers:
        if not 0 <= server.weight <= MAX_WEIGHT:
            raise ValueError(f"{server.name}: weight {server.weight} is outside 0..{MAX_WEIGHT}")
        line = (
            f"    server {server.name} {server.address}:{server.port} weight {server.weight} check"
        )
        if server.interface:
            line += f" source 0.0.0.0 interface {server.interface}"
        lines.append(line)
    return "\n".join(lines) + "\n"
