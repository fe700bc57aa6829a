"""A server world for the office's loop (docs/office-loop.md), on either backend: users of
two provinces, factories, the shipped templates, and finalized records with findings,
representatives and photos pushed as a laptop's outbox would push them; the office writes
as the console does (server/office.py)."""

from __future__ import annotations

import gzip
import hashlib
import json

from server_fixtures import (
    FACTORIES,
    PASSWORD,
    add_users,
    seed_factories,
    template_doc,
    template_row,
)

from fieldapp.core.hlc import HybridClock
from fieldapp.core.ids import uuid7
from fieldapp.server import blobs, history
from fieldapp.server.auth import Principal, add_user, grant_province
from fieldapp.server.office import publish_shipped_templates, write_fields, write_rows
from fieldapp.server.pull import pull, snapshot
from fieldapp.server.push import Op, push
from fieldapp.sync import protocol as P

TEMPLATE_ID, TEMPLATE = template_row(template_doc())
# Users of server_fixtures.USERS (anong and boon inspect province 10, chai province 20),
# and a supervisor of each province.
SUPERVISORS = {"somsri": "10", "wichai": "20"}
FINDINGS = (("ww.running", "เดินระบบบำบัดน้ำเสียทุกวัน"),)


class LoopWorld:
    def __init__(self, db):
        self.db = db
        add_users(db)
        for name, province in SUPERVISORS.items():
            add_user(db, name, PASSWORD, "supervisor")
            grant_province(db, name, province)
        self.f10, self.f10b, self.f20 = seed_factories(db, FACTORIES)
        publish_shipped_templates(db)
        self.clocks: dict[str, HybridClock] = {}

    # -- who --------------------------------------------------------------------------------

    def who(self, name: str) -> Principal:
        with self.db.read() as c:
            user = c.one("SELECT id, role FROM users WHERE username = ?", (name,))
            provinces = frozenset(r["province_code"] for r in c.all(
                "SELECT province_code FROM user_provinces WHERE user_id = ?", (user["id"],)))
        # A laptop named after its user; the administrator writes as the office does.
        device = "office" if user["role"] == "admin" else name
        return Principal(user["id"], name, user["role"], provinces, device)

    def uid(self, name: str) -> str:
        return self.who(name).user_id

    def op(self, name: str, table: str, row_id: str, payload: dict, kind: str = "upsert",
           op_id: str | None = None) -> Op:
        clock = self.clocks.setdefault(name, HybridClock(self.who(name).device_id))
        return Op(op_id or uuid7(), table, row_id, kind, dict(payload), clock.now())

    def head(self) -> int:
        with self.db.read() as c:
            return history.head(c)

    def push(self, name: str, ops: list[Op]) -> list[dict]:
        return push(self.db, self.who(name), ops, self.head())

    def push_one(self, name: str, table: str, row_id: str, payload: dict) -> dict:
        return self.push(name, [self.op(name, table, row_id, payload)])[0]

    # -- the office -------------------------------------------------------------------------

    def office(self, table: str, row_id: str, fields: dict, name: str = "admin") -> dict:
        return write_fields(self.db, self.who(name), table, row_id, fields)

    def office_ok(self, table: str, row_id: str, fields: dict) -> dict:
        ack = self.office(table, row_id, fields)
        assert ack["outcome"] == P.APPLIED, ack
        return ack

    def office_rows(self, changes) -> list[dict]:
        return write_rows(self.db, self.who("admin"), changes)

    def review(self, inspection_id: str, state: str, comment: str | None = None) -> dict:
        return self.office_ok("reviews", inspection_id, {
            "inspection_id": inspection_id, "state": state, "comment": comment,
            "reviewer": "somsri", "reviewed_at": "2026-02-01T09:00:00Z"})

    def complaint(self, factory: str | None, assignee: str | None = None, **extra) -> str:
        cid = uuid7()
        self.office_ok("complaints", cid, {
            "received_on": "2026-01-05", "channel": "phone", "factory_id": factory,
            "problem_types": "odour,noise", "description": "กลิ่นเหม็น",
            "status": "assigned" if assignee else "received",
            "assignee": self.uid(assignee) if assignee else None, **extra})
        return cid

    def plan(self, assignee: str, factory: str | None = None, **extra) -> str:
        pid = uuid7()
        self.office_ok("plans", pid, {
            "factory_id": factory or self.f10, "template_key": "env-general",
            "kind": "routine", "planned_on": "2026-02-10", "assignee": self.uid(assignee),
            "assignee_name": assignee, "status": "planned", **extra})
        return pid

    def blob(self, name: str, data: bytes) -> str:
        """Bytes uploaded by ``name`` (whole, in one chunk)."""
        sha = hashlib.sha256(data).hexdigest()
        blobs.upload_chunk(self.db, self.who(name), sha, 0, len(data), data)
        return sha

    def blob_row(self, sha: str, data: bytes) -> dict:
        return {"sha256": sha, "size": len(data), "mime": "image/jpeg"}

    # -- records from a laptop --------------------------------------------------------------

    def record(self, name: str, factory: str | None = None, *, findings=FINDINGS,
               reps=("นายหนึ่ง",), photo_items=("ww.running",), kind: str = "routine",
               amends: str | None = None, answers=(), finalize: bool = True,
               created_by: str | None = None, deadline: str | None = "2026-03-01") -> dict:
        """An inspection pushed by ``name``'s laptop: ``findings`` (item, order text or
        None), representatives in order, a photo per item in ``photo_items``, extra
        ``answers`` (item, value, result); finalized unless asked not to. Returns its ids."""
        iid = uuid7()
        ops = [self.op(name, "template_versions", TEMPLATE_ID, TEMPLATE),
               self.op(name, "inspections", iid, {
                   "factory_id": factory or self.f10, "template_version_id": TEMPLATE_ID,
                   "kind": kind, "state": "draft", "started_at": "2026-01-10T02:00:00Z",
                   "amends_id": amends, "created_by": created_by or name})]
        out = {"id": iid, "findings": [], "photos": [], "reps": []}
        for item, order_text in findings:
            fid = uuid7()
            out["findings"].append(fid)
            ops.append(self.op(name, "findings", fid, {
                "inspection_id": iid, "item_id": item, "description": f"พบ {item}",
                "legal_basis": "ม.8", "order_text": order_text, "deadline": deadline,
                "status": "open"}))
        for n, rep in enumerate(reversed(reps)):
            pid = uuid7()
            out["reps"].append(pid)
            # pushed in reverse: the first by sort_order is the one named responsible
            ops.append(self.op(name, "participants", pid, {
                "inspection_id": iid, "role": "representative", "name": rep,
                "sort_order": len(reps) - 1 - n}))
        ops.append(self.op(name, "participants", uuid7(), {
            "inspection_id": iid, "role": "inspector", "name": name, "sort_order": 0}))
        for item in photo_items:
            data = f"photo {iid} {item}".encode()
            sha = self.blob(name, data)
            aid = uuid7()
            out["photos"].append((aid, sha))
            ops.append(self.op(name, "attachments", aid, {
                "inspection_id": iid, "item_id": item, "kind": "photo",
                **self.blob_row(sha, data), "caption": f"ภาพ {item}"}))
        for item, value, result in answers:
            ops.append(self.op(name, "answers", uuid7(), {
                "inspection_id": iid, "item_id": item, "value": value, "result": result}))
        if finalize:
            ops.append(self.op(name, "inspections", iid, {
                "state": "finalized", "content_hash": "claimed",
                "finalized_at": "2026-01-12T03:00:00Z"}))
        acks = self.push(name, ops)
        assert all(a["outcome"] == P.APPLIED for a in acks), acks
        out["ops"] = ops
        return out

    # -- reading -----------------------------------------------------------------------------

    def row(self, table: str, row_id: str) -> dict | None:
        with self.db.read() as c:
            r = c.one("SELECT data, deleted FROM records WHERE tbl = ? AND id = ?",
                      (table, row_id))
        return None if r is None else {**json.loads(r["data"]), "deleted": r["deleted"]}

    def rows(self, table: str) -> dict[str, dict]:
        with self.db.read() as c:
            return {r["id"]: json.loads(r["data"]) for r in c.all(
                "SELECT id, data FROM records WHERE tbl = ?", (table,))}

    def state(self) -> list[tuple]:
        """Everything the server holds about synced rows and orders' history."""
        with self.db.read() as c:
            return [tuple(r.values()) for r in c.all(
                "SELECT tbl, id, province, owner, data, updated_hlc, deleted, seq FROM records "
                "ORDER BY tbl, id")] + [tuple(r.values()) for r in c.all(
                    "SELECT order_id, status, note FROM order_history ORDER BY order_id, note")]

    def pulled(self, name: str) -> set[tuple[str, str]]:
        """The rows ``name`` reads (not the tombstones of rows that left their scope)."""
        return {(ch["t"], ch["row"]["id"])
                for ch in pull(self.db, self.who(name), 0, 100_000)["changes"]
                if not ch.get("gone")}

    def walk(self, name: str, cursor: int, limit: int) -> list[dict]:
        """Every change ``name`` pulls after ``cursor``, page by page as a laptop does."""
        changes = []
        while True:
            page = pull(self.db, self.who(name), cursor, limit)
            changes += page["changes"]
            assert page["cursor"] >= cursor
            cursor = page["cursor"]
            if not page["more"]:
                return changes

    def snapped(self, name: str) -> set[tuple[str, str]]:
        doc = json.loads(gzip.decompress(snapshot(self.db, self.who(name))))
        return {(tbl, row[0]) for tbl, t in doc["tables"].items() for row in t["rows"]}
