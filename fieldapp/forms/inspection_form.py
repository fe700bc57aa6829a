"""Render a stored inspection (or a blank form of a template) as the printed A4 record.

``render_inspection_pdf`` is what the CLI and the GUI's print, preview and export call; it
returns the PDF bytes and also writes them when ``out`` is given. It reads the store but never
writes to it. Long renders belong on a worker thread (the GUI's job, not this module's).
"""

from __future__ import annotations

import io
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from reportlab.platypus import BaseDocTemplate, Frame, PageBreak, PageTemplate
from reportlab.platypus.doctemplate import LayoutError

from fieldapp.core.canonical import signed_factory
from fieldapp.core.errors import FieldAppError
from fieldapp.forms import blocks, closing_blocks, fonts, header_block, loop_blocks
from fieldapp.forms.images import (
    UNREADABLE,
    photo_size,
    print_ready_blob,
    print_ready_jpeg,
    signature_png,
    unreadable_jpeg,
)
from fieldapp.forms.page import BOTTOM, LEFT, PAGE_SIZE, TEXT_WIDTH, TOP, canvas_class
from fieldapp.forms.settings import PrintSettings
from fieldapp.forms.thai_text import warm_up
from fieldapp.forms.verification import Payload, RecordState
from fieldapp.store.blobs import blob_path, read_blob
from fieldapp.store.changes import get_row
from fieldapp.store.db import Store
from fieldapp.store.inspections import compute_content_hash, get_inspection, load_bundle
from fieldapp.store.office_loop import complaint_of, orders_of
from fieldapp.store.templates import get_template

FORM_TITLE = "บันทึกการตรวจสอบโรงงาน"
# ReportLab keeps font subsets and shaped-glyph code points in process-wide font objects:
# one render at a time, whichever thread asks (the GUI renders on a worker thread).
_render_lock = threading.Lock()


# A chain of amendments is walked at most this far, and never round a loop: rows synced
# from an office server may point anywhere (the server refuses longer chains, see
# fieldapp/server/amendments.py).
MAX_CHAIN = 100


def _ancestors(store: Store, inspection: dict) -> list[str]:
    """The ids up the record's chain of amendments, nearest first. A parent missing here is
    still counted (the record names it); the walk stops at a loop or after MAX_CHAIN."""
    found, seen, parent = [], {inspection["id"]}, inspection.get("amends_id")
    while parent and parent not in seen and len(found) < MAX_CHAIN:
        seen.add(parent)
        found.append(parent)
        row = get_row(store, "inspections", parent)
        parent = row.get("amends_id") if row else None
    return found


def amendment_number(store: Store, inspection: dict) -> int:
    """0 for an original record, n for the n-th amendment in its chain."""
    return len(_ancestors(store, inspection))


def record_state(store: Store, record_id: str) -> RecordState | None:
    """The local database as a verification lookup: the record's content hash recomputed
    from what is stored now, the newest FINALIZED version of its amendment chain, and whether
    a draft amends that version. Until an amendment is finalized the signed original is still
    the record: a draft only means an amendment is in progress."""
    row = get_row(store, "inspections", record_id)
    if row is None or row["deleted"]:
        return None
    ancestors = _ancestors(store, row)
    version, in_progress = len(ancestors), False
    seen, frontier = {record_id, *ancestors}, [record_id]
    for _ in range(MAX_CHAIN):
        marks = ",".join("?" * len(frontier))
        children = [c for c in store.query(
            f"SELECT id, state FROM inspections WHERE deleted = 0 AND amends_id IN ({marks})",
            tuple(frontier)) if c["id"] not in seen]
        seen.update(c["id"] for c in children)
        finalized = [c["id"] for c in children if c["state"] == "finalized"]
        if not finalized:
            in_progress = bool(children)
            break
        version += 1
        frontier = finalized
    digest = compute_content_hash(store, record_id) if row["state"] == "finalized" else None
    return RecordState(digest, version, in_progress)


def _document(out: io.BytesIO, *, title: str, subject: str, author: str, keywords: str,
              footer: dict) -> tuple[BaseDocTemplate, type]:
    fonts.register_fonts()
    warm_up()
    doc = BaseDocTemplate(out, pagesize=PAGE_SIZE, leftMargin=LEFT, rightMargin=PAGE_SIZE[0]
                          - LEFT - TEXT_WIDTH, topMargin=TOP, bottomMargin=BOTTOM,
                          title=title, subject=subject, author=author, keywords=keywords,
                          creator="FieldApp", lang="th-TH")
    frame = Frame(LEFT, BOTTOM, TEXT_WIDTH, PAGE_SIZE[1] - TOP - BOTTOM, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="form", frames=[frame])])
    return doc, canvas_class(footer)


def _finish(out_buffer: io.BytesIO, out: str | Path | None) -> bytes:
    data = out_buffer.getvalue()
    if out is not None:
        path = Path(out)
        tmp = path.with_name(path.name + ".part")
        try:
            tmp.write_bytes(data)
            tmp.replace(path)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise FieldAppError(f"บันทึกไฟล์ PDF ไม่ได้ (cannot write {path}: {exc})") from exc
    return data


def office_heading(settings: PrintSettings, factory: dict | None) -> str:
    """The office that heads the form: as configured; left unconfigured ("สำนักงาน
    อุตสาหกรรมจังหวัด" alone), completed with the factory's province, whose office it is
    (Bangkok has none of its own: left as it is)."""
    name = settings.office_name
    province = (factory or {}).get("province")
    if name == PrintSettings.office_name and isinstance(province, str) and province \
            and province != "กรุงเทพมหานคร":
        return name + province
    return name


def _logo(settings: PrintSettings) -> bytes | None:
    if not settings.office_logo:
        return None
    try:
        data = Path(settings.office_logo).read_bytes()
    except OSError as exc:
        raise FieldAppError(f"อ่านไฟล์ตราสำนักงานไม่ได้ (cannot read office logo "
                            f"{settings.office_logo}: {exc})") from exc
    # Said of the logo, by its name: a text file given as --logo failed later as "cannot
    # read image: cannot identify image file <_io.BytesIO object at 0x…>".
    from PIL import Image
    try:
        with Image.open(io.BytesIO(data)) as im:
            im.verify()
    except Exception:  # noqa: BLE001 - PIL raises many types for a file that is no image
        raise FieldAppError(f"ไฟล์ตราสำนักงานไม่ใช่รูปภาพ (the office logo "
                            f"{settings.office_logo} is not a PNG or JPEG image)") from None
    return data


def _photo_sources(store: Store, photo_rows: list[dict], pool: ThreadPoolExecutor,
                   blob: Callable[[str], bytes] | None = None) -> list[tuple]:
    """Per photo: a function giving its print copy (made on ``pool``, several at a time:
    PIL releases the GIL while it decodes, resizes and encodes) and its upright size, read
    from the file's header. The document is typeset meanwhile and waits for a photo only
    when the appendix is drawn: a dozen camera photos take ~0.7 s to prepare, more than the
    rest of the record (issue 16, Print on the spot)."""
    out = []
    for att in photo_rows:
        sha256 = att["sha256"]
        try:
            if blob is not None:   # bytes given by the caller (the office server)
                data = blob(sha256)
                size = photo_size(io.BytesIO(data))
                future = pool.submit(print_ready_jpeg, data)
            else:
                size = photo_size(blob_path(store.blob_dir, sha256))
                future = pool.submit(print_ready_blob, str(store.blob_dir), sha256)
        except FieldAppError:
            # Not a picture (a file taken in by an older FieldApp): a grey box, said so in
            # its caption; every other part of the record still prints.
            out.append((unreadable_jpeg(), 4, 3, False))
            continue
        out.append((lambda f=future: _print_copy(f), *size, True))
    return out


def _print_copy(future) -> bytes:
    """A photo's print copy, or a grey box if its pixels cannot be read after all (its
    header could: a damaged file)."""
    try:
        return future.result()[0]
    except FieldAppError:
        return unreadable_jpeg()


def render_inspection_pdf(store: Store, inspection_id: str, out: str | Path | None = None, *,
                          settings: PrintSettings | None = None,
                          engine: str = "thai",
                          blob: Callable[[str], bytes] | None = None) -> bytes:
    """The printed record of one inspection as PDF bytes (also written to ``out``).

    A draft prints with a "ฉบับร่าง (DRAFT)" watermark and claims no content hash; a finalized
    record carries its full hash in the QR code and the metadata (docs/printed-form.md).
    ``engine`` other than "thai" typesets without shaping and word segmentation (see
    blocks.Typesetter): only for the benchmark floor. ``blob(sha256)`` gives attachment
    bytes (default: the store's blob folder); the office server passes the bytes it holds.
    """
    settings = settings or PrintSettings()
    custom_blob = blob   # the office's bytes: not the laptop's cache of its own blob folder
    if blob is None:
        def blob(sha256: str) -> bytes:
            return read_blob(store.blob_dir, sha256)
    bundle = load_bundle(store, inspection_id)
    inspection = get_inspection(store, inspection_id)
    template = get_template(store, inspection["template_version_id"])
    # A record prints the factory it keeps, as it was when first signed; the registry may
    # have changed since. One that keeps none (not signed yet, or signed before records
    # kept it) prints the registry's.
    factory = signed_factory(inspection)
    if factory is None:
        factory = get_row(store, "factories", inspection["factory_id"])
    draft = inspection["state"] != "finalized"
    version = amendment_number(store, inspection)
    digest = None if draft else inspection["content_hash"]
    payload = Payload(inspection_id, version, digest).text()

    # A follow-up started from a plan names its orders in "order:" answers (office_loop).
    orders = orders_of(store, inspection_id) if inspection["kind"] == "follow_up" else []
    order_number = {o["item_id"]: n for n, o in enumerate(orders, start=1)}
    images: dict[str, tuple[bytes, int, int]] = {}
    photo_rows = []
    for att in bundle["attachments"]:
        if att["kind"] == "signature":
            images[att["id"]] = signature_png(blob(att["sha256"]))
        elif att["kind"] == "photo" and att["mime"].startswith("image/"):
            photo_rows.append(att)
    # The photos' print copies are made on these threads while the document is typeset.
    pool = ThreadPoolExecutor(max_workers=max(1, min(4, os.cpu_count() or 1, len(photo_rows))),
                              thread_name_prefix="print-photos")
    try:
        photos = []
        sources = _photo_sources(store, photo_rows, pool, custom_blob)
        for att, (data, w, h, readable) in zip(photo_rows, sources, strict=True):
            item = template.item(att["item_id"]) if att.get("item_id") else None
            caption = att.get("caption") or ""
            if not readable:
                caption = f"{caption} ({UNREADABLE})".strip()
            if item:
                caption = f"ข้อ {item.number} {caption}".strip()
            elif att.get("item_id") in order_number:
                caption = f"ผลติดตามคำสั่งที่ {order_number[att['item_id']]} {caption}".strip()
            photos.append((data, w, h, caption or "ภาพถ่าย"))

        ts = blocks.Typesetter(thai_digits=settings.thai_digits, thai=engine == "thai",
                               engine=engine)
        answers = {a["item_id"]: a for a in bundle["answers"]}
        story = header_block.header(ts, office_name=office_heading(settings, factory),
                              logo=_logo(settings),
                              title=template.title["th"] or FORM_TITLE,
                              form_code=template.form_code, record_no=inspection.get("record_no"))
        story += blocks.factory_block(ts, factory)
        story += blocks.inspection_block(ts, inspection, bundle["participants"], version)
        if inspection["kind"] == "complaint":
            complaint = complaint_of(store, inspection_id)
            if complaint is not None:   # its reference only: no complainant exists here
                story += loop_blocks.complaint_reference(ts, complaint)
        story += blocks.checklist(ts, template, answers)
        if orders:
            story += loop_blocks.followup_results(ts, orders)
        story += blocks.findings(ts, bundle["findings"], template)
        story += closing_blocks.signatures(ts, bundle["signatures"], bundle["participants"], images)
        if photos:
            story += [PageBreak(), *closing_blocks.photo_appendix(ts, photos)]

        factory_name = (factory or {}).get("name") or ""
        buffer = io.BytesIO()
        doc, canvasmaker = _document(
            buffer, title=f"{FORM_TITLE} {inspection.get('record_no') or inspection_id}",
            subject=f"{template.title['th']} — {factory_name} — {payload}",
            author=settings.author, keywords=payload,
            footer={"record_id": inspection_id, "record_no": inspection.get("record_no"),
                    "short_hash": (digest or "")[:12], "payload": payload, "draft": draft,
                    "thai_digits": settings.thai_digits})
        with _render_lock:
            _build(doc, story, canvasmaker, inspection_id)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return _finish(buffer, out)


def _build(doc, story: list, canvasmaker, inspection_id: str) -> None:
    """Lay the story out; a part that no page can hold (every known one is cut into rows
    or split, forms/blocks.py) is a clear error, not a traceback."""
    try:
        doc.build(story, canvasmaker=canvasmaker)
    except LayoutError as exc:
        raise FieldAppError(
            f"พิมพ์บันทึก {inspection_id} ไม่ได้: ข้อความบางส่วนยาวเกินหน้ากระดาษ (a part of the "
            f"record is too large for a page: {str(exc)[:160]})") from exc


def render_blank_form(template, out: str | Path | None = None, *,
                      settings: PrintSettings | None = None) -> bytes:
    """A form of ``template`` to fill in by hand: empty boxes, dotted lines, ink signatures."""
    settings = settings or PrintSettings()
    ts = blocks.Typesetter(thai_digits=settings.thai_digits)
    story = header_block.header(ts, office_name=settings.office_name, logo=_logo(settings),
                          title=template.title["th"] or FORM_TITLE,
                          form_code=template.form_code, record_no=None)
    story += blocks.factory_block(ts, None, blank=True)
    story += blocks.inspection_block(ts, {"kind": template.kind, "started_at": None}, [], 0,
                                     blank=True)
    story += blocks.checklist(ts, template, {}, blank=True)
    story += blocks.findings(ts, [], template, blank=True)
    story += closing_blocks.signatures(ts, [], [], {})
    payload = f"FA1|blank|{template.key}|v{template.version}"
    buffer = io.BytesIO()
    doc, canvasmaker = _document(
        buffer, title=f"{template.title['th']} (แบบฟอร์มเปล่า)", subject=template.title["th"],
        author=settings.author, keywords=f"{template.form_code} {template.key} "
                                         f"v{template.version}",
        footer={"record_id": f"{template.key} v{template.version}", "record_no": None,
                "short_hash": "", "payload": payload, "draft": False, "blank": True,
                "thai_digits": settings.thai_digits})
    with _render_lock:
        doc.build(story, canvasmaker=canvasmaker)
    return _finish(buffer, out)
