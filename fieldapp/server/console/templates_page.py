"""Administration: checklist templates. List every version with how many inspections use
it, publish a new one from a file, checked exactly as the command line and the push check
it (server/template_upload.py, then office.publish_template_version), and download any
version as an Excel workbook (XLSForm) to start the next one from. A published version
never changes: a changed template is published under a new version number.

A workbook written by hand in Excel is not published on upload: its problems are listed
cell by cell, or, when it has none, the checklist is shown as the laptops will show it,
with a Publish button. The document travels to that second step sealed by the server
(server/template_drafts.py) and is checked again before it is published.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response

from fieldapp.core.errors import ValidationError
from fieldapp.core.templates import Template, TemplateError, parse_template
from fieldapp.server import audit, office, template_drafts, template_upload
from fieldapp.server.console import security
from fieldapp.server.console.access import page
from fieldapp.server.console.exports import XLSX
from fieldapp.server.console.i18n import N_
from fieldapp.server.console.inspection_page import RESULTS
from fieldapp.server.console.render import error_page, render
from fieldapp.xlsform import WorkbookError, write_xlsform

NO_FILE = N_("Choose a template file to publish.")
NOT_PUBLISHED = N_("The template was not published:")
WORKBOOK_PROBLEMS = N_("The workbook has {count} problem(s); nothing was published. Correct "
                       "them in Excel and upload the workbook again.")
PUBLISHED = N_("Published {key} version {version}. Laptops receive it at their next sync.")
UNCHANGED = N_("{key} version {version} is already published with exactly this content; "
               "nothing changed.")
TAMPERED = N_("This preview cannot be published: it was changed after the check, or it "
              "belongs to another person's upload. Upload the workbook again.")
STATUS_LABELS = {"published": N_("published"), "draft": N_("draft"), "retired": N_("retired")}
ANSWER_TYPES = {
    "result": N_("Pass / fail / not applicable"), "number": N_("Measured value"),
    "text": N_("Text"), "choice": N_("One choice"), "multi_choice": N_("Several choices"),
    "date": N_("Date"), "document": N_("Document"), "photo": N_("Photo"),
    "gps": N_("Location (GPS)"),
}


async def _page(request: Request, who, status: int = 200, problems: list[str] | None = None,
                done: tuple[str, dict] | None = None,
                sheet_problems: list[dict] | None = None) -> Response:
    rows = await run_in_threadpool(office.template_versions, request.app.state.db)
    return render(request, who, "admin_templates.html", status=status, rows=rows,
                  problems=problems or [], done=done, status_labels=STATUS_LABELS,
                  sheet_problems=sheet_problems or [], workbook_problems=WORKBOOK_PROBLEMS,
                  accept=",".join(template_upload.accepted_suffixes()),
                  suffixes=", ".join(template_upload.accepted_suffixes()))


@page("templates.manage")
async def templates(request: Request, who) -> Response:
    return await _page(request, who)


def checklist_view(template: Template) -> list[dict]:
    """The sections and items as the laptop lists them, with what each item asks for:
    answer type, legal limit and unit, legal basis, the condition that shows it, and what
    a failed answer needs."""
    sections = []
    for section in template.sections:
        items = []
        for item in section.items:
            shown_when = None
            if item.show_if is not None and item.conditions:
                own = item.conditions[0]
                controller = template.item(own.controller)
                values = []
                for value in sorted(own.values):
                    choice = controller.choice(value) if controller else None
                    values.append({"label": choice.label if choice else None,
                                   "msgid": RESULTS.get(value, value)})
                shown_when = {"number": controller.number if controller else own.controller,
                              "label": controller.label if controller else {},
                              "values": values}
            items.append({"number": item.number, "label": item.label, "help": item.help,
                          "type": ANSWER_TYPES.get(item.type, item.type),
                          "required": item.required, "limit": item.limit_text(),
                          "unit": item.unit, "legal_th": item.legal_basis,
                          "legal_en": item.legal_basis_en, "shown_when": shown_when,
                          "on_fail": item.on_fail,
                          "choices": [c.label for c in item.choices]})
        sections.append({"number": section.number, "title": section.title, "items": items})
    return sections


async def _preview(request: Request, who, template: Template, filename: str) -> Response:
    db = request.app.state.db
    text, seal = await run_in_threadpool(template_drafts.seal, db, who.user_id,
                                        filename, template.body)
    versions = await run_in_threadpool(office.template_versions, db, False)
    held = next((v for v in versions if v["id"] == template.version_id), None)
    return render(request, who, "admin_template_preview.html", checklist=template,
                  sections=checklist_view(template), document=text, seal=seal,
                  filename=filename, held=held,
                  next_version=await run_in_threadpool(office.next_template_version, db,
                                                       template.key))


@page("templates.manage")
async def publish(request: Request, who) -> Response:
    """An uploaded file: a JSON template is published at once (as the command line does);
    a workbook goes to the preview."""
    form = await security.read_form(request)
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return await _page(request, who, 400, [NO_FILE])
    data = await upload.read(template_upload.MAX_BYTES + 1)
    name = template_upload.safe_name(upload.filename)
    try:
        template = await run_in_threadpool(template_upload.read_upload, upload.filename, data)
    except WorkbookError as exc:
        return await _page(request, who, 400, sheet_problems=[
            p.as_dict() for p in exc.sheet_problems])
    except ValidationError as exc:   # TemplateError too: every problem, one per line
        return await _page(request, who, 400, [NOT_PUBLISHED, *exc.problems])
    if template_upload.previewed(upload.filename):
        return await _preview(request, who, template, name)
    return await _publish(request, who, template, name)


@page("templates.manage")
async def publish_previewed(request: Request, who) -> Response:
    """The Publish button of the preview: the sealed document, checked again in full."""
    db = request.app.state.db
    form = await security.read_form(request)
    document = await run_in_threadpool(template_drafts.unseal, db, who.user_id,
                                       form.get("filename"), form.get("document"),
                                       form.get("seal"))
    if document is None:
        return await _page(request, who, 400, [TAMPERED])
    name = str(form.get("filename"))
    try:
        template = parse_template(document, name)
    except TemplateError as exc:
        return await _page(request, who, 400, [NOT_PUBLISHED, *exc.problems])
    return await _publish(request, who, template, name)


async def _publish(request: Request, who, template: Template, name: str) -> Response:
    db = request.app.state.db
    try:
        before = {r["id"] for r in await run_in_threadpool(office.template_versions, db,
                                                             False)}
        row = await run_in_threadpool(office.publish_template_version, db, template)
    except ValidationError as exc:
        return await _page(request, who, 400, [NOT_PUBLISHED, *exc.problems])
    values = {"key": row["template_key"], "version": row["version"]}
    if row["id"] in before:
        return await _page(request, who, done=(UNCHANGED, values))
    await run_in_threadpool(
        audit.record, db, who, audit.CHANGE, "/admin/templates",
        f"published template {row['template_key']} v{row['version']} ({row['id']}) from "
        f"{name}", security.address(request))
    return await _page(request, who, done=(PUBLISHED, values))


@page("templates.manage")
async def export(request: Request, who) -> Response:
    """One published version as an XLSForm workbook (``env-general-v1.xlsx``)."""
    db = request.app.state.db
    version_id = request.path_params["version_id"]
    template = await run_in_threadpool(office.template_of_version, db, version_id)
    if template is None:
        return await error_page(request, who, 404)
    body = await run_in_threadpool(write_xlsform, template)
    filename = template_upload.safe_name(f"{template.key}-v{template.version}.xlsx")
    filename = "".join(ch for ch in filename if ch.isascii() and ch not in '"\\;') or "t.xlsx"
    await run_in_threadpool(
        audit.record, db, who, audit.EXPORT, f"/admin/templates/{version_id}/export.xlsx",
        f"template {template.key} v{template.version} as XLSX", security.address(request))
    return Response(body, media_type=XLSX, headers={
        "content-disposition": f'attachment; filename="{filename}"'})
