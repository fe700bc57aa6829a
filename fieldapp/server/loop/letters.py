"""The escalation letter of a corrective order (Factory Act s.39): the office's wording from
its settings, with ``{placeholders}`` filled from the order, its record and its factory, laid
out by fieldapp/forms/letter.py.

Wording is checked when the settings are saved (loop/wording.py): a placeholder unknown
there, or a lone brace, is refused with a message naming it, never discovered as a broken
letter.
"""

from __future__ import annotations

from fieldapp.core.errors import NotFoundError
from fieldapp.core.thaidate import format_date
from fieldapp.forms.letter import Letter, render_letter_pdf
from fieldapp.server.auth import Principal
from fieldapp.server.loop import settings
from fieldapp.server.loop.wording import BLANK, fill
from fieldapp.server.queries.orders import order_detail
from fieldapp.server.storage import Database


def _date(value: str | None, thai_digits: bool) -> str:
    if not value:
        return ""
    try:
        return format_date(value, digits="thai" if thai_digits else "arabic")
    except (TypeError, ValueError):
        return str(value)


def _address(f: dict) -> str:
    parts = [f.get("address"), f.get("moo") and f"หมู่ {f['moo']}",
             f.get("soi") and f"ซอย {f['soi']}", f.get("road") and f"ถนน {f['road']}",
             f.get("subdistrict") and f"ตำบล {f['subdistrict']}",
             f.get("district") and f"อำเภอ {f['district']}",
             f.get("province") and f"จังหวัด {f['province']}"]
    return " ".join(str(p) for p in parts if p)


def values_of(db: Database, order: dict, thai_digits: bool = False) -> dict[str, str]:
    """What each placeholder stands for, for one order (``queries.orders.order_detail``)."""
    with db.read() as c:
        inspection = c.one("SELECT started_at, finalized_at FROM inspection_index WHERE id = ?",
                           (order.get("inspection_id"),)) or {}
    f = order.get("factory") or {}
    return {
        "factory_name": f.get("name") or order.get("factory_name") or "",
        "fid": f.get("fid") or order.get("fid") or "",
        "operator": f.get("operator") or "",
        "address": _address(f),
        "inspected_on": _date(inspection.get("started_at"), thai_digits),
        "description": order.get("description") or "",
        "legal_basis": order.get("legal_basis") or "",
        "order_text": order.get("order_text") or "",
        "deadline": _date(order.get("deadline"), thai_digits),
        "followup_on": _date(order.get("followup_on"), thai_digits),
        "issued_on": _date(order.get("issued_on"), thai_digits),
        "responsible": order.get("responsible") or "",
    }


def escalation_letter(db: Database, who: Principal, order_id: str,
                      thai_digits: bool = False) -> Letter:
    """The letter for an order in the caller's scope (NotFoundError otherwise)."""
    order = order_detail(db, who, order_id)
    if order is None:
        raise NotFoundError("no such order")
    s = settings.get_all(db)
    values = values_of(db, order, thai_digits)
    reference = (f"คำสั่งให้ปรับปรุงแก้ไขตามบันทึกการตรวจสอบโรงงาน"
                 f"{' เลขที่ ' + order['record_no'] if order.get('record_no') else ''}"
                 f" ลงวันที่ {values['issued_on'] or BLANK}")
    to = f"ผู้ประกอบกิจการโรงงาน {values['operator'] or values['factory_name']}".strip()
    return Letter(
        number=s["letter_number_prefix"], office_name=s["office_name"],
        office_address=s["office_address"],
        date=_date(settings.office_today().isoformat(), thai_digits),
        subject=fill(s["escalation_subject"], values), to=to, reference=reference,
        paragraphs=[p for p in fill(s["escalation_body"], values).split("\n") if p.strip()],
        signer_name=s["letter_signer_name"], signer_position=s["letter_signer_position"],
        contact=s.get("letter_contact", ""), thai_digits=thai_digits,
        title=f"หนังสือ {fill(s['escalation_subject'], values)}")


def escalation_pdf(db: Database, who: Principal, order_id: str,
                   thai_digits: bool = False) -> bytes:
    return render_letter_pdf(escalation_letter(db, who, order_id, thai_digits))
