"""Administration: import the DIW factory registry from an uploaded CSV or XLSX file. The
import runs on a thread of its own (server/registry_jobs.py; the jobs live in the server's
memory) while its page refreshes itself to show progress, and ends with the command line's
figures (in the reader's language) and rejects file."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from fieldapp.server import audit, registry_jobs
from fieldapp.server.console import security
from fieldapp.server.console.access import page
from fieldapp.server.console.i18n import N_
from fieldapp.server.console.render import error_page, render

NO_FILE = N_("Choose a registry file (CSV or XLSX) to import.")
STAGES = {
    registry_jobs.QUEUED: N_("Waiting to start"),
    registry_jobs.READING: N_("Reading and checking the file"),
    registry_jobs.SENDING: N_("Saving the factories to the office registry"),
    registry_jobs.DONE: N_("Finished"),
    registry_jobs.FAILED: N_("Failed"),
}
REFRESH_SECONDS = 2
# The import's figures in the reader's language (job.summary is the command line's English
# line, kept for the audit log and the JSON status). Those always shown, then those shown
# when not zero.
FIGURES = (("imported", N_("New factories added"), True),
           ("updated", N_("Factories updated"), True),
           ("unchanged", N_("Rows unchanged"), True),
           ("kept", N_("Rows left as the office's registry has them"), False),
           ("rejected", N_("Rows not imported"), True),
           ("applied", N_("Changes saved on the server"), True),
           ("refused", N_("Changes the server refused"), False))


def _jobs(request: Request) -> registry_jobs.Jobs:
    return registry_jobs.jobs_for(request.app.state.db)


async def _page(request: Request, who, status: int = 200, error: str | None = None
                ) -> Response:
    return render(request, who, "admin_registry.html", status=status, error=error,
                  jobs=_jobs(request).recent(), stages=STAGES)


@page("registry.import")
async def registry(request: Request, who) -> Response:
    return await _page(request, who)


@page("registry.import")
async def start_import(request: Request, who) -> Response:
    form = await security.read_form(request)
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return await _page(request, who, 400, NO_FILE)
    data = await upload.read()
    name = upload_name(upload.filename)
    try:
        job = await run_in_threadpool(_jobs(request).start, name, data, who,
                                      security.address(request))
    except registry_jobs.JobRefused as exc:
        return await _page(request, who, 409, str(exc))
    await run_in_threadpool(audit.record, request.app.state.db, who, audit.CHANGE,
                            f"/admin/registry/{job.id}",
                            f"started a registry import of {name} ({len(data):,} bytes)",
                            security.address(request))
    return RedirectResponse(f"/admin/registry/{job.id}", 303)


def upload_name(filename: str) -> str:
    """The uploaded file's own name (no folders, no control characters), for the page."""
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(ch for ch in base if ch.isprintable())[:120].strip() or "upload"


@page("registry.import")
async def job_page(request: Request, who) -> Response:
    job = _jobs(request).get(request.path_params["job_id"][:64])
    if job is None:
        return await error_page(request, who, 404)
    return render(request, who, "admin_registry_job.html", job=job, stages=STAGES,
                  figures=FIGURES, refresh=REFRESH_SECONDS if job.running else 0)


@page("registry.import")
async def job_status(request: Request, who) -> Response:
    """The job's progress as JSON (for a script, or a page that polls instead of
    refreshing)."""
    job = _jobs(request).get(request.path_params["job_id"][:64])
    if job is None:
        return JSONResponse({"error": "not found"}, 404)
    return JSONResponse(job.as_dict())


@page("registry.import")
async def rejects(request: Request, who) -> Response:
    job = _jobs(request).get(request.path_params["job_id"][:64])
    if job is None or job.running or job.stage == registry_jobs.FAILED:
        return await error_page(request, who, 404)
    await run_in_threadpool(audit.record, request.app.state.db, who, audit.EXPORT,
                            f"/admin/registry/{job.id}/rejects.csv",
                            f"rejects of the registry import of {job.filename}: "
                            f"{job.rejected} row(s)", security.address(request))
    return Response(job.rejects_csv, media_type="text/csv; charset=utf-8", headers={
        "content-disposition": f'attachment; filename="rejects-{job.id}.csv"'})
