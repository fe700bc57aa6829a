"""Every console route, in one list (the access-matrix test walks it)."""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from fieldapp.server.console import (
    account,
    assets,
    audit_page,
    conflicts_page,
    dashboard_page,
    devices_page,
    factories_page,
    inspection_page,
    inspections_page,
    registry_page,
    sessions_page,
    templates_page,
    users_page,
    verify_page,
)


def routes() -> list[BaseRoute]:
    return [
        Route("/signin", account.signin_page, methods=["GET"]),
        Route("/signin", account.signin, methods=["POST"]),
        Route("/signout", account.signout, methods=["POST"]),
        Route("/account/password", account.password_page, methods=["GET"]),
        Route("/account/password", account.change_password, methods=["POST"]),
        Route("/lang/{lang}", account.set_language, methods=["GET"]),
        Route("/", dashboard_page.home, methods=["GET"]),
        Route("/factories", factories_page.factories, methods=["GET"]),
        Route("/factories/{factory_id}", factories_page.factory, methods=["GET"]),
        Route("/conflicts", conflicts_page.conflicts, methods=["GET"]),
        Route("/conflicts/{conflict_id}/resolve", conflicts_page.resolve, methods=["POST"]),
        Route("/inspections", inspections_page.inspections, methods=["GET"]),
        Route("/inspections/export.{format}", inspections_page.export, methods=["GET"]),
        Route("/inspections/{inspection_id}", inspection_page.inspection, methods=["GET"]),
        Route("/inspections/{inspection_id}/form.pdf", inspection_page.printed_form,
              methods=["GET"]),
        Route("/inspections/{inspection_id}/attachments/{sha256}", inspection_page.attachment,
              methods=["GET"]),
        Route("/admin/sessions", sessions_page.sessions, methods=["GET"]),
        Route("/admin/sessions/{session_id}/end", sessions_page.end_session,
              methods=["POST"]),
from fieldapp.server.console import (
    verify_page,
)
        *assets.mounts(),
    ]
