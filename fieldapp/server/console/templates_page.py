"""Administration: checklist templates. List every version with how many inspections use
it, and publish a new one from a file, checked exactly as the command line and the push
check it (server/template_upload.py, then office.publish_template_version). A published
version never changes: a changed template is published under a new version number."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response

from fieldapp.core.errors import ValidationError
from fieldapp.server import audit, office, template_upload
from fieldapp.server.console import security
from fieldapp.server.console.access import page
from fieldapp.server.console.i18n import N_
from fieldapp.server.console.render import render

NO_FILE = N_("Choose a template file to publish.")
NOT_PUBLISHED = N_("The template was not published:")
PUBLISHED = N_("Published {key} version {version}. Laptops receive it at their next sync.")
UNCHANGED = N_("{key} version {version} is already published with exactly this content; "
               "nothing changed.")
STATUS_LABELS = {"published": N_("published"), "draft": N_("draft"), "retired": N_("retired")}


async def _page(request: Request, who, status: int = 200, problems: list[str] | None = None,
                done: tuple[str, dict] | None = None) -> Response:
    rows = await run_in_threadpool(office.template_versions, request.app.state.db)
    return render(request, who, "admin_templates.html", status=status, rows=rows,
                  problems=problems or [], done=done, status_labels=STATUS_LABELS,
                  accept=",".join(template_upload.accepted_suffixes()),
                  suffixes=", ".join(template_upload.accepted_suffixes()))


@page("templates.manage")
async def templates(request: Request, who) -> Response:
    return await _page(request, who)


@page("templates.manage")
async def publish(request: Request, who) -> Response:
    db = request.app.state.db
    form = await security.read_form(request)
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return await _page(request, who, 400, [NO_FILE])
    data = await upload.read(template_upload.MAX_BYTES + 1)
    try:
        template = await run_in_threadpool(template_upload.read_upload, upload.filename, data)
        before = {r["id"] for r in await run_in_threadpool(office.template_versions, db,
                                                             False)}
        row = await run_in_threadpool(office.publish_template_version, db, template)
    except ValidationError as exc:   # TemplateError too: every problem, one per line
        return await _page(request, who, 400, [NOT_PUBLISHED, *exc.problems])
    values = {"key": row["template_key"], "version": row["version"]}
    if row["id"] in before:
        return await _page(request, who, done=(UNCHANGED, values))
    await run_in_threadpool(
        audit.record, db, who, audit.CHANGE, "/admin/templates",
        f"published template {row['template_key']} v{row['version']} ({row['id']}) from "
        f"{template_upload.safe_name(upload.filename)}", security.address(request))
    return await _page(request, who, done=(PUBLISHED, values))
