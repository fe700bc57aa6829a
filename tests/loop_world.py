"""The office's rows on a laptop, put there the way sync puts them (sync_apply.apply_rows):
reviews, plans, complaints and their files, orders and their photos. Shared by the store and
GUI tests of the office's loop."""

from __future__ import annotations

import itertools
import time

from fieldapp.core.ids import uuid7
from fieldapp.store import sync_apply
from fieldapp.store.blobs import put_blob
from fieldapp.store.changes import get_row
from fieldapp.store.sync_state import set_state
from fieldapp.sync import protocol as P

OFFICE = "office"          # the server's device id on the rows it writes
USER_ID = "0190aaaa-0000-7000-8000-000000000001"
USERNAME = "anong"
_counter = itertools.count(1)


def office_rows(store, *changes: tuple[str, dict]) -> None:
    """Apply rows ``(table, {"id": ..., columns...})`` as a pull from the office would."""
    wall = int(time.time() * 1000)
    rows = []
    for table, row in changes:
        hlc = f"{wall:013d}-{next(_counter):04x}-{OFFICE}"
        full = {c: None for c in P.COLUMNS[table]}
        full.update(row)
        rows.append({"t": table, "row": {**full, "updated_hlc": hlc, "device_id": OFFICE,
                                         "deleted": 0}})
    counts = sync_apply.apply_rows(store, rows, P.COLUMNS, None)
    assert counts["skipped"] == 0, counts


def signed_in(store, user_id: str | None = USER_ID, username: str = USERNAME) -> None:
    """What sync/account.login leaves behind."""
    set_state(store, "username", username)
    set_state(store, "user_id", user_id)


def review(store, inspection_id: str, state: str, comment: str | None = None,
           reviewer: str = "somchai", at: str = "2026-03-02T03:00:00.000Z") -> None:
    office_rows(store, ("reviews", {"id": inspection_id, "inspection_id": inspection_id,
                                    "state": state, "comment": comment, "reviewer": reviewer,
                                    "reviewed_at": at}))


def plan(store, *, factory_id: str | None, template_key: str, kind: str = "routine",
         planned_on: str = "2026-03-10", assignee: str = USER_ID, note: str | None = None,
         complaint_id: str | None = None, order_ids: list[str] | None = None,
         status: str = "planned") -> str:
    plan_id = uuid7()
    office_rows(store, ("plans", {
        "id": plan_id, "factory_id": factory_id, "template_key": template_key, "kind": kind,
        "planned_on": planned_on, "assignee": assignee, "assignee_name": USERNAME,
        "note": note, "complaint_id": complaint_id,
        "order_ids": ",".join(order_ids) if order_ids else None, "status": status,
        "inspection_id": None}))
    return plan_id


def order(store, *, factory_id: str, inspection_id: str | None = None,
          order_text: str = "ให้ปรับปรุงระบบบำบัดน้ำเสียให้ใช้งานได้ตามปกติ",
          description: str = "ระบบบำบัดน้ำเสียไม่ทำงาน น้ำทิ้งมีสีดำ",
          legal_basis: str = "พ.ร.บ.โรงงาน พ.ศ. 2535 มาตรา 37", deadline: str = "2026-02-28",
          photo: bytes | None = None) -> str:
    """An order issued on an earlier record (a finding id the laptop need not hold)."""
    order_id = uuid7()
    rows = [("orders", {
        "id": order_id, "inspection_id": inspection_id or uuid7(), "finding_id": order_id,
        "factory_id": factory_id, "item_id": None, "description": description,
        "legal_basis": legal_basis, "order_text": order_text, "issued_on": "2026-01-29",
        "deadline": deadline, "responsible": "นายสมชาย ใจดี", "status": "open"})]
    if photo is not None:
        digest = put_blob(store.blob_dir, photo)
        rows.append(("order_photos", {"id": uuid7(), "order_id": order_id, "sha256": digest,
                                      "size": len(photo), "mime": "image/png",
                                      "caption": "น้ำทิ้งก่อนแก้ไข"}))
    office_rows(store, *rows)
    return order_id


def complaint(store, *, factory_id: str | None, place_name: str | None = None,
              description: str = "กลิ่นเหม็นจากโรงงานช่วงกลางคืน รบกวนชุมชนหมู่ 3",
              problem_types: str = "odour,wastewater", photo: bytes | None = None,
              assignee: str = USER_ID) -> str:
    complaint_id = uuid7()
    rows = [("complaints", {
        "id": complaint_id, "received_on": "2026-03-01", "channel": "line",
        "factory_id": factory_id, "place_name": place_name, "problem_types": problem_types,
        "description": description, "status": "assigned", "due_on": "2026-03-16",
        "assignee": assignee})]
    if photo is not None:
        digest = put_blob(store.blob_dir, photo)
        rows.append(("complaint_files", {"id": uuid7(), "complaint_id": complaint_id,
                                         "sha256": digest, "size": len(photo),
                                         "mime": "image/png", "caption": "ภาพจากผู้ร้องเรียน"}))
    office_rows(store, *rows)
    return complaint_id


def plan_row(store, plan_id: str) -> dict:
    return get_row(store, "plans", plan_id)


def png(color: tuple[int, int, int] = (40, 90, 160), size: int = 48) -> bytes:
    """A small real PNG (so thumbnails and the printed form can decode it)."""
    import struct
    import zlib
    raw = b"".join(b"\x00" + bytes(color) * size for _ in range(size))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2,
                                                               0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
