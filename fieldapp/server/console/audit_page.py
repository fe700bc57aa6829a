"""The audit log: who signed in, changed something, viewed personal data or exported rows,
when and from where; filtered by user, action, text and dates, paged, and exported as CSV
(the export itself is written to the log)."""

from __future__ import annotations

import re
from datetime import date

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from fieldapp.server import audit
from fieldapp.server.console import security
from fieldapp.server.console.access import page
from fieldapp.server.console.date_fields import filter_day, filter_warning
from fieldapp.server.console.i18n import N_
from fieldapp.server.console.render import render

ACTION_LABELS = {
    audit.SIGN_IN: N_("Sign-in"),
    audit.SIGN_IN_FAILED: N_("Failed sign-in"),
    audit.SIGN_OUT: N_("Sign-out"),
    audit.VIEW: N_("Viewed personal data"),
    audit.CHANGE: N_("Changed"),
    audit.EXPORT: N_("Exported"),
}
# A user id (uuid7) in an entry's page or detail.
USER_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def named(text: str | None, names: dict[str, str]) -> list[tuple[str, str | None]]:
    """``text`` in pieces (text, user id or None), each user id it holds replaced by that
    user's name, for the page to show the name with the id as its title."""
    pieces: list[tuple[str, str | None]] = []
    at = 0
    for match in USER_ID.finditer(text or ""):
        if match.group() in names:
            pieces.append((text[at:match.start()], None))
            pieces.append((names[match.group()], match.group()))
            at = match.end()
    pieces.append(((text or "")[at:], None))
    return [p for p in pieces if p[0]]


def _filter(request: Request) -> audit.AuditFilter:
    q = request.query_params
    since, until = filter_day(q.get("since"))[0], filter_day(q.get("until"))[0]
    try:
        page_no = max(1, min(int(q.get("page", "1")), 10**6))
    except ValueError:
        page_no = 1
    action = q.get("action", "")
    return audit.AuditFilter(username=q.get("user", "")[:200],
                             action=action if action in audit.ACTIONS else "",
                             text=q.get("q", "").strip()[:200],
                             since=since.isoformat() if since else "",
                             until=until.isoformat() if until else "",
                             page=page_no)


@page("audit.read", personal=True)
async def audit_log(request: Request, who) -> Response:
    db = request.app.state.db
    f = _filter(request)
    rows, total = await run_in_threadpool(audit.search, db, f)
    users = await run_in_threadpool(audit.usernames, db)
    names = await run_in_threadpool(audit.user_names, db)
    for row in rows:
        row["target_named"] = named(row["target"], names)
        row["detail_named"] = named(row["detail"], names)
    pages = max(1, -(-total // audit.PAGE_SIZE))
    return render(request, who, "audit.html", rows=rows, total=total, f=f, users=users,
                  pages=pages, actions=ACTION_LABELS,
                  error=filter_warning(request.query_params, "since", "until"),
                  export=request.url.path + "/export.csv" + (
                      f"?{request.url.query}" if request.url.query else ""))


@page("audit.read")
async def export(request: Request, who) -> Response:
    db = request.app.state.db
    f = _filter(request)
    data = await run_in_threadpool(audit.export_csv, db, f)
    described = ", ".join(f"{k}={v}" for k, v in (
        ("user", f.username), ("action", f.action), ("text", f.text), ("since", f.since),
        ("until", f.until)) if v) or "everything"
    await run_in_threadpool(audit.record, db, who, audit.EXPORT, "/audit/export.csv",
                            f"audit log as CSV: {described}", security.address(request))
    stamp = date.today().isoformat()
    return Response(data, media_type="text/csv; charset=utf-8", headers={
        "content-disposition": f'attachment; filename="audit-{stamp}.csv"'})
