"""Attachment bytes on the server: which are missing, resumable upload, download.

Bytes live in the database (table ``blob_chunks``), so one backup (pg_dump or the SQLite
backup API) holds records and photos together and a killed server cannot leave a torn file.
An upload is a sequence of chunks at increasing offsets; a chunk at the wrong offset is
refused with the offset the server expects, so a client that lost a response resumes
exactly where the server is. The upload completes only when the SHA-256 of all chunks equals
the name it was uploaded under; otherwise it is thrown away and must start again.
"""

from __future__ import annotations

import hashlib
import re

from fieldapp.core.errors import FieldAppError
from fieldapp.server.auth import Principal
from fieldapp.server.scope import visible
from fieldapp.server.storage import Database
from fieldapp.server.timeutil import now_iso

SHA256 = re.compile(r"^[0-9a-f]{64}$")
MAX_BLOB_BYTES = 256 * 1024 * 1024


class UploadError(FieldAppError):
    """An upload step refused; ``code`` is the protocol error code, ``offset`` the offset
    the server expects next (for ``conflict``)."""

    def __init__(self, code: str, message: str, offset: int | None = None):
        super().__init__(message)
        self.code = code
        self.offset = offset


def missing(db: Database, hashes: list[str]) -> list[dict]:
    """For each hash the server lacks: ``{"sha256": h, "offset": bytes already received}``."""
    known: dict[str, dict] = {}
    with db.read() as c:
        for where, params in c.any_of("sha256", hashes):
            for row in c.all(f"SELECT sha256, received, complete FROM uploads WHERE {where}",
                             params):
                known[row["sha256"]] = row
    out = []
    for h in dict.fromkeys(hashes):
        row = known.get(h)
        if row is None or not row["complete"]:
            out.append({"sha256": h, "offset": row["received"] if row else 0})
    return out


def upload_chunk(db: Database, sha256: str, offset: int, total: int, data: bytes) -> dict:
    """Store ``data`` at ``offset`` of the blob ``sha256`` of ``total`` bytes.

    Returns ``{"offset": next offset, "complete": bool}``. Replaying a chunk that was already
    stored, or any chunk of a completed blob, changes nothing.
    """
    if not SHA256.match(sha256):
        raise UploadError("bad_request", "attachment name must be a lower-case SHA-256")
    if not 0 < total <= MAX_BLOB_BYTES:
        raise UploadError("too_large", f"an attachment is 1 byte to {MAX_BLOB_BYTES} bytes")
    # The whole blob in one request (a photo): verify it in memory, before the transaction,
    # instead of storing it and reading it back.
    whole = offset == 0 and len(data) == total
    whole_ok = whole and hashlib.sha256(data).hexdigest() == sha256
    with db.blob_write() as c:
        # Claim the upload row first (ON CONFLICT: two laptops may send the same photo at
        # once), then lock it, so chunks of one blob are stored one at a time.
        c.run("INSERT INTO uploads (sha256, size, received, complete, created_at) "
              "VALUES (?, ?, 0, 0, ?) ON CONFLICT (sha256) DO NOTHING",
              (sha256, total, now_iso()))
        lock = " FOR UPDATE" if c.dialect == "postgresql" else ""
        row = c.one(f"SELECT size, received, complete FROM uploads WHERE sha256 = ?{lock}",
                    (sha256,))
        if row["complete"]:
            return {"offset": row["size"], "complete": True}
        if row["size"] != total:
            raise UploadError("bad_request", f"this upload was started with {row['size']} "
                              f"bytes, not {total}")
        if offset != row["received"]:
            raise UploadError("conflict", f"the server has {row['received']} bytes of this "
                              "attachment; continue from there", row["received"])
        received = offset + len(data)
        if received > total or not data:
            raise UploadError("bad_request", "chunk is empty or runs past the declared size")
        if whole:
            if not whole_ok:
                c.run("DELETE FROM uploads WHERE sha256 = ?", (sha256,))
                return {"offset": 0, "complete": False, "hash_mismatch": True}
            c.run("INSERT INTO blob_chunks (sha256, pos, data) VALUES (?, ?, ?)",
                  (sha256, offset, data))
            c.run("UPDATE uploads SET received = ?, complete = 1 WHERE sha256 = ?",
                  (received, sha256))
            return {"offset": received, "complete": True}
        c.run("INSERT INTO blob_chunks (sha256, pos, data) VALUES (?, ?, ?)",
              (sha256, offset, data))
        if received < total:
            c.run("UPDATE uploads SET received = ? WHERE sha256 = ?", (received, sha256))
            return {"offset": received, "complete": False}
        digest = hashlib.sha256()
        for part in c.all("SELECT data FROM blob_chunks WHERE sha256 = ? ORDER BY pos",
                          (sha256,)):
            digest.update(bytes(part["data"]))
        if digest.hexdigest() != sha256:
            c.run("DELETE FROM blob_chunks WHERE sha256 = ?", (sha256,))
            c.run("DELETE FROM uploads WHERE sha256 = ?", (sha256,))
            return {"offset": 0, "complete": False, "hash_mismatch": True}
        c.run("UPDATE uploads SET received = ?, complete = 1 WHERE sha256 = ?",
              (received, sha256))
        return {"offset": received, "complete": True}


def download(db: Database, who: Principal, sha256: str) -> bytes | None:
    """The bytes of a complete blob the caller may see (it belongs to a visible attachment
    row), else None."""
    if not SHA256.match(sha256):
        return None
    where, params = visible(who)
    with db.read() as c:
        if not c.value("SELECT complete FROM uploads WHERE sha256 = ?", (sha256,)):
            return None
        if not who.is_admin and not c.value(
                f"SELECT count(*) FROM records WHERE tbl = 'attachments' AND blob_sha = ? "
                f"AND {where}", (sha256, *params)):
            return None
        return b"".join(bytes(p["data"]) for p in c.all(
            "SELECT data FROM blob_chunks WHERE sha256 = ? ORDER BY pos", (sha256,)))
