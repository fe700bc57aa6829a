"""Signing in and out, changing one's own password, and the language switch."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from fieldapp.core.errors import ValidationError
from fieldapp.server import audit, auth, web_sessions
from fieldapp.server.console import security
from fieldapp.server.console.access import check_csrf, page
from fieldapp.server.console.i18n import LANGUAGES, N_
from fieldapp.server.console.render import error_page, render
from fieldapp.server.console.rules import home_of
from fieldapp.server.limits import Busy

SIGN_IN_REFUSED = N_("Wrong user name or password, or the account is disabled.")
TOO_MANY = N_("Too many failed tries. Wait a few minutes and try again.")
BUSY = N_("The server is busy checking other sign-ins. Try again in a moment.")


def _signin_form(request: Request, error: str | None = None, username: str = "",
                 status: int = 200) -> Response:
    token = security.new_token()
    response = render(request, None, "signin.html", status=status, error=error,
                      username=username, pre_csrf=token,
                      next=security.safe_next(request.query_params.get("next")) or "")
    security.set_cookie(response, request, security.PRE_COOKIE, token, max_age=3600)
    return response


async def signin_page(request: Request) -> Response:
    return _signin_form(request)


async def signin(request: Request) -> Response:
    db = request.app.state.db
    form = await security.read_form(request)
    if form is None or not security.same_origin(request) or not check_csrf(
            request, form.get("csrf"), request.cookies.get(security.PRE_COOKIE, "")):
        return await error_page(request, None, 400, "csrf")
    username = str(form.get("username") or "").strip()[:200]
    password = str(form.get("password") or "")[:1000]
    where = security.address(request)
    limiter = request.app.state.limiter
    keys = (f"user:{username}", f"addr:{where}")
    refusal = limiter.reserve(*keys)
    if refusal is not None:
        return _signin_form(request, BUSY if refusal.checking else TOO_MANY, username, 429)
    try:
        async with request.app.state.check_gate:
            user = await run_in_threadpool(auth.check_password, db, username, password)
    except Busy:
        limiter.release(*keys)
        return _signin_form(request, BUSY, username, 503)
    except auth.AuthError:
        limiter.failed(*keys)  # the try stays counted
        await run_in_threadpool(audit.record, db, None, audit.SIGN_IN_FAILED, "/signin",
                                "", where, username)
        return _signin_form(request, SIGN_IN_REFUSED, username, 401)
    except BaseException:
        limiter.release(*keys)  # not a wrong password: a crash or a cancelled request
        raise
    limiter.release(*keys)
    token, session_id = await run_in_threadpool(
        web_sessions.start, db, user["id"], where, request.headers.get("user-agent", ""))
    session = await run_in_threadpool(web_sessions.find, db, token)
    await run_in_threadpool(audit.record, db, session.who, audit.SIGN_IN, "/signin",
                            f"session {session_id}", where)
    target = security.safe_next(str(form.get("next") or "")) or home_of(session.who)
    response = RedirectResponse(target, 303)
    security.set_cookie(response, request, security.SESSION_COOKIE, token)
    security.clear_cookie(response, request, security.PRE_COOKIE)
    return response


@page("account")
async def signout(request: Request, who) -> Response:
    db = request.app.state.db
    session = request.state.session
    await run_in_threadpool(web_sessions.end, db, session.id, who.username)
    await run_in_threadpool(audit.record, db, who, audit.SIGN_OUT, "/signout",
                            f"session {session.id}", security.address(request))
    response = RedirectResponse("/signin", 303)
    security.clear_cookie(response, request, security.SESSION_COOKIE)
    return response


@page("account")
async def password_page(request: Request, who) -> Response:
    return render(request, who, "password.html", error=None, done=False)


PASSWORDS_DIFFER = N_("The two new passwords differ.")
WRONG_CURRENT = N_("The current password is wrong.")
TOO_SHORT = N_("A password needs at least 8 characters.")


@page("account")
async def change_password(request: Request, who) -> Response:
    db = request.app.state.db
    form = await security.read_form(request)
    current = str(form.get("current") or "")
    new, again = str(form.get("new") or ""), str(form.get("again") or "")
    error = None
    if new != again:
        error = PASSWORDS_DIFFER
    elif len(new) < 8 or len(new) > 1000:
        error = TOO_SHORT
    else:
        try:
            async with request.app.state.check_gate:
                await run_in_threadpool(auth.check_password, db, who.username, current)
        except (auth.AuthError, Busy):
            error = WRONG_CURRENT
    if error:
        return render(request, who, "password.html", status=400, error=error, done=False)
    try:
        await run_in_threadpool(auth.set_password, db, who.username, new)
    except ValidationError:
        return render(request, who, "password.html", status=400, error=TOO_SHORT, done=False)
    # Whoever else knew the old password is signed out everywhere but here.
    await run_in_threadpool(web_sessions.end_all_of, db, who.user_id, who.username,
                            request.state.session.id)
    await run_in_threadpool(audit.record, db, who, audit.CHANGE, "/account/password",
                            "changed own password", security.address(request))
    return render(request, who, "password.html", error=None, done=True)


async def set_language(request: Request) -> Response:
    """``/lang/en?next=/inspections``: remember the language in a cookie (not a secret, not a
    change to any data: a plain link is fine)."""
    lang = request.path_params["lang"]
    target = security.safe_next(request.query_params.get("next")) or "/"
    response = RedirectResponse(target, 303)
    if lang in LANGUAGES:
        response.set_cookie(security.LANG_COOKIE, lang, max_age=365 * 24 * 3600, path="/",
                            samesite="lax", secure=security.secure(request))
    return response
