"""The "keep this link" step: the booking page shows it once, right after registering.

The registration answers with a 303 to the booking page, so a reload asks for the booking page
again instead of offering to send the form once more. The 303 also sets a short-lived cookie that
only this booking's pages (path ``/b/<code>``) receive; the booking page shows the step while the
cookie is there and clears it, so a reload, or the link opened later, shows the booking alone. The
cookie holds the booking code, never the token: the code alone opens nothing.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response

__all__ = ["JUST_BOOKED", "mark", "just_booked", "forget"]

JUST_BOOKED = "brug_just_booked"
#: long enough for a slow connection to follow the redirect, short enough to be gone soon after.
MAX_AGE = 600


def _path(code: str) -> str:
    return f"/b/{code}"


def mark(response: Response, code: str, *, secure: bool) -> None:
    """Have the booking page show the step on its next load."""
    response.set_cookie(
        JUST_BOOKED, code, max_age=MAX_AGE, path=_path(code), httponly=True, samesite="strict", secure=secure
    )


def just_booked(request: Request, code: str) -> bool:
    return request.cookies.get(JUST_BOOKED) == code


def forget(response: Response, code: str, *, secure: bool) -> None:
    """The step was shown: not again."""
    response.delete_cookie(JUST_BOOKED, path=_path(code), httponly=True, samesite="strict", secure=secure)
