"""Administration: the console sessions that are signed in, and ending one."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from fieldapp.server import audit, web_sessions
from fieldapp.server.console import security
from fieldapp.server.console.access import page
from fieldapp.server.console.render import render


@page("sessions.manage", personal=True)
async def sessions(request: Request, who) -> Response:
    rows = await run_in_threadpool(web_sessions.live, request.app.state.db)
    return render(request, who, "admin_sessions.html", rows=rows,
                  mine=request.state.session.id)


@page("sessions.manage")
async def end_session(request: Request, who) -> Response:
    db = request.app.state.db
    session_id = request.path_params["session_id"][:64]
    if await run_in_threadpool(web_sessions.end, db, session_id, who.username):
        await run_in_threadpool(audit.record, db, who, audit.CHANGE, "/admin/sessions",
                                f"ended session {session_id}", security.address(request))
    return RedirectResponse("/admin/sessions", 303)
