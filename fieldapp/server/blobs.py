"""Attachment bytes on the server: which are missing, resumable upload, download.

Bytes live in the database (table ``blob_chunks``), so one backup (pg_dump or the SQLite
backup API) holds records and photos together and a killed server cannot leave a torn file.
An upload is a sequence of chunks at increasing offsets; a chunk at the wrong offset is
refused with the offset the server expects, so a client that lost a response resumes
exactly where the server is. The upload completes only when the SHA-256 of all chunks equals
the name it was uploaded under; otherwise it is thrown away and must start again.

Bytes are stored once, but every user who names them in an attachment row must have sent
them (or may read them already, server/blob_access.py): ``upload_owners`` keeps, per user,
how many bytes of a blob that user has sent. A chunk of bytes the server already holds is
compared with them instead of stored again, so a second uploader proves possession without
a second copy, and cannot spoil or read the first one's upload. ``missing`` answers for the
caller alone: bytes the caller has not sent and may not read are missing *for them*.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections import Counter

from fieldapp.core.errors import FieldAppError
from fieldapp.server import blob_access
from fieldapp.server.auth import Principal
from fieldapp.server.scope import visible
from fieldapp.server.storage import Conn, Database
from fieldapp.server.timeutil import now_iso
from fieldapp.sync import protocol as P

SHA256 = re.compile(r"[0-9a-f]{64}")  # use fullmatch
MAX_BLOB_BYTES = 256 * 1024 * 1024
MIB = 1024 * 1024
# Attachment bytes one user may send in 24 hours. Generous: a fortnight in the field with
# photos of every item is about 3 GB; the limit is there for a laptop gone wrong.
DEFAULT_QUOTA = 4 * 1024 * MIB
QUOTA_ENV = "FIELDAPP_UPLOAD_QUOTA_MB"
# Uploads one user may hold unfinished at once: a laptop sends a few at a time; many
# hundreds started and left open is a laptop gone wrong (or bytes parked past the quota).
MAX_UNFINISHED = 200


class UploadError(FieldAppError):
    """An upload step refused; ``code`` is the protocol error code, ``offset`` the offset
    the server expects next (for ``conflict``)."""

    def __init__(self, code: str, message: str, offset: int | None = None):
        super().__init__(message)
        self.code = code
        self.offset = offset


def quota_from_environment() -> int:
    """The per-user upload quota in bytes: ``FIELDAPP_UPLOAD_QUOTA_MB`` or the default."""
    raw = os.environ.get(QUOTA_ENV, "").strip()
    if not raw:
        return DEFAULT_QUOTA
    if not raw.isascii() or not raw.isdigit():
        raise FieldAppError(f"{QUOTA_ENV} must be a whole number of megabytes, not {raw!r}")
    return int(raw) * MIB


def missing(db: Database, who: Principal, hashes: list[str]) -> list[dict]:
    """For each hash ``who`` must still send: ``{"sha256": h, "offset": bytes of it this
    caller has sent}``. Bytes count as present only if complete here and the caller sent
    them all or may read them, so the answer says nothing about other users' bytes."""
    wanted = list(dict.fromkeys(hashes))
    uploads, mine, readable = {}, {}, set()
    with db.read() as c:
        for cond, params in c.any_of("sha256", wanted):
            for row in c.all(f"SELECT sha256, size, complete FROM uploads WHERE {cond}",
                             params):
                uploads[row["sha256"]] = row
            for row in c.all(f"SELECT sha256, bytes FROM upload_owners WHERE user_id = ? "
                             f"AND {cond}", [who.user_id, *params]):
                mine[row["sha256"]] = row["bytes"]
        stored = [h for h in wanted if h in uploads and uploads[h]["complete"]]
        readable = _readable(c, who, stored)
    out = []
    for h in wanted:
        row, sent = uploads.get(h), mine.get(h, 0)
        if row is not None and row["complete"] and (sent == row["size"] or h in readable):
            continue
        out.append({"sha256": h, "offset": sent})
    return out


def _readable(c: Conn, who: Principal, hashes: list[str]) -> set[str]:
    """Those of ``hashes`` that a visible attachment row names (all, for an admin)."""
    if who.is_admin:
        return set(hashes)
    where, params = visible(who)
    found = set()
    for cond, values in c.any_of("blob_sha", hashes):
        found.update(r["blob_sha"] for r in c.all(
            f"SELECT DISTINCT blob_sha FROM records WHERE {cond} "
            f"AND {where}", [*values, *params]))
    return found


def upload_chunk(db: Database, who: Principal, sha256: str, offset: int, total: int,
                 data: bytes, quota: int = DEFAULT_QUOTA) -> dict:
    """Take ``data`` at ``offset`` of the blob ``sha256`` of ``total`` bytes from ``who``.

    ``offset`` is where this caller is (its own bytes sent so far). Bytes the server already
    holds are compared, not stored again. Returns ``{"offset": next offset, "complete":
    bool}``, complete once the blob is whole here and the caller has sent all of it.
    Replaying a chunk already taken changes nothing.
    """
    _check_name(sha256, total)
    # The whole blob in one request (a photo): verify it in memory, before the transaction,
    # instead of storing it and reading it back.
    whole = offset == 0 and len(data) == total
    whole_ok = whole and hashlib.sha256(data).hexdigest() == sha256
    with db.blob_write() as c:
        return _take(c, who, sha256, offset, total, data, quota, whole_ok)


def upload_many(db: Database, who: Principal, parts: list[tuple[str, bytes]],
                quota: int = DEFAULT_QUOTA) -> list[dict]:
    """Take several whole blobs ``(sha256, bytes)`` in ONE transaction (a record's small
    photos: one request and one commit instead of one each). Each is taken as
    ``upload_chunk`` takes a whole blob at offset 0, under a savepoint of its own, so one
    refused (damaged, over the quota) changes nothing of it and keeps the others. Returns
    per part ``{"sha256", "offset", "complete"}``, with ``"error"`` and ``"reason"`` when
    refused (``hash_mismatch``: the bytes are not their name's)."""
    for sha256, data in parts:
        _check_name(sha256, len(data))
    verified = [hashlib.sha256(data).hexdigest() == sha256 for sha256, data in parts]
    answers: dict[int, dict] = {}
    with db.blob_write() as c:
        taken = _take_new(c, who, [p for p, ok in zip(parts, verified, strict=True) if ok],
                          parts, quota)
        # In name order: two laptops sending the same photos lock their upload rows in one
        # order, so neither waits for the other while holding what the other waits for.
        for n, (sha256, data) in sorted(enumerate(parts), key=lambda p: p[1][0]):
            if sha256 in taken:
                answers[n] = {"sha256": sha256, "offset": len(data), "complete": True}
                continue
            whole_ok = verified[n]
            c.run("SAVEPOINT blob_part")
            try:
                answer = _take(c, who, sha256, 0, len(data), data, quota, whole_ok)
            except UploadError as exc:
                c.run("ROLLBACK TO SAVEPOINT blob_part")
                answer = {"offset": exc.offset or 0, "complete": False, "error": exc.code,
                          "reason": str(exc)}
            if answer.pop("hash_mismatch", False):
                answer.update(error=P.E_HASH_MISMATCH, reason="the bytes do not match their "
                              "SHA-256; discarded, send them again")
            c.run("RELEASE SAVEPOINT blob_part")
            answers[n] = {"sha256": sha256, **answer}
    return [answers[n] for n in range(len(parts))]


def _take_new(c: Conn, who: Principal, whole: list[tuple[str, bytes]],
              parts: list[tuple[str, bytes]], quota: int) -> set[str]:
    """Take at once the verified whole blobs ``whole`` that the server has never seen (a
    day's photos, nearly always): a handful of statements for the lot instead of a dozen
    under a savepoint for each. Returns the names taken; the rest go through ``_take`` one
    by one. Only when ``_take`` would take each of them too: every part of the batch
    (``parts``) within the quota together, and the caller under the unfinished-upload
    limit that ``_take`` applies to a new name."""
    # A name twice in one batch (a broken laptop's) goes one by one: answers in order.
    counts = Counter(sha for sha, _ in parts)
    whole = [(sha, data) for sha, data in whole if counts[sha] == 1]
    if not whole:
        return set()
    if blob_access.used_today(c, who.user_id) + sum(len(d) for _, d in parts) > quota:
        return set()
    if _unfinished(c, who) >= MAX_UNFINISHED:
        return set()
    size = dict(whole)
    names = sorted(size)   # the claims' lock order, as _take's (upload_many)
    now = now_iso()
    # Claimed already complete: its bytes are written in this same transaction. A name
    # another upload holds (finished or not, or being claimed by a transaction not yet
    # committed, which this waits for) is not returned, and goes through _take.
    rows = ", ".join("(?, ?, ?, 1, ?)" for _ in names)
    taken = {sha for (sha,) in c.tuples(
        f"INSERT INTO uploads (sha256, size, received, complete, created_at) VALUES {rows} "
        "ON CONFLICT (sha256) DO NOTHING RETURNING sha256",
        [v for sha in names for v in (sha, len(size[sha]), len(size[sha]), now)])}
    if taken:
        # One statement each for the lot on PostgreSQL, as the claims above: a day's five
        # photos were ten statements for it to parse, plan and run.
        mine = sorted(taken)
        c.insert_values("blob_chunks", ("sha256", "pos", "data"),
                        [(sha, 0, size[sha]) for sha in mine])
        c.insert_values("upload_owners", ("sha256", "user_id", "bytes", "created_at"),
                        [(sha, who.user_id, len(size[sha]), now) for sha in mine])
    return taken


def _check_name(sha256: str, total: int) -> None:
    if not SHA256.fullmatch(sha256):
        raise UploadError("bad_request", "attachment name must be a lower-case SHA-256")
    if not 0 < total <= MAX_BLOB_BYTES:
        raise UploadError("too_large", f"an attachment is 1 byte to {MAX_BLOB_BYTES} bytes")


def _take(c: Conn, who: Principal, sha256: str, offset: int, total: int, data: bytes,
          quota: int, whole_ok: bool) -> dict:
    """``upload_chunk`` inside the caller's transaction; ``whole_ok``: ``data`` is the whole
    blob and hashes to its name."""
    whole = offset == 0 and len(data) == total
    # Claim the upload row first (ON CONFLICT: two laptops may send the same photo at
    # once), then lock it, so chunks of one blob are taken one at a time.
    c.run("INSERT INTO uploads (sha256, size, received, complete, created_at) "
          "VALUES (?, ?, 0, 0, ?) ON CONFLICT (sha256) DO NOTHING",
          (sha256, total, now_iso()))
    lock = " FOR UPDATE" if c.dialect == "postgresql" else ""
    row = c.one(f"SELECT size, received, complete FROM uploads WHERE sha256 = ?{lock}",
                (sha256,))
    if row["size"] != total and not row["complete"]:
        # Unverified bytes under a size that is not the caller's: whoever started it
        # cannot hold the name against this caller. Start afresh with the caller's.
        row = _restart(c, sha256, total)
    if row["size"] != total:
        raise UploadError("bad_request", f"this upload was started with {row['size']} "
                          f"bytes, not {total}")
    held = row["size"] if row["complete"] else row["received"]
    own = c.value("SELECT bytes FROM upload_owners WHERE sha256 = ? AND user_id = ?",
                  (sha256, who.user_id))
    if own is None and not row["complete"]:
        _check_unfinished(c, who)
    sent = min(own or 0, held)  # never past what is here (it always is: belt and braces)
    if row["complete"] and sent == row["size"]:
        return {"offset": row["size"], "complete": True}
    if offset != sent:
        raise UploadError("conflict", f"the server has {sent} bytes of this attachment "
                          "from you; continue from there", sent)
    end = offset + len(data)
    if end > total or not data:
        raise UploadError("bad_request", "chunk is empty or runs past the declared size")
    _check_quota(c, who, len(data), quota)
    if whole:
        if not whole_ok:
            return _refuse(c, sha256, who, row)
        if not row["complete"]:
            # Verified whole: it replaces whatever part another uploader has sent.
            c.run("DELETE FROM blob_chunks WHERE sha256 = ?", (sha256,))
            c.run("INSERT INTO blob_chunks (sha256, pos, data) VALUES (?, ?, ?)",
                  (sha256, 0, data))
            c.run("UPDATE uploads SET received = ?, complete = 1 WHERE sha256 = ?",
                  (total, sha256))
        _record_sent(c, sha256, who, own, total)
        return {"offset": total, "complete": True}
    if offset < held:
        upto = min(end, held)
        if _held_bytes(c, sha256, offset, upto) != data[:upto - offset]:
            if row["complete"]:
                return _refuse(c, sha256, who, row)
            # Unverified bytes past what this caller has matched may be anyone's, a
            # wrong guess or spoiling: they must not refuse the caller's own. Keep the
            # part the caller agrees with and continue with its bytes; the hash decides
            # at the end (others resume from where the upload now stands).
            _truncate(c, sha256, offset)
            held = offset
    if end > held:
        c.run("INSERT INTO blob_chunks (sha256, pos, data) VALUES (?, ?, ?)",
              (sha256, held, data[held - offset:]))
        c.run("UPDATE uploads SET received = ? WHERE sha256 = ?", (end, sha256))
    _record_sent(c, sha256, who, own, end)
    if end == total and not row["complete"]:
        if not _verify(c, sha256):
            return {"offset": 0, "complete": False, "hash_mismatch": True}
    return {"offset": end, "complete": end == total}


def _check_quota(c: Conn, who: Principal, size: int, quota: int) -> None:
    if blob_access.used_today(c, who.user_id) + size > quota:
        raise UploadError("too_large", f"ส่งไฟล์แนบครบโควตาของวันนี้แล้ว (upload quota "
                          f"reached: {quota // MIB} MB per user in 24 hours) — the rest is "
                          "sent by a later sync; nothing is lost")


def _check_unfinished(c: Conn, who: Principal) -> None:
    """Refuse a new upload to a user who holds too many unfinished ones already."""
    if _unfinished(c, who) >= MAX_UNFINISHED:
        raise UploadError("too_large", f"มีไฟล์แนบที่ส่งค้างไว้มากเกินไป (too many unfinished "
                          f"uploads: at most {MAX_UNFINISHED} per user) — finish those first; "
                          "the rest is sent by a later sync, nothing is lost")


def _unfinished(c: Conn, who: Principal) -> int:
    """How many unfinished uploads ``who`` holds."""
    return int(c.value("SELECT count(*) FROM upload_owners o JOIN uploads u "
                       "ON u.sha256 = o.sha256 WHERE o.user_id = ? AND u.complete = 0",
                       (who.user_id,)) or 0)


def _record_sent(c: Conn, sha256: str, who: Principal, own: int | None, sent: int) -> None:
    """Count the caller's bytes; ``created_at`` moves to now with every chunk, so the quota
    (blob_access.used_today) counts an upload by when its bytes last came, not when it began
    (an upload started, left and finished a day later is counted in full that day)."""
    if own is None:
        c.run("INSERT INTO upload_owners (sha256, user_id, bytes, created_at) "
              "VALUES (?, ?, ?, ?)", (sha256, who.user_id, sent, now_iso()))
    else:
        c.run("UPDATE upload_owners SET bytes = ?, created_at = ? WHERE sha256 = ? "
              "AND user_id = ?", (sent, now_iso(), sha256, who.user_id))


def _restart(c: Conn, sha256: str, total: int) -> dict:
    """Throw away an unfinished upload and begin it again, empty, at ``total`` bytes."""
    forget(c, sha256)
    c.run("INSERT INTO uploads (sha256, size, received, complete, created_at) "
          "VALUES (?, ?, 0, 0, ?)", (sha256, total, now_iso()))
    return {"size": total, "received": 0, "complete": 0}


def _truncate(c: Conn, sha256: str, keep: int) -> None:
    """Cut an unfinished upload back to its first ``keep`` bytes; no sender is counted
    past them."""
    # Chunks are at most MAX_CHUNK_BYTES: only those starting after keep - MAX_CHUNK_BYTES
    # can reach past ``keep``; they are rewritten as one chunk of their bytes before it.
    after = keep - P.MAX_CHUNK_BYTES
    start = c.value("SELECT min(pos) FROM blob_chunks WHERE sha256 = ? AND pos > ? "
                    "AND pos < ?", (sha256, after, keep))
    head = _held_bytes(c, sha256, int(start), keep) if start is not None else b""
    c.run("DELETE FROM blob_chunks WHERE sha256 = ? AND pos > ?", (sha256, after))
    if head:
        c.run("INSERT INTO blob_chunks (sha256, pos, data) VALUES (?, ?, ?)",
              (sha256, int(start), head))
    c.run("UPDATE uploads SET received = ? WHERE sha256 = ?", (keep, sha256))
    c.run("UPDATE upload_owners SET bytes = ? WHERE sha256 = ? AND bytes > ?",
          (keep, sha256, keep))


def _held_bytes(c: Conn, sha256: str, start: int, stop: int) -> bytes:
    """The stored bytes ``start:stop`` of a blob (chunks are at most MAX_CHUNK_BYTES)."""
    out = bytearray()
    for part in c.all("SELECT pos, data FROM blob_chunks WHERE sha256 = ? AND pos > ? "
                      "AND pos < ? ORDER BY pos",
                      (sha256, start - P.MAX_CHUNK_BYTES, stop)):
        pos, data = part["pos"], bytes(part["data"])
        lo, hi = max(start, pos), min(stop, pos + len(data))
        if lo < hi:
            out += data[lo - pos:hi - pos]
    return bytes(out)


def _refuse(c: Conn, sha256: str, who: Principal, row: dict) -> dict:
    """The caller's bytes are not the blob's: forget what they sent (an upload nobody else
    has sent to goes too); what others sent stays."""
    c.run("DELETE FROM upload_owners WHERE sha256 = ? AND user_id = ?", (sha256, who.user_id))
    if not row["complete"] and not c.value(
            "SELECT count(*) FROM upload_owners WHERE sha256 = ?", (sha256,)):
        forget(c, sha256)
    return {"offset": 0, "complete": False, "hash_mismatch": True}


def _verify(c: Conn, sha256: str) -> bool:
    """Hash the just-completed blob; mark it complete, or throw it all away."""
    digest = hashlib.sha256()
    for part in c.all("SELECT data FROM blob_chunks WHERE sha256 = ? ORDER BY pos",
                      (sha256,)):
        digest.update(bytes(part["data"]))
    if digest.hexdigest() != sha256:
        forget(c, sha256)
        return False
    c.run("UPDATE uploads SET complete = 1 WHERE sha256 = ?", (sha256,))
    return True


def forget(c: Conn, sha256: str) -> None:
    """Remove a blob's bytes and every trace of its upload."""
    c.run("DELETE FROM blob_chunks WHERE sha256 = ?", (sha256,))
    c.run("DELETE FROM upload_owners WHERE sha256 = ?", (sha256,))
    c.run("DELETE FROM uploads WHERE sha256 = ?", (sha256,))


def download(db: Database, who: Principal, sha256: str) -> bytes | None:
    """The bytes of a complete blob the caller may read (an attachment row they can see
    names it), else None."""
    if not SHA256.fullmatch(sha256):
        return None
    with db.read() as c:
        if not c.value("SELECT complete FROM uploads WHERE sha256 = ?", (sha256,)):
            return None
        if not blob_access.may_read(c, who, sha256):
            return None
        return b"".join(bytes(p["data"]) for p in c.all(
            "SELECT data FROM blob_chunks WHERE sha256 = ? ORDER BY pos", (sha256,)))
