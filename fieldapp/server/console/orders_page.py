"""Corrective orders (docs/office-loop.md): the list of the caller's provinces, overdue
first, with its filters, a page at a time; one order with its photos and history; the office's actions on it
(reported done, verified, responsible person, escalation, a follow-up plan of the factory's
orders) and the escalation letter as PDF. Supervisors of the province and administrators
only; an order elsewhere is "not found"."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from fieldapp.core.errors import FieldAppError, NotFoundError, ValidationError
from fieldapp.core.thaidate import BE_YEARS_FROM
from fieldapp.server import audit, blobs
from fieldapp.server.console import security
from fieldapp.server.console.access import page
from fieldapp.server.console.date_fields import (
    TYPED_LIMIT,
    day_text,
    filter_day,
    filter_warning,
)
from fieldapp.server.console.i18n import N_
from fieldapp.server.console.inspection_page import image_response
from fieldapp.server.console.render import error_page, render
from fieldapp.server.loop import letters
from fieldapp.server.loop import orders as actions
from fieldapp.server.loop.settings import office_today
from fieldapp.server.printed_form import settings_from_environment
from fieldapp.server.queries.orders import (
    STATUS_FILTERS,
    OrderFilter,
    in_force_of_factory,
    order_detail,
    search_orders,
)
from fieldapp.server.queries.paging import MAX_PER_PAGE, number

STATUSES = {"open": N_("Open"), "reported_done": N_("Reported done"),
            "verified": N_("Verified"), "escalated": N_("Escalated"),
            "cancelled": N_("Cancelled"), "overdue": N_("Overdue")}
RESULTS = {"corrected": N_("Corrected"), "partly": N_("Partly corrected"),
           "not_corrected": N_("Not corrected")}
DONE = {"reported_done": N_("The order is marked as reported done by the factory."),
        "verified": N_("The order is marked as verified."),
        "responsible": N_("The responsible person was saved."),
        "escalated": N_("The order was escalated. Print the letter with the button above."),
        "planned": N_("The follow-up inspection was planned; it reaches the inspector's "
                      "laptop on the next sync.")}
NOT_PRINTABLE = N_("The letter cannot be printed")


def _iso(text: str | None) -> str | None:
    day = filter_day(text)[0]    # typed in the Buddhist era (console/date_fields.py)
    return day.isoformat() if day else None


def _shown(iso: str | None) -> str | None:
    """A bound for a link: ISO, unless its year is past 2400, which would read back as of
    the Buddhist era (console/date_fields.py); then as its field shows it."""
    day = date.fromisoformat(iso) if iso else None
    return day_text(day) if day and day.year > BE_YEARS_FROM else iso


def filter_from(request: Request) -> OrderFilter:
    q = request.query_params
    return OrderFilter(
        deadline_from=_iso(q.get("from")), deadline_to=_iso(q.get("to")),
        district=(q.get("district") or "")[:100] or None,
        inspector=(q.get("inspector") or "")[:64] or None,
        status=q.get("status") if q.get("status") in STATUS_FILTERS else None,
        factory_id=(q.get("factory") or "")[:64] or None,
        page=number(q.get("page"), 1, 1, 10**6),
        per_page=number(q.get("per_page"), 50, 1, MAX_PER_PAGE))


def list_url(f: OrderFilter, page: int) -> str:
    """The list with filter ``f`` at ``page`` (the pager's links: from the filter, not the
    request, which is the follow-up form's post when its refusal shows the list)."""
    params = {"from": _shown(f.deadline_from), "to": _shown(f.deadline_to),
              "district": f.district,
              "inspector": f.inspector, "status": f.status, "factory": f.factory_id,
              "per_page": f.per_page if f.per_page != 50 else None, "page": page}
    return "/orders?" + urlencode({k: v for k, v in params.items() if v})


@page("orders.read")
async def orders(request: Request, who) -> Response:
    return await _list(request, who, filter_from(request),
                       error=filter_warning(request.query_params, "from", "to"))


async def _list(request: Request, who, f: OrderFilter, status: int = 200,
                error: str | None = None, form: dict | None = None) -> Response:
    db = request.app.state.db
    found, choices = await run_in_threadpool(search_orders, db, who, f)
    planning = None
    if f.factory_id:
        planning = await _planning(db, who, f.factory_id)
    return render(request, who, "orders.html", status=status, found=found, f=f,
                  choices=choices, statuses=STATUSES, results=RESULTS,
                  planning=planning, today=office_today().isoformat(),
                  done=DONE.get(request.query_params.get("done", "")) if status == 200
                  else None, error=error, form=form or {},
                  page_url=lambda n: list_url(f, n))


async def _planning(db, who, factory_id: str) -> dict | None:
    """What the follow-up form of a factory needs: its orders in force and who can go."""
    in_force = await run_in_threadpool(in_force_of_factory, db, who, factory_id)
    if not in_force:
        return None
    people = await run_in_threadpool(actions.assignees, db, in_force[0]["province"])
    return {"factory_id": factory_id, "orders": in_force, "people": people,
            "factory_name": in_force[0]["factory_name"]}


@page("orders.read", personal=True)
async def order(request: Request, who) -> Response:
    return await _show(request, who)


async def _show(request: Request, who, status: int = 200, error: str | None = None,
                form: dict | None = None) -> Response:
    db = request.app.state.db
    found = await run_in_threadpool(order_detail, db, who, request.path_params["order_id"])
    if found is None:
        return await error_page(request, who, 404)
    planning = await _planning(db, who, found["factory_id"]) if found["factory_id"] else None
    form = form or {}
    # A note typed in a form the order's new state no longer offers (another supervisor
    # verified it meanwhile): shown to copy, never put in another form.
    offered = {"reported_done": found["status"] == "open",
               "verified": found["status"] not in actions.CLOSED,
               "escalated": actions.may_escalate(found)}
    unsaved = form.get("note") if not offered.get(form.get("action"), True) else None
    return render(request, who, "order.html", status=status, o=found, statuses=STATUSES,
                  results=RESULTS, error=error, form=form, planning=planning,
                  unsaved=unsaved, may_escalate=actions.may_escalate(found),
                  done=DONE.get(request.query_params.get("done", "")) if status == 200
                  else None, today=office_today().isoformat())


async def _act(request: Request, who, action, done: str, **fields) -> Response:
    """Run one action on the order of the path; its refusal re-shows the page with the
    reason and what was typed."""
    db = request.app.state.db
    order_id = request.path_params["order_id"]
    form = await security.read_form(request)
    values = {name: str(form.get(name) or "")[:2000] for name in fields}
    try:
        await run_in_threadpool(action, db, who, order_id, *values.values(),
                                address=security.address(request))
    except NotFoundError:
        return await error_page(request, who, 404)
    except ValidationError as exc:
        # ``action``: which form the note was typed in, so it comes back in that one.
        return await _show(request, who, 409, str(exc), {**values, "action": done})
    return RedirectResponse(f"/orders/{order_id}?done={done}", 303)


@page("orders.manage")
async def reported_done(request: Request, who) -> Response:
    return await _act(request, who, actions.report_done, "reported_done", note=True)


@page("orders.manage")
async def verified(request: Request, who) -> Response:
    return await _act(request, who, actions.verify, "verified", note=True)


@page("orders.manage")
async def responsible(request: Request, who) -> Response:
    return await _act(request, who, actions.set_responsible, "responsible", responsible=True)


@page("orders.manage")
async def escalate(request: Request, who) -> Response:
    return await _act(request, who, actions.escalate, "escalated", note=True)


@page("orders.manage")
async def plan_follow_up(request: Request, who) -> Response:
    """A follow-up plan of one factory's orders in force, from an order's page (back there)
    or from the list filtered to the factory (back to it)."""
    db = request.app.state.db
    form = await security.read_form(request)
    factory_id = str(form.get("factory_id") or "")[:64]
    back = str(form.get("order_id") or "")[:64]
    planned_on = str(form.get("planned_on") or "")[:TYPED_LIMIT]
    try:
        await run_in_threadpool(
            actions.plan_follow_up, db, who, factory_id, str(form.get("assignee") or "")[:64],
            planned_on, str(form.get("note") or "")[:2000],
            address=security.address(request))
    except (ValidationError, NotFoundError) as exc:
        # What was typed comes back in the follow-up form (only there: ``plan_note``).
        kept = {"planned_on": planned_on,
                "plan_note": str(form.get("note") or "")[:2000],
                "assignee": str(form.get("assignee") or "")[:64]}
        if back:
            request.path_params["order_id"] = back
            return await _show(request, who, 409, str(exc), kept)
        return await _list(request, who, OrderFilter(factory_id=factory_id or None), 409,
                           str(exc), kept)
    if back:
        return RedirectResponse(f"/orders/{back}?done=planned", 303)
    return RedirectResponse(f"/orders?factory={factory_id}&done=planned", 303)


@page("orders.read")
async def photo(request: Request, who) -> Response:
    """A photo of an order, only when the order is in the caller's scope and names it."""
    db = request.app.state.db
    found = await run_in_threadpool(order_detail, db, who, request.path_params["order_id"])
    sha = request.path_params["sha256"].lower()
    if found is None or sha not in {p.get("sha256") for p in found["photos"]}:
        return await error_page(request, who, 404)
    data = await run_in_threadpool(blobs.download, db, who, sha)
    if data is None:
        return await error_page(request, who, 404)
    return await image_response(request, data, sha)


@page("orders.manage")
async def letter(request: Request, who) -> Response:
    """The draft escalation letter (Factory Act s.39) from the office's wording."""
    db = request.app.state.db
    order_id = request.path_params["order_id"]
    digits = settings_from_environment().thai_digits
    try:
        pdf = await run_in_threadpool(letters.escalation_pdf, db, who, order_id, digits)
    except NotFoundError:
        return await error_page(request, who, 404)
    except FieldAppError as exc:
        return render(request, who, "error.html", status=409, title=NOT_PRINTABLE,
                      text=str(exc))
    await run_in_threadpool(audit.record, db, who, audit.EXPORT, f"/orders/{order_id}/letter.pdf",
                            "escalation letter", security.address(request))
    return Response(pdf, media_type="application/pdf", headers={
        "content-disposition": f'inline; filename="letter-{order_id}.pdf"'})
