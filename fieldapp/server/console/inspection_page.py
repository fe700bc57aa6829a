"""One inspection: everything the record holds, its photos and signatures, its amendment
chain, conflicts and sync history, and the printed form rendered here by the laptop's own
renderer. The page names people (participants, signers): every view is in the audit log."""

from __future__ import annotations

import io

from PIL import Image, ImageOps
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from fieldapp.core.errors import FieldAppError
from fieldapp.server import audit, blobs
from fieldapp.server.console import security
from fieldapp.server.console.access import page
from fieldapp.server.console.i18n import N_
from fieldapp.server.console.inspections_page import KINDS, STATES
from fieldapp.server.console.render import error_page, render
from fieldapp.server.console.rules import allowed
from fieldapp.server.loop.reviews import load_review
from fieldapp.server.printed_form import render_printed_form, settings_from_environment
from fieldapp.server.queries.inspection_detail import inspection_detail, shows_blob
from fieldapp.server.queries.scoping import may_review

RESULTS = {"pass": N_("Pass"), "fail": N_("Fail"), "na": N_("N/A"),
           "not_checked": N_("Not checked")}
ROLES = {"inspector": N_("Inspector"), "representative": N_("Factory representative"),
         "witness": N_("Witness")}
FINDING_STATES = {"open": N_("Open"), "in_progress": N_("In progress"),
                  "resolved": N_("Resolved"), "cancelled": N_("Cancelled")}
NOT_PRINTABLE = N_("The form cannot be printed yet")
# A record without a review row is "received" (awaiting review).
REVIEW_STATES = {None: N_("Received, awaiting review"), "approved": N_("Approved"),
                 "returned": N_("Returned for correction"), "reopened": N_("Reopened")}
REVIEW_DONE = {"approved": N_("The record was approved. Its corrective orders are issued."),
               "returned": N_("The record was returned to the inspector with your comment."),
               "reopened": N_("The record was reopened: the inspector may amend it.")}
THUMB = (320, 240)
IMAGE_TYPES = {"image/jpeg", "image/png"}


@page("inspections.read", personal=True)
async def inspection(request: Request, who) -> Response:
    return await show_inspection(request, who)


async def show_inspection(request: Request, who, status: int = 200,
                          review_error: str | None = None,
                          comment: str = "") -> Response:
    """The inspection page; after a refused review, with the reason and the comment typed
    (nothing is lost)."""
    db = request.app.state.db
    record = await run_in_threadpool(inspection_detail, db, who,
                                     request.path_params["inspection_id"])
    if record is None:
        return await error_page(request, who, 404)
    review = await run_in_threadpool(load_review, db, record["id"])
    answered = await run_in_threadpool(load_review, db, record["amends_id"]) \
        if record["amends_id"] else None
    sections: list[tuple[dict | None, list[dict]]] = []
    for item in record["items"]:
        if not sections or sections[-1][0] != item["section_title"]:
            sections.append((item["section_title"], []))
        sections[-1][1].append(item)
    # Findings and photos name their item by id; people know it by its number.
    numbers = {item["item_id"]: item["number"] or item["item_id"] for item in record["items"]}
    return render(request, who, "inspection.html", r=record, sections=sections,
                  item_number=lambda item_id: numbers.get(item_id, item_id or ""),
                  states=STATES, kinds=KINDS, results=RESULTS, roles=ROLES,
                  finding_states=FINDING_STATES, review=review, answered=answered,
                  review_states=REVIEW_STATES, review_error=review_error, comment=comment,
                  review_done=REVIEW_DONE.get(request.query_params.get("done", ""))
                  if status == 200 else None,
                  may_review=allowed(who, "reviews.manage")
                  and may_review(who, record["province"]), status=status)


@page("inspections.read")
async def printed_form(request: Request, who) -> Response:
    db = request.app.state.db
    inspection_id = request.path_params["inspection_id"]
    # The office's name, logo and digits come from serve's environment (docs/printed-form.md).
    try:
        pdf = await run_in_threadpool(lambda: render_printed_form(
            db, who, inspection_id, settings=settings_from_environment()))
    except FieldAppError as exc:
        # e.g. photos whose bytes have not reached the office yet: say so, never a 500
        return render(request, who, "error.html", status=409, title=NOT_PRINTABLE,
                      text=str(exc))
    if pdf is None:
        return await error_page(request, who, 404)
    await run_in_threadpool(audit.record, db, who, audit.EXPORT,
                            f"/inspections/{inspection_id}/form.pdf", "printed form",
                            security.address(request))
    return Response(pdf, media_type="application/pdf", headers={
        "content-disposition": f'inline; filename="inspection-{inspection_id}.pdf"'})


@page("inspections.read")
async def attachment(request: Request, who) -> Response:
    """A photo or signature of a record the caller may read: full size, or a thumbnail
    (``?size=thumb``) made here so that a page of twenty photos stays light."""
    sha = request.path_params["sha256"].lower()
    db = request.app.state.db
    shown = await run_in_threadpool(shows_blob, db, who,
                                    request.path_params["inspection_id"], sha)
    data = await run_in_threadpool(blobs.download, db, who, sha) if shown else None
    if data is None:
        return await error_page(request, who, 404)
    return await image_response(request, data, sha)


async def image_response(request: Request, data: bytes, sha: str) -> Response:
    """Bytes of a photo as the browser gets them: full size, or a thumbnail
    (``?size=thumb``); never sniffed as HTML or script."""
    thumb = request.query_params.get("size") == "thumb"
    if thumb:
        small = await run_in_threadpool(_thumbnail, data)
        if small is not None:
            return Response(small, media_type="image/jpeg",
                            headers={"cache-control": "private, max-age=3600"})
    kind = _image_type(data)
    # Never sniffed as HTML or script: an image type, else a download.
    headers = {"cache-control": "private, max-age=3600"}
    if kind is None:
        headers["content-disposition"] = f'attachment; filename="{sha}"'
    return Response(data, media_type=kind or "application/octet-stream", headers=headers)


def _image_type(data: bytes) -> str | None:
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    return None


def _thumbnail(data: bytes) -> bytes | None:
    if _image_type(data) is None:
        return None
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.draft("RGB", THUMB)   # JPEG: decode at a fraction of full size, fast
            image = ImageOps.exif_transpose(image)
            image.thumbnail(THUMB)
            out = io.BytesIO()
            image.convert("RGB").save(out, "JPEG", quality=80)
            return out.getvalue()
    except (OSError, ValueError, Image.DecompressionBombError):
        return None
