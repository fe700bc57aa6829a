"""Who may do what in the console: the ONE place for role rules, and the wrapper every
console route goes through (session, role, CSRF, audit of personal-data views).

Province scope is applied by the read layer (``fieldapp.server.queries``), which answers
"not found" for anything outside the caller's provinces: a page for another province's
record looks exactly like a page for a record that does not exist.
"""

from __future__ import annotations

import functools
import hmac
from collections.abc import Awaitable, Callable

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from fieldapp.server import audit, web_sessions
from fieldapp.server.auth import Principal
from fieldapp.server.console import security
from fieldapp.server.console.render import error_page
from fieldapp.server.console.rules import RULES, allowed

Handler = Callable[[Request, Principal], Awaitable[Response]]


def page(action: str, *, personal: bool = False) -> Callable[[Handler], Callable]:
    """Wrap a console handler ``(request, who)``: signed in (else to the sign-in page),
    allowed by ``RULES[action]`` (else 403), a POST carries the session's CSRF token and
    comes from this site; ``personal`` pages (names, phone numbers, signatures) are written
    to the audit log when shown."""
    if action not in RULES:
        raise ValueError(f"no access rule for {action!r}")

    def wrap(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
        @functools.wraps(handler)
        async def endpoint(request: Request) -> Response:
            db = request.app.state.db
            session = await run_in_threadpool(web_sessions.find, db,
                                              request.cookies.get(security.SESSION_COOKIE))
            if session is None:
                if request.method == "GET":
                    target = request.url.path + (f"?{request.url.query}"
                                                 if request.url.query else "")
                    return RedirectResponse(f"/signin?next={security.quote(target)}", 303)
                return await error_page(request, None, 401)
            request.state.session = session
            who = session.who
            if _has_nul(request):
                # No id, filter or search text of ours holds a NUL, and PostgreSQL refuses
                # one in any text: a request carrying it is malformed, never a 500.
                return await error_page(request, who, 400)
            if not allowed(who, action):
                return await error_page(request, who, 403)
            if request.method == "POST":
                if not security.same_origin(request):
                    return await error_page(request, who, 400, "csrf")
                form = await security.read_form(request)
                if form is None and security.too_large(request):
                    return await error_page(request, who, 413)
                sent = form.get("csrf") if form is not None else None
                if not isinstance(sent, str) or not hmac.compare_digest(
                        sent.encode(), session.csrf_token.encode()):
                    return await error_page(request, who, 400, "csrf")
            response = await handler(request, who)
            if personal and response.status_code in SHOWN:
                await run_in_threadpool(audit.record, db, who, audit.VIEW, _target(request),
                                        "", security.address(request))
            return response
        return endpoint
    return wrap


# A personal page is shown on 200, and again with the reason when an action on it is
# refused (400: what was typed is wrong; 409: the record changed meanwhile): each showing
# of the personal data on it is a view in the audit log. Error pages show none of it.
SHOWN = frozenset({200, 400, 409})


def _has_nul(request: Request) -> bool:
    return any("\x00" in value for value in request.path_params.values()) or any(
        "\x00" in key or "\x00" in value for key, value in request.query_params.multi_items())


def _target(request: Request) -> str:
    query = f"?{request.url.query}" if request.url.query else ""
    return request.url.path + query


def check_csrf(request: Request, sent: object, expected: str) -> bool:
    """A pre-session form (sign-in) compares its hidden field with its cookie."""
    return (isinstance(sent, str) and bool(expected)
            and hmac.compare_digest(sent.encode(), expected.encode()))
