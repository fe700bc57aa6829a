"""The closing parts of the printed record: the signatures and the photo appendix
(DESIGN.md §6), as ReportLab flowables from plain data, as in forms/blocks.py."""

from __future__ import annotations

from collections.abc import Callable

from reportlab.lib.units import cm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer, Table
from reportlab.platypus import TableStyle as RLTableStyle

from fieldapp.forms.blocks import HEADING_ROOM, Typesetter, heading, pieces
from fieldapp.forms.jpeg import JpegImage
from fieldapp.forms.marks import SignatureBlock
from fieldapp.forms.page import TEXT_WIDTH

PHOTO_CAPTION = 600  # characters of a caption printed under its photo
REFUSAL_IN_BLOCK = 300  # characters of a refusal's reason printed inside the signature block


def signatures(ts: Typesetter, sig_rows: list[dict], participants: list[dict],
               images: dict[str, tuple[bytes, int, int]]) -> list[Flowable]:
    """Every inspector and factory representative, two blocks to a row: each signature with
    its person, and a dotted line for ink for each one who has not signed (only the first
    of each role was printed: a second inspector's signature was left off the paper). A
    refusal whose reason is longer than a block holds gives it in full below them. Every
    witness signs too, on a line of their own with their name below it."""
    by_id = {p["id"]: p for p in participants}
    blocks: list[SignatureBlock] = []
    reasons: list[Flowable] = []

    def block(sig: dict | None, person: dict | None, caption: str) -> SignatureBlock:
        name = (sig or {}).get("signer_name") or (person or {}).get("name")
        refused = None
        if sig and sig.get("refused"):
            reason = sig["refusal_reason"] or ""
            if len(reason) > REFUSAL_IN_BLOCK:
                reasons.append(ts.para(f"เหตุผลที่{name or 'ผู้แทนโรงงาน'}ปฏิเสธการลงนาม: {reason}",
                                       ts.table, space_before=4))
                reason = "ตามที่บันทึกไว้ด้านล่าง"
            refused = {"reason": reason, "witness": sig["witness_name"]}
        image = images.get(sig["attachment_id"]) if sig and sig.get("attachment_id") else None
        when = (f"วันที่ {ts.date(sig['signed_at'])}" if sig and not sig.get("refused") else None)
        return SignatureBlock(caption=caption, name=name,
                              position=(person or {}).get("position"), image=image,
                              refused=refused, signed_at=when, shaping=ts.thai)

    for role, caption in (("inspector", "พนักงานเจ้าหน้าที่ (ผู้ตรวจ)"),
                          ("representative", "ผู้แทนโรงงาน")):
        sigs = [s for s in sig_rows if s["signer_role"] == role]
        people = [p for p in participants if p["role"] == role]
        of_person = {s.get("participant_id"): s for s in sigs if s.get("participant_id")}
        entries = [(of_person.get(p["id"]), p) for p in people]
        entries += [(s, by_id.get(s.get("participant_id"))) for s in sigs
                    if s.get("participant_id") not in {p["id"] for p in people}]
        blocks += [block(s, p, caption) for s, p in entries or [(None, None)]]
    blocks += [block(s, p, "พยาน") for s, p in _witnesses(sig_rows, participants)]
    rows = [blocks[i:i + 2] + [""] * (2 - len(blocks[i:i + 2]))
            for i in range(0, len(blocks), 2)]
    table = Table(rows, colWidths=[TEXT_WIDTH / 2, TEXT_WIDTH / 2])
    table.setStyle(RLTableStyle([("LEFTPADDING", (0, 0), (-1, -1), 4),
                                 ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    intro = ts.para("ข้าพเจ้าได้อ่านบันทึกนี้แล้ว รับรองว่าถูกต้องตามความเป็นจริง จึงลงลายมือชื่อไว้เป็นหลักฐาน",
                    ts.table, space_before=6)
    return [KeepTogether([heading(ts, "5. ลายมือชื่อ"), intro, Spacer(1, 4), table]), *reasons]


def _witnesses(sig_rows: list[dict], participants: list[dict]
               ) -> list[tuple[dict | None, dict | None]]:
    """Each witness once, as (their signature or None, the person): a witness's own
    signature, a witness present at the inspection, and the witness a refusal to sign
    names, who signs in ink on the line for it (a refusal printed only "พยาน: name", with
    no line for the witness to sign)."""
    by_id = {p["id"]: p for p in participants}
    out, seen = [], set()
    for s in sig_rows:
        if s["signer_role"] == "witness":
            person = by_id.get(s.get("participant_id"))
            out.append((s, person))
            seen.update({s.get("signer_name"), (person or {}).get("name"), s.get("participant_id")})
    for p in participants:
        if p["role"] == "witness" and p["id"] not in seen and p["name"] not in seen:
            out.append((None, p))
            seen.add(p["name"])
    for s in sig_rows:
        name = (s.get("witness_name") or "").strip() if s.get("refused") else ""
        if name and name not in seen:
            out.append((None, {"name": name}))
            seen.add(name)
    return out


def photo_appendix(ts: Typesetter, photos: list[tuple[bytes | Callable[[], bytes], int, int, str]]
                   ) -> list[Flowable]:
    """Photos two to a row with their captions: (JPEG bytes, or a function giving them when
    the page is drawn; width and height, or any size of the same proportions; caption)."""
    if not photos:
        return []
    cells, rest = [], []
    for data, w, h, caption in photos:
        box_w, box_h = TEXT_WIDTH / 2 - 0.6 * cm, 6.0 * cm
        scale = min(box_w / w, box_h / h)
        if len(caption) > PHOTO_CAPTION:
            # A caption longer than fits beside its photo goes on below the photos (a photo
            # and a caption of pages could not be laid out, and the record not printed).
            head = pieces(caption, PHOTO_CAPTION)[0]
            rest.append(ts.para(f"คำบรรยายภาพ “{head[:40].strip()}…” (ต่อ): "
                                f"{caption[len(head):].strip()}", 12, space_before=4))
            caption = f"{head.strip()} … (ต่อท้ายภาคผนวก)"
        cells.append([JpegImage(data, w * scale, h * scale),
                      ts.para(caption, 12, align="center")])
    rows = [cells[i:i + 2] + ([""] if len(cells[i:i + 2]) == 1 else [])
            for i in range(0, len(cells), 2)]
    table = Table(rows, colWidths=[TEXT_WIDTH / 2] * 2, splitInRow=1)
    table.setStyle(RLTableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                 ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                                 ("BOTTOMPADDING", (0, 0), (-1, -1), 8)]))
    return [CondPageBreak(HEADING_ROOM), heading(ts, "ภาคผนวก ภาพถ่ายประกอบการตรวจ"), table,
            *rest]
