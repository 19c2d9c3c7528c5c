"""The coordinator's web view: sign-in, the year at a glance, the organisation, answers,
incidents and campaigns (docs/coordinator.md). `install(app)` adds it to the portal app."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse

from portal.coordinator import auth


def install(app: FastAPI) -> None:
    """Add the web view's routes and the handlers of its own refusals to `app`."""
    from portal.coordinator import (
        answers_routes,
        campaign_routes,
        incident_routes,
        oidc,
        org_routes,
        signin_routes,
        year_routes,
    )
    from portal.coordinator.render import message
    from portal.coordinator.texts import text

    # oidc before signin_routes: /logga-in/oidc must not be taken for a link token
    for module in (oidc, signin_routes, year_routes, answers_routes, org_routes, incident_routes,
                   campaign_routes):
        app.include_router(module.router)

    @app.exception_handler(auth.NotSignedIn)
    def not_signed_in(request: Request, exc: auth.NotSignedIn):
        return RedirectResponse("/logga-in", status_code=303)

    @app.exception_handler(auth.NotAllowed)
    def not_allowed(request: Request, exc: auth.NotAllowed):
        lang = auth.language()
        return message(lang, "forbidden", 403, link=("/oversikt", text("back", lang)))

    @app.exception_handler(auth.CrossSite)
    def cross_site(request: Request, exc: auth.CrossSite):
        return message(auth.language(), "cross_site", 403)

    @app.exception_handler(auth.NotFound)
    def not_found(request: Request, exc: auth.NotFound):
        return message(auth.language(), "not_found", 404)
