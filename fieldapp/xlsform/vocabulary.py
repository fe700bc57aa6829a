"""The XLSForm subset FieldApp reads and writes: sheets, columns, types, the reserved result
list, and what each column means in Thai. The reader and the writer share it, so a column the
writer puts in a workbook is always one the reader accepts (and nothing else is).
"""

from __future__ import annotations

from dataclasses import dataclass

SURVEY, CHOICES, SETTINGS, INSTRUCTIONS = "survey", "choices", "settings", "instructions"
TH, EN = "Thai (th)", "English (en)"

# The reserved choice list of result items: the app's own four results, its own words.
RESULT_LIST = "pass_fail_na"
RESULT_CHOICES = (
    ("pass", "ผ่าน", "pass"),
    ("fail", "ไม่ผ่าน", "fail"),
    ("na", "ไม่เกี่ยวข้อง", "not applicable"),
    ("not_checked", "ไม่ได้ตรวจ", "not checked"),
)

BEGIN_GROUP = ("begin_group", "begin group")
END_GROUP = ("end_group", "end group")
# XLSForm type -> template answer type ("select_one …" and "select_multiple …" carry a list).
SIMPLE_TYPES = {"integer": "number", "decimal": "number", "text": "text", "date": "date",
                "geopoint": "gps", "image": "photo"}
SUPPORTED_TYPES_TEXT = ("begin_group, end_group, select_one LIST, select_multiple LIST, "
                        f"select_one {RESULT_LIST}, integer, decimal, text, date, geopoint, image")


@dataclass(frozen=True)
class Column:
    name: str
    width: int
    note_th: str          # the Thai explanation shown in the header cell's note


SURVEY_COLUMNS = (
    Column("type", 26, "ชนิดคำตอบ: begin_group/end_group (หมวด), select_one pass_fail_na "
           "(ผ่าน/ไม่ผ่าน/ไม่เกี่ยวข้อง), select_one รายการ, select_multiple รายการ, integer, "
           "decimal (ค่าที่วัด), text, date, geopoint (พิกัด), image (ภาพถ่าย)"),
    Column("name", 22, "รหัสของข้อ: อักษรอังกฤษตัวเล็ก ตัวเลข . _ - ขึ้นต้นด้วยตัวอักษร "
           "ห้ามซ้ำ และห้ามนำรหัสเดิมไปใช้กับคำถามอื่นในรุ่นถัดไป"),
    Column(f"label::{TH}", 50, "ข้อความคำถาม (ภาษาไทย) ต้องมีอักษรไทย"),
    Column(f"label::{EN}", 40, "ข้อความคำถาม (ภาษาอังกฤษ)"),
    Column(f"hint::{TH}", 36, "คำอธิบายใต้คำถาม (ภาษาไทย) ถ้ามีต้องใส่ทั้งสองภาษา"),
    Column(f"hint::{EN}", 30, "คำอธิบายใต้คำถาม (ภาษาอังกฤษ)"),
    Column("required", 10, "yes = ต้องตอบก่อนปิดการตรวจ"),
    Column("relevant", 36, "แสดงข้อนี้เมื่อ: ${ข้อ} = 'ค่า' หรือ selected(${ข้อ}, 'ค่า') "
           "ต่อกันด้วย or (ข้อเดียวกัน)"),
    Column("limit_min", 10, "ค่าต่ำสุดตามกฎหมาย (ค่าที่วัดเท่านั้น) ค่าที่เกินยังบันทึกได้ "
           "และจะถูกทำเครื่องหมายว่าเกินมาตรฐาน"),
    Column("limit_max", 10, "ค่าสูงสุดตามกฎหมาย (ค่าที่วัดเท่านั้น) ค่าที่เกินยังบันทึกได้ "
           "และจะถูกทำเครื่องหมายว่าเกินมาตรฐาน"),
    Column("unit", 10, "หน่วยของค่าที่วัด เช่น mg/L"),
    Column(f"legal_ref::{TH}", 40, "กฎหมายที่อ้างอิง (ภาษาไทย) พิมพ์ในข้อพบ"),
    Column(f"legal_ref::{EN}", 30, "กฎหมายที่อ้างอิง (ภาษาอังกฤษ) ใส่ได้เมื่อมีภาษาไทยแล้ว"),
    Column("requires_note_on_fail", 12, "yes = ข้อที่ไม่ผ่าน (หรือค่าเกินมาตรฐาน) ต้องมีหมายเหตุ"),
    Column("requires_photo_on_fail", 12, "yes = ข้อที่ไม่ผ่าน (หรือค่าเกินมาตรฐาน) ต้องมีภาพถ่าย"),
    Column("order_text", 40, "คำสั่งให้แก้ไขที่เสนอเมื่อบันทึกข้อพบ (ภาษาไทย)"),
    Column("deadline_days", 10, "กำหนดเวลาแก้ไข (วัน) 1–3650"),
    Column("document", 10, "yes (เฉพาะ text) = เอกสารที่ตรวจพบ: บันทึกเลขที่และวันที่"),
)
CHOICE_COLUMNS = (
    Column("list_name", 22, "ชื่อรายการตัวเลือก ใช้ใน select_one/select_multiple ของแผ่น survey "
           f"({RESULT_LIST} เป็นรายการสงวนของผลการตรวจ ห้ามแก้)"),
    Column("name", 18, "รหัสตัวเลือก: อักษรอังกฤษตัวเล็ก ตัวเลข . _ - ห้ามซ้ำในรายการเดียวกัน"),
    Column(f"label::{TH}", 40, "ข้อความตัวเลือก (ภาษาไทย)"),
    Column(f"label::{EN}", 36, "ข้อความตัวเลือก (ภาษาอังกฤษ)"),
)
SETTINGS_COLUMNS = (
    Column("form_id", 16, "รหัสแบบตรวจ เช่น env-general ห้ามเปลี่ยน"),
    Column("form_title", 40, "ชื่อแบบตรวจ (ภาษาไทย)"),
    Column("version", 10, "รุ่น: เลขจำนวนเต็ม เพิ่มขึ้นทุกครั้งที่เผยแพร่"),
    Column("default_language", 16, f"ภาษาหลัก ต้องเป็น {TH}"),
    Column("form_title_en", 36, "ชื่อแบบตรวจ (ภาษาอังกฤษ)"),
    Column("kind", 12, "ประเภท: routine (ตรวจประจำ), complaint (ตรวจตามเรื่องร้องเรียน), "
           "follow_up (ตรวจติดตาม)"),
    Column("form_code", 14, "รหัสแบบฟอร์มที่พิมพ์บนหัวกระดาษ เช่น สอจ.ตร.01"),
    Column("description_th", 40, "คำอธิบายแบบตรวจ (ภาษาไทย) ไม่บังคับ ถ้ามีต้องใส่ทั้งสองภาษา"),
    Column("description_en", 36, "คำอธิบายแบบตรวจ (ภาษาอังกฤษ)"),
)
COLUMNS = {SURVEY: SURVEY_COLUMNS, CHOICES: CHOICE_COLUMNS, SETTINGS: SETTINGS_COLUMNS}
REQUIRED_COLUMNS = {
    SURVEY: ("type", "name", f"label::{TH}", f"label::{EN}"),
    CHOICES: ("list_name", "name", f"label::{TH}", f"label::{EN}"),
    SETTINGS: ("form_id", "form_title", "version", "default_language", "form_title_en", "kind",
               "form_code"),
}
YES = ("yes", "true", "true()")
NO = ("no", "false", "false()")
