"""The error base every service's errors derive from, and how it is rendered.

    BrugError                 4xx with {"error": <class name>, "detail": <what to do>}
    ├── NotFound              404
    ├── Conflict              409 (names the clash)
    ├── Invalid               422 (a rule, not a payload shape, was broken)
    └── Unavailable           503 (a dependency is down; try again)

Services subclass these (``SessionClash(Conflict)``) so the class name tells
a client what happened and ``detail`` tells a person what to do.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import JSONResponse

__all__ = ["BrugError", "NotFound", "Conflict", "Invalid", "Unavailable", "render_error"]


class BrugError(Exception):
    status_code = 400

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class NotFound(BrugError):
    status_code = 404


class Conflict(BrugError):
    status_code = 409


class Invalid(BrugError):
    status_code = 422


class Unavailable(BrugError):
    status_code = 503


async def render_error(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, BrugError)
    return JSONResponse({"error": type(error).__name__, "detail": error.detail}, status_code=error.status_code)
