"""Administration: laptop logins (devices). List them with their user, last sync and app
version; revoke one (a laptop lost, stolen or handed to another inspector)."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from fieldapp.core.errors import NotFoundError
from fieldapp.server import audit, auth
from fieldapp.server.console import security
from fieldapp.server.console.access import page
from fieldapp.server.console.i18n import N_
from fieldapp.server.console.render import error_page, render

REVOKED = N_("The login was revoked: that laptop must sign in again before it can sync.")


@page("devices.manage", personal=True)
async def devices(request: Request, who) -> Response:
    rows = await run_in_threadpool(auth.list_devices, request.app.state.db)
    show = request.query_params.get("show", "")
    shown = rows if show == "all" else [r for r in rows if not r["revoked"]]
    return render(request, who, "admin_devices.html", rows=shown, show_all=show == "all",
                  revoked_count=len(rows) - len([r for r in rows if not r["revoked"]]),
                  # The app version a laptop reports (schema V5); shown once the column is.
                  has_version=bool(rows) and "app_version" in rows[0],
                  done=REVOKED if request.query_params.get("done") == "revoked" else None)


@page("devices.manage")
async def revoke(request: Request, who) -> Response:
    db = request.app.state.db
    login_id = request.path_params["login_id"][:64]
    rows = await run_in_threadpool(auth.list_devices, db)
    row = next((r for r in rows if r["id"] == login_id), None)
    if row is None:
        return await error_page(request, who, 404)
    try:
        await run_in_threadpool(auth.revoke_device, db, login_id)
    except NotFoundError:
        return await error_page(request, who, 404)
    await run_in_threadpool(
        audit.record, db, who, audit.CHANGE, "/admin/devices",
        f"revoked login {login_id} of {row['username']} on device {row['device_id']}",
        security.address(request))
    return RedirectResponse("/admin/devices?done=revoked", 303)
