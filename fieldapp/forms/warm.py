"""Make the first printed form of a session as quick as the next ones (issue 16).

The first render in a process used to take ~1.3 s more than the next: importing ReportLab,
PIL, segno and PDFium, parsing the Sarabun files, loading the Thai word list (~0.5 s) and
HarfBuzz's font objects. ``warm_renderer()`` does all of that once, by typesetting a small
throw-away form with Thai text, a photo and the QR footer and rasterising its first page, so
that an inspector who presses Print in the factory waits only for the record itself. The GUI
runs it on a worker thread once the window is up (fieldapp/gui/app.py).

Nothing is written anywhere; the render lock is held only for the small form's build, so a
real Print pressed meanwhile waits at most that long.
"""

from __future__ import annotations

import io
import time


def _sample_template():
    from fieldapp.core.templates import parse_template
    items = [{"id": f"w{n}", "type": kind, "required": False,
              "label": {"th": f"ระบบบำบัดน้ำเสียและการจัดการกากอุตสาหกรรม ข้อที่ {n + 1}",
                        "en": f"Item {n + 1}"}}
             for n, kind in enumerate(("result", "number", "text", "result"))]
    items[1].update(unit="mg/L", limits={"max": "20"})
    return parse_template({"key": "warm-up", "version": 1, "kind": "routine",
                           "form_code": "W-1", "title": {"th": "อุ่นเครื่อง", "en": "Warm-up"},
                           "sections": [{"id": "s", "title": {"th": "หมวดทดสอบ", "en": "S"},
                                         "items": items}]}, "warm-up")


def _sample_photo() -> bytes:
    from PIL import Image
    out = io.BytesIO()
    Image.new("RGB", (320, 240), (120, 160, 90)).save(out, "JPEG", quality=80)
    return out.getvalue()


def warm_renderer() -> float:
    """Load and exercise everything a printed form and its preview need; returns seconds."""
    started = time.perf_counter()
    from fieldapp.forms import blocks, closing_blocks
    from fieldapp.forms.images import print_ready_jpeg, render_pdf_pages
    from fieldapp.forms.inspection_form import render_blank_form
    template = _sample_template()
    pdf = render_blank_form(template)
    # A photo through the same path as a record's appendix (PIL's JPEG codec, LANCZOS), and
    # the appendix's table typeset (not cached: print_ready_jpeg's cache keys on the bytes).
    data, width, height = print_ready_jpeg(_sample_photo(), max_pixels=300)
    closing_blocks.photo_appendix(blocks.Typesetter(), [(data, width, height, "ภาพถ่าย")])
    render_pdf_pages(pdf, dpi=72, pages=[0])
    return time.perf_counter() - started



def warm_photo(prepare, blob_dir: str, sha256: str) -> int:
    """``prepare(blob_dir, sha256)``; 1 when done, 0 when the photo cannot be read now (a
    missing or broken file is reported by the real render, where it matters)."""
    from fieldapp.core.errors import FieldAppError
    try:
        prepare(blob_dir, sha256)
    except (OSError, FieldAppError):
        return 0
    return 1
