"""The blocks of the printed inspection record, as ReportLab flowables (DESIGN.md §6).

Each function takes plain data (rows from the store, the Template) and a ``Typesetter`` that
makes paragraphs, so the same layout can be typeset the Thai way (default) or plainly (the
benchmark floor). Nothing here reads the database.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.units import cm
from reportlab.platypus import CondPageBreak, Flowable, Spacer, Table
from reportlab.platypus import TableStyle as RLTableStyle

from fieldapp.core import detection
from fieldapp.core.numbers import grouped
from fieldapp.core.templates import is_visible, judgement, outside_limits
from fieldapp.core.thaidate import format_date, format_datetime, thai_digits
from fieldapp.forms import fonts
from fieldapp.forms.marks import RESULT_WORDS, ResultMark
from fieldapp.forms.page import TEXT_WIDTH
from fieldapp.forms.paragraph import TextStyle, ThaiParagraph
from fieldapp.forms.thai_text import break_opportunities, grapheme_starts

KIND_WORDS = {"routine": "ตรวจประจำ (ตรวจกำกับดูแล)", "complaint": "ตรวจตามข้อร้องเรียน",
              "follow_up": "ตรวจติดตามผลการแก้ไข"}
GRID = colors.HexColor("#555555")
SHADE = colors.HexColor("#e8e8e8")
CHECK_COLUMNS = [1.3 * cm, 6.3 * cm, 1.8 * cm, 3.4 * cm, 3.2 * cm]
SHORT_NOTE = 40  # characters; longer notes get a row of their own  # sums to TEXT_WIDTH (16 cm)
# Characters a narrow cell holds before its text moves to full-width rows below: a table
# splits between rows only, and one row taller than a page cannot be printed at all.
LONG_CELL = 200
PIECE_LINES = 15  # lines of one piece of long text (pieces)
ROW_TEXT = 1200  # characters in one full-width row (a third of a page)
FIELD_ROW_TEXT = 400  # characters in one row of a label-and-value table (a fifth of a page)


def pieces(text: str, limit: int = ROW_TEXT) -> list[str]:
    """``text`` in pieces of at most ``limit`` characters and PIECE_LINES lines, each cut
    where a line may break (a word boundary, never inside a cluster): each piece is a table
    row of its own (40 short lines were one row taller than a page)."""
    out = []
    while True:
        cut = _nth_newline(text, PIECE_LINES) + 1 if text.count("\n") >= PIECE_LINES \
            else None
        if len(text) > limit and (cut is None or cut > limit):
            cuts = [c for c in break_opportunities(text[:limit + 100]) if 0 < c <= limit]
            if not cuts:
                cuts = [g for g in grapheme_starts(text[:limit + 1]) if 0 < g <= limit] \
                    or [limit]
            cut = cuts[-1]
        if cut is None or cut >= len(text):
            return [*out, text]
        out.append(text[:cut])
        text = text[cut:]


def _nth_newline(text: str, n: int) -> int:
    at = -1
    for _ in range(n):
        at = text.index("\n", at + 1)
    return at


class Phrases(str):
    """Text made of phrases joined by spaces, each of which a line may not break inside
    unless it is wider than a line by itself: an address's ``ตำบลห้วยยางขาม``,
    ``อำเภอบางปะอิน``, ``จังหวัดพระนครศรีอยุธยา`` (newmm reads ห้วย|ยาง|ขาม, and a line
    ended between ห้วยยาง and ขาม, or between อำเภอ and its name)."""

    def __new__(cls, parts) -> Phrases:
        parts = tuple(str(p) for p in parts if p)
        self = super().__new__(cls, " ".join(parts))
        self.parts = parts
        return self

    def spans(self) -> tuple[tuple[int, int], ...]:
        out, at = [], 0
        for part in self.parts:
            out.append((at, at + len(part)))
            at += len(part) + 1
        return tuple(out)


@dataclass
class Typesetter:
    """Makes the paragraphs of one document: Thai-correct unless told otherwise."""

    thai_digits: bool = False
    thai: bool = True
    body: float = 16
    table: float = 14

    def style(self, size: float | None = None, bold: bool = False, **extra) -> TextStyle:
        size = size or self.body
        return TextStyle(font=fonts.BOLD if bold else fonts.REGULAR, size=size,
                         shaping=self.thai, segmentation=self.thai, **extra)

    def digits(self, text: str) -> str:
        return thai_digits(text) if self.thai_digits else text

    # "thai" (always, in the app), or for the benchmark floor "plain" (this flowable without
    # shaping and segmentation) and "reportlab" (ReportLab's own Paragraph, unshaped).
    engine: str = "thai"

    def para(self, text: str | None, size: float | None = None, bold: bool = False, *,
             code: bool = False, keep: tuple[tuple[int, int], ...] = (),
             **extra) -> Flowable:
        """A paragraph; ``code`` marks ids and numbers people type or scan (FID,
        registration and record numbers), which keep 0–9 even with Thai digits on. Text
        given as ``Phrases`` breaks only between its phrases (a place name stays whole)."""
        keep = text.spans() if isinstance(text, Phrases) else keep
        text = str(text or "")
        style = self.style(size, bold, **extra)
        text = text if code else self.digits(text)
        if self.engine == "reportlab":
            return _reportlab_paragraph(text, style)
        return ThaiParagraph(text, style, keep=keep)

    def date(self, value: str | None) -> str:
        return format_date(value, digits="thai" if self.thai_digits else "arabic") \
            if value else "-"

    def datetime(self, value: str | None) -> str:
        return format_datetime(value, digits="thai" if self.thai_digits else "arabic") \
            if value else "-"


def _reportlab_paragraph(text: str, style: TextStyle) -> Flowable:
    from xml.sax.saxutils import escape

    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph
    align = {"left": 0, "center": 1, "right": 2}.get(style.align, 0)
    return Paragraph(escape(text).replace("\n", "<br/>"), ParagraphStyle(
        "p", fontName=style.font, fontSize=style.size, leading=style.line_height(), alignment=align,
        textColor=style.color, spaceBefore=style.space_before, spaceAfter=style.space_after))


def _grid(extra: list | None = None) -> RLTableStyle:
    return RLTableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        # Line boxes already hold the tallest stacks and deepest vowels (paragraph.LINE_GAP).
        ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
        *(extra or [])])


CODE_FIELDS = ("เลขทะเบียนโรงงาน", "เลขทะเบียนเดิม", "พิกัด", "ฉบับแก้ไข")
BANGKOK = "กรุงเทพมหานคร"
BLANK_LINE = "." * 70      # a value to write by hand on a blank form


def _field_table(ts: Typesetter, rows: list[tuple[str, object]],
                 blank: bool = False) -> Table:
    """Label and value rows; ``blank``: a form to fill in by hand, every value a dotted
    line to write on (a "-" in each said there was nothing to write)."""
    data = []
    for label, value in rows:
        text = "" if value is None else value if isinstance(value, Phrases) else str(value)
        # A value longer than a row can hold goes on in rows below it: one table row
        # taller than a page cannot be laid out, and the record could not be printed.
        parts = pieces(str(text), FIELD_ROW_TEXT) if len(text) > FIELD_ROW_TEXT else [text]
        for n, part in enumerate(parts):
            data.append([ts.para(label if n == 0 else "", ts.table, bold=True),
                         ts.para(BLANK_LINE if blank else part or "-", ts.table,
                                 code=label in CODE_FIELDS)])
    table = Table(data, colWidths=[4.2 * cm, TEXT_WIDTH - 4.2 * cm], splitInRow=1)
    table.setStyle(_grid([("BACKGROUND", (0, 0), (0, -1), SHADE)]))
    return table


# Room a heading needs below it on its page, or it goes to the next (a heading alone at the
# foot of a page, its table on the next).
HEADING_ROOM = 3.5 * cm


def heading(ts: Typesetter, text: str) -> Flowable:
    return ts.para(text, 16, bold=True, space_before=8, space_after=3)


def factory_address(f: dict) -> Phrases:
    """A factory's address on one line, as Thai documents write it (the printed form, the
    office's letters)."""
    # Bangkok has แขวง and เขต where provinces have ตำบล and อำเภอ, and is no จังหวัด.
    bangkok = f.get("province") == BANGKOK
    # Each part of the address breaks only between parts: a place name with its label
    # (ตำบลห้วยยางขาม) is never cut inside unless it is wider than the column.
    return Phrases((
        f.get("address"), f"หมู่ {f['moo']}" if f.get("moo") else None,
        f"ซอย {f['soi']}" if f.get("soi") else None, f"ถนน {f['road']}" if f.get("road") else None,
        f"{'แขวง' if bangkok else 'ตำบล'}{f['subdistrict']}" if f.get("subdistrict") else None,
        f"{'เขต' if bangkok else 'อำเภอ'}{f['district']}" if f.get("district") else None,
        (BANGKOK if bangkok else f"จังหวัด{f['province']}") if f.get("province") else None))


def factory_block(ts: Typesetter, factory: dict | None, *,
                  blank: bool = False) -> list[Flowable]:
    f = factory or {}
    address = factory_address(f)
    coords = (f"{f['lat']:.5f}, {f['lng']:.5f}" if all(
        type(f.get(c)) in (int, float) for c in ("lat", "lng")) else None)
    kind = " ".join(x for x in (
        f"ประเภท/ลำดับที่ {f['factory_type']}" if f.get("factory_type") else "",
        f"จำพวกที่ {f['factory_class']}" if f.get("factory_class") else "") if x)
    rows = [("ชื่อโรงงาน", f.get("name")), ("ผู้ประกอบกิจการ", f.get("operator")),
            ("เลขทะเบียนโรงงาน", f.get("fid")), ("เลขทะเบียนเดิม", f.get("facreg")),
            ("ประเภท/จำพวก", kind), ("ประกอบกิจการ", f.get("business")),
            ("ที่ตั้ง", address), ("พิกัด", coords)]
    return [CondPageBreak(HEADING_ROOM), heading(ts, "1. ข้อมูลโรงงาน"),
            _field_table(ts, rows, blank=blank)]


def _people(participants: list[dict], role: str) -> str:
    people = [p for p in participants if p["role"] == role]
    return "\n".join(p["name"] + (f" ({p['position']})" if p.get("position") else "")
                     for p in people) or None


def inspection_block(ts: Typesetter, inspection: dict, participants: list[dict],
                     version: int, *, blank: bool = False) -> list[Flowable]:
    rows = [("ประเภทการตรวจ", KIND_WORDS.get(inspection["kind"], inspection["kind"])),
            ("วันที่และเวลา", ts.datetime(inspection.get("started_at"))),
            ("วัตถุประสงค์", inspection.get("purpose")),
            ("พนักงานเจ้าหน้าที่", _people(participants, "inspector")),
            ("ผู้แทนโรงงาน", _people(participants, "representative"))]
    if _people(participants, "witness"):
        rows.append(("พยาน", _people(participants, "witness")))
    if inspection.get("amends_id"):
        # The id stays 0-9 with Thai digits on (it is typed and looked up): the row is code.
        rows.append(("ฉบับแก้ไข", f"ครั้งที่ {ts.digits(str(version))} แก้ไขบันทึก "
                                  f"{inspection['amends_id']}"))
    return [CondPageBreak(HEADING_ROOM), heading(ts, "2. ข้อมูลการตรวจ"),
            _field_table(ts, rows, blank=blank)]


def _answer_text(item, answer: dict | None) -> str:
    if not answer or answer.get("value") in (None, ""):
        return ""
    value = answer["value"]
    if item.type in ("choice", "multi_choice"):
        ids = value
        if isinstance(value, str) and value.startswith("["):
            ids = json.loads(value)
        ids = ids if isinstance(ids, list) else [ids]
        return ", ".join((item.choice(i).label["th"] if item.choice(i) else str(i)) for i in ids)
    if item.type == "date":
        return format_date(value)
    if item.type in ("document", "gps") and isinstance(value, str) and value.startswith("{"):
        data = json.loads(value)
        if item.type == "gps":
            return f"{data.get('lat')}, {data.get('lng')}"
        when = f" ลงวันที่ {format_date(data['date'])}" if data.get("date") else ""
        return f"เลขที่ {data.get('number') or '-'}{when}"
    if item.type == "number" and detection.printed_text(str(value), item.unit):
        # A lab's "<2" or "ND" as the report wrote it, its unit with the limit.
        return detection.printed_text(str(value), item.unit)
    if item.type == "number":
        # The one rule of printed numbers (core/numbers.py): 12,500 beside its limit's
        # 3,000 (it printed 12500), the recorded decimals kept.
        value = grouped(str(value))
    if item.unit:
        return f"{value} {item.unit}"
    return str(value)


def _value_cell(ts: Typesetter, item, answer: dict | None, blank: bool) -> list[Flowable]:
    cell: list[Flowable] = []
    text = _answer_text(item, answer)
    if len(text) > LONG_CELL:
        cell.append(ts.para("ดูคำตอบด้านล่าง", ts.table))   # in rows of its own (checklist)
    elif text:
        cell.append(ts.para(text, ts.table))
    elif blank and item.type in ("choice", "multi_choice"):
        # The choices to tick by hand (a dotted line gave no idea what to write).
        cell.append(ts.para("\n".join(f"(  ) {c.label['th']}" for c in item.choices), 12))
    elif blank and item.type not in ("result", "photo"):
        cell.append(ts.para("." * 18 + (f" {item.unit}" if item.unit else ""), ts.table))
    if item.limit_text():
        cell.append(ts.para(f"เกณฑ์ {item.limit_text()}", 11))
    if answer and answer.get("exceeded"):
        # Below a minimum (pH 4.0 against 5.5-9.0) is not "over" it.
        below = outside_limits(item, str(answer.get("value"))) == "below" \
            if answer.get("value") is not None else False
        words = "ต่ำกว่าเกณฑ์มาตรฐาน" if below else "เกินเกณฑ์มาตรฐาน"
        cell.append(ts.para(words, 12, bold=True, color=colors.HexColor("#b00020")))
    elif answer and item.type == "number" and detection.read_stored(answer.get("value")):
        cell += _below_detection_judgement(ts, item, answer)
    return cell


def _below_detection_judgement(ts: Typesetter, item, answer: dict) -> list[Flowable]:
    """A "<2" or "ND" that passes says so (a reader may not know "<2" is under "≤ 20"); one
    that cannot be judged by itself says that, and whose decision the result is."""
    judged = judgement(item, answer["value"])
    if judged != detection.UNDECIDED:
        return [ts.para(detection.JUDGEMENT_WORDS[judged], 11)] if judged else []
    out = [ts.para(detection.JUDGEMENT_WORDS[judged], 12, bold=True,
                   color=colors.HexColor("#8a5a00")),
           ts.para(detection.UNDECIDED_WHY, 11, color=colors.HexColor("#8a5a00"))]
    decided = RESULT_WORDS.get(answer.get("result")) if answer.get("result") else None
    out.append(ts.para(f"ผู้ตรวจวินิจฉัย: {decided}" if decided else
                       "ผู้ตรวจยังไม่ได้วินิจฉัย", 12, bold=bool(decided)))
    return out


def checklist(ts: Typesetter, template, answers: dict[str, dict], *,
              blank: bool = False) -> list[Flowable]:
    """One table per section; the section's title row and the column headings repeat on
    every page the table runs onto, so a title never stands alone at a page foot."""
    # Room for the heading and the first rows, or the heading moves to the next page with them.
    out: list[Flowable] = [CondPageBreak(7 * cm), heading(ts, "3. ผลการตรวจตามรายการตรวจ")]
    columns = ["ข้อ", "รายการตรวจ", "ผล", "ค่าที่ตรวจวัด / เกณฑ์", "หมายเหตุ"]
    for section in template.sections:
        rows = [[ts.para(f"หมวด {section.number} {section.title['th']}", ts.table, bold=True),
                 "", "", "", ""],
                [ts.para(c, 12, bold=True, align="center") for c in columns]]
        styles = [("SPAN", (0, 0), (-1, 0)), ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                  ("BACKGROUND", (0, 1), (-1, 1), colors.HexColor("#f4f4f4"))]
        for item in section.items:
            answer = answers.get(item.id)
            label: list[Flowable] = [ts.para(item.label["th"], ts.table)]
            if item.legal_basis:
                label.append(ts.para(f"อ้างอิง {item.legal_basis}", 11,
                                     color=colors.HexColor("#333333")))
            result = answer.get("result") if answer else None
            # An item hidden by its condition (no boiler: no boiler checks) is printed as
            # not applicable, so the paper shows why it has no answer.
            hidden = not blank and not is_visible(item, answers)
            mark = ResultMark("na" if hidden else result,
                              blank=blank and item.type == "result", shaping=ts.thai)
            note_text = (answer or {}).get("note") or ""
            short = len(note_text) <= SHORT_NOTE
            value = ([ts.para("ไม่เข้าเงื่อนไขที่ต้องตรวจ", 11, color=colors.HexColor("#555555"))]
                     if hidden else _value_cell(ts, item, answer, blank))
            kept = _answer_text(item, answer) if hidden and answer else ""
            if hidden and answer and (kept or result):
                # Recorded before its condition changed: still part of what was signed
                # (the content hash covers it), so the paper shows it too.
                words = " ".join(w for w in (RESULT_WORDS.get(result, result or ""), kept) if w)
                value.append(ts.para(f"บันทึกไว้ก่อนเงื่อนไขเปลี่ยน: "
                                     f"{words if len(words) <= LONG_CELL else 'ดูด้านล่าง'}",
                                     11, color=colors.HexColor("#555555")))
            rows.append([ts.para(item.number, 13), label, mark, value,
                         ts.para(note_text if short else "ดูหมายเหตุด้านล่าง", 12)])
            long_answer = kept if hidden else _answer_text(item, answer)
            # A long answer or note gets full-width rows of its own below the item: a
            # narrow column would make one tall row that cannot split across pages.
            for caption, text in ((f"คำตอบ ข้อ {item.number}: ", long_answer),
                                  (f"หมายเหตุ ข้อ {item.number}: ", note_text)):
                if len(text) <= (LONG_CELL if caption.startswith("คำตอบ") else SHORT_NOTE):
                    continue
                for n, piece in enumerate(pieces(text)):
                    rows.append(["", ts.para((caption if n == 0 else "") + piece, 12),
                                 "", "", ""])
                    styles.append(("SPAN", (1, len(rows) - 1), (-1, len(rows) - 1)))
        table = Table(rows, colWidths=CHECK_COLUMNS, repeatRows=2)
        table.setStyle(_grid(styles))
        # (The first section's table follows the heading, which made room for it.)
        out += [CondPageBreak(3 * cm)] if len(out) > 2 else []
        out += [table, Spacer(1, 6)]
    return out


def findings(ts: Typesetter, rows: list[dict], template, *,
             blank: bool = False) -> list[Flowable]:
    """Findings and the corrective orders given, with legal basis and deadline (B.E.).
    ``blank``: empty rows to write in (a blank form said "no findings" in advance)."""
    out: list[Flowable] = [CondPageBreak(HEADING_ROOM), heading(ts, "4. ข้อบกพร่องและคำสั่งให้แก้ไข")]
    if blank:
        head = [ts.para(c, 12, bold=True, align="center")
                for c in ("ที่", "ข้อบกพร่อง", "คำสั่งให้แก้ไข / ข้อกฎหมาย", "กำหนดแล้วเสร็จ")]
        empty = [[ts.para(f"{n}", ts.table), ts.para("\n\n", ts.table), "", ""]
                 for n in range(1, 5)]
        table = Table([head, *empty], colWidths=[1.0 * cm, 6.0 * cm, 6.0 * cm, 3.0 * cm])
        table.setStyle(_grid([("BACKGROUND", (0, 0), (-1, 0), SHADE)]))
        return out + [table]
    if not rows:
        return out + [ts.para("ไม่พบข้อบกพร่อง")]
    head = [ts.para(c, 12, bold=True, align="center")
            for c in ("ที่", "ข้อบกพร่อง", "คำสั่งให้แก้ไข / ข้อกฎหมาย", "กำหนดแล้วเสร็จ")]
    data = [head]
    styles = [("BACKGROUND", (0, 0), (-1, 0), SHADE)]
    for n, f in enumerate(rows, start=1):
        item = template.item(f["item_id"]) if f.get("item_id") else None
        description, order_text = f["description"] or "", f.get("order_text") or "-"
        basis = f.get("legal_basis") or ""
        # Long text goes in full-width rows below (see LONG_CELL).
        below = [(caption, text) for caption, text in
                 ((f"ข้อบกพร่องที่ {n}: ", description),
                  (f"คำสั่งให้แก้ไขที่ {n}: ", order_text),
                  (f"ข้อกฎหมายของคำสั่งที่ {n}: อาศัยอำนาจ ", basis)) if len(text) > LONG_CELL]
        what = [ts.para(description if len(description) <= LONG_CELL else "ดูด้านล่าง",
                        ts.table)]
        if item:
            what.append(ts.para(f"(ข้อ {item.number})", 11))
        order = [ts.para(order_text if len(order_text) <= LONG_CELL else "ดูด้านล่าง",
                         ts.table)]
        if basis:
            order.append(ts.para(f"อาศัยอำนาจ {basis if len(basis) <= LONG_CELL else 'ดูด้านล่าง'}",
                                 11))
        data.append([ts.para(str(n), ts.table), what, order, ts.para(ts.date(f.get("deadline")),
                                                                     ts.table)])
        for caption, text in below:
            for k, piece in enumerate(pieces(text)):
                data.append(["", ts.para((caption if k == 0 else "") + piece, ts.table), "",
                             ""])
                styles.append(("SPAN", (1, len(data) - 1), (-1, len(data) - 1)))
    table = Table(data, colWidths=[1.0 * cm, 6.0 * cm, 6.0 * cm, 3.0 * cm], repeatRows=1)
    table.setStyle(_grid(styles))
    return out + [table]
