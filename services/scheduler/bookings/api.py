"""HTTP routes for bookings; attendees need no account, their link carries a token.

These routes are ``async`` and run their work in the thread pool themselves,
so the response is serialised on the event loop. A plain ``def`` route is
serialised in the thread pool *before* its transaction (SessionDep) commits: with
more concurrent registrations than pool threads (40), every thread then waits
for the session lock (or a pooled connection) that a finished request holds
while it waits for a thread to serialise its answer, until the lock times out
and the waiting requests fail (measured: 40 of 60 at once got 500 after 30 s).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Query, Request, Response, status
from fastapi.concurrency import run_in_threadpool

from scheduler.bookings import cancellation, challenge, service
from scheduler.bookings.schemas import BookingCreate, BookingCreated, BookingPublic, RegistrationChallenge
from scheduler.deps import BookingLinkLimit, MaybeStaff, RegistrationLimit, SessionRegistrationLimit, SettingsDep
from shared import audit
from shared.auth import Unauthenticated, ensure_role
from shared.errors import ErrorBody
from shared.unit_of_work import SessionDep, UnitOfWork
from shared.web import runtime_of

router = APIRouter(prefix="/api/v1", tags=["bookings"])

IdempotencyKey = Annotated[
    str | None,
    Header(
        min_length=8,
        max_length=200,
        description="Any unique string (e.g. a UUID) per registration; a retry with the same key and body "
        "gets the first answer again, for a day.",
    ),
]
Token = Annotated[str, Query(min_length=16, max_length=128)]


@router.post(
    "/sessions/{session_id}/bookings",
    status_code=status.HTTP_201_CREATED,
    dependencies=[RegistrationLimit, SessionRegistrationLimit],
    responses={428: {"model": ErrorBody, "description": "The session is flooded: send a solved challenge"}},
)
async def create_booking(
    session_id: str,
    data: BookingCreate,
    request: Request,
    settings: SettingsDep,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> BookingCreated:
    """The busiest route: the contact is sealed first, on the event loop (no lock held); then its
    transaction runs whole in one pool thread, after the process's other SQLite writers
    (shared.unit_of_work's group commit)."""
    ready = service.prepare(data, settings)
    runtime = runtime_of(request)
    code, answer = await UnitOfWork(runtime.engine, relay=runtime.relay).run(
        lambda db: service.book(db, session_id, ready, settings, idempotency_key)
    )
    response.status_code = code
    return answer


@router.get("/sessions/{session_id}/challenge", responses={404: {"model": ErrorBody}})
async def registration_challenge(session_id: str, db: SessionDep, settings: SettingsDep) -> RegistrationChallenge:
    """A proof-of-work challenge (ALTCHA v2) for registering for this session. A registration needs one
    only while the session is flooded (428 ChallengeRequired says so); it works once, for ten minutes."""
    found = await run_in_threadpool(challenge.for_session, db, session_id, settings)
    return RegistrationChallenge.model_validate(found)


@router.get("/bookings/{code}", dependencies=[BookingLinkLimit])
async def get_booking(code: str, db: SessionDep, token: Token, settings: SettingsDep) -> BookingPublic:
    return await run_in_threadpool(service.get_booking, db, code, token, settings)


@router.post("/bookings/{code}/cancel", dependencies=[BookingLinkLimit])
async def cancel_booking(
    code: str,
    db: SessionDep,
    staff: MaybeStaff,
    settings: SettingsDep,
    token: Annotated[str | None, Query(min_length=16, max_length=128)] = None,
) -> BookingPublic:
    """With the booking's ``token`` (its secret link), or as a coordinator without one.

    Frees the seat; the first on the waitlist gets it at once."""
    if token is not None:
        return await run_in_threadpool(cancellation.cancel_by_link, db, code, token)
    if staff is None:
        raise Unauthenticated("Give the booking's token (?token=... from its link), or sign in as a coordinator.")
    ensure_role(staff, "coordinator")
    cancelled = await run_in_threadpool(cancellation.cancel_by_staff, db, code)
    audit.record(
        db,
        staff,
        "booking.cancelled",
        booking=audit.booking_ref(cancelled.code, settings.audit_hash_secret),
        session_id=cancelled.session_id,
    )
    return cancelled
