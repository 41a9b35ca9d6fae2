"""``python -m notifier rotate-key``: re-seal every stored contact to the current key.

Reads the notifier's settings from the environment like the service does,
brings the database schema up to date, then re-seals in batches, printing a
line after each batch and a summary at the end. Exit status 0 when every
contact is on the current key, 1 when some could not be opened (they are
named by count only; their messages fail when sent).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from notifier import models  # noqa: F401 - registers the tables
from notifier.contacts.keys import KeyRing
from notifier.contacts.rotation import Rotation, rotate
from notifier.settings import NotifierSettings
from shared import migrate
from shared.db import make_engine
from shared.settings import SettingsError, load_settings

__all__ = ["rotate_key"]


def rotate_key(argv: Sequence[str], settings: NotifierSettings | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m notifier rotate-key", description=__doc__.splitlines()[0])
    parser.add_argument("--batch-size", type=int, default=500, help="contacts per transaction (default 500)")
    args = parser.parse_args(list(argv))
    if args.batch_size < 1:
        parser.error("--batch-size must be at least 1")
    try:
        settings = settings or load_settings(NotifierSettings)
    except SettingsError as error:
        print(f"notifier rotate-key: {error}", file=sys.stderr)
        return 2
    keys = KeyRing.from_settings(settings)
    engine = make_engine(settings.notifier_database_url)
    try:
        migrate.upgrade(engine, "notifier")
        print(f"rotate-key: re-sealing stored contacts to key {keys.current} ({len(keys.ids)} key(s) configured)")
        result = rotate(engine, keys, batch_size=args.batch_size, progress=_progress)
    finally:
        engine.dispose()
    print(
        f"rotate-key: done. {result.resealed} re-sealed, {result.current} already on key {result.key}, "
        f"{result.unreadable} unreadable"
    )
    if result.unreadable:
        print(
            "rotate-key: the unreadable ones were sealed to a key that is no longer configured; "
            "add it to BRUG_NOTIFIER_PREVIOUS_PRIVATE_KEYS and run again",
            file=sys.stderr,
        )
        return 1
    return 0


def _progress(done: Rotation, left: int) -> None:
    print(f"rotate-key: {done.resealed} re-sealed, {left} to go", flush=True)
