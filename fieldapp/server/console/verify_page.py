"""Verify a paper: a supervisor or administrator uploads a PDF, or a phone photo or scan of
a printed page, and learns whether it matches the record (MATCH), no longer does
(MODIFIED) or cannot be told (UNKNOWN), in words (the code stays in the page's
``data-outcome`` for scripts), with a link to the record when they may open it.

The reading and the judging are the server's (server/paper_check.py); this page only takes
the upload, says the answer in the reader's language and writes the check to the audit log.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response

from fieldapp.server import audit, paper_check
from fieldapp.server.console import security
from fieldapp.server.console.access import page
from fieldapp.server.console.i18n import N_
from fieldapp.server.console.render import render

ERRORS = {
    "empty": N_("Choose a file first: a PDF, or a photo or scan of the printed page."),
    "too_large": N_("The file is larger than {mb} MB. Send a smaller photo (most phones have "
                    "a size setting), or scan the page at 300 dpi."),
    "not_supported": N_("Only PDF, JPEG and PNG files can be checked."),
    "heic": N_("This is an HEIC photo (iPhone). Send it as JPEG: in the camera settings "
               "choose Formats, Most Compatible, or share the photo as JPEG."),
    "damaged": N_("The file is damaged or incomplete and cannot be read. Send it again."),
    "too_many_pixels": N_("The picture has too many pixels to check. Send a smaller photo."),
    "busy": N_("The server is busy checking other papers. Try again in a moment."),
}

ANSWERS = {
    "match": N_("The paper matches the record."),
    "match_amending": N_("The paper matches the record. An amendment is being made but is "
                         "not finalized yet, so this paper is still the record."),
    "content_differs": N_("The paper does not match: the record's content differs from what "
                          "this paper was printed from."),
    "newer_version": N_("This paper is version {paper}, but the record has since been "
                        "amended: it is now version {now}."),
    "draft": N_("This is a draft print. A draft claims nothing, so it cannot be checked."),
    "not_known": N_("No record with this code is known here, or it is outside your "
                    "provinces."),
    "no_code": N_("No FieldApp verification code could be read from this file."),
}

OUTCOMES = {paper_check.MATCH: N_("Matches the record"),
            paper_check.MODIFIED: N_("Changed since printing"),
            paper_check.UNKNOWN: N_("Cannot be verified")}

SOURCES = {paper_check.PDF_METADATA: N_("the PDF's metadata"),
           paper_check.PDF_QR: N_("the QR code on the PDF's page"),
           paper_check.PHOTO_QR: N_("the QR code in the picture")}


@page("verify")
async def verify_form(request: Request, who) -> Response:
    return _page(request, who)


@page("verify")
async def verify_upload(request: Request, who) -> Response:
    db = request.app.state.db
    form = await security.read_form(request)
    upload = form.get("paper") if form is not None else None
    data = b""
    if isinstance(upload, UploadFile):
        data = await upload.read(paper_check.MAX_UPLOAD_BYTES + 1)
    try:
        result = await run_in_threadpool(paper_check.check_paper, db, who, data)
    except paper_check.PaperError as exc:
        status = 413 if exc.kind == "too_large" else 400
        return _page(request, who, status=status, error=ERRORS.get(exc.kind, ERRORS["damaged"]),
                     error_values={"mb": paper_check.MAX_UPLOAD_BYTES // 2**20})
    target = f"/inspections/{result.payload.record_id}" if result.payload else "/verify"
    await run_in_threadpool(audit.record, db, who, audit.VIEW, target, result.audit_detail(),
                            security.address(request))
    return _page(request, who, result=result, answer=ANSWERS[result.why],
                 outcome_label=OUTCOMES[result.outcome],
                 source_label=SOURCES.get(result.source or "", ""))


def _page(request: Request, who, status: int = 200, **context) -> Response:
    context.setdefault("result", None)
    context.setdefault("error", None)
    context.setdefault("error_values", {})
    return render(request, who, "verify.html", status=status,
                  max_mb=paper_check.MAX_UPLOAD_BYTES // 2**20, **context)
