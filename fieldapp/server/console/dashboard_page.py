"""The dashboard: this month's inspections by state and kind, open and overdue orders, the
last sync of each laptop, and conflicts waiting for review — for the user's provinces."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from fieldapp.server.console.access import page
from fieldapp.server.console.inspections_page import KINDS, STATES
from fieldapp.server.console.render import render
from fieldapp.server.queries.dashboard import dashboard
from fieldapp.server.queries.scoping import province_name


@page("dashboard", personal=True)
async def home(request: Request, who) -> Response:
    figures = await run_in_threadpool(dashboard, request.app.state.db, who)
    provinces = [province_name(code) for code in sorted(who.provinces)]
    return render(request, who, "dashboard.html", d=figures, states=STATES, kinds=KINDS,
                  provinces=provinces)
