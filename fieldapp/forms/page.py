"""Page furniture of the printed form: A4 with government margins, the footer on every page
("หน้า x/y", record id, short hash, QR code) and the draft watermark.

The footer needs the page count, which is known only at the end, so the canvas keeps each
page's state and stamps all footers when the document is saved.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

import segno
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.pdfgen.canvas import Canvas

from fieldapp.core.thaidate import thai_digits
from fieldapp.forms import fonts
from fieldapp.forms.shaping import draw_line

PAGE_SIZE = A4
# The bottom margin holds the footer and the QR code, which stands 7 mm clear of the paper's
# edge: printers leave 4-5 mm unprinted, and a code cut by 3 mm no longer decodes.
LEFT, RIGHT, TOP, BOTTOM = 3 * cm, 2 * cm, 2.5 * cm, 2.5 * cm
QR_FROM_EDGE = 0.7 * cm
TEXT_WIDTH = PAGE_SIZE[0] - LEFT - RIGHT
QR_SIZE = 1.7 * cm
FOOTER_SIZE = 10


@lru_cache(maxsize=8)
def _qr_runs(payload: str) -> tuple[int, tuple[tuple[int, int, int], ...]]:
    """The QR code's size in modules and its dark runs (row, first, end) — encoded once per
    document, since every page carries the same payload."""
    qr = segno.make(payload, error="m", micro=False)
    rows = list(qr.matrix_iter(border=1))
    runs = []
    for r, row in enumerate(rows):
        c = 0
        while c < len(row):
            if row[c]:
                start = c
                while c < len(row) and row[c]:
                    c += 1
                runs.append((r, start, c))
            else:
                c += 1
    return len(rows), tuple(runs)


def draw_qr(canvas: Canvas, payload: str, x: float, y: float, size: float) -> None:
    """The payload as a QR code of vector squares (sharp at any printer resolution).

    The squares are drawn once per document, as a PDF form that every page shows: the same
    payload on 36 pages was ~30 ms of drawing and as much of compressing the pages (issue
    16, Print on the spot)."""
    name = f"qr{size:.2f}-{hashlib.sha256(payload.encode('utf-8')).hexdigest()[:24]}"
    if not canvas.hasForm(name):
        canvas.beginForm(name, 0, 0, size, size)
        _qr_squares(canvas, payload, size)
        canvas.endForm()
    canvas.saveState()
    canvas.translate(x, y)
    canvas.doForm(name)
    canvas.restoreState()


def _qr_squares(canvas: Canvas, payload: str, size: float) -> None:
    count, runs = _qr_runs(payload)
    module = size / count
    canvas.setFillColor(colors.white)
    canvas.rect(0, 0, size, size, stroke=0, fill=1)
    canvas.setFillColor(colors.black)
    path = canvas.beginPath()
    for r, start, end in runs:
        # One rectangle per dark run; a hair of overlap avoids white seams.
        path.rect(start * module, size - (r + 1) * module, (end - start) * module,
                  module * 1.02)
    canvas.drawPath(path, stroke=0, fill=1)


class FormCanvas(Canvas):
    """A canvas that stamps the footer (and the draft watermark) on every page at save time.

    Set ``footer`` (dict with record_id, short_hash, record_no, payload, draft, thai_digits)
    before building; ReportLab creates the canvas, so it is passed as a class attribute of a
    subclass made per document (see ``canvas_class``).
    """

    footer: dict = {}

    def __init__(self, *args, **kwargs):
        # Start pages in Sarabun, not Helvetica: otherwise every page names an unembedded
        # standard font that is never drawn.
        kwargs["initialFontName"] = kwargs.get("initialFontName") or fonts.REGULAR
        kwargs["initialFontSize"] = kwargs.get("initialFontSize") or 16
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []

    def showPage(self):  # noqa: N802 - ReportLab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._stamp(number, total)
            super().showPage()
        super().save()

    def _stamp(self, number: int, total: int) -> None:
        info = self.footer
        digits = thai_digits if info.get("thai_digits") else str
        if info.get("draft"):
            self._watermark()
        width = PAGE_SIZE[0]
        qr_x = width - RIGHT - QR_SIZE
        qr_y = QR_FROM_EDGE
        draw_qr(self, info["payload"], qr_x, qr_y, QR_SIZE)
        self.saveState()
        self.setStrokeColor(colors.grey)
        self.setLineWidth(0.4)
        self.line(LEFT, BOTTOM - 0.15 * cm, qr_x - 0.3 * cm, BOTTOM - 0.15 * cm)
        self.restoreState()
        y = BOTTOM - 0.6 * cm
        page_text = f"หน้า {digits(str(number))}/{digits(str(total))}"
        draw_line(self, qr_x - 0.3 * cm, y, page_text, fonts.BOLD, FOOTER_SIZE + 1,
                  align="right")
        draw_line(self, LEFT, y, f"เลขที่บันทึก {info.get('record_no') or '-'}", fonts.REGULAR,
                  FOOTER_SIZE)
        if info.get("blank"):
            claim = "แบบฟอร์มเปล่าสำหรับกรอกด้วยลายมือ"
        elif info.get("draft"):
            claim = "ฉบับร่าง ยังไม่มีค่าแฮช (draft: no content hash)"
        else:
            claim = f"แฮชเนื้อหา {info['short_hash']}"
        draw_line(self, LEFT, y - 0.45 * cm, f"รหัสบันทึก {info['record_id']}", fonts.REGULAR,
                  FOOTER_SIZE)
        draw_line(self, LEFT, y - 0.9 * cm,
                  f"{claim}  ตรวจสอบด้วยคิวอาร์โค้ด: fieldapp verify", fonts.REGULAR, FOOTER_SIZE)

    def _watermark(self) -> None:
        self.saveState()
        self.setFillColor(colors.Color(0.85, 0.1, 0.1, alpha=0.16))
        self.translate(PAGE_SIZE[0] / 2, PAGE_SIZE[1] / 2)
        self.rotate(50)
        draw_line(self, 0, 0, "ฉบับร่าง (DRAFT)", fonts.BOLD, 80, align="center",
                  color=colors.Color(0.85, 0.1, 0.1, alpha=0.16))
        self.restoreState()


def canvas_class(footer: dict) -> type[FormCanvas]:
    """A FormCanvas subclass carrying this document's footer data."""
    return type("BoundFormCanvas", (FormCanvas,), {"footer": footer})
