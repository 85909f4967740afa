from __future__ import annotations

from kmta.hot_setting import HOT_SETTING, HotSettingRouter, Route

SETTINGS: dict[str, dict[str, object]] = {
    "acct-hot": {HOT_SETTING: True},
    "acct-cold": {HOT_SETTING: False},
    "acct-other": {"timezone": "UTC"},
}


class TestHotSetting:
    def test_hot_account_goes_to_kmta(self) -> None:
        assert HotSettingRouter(SETTINGS).route("acct-hot") is Route.KMTA

    def test_cold_account_stays_on_legacy(self) -> None:
        assert HotSettingRouter(SETTINGS).route("acct-cold") is Route.LEGACY

    def test_account_without_the_setting_stays_on_legacy(self) -> None:
        assert HotSettingRouter(SETTINGS).route("acct-other") is Route.LEGACY

    def test_unknown_account_stays_on_legacy(self) -> None:
        assert HotSettingRouter(SETTINGS).route("acct-new") is Route.LEGACY

    def test_only_a_real_true_diverts(self) -> None:
        router = HotSettingRouter({"acct-typo": {HOT_SETTING: "yes"}})
        assert router.route("acct-typo") is Route.LEGACY

    def test_flipping_the_setting_takes_effect_at_once(self) -> None:
        settings = {"acct-1": {HOT_SETTING: False}}
        router = HotSettingRouter(settings)
        settings["acct-1"][HOT_SETTING] = True
        assert router.route("acct-1") is Route.KMTA
