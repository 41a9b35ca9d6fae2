"""The SMS gateway settings: an ordered list, and start-up refused while a listed gateway lacks what it needs."""

from __future__ import annotations

import os

import pytest

from notifier.settings import NotifierSettings
from shared.settings import SettingsError, load_settings
from tests.support.config import Keys


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, keys: Keys) -> pytest.MonkeyPatch:
    """Only the notifier's two required secrets are set."""
    for name in [n for n in os.environ if n.startswith("BRUG_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("BRUG_NOTIFIER_PRIVATE_KEY", keys.private)
    monkeypatch.setenv("BRUG_OPTOUT_HASH_KEY", keys.optout_key)
    return monkeypatch


def test_the_file_gateway_is_the_default_and_needs_nothing_else(env: pytest.MonkeyPatch) -> None:
    assert load_settings(NotifierSettings).sms_gateway == ["file"]


def test_gateways_are_a_comma_separated_list_primary_first(env: pytest.MonkeyPatch) -> None:
    env.setenv("BRUG_SMS_GATEWAY", " Twilio, vonage ,webhook")
    env.setenv("BRUG_SMS_FROM", "+3197010200300")
    env.setenv("BRUG_TWILIO_ACCOUNT_SID", "AC" + "1" * 32)
    env.setenv("BRUG_TWILIO_AUTH_TOKEN", "token")
    env.setenv("BRUG_VONAGE_API_KEY", "key")
    env.setenv("BRUG_VONAGE_API_SECRET", "secret")
    env.setenv("BRUG_SMS_WEBHOOK_URL", "https://sms.example.org/send")
    env.setenv("BRUG_SMS_WEBHOOK_SECRET", "w" * 16 + "0123456789abcdef")
    settings = load_settings(NotifierSettings)
    assert settings.sms_gateway == ["twilio", "vonage", "webhook"]
    assert (settings.twilio_discard_content, settings.twilio_obfuscate_address) == (True, True)


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        ({"BRUG_SMS_GATEWAY": "twilio,sms77"}, "setting BRUG_SMS_GATEWAY: unknown gateway 'sms77'"),
        ({"BRUG_SMS_GATEWAY": "twilio,twilio"}, "setting BRUG_SMS_GATEWAY: a gateway is named twice"),
        ({"BRUG_SMS_GATEWAY": " , "}, "setting BRUG_SMS_GATEWAY: name at least one gateway"),
        (
            {"BRUG_SMS_GATEWAY": "twilio"},
            "setting BRUG_TWILIO_ACCOUNT_SID: required when BRUG_SMS_GATEWAY includes twilio",
        ),
        (
            {"BRUG_SMS_GATEWAY": "file,vonage", "BRUG_VONAGE_API_KEY": "k", "BRUG_VONAGE_API_SECRET": "s"},
            "setting BRUG_SMS_FROM: required when BRUG_SMS_GATEWAY includes vonage",
        ),
        (
            {
                "BRUG_SMS_GATEWAY": "webhook",
                "BRUG_SMS_WEBHOOK_URL": "https://x.test",
                "BRUG_SMS_WEBHOOK_SECRET": "short",
            },
            "setting BRUG_SMS_WEBHOOK_SECRET: must be at least 32 characters",
        ),
        ({"BRUG_SMS_FAILOVER_SECONDS": "0"}, "setting BRUG_SMS_FAILOVER_SECONDS: Input should be greater than 0"),
        ({"BRUG_OPTOUT_HASH_KEY": "x" * 40}, "setting BRUG_OPTOUT_HASH_KEY: looks like a placeholder"),
    ],
)
def test_a_gateway_setting_that_cannot_work_stops_start_up_naming_it(
    env: pytest.MonkeyPatch, variables: dict[str, str], expected: str
) -> None:
    for name, value in variables.items():
        env.setenv(name, value)
    with pytest.raises(SettingsError) as stopped:
        load_settings(NotifierSettings)
    assert str(stopped.value).startswith(expected)
    assert "x" * 40 not in str(stopped.value)


def test_the_opt_out_key_is_required(env: pytest.MonkeyPatch) -> None:
    env.delenv("BRUG_OPTOUT_HASH_KEY")
    with pytest.raises(SettingsError, match="setting BRUG_OPTOUT_HASH_KEY: Field required"):
        load_settings(NotifierSettings)
