"""Stone's diversion: an account setting, flipped by hand, sends that account to KMTA."""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum

HOT_SETTING = "kmta_hot"
"""The account setting that diverts an account's mail to KMTA."""


class Route(str, Enum):
    """Where an account's mail goes."""

    LEGACY = "legacy"
    """The current MTA."""
    KMTA = "kmta"
    """The new one."""


class HotSettingRouter:
    """Route by the account hot setting: on means KMTA, anything else the legacy MTA."""

    def __init__(self, settings: Mapping[str, Mapping[str, object]]) -> None:
        self._settings = settings

    def route(self, account_id: str) -> Route:
        hot = self._settings.get(account_id, {}).get(HOT_SETTING) is True
        return Route.KMTA if hot else Route.LEGACY
