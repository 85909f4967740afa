"""pytest-benchmark settings that keep the committed benchmark report free of machine noise."""

from __future__ import annotations

from typing import Any

import pytest

_CPU_KEYS = ("brand_raw", "arch", "count", "hz_actual_friendly")


def pytest_benchmark_update_machine_info(
    config: pytest.Config, machine_info: dict[str, Any]
) -> None:
    """Keep what explains the timings (CPU model, Python); drop the host name and CPU flags."""
    machine_info.pop("node", None)
    cpu = machine_info.get("cpu") or {}
    machine_info["cpu"] = {key: cpu[key] for key in _CPU_KEYS if key in cpu}


def pytest_benchmark_generate_commit_info(config: pytest.Config) -> dict[str, Any]:
    """The example lives inside gatekeeper's repository, whose commit says nothing about it."""
    return {"project": "kmta"}
