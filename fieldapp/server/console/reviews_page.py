"""Review (docs/office-loop.md): the queue of finalized records awaiting review (รอตรวจทาน)
and those returned to their inspectors, and the approve / return / reopen forms of the
inspection page. Only a supervisor of the record's province or an administrator reviews;
anyone else gets "not found" for a record outside their provinces and "not allowed" for a
role that does not review."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from fieldapp.core.errors import NotFoundError, ValidationError
from fieldapp.server.console import security
from fieldapp.server.console.access import page
from fieldapp.server.console.inspection_page import REVIEW_STATES, show_inspection
from fieldapp.server.console.inspections_page import KINDS
from fieldapp.server.console.render import error_page, render
from fieldapp.server.loop.reviews import set_review
from fieldapp.server.queries.inspection_detail import inspection_detail
from fieldapp.server.queries.reviews import RETURNED, WAITING, review_queue
from fieldapp.server.queries.scoping import may_review

ACTIONS = {"approve": "approved", "return": "returned", "reopen": "reopened"}


@page("reviews.manage")
async def queue(request: Request, who) -> Response:
    which = RETURNED if request.query_params.get("show") == RETURNED else WAITING
    rows = await run_in_threadpool(review_queue, request.app.state.db, who, which)
    return render(request, who, "reviews.html", rows=rows, which=which, kinds=KINDS,
                  review_states=REVIEW_STATES)


@page("reviews.manage")
async def review(request: Request, who) -> Response:
    db = request.app.state.db
    inspection_id = request.path_params["inspection_id"]
    record = await run_in_threadpool(inspection_detail, db, who, inspection_id)
    if record is None or not may_review(who, record["province"]):
        return await error_page(request, who, 404)
    form = await security.read_form(request)
    state = ACTIONS.get(str(form.get("action") or ""))
    comment = str(form.get("comment") or "")[:4000]
    if state is None:
        return await error_page(request, who, 400)
    try:
        await run_in_threadpool(set_review, db, who, inspection_id, state, comment,
                                security.address(request))
    except (ValidationError, NotFoundError) as exc:
        # The loop's message is bilingual and safe to show; the comment stays in the form.
        return await show_inspection(request, who, 409, str(exc), comment)
    return RedirectResponse(f"/inspections/{inspection_id}?done={state}#review", 303)
