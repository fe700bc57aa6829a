"""Review of finalized records (docs/office-loop.md): a supervisor or administrator approves
a record, returns it with a comment for the inspector to answer with an amendment, or
reopens an approved one. One ``reviews`` row per record, named by the record's id; approving
it issues the record's corrective orders (server/derive.py, same transaction).

The caller has checked the reviewer's role and province; this module checks the state rules
(no approving a draft, no returning without a comment, reopening only what is approved) and
writes every change to the audit log.
"""

from __future__ import annotations

from fieldapp.core.errors import NotFoundError, ValidationError
from fieldapp.server import audit
from fieldapp.server.auth import Principal
from fieldapp.server.office import write_fields
from fieldapp.server.records import Record
from fieldapp.server.storage import Database
from fieldapp.server.timeutil import now_iso
from fieldapp.sync import protocol as P

MAX_COMMENT = 4000
NOT_FINAL = ("บันทึกนี้ยังเป็นฉบับร่าง ตรวจทานได้เมื่อผู้ตรวจยืนยันบันทึกแล้ว (this record is "
             "still a draft: it can be reviewed once the inspector finalizes it)")
NEEDS_COMMENT = ("กรุณาระบุเหตุผลที่ส่งกลับแก้ไข (say what the inspector should correct: a "
                 "record is returned with a comment)")
ALREADY_APPROVED = "บันทึกนี้ได้รับอนุมัติแล้ว (this record is already approved)"
RETURN_APPROVED = ("บันทึกนี้ได้รับอนุมัติแล้ว ต้องเปิดให้แก้ไขก่อนจึงส่งกลับได้ (this record is "
                   "approved: reopen it before returning it)")
AMENDED = ("บันทึกนี้มีฉบับแก้ไขที่ยืนยันแล้ว ให้ตรวจทานฉบับแก้ไขแทน (this record has a finalized "
           "amendment, which replaces it: review the amendment)")
REOPEN_ONLY_APPROVED = ("เปิดให้แก้ไขได้เฉพาะบันทึกที่อนุมัติแล้ว (only an approved record can be "
                        "reopened)")


def load_review(db: Database, inspection_id: str) -> dict | None:
    """The review row of a record (its fields), or None: the record is *received*."""
    with db.read() as c:
        row = c.one("SELECT * FROM records WHERE tbl = 'reviews' AND id = ? AND deleted = 0",
                    (inspection_id,))
    return Record.from_row(row).data if row else None


def set_review(db: Database, who: Principal, inspection_id: str, state: str,
               comment: str | None = None, address: str = "") -> dict:
    """Approve, return or reopen the record ``inspection_id`` as ``who``; returns the fields
    written. ValidationError (bilingual, for the form) when the rules refuse it."""
    if state not in P.REVIEW_STATES:
        raise ValidationError(f"unknown review state {state!r}")
    comment = (comment or "").replace("\r\n", "\n").strip()[:MAX_COMMENT] or None
    with db.read() as c:
        row = c.one("SELECT * FROM records WHERE tbl = 'inspections' AND id = ? "
                    "AND deleted = 0", (inspection_id,))
        # Approving a record its amendment replaces issued its orders beside the
        # amendment's (two sets in force for one finding).
        replaced = c.value("SELECT count(*) FROM inspection_index WHERE amends_id = ? "
                           "AND state = 'finalized' AND deleted = 0", (inspection_id,))
    if row is None:
        raise NotFoundError("no such inspection")
    inspection = Record.from_row(row)
    current = (load_review(db, inspection_id) or {}).get("state")
    if inspection.data.get("state") != "finalized":
        raise ValidationError(NOT_FINAL)
    if state in ("approved", "returned") and replaced:
        raise ValidationError(AMENDED)
    if state == "returned" and not comment:
        raise ValidationError(NEEDS_COMMENT)
    if state == "approved" and current == "approved":
        raise ValidationError(ALREADY_APPROVED)
    if state == "returned" and current == "approved":
        raise ValidationError(RETURN_APPROVED)
    if state == "reopened" and current != "approved":
        raise ValidationError(REOPEN_ONLY_APPROVED)
    fields = {"inspection_id": inspection_id, "state": state, "comment": comment,
              "reviewer": who.username, "reviewed_at": now_iso()}
    ack = write_fields(db, who, "reviews", inspection_id, fields)
    if ack["outcome"] == P.REJECTED:
        raise ValidationError(ack["reason"])
    audit.record(db, who, audit.CHANGE, f"/inspections/{inspection_id}",
                 f"review: {current or 'received'} -> {state}"
                 + (f"; comment: {comment}" if comment else ""), address)
    return fields
