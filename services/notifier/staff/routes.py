"""The coordinator's page on the notifier: per gateway, the messages waiting, retried, unconfirmed
and failed (notifier.staff.backlog: a gateway that answers nothing shows there, not as "nothing to
do"), failed deliveries (with a button to send one again), how many numbers opted out, SMS segments
sent per month.

GET  /staff                           → the deliveries page
GET  /staff/deliveries                the page (coordinators only; others get a page that says so)
POST /staff/deliveries/{id}/retry     send a failed delivery again (a form with a CSRF token)

The list and the retry are the deliveries API's own (``GET
/api/v1/deliveries?status=failed``, ``POST .../retry``): the same query, the
same rule that a message that was sent, or may have been, is never repeated.
A coordinator sees a delivery's course, never its address or text.
"""

from __future__ import annotations

from datetime import UTC, date
from typing import Annotated

from babel.dates import format_skeleton
from fastapi import APIRouter, Form
from fastapi.responses import Response

from notifier.deliveries import repository
from notifier.deliveries.admin import RETRYABLE, retry_delivery
from notifier.deliveries.models import DeliveryKind, DeliveryStatus
from notifier.deliveries.schemas import DeliveryPublic
from notifier.errors import DeliveryNotFound, NotRetryable
from notifier.optouts import repository as optouts
from notifier.staff.backlog import BUCKETS, GatewayBacklog, by_gateway
from shared.events import Channel, utcnow
from shared.pages import N_
from shared.pages.staff import StaffPage, StaffPageDep
from shared.unit_of_work import SessionDep

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

#: how many failed deliveries the page lists (newest first), as the API does by default.
LISTED = 100
ZONE = "Europe/Amsterdam"
KINDS: dict[str, str] = {
    DeliveryKind.CONFIRMATION: N_("Booking confirmed"),
    DeliveryKind.PROMOTED: N_("Place from the waiting list"),
    DeliveryKind.WAITLISTED: N_("On the waiting list"),
    DeliveryKind.REMINDER: N_("Reminder"),
    DeliveryKind.RESCHEDULED: N_("Session moved"),
    DeliveryKind.CANCELLED: N_("Session cancelled"),
    DeliveryKind.BOOKING_CANCELLED: N_("Booking cancelled"),
    DeliveryKind.FEEDBACK: N_("Feedback invitation"),
}
CHANNELS: dict[str, str] = {Channel.SMS: N_("SMS"), Channel.EMAIL: N_("E-mail")}
STATUSES: dict[str, str] = {DeliveryStatus.FAILED: N_("Failed"), DeliveryStatus.UNDELIVERED: N_("Not delivered")}
BUCKET_NAMES: dict[str, str] = {
    "scheduled": N_("Planned for later"),
    "waiting": N_("Waiting to be sent"),
    "retrying": N_("Being tried again"),
    "unconfirmed": N_("Unconfirmed"),
    "failed": N_("Failed"),
}


#: failed messages and retries are for coordinators.
COORDINATORS_ONLY = {
    "template": "notifier_staff/message.html",
    "heading": N_("For coordinators only"),
    "text": N_("Only a coordinator may see and resend messages. Ask a coordinator if a message did not arrive."),
}


@router.get("/staff")
def staff_home(staff: StaffPageDep) -> Response:
    return staff.redirect("/staff/deliveries")


@router.get("/staff/deliveries")
def deliveries_page(staff: StaffPageDep, db: SessionDep, retried: str | None = None) -> Response:
    refused = staff.refuse_unless("coordinator", **COORDINATORS_ONLY)
    if refused is not None:
        return refused
    failed = [DeliveryPublic.of(d) for status in RETRYABLE for d in repository.by_status(db, status, LISTED)]
    failed.sort(key=lambda d: d.created_at, reverse=True)
    months = repository.segments_by_month(db)
    backlog = by_gateway(repository.unsettled_by_gateway(db, utcnow()))
    return staff.render(
        "notifier_staff/deliveries.html",
        backlog=[_gateway(staff, b) for b in backlog],
        stuck=sum(b.stuck for b in backlog),
        failed=[_row(staff, d) for d in failed[:LISTED]],
        failed_total=repository.count_with_status(db, RETRYABLE),
        listed=LISTED,
        opt_outs=optouts.opt_out_count(db),
        months=[(_month_name(staff, m), n, s) for m, n, s in months],
        retried=bool(retried),
    )


@router.post("/staff/deliveries/{delivery_id}/retry")
def retry_page(
    delivery_id: str,
    staff: StaffPageDep,
    db: SessionDep,
    csrf: Annotated[str | None, Form()] = None,
) -> Response:
    staff.page.check_csrf(csrf)
    refused = staff.refuse_unless("coordinator", **COORDINATORS_ONLY)
    if refused is not None:
        return refused
    _ = staff.page.gettext
    try:
        retry_delivery(db, delivery_id)
    except DeliveryNotFound:
        return _message(
            staff,
            404,
            _("This message is not there any more"),
            _("It may have been deleted after the retention period."),
        )
    except NotRetryable:
        return _message(
            staff,
            409,
            _("This message is not sent again"),
            _("It was sent already, or may have been: sending it again could text someone twice."),
        )
    return staff.redirect(f"/staff/deliveries?retried={delivery_id}")


def _message(staff: StaffPage, status: int, heading: str, text: str) -> Response:
    return staff.render("notifier_staff/message.html", status=status, heading=heading, text=text)


def _row(staff: StaffPage, delivery: DeliveryPublic) -> dict[str, str]:
    _ = staff.page.gettext
    return {
        "id": delivery.id,
        "code": delivery.booking_code or "–",
        "channel": _(CHANNELS[delivery.channel]) if delivery.channel in CHANNELS else delivery.channel,
        "kind": _(KINDS[delivery.kind]) if delivery.kind in KINDS else delivery.kind,
        "status": _(STATUSES[delivery.status]) if delivery.status in STATUSES else delivery.status,
        "attempts": str(delivery.attempts),
        "error": delivery.last_error or "",
        "when": staff.page.when(delivery.created_at, ZONE),
    }


def _gateway(staff: StaffPage, backlog: GatewayBacklog) -> dict[str, object]:
    """One gateway's card: its name, each column's words and count, and when its oldest waiting was planned."""
    _ = staff.page.gettext
    oldest = backlog.oldest_waiting
    if oldest is not None and oldest.tzinfo is None:
        oldest = oldest.replace(tzinfo=UTC)  # SQLite gives back what it was given, without the zone
    return {
        "name": backlog.gateway or _("No gateway tried yet"),
        "counts": [(bucket, _(BUCKET_NAMES[bucket]), backlog.counts[bucket]) for bucket in BUCKETS],
        "oldest": staff.page.when(oldest, ZONE) if oldest is not None else None,
    }


def _month_name(staff: StaffPage, month: str) -> str:
    """``2026-11`` as "november 2026" in the page's language."""
    year, number = (int(part) for part in month.split("-"))
    return format_skeleton("yMMMM", date(year, number, 1), locale=staff.page.locale)
