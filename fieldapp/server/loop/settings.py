"""The office's own settings: periods and letter wording the law or practice leaves to the
office. Stored on the server (``office_settings``), changed by an administrator in the
console, every change in the audit log by the caller. A setting never saved has its default.
"""

from __future__ import annotations

import os
from datetime import date, datetime

from fieldapp.core.errors import ValidationError
from fieldapp.core.thaidate import BANGKOK
from fieldapp.server.loop.wording import check_wording
from fieldapp.server.storage import Database
from fieldapp.server.timeutil import now_iso

# key -> (default, kind). Kinds: "days" (a whole number of days, 1..3650), "text", and
# "wording": text with {placeholders} (loop/wording.py), checked when saved.
DEFAULTS: dict[str, tuple[str, str]] = {
    # A complainant is told the outcome within this many days of receipt (a common service
    # standard of the provincial offices; DESIGN.md §10).
    "complaint_reply_days": ("15", "days"),
    # The period an order gives when the inspector set no deadline.
    "order_default_days": ("30", "days"),
    # The office that signs letters: its name, address and letter number prefix (ที่).
    # {province} is the factory's (and so its office's): สำนักงานอุตสาหกรรมจังหวัดชลบุรี.
    "office_name": ("สำนักงานอุตสาหกรรม{province}", "wording"),
    "office_address": ("", "text"),
    "letter_number_prefix": ("ที่ อก 0303/", "text"),
    "letter_signer_name": ("", "text"),
    "letter_signer_position": ("อุตสาหกรรม{province}", "wording"),
    # The office's unit and phone, at the bottom left of a letter (one item a line).
    "letter_contact": ("กลุ่มกำกับและตรวจสอบโรงงาน\nโทร. ", "text"),
    # The escalation letter (Factory Act s.39), with {placeholders} filled from the record
    # (fieldapp/server/loop/wording.py lists them).
    "escalation_subject": ("ให้หยุดประกอบกิจการโรงงานเพื่อปรับปรุงแก้ไข", "wording"),
    "escalation_body": (
        "ตามที่สำนักงานอุตสาหกรรม{province}ได้ตรวจสอบโรงงานของท่าน {factory_name} "
        "ทะเบียนโรงงานเลขที่ {fid} เมื่อวันที่ {inspected_on} พบว่า {description} "
        "จึงได้มีคำสั่งตาม{legal_basis} ให้ท่าน{order_text} ภายในวันที่ {deadline} นั้น\n"
        "บัดนี้ เจ้าหน้าที่ได้ตรวจติดตามเมื่อวันที่ {followup_on} ปรากฏว่าท่านยังมิได้ปฏิบัติ"
        "ตามคำสั่งดังกล่าว จึงอาศัยอำนาจตามมาตรา 39 แห่งพระราชบัญญัติโรงงาน พ.ศ. 2535 "
        "สั่งให้ท่านหยุดประกอบกิจการโรงงานทั้งหมดหรือบางส่วนจนกว่าจะได้ปรับปรุงแก้ไขให้ถูกต้อง "
        "หากท่านไม่ปฏิบัติตามคำสั่งนี้ จะมีความผิดตามกฎหมาย\n"
        "จึงเรียนมาเพื่อทราบและดำเนินการต่อไป", "wording"),
}


def office_today() -> date:
    """Today in Bangkok: deadlines, reply dates and overdue lists count in Thai days.
    ``FIELDAPP_TODAY`` (YYYY-MM-DD) sets the office's calendar for tests and rehearsals; it
    moves nothing else (sync clocks, sign-in expiry)."""
    fixed = os.environ.get("FIELDAPP_TODAY", "").strip()
    if fixed:
        return date.fromisoformat(fixed)
    return datetime.now(BANGKOK).date()


def get_all(db: Database) -> dict[str, str]:
    with db.read() as c:
        saved = {r["key"]: r["value"] for r in c.all("SELECT key, value FROM office_settings")}
    return {k: saved.get(k, default) for k, (default, _) in DEFAULTS.items()}


def get(db: Database, key: str) -> str:
    return get_all(db)[key]


def days(db: Database, key: str) -> int:
    return int(get(db, key))


def check(key: str, value: str) -> str:
    """The value as stored, or ValidationError with a message for the form."""
    if key not in DEFAULTS:
        raise ValidationError(f"unknown setting {key!r}")
    kind = DEFAULTS[key][1]
    value = value.strip() if kind == "days" else value.replace("\r\n", "\n")
    if kind == "days":
        if not value.isascii() or not value.isdigit() or not 1 <= int(value) <= 3650:
            raise ValidationError("จำนวนวันต้องเป็นเลข 1–3650 (a number of days, 1–3650)")
        return str(int(value))
    if len(value) > 5000 or "\x00" in value:
        raise ValidationError("ข้อความยาวเกินไป (text too long)")
    if kind == "wording":
        check_wording(value)
    return value


def save(db: Database, username: str, values: dict[str, str]) -> dict[str, str]:
    """Store the settings given (all checked first: none or all); returns those changed."""
    checked = {k: check(k, v) for k, v in values.items()}
    current = get_all(db)
    changed = {k: v for k, v in checked.items() if current[k] != v}
    with db.write() as c:
        for key, value in changed.items():
            c.run("INSERT INTO office_settings (key, value, updated_by, updated_at) "
                  "VALUES (?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, "
                  "updated_by = excluded.updated_by, updated_at = excluded.updated_at",
                  (key, value, username, now_iso()))
    return changed
