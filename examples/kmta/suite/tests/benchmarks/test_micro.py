"""Micro-benchmarks: run by regenerate.py with --benchmark-json into reports/bench/."""

from __future__ import annotations

import json

import pytest
from kmta import config_tool
from kmta.dkim import KeyRing
from kmta.splitter import Mode, TrafficSplitter
from pytest_benchmark.fixture import BenchmarkFixture

HEADERS = {"From": "news@shop.example", "To": "ada@example.org", "Subject": "Spring sale"}
BODY = b"Hello Ada,\n\nEverything is 20 % off this week.\n" * 40  # about 2 kB


@pytest.mark.benchmark(group="email-auth")
def test_dkim_sign(benchmark: BenchmarkFixture) -> None:
    keys = KeyRing("shop.example")
    keys.add("s2024a", b"secret-for-s2024a-0123456789")
    signature = benchmark(keys.sign, HEADERS, BODY)
    assert keys.verify(HEADERS, BODY, signature)


@pytest.mark.benchmark(group="managed-config")
def test_config_render(benchmark: BenchmarkFixture) -> None:
    servers = [{"name": f"mta-{n}", "address": f"10.0.1.{n}"} for n in range(1, 13)]
    stack = {"domain": "shop.example", "dkim_selector": "s2024a", "max_connections": 4096}
    config = config_tool.load(json.dumps({**stack, "servers": servers}))
    files = benchmark(config_tool.render, config)
    assert files["haproxy.cfg"].count(" check") == 12


@pytest.mark.benchmark(group="ingress")
def test_splitter_route(benchmark: BenchmarkFixture) -> None:
    splitter = TrafficSplitter({Mode.CAMPAIGN: 100, Mode.FLOW: 30})
    benchmark(splitter.route, "acct-00042", Mode.FLOW)
