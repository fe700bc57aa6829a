"""A province's November 2026, for the monthly report's tests (both backends): inspections
pushed through the sync API as laptops send them (some just inside and just outside the
month in Bangkok time, one in another province), reviewed and their orders issued by the
office (server/derive.py), orders followed up and escalated, and complaints.

Province 10 (Bangkok), November 2026, counted on 5 December 2026:

====  =========  ==========  =========================  ========  ===================
id    inspector  kind        finalized (Bangkok)        review    findings (orders)
====  =========  ==========  =========================  ========  ===================
i1    anong      routine     3 Nov 10:00                approved  ww.running (o1 open,
                                                                  due 20 Nov), noise.leq24
                                                                  (o2 escalated 28 Nov),
                                                                  one without an item
i2    anong      complaint   1 Nov 00:30 (31 Oct UTC)   returned  none
i3    boon       follow_up   30 Nov 23:59               none      none
i4    anong      routine     1 Dec 00:00: not counted   —         —
i5    anong      routine     31 Oct 23:59: not counted  approved  o3 (verified 25 Nov),
                                                                  o4 (due 15 Nov,
                                                                  verified 3 Dec)
i7    anong      amendment of i2, 5 Nov                 none      none
i6    chai       province 20, November: not counted     approved  one (order)
====  =========  ==========  =========================  ========  ===================
"""

from __future__ import annotations

from datetime import date

from server_fixtures import ADMIN
from test_server_api import Device, inspection_ops, login, push_ok

from fieldapp.core.ids import uuid7
from fieldapp.server import office

TODAY = date(2026, 12, 5)


class MonthWorld:
    def __init__(self, api):
        self.api = api
        self.db = api.app.state.db
        f10a, f10b, f20 = api.factories
        self.auth = {n: login(api, n) for n in ("anong", "boon", "chai")}
        self.dev = {n: Device(n) for n in ("anong", "boon", "chai")}
        self.i1 = self.inspection("anong", f10a, "2026-11-03T03:00:00.000Z", findings=[
            ("ww.running", "ระบบบำบัดน้ำเสียไม่เดิน", "เดินระบบบำบัดน้ำเสีย", "2026-11-20"),
            ("noise.leq24", "เสียงดังเกินเกณฑ์", "ติดตั้งฉนวนกันเสียง", "2026-12-20"),
            (None, "ป้ายชื่อโรงงานชำรุด", None, None)])
        self.i2 = self.inspection("anong", f10b, "2026-10-31T17:30:00.000Z", kind="complaint")
        self.i3 = self.inspection("boon", f10a, "2026-11-30T16:59:00.000Z", kind="follow_up")
        self.i4 = self.inspection("anong", f10a, "2026-11-30T17:00:00.000Z")
        self.i5 = self.inspection("anong", f10b, "2026-10-31T16:59:59.000Z", findings=[
            ("ww.system", "ไม่มีระบบบำบัด", "จัดให้มีระบบบำบัด", "2026-11-10"),
            ("air.has_stack", "ปล่องไม่มีช่องเก็บตัวอย่าง", "ทำช่องเก็บตัวอย่าง", "2026-11-15")])
        self.i6 = self.inspection("chai", f20, "2026-11-10T03:00:00.000Z", findings=[
            ("ww.running", "น้ำเสีย", "แก้ไข", "2026-11-12")])
        self.review(self.i1, "approved")
        self.review(self.i2, "returned")
        self.review(self.i5, "approved")
        self.review(self.i6, "approved")
        self.i7 = self.inspection("anong", f10b, "2026-11-05T02:00:00.000Z", amends=self.i2)
        o1, o2 = self.order_ids(self.i1)
        o3, o4 = self.order_ids(self.i5)
        self.orders = {"o1": o1, "o2": o2, "o3": o3, "o4": o4}
        self.write("orders", o2, {"status": "escalated", "escalated_on": "2026-11-28"})
        self.write("orders", o3, {"status": "verified", "followup_result": "corrected",
                                  "followup_on": "2026-11-25"})
        self.history(o3, "verified", "2026-11-25T03:00:00.000Z")
        self.write("orders", o4, {"status": "verified", "followup_result": "corrected",
                                  "followup_on": "2026-12-03"})
        self.history(o4, "open", "2026-10-31T18:00:00.000Z")
        self.history(o4, "verified", "2026-12-03T03:00:00.000Z")
        # Complaints: c1 odour+dust received in Nov, replied in Nov (anong); c2 noise
        # received in Oct, due 2 Nov, never replied (overdue at month end, anong);
        # c3 wastewater received 20 Nov, due 5 Dec (not overdue at month end), unassigned;
        # c4 odour received in Sep, replied in Nov (boon); c5 noise, province 20 (chai).
        self.complaint("c1", f10a, "2026-11-02", "odour,dust", due="2026-11-17",
                       replied="2026-11-15", assignee="anong")
        self.complaint("c2", f10b, "2026-10-18", "noise", due="2026-11-02", assignee="anong")
        self.complaint("c3", None, "2026-11-20", "wastewater", due="2026-12-05",
                       province="10")
        self.complaint("c4", f10a, "2026-09-20", "odour", due="2026-10-05",
                       replied="2026-11-03", assignee="boon")
        self.complaint("c5", f20, "2026-11-04", "noise", due="2026-11-19", assignee="chai")

    def user_id(self, name: str) -> str:
        with self.db.read() as c:
            return c.value("SELECT id FROM users WHERE username = ?", (name,))

    def inspection(self, who, factory, finalized_at, *, kind="routine", findings=(),
                   amends=None) -> str:
        dev, auth = self.dev[who], self.auth[who]
        iid, ops = inspection_ops(dev, factory)
        ops[1]["payload"].update(kind=kind, started_at=finalized_at, amends_id=amends)
        for item, description, order, deadline in findings:
            ops.append(dev.op("findings", uuid7(), {
                "inspection_id": iid, "item_id": item, "description": description,
                "order_text": order, "deadline": deadline, "status": "open"}))
        ops.append(dev.op("participants", uuid7(), {
            "inspection_id": iid, "role": "representative", "name": "คุณสมศรี"}))
        acks = push_ok(self.api, auth, ops)
        assert all(a["outcome"] == "applied" for a in acks), acks
        ack = push_ok(self.api, auth, [dev.op("inspections", iid, {
            "state": "finalized", "content_hash": "claimed",
            "finalized_at": finalized_at})])[0]
        assert ack["outcome"] == "applied", ack
        return iid

    def write(self, table, row_id, fields):
        ack = office.write_fields(self.db, ADMIN, table, row_id, fields)
        assert ack["outcome"] == "applied", ack

    def review(self, iid, state):
        self.write("reviews", iid, {"inspection_id": iid, "state": state,
                                    "reviewer": "admin",
                                    "reviewed_at": "2026-12-01T02:00:00.000Z"})

    def order_ids(self, iid) -> list[str]:
        """The orders of a record, by deadline."""
        with self.db.read() as c:
            rows = c.all("SELECT id, data FROM records WHERE tbl = 'orders' AND deleted = 0")
        import json
        found = [(json.loads(r["data"]).get("deadline"), r["id"]) for r in rows
                 if json.loads(r["data"]).get("inspection_id") == iid]
        return [rid for _, rid in sorted(found)]

    def history(self, order_id, status, at):
        with self.db.write() as c:
            c.run("INSERT INTO order_history (id, order_id, status, note, inspection_id, "
                  "by_user, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                  (uuid7(), order_id, status, "test", None, "admin", at))

    def complaint(self, key, factory, received, types, *, due, replied=None, assignee=None,
                  province=None):
        cid = uuid7()
        setattr(self, key, cid)
        fields = {"received_on": received, "channel": "phone", "factory_id": factory,
                  "problem_types": types, "description": f"เรื่อง {key}",
                  "status": "replied" if replied else ("assigned" if assignee else "received"),
                  "due_on": due, "replied_on": replied,
                  "assignee": self.user_id(assignee) if assignee else None}
        if factory is None:
            fields.update(place_name="ริมคลอง", province_code=province)
        self.write("complaints", cid, fields)
