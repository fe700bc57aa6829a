"""The console's web defences: cookies, response headers (a Content-Security-Policy that
allows no inline script), same-origin checks for forms, and bounded form reading.

Nothing here decides who may do what (``access`` does); this module only makes the browser
and the request safe to talk to.
"""

from __future__ import annotations

import secrets
from urllib.parse import quote as _quote
from urllib.parse import urlsplit

from starlette.datastructures import FormData, MutableHeaders
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

SESSION_COOKIE = "fieldapp_session"
PRE_COOKIE = "fieldapp_signin"   # the sign-in form's CSRF token, before any session exists
LANG_COOKIE = "fieldapp_lang"

MAX_FORM_BYTES = 60 * 1024 * 1024   # the largest upload: a registry file
MAX_FIELDS = 500                    # a bulk form (assign many factories) stays below this

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
       "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
       "base-uri 'none'; object-src 'none'")
HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "cross-origin-opener-policy": "same-origin",
}


class SecurityHeaders:
    """ASGI middleware: the console's security headers on every response outside the sync
    API (``/v1``, JSON for laptops, keeps its own). Pages are never cached: they hold
    personal data, and a shared office PC's back button must not show them to the next
    person."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/v1"):
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    headers.setdefault(name, value)
                if not scope["path"].startswith("/static/"):
                    headers.setdefault("cache-control", "no-store")
            await send(message)

        await self.app(scope, receive, send_with_headers)


def secure(request: Request) -> bool:
    """Whether the browser reached us over TLS (cookies are then Secure)."""
    return request.url.scheme == "https"


def set_cookie(response: Response, request: Request, name: str, value: str,
               max_age: int | None = None) -> None:
    response.set_cookie(name, value, max_age=max_age, path="/", httponly=True,
                        secure=secure(request), samesite="lax")


def clear_cookie(response: Response, request: Request, name: str) -> None:
    response.delete_cookie(name, path="/", httponly=True, secure=secure(request),
                           samesite="lax")


def new_token() -> str:
    return secrets.token_urlsafe(32)


def same_origin(request: Request) -> bool:
    """A form post must come from a page of this site: browsers send Origin (or at least
    Referer) with a POST; one naming another host is a forged request. Neither header
    (some privacy tools strip both) leaves the CSRF token to decide."""
    source = request.headers.get("origin") or request.headers.get("referer")
    if not source or source == "null":
        return source != "null"
    host = request.headers.get("host", "")
    return urlsplit(source).netloc == host


async def read_form(request: Request) -> FormData | None:
    """The request's form, read once and bounded; None when it is too large or malformed
    (the caller answers 400)."""
    if hasattr(request.state, "form"):
        return request.state.form
    form = None
    # A browser always sends a form's length; a body without one (chunked) could be of any
    # size and is refused before a byte of it is read.
    raw = request.headers.get("content-length")
    try:
        length = int(raw) if raw is not None and raw.isascii() and raw.isdigit() \
            else MAX_FORM_BYTES + 1
    except ValueError:
        length = MAX_FORM_BYTES + 1
    if length <= MAX_FORM_BYTES:
        try:
            form = await request.form(max_files=20, max_fields=MAX_FIELDS)
        except Exception:  # noqa: BLE001 - any malformed body is the same 400 to the sender
            form = None
    if form is not None and any("\x00" in key or "\x00" in (
            value if isinstance(value, str) else value.filename or "")
            for key, value in form.multi_items()):
        # No field of ours (nor a file's name) holds a NUL, and PostgreSQL refuses one.
        form = None
    request.state.form = form
    return form


def too_large(request: Request) -> bool:
    """Whether the request says its body is over the console's limit (the page then says
    so, rather than that the form expired)."""
    try:
        return int(request.headers.get("content-length", "0") or 0) > MAX_FORM_BYTES
    except ValueError:
        return False


def address(request: Request) -> str:
    return request.client.host if request.client else ""


def quote(path: str) -> str:
    return _quote(path, safe="")


def safe_next(target: str | None) -> str | None:
    """A post-sign-in destination only if it is a path on this site (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") \
            or "\\" in target or any(ord(ch) < 32 for ch in target):
        return None
    return target
