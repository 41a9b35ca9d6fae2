"""Server-rendered pages on one shared look: templates, CSS, icons, locale, CSRF, headers.

A service mounts its page routers with :func:`install` (in its app factory)
and renders through :class:`Page` (the ``PageDep`` dependency):

.. code-block:: python

    @router.get("/s/{session_id}")
    def session_page(session_id: str, page: PageDep) -> HTMLResponse:
        return page.render("session.html", title=..., form=...)

Every page is in the request's locale (``?lang=``, then the ``brug_lang``
cookie, then ``Accept-Language``), sets ``<html lang dir>``, carries a
language switcher that keeps the page, and, on attendee pages, a quick-exit
link. Every form that changes state carries a signed double-submit CSRF
token (:mod:`shared.pages.security`); every HTML response carries a strict
Content-Security-Policy and no referrer; static files are served from
``/static`` by each service, so no page makes a request to a third party.
"""

from shared.pages.kit import N_, Page, PageDep, PageKit, install
from shared.pages.security import CsrfFailed

__all__ = ["install", "Page", "PageDep", "PageKit", "CsrfFailed", "N_"]
