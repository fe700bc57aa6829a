"""Planned work: choose factories from the registry of one's provinces (by district, class,
status, years since the last inspection) and assign them to an inspector in one step, one
plan each; and the list of plans, where a plan not yet started can be cancelled.

A plan reaches the inspector's laptop at its next sync; the laptop marks it started and done
(loop/plans.py). Every assignment and cancellation is in the audit log.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from fieldapp.core.errors import FieldAppError
from fieldapp.core.thaidate import typed_date
from fieldapp.server import audit
from fieldapp.server.console import security
from fieldapp.server.console.access import page
from fieldapp.server.console.complaints_page import PLAN_STATES
from fieldapp.server.console.i18n import N_
from fieldapp.server.console.inspections_page import KINDS
from fieldapp.server.console.render import error_page, render
from fieldapp.server.loop import plans as loop
from fieldapp.server.loop.settings import office_today
from fieldapp.server.queries.planning import (
    PlanFilter,
    RegistryFilter,
    assignable,
    candidate_ids,
    candidates,
    factories_in_scope,
    list_plans,
    plan_in_scope,
    planned_among,
    registry_choices,
)

YEARS = (1, 2, 3, 5)
PER_PAGE = 100      # a page of checkboxes stays well below the form's field limit
NONE_CHOSEN = N_("Tick at least one factory, or choose all that match the filter.")
NO_INSPECTOR = N_("Choose the inspector.")
NO_TEMPLATE = N_("Choose a published template.")
NO_DATE = N_("Enter the planned date.")
NOT_YOURS = N_("Some of the chosen factories are not in your provinces.")
TOO_MANY = N_("At most {count} factories can be assigned at once; narrow the filter.")
NOT_DONE = N_("Nothing was changed:")
DONE = {"created": N_("{count} inspection(s) were planned. They reach the inspector's laptop "
                      "at its next sync."),
        "cancelled": N_("The plan was cancelled.")}
NOT_CANCELLABLE = N_("Only a plan that has not started can be cancelled.")


def _int(text: object, default: int | None) -> int | None:
    return int(text) if isinstance(text, str) and text.isascii() and text.isdigit() \
        and len(text) < 9 else default


def _registry_filter(values) -> RegistryFilter:
    years = _int(values.get("years"), None)
    return RegistryFilter(
        province=(values.get("province") or None), district=(values.get("district") or None),
        factory_class=_int(values.get("class"), None), status=_int(values.get("status"), None),
        years=years if years in YEARS else None, page=_int(values.get("page"), 1) or 1,
        per_page=PER_PAGE)


async def _planning_page(request: Request, who, f: RegistryFilter, status: int = 200,
                         errors: list[str] | None = None, form: dict | None = None,
                         ticked: set[str] | None = None) -> Response:
    db = request.app.state.db
    today = office_today()
    found = await run_in_threadpool(candidates, db, who, f, today)
    planned = await run_in_threadpool(planned_among, db, who, f, today)
    choices = await run_in_threadpool(registry_choices, db, who)
    people = await run_in_threadpool(assignable, db, who)
    keys = sorted(await run_in_threadpool(loop.published_keys, db))
    return render(request, who, "planning.html", status=status, found=found, f=f,
                  planned=planned, choices=choices, people=people, keys=keys, years=YEARS,
                  errors=errors or [], formatted={TOO_MANY}, ticked=ticked or set(),
                  max_plans=loop.MAX_PLANS,
                  form=form or {"assignee": "", "template": "env-general", "note": "",
                                "planned_on": today.isoformat()})


@page("plans.manage")
async def planning(request: Request, who) -> Response:
    return await _planning_page(request, who, _registry_filter(request.query_params))


@page("plans.manage")
async def assign(request: Request, who) -> Response:
    db = request.app.state.db
    form = await security.read_form(request)
    f = _registry_filter(form)
    kept = {"assignee": str(form.get("assignee") or "")[:64],
            "template": str(form.get("template") or "")[:100],
            "note": str(form.get("note") or "").strip()[:2000],
            "planned_on": str(form.get("planned_on") or "")[:40]}
    ticked = [str(v)[:64] for v in form.getlist("factory")][:loop.MAX_PLANS + 1]
    every = form.get("all_matching") == "1"
    errors = []
    if every:
        ticked = await run_in_threadpool(candidate_ids, db, who, f, office_today(),
                                         loop.MAX_PLANS)
    if not ticked:
        errors.append(NONE_CHOSEN)
    elif len(ticked) > loop.MAX_PLANS:
        errors.append(TOO_MANY)
    if not kept["assignee"]:
        errors.append(NO_INSPECTOR)
    if kept["template"] not in await run_in_threadpool(loop.published_keys, db):
        errors.append(NO_TEMPLATE)
    planned = typed_date(kept["planned_on"])
    if planned is None:
        errors.append(NO_DATE)
    if not errors and not every:
        mine = await run_in_threadpool(factories_in_scope, db, who, ticked)
        if set(ticked) - mine:
            errors.append(NOT_YOURS)
    if not errors:
        try:
            ids = await run_in_threadpool(lambda: loop.create_plans(
                db, who, ticked, assignee_id=kept["assignee"], planned_on=planned.isoformat(),
                kind="routine", template_key=kept["template"], note=kept["note"] or None))
        except FieldAppError as exc:
            errors += [NOT_DONE, str(exc)]
    if errors:
        return await _planning_page(request, who, f, 400, errors, kept,
                                    set(ticked) if not every else set())
    await run_in_threadpool(
        audit.record, db, who, audit.CHANGE, "/plans",
        f"planned {len(ids)} inspection(s) for user {kept['assignee']} on "
        f"{planned.isoformat()} ({kept['template']})", security.address(request))
    return RedirectResponse(f"/plans?done=created&n={len(ids)}", 303)


def _plan_filter(q) -> PlanFilter:
    return PlanFilter(inspector=(q.get("inspector") or None)[:64] if q.get("inspector")
                      else None,
                      status=q.get("status") if q.get("status") in PLAN_STATES else None,
                      kind=q.get("kind") if q.get("kind") in KINDS else None,
                      page=_int(q.get("page"), 1) or 1)


async def _plans_page(request: Request, who, status: int = 200,
                      error: str | None = None) -> Response:
    db = request.app.state.db
    q = request.query_params
    f = _plan_filter(q)
    found = await run_in_threadpool(list_plans, db, who, f)
    people = await run_in_threadpool(assignable, db, who)
    done = DONE.get(q.get("done", "")) if status == 200 else None
    return render(request, who, "plans.html", status=status, found=found, f=f,
                  people=people, plan_states=PLAN_STATES, kinds=KINDS, done=done,
                  done_count=_int(q.get("n"), 0), error=error)


@page("plans.read")
async def plans(request: Request, who) -> Response:
    return await _plans_page(request, who)


@page("plans.manage")
async def cancel(request: Request, who) -> Response:
    db = request.app.state.db
    plan_id = request.path_params["plan_id"][:64]
    plan = await run_in_threadpool(plan_in_scope, db, who, plan_id)
    if plan is None:
        return await error_page(request, who, 404)
    if plan.get("status") != "planned":
        return await _plans_page(request, who, 409, NOT_CANCELLABLE)
    try:
        await run_in_threadpool(loop.set_status, db, who, plan_id, "cancelled")
    except FieldAppError:
        return await _plans_page(request, who, 409, NOT_CANCELLABLE)
    await run_in_threadpool(audit.record, db, who, audit.CHANGE, f"/plans/{plan_id}",
                            f"cancelled the plan of {plan.get('planned_on')}",
                            security.address(request))
    return RedirectResponse("/plans?done=cancelled", 303)
