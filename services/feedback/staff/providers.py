"""Provider names for the report pages, asked of the scheduler (the feedback service knows only ids)."""

from __future__ import annotations

from urllib.parse import urlsplit

import httpx
import structlog

from shared.tls import client_context

__all__ = ["provider_names"]

log = structlog.get_logger("feedback.staff")

#: a page waits this long for the names, then shows ids: the report matters more than its label.
TIMEOUT_SECONDS = 3.0


def provider_names(jwks_url: str, token: str) -> dict[str, str]:
    """id → name of the providers the signed-in person may look up (``GET /api/v1/providers`` with
    their own token); empty when the scheduler cannot be asked, so the page shows ids instead."""
    parts = urlsplit(jwks_url)
    url = f"{parts.scheme}://{parts.netloc}/api/v1/providers"
    try:
        answer = httpx.get(
            url, headers={"Authorization": f"Bearer {token}"}, timeout=TIMEOUT_SECONDS, verify=client_context()
        )
        if answer.status_code != 200:
            return {}
        return {str(p["id"]): str(p["name"]) for p in answer.json() if isinstance(p, dict) and "id" in p}
    except (httpx.HTTPError, ValueError, KeyError, TypeError) as error:
        log.warning("feedback.staff.provider_names_unavailable", error=type(error).__name__)
        return {}
