"""Campaigns Integration: hand a campaign's messages to whichever MTA the router picks."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable

from kmta.hot_setting import Route

Router = Callable[[str], Route]
"""account id -> route; a hot-setting router or a splitter bound to one mode."""


def dispatch(recipients: Iterable[tuple[str, str]], router: Router) -> Counter[Route]:
    """Send each (account id, address) through ``router``; count messages per route."""
    return Counter(router(account_id) for account_id, _address in recipients)
