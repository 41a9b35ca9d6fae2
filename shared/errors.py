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

from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel

__all__ = [
    "BrugError",
    "NotFound",
    "Conflict",
    "Invalid",
    "Unavailable",
    "render_error",
    "render_validation",
    "UNPROCESSABLE",
]


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


async def render_validation(_request: Request, error: Exception) -> JSONResponse:
    """FastAPI's 422 without what was sent: its default echoes each field's ``input`` (and ``ctx``), so a
    wrong password, a phone number or an address typed by a person came back in the answer, where a
    proxy, a browser's cache or an error tracker kept it. ``loc``, ``msg`` and ``type`` say what to fix."""
    assert isinstance(error, RequestValidationError)
    fields = [
        {"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))}
        for e in error.errors()
    ]
    return JSONResponse({"detail": fields}, status_code=422)


class ErrorBody(BaseModel):
    error: str
    detail: str


class FieldError(BaseModel):
    loc: list[str | int]
    msg: str
    type: str


class PayloadErrors(BaseModel):
    detail: list[FieldError]


#: a 422 is either FastAPI's list of payload errors or an Invalid rule's ErrorBody; OpenAPI says both,
#: so a client (and schemathesis' response check) knows the second shape too.
UNPROCESSABLE: dict[int | str, dict[str, Any]] = {
    422: {"description": "The payload does not fit, or a rule was broken", "model": PayloadErrors | ErrorBody}
}
