"""Registry imports started from the console, each run on a thread of its own so that the
upload's request returns at once and the page shows progress.

The jobs are kept in this process's memory, not in the database: a restart of the server
forgets them (an import cut short by it keeps every batch already sent, like the command
line's, and is simply run again; importing the same file twice changes nothing). A job
that fails part way says how many changes it had sent (``stopped_line``). A job
holds what the command line prints: the summary line and the rejects file (the CSV of
``fieldapp import --rejects``), until the process ends or ``KEEP`` newer jobs push it out.
One import runs at a time per database: two at once would only race for the same rows.
"""

from __future__ import annotations

import logging
import tempfile
import threading
import time
import weakref
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from fieldapp.core.errors import FieldAppError
from fieldapp.core.ids import uuid7
from fieldapp.server import audit, office_registry
from fieldapp.server.auth import Principal
from fieldapp.server.storage import Database
from fieldapp.store.registry_files import ImportFileError
from fieldapp.store.registry_import import ImportReport, UnknownLayoutError, write_rejects

log = logging.getLogger(__name__)

SUFFIXES = (".csv", ".txt", ".xlsx", ".xlsm")
KEEP = 20   # finished jobs remembered per database

QUEUED, READING, SENDING, DONE, FAILED = "queued", "read", "send", "done", "failed"


class JobRefused(FieldAppError):
    """An import that cannot start (another one is running, a file of the wrong kind)."""


@dataclass
class Job:
    id: str
    filename: str
    started_by: str
    started_at: float = field(default_factory=time.time)
    stage: str = QUEUED
    done: int = 0
    total: int = 0
    finished_at: float | None = None
    summary: str = ""          # the command line's summary line
    counts: dict[str, int] = field(default_factory=dict)   # its figures, for the console
    rejected: int = 0
    reasons: list[tuple[int, str]] = field(default_factory=list)   # first rejections
    warnings: int = 0
    cautions: list[tuple[int, str]] = field(default_factory=list)  # first warnings
    rejects_csv: bytes = b""
    error: str = ""            # why it failed, one line for the audit log and the JSON
    # The same for the page, which says the rest in its reader's language: the reason as
    # raised, and the stage it stopped in: READING (nothing of the file is in the office's
    # registry; ``line``: lines of the file read and checked before the stop, 0 when not
    # known) or SENDING (``done`` of the ``total`` changes are in, ``changes_in``).
    reason: str = ""
    stopped_in: str = ""
    line: int = 0
    # A file in no known layout: its own columns and those the registry's file must have,
    # so that the page can say so in its reader's language and list them.
    columns: list[str] = field(default_factory=list)
    needed: list[str] = field(default_factory=list)

    @property
    def started_iso(self) -> str:
        return datetime.fromtimestamp(self.started_at, UTC).isoformat()

    @property
    def running(self) -> bool:
        return self.stage not in (DONE, FAILED)

    @property
    def percent(self) -> int:
        if self.stage == DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def changes_in(self) -> int:
        """Changes of a failed job that are in the office's registry: the batches sent
        before it stopped (each committed on its own)."""
        return self.done if self.stopped_in == SENDING else 0

    def as_dict(self) -> dict:
        return {"id": self.id, "filename": self.filename, "stage": self.stage,
                "done": self.done, "total": self.total, "percent": self.percent,
                "running": self.running, "summary": self.summary, "rejected": self.rejected,
                "error": self.error}


class Jobs:
    """The registry imports of one database."""

    def __init__(self, db: Database):
        self.db = db
        self.lock = threading.Lock()
        self.jobs: dict[str, Job] = {}

    def get(self, job_id: str) -> Job | None:
        with self.lock:
            return self.jobs.get(job_id)

    def recent(self) -> list[Job]:
        with self.lock:
            return sorted(self.jobs.values(), key=lambda j: j.started_at, reverse=True)

    def start(self, filename: str, data: bytes, who: Principal, address: str = "") -> Job:
        """Save the upload to a temporary file and import it on a new thread; its end (the
        summary line, or why it failed) is written to the audit log as ``who``'s change."""
        suffix = Path(filename).suffix.lower()
        if suffix not in SUFFIXES:
            raise JobRefused(f"รับเฉพาะไฟล์ CSV หรือ XLSX (only CSV or XLSX files are "
                             f"accepted, not {suffix or 'a file without an extension'})")
        with self.lock:
            if any(j.running for j in self.jobs.values()):
                raise JobRefused("กำลังนำเข้าทะเบียนอีกไฟล์อยู่ (another registry import is "
                                 "running) — wait until it has finished")
            job = Job(uuid7(), filename, who.username)
            self.jobs[job.id] = job
            for old in sorted(self.jobs.values(), key=lambda j: j.started_at)[:-KEEP]:
                if not old.running:
                    del self.jobs[old.id]
        folder = tempfile.mkdtemp(prefix="fieldapp-registry-")
        path = Path(folder) / f"upload{suffix}"   # the importer reads xlsx by its extension
        path.write_bytes(data)
        threading.Thread(target=self._run, args=(job, path, who, address),
                         name=f"registry-{job.id}",
                         daemon=True).start()
        return job

    def _run(self, job: Job, path: Path, who: Principal, address: str) -> None:
        def progress(stage: str, done: int, total: int) -> None:
            job.stage, job.done, job.total = stage, done, total

        final = FAILED
        try:
            job.stage = READING
            report, counts = office_registry.import_registry(self.db, path, progress)
            job.summary = summary_line(report, counts)
            job.counts = {"imported": report.imported, "updated": report.updated,
                          "unchanged": report.unchanged, "kept": report.kept,
                          "rejected": len(report.rejected),
                          "applied": counts.get("applied", 0),
                          "refused": counts.get("rejected", 0)}
            job.rejected = len(report.rejected)
            job.reasons = [(r.line, r.reason.message) for r in report.rejected[:20]]
            job.warnings = len(report.warnings)
            job.cautions = [(line, note.message) for line, note in report.warnings[:20]]
            job.rejects_csv = rejects_csv(report)
            final = DONE
        except UnknownLayoutError as exc:
            # The store's message advises --map, which this page has no field for.
            job.error = unknown_layout_message(exc)
            job.columns, job.needed = list(exc.columns), list(exc.needed)
            job.reason, job.stopped_in = job.error, READING
        except ImportFileError as exc:   # the file as a whole: unreadable, damaged
            job.error = job.reason = str(exc)
            job.stopped_in = READING
        except Exception as exc:  # noqa: BLE001 - a thread has no caller to raise to
            # Stopped part way (a full disk, the database gone): say what was sent.
            log.exception("registry import %s failed", job.id)
            # The message's first line only: PostgreSQL's add their CONTEXT (the statement,
            # "COPY records, line 1"), a line that is not the file's (the log has it all).
            first = (str(exc).strip().splitlines() or [""])[0]
            job.reason = str(exc) if isinstance(exc, FieldAppError) else \
                f"{type(exc).__name__}: {first}"
            job.stopped_in = SENDING if job.stage == SENDING else READING
            # While reading, ``done`` counts the lines read and checked (a whole file read
            # stopped while comparing it with the registry: no line to name).
            if job.stage == READING and 0 < job.done < job.total:
                job.line = job.done
            job.error = stopped_line(job.stage, job.done, job.total, job.reason)
        finally:
            outcome = job.summary if final == DONE else f"failed: {job.error}"
            try:
                audit.record(self.db, who, audit.CHANGE, f"/admin/registry/{job.id}",
                             f"registry import of {job.filename}: {outcome}", address)
            except Exception:  # noqa: BLE001
                log.exception("registry import %s: audit entry not written", job.id)
            try:
                path.unlink(missing_ok=True)
                path.parent.rmdir()
            except OSError:
                pass
            # Last: a finished job has done everything, its audit entry included (a
            # caller waiting for it may close the database next).
            job.finished_at = time.time()
            job.stage = final

    def wait(self, job_id: str, timeout: float = 60.0) -> Job | None:
        """Block until a job has finished (tests, scripts)."""
        ends = time.monotonic() + timeout
        job = self.get(job_id)
        while job is not None and job.running and time.monotonic() < ends:
            time.sleep(0.02)
        return job


def summary_line(report: ImportReport, counts: dict) -> str:
    """The line ``fieldapp-server factories import`` prints."""
    return (f"{report.summary()}; on the server: applied {counts.get('applied', 0)}, "
            f"rejected {counts.get('rejected', 0)}")


def stopped_line(stage: str, done: int, total: int, reason: str) -> str:
    """What the office's registry holds after an import stopped before its end: nothing
    while the file was being read (into a throw-away database), else the changes sent in
    batches that committed (``done`` of ``total``). The same file imported again compares
    with what is there and sends only the rest: nothing twice, no factory renamed."""
    if stage != SENDING or not done:
        return (f"การนำเข้าหยุดกลางคัน ยังไม่ได้นำสิ่งใดเข้าทะเบียนของสำนักงาน นำเข้าไฟล์เดิมอีกครั้งได้ "
                f"(import stopped: {reason}; nothing was imported into the office's registry; "
                f"import the same file again)")
    return (f"การนำเข้าหยุดกลางคัน ส่งเข้าทะเบียนแล้ว {done:,} จาก {total:,} รายการที่ไฟล์เปลี่ยน "
            f"นำเข้าไฟล์เดิมอีกครั้งเพื่อส่งส่วนที่เหลือ (import stopped: {reason}; {done:,} of the "
            f"{total:,} changes the file makes are in the office's registry, the rest are "
            f"not; importing the same file again sends only the rest, nothing twice)")


def rejects_csv(report: ImportReport) -> bytes:
    """The rejected rows as the command line's rejects file (store/registry_import)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "rejects.csv"
        write_rejects(report, path)
        return path.read_bytes()


_by_db: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_by_db_lock = threading.Lock()


def jobs_for(db: Database) -> Jobs:
    with _by_db_lock:
        jobs = _by_db.get(db)
        if jobs is None:
            jobs = _by_db[db] = Jobs(db)
        return jobs


def unknown_layout_message(exc: UnknownLayoutError) -> str:
    """A file in no layout the importer knows, said for the console: what the registry's
    file must have, and where a file of another layout can be imported."""
    return (f"ไม่รู้จักรูปแบบไฟล์นี้ ไฟล์ทะเบียนโรงงาน (Factory_Data) ต้องมีคอลัมน์ "
            f"{', '.join(exc.needed)} ส่วนไฟล์รูปแบบอื่นนำเข้าได้ที่เครื่องแม่ข่ายด้วยคำสั่ง "
            f"fieldapp-server factories import --map (this file is in no registry layout "
            f"FieldApp knows: its columns are {', '.join(exc.columns[:20])}; DIW's Factory_Data "
            f"file has {', '.join(exc.needed)}; a file in another layout is imported on the "
            f"server with `fieldapp-server factories import FILE --map COLUMN=FIELD,...`)")
