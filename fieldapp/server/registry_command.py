"""``fieldapp-server factories import FILE``: the office's registry import from the command
line, and what it says when it stops before the end.

The file is read into a throw-away database first, so a stop then leaves the office's
registry as it was; the changes are then sent in batches that commit one by one, so a stop
then leaves exactly the batches sent. The same file imported again sends only the rest
(server/office_registry.py compares it with what the office holds).
"""

from __future__ import annotations

import logging
import sys

from fieldapp.core.errors import FieldAppError
from fieldapp.core.stopping import StopRequest
from fieldapp.server import office_registry, registry_jobs
from fieldapp.server.storage import Database
from fieldapp.store.registry_files import ImportFileError

log = logging.getLogger(__name__)
SHOWN = 20   # rejected lines and warnings printed; the console's page has them all


class _Stopped(Exception):
    """Raised at a batch's end after a Ctrl-C or SIGTERM: everything counted is committed."""


def run_import(db: Database, file: str, mapping: dict[str, str] | None) -> int:
    """Import ``file`` into the office's registry and print what happened; the exit code."""
    where = [registry_jobs.READING, 0, 0]   # stage, done, total: what a stop has left
    stop = StopRequest("fieldapp-server")

    def progress(stage: str, done: int, total: int) -> None:
        where[:] = stage, done, total
        if stop.requested():
            raise _Stopped
    try:
        with stop.catching():
            report, counts = office_registry.import_registry(db, file, progress,
                                                             mapping=mapping)
    except ImportFileError:
        raise   # the file as a whole, refused before anything is sent
    except (KeyboardInterrupt, Exception) as exc:
        log.debug("registry import stopped", exc_info=True)
        signalled = isinstance(exc, _Stopped | KeyboardInterrupt)
        reason = stop.reason() if signalled else str(exc) if isinstance(exc, FieldAppError) \
            else f"{type(exc).__name__}: {exc}"
        line = registry_jobs.stopped_line(*where, reason)
        if isinstance(exc, KeyboardInterrupt) and where[0] == registry_jobs.SENDING:
            # A second Ctrl-C stops at once, perhaps just after a batch committed.
            line += " (the batch being sent when it stopped may be in as well)"
        print(f"fieldapp-server: {line}", file=sys.stderr)
        return stop.exit_code() if signalled else 1
    print(registry_jobs.summary_line(report, counts))
    for rejected in report.rejected[:SHOWN]:
        print(f"  line {rejected.line}: {rejected.reason.message}", file=sys.stderr)
    # What the importer corrected or doubts (a province that is not the ID's, swapped
    # coordinates, a placeholder name): the office should see it before laptops do.
    for line, note in report.warnings[:SHOWN]:
        print(f"  line {line}: warning: {note.message}", file=sys.stderr)
    if len(report.warnings) > SHOWN:
        print(f"  … {len(report.warnings) - SHOWN} more warning(s)", file=sys.stderr)
    return 0
