"""The printed form of the office's loop: a follow-up lists each order with its result and
note (ผลการตรวจติดตามคำสั่ง); a complaint inspection prints the complaint's reference and
nothing about who complained."""

from __future__ import annotations

import os

from loop_world import complaint, order, plan, png, signed_in
from test_forms_render import flat, page_texts

from fieldapp.forms.inspection_form import render_inspection_pdf
from fieldapp.store import office_loop as loop
from fieldapp.store.inspections import add_attachment
from fieldapp.store.templates import install_bundled_templates

SHOTS = os.environ.get("FIELDAPP_SCREENSHOTS")


def test_a_follow_up_prints_each_order_with_its_result(store, factory, tmp_path):
    signed_in(store)
    install_bundled_templates(store)
    first = order(store, factory_id=factory["id"], deadline="2026-02-10")
    second = order(store, factory_id=factory["id"], order_text="ให้จัดทำบันทึกการเดินระบบประจำวัน",
                   deadline="2026-02-20")
    pid = plan(store, factory_id=factory["id"], template_key="follow-up", kind="follow_up",
               order_ids=[first, second])
    iid = loop.start_from_plan(store, pid, inspector_name="นางสาวอนงค์ ตรวจดี")["id"]
    loop.record_followup(store, iid, first, "corrected", "ติดตั้งเครื่องเติมอากาศแล้ว")
    loop.record_followup(store, iid, second, "not_corrected", "ยังไม่มีบันทึก")
    add_attachment(store, iid, png(), mime="image/png", item_id=f"order:{first}")
    pdf = render_inspection_pdf(store, iid, out=tmp_path / "followup.pdf")
    text = flat("".join(page_texts(pdf)))
    for words in ("ผลการตรวจติดตามคำสั่ง", "ให้ปรับปรุงระบบบำบัดน้ำเสียให้ใช้งานได้ตามปกติ",
                  "ให้จัดทำบันทึกการเดินระบบประจำวัน", "แก้ไขแล้ว", "ยังไม่แก้ไข",
                  "ติดตั้งเครื่องเติมอากาศแล้ว", "10กุมภาพันธ์2569", "ผลติดตามคำสั่งที่1"):
        assert flat(words) in text, words
    if SHOTS:
        import subprocess
        subprocess.run(["pdftoppm", "-r", "60", "-png", str(tmp_path / "followup.pdf"),
                        os.path.join(SHOTS, "print-follow-up")], check=False)


def test_a_complaint_inspection_prints_the_complaint_but_no_complainant(store, factory,
                                                                        tmp_path):
    signed_in(store)
    install_bundled_templates(store)
    cid = complaint(store, factory_id=factory["id"])
    pid = plan(store, factory_id=factory["id"], template_key="complaint", kind="complaint",
               complaint_id=cid)
    iid = loop.start_from_plan(store, pid)["id"]
    pdf = render_inspection_pdf(store, iid, out=tmp_path / "complaint.pdf")
    text = flat("".join(page_texts(pdf)))
    for words in ("เรื่องร้องเรียนที่เป็นเหตุให้ตรวจ", "1มีนาคม2569", "กลิ่นเหม็น,น้ำเสีย",
                  "กลิ่นเหม็นจากโรงงานช่วงกลางคืนรบกวนชุมชนหมู่3"):
        assert flat(words) in text, words
    assert "ผู้ร้องเรียน:" not in text and "ชื่อผู้ร้อง" not in text
    # The laptop holds no complainant to print: the synced columns name none.
    from fieldapp.sync.protocol import COLUMNS
    assert not {c for c in COLUMNS["complaints"] if "complainant" in c or c in (
        "name", "phone", "contact")}
    if SHOTS:
        import subprocess
        subprocess.run(["pdftoppm", "-r", "60", "-png", str(tmp_path / "complaint.pdf"),
                        os.path.join(SHOTS, "print-complaint")], check=False)
