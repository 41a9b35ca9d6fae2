"""The counts the coordinator's page shows that no existing query gives: SMS segments per month, opt-outs."""

from __future__ import annotations

from sqlalchemy import ColumnElement, func
from sqlmodel import Session, col, select

from notifier.deliveries.models import Delivery
from notifier.optouts.models import OptOut
from shared.db import is_sqlite

__all__ = ["segments_by_month", "opt_out_count", "count_with_status"]


def _month(db: Session) -> ColumnElement[str]:
    """``YYYY-MM`` of when an SMS was handed to a gateway (UTC), in each database's own words."""
    moment = func.coalesce(col(Delivery.attempted_at), col(Delivery.created_at))
    if is_sqlite(db.get_bind()):
        return func.strftime("%Y-%m", moment)
    return func.to_char(moment, "YYYY-MM")


def segments_by_month(db: Session, months: int = 12) -> list[tuple[str, int, int]]:
    """(month, SMS sent, segments billed) for the last ``months`` months with any, newest first.

    A delivery counts once it was handed to a gateway (it has segments then),
    whatever happened after: the gateway bills the segments either way.
    Deliveries whose recipient retention deleted still count.
    """
    month = _month(db).label("month")
    query = (
        select(month, func.count(), func.sum(Delivery.segments))
        .where(Delivery.channel == "sms", col(Delivery.segments) > 0)
        .group_by(month)
        .order_by(month.desc())
        .limit(months)
    )
    return [(str(m), int(n), int(s or 0)) for m, n, s in db.exec(query).all()]


def opt_out_count(db: Session) -> int:
    """How many numbers asked not to be texted (only their keyed hashes are kept)."""
    return int(db.exec(select(func.count()).select_from(OptOut)).one())


def count_with_status(db: Session, statuses: tuple[str, ...]) -> int:
    """How many deliveries have one of ``statuses`` (the page lists only the newest)."""
    query = select(func.count()).select_from(Delivery).where(col(Delivery.status).in_(statuses))
    return int(db.exec(query).one())
