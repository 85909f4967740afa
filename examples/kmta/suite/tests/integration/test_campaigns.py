from __future__ import annotations

from functools import partial

from kmta.campaigns import dispatch
from kmta.hot_setting import HOT_SETTING, HotSettingRouter, Route
from kmta.splitter import Mode, TrafficSplitter

RECIPIENTS = [(f"acct-{n % 40:05d}", f"user{n}@example.org") for n in range(2000)]
HOT = {f"acct-{n:05d}": {HOT_SETTING: True} for n in range(0, 40, 10)}


class TestCampaignsViaHotSetting:
    """Stone: only test accounts with the hot setting send campaigns through KMTA."""

    def test_hot_accounts_send_their_campaigns_through_kmta(self) -> None:
        router = HotSettingRouter(HOT).route
        hot_only = [r for r in RECIPIENTS if r[0] in HOT]
        assert dispatch(hot_only, router) == {Route.KMTA: len(hot_only)}

    def test_every_other_account_stays_on_legacy(self) -> None:
        sent = dispatch(RECIPIENTS, HotSettingRouter(HOT).route)
        assert sent[Route.LEGACY] == len(RECIPIENTS) - sent[Route.KMTA] == 1800


class TestCampaignsViaSplitter:
    """Iron: every campaign goes through the multi-modal traffic splitter."""

    def test_a_full_campaign_rollout_sends_everything_through_kmta(self) -> None:
        splitter = TrafficSplitter({Mode.CAMPAIGN: 100, Mode.FLOW: 25})
        sent = dispatch(RECIPIENTS, partial(splitter.route, mode=Mode.CAMPAIGN))
        assert sent == {Route.KMTA: len(RECIPIENTS)}

    def test_flows_follow_their_own_rollout(self) -> None:
        splitter = TrafficSplitter({Mode.CAMPAIGN: 100, Mode.FLOW: 25})
        sent = dispatch(RECIPIENTS, partial(splitter.route, mode=Mode.FLOW))
        assert 0 < sent[Route.KMTA] < sent[Route.LEGACY]

    def test_hot_accounts_keep_kmta_when_the_rollout_is_paused(self) -> None:
        splitter = TrafficSplitter({Mode.CAMPAIGN: 10}, hot_setting=HotSettingRouter(HOT))
        routes = {account: splitter.route(account, Mode.CAMPAIGN) for account, _ in RECIPIENTS}
        assert all(routes[account] is Route.KMTA for account in HOT)
