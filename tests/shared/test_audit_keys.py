"""The audit log names a booking by a keyed hash of its code (issue 16, item 7).

Before (1bd87c3): ``booking_ref`` was ``sha256:`` and the first 16 hex digits of SHA-256(code), so
anyone with a copy of the log hashed a code they held (or all codes) and found its entries. After:
HMAC-SHA256 under BRUG_AUDIT_HASH_KEY (or a key derived from the signing key), never the plain hash.
"""

from __future__ import annotations

import hashlib

import pytest
from pydantic import ValidationError

from scheduler.settings import SchedulerSettings
from shared.audit import booking_ref
from tests.support.config import Keys

CODE = "PNPX-4QDW"


def _settings(**overrides: object) -> SchedulerSettings:
    keys = Keys()
    return SchedulerSettings(notifier_public_key=keys.public, scheduler_signing_key=keys.signing, **overrides)


def test_the_name_is_no_plain_hash_of_the_code_and_depends_on_the_key() -> None:
    plain = hashlib.sha256(CODE.encode()).hexdigest()[:16]
    derived, other = _settings().audit_hash_secret, _settings().audit_hash_secret
    named = _settings(audit_hash_key="9f2c4e8a1b7d3f60a5c2e9d4b8f1a7c3").audit_hash_secret
    refs = {booking_ref(CODE, key) for key in (derived, other, named)}
    assert len(refs) == 3 and all(ref.startswith("hmac:") and plain not in ref for ref in refs)
    assert booking_ref(" pnpx-4qdw ", named) == booking_ref(CODE, named)  # typed any way, the same entry


@pytest.mark.parametrize("key", ["abcd" * 9, "short but varied key"])
def test_a_placeholder_or_short_audit_key_is_refused_at_start_up(key: str) -> None:
    with pytest.raises(ValidationError, match="audit_hash_key"):
        _settings(audit_hash_key=key)


def test_a_key_too_short_for_hmac_is_refused_by_booking_ref() -> None:
    with pytest.raises(ValueError, match="BRUG_AUDIT_HASH_KEY"):
        booking_ref(CODE, b"short")
