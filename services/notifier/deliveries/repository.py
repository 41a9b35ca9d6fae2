"""Queries on deliveries."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Boolean, ColumnElement, DateTime, and_, bindparam, case, delete, func, or_, text
from sqlmodel import Session, col, select

from notifier.deliveries.models import Delivery, DeliveryStatus
from shared.db import is_sqlite
from shared.events import Channel

__all__ = [
    "unsettled_by_gateway",
    "id_of_key",
    "delete_pending",
    "by_gateway_ref",
    "due",
    "sms_attempted_since",
    "lock_sms_cap",
    "by_status",
    "counts",
    "invite_sent",
    "sms_under_way",
    "segments_by_month",
    "count_with_status",
    "insert_planned",
    "mark_sent",
]

#: an arbitrary constant naming the advisory lock around the SMS cap.
_SMS_CAP_LOCK = 727_001

_PLAN = text(
    f"INSERT INTO {Delivery.__tablename__} (id, idempotency_key, booking_code, session_id, channel, kind, status, "
    "due_at, attempts, segments, in_doubt, created_at) VALUES (:id, :key, :code, :session_id, :channel, :kind, "
    ":status, :due_at, 0, 0, :in_doubt, :now) ON CONFLICT (idempotency_key) DO NOTHING RETURNING id"
).bindparams(
    bindparam("due_at", type_=DateTime), bindparam("now", type_=DateTime), bindparam("in_doubt", False, type_=Boolean)
)
_SENT = text(
    f"UPDATE {Delivery.__tablename__} SET status = :sent, gateway = :gateway, gateway_ref = :ref, "
    "segments = :segments, in_doubt = false, claimed_at = NULL, last_error = NULL "
    "WHERE id = :id AND status = :sending AND attempts = :attempts"
)


def by_gateway_ref(db: Session, gateway: str, ref: str) -> Delivery | None:
    """The delivery ``gateway`` knows as ``ref``, locked for the update that follows (PostgreSQL)."""
    query = select(Delivery).where(Delivery.gateway == gateway, Delivery.gateway_ref == ref).with_for_update()
    return db.exec(query).first()


def due(
    db: Session, now: datetime, stale_before: datetime, limit: int, *, sms: bool | None = None, lock: bool = True
) -> list[Delivery]:
    """Pending deliveries that are due, and claims abandoned by a process that died.

    ``sms`` narrows them to SMS (True) or everything else (False). Locked with
    SKIP LOCKED on PostgreSQL so two notifiers never claim the same row;
    SQLite's BEGIN IMMEDIATE already lets only one claim at a time.
    """
    if limit <= 0:
        return []
    query = select(Delivery).where(
        or_(
            and_(col(Delivery.status) == DeliveryStatus.PENDING, col(Delivery.due_at) <= now),
            and_(col(Delivery.status) == DeliveryStatus.SENDING, col(Delivery.claimed_at) < stale_before),
        )
    )
    if sms is not None:
        query = query.where((Delivery.channel == Channel.SMS) if sms else (Delivery.channel != Channel.SMS))
    query = query.order_by(col(Delivery.due_at)).limit(limit)
    if lock and not is_sqlite(db.get_bind()):
        query = query.with_for_update(skip_locked=True)
    return list(db.exec(query).all())


def id_of_key(db: Session, idempotency_key: str) -> str:
    """The id of the delivery planned under ``idempotency_key`` (which must exist)."""
    return db.exec(select(Delivery.id).where(Delivery.idempotency_key == idempotency_key)).one()


def delete_pending(
    db: Session, *, session_id: str | None = None, booking_code: str | None = None, kinds: Iterable[str] | None = None
) -> int:
    """Delete pending deliveries (not in doubt) of a session or a booking, optionally of some kinds only;
    how many. One statement, rows not objects.

    ORM objects of them loaded earlier in this transaction would not learn of it: the event handlers
    that withdraw never load deliveries as objects (planning inserts rows too)."""
    query = delete(Delivery).where(col(Delivery.status) == DeliveryStatus.PENDING, col(Delivery.in_doubt).is_(False))
    if session_id is not None:
        query = query.where(col(Delivery.session_id) == session_id)
    if booking_code is not None:
        query = query.where(col(Delivery.booking_code) == booking_code)
    if kinds is not None:
        query = query.where(col(Delivery.kind).in_(list(kinds)))
    return int(db.exec(query.execution_options(synchronize_session=False)).rowcount)


def refs_since(db: Session, gateway: str, since: datetime) -> set[str]:
    """The references ``gateway`` gave for messages attempted since ``since``."""
    query = select(Delivery.gateway_ref).where(
        Delivery.gateway == gateway, col(Delivery.gateway_ref).is_not(None), col(Delivery.attempted_at) >= since
    )
    return {ref for ref in db.exec(query).all() if ref}


def sms_attempted_since(db: Session, since: datetime) -> int:
    """SMS handed to a gateway since ``since``, or claimed for it; each delivery counts once."""
    attempted = and_(col(Delivery.attempted_at).is_not(None), col(Delivery.attempted_at) >= since)
    claimed = and_(col(Delivery.status) == DeliveryStatus.SENDING, col(Delivery.claimed_at) >= since)
    query = select(func.count()).select_from(Delivery).where(Delivery.channel == Channel.SMS, or_(attempted, claimed))
    return int(db.exec(query).one())


def lock_sms_cap(db: Session) -> None:
    """Serialise the cap's count-and-claim between notifiers (PostgreSQL; SQLite is serial already)."""
    if not is_sqlite(db.get_bind()):
        db.execute(text("SELECT pg_advisory_xact_lock(:key)").bindparams(key=_SMS_CAP_LOCK))


def by_status(db: Session, status: str, limit: int) -> list[Delivery]:
    query = select(Delivery).where(Delivery.status == status).order_by(col(Delivery.created_at).desc()).limit(limit)
    return list(db.exec(query).all())


def counts(db: Session) -> list[tuple[str, str, str, int, int, int]]:
    """(channel, kind, status, deliveries, of them blanked by retention, segments), every delivery ever made."""
    blanked = func.sum(case((col(Delivery.booking_code) == "", 1), else_=0))
    query = (
        select(  # type: ignore[call-overload]  # SQLModel's select() is typed for at most four columns
            Delivery.channel, Delivery.kind, Delivery.status, func.count(), blanked, func.sum(Delivery.segments)
        )
        .group_by(Delivery.channel, Delivery.kind, Delivery.status)
        .order_by(Delivery.channel, Delivery.kind, Delivery.status)
    )
    return [(c, k, s, int(n), int(b or 0), int(g or 0)) for c, k, s, n, b, g in db.exec(query).all()]


def invite_sent(db: Session, booking_code: str, *, kinds: Iterable[str]) -> bool:
    """An e-mail of ``kinds`` to this booking that went out, or may have (claimed, in doubt)."""
    unsent = (DeliveryStatus.PENDING, DeliveryStatus.SKIPPED, DeliveryStatus.FAILED)
    query = select(Delivery.id).where(
        Delivery.booking_code == booking_code,
        Delivery.channel == Channel.EMAIL,
        col(Delivery.kind).in_(list(kinds)),
        or_(col(Delivery.status).not_in(unsent), col(Delivery.in_doubt).is_(True)),
    )
    return db.exec(query.limit(1)).first() is not None


def sms_under_way(db: Session, claimed_since: datetime, among: Iterable[str] | None = None) -> dict[str, int]:
    """SMS claimed since ``claimed_since`` whose gateway call may be under way, ``among`` these ids:
    id → attempt number (the same id claimed again later is another send, so callers compare both).

    A call may be under way once its attempt is recorded (``in_doubt``), which the opt-out check's
    transaction does. The first look (no ``among``) reads under a share lock on PostgreSQL: a
    preparation that has read the opt-outs still holds its row, and what it commits must be seen
    here, where READ COMMITTED alone would show the row as it was before.
    """
    query = select(Delivery.id, Delivery.attempts, Delivery.in_doubt).where(
        Delivery.channel == Channel.SMS,
        Delivery.status == DeliveryStatus.SENDING,
        col(Delivery.claimed_at) >= claimed_since,
    )
    if among is not None:
        query = query.where(col(Delivery.id).in_(list(among)))
    elif not is_sqlite(db.get_bind()):
        query = query.with_for_update(read=True)
    return {delivery_id: attempts for delivery_id, attempts, in_doubt in db.exec(query).all() if in_doubt}


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
        .where(Delivery.channel == Channel.SMS, col(Delivery.segments) > 0)
        .group_by(month)
        .order_by(month.desc())
        .limit(months)
    )
    return [(str(m), int(n), int(s or 0)) for m, n, s in db.exec(query).all()]


#: the statuses of a delivery that has not arrived, or not for certain (the Messages page's backlog).
UNSETTLED = (
    DeliveryStatus.PENDING,
    DeliveryStatus.SENDING,
    DeliveryStatus.UNCONFIRMED,
    DeliveryStatus.FAILED,
    DeliveryStatus.UNDELIVERED,
)


def unsettled_by_gateway(db: Session, now: datetime) -> list[tuple[str, str, bool, bool, int, datetime]]:
    """(gateway or "", status, tried before, due by ``now``, deliveries, the oldest one's creation) for
    every delivery not known to have arrived: counts only, no recipient, code or text."""
    tried = case((col(Delivery.attempts) > 0, 1), else_=0).label("tried")
    due = case((col(Delivery.due_at) <= now, 1), else_=0).label("due")
    gateway = func.coalesce(col(Delivery.gateway), "").label("gateway")
    query = (
        select(  # type: ignore[call-overload]  # SQLModel's select() is typed for at most four columns
            gateway, Delivery.status, tried, due, func.count(), func.min(Delivery.created_at)
        )
        .where(col(Delivery.status).in_(UNSETTLED))
        .group_by(gateway, Delivery.status, tried, due)
    )
    return [(str(g), str(s), bool(t), bool(d), int(n), o) for g, s, t, d, n, o in db.exec(query).all()]


def count_with_status(db: Session, statuses: tuple[str, ...]) -> int:
    """How many deliveries have one of ``statuses`` (the page lists only the newest)."""
    query = select(func.count()).select_from(Delivery).where(col(Delivery.status).in_(statuses))
    return int(db.exec(query).one())


def insert_planned(db: Session, values: dict[str, object]) -> str | None:
    """Insert a pending delivery (``values`` as :data:`_PLAN` names them); its id, or None when a delivery
    under its idempotency key was planned already. One prepared INSERT (deliveries.service.plan)."""
    planned: str | None = db.execute(_PLAN, values).scalar()
    return planned


def mark_sent(db: Session, delivery_id: str, attempts: int, gateway: str, ref: str, segments: int) -> bool:
    """``sent`` by ``gateway`` as ``ref`` in one conditional UPDATE, without loading the row; False when
    the claim (still ``sending``, on attempt ``attempts``) no longer holds."""
    still_held = db.execute(
        _SENT,
        {
            "id": delivery_id,
            "attempts": attempts,
            "sending": DeliveryStatus.SENDING,
            "sent": DeliveryStatus.SENT,
            "gateway": gateway,
            "ref": ref,
            "segments": segments,
        },
    )
    return bool(still_held.rowcount == 1)  # type: ignore[attr-defined]  # an UPDATE's Result is a CursorResult, which has rowcount
