"""The monthly report page: a province of the user's and a month (last month by default, in
the office's calendar), its counts shown as the tables the files print, and the same report
as Excel and PDF (every download in the audit log: it carries the office's figures out).

A supervisor reports on their own provinces only; another province answers "not found",
like a record outside their scope. An administrator chooses any province.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from fieldapp.core.errors import ValidationError
from fieldapp.core.provinces import PROVINCES
from fieldapp.server import audit
from fieldapp.server.auth import Principal
from fieldapp.server.console import exports, security
from fieldapp.server.console.access import page
from fieldapp.server.console.render import error_page, render
from fieldapp.server.loop import monthly_tables
from fieldapp.server.loop.monthly import monthly_report, parse_month, previous_month
from fieldapp.server.loop.monthly_xlsx import monthly_xlsx
from fieldapp.server.loop.settings import office_today

PDF = "application/pdf"


def provinces_of(who: Principal) -> list:
    """The provinces ``who`` may report on, in the usual order."""
    return [p for p in PROVINCES if who.is_admin or p.code in who.provinces]


def _choice(request: Request, who: Principal) -> tuple[str | None, str, str | None]:
    """(province code or None when not ``who``'s, month text, error) from the query."""
    q = request.query_params
    mine = provinces_of(who)
    code = (q.get("province") or (mine[0].code if mine else "")).strip()[:10]
    today = office_today()
    default = "{:04d}-{:02d}".format(*previous_month(today))
    month = (q.get("month") or default).strip()[:20]
    error = None
    try:
        parse_month(month)
    except ValidationError as exc:
        error, month = str(exc), default
    return (code if any(p.code == code for p in mine) else None), month, error


def _report(db, code: str, month: str):
    year, number = parse_month(month)
    return monthly_report(db, code, year, number, today=office_today())


@page("reports.monthly")
async def monthly(request: Request, who) -> Response:
    code, month, error = _choice(request, who)
    if code is None and provinces_of(who):
        return await error_page(request, who, 404)
    report = None
    if code is not None and not error:
        report = await run_in_threadpool(_report, request.app.state.db, code, month)
    tables = monthly_tables.summary_tables(report) if report else []
    wide = monthly_tables.inspector_tables(report) if report else []
    return render(request, who, "report_monthly.html", status=400 if error else 200,
                  provinces=provinces_of(who), code=code, chosen=month, error=error,
                  report=report, tables=tables, wide=wide,
                  notes=monthly_tables.footnotes(report) if report else [],
                  heading=monthly_tables.title(report) if report else "",
                  as_of=monthly_tables.as_of(report) if report else None,
                  place=monthly_tables.province_line(report) if report else "",
                  query=f"province={code or ''}&month={month}")


@page("reports.monthly")
async def download(request: Request, who) -> Response:
    kind = request.path_params["format"]
    code, month, error = _choice(request, who)
    if kind not in ("xlsx", "pdf") or code is None:
        return await error_page(request, who, 404)
    if error:
        return await error_page(request, who, 400)
    db = request.app.state.db
    report = await run_in_threadpool(_report, db, code, month)
    if kind == "xlsx":
        body, media = await run_in_threadpool(monthly_xlsx, report), exports.XLSX
    else:
        body, media = await run_in_threadpool(monthly_tables.monthly_pdf, report), PDF
    await run_in_threadpool(audit.record, db, who, audit.EXPORT, "/reports/monthly",
                            f"monthly report of province {code} for {month} as {kind}",
                            security.address(request))
    return Response(body, media_type=media, headers={
        "content-disposition": f'attachment; filename="monthly-report-{code}-{month}.{kind}"'})
