"""Every console route, in one list (the access-matrix test walks it)."""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from fieldapp.server.console import account, assets, sessions_page, verify_page


def routes() -> list[BaseRoute]:
    return [
        Route("/signin", account.signin_page, methods=["GET"]),
        Route("/signin", account.signin, methods=["POST"]),
        Route("/signout", account.signout, methods=["POST"]),
        Route("/account/password", account.password_page, methods=["GET"]),
        Route("/account/password", account.change_password, methods=["POST"]),
        Route("/lang/{lang}", account.set_language, methods=["GET"]),
        Route("/admin/sessions", sessions_page.sessions, methods=["GET"]),
        Route("/admin/sessions/{session_id}/end", sessions_page.end_session,
              methods=["POST"]),
        Route("/verify", verify_page.verify_form, methods=["GET"]),
        Route("/verify", verify_page.verify_upload, methods=["POST"]),
        *assets.mounts(),
    ]
