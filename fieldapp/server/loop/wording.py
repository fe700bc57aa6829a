"""The office's letter wording with ``{placeholders}`` (the escalation letter's subject and
body, loop/settings.py): which placeholders exist, what each is filled with, checking wording
when it is saved and filling it when a letter is printed. ``{{`` and ``}}`` print a brace.
"""

from __future__ import annotations

import re

from fieldapp.core.errors import ValidationError

# name -> what it is filled with (shown on the settings page, Thai then English).
PLACEHOLDERS: dict[str, str] = {
    "province": "จังหวัดของโรงงาน เช่น จังหวัดชลบุรี หรือกรุงเทพมหานคร (the province of the "
                "factory and its office, จังหวัด included)",
    "factory_name": "ชื่อโรงงาน (the factory's name)",
    "fid": "เลขทะเบียนโรงงาน 14 หลัก (the factory's 14-digit ID)",
    "operator": "ผู้ประกอบกิจการ (the operator)",
    "address": "ที่ตั้งโรงงาน (the factory's address)",
    "inspected_on": "วันที่ตรวจ (the date of the inspection that found it)",
    "description": "สิ่งที่ตรวจพบ (what the inspection found)",
    "legal_basis": "ฐานทางกฎหมายของคำสั่ง ไม่มีคำว่า ตาม นำหน้า (the legal basis of the "
                   "order, without a leading ตาม: write ตาม{legal_basis})",
    "order_text": "ข้อความคำสั่ง ไม่มีคำว่า ให้ นำหน้า (what the order requires, without a "
                  "leading ให้: write ให้ท่าน{order_text})",
    "deadline": "กำหนดแก้ไขภายในวันที่ (the order's deadline)",
    "followup_on": "วันที่ตรวจติดตาม (the date of the follow-up)",
    "issued_on": "วันที่ออกคำสั่ง (the date the order was issued)",
    "responsible": "ผู้รับผิดชอบ (the person responsible at the factory)",
}
_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")
BLANK = "................"


def _expand(text: str, values: dict[str, str] | None) -> tuple[str, list[str]]:
    """The text with placeholders filled (``values`` None: only checked), and the problems."""
    problems: list[str] = []

    def one(m: re.Match) -> str:
        token = m.group(0)
        if token in ("{{", "}}"):
            return token[0]
        name = m.group(1)
        if name is None:
            problems.append(f"วงเล็บปีกกา {token} ไม่มีคู่ (an unmatched brace {token}: write "
                            f"{token * 2} to print one)")
            return token
        if name not in PLACEHOLDERS:
            problems.append(f"ไม่รู้จักช่องเติมข้อความ {{{name}}} (unknown placeholder "
                            f"{{{name}}}; known: {', '.join(PLACEHOLDERS)})")
            return token
        return (values or {}).get(name) or BLANK
    return _TOKEN.sub(one, text), problems


def check_wording(text: str) -> None:
    """ValidationError naming each unknown placeholder or lone brace of ``text``."""
    problems = _expand(text, None)[1]
    if problems:
        raise ValidationError("; ".join(dict.fromkeys(problems)))


def fill(text: str, values: dict[str, str]) -> str:
    """``text`` with its placeholders filled; a field the record lacks prints as dots."""
    filled, problems = _expand(text, values)
    if problems:  # saved before wording was checked: say so rather than print it broken
        raise ValidationError("; ".join(dict.fromkeys(problems)))
    return filled
