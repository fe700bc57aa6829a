"""Inspections and everything under them: answers, findings, participants, attachments,
signatures; finalizing and amending.

A finalized inspection is frozen: every function here refuses to change it (and triggers in
the schema refuse it again, should anything slip past). Corrections are amendments: a new
draft that points at the original.
"""

from __future__ import annotations

from datetime import date

from fieldapp.core.canonical import content_hash, factory_text, inspection_document
from fieldapp.core.detection import UNDECIDED
from fieldapp.core.errors import ImmutableRecordError, NotFoundError, ValidationError
from fieldapp.core.ids import name_id, uuid7
from fieldapp.core.templates import is_exceeded, judgement, normalize_value
from fieldapp.store.blobs import blob_path, put_blob
from fieldapp.store.changes import delete_row, get_row, now_iso, save_row
from fieldapp.store.db import Store
from fieldapp.store.templates import get_template

KINDS = ("routine", "complaint", "follow_up")
RESULTS = ("pass", "fail", "na", "not_checked")
ROLES = ("inspector", "representative", "witness")
FINDING_STATUSES = ("open", "in_progress", "resolved", "cancelled")
CHILD_TABLES = ("answers", "findings", "participants", "attachments", "signatures")

# Ids of every row under inspection ``i`` (for "waiting to sync": any of them unsent).
_CHILD_IDS = " ".join(f"UNION ALL SELECT id FROM {t} WHERE inspection_id = i.id"
                      for t in CHILD_TABLES)

FROZEN_MESSAGE = ("บันทึกนี้ลงนามและปิดแล้ว แก้ไขไม่ได้ (inspection {id} is finalized) — "
                  "make an amendment instead")


# -- reading --------------------------------------------------------------------------------

def get_inspection(store: Store, inspection_id: str) -> dict:
    """The inspection row; NotFoundError if it does not exist or was deleted."""
    row = get_row(store, "inspections", inspection_id)
    if row is None or row["deleted"]:
        raise NotFoundError(f"ไม่พบการตรวจ (no inspection {inspection_id})")
    return row


def children(store: Store, table: str, inspection_id: str) -> list[dict]:
    """Live rows of one child table, in a stable order."""
    order = {"answers": "item_id", "participants": "role, sort_order, id"}.get(table, "id")
    return store.query(f"SELECT * FROM {table} WHERE inspection_id = ? AND deleted = 0 "
                       f"ORDER BY {order}", (inspection_id,))


def load_bundle(store: Store, inspection_id: str) -> dict:
    """The inspection with all its live children, as plain data (for views, PDF, hashing)."""
    bundle = {"inspection": get_inspection(store, inspection_id)}
    for table in CHILD_TABLES:
        bundle[table] = children(store, table, inspection_id)
    return bundle


def compute_content_hash(store: Store, inspection_id: str) -> str:
    """The canonical content hash of the inspection as it stands now (core.canonical), with
    the factory it keeps (``hashed_factory``)."""
    b = load_bundle(store, inspection_id)
    inspection = b["inspection"]
    return content_hash(inspection_document(
        inspection, b["answers"], b["findings"], b["participants"], b["attachments"],
        hashed_factory(store, inspection, b["signatures"])))


def hashed_factory(store: Store, inspection: dict, signatures: list[dict]) -> str | None:
    """The factory text a record's hash covers: the one it keeps (``signed_factory``, kept
    at its first signature, or when it is finalized unsigned); none for a record signed or
    finalized before records kept one (its signatures hold hashes without it, and must stay
    true); else, a draft nobody has signed, its factory as this laptop holds it now."""
    if inspection.get("signed_factory") is not None:
        return inspection["signed_factory"]
    if inspection["state"] == "finalized" or any(not s["deleted"] for s in signatures):
        return None
    return current_factory_text(store, inspection)


def keep_factory(store: Store, inspection_id: str) -> None:
    """Keep the factory's printed fields with a draft about to be signed or finalized, unless
    it keeps them already or was signed before records kept them (``hashed_factory``):
    from then on a registry import changes the factory, not what the record says of it,
    so it neither prints differently nor makes its signatures stale."""
    inspection = get_inspection(store, inspection_id)
    text = hashed_factory(store, inspection, children(store, "signatures", inspection_id))
    if text is not None and inspection.get("signed_factory") is None:
        save_row(store, "inspections", {"id": inspection_id, "signed_factory": text})


def current_factory_text(store: Store, inspection: dict) -> str:
    """The printed fields of the inspection's factory as this laptop holds them now."""
    return factory_text(get_row(store, "factories", inspection["factory_id"]) or {})


def list_inspections(store: Store, *, state: str | None = None,
                     factory_id: str | None = None, limit: int = 500) -> list[dict]:
    """Inspections newest first, with the factory's name, optionally filtered."""
    where, params = ["i.deleted = 0"], []
    if state:
        where.append("i.state = ?")
        params.append(state)
    if factory_id:
        where.append("i.factory_id = ?")
        params.append(factory_id)
    params.append(limit)
    # INDEXED BY: without statistics SQLite prefers outbox_status and walks every pending
    # entry for each inspection (11 s with a 150,000-row registry import pending).
    return store.query(
        "SELECT i.*, f.name AS factory_name, f.fid AS factory_fid, "
        f"  EXISTS (SELECT 1 FROM outbox o INDEXED BY outbox_pending_row "
        f"    WHERE o.status = 'pending' AND o.row_id IN "
        f"    (SELECT i.id {_CHILD_IDS})) AS unsynced "
        "FROM inspections i LEFT JOIN factories f ON f.id = i.factory_id "
        f"WHERE {' AND '.join(where)} ORDER BY i.started_at DESC LIMIT ?", tuple(params))


# -- guards ---------------------------------------------------------------------------------

def _draft(store: Store, inspection_id: str) -> dict:
    row = get_inspection(store, inspection_id)
    if row["state"] != "draft":
        raise ImmutableRecordError(FROZEN_MESSAGE.format(id=inspection_id))
    return row


def _child(store: Store, table: str, row_id: str) -> dict:
    row = get_row(store, table, row_id)
    if row is None or row["deleted"]:
        raise NotFoundError(f"no {table[:-1]} {row_id}")
    _draft(store, row["inspection_id"])
    return row


def _choose(value: str, allowed: tuple[str, ...], what: str) -> str:
    if value not in allowed:
        raise ValidationError(f"{what} must be one of {', '.join(allowed)}, not {value!r}")
    return value


# -- inspections ----------------------------------------------------------------------------

def create_inspection(store: Store, *, factory_id: str, template_version_id: str,
                      kind: str = "routine", started_at: str | None = None,
                      purpose: str | None = None, created_by: str | None = None,
                      amends_id: str | None = None) -> dict:
    """A new draft inspection of a factory with one exact template version."""
    _choose(kind, KINDS, "inspection kind")
    with store.transaction():
        factory = get_row(store, "factories", factory_id)
        if factory is None or factory["deleted"]:
            raise NotFoundError(f"ไม่พบโรงงาน (no factory {factory_id})")
        get_template(store, template_version_id)  # must exist
        new_id = uuid7()
        started = started_at or now_iso()
        year_be = date.fromisoformat(started[:10]).year + 543
        return save_row(store, "inspections", {
            "id": new_id, "factory_id": factory_id,
            "template_version_id": template_version_id, "kind": kind, "state": "draft",
            "started_at": started, "purpose": purpose, "amends_id": amends_id,
            "record_no": f"{year_be}/{new_id[-8:].upper()}", "created_by": created_by,
            "content_hash": None, "finalized_at": None})


def update_inspection(store: Store, inspection_id: str, **fields) -> dict:
    """Change the header fields of a draft (purpose, kind, started_at)."""
    allowed = {"purpose", "kind", "started_at"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(f"cannot set {', '.join(sorted(unknown))} on an inspection")
    if "kind" in fields:
        _choose(fields["kind"], KINDS, "inspection kind")
    with store.transaction():
        _draft(store, inspection_id)
        return save_row(store, "inspections", {"id": inspection_id, **fields})


def delete_inspection(store: Store, inspection_id: str) -> None:
    """Discard a draft (tombstoned, so the deletion syncs). Finalized records stay forever."""
    with store.transaction():
        _draft(store, inspection_id)
        for table in CHILD_TABLES:
            for row in children(store, table, inspection_id):
                delete_row(store, table, row["id"])
        delete_row(store, "inspections", inspection_id)


# -- answers --------------------------------------------------------------------------------

def answer_id(inspection_id: str, item_id: str) -> str:
    """One answer per item per inspection, named so that no device can make a second one."""
    return name_id("answer", inspection_id, item_id)


def set_answer(store: Store, inspection_id: str, item_id: str, *,
               result: str | None = None, value=None, note: str | None = None,
               keep: tuple[str, ...] = ()) -> dict:
    """Record the answer to one template item. ``value`` is normalised by the item's type
    (numbers become decimal text and are checked against the legal limit).

    Fields named in ``keep`` are left as stored instead of being set to the given value, so
    a caller can change the note without touching the result.
    """
    if result is not None:
        _choose(result, RESULTS, "result")
    with store.transaction():
        inspection = _draft(store, inspection_id)
        template = get_template(store, inspection["template_version_id"])
        item = template.item(item_id)
        if item is None:
            raise ValidationError(f"template {template.key} v{template.version} has no item "
                                  f"{item_id!r}")
        old = get_row(store, "answers", answer_id(inspection_id, item_id)) or {}
        row = {"id": answer_id(inspection_id, item_id), "inspection_id": inspection_id,
               "item_id": item_id}
        given = {"result": result, "value": normalize_value(item, value), "note": note or None}
        for key, new in given.items():
            row[key] = old.get(key) if key in keep else new
        row["exceeded"] = _flag(is_exceeded(item, row["value"]))
        if item.type == "number" and "result" in keep and "value" not in keep and \
                row["value"] != old.get("value") and row["result"] in ("pass", "fail") and \
                judgement(item, row["value"]) != UNDECIDED:
            # Pass or fail on a measured value is the inspector's decision on a value that
            # cannot be judged by itself ("<30" against ≤ 20, core/detection.py): when the
            # value is changed to one that judges itself, the decision kept from before
            # would contradict it. Only then: a note edited, an undo or an amendment's copy
            # (which give the result, or keep the value) leave a decision as it is.
            row["result"] = None
        return save_row(store, "answers", row)


def _flag(value: bool | None) -> int | None:
    return None if value is None else int(value)


def answers_by_item(store: Store, inspection_id: str) -> dict[str, dict]:
    return {a["item_id"]: a for a in children(store, "answers", inspection_id)}


# -- findings -------------------------------------------------------------------------------

def add_finding(store: Store, inspection_id: str, *, description: str,
                item_id: str | None = None, legal_basis: str | None = None,
                order_text: str | None = None, deadline: str | None = None,
                status: str = "open") -> dict:
    """A finding (ข้อบกพร่อง) with the corrective order given and its deadline (ISO date)."""
    if not description.strip():
        raise ValidationError("a finding needs a description")
    _choose(status, FINDING_STATUSES, "finding status")
    if deadline:
        date.fromisoformat(deadline)
    with store.transaction():
        _draft(store, inspection_id)
        return save_row(store, "findings", {
            "id": uuid7(), "inspection_id": inspection_id, "item_id": item_id,
            "description": description.strip(), "legal_basis": legal_basis,
            "order_text": order_text, "deadline": deadline, "status": status})


def update_finding(store: Store, finding_id: str, **fields) -> dict:
    allowed = {"description", "legal_basis", "order_text", "deadline", "status", "item_id"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(f"cannot set {', '.join(sorted(unknown))} on a finding")
    if "status" in fields:
        _choose(fields["status"], FINDING_STATUSES, "finding status")
    if fields.get("deadline"):
        date.fromisoformat(fields["deadline"])
    with store.transaction():
        _child(store, "findings", finding_id)
        return save_row(store, "findings", {"id": finding_id, **fields})


def remove_finding(store: Store, finding_id: str) -> None:
    with store.transaction():
        _child(store, "findings", finding_id)
        delete_row(store, "findings", finding_id)


# -- participants ---------------------------------------------------------------------------

def add_participant(store: Store, inspection_id: str, *, role: str, name: str,
                    position: str | None = None, organisation: str | None = None,
                    phone: str | None = None) -> dict:
    """An inspector, factory representative or witness present at the inspection."""
    _choose(role, ROLES, "role")
    if not name.strip():
        raise ValidationError("a participant needs a name")
    with store.transaction():
        _draft(store, inspection_id)
        order = len([p for p in children(store, "participants", inspection_id)
                     if p["role"] == role])
        return save_row(store, "participants", {
            "id": uuid7(), "inspection_id": inspection_id, "role": role,
            "name": name.strip(), "position": position, "organisation": organisation,
            "phone": phone, "sort_order": order})


def update_participant(store: Store, participant_id: str, **fields) -> dict:
    allowed = {"name", "position", "organisation", "phone"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(f"cannot set {', '.join(sorted(unknown))} on a participant")
    with store.transaction():
        _child(store, "participants", participant_id)
        return save_row(store, "participants", {"id": participant_id, **fields})


def remove_participant(store: Store, participant_id: str) -> None:
    with store.transaction():
        _child(store, "participants", participant_id)
        delete_row(store, "participants", participant_id)


# -- attachments ----------------------------------------------------------------------------

ATTACHMENT_KINDS = ("photo", "signature", "scan", "document")


def add_attachment(store: Store, inspection_id: str, data: bytes, *, kind: str = "photo",
                   mime: str = "image/jpeg", caption: str | None = None,
                   item_id: str | None = None, taken_at: str | None = None) -> dict:
    """Store the bytes content-addressed and record the attachment row.

    Photos and signatures belong to a draft; a ``scan`` of the signed paper form may also be
    added to a finalized inspection.

    The bytes are written (and fsynced) before the row commits, so a row never points at a
    blob that is not on disk; a crash in between leaves only an unreferenced blob.
    """
    folder = _attachment_folder(store, kind)
    if not data:
        raise ValidationError("ไฟล์ว่างเปล่า แนบไม่ได้ (an attachment cannot be empty)")
    return _record_attachment(store, inspection_id, put_blob(folder, data), len(data),
                              kind=kind, mime=mime, caption=caption, item_id=item_id,
                              taken_at=taken_at)


def attach_stored(store: Store, inspection_id: str, digest: str, size: int, *,
                  kind: str = "photo", mime: str = "image/jpeg", caption: str | None = None,
                  item_id: str | None = None, taken_at: str | None = None) -> dict:
    """Record the attachment row for bytes already stored with ``put_blob`` (the window
    stores a large photo's bytes on a worker thread, then records it here without hashing
    it again). The bytes must be on disk, whole, before the row commits."""
    stored = blob_path(_attachment_folder(store, kind), digest)
    if size <= 0 or not stored.is_file() or stored.stat().st_size != size:
        raise ValidationError("ไม่พบไฟล์ที่แนบในเครื่อง (the attachment's bytes are not "
                              "stored on this laptop)")
    return _record_attachment(store, inspection_id, digest, size, kind=kind, mime=mime,
                              caption=caption, item_id=item_id, taken_at=taken_at)


def _attachment_folder(store: Store, kind: str):
    """Where the bytes of an attachment of ``kind`` go; ValidationError if it cannot be."""
    _choose(kind, ATTACHMENT_KINDS, "attachment kind")
    if store.blob_dir is None:
        raise ValidationError("attachments need a database on disk")
    return store.blob_dir


def _record_attachment(store: Store, inspection_id: str, digest: str, size: int, *,
                       kind: str, **fields) -> dict:
    with store.transaction():
        inspection = get_inspection(store, inspection_id)
        # A scan of the ink-signed paper arrives after finalizing; it is evidence of the
        # signing, outside the content hash, so it may be added to a finalized record.
        if inspection["state"] != "draft" and kind != "scan":
            raise ImmutableRecordError(FROZEN_MESSAGE.format(id=inspection_id))
        return save_row(store, "attachments", {
            "id": uuid7(), "inspection_id": inspection_id, "kind": kind, "sha256": digest,
            "size": size, **fields})


def update_attachment(store: Store, attachment_id: str, *, caption: str | None) -> dict:
    with store.transaction():
        _child(store, "attachments", attachment_id)
        return save_row(store, "attachments", {"id": attachment_id, "caption": caption})


def remove_attachment(store: Store, attachment_id: str) -> None:
    with store.transaction():
        _child(store, "attachments", attachment_id)
        delete_row(store, "attachments", attachment_id)
