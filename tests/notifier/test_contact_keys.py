"""Contact details at rest: sealed to the current key, still opened by older ones, re-sealed by rotate-key."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import col, select

from notifier.contacts.cli import rotate_key
from notifier.contacts.keys import KeyRing, key_id
from notifier.contacts.rotation import rotate
from notifier.deliveries.dispatcher import Dispatcher
from notifier.gateways import FileGateway
from notifier.recipients.models import Recipient
from notifier.settings import NotifierSettings
from shared.sealing import SealError, generate_keypair, seal, unseal
from shared.unit_of_work import UnitOfWork
from tests.notifier.events import base_settings, confirm, planned, publish
from tests.notifier.test_reminders import STARTS
from tests.support.config import Keys

PHONE = "+31612345678"


@pytest.fixture
def new_keys(keys: Keys) -> Keys:
    """A fresh pair whose notifier still holds ``keys`` as its previous key."""
    return Keys(token_secret=keys.token_secret, optout_key=keys.optout_key, invite_secret=keys.invite_secret)


def _rotated(keys: Keys, new_keys: Keys, database_url: str) -> NotifierSettings:
    return base_settings(
        new_keys, notifier_previous_private_keys=keys.private, quiet_hours="", notifier_database_url=database_url
    )


def _stored(engine: Engine) -> list[Recipient]:
    with UnitOfWork(engine) as db:
        return list(db.exec(select(Recipient).order_by(col(Recipient.booking_code))).all())


def _seed_on_old_key(engine: Engine, keys: Keys, count: int) -> None:
    settings = base_settings(keys, quiet_hours="")
    publish(engine, settings, STARTS)
    for n in range(count):
        confirm(engine, settings, keys, f"ROT{n}-0000", phone=f"+3161234560{n}")


def test_after_a_key_change_old_contacts_still_open_and_new_ones_are_stored_on_the_new_key(
    notifier_db: Engine, database_url: str, keys: Keys, new_keys: Keys, tmp_path: Path
) -> None:
    _seed_on_old_key(notifier_db, keys, 1)
    settings = _rotated(keys, new_keys, database_url)
    # a scheduler that still has the old public key: the notifier re-seals on arrival
    confirm(notifier_db, settings, keys, "LATE-0001", phone=PHONE)
    late, old = _stored(notifier_db)  # by booking code
    assert old.contact_key == key_id(keys.public) and late.contact_key == key_id(new_keys.public)
    assert unseal(new_keys.private, late.sealed_contact or "") == {"phone": PHONE}

    sink = tmp_path / "sms.jsonl"
    asyncio.run(Dispatcher(notifier_db, settings, [FileGateway(sink)], lambda: None).dispatch_once())
    texts = [json.loads(line) for line in sink.read_text().splitlines()]
    assert sorted(t["to"] for t in texts) == ["+31612345600", PHONE]  # the old row opens with the previous key

    with pytest.raises(SealError):  # without the previous key, the old row cannot be read
        KeyRing(new_keys.private).open(old.sealed_contact or "")


def test_rotate_key_reseals_in_batches_survives_an_interruption_and_is_idempotent(
    notifier_db: Engine, database_url: str, keys: Keys, new_keys: Keys, capsys: pytest.CaptureFixture[str]
) -> None:
    _seed_on_old_key(notifier_db, keys, 5)
    settings = _rotated(keys, new_keys, database_url)
    ring = KeyRing.from_settings(settings)

    def interrupt(*_: object) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        rotate(notifier_db, ring, batch_size=2, progress=interrupt)
    assert [r.contact_key == ring.current for r in _stored(notifier_db)] == [True, True, False, False, False]

    assert rotate_key(["--batch-size", "2"], settings) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"rotate-key: re-sealing stored contacts to key {ring.current} (2 key(s) configured)"
    assert out[1:] == [
        "rotate-key: 2 re-sealed, 1 to go",
        "rotate-key: 3 re-sealed, 0 to go",
        f"rotate-key: done. 3 re-sealed, 2 already on key {ring.current}, 0 unreadable",
    ]
    rows = _stored(notifier_db)
    assert {r.contact_key for r in rows} == {ring.current}
    only_new = KeyRing(new_keys.private)  # the old key can now be dropped
    assert [only_new.open(r.sealed_contact or "").contact["phone"] for r in rows] == [
        f"+3161234560{n}" for n in range(5)
    ]

    assert rotate_key([], settings) == 0  # a second run changes nothing
    assert capsys.readouterr().out.splitlines()[-1] == (
        f"rotate-key: done. 0 re-sealed, 5 already on key {ring.current}, 0 unreadable"
    )
    assert [r.sealed_contact for r in _stored(notifier_db)] == [r.sealed_contact for r in rows]


def test_a_contact_no_key_opens_is_left_counted_and_fails_its_message(
    notifier_db: Engine,
    database_url: str,
    keys: Keys,
    new_keys: Keys,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    settings = _rotated(keys, new_keys, database_url)
    publish(notifier_db, settings, STARTS)
    stranger, _ = generate_keypair()
    confirm(notifier_db, settings, Keys(private=stranger, public=_public_of(stranger)), "LOST-0001", phone=PHONE)
    [row] = _stored(notifier_db)
    assert row.contact_key is None and row.sealed_contact is not None  # kept as it came
    assert rotate_key([], settings) == 1
    captured = capsys.readouterr()
    assert "0 re-sealed, 0 already on key" in captured.out and "1 unreadable" in captured.out
    assert "BRUG_NOTIFIER_PREVIOUS_PRIVATE_KEYS" in captured.err

    asyncio.run(Dispatcher(notifier_db, settings, [FileGateway(tmp_path / "sms.jsonl")], lambda: None).dispatch_once())
    [confirmation] = planned(notifier_db, kind="confirmation")
    assert confirmation.status == "failed" and "cannot open sealed contact" in (confirmation.last_error or "")


@pytest.mark.production_backend
def test_python_m_notifier_rotate_key(notifier_db: Engine, database_url: str, keys: Keys, new_keys: Keys) -> None:
    _seed_on_old_key(notifier_db, keys, 2)
    env = {
        **os.environ,
        "BRUG_NOTIFIER_DATABASE_URL": database_url,
        "BRUG_NOTIFIER_PRIVATE_KEY": new_keys.private,
        "BRUG_NOTIFIER_PREVIOUS_PRIVATE_KEYS": f" {keys.private} ,",
        "BRUG_OPTOUT_HASH_KEY": keys.optout_key,
    }
    done = subprocess.run(
        [sys.executable, "-m", "notifier", "rotate-key"], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == (
        f"rotate-key: done. 2 re-sealed, 0 already on key {key_id(new_keys.public)}, 0 unreadable"
    )
    assert {r.contact_key for r in _stored(notifier_db)} == {key_id(new_keys.public)}


def test_rotate_key_names_a_bad_setting(
    keys: Keys, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BRUG_NOTIFIER_PRIVATE_KEY", keys.private)
    monkeypatch.setenv("BRUG_OPTOUT_HASH_KEY", keys.optout_key)
    monkeypatch.setenv("BRUG_NOTIFIER_PREVIOUS_PRIVATE_KEYS", "not-a-key")
    assert rotate_key([]) == 2
    assert "setting BRUG_NOTIFIER_PREVIOUS_PRIVATE_KEYS" in capsys.readouterr().err


def _public_of(private: str) -> str:
    import base64

    from nacl.public import PrivateKey

    return base64.b64encode(bytes(PrivateKey(base64.b64decode(private)).public_key)).decode()


def test_sealing_helpers_agree() -> None:
    private, public = generate_keypair()
    assert KeyRing(private).open(seal(public, {"email": "a@b.example"})).contact == {"email": "a@b.example"}
