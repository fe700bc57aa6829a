"""Administration: users. List them, add one, change a role and province grants, disable
or enable, and set a new password (which ends the user's laptop logins and console
sessions). The office is never left without an enabled administrator: the storage layer
refuses that change (auth.LastAdminError), and the page says why.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from fieldapp.core.errors import ValidationError
from fieldapp.core.provinces import PROVINCES, province_by_code
from fieldapp.server import audit, auth, web_sessions
from fieldapp.server.console import security
from fieldapp.server.console.access import page
from fieldapp.server.console.i18n import N_
from fieldapp.server.console.render import error_page, language, render

NAME_NEEDED = N_("A user needs a name (letters, digits, dot, dash or underscore; at most "
                 "64 characters).")
NAME_TAKEN = N_("There is already a user with this name.")
TOO_SHORT = N_("A password needs at least 8 characters.")
PASSWORDS_DIFFER = N_("The two passwords differ.")
BAD_ROLE = N_("Choose a role.")
BAD_PROVINCE = N_("Choose provinces from the list.")
LAST_ADMIN = N_("The office needs at least one enabled administrator. Add or enable another "
                "administrator first.")
NOT_YOURSELF = N_("You cannot disable your own account. Ask another administrator.")

# What a redirect after a change says (a fixed key in the URL, never text from it).
DONE = {
    "added": N_("The user was added."),
    "access": N_("The role and provinces were saved."),
    "disabled": N_("The account was disabled: the user is signed out of the console and "
                   "their laptops can no longer sync."),
    "enabled": N_("The account was enabled."),
    "password": N_("The new password was set. The user's console sessions and laptop logins "
                   "were ended; each laptop signs in again with the new password."),
}

NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-@")


LEADING_VOWELS = "เแโใไ"


def _thai_order(name: str) -> str:
    """Dictionary order of a Thai name: a leading vowel (เ แ โ ใ ไ) is written first but
    sorted after its consonant, so เชียงใหม่ comes among the ช."""
    return name[1] + name[0] + name[2:] if name[:1] in LEADING_VOWELS and len(name) > 1 \
        else name


def _provinces() -> list:
    return sorted(PROVINCES, key=lambda p: _thai_order(p.name_th))


def _province_label(code: str, lang: str) -> str:
    province = province_by_code(code)
    if province is None:
        return code
    return province.name_th if lang == "th" else province.name_en


def _picked_provinces(form) -> list[str] | None:
    """The province codes ticked in a form; None when one is not a province."""
    codes = [str(v) for v in form.getlist("province")][:100]
    if any(province_by_code(c) is None for c in codes):
        return None
    return sorted(set(codes))


@page("users.manage", personal=True)
async def users(request: Request, who) -> Response:
    return await _users_page(request, who)


async def _users_page(request: Request, who, status: int = 200, error: str | None = None,
                      form: dict | None = None) -> Response:
    rows = await run_in_threadpool(auth.list_users, request.app.state.db)
    done = DONE.get(request.query_params.get("done", "")) if status == 200 else None
    return render(request, who, "admin_users.html", status=status, rows=rows, error=error,
                  done=done, form=form or {"username": "", "role": "inspector",
                                           "provinces": []},
                  provinces=_provinces(), roles=auth.ROLES,
                  province_label=lambda code: _province_label(code, language(request)))


@page("users.manage", personal=True)
async def add_user(request: Request, who) -> Response:
    db = request.app.state.db
    form = await security.read_form(request)
    username = str(form.get("username") or "").strip()
    role = str(form.get("role") or "")
    password, again = str(form.get("password") or ""), str(form.get("again") or "")
    codes = _picked_provinces(form)
    kept = {"username": username[:64], "role": role, "provinces": codes or []}
    error = None
    if not username or len(username) > 64 or not set(username) <= NAME_CHARS:
        error = NAME_NEEDED
    elif role not in auth.ROLES:
        error = BAD_ROLE
    elif codes is None:
        error = BAD_PROVINCE
    elif len(password) < 8 or len(password) > 1000:
        error = TOO_SHORT
    elif password != again:
        error = PASSWORDS_DIFFER
    if error is None:
        try:
            user_id = await run_in_threadpool(auth.add_user, db, username, password, role)
        except ValidationError:
            error = NAME_TAKEN
    if error is not None:
        return await _users_page(request, who, 400, error, kept)
    await run_in_threadpool(auth.set_provinces, db, username, codes)
    await run_in_threadpool(
        audit.record, db, who, audit.CHANGE, f"/admin/users/{user_id}",
        f"added user {username} ({role}); provinces: {', '.join(codes) or 'none'}",
        security.address(request))
    return RedirectResponse("/admin/users?done=added", 303)


async def _target(request: Request) -> dict | None:
    user_id = request.path_params["user_id"][:64]
    return await run_in_threadpool(auth.user_by_id, request.app.state.db, user_id)


@page("users.manage", personal=True)
async def user(request: Request, who) -> Response:
    target = await _target(request)
    if target is None:
        return await error_page(request, who, 404)
    return _user_page(request, who, target)


def _user_page(request: Request, who, target: dict, status: int = 200,
               error: str | None = None) -> Response:
    done = DONE.get(request.query_params.get("done", "")) if status == 200 else None
    return render(request, who, "admin_user.html", status=status, user=target, error=error,
                  done=done, provinces=_provinces(), roles=auth.ROLES,
                  is_me=target["id"] == who.user_id,
                  province_label=lambda code: _province_label(code, language(request)))


@page("users.manage", personal=True)
async def set_access(request: Request, who) -> Response:
    """Role and province grants, saved together (one form)."""
    db = request.app.state.db
    target = await _target(request)
    if target is None:
        return await error_page(request, who, 404)
    form = await security.read_form(request)
    role = str(form.get("role") or "")
    codes = _picked_provinces(form)
    if role not in auth.ROLES:
        return _user_page(request, who, target, 400, BAD_ROLE)
    if codes is None:
        return _user_page(request, who, target, 400, BAD_PROVINCE)
    name = target["username"]
    try:
        before = await run_in_threadpool(auth.set_role, db, name, role)
    except auth.LastAdminError:
        return _user_page(request, who, target, 409, LAST_ADMIN)
    added, removed = await run_in_threadpool(auth.set_provinces, db, name, codes)
    changes = []
    if before != role:
        changes.append(f"role {before} -> {role}")
    if added:
        changes.append(f"provinces granted {', '.join(added)}")
    if removed:
        changes.append(f"provinces withdrawn {', '.join(removed)}")
    if changes:
        await run_in_threadpool(audit.record, db, who, audit.CHANGE,
                                f"/admin/users/{target['id']}",
                                f"user {name}: {'; '.join(changes)}", security.address(request))
    if target["id"] == who.user_id and role != "admin":
        return RedirectResponse("/", 303)   # no longer an administrator: this page is shut
    return RedirectResponse(f"/admin/users/{target['id']}?done=access", 303)


async def _set_disabled(request: Request, who, disabled: bool) -> Response:
    db = request.app.state.db
    target = await _target(request)
    if target is None:
        return await error_page(request, who, 404)
    if disabled and target["id"] == who.user_id:
        return _user_page(request, who, target, 409, NOT_YOURSELF)
    try:
        await run_in_threadpool(auth.set_disabled, db, target["username"], disabled)
    except auth.LastAdminError:
        return _user_page(request, who, target, 409, LAST_ADMIN)
    detail = f"{'disabled' if disabled else 'enabled'} user {target['username']}"
    if disabled:
        ended = await run_in_threadpool(web_sessions.end_all_of, db, target["id"],
                                        who.username)
        detail += f"; {ended} console session(s) ended"
    await run_in_threadpool(audit.record, db, who, audit.CHANGE, f"/admin/users/{target['id']}",
                            detail, security.address(request))
    return RedirectResponse(
        f"/admin/users/{target['id']}?done={'disabled' if disabled else 'enabled'}", 303)


@page("users.manage", personal=True)
async def disable(request: Request, who) -> Response:
    return await _set_disabled(request, who, True)


@page("users.manage", personal=True)
async def enable(request: Request, who) -> Response:
    return await _set_disabled(request, who, False)


@page("users.manage", personal=True)
async def reset_password(request: Request, who) -> Response:
    """The administrator sets a new password; the user's laptop logins and console sessions
    end (the old one may be known to someone else). Resetting one's own keeps this
    session."""
    db = request.app.state.db
    target = await _target(request)
    if target is None:
        return await error_page(request, who, 404)
    form = await security.read_form(request)
    new, again = str(form.get("password") or ""), str(form.get("again") or "")
    if len(new) < 8 or len(new) > 1000:
        return _user_page(request, who, target, 400, TOO_SHORT)
    if new != again:
        return _user_page(request, who, target, 400, PASSWORDS_DIFFER)
    revoked = await run_in_threadpool(auth.set_password, db, target["username"], new)
    keep = request.state.session.id if target["id"] == who.user_id else None
    ended = await run_in_threadpool(web_sessions.end_all_of, db, target["id"], who.username,
                                    keep)
    await run_in_threadpool(
        audit.record, db, who, audit.CHANGE, f"/admin/users/{target['id']}",
        f"set a new password for {target['username']}; {revoked} laptop login(s) revoked, "
        f"{ended} console session(s) ended", security.address(request))
    return RedirectResponse(f"/admin/users/{target['id']}?done=password", 303)
