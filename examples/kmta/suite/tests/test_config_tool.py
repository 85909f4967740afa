from __future__ import annotations

import json

import pytest
from kmta import config_tool
from kmta.config_tool import ConfigError

CONFIG = {
    "domain": "shop.example",
    "dkim_selector": "s2024a",
    "max_connections": 2048,
    "servers": [
        {"name": "mta-1", "address": "10.0.1.11"},
        {"name": "mta-2", "address": "10.0.1.12", "weight": 50},
    ],
}


def load(**changes: object) -> config_tool.StackConfig:
    return config_tool.load(json.dumps({**CONFIG, **changes}))


class TestConfigTool:
    def test_a_config_survives_dump_and_load(self) -> None:
        config = load()
        assert config_tool.load(config_tool.dump(config)) == config

    def test_every_problem_is_reported_at_once(self) -> None:
        with pytest.raises(ConfigError) as caught:
            config_tool.load(json.dumps({"domain": "shop.example", "max_connections": 0}))
        assert caught.value.problems == [
            "missing 'dkim_selector'",
            "missing 'servers'",
            "'servers' must be a non-empty list",
            "'max_connections' must be a positive whole number",
        ]

    def test_text_that_is_not_json_is_reported(self) -> None:
        with pytest.raises(ConfigError, match="not JSON"):
            config_tool.load("domain: shop.example")

    def test_an_unknown_server_field_is_reported(self) -> None:
        with pytest.raises(ConfigError, match=r"servers\[0\]"):
            load(servers=[{"name": "mta-1", "address": "10.0.1.11", "colour": "blue"}])

    def test_diff_names_what_changes(self) -> None:
        servers = [{"name": "mta-2", "address": "10.0.1.12"}, {"name": "mta-3", "address": "x"}]
        changes = config_tool.diff(load(), load(max_connections=4096, servers=servers))
        assert changes == [
            "~ max_connections: 2048 -> 4096",
            "- server mta-1",
            "+ server mta-3",
            "~ server mta-2",
        ]

    def test_identical_configs_have_no_diff(self) -> None:
        assert config_tool.diff(load(), load()) == []

    def test_render_writes_the_haproxy_and_mta_config(self) -> None:
        files = config_tool.render(load())
        assert sorted(files) == ["haproxy.cfg", "mta.conf"]
        assert "dkim_selector = s2024a\n" in files["mta.conf"]

    def test_mta_and_haproxy_agree_on_the_connection_limit(self) -> None:
        files = config_tool.render(load(max_connections=1234))
        assert "maxconn 1234\n" in files["haproxy.cfg"]
        assert "max_connections = 1234\n" in files["mta.conf"]
