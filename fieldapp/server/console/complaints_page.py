"""Complaints (เรื่องร้องเรียน): the register, the form that records one, and one complaint
with its files, its plan and inspection, and the office's actions (assign an inspector,
record the reply to the complainant, close).

Who complained is personal data: it is asked for on the form, kept on the server only
(loop/complaints.py), shown on the complaint's own page to supervisors and administrators,
and every showing of that page is in the audit log. Lists never show it.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from fieldapp.core.errors import FieldAppError, NotFoundError
from fieldapp.core.provinces import PROVINCES
from fieldapp.core.thaidate import typed_date
from fieldapp.server import audit
from fieldapp.server.console import security
from fieldapp.server.console.access import page
from fieldapp.server.console.i18n import N_
from fieldapp.server.console.inspection_page import _image_type, _thumbnail
from fieldapp.server.console.render import error_page, render
from fieldapp.server.console.rules import in_province
from fieldapp.server.loop import complaints as loop
from fieldapp.server.loop.settings import office_today
from fieldapp.server.queries.factories import factory_detail, search_factories
from fieldapp.server.queries.scoping import province_name
from fieldapp.sync import protocol as P

CHANNELS = {
    "public": N_("Public"), "network": N_("Environmental industry network"),
    "line": N_("Jaeng-Ut (LINE)"), "gate_qr": N_("QR code at the factory gate"),
    "damrongdham": N_("Damrongdham centre"), "letter": N_("Letter"), "phone": N_("Phone"),
    "walk_in": N_("In person"), "other": N_("Other"),
}
PROBLEMS = {
    "odour": N_("Odour"), "noise": N_("Noise"), "dust": N_("Dust"),
    "wastewater": N_("Wastewater"), "waste": N_("Waste"), "fumes": N_("Smoke / fumes"),
    "other": N_("Other"),
}
STATES = {"received": N_("Complaint received"), "assigned": N_("Assigned"), "replied": N_("Replied"),
          "closed": N_("Closed")}
PLAN_STATES = {"planned": N_("Planned"), "started": N_("Started"), "done": N_("Done"),
               "cancelled": N_("Cancelled")}

BAD_DATE = N_("Enter the date the complaint was received (not after today).")
BAD_CHANNEL = N_("Choose how the complaint arrived.")
NO_PROBLEM = N_("Tick at least one kind of problem.")
NO_DESCRIPTION = N_("Describe the complaint.")
TOO_LONG = N_("A text is too long.")
NO_PLACE = N_("Choose the factory from the registry, or give the name of the place.")
BAD_FACTORY = N_("The chosen factory is not in your provinces.")
BAD_COORDINATES = N_("Latitude and longitude are decimal degrees within Thailand "
                     "(latitude 5–21, longitude 97–106), both or neither.")
BAD_PROVINCE = N_("Choose one of your provinces for the place.")
TOO_MANY_FILES = N_("Attach at most {count} files.")
BAD_FILE = N_("Attachments are photos (JPEG, PNG) or PDF files of at most {size} MB each.")
NO_ASSIGNEE = N_("Choose an inspector who holds the complaint's province.")
BAD_PLAN_DATE = N_("Enter the planned date.")
BAD_REPLY_DATE = N_("Enter the date of the reply (not after today).")
NO_REPLY = N_("Write what the complainant was told.")
NOT_DONE = N_("Nothing was changed:")
DONE = {
    "registered": N_("The complaint was registered."),
    "assigned": N_("The inspector was assigned. The complaint, its files and the plan reach "
                   "their laptop at its next sync."),
    "replied": N_("The reply to the complainant was recorded."),
    "closed": N_("The complaint was closed."),
}
TEXT_LIMIT = 5000




def _text(form, name: str) -> str:
    value = form.get(name)
    return value.replace("\r\n", "\n").strip() if isinstance(value, str) else ""


def _choice(value: object, allowed) -> str | None:
    return value if isinstance(value, str) and value in allowed else None


def _my_provinces(who) -> list[dict]:
    codes = sorted(p.code for p in PROVINCES) if who.is_admin else sorted(who.provinces)
    return [{"code": c, "name": province_name(c)} for c in codes]


# -- the register --------------------------------------------------------------------------


@page("complaints.read")
async def complaints(request: Request, who) -> Response:
    q = request.query_params
    filters = {"status": _choice(q.get("status"), STATES),
               "channel": _choice(q.get("channel"), CHANNELS),
               "problem": _choice(q.get("problem"), PROBLEMS),
               "overdue": q.get("overdue") == "1"}
    rows = await run_in_threadpool(lambda: loop.list_complaints(request.app.state.db, who,
                                                                **filters))
    return render(request, who, "complaints.html", rows=rows, f=filters, channels=CHANNELS,
                  problems=PROBLEMS, states=STATES)


# -- registering one -----------------------------------------------------------------------


def _blank(who) -> dict:
    provinces = _my_provinces(who)
    return {"received_on": office_today().isoformat(), "channel": "", "problems": [],
            "description": "", "name": "", "contact": "", "factory_q": "", "factory_id": "",
            "place_name": "", "lat": "", "lng": "", "district": "",
            "province_code": provinces[0]["code"] if len(provinces) == 1 else ""}


def _form_page(request: Request, who, form: dict, status: int = 200,
               errors: list[str] | None = None, matches=None, chosen=None,
               kept_files: list[tuple[str, str]] = ()) -> Response:
    return render(request, who, "complaint_new.html", status=status, form=form,
                  errors=errors or [], formatted={TOO_MANY_FILES, BAD_FILE},
                  matches=matches, chosen=chosen, kept_files=kept_files, channels=CHANNELS,
                  problems=PROBLEMS, provinces=_my_provinces(who),
                  max_files=loop.MAX_FILES, max_mb=loop.MAX_FILE_BYTES // (1024 * 1024))


@page("complaints.manage")
async def new_form(request: Request, who) -> Response:
    return _form_page(request, who, _blank(who))


def _kept(form) -> dict:
    """What was typed, to show again (the files are kept on the server: ``_keep_files``)."""
    return {"received_on": _text(form, "received_on")[:40],
            "channel": _text(form, "channel")[:40],
            "problems": [p for p in form.getlist("problem") if p in PROBLEMS],
            "description": _text(form, "description")[:TEXT_LIMIT * 2],
            "name": _text(form, "name")[:400], "contact": _text(form, "contact")[:400],
            "factory_q": _text(form, "factory_q")[:200],
            "factory_id": _text(form, "factory_id")[:64],
            "place_name": _text(form, "place_name")[:400], "lat": _text(form, "lat")[:40],
            "lng": _text(form, "lng")[:40], "district": _text(form, "district")[:200],
            "province_code": _text(form, "province_code")[:10]}


def _coordinate(text: str, low: float, high: float) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if low <= value <= high else None


def _kept_files(form) -> list[tuple[str, str]]:
    """(sha256, caption) of the attachments an earlier sending kept and the user left
    ticked; whose they are is checked when they are used (loop.kept_file)."""
    out: dict[str, str] = {}
    for value in form.getlist("kept_file"):
        if isinstance(value, str):
            sha, _, caption = value.partition(":")
            out.setdefault(sha.lower()[:64], caption[:200])
    return list(out.items())


async def _keep_files(request: Request, who, form, files) -> list[tuple[str, str]]:
    """The form's files once it is sent back to the browser, which cannot be given them
    again: those kept before and still ticked, and those just sent, kept on the server as
    the user's upload (a file chosen, then the factory searched, was lost)."""
    db = request.app.state.db
    kept = [(sha, caption) for sha, caption in _kept_files(form)
            if await run_in_threadpool(loop.kept_file, db, who, sha)]
    for data, caption in files:
        sha = await run_in_threadpool(loop.keep_file, db, who, data)
        if sha not in {k for k, _ in kept}:
            kept.append((sha, caption or ""))
    return kept


async def _files(form, kept: int = 0) -> tuple[list[tuple[bytes, str | None]], str | None]:
    """The attachments sent (bytes, file name as caption), or an error; ``kept``: how many
    an earlier sending kept."""
    uploads = [f for f in form.getlist("files") if isinstance(f, UploadFile) and f.filename]
    if len(uploads) + kept > loop.MAX_FILES:
        return [], TOO_MANY_FILES
    out = []
    for upload in uploads:
        data = await upload.read(loop.MAX_FILE_BYTES + 1)
        if not data:
            continue
        if len(data) > loop.MAX_FILE_BYTES or loop.file_type(data) is None:
            return [], BAD_FILE
        out.append((data, (upload.filename or "")[:200]))
    return out, None


@page("complaints.manage")
async def register(request: Request, who) -> Response:
    db = request.app.state.db
    form = await security.read_form(request)
    kept = _kept(form)
    chosen = None
    if kept["factory_id"]:
        chosen = await run_in_threadpool(factory_detail, db, who, kept["factory_id"])
    earlier = _kept_files(form)
    files, file_error = await _files(form, len(earlier))
    if form.get("action") == "find":
        # The factory search inside the form: everything typed, and every file chosen,
        # comes back with the matches.
        found = await run_in_threadpool(search_factories, db, who, kept["factory_q"], None,
                                        None, 1, 20)
        kept_files = await _keep_files(request, who, form, files)
        return _form_page(request, who, kept, errors=[file_error] if file_error else None,
                          matches=found.rows, chosen=chosen, kept_files=kept_files)
    errors: list[str] = []
    received = typed_date(kept["received_on"])
    if received is None or received > office_today():
        errors.append(BAD_DATE)
    if kept["channel"] not in CHANNELS:
        errors.append(BAD_CHANNEL)
    if not kept["problems"]:
        errors.append(NO_PROBLEM)
    if not kept["description"]:
        errors.append(NO_DESCRIPTION)
    if len(kept["description"]) > TEXT_LIMIT or len(kept["name"]) > 200 \
            or len(kept["contact"]) > 200 or len(kept["place_name"]) > 200:
        errors.append(TOO_LONG)
    lat = lng = None
    if kept["factory_id"]:
        if chosen is None or not in_province(who, chosen["province"]):
            errors.append(BAD_FACTORY)
    elif not kept["place_name"]:
        errors.append(NO_PLACE)
    else:
        if kept["lat"] or kept["lng"]:
            lat = _coordinate(kept["lat"], *loop.LAT_RANGE)
            lng = _coordinate(kept["lng"], *loop.LNG_RANGE)
            if lat is None or lng is None:
                errors.append(BAD_COORDINATES)
        if not in_province(who, kept["province_code"]) or \
                kept["province_code"] not in {p.code for p in PROVINCES}:
            errors.append(BAD_PROVINCE)
    if file_error:
        errors.append(file_error)
    if errors:
        return _form_page(request, who, kept, 400, errors, chosen=chosen,
                          kept_files=await _keep_files(request, who, form, files))
    new = loop.NewComplaint(
        received_on=received.isoformat(), channel=kept["channel"],
        problem_types=[p for p in P.PROBLEM_TYPES if p in kept["problems"]],
        description=kept["description"], factory_id=kept["factory_id"] or None,
        place_name=kept["place_name"] or None, lat=lat, lng=lng,
        province_code=kept["province_code"] or None, district=kept["district"] or None,
        complainant_name=kept["name"], complainant_contact=kept["contact"], files=files,
        kept=earlier)
    try:
        complaint_id = await run_in_threadpool(loop.register, db, who, new)
    except FieldAppError as exc:
        return _form_page(request, who, kept, 400, [NOT_DONE, str(exc)], chosen=chosen,
                          kept_files=await _keep_files(request, who, form, files))
    await run_in_threadpool(
        audit.record, db, who, audit.CHANGE, f"/complaints/{complaint_id}",
        f"registered a complaint ({new.channel}; {', '.join(new.problem_types)}; "
        f"{len(files) + len(earlier)} file(s))", security.address(request))
    return RedirectResponse(f"/complaints/{complaint_id}?done=registered", 303)


# -- one complaint -------------------------------------------------------------------------


async def _detail_page(request: Request, who, status: int = 200,
                       errors: list[str] | None = None, form: dict | None = None
                       ) -> Response:
    db = request.app.state.db
    complaint_id = request.path_params["complaint_id"]
    found = await run_in_threadpool(loop.complaint_detail, db, who, complaint_id)
    if found is None:
        return await error_page(request, who, 404)
    person = await run_in_threadpool(loop.complainant, db, found["id"])
    people = await run_in_threadpool(loop.assignees, db, found["province"])
    done = DONE.get(request.query_params.get("done", "")) if status == 200 else None
    today = office_today().isoformat()
    return render(request, who, "complaint.html", status=status, c=found, person=person,
                  people=people, errors=errors or [], done=done, channels=CHANNELS,
                  problems=PROBLEMS, states=STATES, plan_states=PLAN_STATES,
                  form=form or {"planned_on": today, "replied_on": today, "note": "",
                                "reply_text": "", "assignee": ""})


@page("complaints.read", personal=True)
async def complaint(request: Request, who) -> Response:
    return await _detail_page(request, who)


async def _act(request: Request, who, action, describe: str, done: str, form: dict
               ) -> Response:
    """Run one office action on the complaint; its page again with the error (and what was
    typed) when it is refused; an audit entry and back to the page when it is done."""
    db = request.app.state.db
    complaint_id = request.path_params["complaint_id"]
    try:
        await run_in_threadpool(action)
    except FieldAppError as exc:
        if isinstance(exc, NotFoundError) and await run_in_threadpool(
                loop.complaint_detail, db, who, complaint_id) is None:
            return await error_page(request, who, 404)
        return await _detail_page(request, who, 400, [NOT_DONE, str(exc)], form)
    await run_in_threadpool(audit.record, db, who, audit.CHANGE,
                            f"/complaints/{complaint_id}", describe, security.address(request))
    return RedirectResponse(f"/complaints/{complaint_id}?done={done}", 303)


def _action_form(form) -> dict:
    today = office_today().isoformat()
    return {"planned_on": _text(form, "planned_on")[:40] or today,
            "replied_on": _text(form, "replied_on")[:40] or today,
            "note": _text(form, "note")[:TEXT_LIMIT], "assignee": _text(form, "assignee")[:64],
            "reply_text": _text(form, "reply_text")[:TEXT_LIMIT * 2]}


@page("complaints.manage", personal=True)
async def assign(request: Request, who) -> Response:
    db = request.app.state.db
    form = await security.read_form(request)
    kept = _action_form(form)
    planned = typed_date(kept["planned_on"])
    errors = ([] if kept["assignee"] else [NO_ASSIGNEE]) + ([] if planned else [BAD_PLAN_DATE])
    if errors:
        return await _detail_page(request, who, 400, errors, kept)
    complaint_id = request.path_params["complaint_id"]
    return await _act(
        request, who, lambda: loop.assign(db, who, complaint_id, kept["assignee"],
                                          planned.isoformat(), kept["note"] or None),
        f"assigned to user {kept['assignee']}, planned {planned.isoformat()}", "assigned",
        kept)


@page("complaints.manage", personal=True)
async def reply(request: Request, who) -> Response:
    db = request.app.state.db
    form = await security.read_form(request)
    kept = _action_form(form)
    day = typed_date(kept["replied_on"])
    errors = ([] if day and day <= office_today() else [BAD_REPLY_DATE]) + \
        ([] if kept["reply_text"] else [NO_REPLY]) + \
        ([TOO_LONG] if len(kept["reply_text"]) > TEXT_LIMIT else [])
    if errors:
        return await _detail_page(request, who, 400, errors, kept)
    complaint_id = request.path_params["complaint_id"]
    return await _act(
        request, who, lambda: loop.reply(db, who, complaint_id, day.isoformat(),
                                         kept["reply_text"]),
        f"recorded the reply of {day.isoformat()}", "replied", kept)


@page("complaints.manage", personal=True)
async def close(request: Request, who) -> Response:
    db = request.app.state.db
    complaint_id = request.path_params["complaint_id"]
    return await _act(request, who, lambda: loop.close(db, who, complaint_id), "closed",
                      "closed", _action_form(await security.read_form(request)))


@page("complaints.read")
async def file(request: Request, who) -> Response:
    """A photo (or its thumbnail, ``?size=thumb``) or PDF of a complaint the caller may
    read."""
    sha = request.path_params["sha256"].lower()[:64]
    data = await run_in_threadpool(loop.file_bytes, request.app.state.db, who,
                                   request.path_params["complaint_id"], sha)
    if data is None:
        return await error_page(request, who, 404)
    headers = {"cache-control": "private, max-age=3600"}
    if request.query_params.get("size") == "thumb":
        small = await run_in_threadpool(_thumbnail, data)
        if small is not None:
            return Response(small, media_type="image/jpeg", headers=headers)
    kind = _image_type(data) or ("application/pdf" if data.startswith(b"%PDF-") else None)
    if kind is None:
        headers["content-disposition"] = f'attachment; filename="{sha}"'
    return Response(data, media_type=kind or "application/octet-stream", headers=headers)
