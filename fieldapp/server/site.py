"""The whole office server as one ASGI app: the sync API (``/v1``, server/app.py) and the
office console (``/``, server/console/). ``fieldapp-server serve`` runs this; tests of the
sync API alone may still build ``create_app``.
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response

from fieldapp.server.app import create_app
from fieldapp.server.console.render import error_page
from fieldapp.server.console.routes import routes
from fieldapp.server.console.security import SecurityHeaders
from fieldapp.server.storage import Database


def create_site(db: Database, **options) -> Starlette:
    """The sync API and the console over one open, migrated database; ``options`` are
    ``create_app``'s."""
    app = create_app(db, **options)
    app.router.routes.extend(routes())
    api_http_error = app.exception_handlers[HTTPException]
    api_crash = app.exception_handlers[Exception]

    async def http_error(request: Request, exc: Exception) -> Response:
        if request.url.path.startswith("/v1") or request.url.path == "/openapi.json":
            return await api_http_error(request, exc)
        status = getattr(exc, "status_code", 400)
        return await error_page(request, None, status if status in (404, 405) else 400)

    async def crash(request: Request, exc: Exception) -> Response:
        answer = await api_crash(request, exc)  # logs it
        if request.url.path.startswith("/v1"):
            return answer
        return await error_page(request, None, 500)

    app.exception_handlers[HTTPException] = http_error
    app.exception_handlers[Exception] = crash
    app.user_middleware.insert(0, Middleware(SecurityHeaders))
    app.middleware_stack = None  # rebuilt with the headers on first request
    return app
