"""Conflicts for review: both values of a field two laptops changed at once; the reviewer
keeps the current value or takes the other, which then reaches every laptop by sync."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from fieldapp.core.errors import NotFoundError, ValidationError
from fieldapp.server import audit
from fieldapp.server.console import security
from fieldapp.server.console.access import page
from fieldapp.server.console.render import render
from fieldapp.server.queries.conflicts import KEEP, TAKE_LOST, list_conflicts, resolve_conflict


@page("conflicts.resolve", personal=True)
async def conflicts(request: Request, who) -> Response:
    everything = request.query_params.get("all") == "1"
    rows = await run_in_threadpool(list_conflicts, request.app.state.db, who, everything)
    return render(request, who, "conflicts.html", rows=rows, everything=everything,
                  keep=KEEP, take=TAKE_LOST, error=request.query_params.get("error"))


@page("conflicts.resolve")
async def resolve(request: Request, who) -> Response:
    db = request.app.state.db
    conflict_id = request.path_params["conflict_id"][:64]
    form = await security.read_form(request)
    choice = str(form.get("choice") or "")
    try:
        done = await run_in_threadpool(resolve_conflict, db, who, conflict_id, choice)
    except (NotFoundError, ValidationError) as exc:
        # The storage layer's message is bilingual and safe to show.
        return render(request, who, "conflicts.html", status=409,
                      rows=await run_in_threadpool(list_conflicts, db, who),
                      everything=False, keep=KEEP, take=TAKE_LOST, error=str(exc))
    await run_in_threadpool(
        audit.record, db, who, audit.CHANGE, f"/conflicts/{conflict_id}",
        f"{done['tbl']} {done['row_id']} field {done['field']}: chose the "
        f"{'other' if choice == TAKE_LOST else 'current'} value", security.address(request))
    return RedirectResponse("/conflicts", 303)
