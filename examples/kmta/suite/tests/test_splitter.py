from __future__ import annotations

import pytest
from kmta.hot_setting import HOT_SETTING, HotSettingRouter, Route
from kmta.splitter import Mode, TrafficSplitter, bucket

ACCOUNTS = [f"acct-{n:05d}" for n in range(1000)]


def kmta_share(splitter: TrafficSplitter, mode: Mode) -> list[str]:
    return [a for a in ACCOUNTS if splitter.route(a, mode) is Route.KMTA]


class TestBuckets:
    def test_bucket_is_stable(self) -> None:
        assert bucket("acct-00042") == bucket("acct-00042")

    def test_buckets_cover_0_to_99(self) -> None:
        assert {bucket(a) for a in ACCOUNTS} == set(range(100))


class TestSplitter:
    def test_full_rollout_sends_every_account_to_kmta(self) -> None:
        splitter = TrafficSplitter({Mode.CAMPAIGN: 100})
        assert len(kmta_share(splitter, Mode.CAMPAIGN)) == len(ACCOUNTS)

    def test_zero_rollout_keeps_every_account_on_legacy(self) -> None:
        splitter = TrafficSplitter({Mode.FLOW: 0})
        moved = kmta_share(splitter, Mode.FLOW)
        assert not moved, (
            f"a 0 % rollout must keep every account on the legacy MTA, "
            f"but {len(moved)} of {len(ACCOUNTS)} went to KMTA (first: {moved[0]})"
        )

    def test_partial_rollout_sends_about_that_share(self) -> None:
        splitter = TrafficSplitter({Mode.CAMPAIGN: 30})
        assert 250 <= len(kmta_share(splitter, Mode.CAMPAIGN)) <= 350

    def test_raising_the_rollout_never_moves_an_account_back(self) -> None:
        before = set(kmta_share(TrafficSplitter({Mode.CAMPAIGN: 20}), Mode.CAMPAIGN))
        after = set(kmta_share(TrafficSplitter({Mode.CAMPAIGN: 40}), Mode.CAMPAIGN))
        assert before <= after

    def test_modes_roll_out_independently(self) -> None:
        splitter = TrafficSplitter({Mode.CAMPAIGN: 100, Mode.TRANSACTIONAL: 50})
        assert len(kmta_share(splitter, Mode.CAMPAIGN)) == len(ACCOUNTS)
        assert len(kmta_share(splitter, Mode.TRANSACTIONAL)) < len(ACCOUNTS)

    def test_hot_setting_overrides_the_rollout(self) -> None:
        rollout = {Mode.CAMPAIGN: 10}
        assert TrafficSplitter(rollout).route("acct-00042", Mode.CAMPAIGN) is Route.LEGACY
        hot = HotSettingRouter({"acct-00042": {HOT_SETTING: True}})
        splitter = TrafficSplitter(rollout, hot_setting=hot)
        assert splitter.route("acct-00042", Mode.CAMPAIGN) is Route.KMTA

    def test_rollout_outside_0_to_100_is_rejected(self) -> None:
        with pytest.raises(ValueError, match=r"0\.\.100"):
            TrafficSplitter({Mode.FLOW: 120})
