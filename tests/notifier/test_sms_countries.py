"""Issue 16, item 2, the notifier's second line: a number Brug may not text is never texted, even when
a booking event carries it (forged on the bus, or sealed before BRUG_SMS_COUNTRIES was narrowed)."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from notifier.deliveries.models import DeliveryStatus
from tests.notifier.support import delivery, dispatch, seed, sms_settings
from tests.support.config import Keys
from tests.support.sms_gateways import FakeGateways

UNTEXTABLE = {
    "premium rate (NL 0900)": ("+319001234567", "a premium-rate number in NL"),
    "Ascension Island (+247)": ("+24740123", "a mobile number in AC, which BRUG_SMS_COUNTRIES does not list"),
    "satellite (+882)": ("+8823421234", "a number of no country (+882: satellite or international network)"),
    "a UK mobile": ("+447400123456", "a mobile number in GB, which BRUG_SMS_COUNTRIES does not list"),
}


@pytest.mark.parametrize(("number", "reason"), UNTEXTABLE.values(), ids=UNTEXTABLE.keys())
def test_a_number_brug_must_not_text_is_skipped_with_the_reason(
    notifier_db: Engine, keys: Keys, fake: FakeGateways, number: str, reason: str
) -> None:
    """Before: the confirmation went to the gateway (1 text for each number). After: skipped, the
    reason says why and holds no digit of the number; no gateway is called."""
    delivery_id = seed(notifier_db, keys, phone=number)
    dispatch(notifier_db, sms_settings(keys, fake))
    row = delivery(notifier_db, delivery_id)
    assert fake.texts() == 0
    assert row.status == DeliveryStatus.SKIPPED
    assert row.last_error == f"{reason}; not sent (BRUG_SMS_COUNTRIES takes mobile numbers only)"
    assert number[-6:] not in row.last_error


def test_a_narrowed_setting_holds_for_bookings_made_before_it(
    notifier_db: Engine, keys: Keys, fake: FakeGateways
) -> None:
    """A Belgian mobile is texted under the default, and skipped once BRUG_SMS_COUNTRIES=NL."""
    sent = seed(notifier_db, keys, code="K7QF-93XA", phone="+32450001234")
    dispatch(notifier_db, sms_settings(keys, fake))
    assert delivery(notifier_db, sent).status == DeliveryStatus.SENT and fake.texts() == 1
    held = seed(notifier_db, keys, code="M3RD-44TW", phone="+32450001235")
    dispatch(notifier_db, sms_settings(keys, fake, sms_countries="NL"))
    assert delivery(notifier_db, held).status == DeliveryStatus.SKIPPED and fake.texts() == 1
