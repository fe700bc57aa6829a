"""Blocks of the printed record that come from the office's loop: the orders a follow-up
checked and its finding on each, and the complaint a complaint inspection answered.

The complaint block prints the complaint's reference (received, how, about what, what was
reported) and nothing about who complained: that stays at the office (PDPA); the laptop
never holds it and the form never asks for it. Nothing here reads the database.
"""

from __future__ import annotations

from reportlab.lib.units import cm
from reportlab.platypus import CondPageBreak, Flowable, Table

from fieldapp.core.office_words import FOLLOWUP_WORDS
from fieldapp.forms.blocks import HEADING_ROOM, SHADE, Typesetter, _field_table, _grid, heading

PROBLEM_WORDS = {"odour": "กลิ่นเหม็น", "noise": "เสียงดัง", "dust": "ฝุ่นละออง",
                 "wastewater": "น้ำเสีย", "waste": "กากของเสีย/ขยะ", "fumes": "ควันหรือไอระเหย",
                 "other": "อื่น ๆ"}
CHANNEL_WORDS = {"public": "ประชาชนทั่วไป", "network": "เครือข่ายอุตสาหกรรมสิ่งแวดล้อม",
                 "line": "ไลน์ แจ้งอุต", "gate_qr": "คิวอาร์โค้ดหน้าโรงงาน",
                 "damrongdham": "ศูนย์ดำรงธรรม", "letter": "หนังสือ", "phone": "โทรศัพท์",
                 "walk_in": "ร้องเรียนด้วยตนเอง", "other": "อื่น ๆ"}


def followup_results(ts: Typesetter, orders: list[dict]) -> list[Flowable]:
    """ผลการตรวจติดตามคำสั่ง: per order its text and deadline, the result found and the note.
    ``orders`` as store/office_loop.orders_of gives them."""
    out: list[Flowable] = [CondPageBreak(HEADING_ROOM), heading(ts, "ผลการตรวจติดตามคำสั่ง")]
    if not orders:
        return out + [ts.para("ไม่มีคำสั่งที่ระบุให้ติดตาม")]
    head = [ts.para(c, 12, bold=True, align="center")
            for c in ("ที่", "คำสั่งให้แก้ไข", "กำหนดแล้วเสร็จ", "ผลการตรวจติดตาม")]
    data = [head]
    for n, order in enumerate(orders, start=1):
        what = [ts.para(order.get("order_text") or "-", ts.table)]
        if order.get("finding"):
            what.append(ts.para(f"(ข้อบกพร่องเดิม: {order['finding']})", 11))
        if order.get("legal_basis"):
            what.append(ts.para(f"อาศัยอำนาจ {order['legal_basis']}", 11))
        result = [ts.para(FOLLOWUP_WORDS.get(order.get("result") or "", "ยังไม่บันทึกผล"),
                          ts.table, bold=True)]
        note = ((order.get("answer") or {}).get("note") or "").strip()
        if note:
            result.append(ts.para(note, 11))
        data.append([ts.para(str(n), ts.table), what,
                     ts.para(ts.date(order.get("deadline")), ts.table), result])
    table = Table(data, colWidths=[1.0 * cm, 7.5 * cm, 3.0 * cm, 4.5 * cm], repeatRows=1,
                  splitInRow=1)
    table.setStyle(_grid([("BACKGROUND", (0, 0), (-1, 0), SHADE)]))
    return out + [table]


def complaint_reference(ts: Typesetter, complaint: dict) -> list[Flowable]:
    """The complaint this inspection answered: its reference, never the complainant."""
    types = ", ".join(PROBLEM_WORDS.get(t, t) for t in complaint.get("problem_types") or [])
    rows = [("วันที่รับเรื่อง", ts.date(complaint.get("received_on"))),
            ("ช่องทาง", CHANNEL_WORDS.get(complaint.get("channel") or "",
                                         complaint.get("channel"))),
            ("ประเด็นที่ร้องเรียน", types or None),
            ("สถานที่", complaint.get("place_name")),
            ("รายละเอียด", complaint.get("description"))]
    return [CondPageBreak(HEADING_ROOM), heading(ts, "เรื่องร้องเรียนที่เป็นเหตุให้ตรวจ"),
            _field_table(ts, [(k, v) for k, v in rows if v])]
