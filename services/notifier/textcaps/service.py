"""Caps on the texts one number gets, so that nobody can turn Brug's SMS into a flood at a phone.

Anyone can register with anyone's number, as often as the scheduler lets them: each booking plans a
confirmation, reminders and more, and a phone on someone else's table lights up with each. So a
number gets at most ``BRUG_SMS_PER_NUMBER_PER_DAY`` texts in any 24 hours and at most
``BRUG_SMS_PER_NUMBER_PER_SESSION`` about one session; past either, the text is skipped with the
reason and never sent later (0 turns a cap off).

Every kind of text is capped, cancellations too: none of them is required by law (a STOP gets no
reply, see notifier.optouts.api), and a cancellation sent to every booking of one number is itself a
flood. The price is that a phone flooded by someone else may miss a later text of its own real
booking; a message on a phone someone else may read is the greater danger. E-mail is not capped.

A text is counted when a send is prepared (deliveries.service.prepare_in), once per delivery: the
retry of a call that failed, or the next gateway after one that did, goes under the place it holds.
The count and the record are made under a lock on the number (repository.lock_number), so two
notifiers never both take a number's last place.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from notifier.optouts.service import number_hash
from notifier.settings import NotifierSettings
from notifier.textcaps import repository

__all__ = ["DAY", "Place", "place_for", "forget"]

#: the window of the day's cap, and how long a text is counted at least.
DAY = timedelta(hours=24)


@dataclass
class Place:
    """A place under the caps for one delivery; ``held`` once counted (by :meth:`take` or an earlier try)."""

    number_hash: str
    delivery_id: str
    session_id: str
    held: bool

    def take(self, db: Session, now: datetime) -> None:
        """Count the text: call it only when a gateway call follows."""
        if not self.held:
            repository.add(
                db, delivery_id=self.delivery_id, number_hash=self.number_hash, session_id=self.session_id, sent_at=now
            )
            self.held = True


def place_for(
    db: Session, settings: NotifierSettings, *, phone: str, delivery_id: str, session_id: str, now: datetime
) -> Place | str:
    """A place for this delivery's text to ``phone``, or why there is none (the reason names no digit of it).

    Takes the number's lock, held until the transaction ends: the caller takes the place in the same one.
    """
    hashed = number_hash(settings.optout_hash_key, phone)
    repository.lock_number(db, hashed)
    if repository.counted(db, delivery_id):
        return Place(hashed, delivery_id, session_id, held=True)
    per_day, per_session = settings.sms_per_number_per_day, settings.sms_per_number_per_session
    if per_day and repository.count(db, hashed, since=now - DAY) >= per_day:
        return f"the number's limit of {per_day} texts a day (BRUG_SMS_PER_NUMBER_PER_DAY) was reached; not sent"
    if per_session and repository.count(db, hashed, session_id=session_id) >= per_session:
        return (
            f"the number's limit of {per_session} texts about one session (BRUG_SMS_PER_NUMBER_PER_SESSION) "
            "was reached; not sent"
        )
    return Place(hashed, delivery_id, session_id, held=False)


def forget(db: Session, now: datetime) -> int:
    """Delete the counts no cap needs: older than a day, of a session whose retention has run."""
    return repository.forget(db, now - DAY)
