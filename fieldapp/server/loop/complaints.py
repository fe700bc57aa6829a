"""Complaints (เรื่องร้องเรียน): registered by the office, assigned to an inspector as a plan,
answered to the complainant, closed (docs/office-loop.md).

The complaint itself is a synced row (it reaches the assigned inspector's laptop with its
files); who complained is personal data and stays in the server table ``complainants``:
nothing here ever puts the name or contact into a synced row. The bytes of attached photos
and letters go to the server's blob store as the office's upload, so that the
``complaint_files`` rows the office writes may name them (server/blob_access.py).

Callers (the console) check the user's role; the scope of provinces is checked here, on the
row: a complaint outside the caller's provinces is "not found".
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, timedelta

from fieldapp.core.errors import NotFoundError, ValidationError
from fieldapp.core.ids import uuid7
from fieldapp.server import blob_access, blobs
from fieldapp.server.auth import Principal
from fieldapp.server.loop import plans, settings
from fieldapp.server.office import write_fields, write_rows
from fieldapp.server.queries.scoping import province_name, regional, usable_id
from fieldapp.server.records import Record
from fieldapp.server.scope import may_read
from fieldapp.server.storage import Database
from fieldapp.server.timeutil import now_iso
from fieldapp.sync import protocol as P

MAX_FILE_BYTES = 15 * 1024 * 1024   # one photo or scanned letter
MAX_FILES = 10
# What a complaint's attachment may be, told by its first bytes (never by the name the
# browser sends): what the laptop can show (photos) or open (a letter as PDF).
_MAGIC = ((b"\xff\xd8\xff", "image/jpeg"), (b"\x89PNG\r\n\x1a\n", "image/png"),
          (b"%PDF-", "application/pdf"))
# Where a complaint's place may lie: Thailand, with a margin (a typo of a digit lands far).
LAT_RANGE, LNG_RANGE = (5.0, 21.0), (97.0, 106.0)


def file_type(data: bytes) -> str | None:
    """The MIME type of an attachment by its content, or None if it is not one we take."""
    for magic, mime in _MAGIC:
        if data.startswith(magic):
            return mime
    return None


@dataclass
class NewComplaint:
    received_on: str
    channel: str
    problem_types: list[str]
    description: str
    factory_id: str | None = None
    place_name: str | None = None
    lat: float | None = None
    lng: float | None = None
    province_code: str | None = None
    district: str | None = None
    complainant_name: str | None = None
    complainant_contact: str | None = None
    # (bytes, caption) of each attachment, already checked (file_type, MAX_FILE_BYTES)
    files: list[tuple[bytes, str | None]] = field(default_factory=list)
    # (sha256, caption) of attachments kept from an earlier sending of the form (keep_file)
    kept: list[tuple[str, str | None]] = field(default_factory=list)


def due_on(db: Database, received_on: str) -> str:
    """The day the complainant must have an answer by (received + complaint_reply_days)."""
    days = settings.days(db, "complaint_reply_days")
    return (date.fromisoformat(received_on) + timedelta(days=days)).isoformat()


def store_bytes(db: Database, who: Principal, data: bytes) -> str:
    """Put ``data`` in the blob store as ``who``'s upload, complete and verified; returns
    its SHA-256. Sent in the protocol's chunks, as a laptop sends it."""
    sha = hashlib.sha256(data).hexdigest()
    offset = 0
    while True:
        part = data[offset:offset + P.MAX_CHUNK_BYTES]
        answer = blobs.upload_chunk(db, who, sha, offset, len(data), part)
        if answer.get("complete"):
            return sha
        if answer.get("hash_mismatch") or answer["offset"] <= offset:
            raise ValidationError("เก็บไฟล์แนบไม่สำเร็จ (the attachment could not be stored)")
        offset = answer["offset"]


def keep_file(db: Database, who: Principal, data: bytes) -> str:
    """Keep an attachment of a form sent back to the browser (a factory search, a mistake
    to correct), which cannot be given the file again: the bytes go to the blob store as
    ``who``'s upload, and the form carries their SHA-256 to name them when the complaint
    is registered. Bytes no complaint ever names go with ``fieldapp-server gc-uploads``."""
    if file_type(data) is None or len(data) > MAX_FILE_BYTES:
        raise ValidationError("ไฟล์แนบไม่ใช่ภาพหรือ PDF หรือใหญ่เกินไป (an attachment is "
                              "not a photo or PDF, or too large)")
    return store_bytes(db, who, data)


def kept_file(db: Database, who: Principal, sha256: str) -> tuple[int, str] | None:
    """(size, MIME type) of bytes ``who`` kept with ``keep_file``; None for bytes they did
    not send themselves (a hash in a form proves nothing)."""
    if not isinstance(sha256, str) or not blobs.SHA256.fullmatch(sha256):
        return None
    with db.read() as c:
        if not blob_access.uploaded_all(c, who.user_id, sha256):
            return None
        size = int(c.value("SELECT size FROM uploads WHERE sha256 = ?", (sha256,)))
        head = c.one("SELECT data FROM blob_chunks WHERE sha256 = ? ORDER BY pos LIMIT 1",
                     (sha256,))
    mime = file_type(bytes(head["data"])[:16]) if head else None
    return (size, mime) if mime and size <= MAX_FILE_BYTES else None


def _file_rows(db: Database, who: Principal, complaint_id: str,
               files: list[tuple[bytes, str | None]],
               kept: list[tuple[str, str | None]] = ()) -> list[tuple[str, str, dict]]:
    rows = []
    for sha, caption in kept:
        found = kept_file(db, who, sha)
        if found is None:
            raise ValidationError("ไฟล์แนบที่เก็บไว้ไม่พบแล้ว เลือกไฟล์ใหม่ (a kept attachment is "
                                  "gone: choose the file again)")
        rows.append(("complaint_files", uuid7(), {
            "complaint_id": complaint_id, "sha256": sha, "size": found[0], "mime": found[1],
            "caption": (caption or "")[:200] or None}))
    attached = {sha for sha, _ in kept}
    for data, caption in files:
        mime = file_type(data)
        if mime is None or len(data) > MAX_FILE_BYTES:
            raise ValidationError("ไฟล์แนบไม่ใช่ภาพหรือ PDF หรือใหญ่เกินไป (an attachment is "
                                  "not a photo or PDF, or too large)")
        sha = store_bytes(db, who, data)
        if sha in attached:
            continue   # chosen again after it was kept (the form used to ask for that)
        attached.add(sha)
        rows.append(("complaint_files", uuid7(), {
            "complaint_id": complaint_id, "sha256": sha, "size": len(data), "mime": mime,
            "caption": (caption or "")[:200] or None}))
    return rows


def register(db: Database, who: Principal, new: NewComplaint) -> str:
    """Record a complaint received (status ``received``), its files and, on the server
    only, who complained. Returns the complaint's id."""
    complaint_id = uuid7()
    fields = {
        "received_on": new.received_on, "channel": new.channel,
        "factory_id": new.factory_id, "place_name": None if new.factory_id else new.place_name,
        "lat": None if new.factory_id else new.lat, "lng": None if new.factory_id else new.lng,
        "province_code": None if new.factory_id else new.province_code,
        "district": None if new.factory_id else new.district,
        "problem_types": ",".join(new.problem_types), "description": new.description,
        "status": "received", "due_on": due_on(db, new.received_on), "replied_on": None,
        "reply_text": None, "assignee": None, "inspection_id": None}
    files = _file_rows(db, who, complaint_id, new.files, new.kept)
    acks = write_rows(db, who, [("complaints", complaint_id, fields), *files])
    refused = [a["reason"] for a in acks if a["outcome"] == P.REJECTED]
    if refused:
        raise ValidationError(refused[0])
    name = (new.complainant_name or "").strip() or None
    contact = (new.complainant_contact or "").strip() or None
    if name or contact:
        with db.write() as c:
            c.run("INSERT INTO complainants (complaint_id, name, contact, recorded_by, "
                  "recorded_at) VALUES (?, ?, ?, ?, ?)",
                  (complaint_id, name, contact, who.username, now_iso()))
    return complaint_id


# -- reading -------------------------------------------------------------------------------


def _overdue(data: dict, today: str) -> bool:
    return data.get("status") in ("received", "assigned") and bool(data.get("due_on")) \
        and str(data["due_on"]) < today


def _factories(c, ids: list[str]) -> dict[str, dict]:
    found = {}
    for where, params in c.any_of("id", [i for i in ids if i]):
        for row in c.all(f"SELECT id, fid, name, district, province FROM factory_index "
                         f"WHERE {where}", params):
            found[row["id"]] = row
    return found


def _usernames(c) -> dict[str, str]:
    return {u["id"]: u["username"] for u in c.all("SELECT id, username FROM users")}


def list_complaints(db: Database, who: Principal, *, status: str | None = None,
                    channel: str | None = None, problem: str | None = None,
                    overdue: bool = False, today: str | None = None,
                    limit: int = 1000) -> list[dict]:
    """The complaints of ``who``'s provinces, newest first, filtered; never a complainant
    (those are only in ``complainant``)."""
    today = today or settings.office_today().isoformat()
    scope, params = regional(who)
    with db.read() as c:
        rows = [Record.from_row(r) for r in c.all(
            f"SELECT * FROM records WHERE tbl = 'complaints' AND deleted = 0 AND {scope}",
            params)]
        factories = _factories(c, [r.data.get("factory_id") for r in rows])
        names = _usernames(c)
    out = []
    for r in rows:
        d = r.data
        kinds = (d.get("problem_types") or "").split(",")
        late = _overdue(d, today)
        if (status and d.get("status") != status) or (channel and d.get("channel") != channel) \
                or (problem and problem not in kinds) or (overdue and not late):
            continue
        f = factories.get(d.get("factory_id") or "")
        out.append({"id": r.id, "received_on": d.get("received_on"),
                    "channel": d.get("channel"), "problem_types": kinds,
                    "description": d.get("description"), "status": d.get("status"),
                    "due_on": d.get("due_on"), "replied_on": d.get("replied_on"),
                    "overdue": late, "place": f["name"] if f else d.get("place_name"),
                    "fid": f["fid"] if f else None, "registered": f is not None,
                    "district": f["district"] if f else d.get("district"),
                    "province_name": province_name(r.province),
                    "assignee": names.get(d.get("assignee") or "")})
    # overdue lists the one waiting longest first; the register newest first
    if overdue:
        out.sort(key=lambda x: (x["due_on"] or "", x["id"]))
    else:
        out.sort(key=lambda x: (x["received_on"] or "", x["id"]), reverse=True)
    return out[:limit]


def _complaint(c, who: Principal, complaint_id: str) -> Record | None:
    if not usable_id(complaint_id):
        return None
    row = c.one("SELECT * FROM records WHERE tbl = 'complaints' AND id = ?", (complaint_id,))
    if row is None:
        return None
    rec = Record.from_row(row)
    return rec if not rec.deleted and may_read(who, rec) else None


def complaint_detail(db: Database, who: Principal, complaint_id: str,
                     today: str | None = None) -> dict | None:
    """One complaint with its files, its factory, its plans and their inspections; None
    when unknown or outside ``who``'s provinces. No complainant (see ``complainant``)."""
    today = today or settings.office_today().isoformat()
    with db.read() as c:
        rec = _complaint(c, who, complaint_id)
        if rec is None:
            return None
        files = [Record.from_row(r) for r in c.all(
            "SELECT * FROM records WHERE tbl = 'complaint_files' AND parent_id = ? "
            "AND deleted = 0 ORDER BY id", (rec.id,))]
        plan_rows = [Record.from_row(r) for r in c.all(
            "SELECT * FROM records WHERE tbl = 'plans' AND province = ? AND deleted = 0",
            (rec.province,))]
        plan_rows = [p for p in plan_rows if p.data.get("complaint_id") == rec.id]
        wanted = {p.data.get("inspection_id") for p in plan_rows} | \
            {rec.data.get("inspection_id")}
        inspections = {}
        for where, params in c.any_of("id", [i for i in wanted if i]):
            for row in c.all(f"SELECT id, record_no, state, started_at, finalized_at FROM "
                             f"inspection_index WHERE deleted = 0 AND {where}", params):
                inspections[row["id"]] = row
        factory = _factories(c, [rec.data.get("factory_id")]).get(
            rec.data.get("factory_id") or "")
        names = _usernames(c)
    d = rec.data
    plans_out = []
    for p in sorted(plan_rows, key=lambda p: (p.data.get("planned_on") or "", p.id)):
        plans_out.append({"id": p.id, **p.data,
                          "assignee_username": names.get(p.data.get("assignee") or ""),
                          "inspection": inspections.get(p.data.get("inspection_id") or "")})
    return {"id": rec.id, **{k: d.get(k) for k in P.COLUMNS["complaints"]},
            "problem_types": (d.get("problem_types") or "").split(","),
            "province": rec.province, "province_name": province_name(rec.province),
            "factory": factory, "overdue": _overdue(d, today),
            "assignee_username": names.get(d.get("assignee") or ""),
            "inspection": inspections.get(d.get("inspection_id") or ""),
            "files": [{"id": f.id, **f.data} for f in files], "plans": plans_out}


def complainant(db: Database, complaint_id: str) -> dict | None:
    """Who complained (name, contact) as recorded, or None. Personal data: the caller shows
    it only to supervisors and administrators and writes the view to the audit log."""
    with db.read() as c:
        return c.one("SELECT name, contact, recorded_by, recorded_at FROM complainants "
                     "WHERE complaint_id = ?", (complaint_id,))


def file_bytes(db: Database, who: Principal, complaint_id: str, sha256: str) -> bytes | None:
    """The bytes of a file of a complaint ``who`` may read, else None."""
    with db.read() as c:
        rec = _complaint(c, who, complaint_id)
        named = rec is not None and c.value(
            "SELECT 1 FROM records WHERE tbl = 'complaint_files' AND parent_id = ? "
            "AND blob_sha = ? AND deleted = 0", (rec.id, sha256))
    return blobs.download(db, who, sha256) if named else None


def assignees(db: Database, province: str | None) -> list[dict]:
    """Enabled inspectors and supervisors holding ``province`` (who may be sent there)."""
    with db.read() as c:
        return c.all("SELECT u.id, u.username, u.role FROM users u JOIN user_provinces p "
                     "ON p.user_id = u.id WHERE p.province_code = ? AND u.disabled = 0 "
                     "AND u.role IN ('inspector', 'supervisor') ORDER BY u.username",
                     (province or "",))


# -- the office's actions ------------------------------------------------------------------


def _write(db: Database, who: Principal, complaint_id: str, fields: dict) -> None:
    ack = write_fields(db, who, "complaints", complaint_id, fields)
    if ack["outcome"] == P.REJECTED:
        raise ValidationError(ack["reason"])


def _found(db: Database, who: Principal, complaint_id: str) -> dict:
    found = complaint_detail(db, who, complaint_id)
    if found is None:
        raise NotFoundError("ไม่พบเรื่องร้องเรียนนี้ (no such complaint)")
    return found


def assign(db: Database, who: Principal, complaint_id: str, assignee_id: str,
           planned_on: str, note: str | None = None) -> str:
    """Send an inspector: a plan of kind ``complaint`` (template ``complaint``) for them,
    and the complaint assigned to them, so that it and its files reach their laptop.
    A plan of an earlier assignment not yet started is cancelled. Returns the plan's id."""
    found = _found(db, who, complaint_id)
    if found["status"] == "closed":
        raise ValidationError("เรื่องนี้ปิดแล้ว (the complaint is closed)")
    person = plans.assignee(db, assignee_id)
    if found["province"] not in person.provinces:
        raise ValidationError(f"{person.display_name} ไม่ได้รับสิทธิ์จังหวัดของเรื่องนี้ "
                              f"({person.display_name} does not hold the complaint's "
                              f"province)")
    plan_id = plans.create_plans(
        db, who, [found["factory_id"]] if found["factory_id"] else [],
        assignee_id=person.user_id, planned_on=planned_on, kind="complaint",
        template_key="complaint", note=note, complaint_id=complaint_id)[0]
    fields = {"assignee": person.user_id}
    if found["status"] == "received":
        fields["status"] = "assigned"
    _write(db, who, complaint_id, fields)
    for p in found["plans"]:
        if p["status"] == "planned" and p["id"] != plan_id:
            plans.set_status(db, who, p["id"], "cancelled")
    return plan_id


def reply(db: Database, who: Principal, complaint_id: str, replied_on: str,
          text: str) -> None:
    """Record the answer given to the complainant (status ``replied``)."""
    found = _found(db, who, complaint_id)
    if found["status"] == "closed":
        raise ValidationError("เรื่องนี้ปิดแล้ว (the complaint is closed)")
    received = found.get("received_on")
    if isinstance(received, str) and replied_on < received[:10]:
        # A month's report would count it replied before it was received.
        raise ValidationError("วันที่ตอบต้องไม่ก่อนวันที่รับเรื่อง (the reply cannot be dated "
                              "before the complaint was received)")
    _write(db, who, complaint_id, {"replied_on": replied_on, "reply_text": text,
                                   "status": "replied"})


def close(db: Database, who: Principal, complaint_id: str) -> None:
    _found(db, who, complaint_id)
    _write(db, who, complaint_id, {"status": "closed"})
