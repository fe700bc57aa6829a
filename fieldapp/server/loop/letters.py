"""The escalation letter of a corrective order (Factory Act s.39): the office's wording from
its settings, with ``{placeholders}`` filled from the order, its record and its factory, laid
out by fieldapp/forms/letter.py.

Wording is checked when the settings are saved (loop/wording.py): a placeholder unknown
there, or a lone brace, is refused with a message naming it, never discovered as a broken
letter.
"""

from __future__ import annotations

from fieldapp.core.errors import NotFoundError
from fieldapp.core.provinces import province_by_code
from fieldapp.core.thaidate import arabic_digits, format_date, thai_digits
from fieldapp.forms.blocks import BANGKOK, factory_address
from fieldapp.forms.letter import Letter, render_letter_pdf
from fieldapp.server.auth import Principal
from fieldapp.server.loop import settings
from fieldapp.server.loop.wording import BLANK, fill
from fieldapp.server.queries.orders import order_detail
from fieldapp.server.storage import Database

# Ids people type and look up keep 0-9 with Thai digits on, as on the printed form
# (forms/blocks.Typesetter.para's ``code``); every other digit of the letter follows the
# setting, the office's own wording included (one letter never mixes ๓๙ and 39).
CODES = frozenset({"fid"})


def _date(value: str | None) -> str:
    if not value:
        return ""
    try:
        return format_date(value)
    except (TypeError, ValueError):
        return str(value)


def _province(order: dict) -> str:
    """The order's province as a letter names it: จังหวัดชลบุรี, or กรุงเทพมหานคร (no
    จังหวัด). By the province's code (the factory's, else the order's), the factory's
    province as written when the code is unknown."""
    f = order.get("factory") or {}
    code = f.get("province_code") or order.get("province")
    known = province_by_code(code) if isinstance(code, str) else None
    name = known.name_th if known else str(f.get("province") or "").strip()
    if not name:
        return ""
    return name if name == BANGKOK or name.startswith("จังหวัด") else f"จังหวัด{name}"


def _without(prefix: str, text: str) -> str:
    """``text`` without a leading ``prefix`` word, which the wording writes itself
    (ให้ท่าน{order_text}: an order typed as ให้ปรับปรุง... read ให้ท่านให้ปรับปรุง)."""
    text = text.strip()
    return text[len(prefix):].lstrip() if text.startswith(prefix) else text


def values_of(db: Database, order: dict) -> dict[str, str]:
    """What each placeholder stands for, for one order (``queries.orders.order_detail``),
    digits as recorded."""
    with db.read() as c:
        inspection = c.one("SELECT started_at, finalized_at FROM inspection_index WHERE id = ?",
                           (order.get("inspection_id"),)) or {}
    f = order.get("factory") or {}
    return {
        "province": _province(order),
        "factory_name": f.get("name") or order.get("factory_name") or "",
        "fid": f.get("fid") or order.get("fid") or "",
        "operator": f.get("operator") or "",
        "address": factory_address(f),
        "inspected_on": _date(inspection.get("started_at")),
        "description": order.get("description") or "",
        "legal_basis": _without("ตาม", order.get("legal_basis") or ""),
        "order_text": _without("ให้", order.get("order_text") or ""),
        "deadline": _date(order.get("deadline")),
        "followup_on": _date(order.get("followup_on")),
        "issued_on": _date(order.get("issued_on")),
        "responsible": order.get("responsible") or "",
    }


def escalation_letter(db: Database, who: Principal, order_id: str,
                      thai_digits_on: bool = False) -> Letter:
    """The letter for an order in the caller's scope (NotFoundError otherwise), every digit
    in ๐–๙ with ``thai_digits_on`` and in 0–9 without, but the factory's ID and the record
    number."""
    order = order_detail(db, who, order_id)
    if order is None:
        raise NotFoundError("no such order")
    digits = thai_digits if thai_digits_on else arabic_digits
    s = {key: digits(value) for key, value in settings.get_all(db).items()}
    values = {key: value if key in CODES else digits(value)
              for key, value in values_of(db, order).items()}

    def wording(key: str) -> str:
        return fill(s[key], values)
    record = f" เลขที่ {order['record_no']}" if order.get("record_no") else ""
    reference = (f"คำสั่งให้ปรับปรุงแก้ไขตามบันทึกการตรวจสอบโรงงาน{record}"
                 f" ลงวันที่ {values['issued_on'] or BLANK}")
    to = f"ผู้ประกอบกิจการโรงงาน {values['operator'] or values['factory_name']}".strip()
    return Letter(
        number=s["letter_number_prefix"], office_name=wording("office_name"),
        office_address=s["office_address"],
        date=digits(_date(settings.office_today().isoformat())),
        subject=wording("escalation_subject"), to=to, reference=reference,
        paragraphs=[p for p in wording("escalation_body").split("\n") if p.strip()],
        signer_name=s["letter_signer_name"], signer_position=wording("letter_signer_position"),
        contact=s.get("letter_contact", ""), thai_digits=thai_digits_on,
        title=f"หนังสือ {wording('escalation_subject')}")


def escalation_pdf(db: Database, who: Principal, order_id: str,
                   thai_digits_on: bool = False) -> bytes:
    return render_letter_pdf(escalation_letter(db, who, order_id, thai_digits_on))
