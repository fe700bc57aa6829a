"""Who may use which attachment bytes: the rule that ties an attachment row to bytes.

Bytes are content-addressed and stored once, so knowing a photo's SHA-256 must not be enough
to read it. A user may *read* bytes that a visible attachment row names (or any bytes, for an
admin), and may *name* bytes in a new attachment row only if they may read them already or
have uploaded all of them themselves (``upload_owners``: sending the bytes proves possession,
even when the server held them before). Nothing here answers whether bytes exist to a caller
who may not use them.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fieldapp.server.auth import Principal
from fieldapp.server.scope import visible
from fieldapp.server.storage import Conn
from fieldapp.server.timeutil import iso

QUOTA_WINDOW = timedelta(hours=24)

NOT_YOURS = ("ยังไม่ได้อัปโหลดไฟล์แนบนี้จากเครื่องนี้ (the server has not received these "
             "attachment bytes from you: upload them before the row that names them)")


def may_read(c: Conn, who: Principal, sha256: str) -> bool:
    """Whether ``who`` may read the bytes ``sha256``: an admin, or an attachment row the
    caller can see names them (deleted rows too: the caller had them)."""
    if who.is_admin:
        return True
    where, params = visible(who)
    return bool(c.value(f"SELECT 1 FROM records WHERE tbl IN ('attachments', "
                        f"'complaint_files', 'order_photos') AND blob_sha = ? "
                        f"AND {where} LIMIT 1", (sha256, *params)))


def uploaded_all_of(c: Conn, user_id: str, hashes: list[str]) -> set[str]:
    """Those of ``hashes`` that ``user_id`` sent every byte of, complete (``uploaded_all``
    for a push's attachment rows at once: one query, not two per row)."""
    found: set[str] = set()
    for cond, params in c.any_of("o.sha256", sorted(set(hashes))):
        found.update(sha for (sha,) in c.tuples(
            "SELECT o.sha256 FROM upload_owners o JOIN uploads u ON u.sha256 = o.sha256 "
            f"WHERE {cond} AND o.user_id = ? AND u.complete = 1 AND o.bytes = u.size",
            [*params, user_id]))
    return found


def uploaded_all(c: Conn, user_id: str, sha256: str) -> bool:
    """Whether ``user_id`` sent every byte of the complete blob ``sha256``."""
    return bool(c.value("SELECT 1 FROM upload_owners o JOIN uploads u ON u.sha256 = o.sha256 "
                        "WHERE o.sha256 = ? AND o.user_id = ? AND u.complete = 1 "
                        "AND o.bytes = u.size", (sha256, user_id)))


def may_name(c: Conn, who: Principal, sha256: object) -> bool:
    """Whether a new attachment row of ``who`` may name ``sha256``: the bytes are complete
    here and the caller uploaded them all or may read them already."""
    if not isinstance(sha256, str):
        return False
    if not c.value("SELECT complete FROM uploads WHERE sha256 = ?", (sha256,)):
        return False
    return uploaded_all(c, who.user_id, sha256) or may_read(c, who, sha256)


def window_start(now: datetime | None = None) -> str:
    """The oldest ``created_at`` that still counts towards the quota (ISO text, as stored)."""
    return iso((now or datetime.now(UTC)) - QUOTA_WINDOW)


def used_today(c: Conn, user_id: str) -> int:
    """Bytes ``user_id`` sent in uploads they last sent to within the quota window
    (``created_at`` moves with every chunk, server/blobs.py): an upload with a chunk in the
    window counts in full, whenever it began — conservative, never an upload left open to
    be finished uncounted a day later."""
    return int(c.value("SELECT coalesce(sum(bytes), 0) FROM upload_owners "
                       "WHERE user_id = ? AND created_at >= ?",
                       (user_id, window_start())) or 0)
