from __future__ import annotations

import json

from kmta import config_tool
from kmta.dkim import KeyRing
from kmta.hot_setting import Route
from kmta.splitter import Mode, TrafficSplitter

SERVERS = [
    {"name": f"mta-{n}", "address": f"10.0.1.{10 + n}", "interface": "eth1"} for n in range(1, 4)
]
STACK = {
    "domain": "shop.example",
    "dkim_selector": "s2024b",
    "max_connections": 2048,
    "servers": SERVERS,
}


class TestMtaStack:
    """The config tool, HAProxy, the splitter and DKIM signing, put together."""

    def test_the_rendered_pool_lists_every_configured_mta(self) -> None:
        files = config_tool.render(config_tool.load(json.dumps(STACK)))
        lines = [line.split() for line in files["haproxy.cfg"].splitlines()]
        servers = [words[1] for words in lines if words[:1] == ["server"]]
        assert servers == ["mta-1", "mta-2", "mta-3"]

    def test_mail_routed_to_kmta_is_signed_with_the_configured_selector(self) -> None:
        config = config_tool.load(json.dumps(STACK))
        keys = KeyRing(config.domain)
        keys.add("s2024a", b"an-older-key-0123456789")
        keys.add(config.dkim_selector, b"the-current-key-0123456789")
        keys.rotate(config.dkim_selector)
        assert TrafficSplitter({Mode.CAMPAIGN: 100}).route("acct-1", Mode.CAMPAIGN) is Route.KMTA
        headers = {"From": "news@shop.example", "To": "ada@example.org", "Subject": "Hi"}
        signature = keys.sign(headers, b"Hello\n")
        assert f"; s={config.dkim_selector};" in signature
        assert keys.verify(headers, b"Hello\n", signature)

    def test_adding_an_mta_shows_in_the_diff_and_the_render(self) -> None:
        old = config_tool.load(json.dumps(STACK))
        grown = {**STACK, "servers": [*SERVERS, {"name": "mta-4", "address": "10.0.1.14"}]}
        new = config_tool.load(json.dumps(grown))
        assert config_tool.diff(old, new) == ["+ server mta-4"]
        assert "server mta-4 10.0.1.14:25" in config_tool.render(new)["haproxy.cfg"]
