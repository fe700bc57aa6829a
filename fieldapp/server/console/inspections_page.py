"""The inspections of the user's scope: search, filter, sort, page, and export the filtered
rows as CSV or XLSX (the export is written to the audit log: it carries personal data out)."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from fieldapp.core.thaidate import format_date, to_local
from fieldapp.server import audit
from fieldapp.server.console import exports, i18n, security
from fieldapp.server.console.access import page
from fieldapp.server.console.date_fields import filter_day, filter_warning
from fieldapp.server.console.i18n import N_
from fieldapp.server.console.render import render
from fieldapp.server.queries.inspections import (
    SORTS,
    InspectionFilter,
    filter_choices,
    iter_inspections,
    search_inspections,
)

STATES = {"draft": N_("Draft"), "finalized": N_("Finalized")}
KINDS = {"routine": N_("Routine"), "complaint": N_("Complaint"), "follow_up": N_("Follow-up")}
COLUMNS = (
    ("record_no", N_("Record no.")), ("started_at", N_("Date")),
    ("factory_name", N_("Factory")), ("fid", N_("Factory ID")),
    ("province", N_("Province")), ("district", N_("District")),
    ("kind", N_("Kind")), ("state", N_("State")),
    ("template_key", N_("Template")), ("inspector", N_("Inspector")),
)
# The export: what the list shows, as the office reads it (a Bangkok date in the Buddhist
# era, the kind and state in words of the export's language), and the start once more as
# a date-time value in Bangkok time (ISO order) that a spreadsheet sorts, filters and
# groups by month. The laptop-style export of codes and UTC instants is the command line's
# (fieldapp-server inspections export).
EXPORT_COLUMNS = (
    ("record_no", N_("Record no.")), ("date", N_("Date (B.E.)")), ("time", N_("Time")),
    ("factory_name", N_("Factory")), ("fid", N_("Factory ID")),
    ("province", N_("Province")), ("district", N_("District")),
    ("kind", N_("Kind")), ("state", N_("State")),
    ("template_key", N_("Template")), ("inspector", N_("Inspector")),
    ("started", N_("Started (Bangkok time)")),
)



def filter_from(request: Request) -> InspectionFilter:
    q = request.query_params
    # "env-general" or, from the templates page, one version: "env-general:3"
    template, _, version = (q.get("template") or "").strip()[:100].partition(":")
    return InspectionFilter(
        text=(q.get("q") or "")[:200], province=q.get("province") or None,
        district=(q.get("district") or None), inspector=q.get("inspector") or None,
        state=q.get("state") if q.get("state") in STATES else None,
        kind=q.get("kind") if q.get("kind") in KINDS else None,
        template=template or None, template_version=_int(version, 0) or None,
        date_from=filter_day(q.get("from"))[0], date_to=filter_day(q.get("to"))[0],
        sort=q.get("sort") if q.get("sort") in SORTS else "started_at",
        direction="asc" if q.get("dir") == "asc" else "desc",
        page=_int(q.get("page"), 1), per_page=_int(q.get("per_page"), 50))


def _int(text: str | None, default: int) -> int:
    return int(text) if text and text.isascii() and text.isdigit() and len(text) < 9 \
        else default


@page("inspections.read")
async def inspections(request: Request, who) -> Response:
    db = request.app.state.db
    f = filter_from(request)
    found = await run_in_threadpool(search_inspections, db, who, f)
    choices = await run_in_threadpool(filter_choices, db, who)
    return render(request, who, "inspections.html", found=found, f=f, choices=choices,
                  states=STATES, kinds=KINDS, columns=COLUMNS,
                  query=request.url.query,
                  error=filter_warning(request.query_params, "from", "to"))


@page("inspections.read")
async def export(request: Request, who) -> Response:
    db = request.app.state.db
    f = filter_from(request)
    kind = request.path_params["format"]
    if kind not in ("csv", "xlsx"):
        kind = "csv"
    rows = await run_in_threadpool(lambda: list(iter_inspections(db, who, f)))
    await run_in_threadpool(audit.record, db, who, audit.EXPORT, "/inspections",
                            f"{len(rows)} inspection(s) as {kind}; filter: "
                            f"{request.url.query}", security.address(request))
    lang = i18n.language_of(request.cookies.get(security.LANG_COOKIE))
    _ = i18n.gettext_for(lang)
    headers = [label for _name, label in EXPORT_COLUMNS]
    table = [[_cell(row, name, _) for name, _label in EXPORT_COLUMNS] for row in rows]
    return await run_in_threadpool(exports.table_response, "inspections", headers, table,
                                   kind, lang)


def _cell(row: dict, name: str, _):
    """One exported cell of ``row``; ``_`` translates into the export's language."""
    started = _local(row.get("started_at"))
    if name == "date":
        return exports.Text(format_date(started.date(), "numeric")) if started else None
    if name == "time":
        return f"{started:%H:%M}" if started else None
    if name == "started":
        return started.replace(tzinfo=None) if started else None
    if name in ("record_no", "fid"):
        return exports.Text(row[name]) if row.get(name) else None
    if name == "kind":
        return _(KINDS[row["kind"]]) if row.get("kind") in KINDS else row.get("kind")
    if name == "state":
        return _(STATES[row["state"]]) if row.get("state") in STATES else row.get("state")
    if name == "province":
        return row.get("province_name") or row.get("province")
    if name == "template_key":
        return f"{row.get('template_key') or ''} v{row.get('template_version') or ''}"
    return row.get(name)


def _local(value):
    """A stored UTC instant as a Bangkok date-time, or None when there is none."""
    try:
        return to_local(value) if value else None
    except (TypeError, ValueError):
        return None
