"""Cleaning up attachment bytes nobody will use: ``fieldapp-server gc-uploads``.

Two kinds go, once older than the given number of days: uploads never finished (a laptop
that stopped halfway, a photo deleted while it travelled), and complete bytes that no
attachment row names and that nobody has sent for that long (a push refused, a laptop lost
between upload and push). Bytes a row names, deleted rows included, are never touched; the
check and the removal happen in one write transaction, which waits for pushes in progress.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fieldapp.server.blobs import forget
from fieldapp.server.storage import Database
from fieldapp.server.timeutil import iso

DEFAULT_DAYS = 7

# Unfinished: started before the cut-off and nobody joined it since.
_UNFINISHED = """
SELECT u.sha256, u.received AS bytes FROM uploads u
WHERE u.complete = 0 AND u.created_at < ?
  AND NOT EXISTS (SELECT 1 FROM upload_owners o WHERE o.sha256 = u.sha256
                  AND o.created_at >= ?)
"""
# Unreferenced: complete, no attachment row names it, nobody sent it since the cut-off.
_UNREFERENCED = """
SELECT u.sha256, u.size AS bytes FROM uploads u
WHERE u.complete = 1 AND u.created_at < ?
  AND NOT EXISTS (SELECT 1 FROM upload_owners o WHERE o.sha256 = u.sha256
                  AND o.created_at >= ?)
  AND NOT EXISTS (SELECT 1 FROM records r WHERE r.blob_sha = u.sha256)
"""


def collect(db: Database, days: int = DEFAULT_DAYS, dry_run: bool = False,
            now: datetime | None = None) -> dict:
    """Remove unfinished uploads and unreferenced bytes older than ``days``; returns
    ``{"unfinished": n, "unreferenced": n, "bytes": freed}`` (what would go, if
    ``dry_run``)."""
    if days < 1:
        raise ValueError("keep uploads at least one day")
    cutoff = iso((now or datetime.now(UTC)) - timedelta(days=days))
    with db.write() as c:
        # No push numbers changes meanwhile: one that named these bytes before they go
        # sees them gone when it numbers, and is worked out again (server/push.py).
        c.hold_sequence()
        unfinished = c.all(_UNFINISHED, (cutoff, cutoff))
        unreferenced = c.all(_UNREFERENCED, (cutoff, cutoff))
        if not dry_run:
            for row in (*unfinished, *unreferenced):
                forget(c, row["sha256"])
    return {"unfinished": len(unfinished), "unreferenced": len(unreferenced),
            "bytes": sum(int(r["bytes"]) for r in (*unfinished, *unreferenced))}
