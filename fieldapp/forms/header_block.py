"""The header of the printed record (DESIGN.md §6): the office's logo and name, the form's
code and the record's number, the form's title; plain data in, flowables out."""

from __future__ import annotations

from reportlab.lib.units import cm
from reportlab.platypus import Flowable, Spacer, Table
from reportlab.platypus import TableStyle as RLTableStyle

from fieldapp.forms import fonts
from fieldapp.forms.blocks import Typesetter
from fieldapp.forms.jpeg import JpegImage
from fieldapp.forms.page import TEXT_WIDTH


def header(ts: Typesetter, *, office_name: str, logo: bytes | None, title: str,
           form_code: str, record_no: str | None) -> list[Flowable]:
    """Office name and logo, form title, form code and record number."""
    right = [ts.para(f"แบบ {form_code}", 12, align="right"),
             ts.para(f"เลขที่ {record_no or '.' * 20}", 12, align="right", code=True)]
    left: list[Flowable] | str = ""
    if logo:
        from fieldapp.forms.images import print_ready_jpeg
        data, w, h = print_ready_jpeg(logo, 400, 85)
        left = [JpegImage(data, 2.2 * cm, 2.2 * cm * h / w)]
        widths = [LOGO_COLUMN, TEXT_WIDTH - LOGO_COLUMN - NUMBER_COLUMN, NUMBER_COLUMN]
    else:   # the logo's room goes to the office's name
        widths = [0, TEXT_WIDTH - NUMBER_COLUMN, NUMBER_COLUMN]
    top = Table([[left, [office_line(ts, office_name, widths[1])], right]], colWidths=widths)
    top.setStyle(RLTableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return [top, Spacer(1, 4), ts.para(title, 20, bold=True, align="center"), Spacer(1, 6)]


LOGO_COLUMN, NUMBER_COLUMN = 2.6 * cm, 5.0 * cm
# The office's name in the header: 16 pt, made smaller down to OFFICE_MIN_SIZE to stay on
# one line (สำนักงานอุตสาหกรรมจังหวัดพระนครศรีอยุธยา is 11 cm at 16 pt); longer than that, it
# wraps at 16 pt between words with the province's name whole.
OFFICE_SIZE, OFFICE_MIN_SIZE = 16.0, 13.0


def office_line(ts: Typesetter, name: str, width: float) -> Flowable:
    """The office's name on one line if it fits at a size no smaller than OFFICE_MIN_SIZE,
    else wrapped on a word boundary, never inside the province's name."""
    from fieldapp.forms.shaping import text_width
    fonts.register_fonts()   # measured before the document is made
    shown = ts.digits(name)
    size = OFFICE_SIZE
    while size >= OFFICE_MIN_SIZE:
        if text_width(shown, fonts.BOLD, size, ts.thai) <= width:
            return ts.para(name, size, bold=True, align="center")
        size -= 0.5
    # The place after จังหวัด is one unit (its parts are words of their own: พระนคร|ศรี|อยุธยา).
    at = name.find("จังหวัด")
    keep = ()
    if at >= 0:
        start = at + len("จังหวัด")
        end = name.find(" ", start)
        keep = ((start, len(name) if end < 0 else end),)
    return ts.para(name, OFFICE_SIZE, bold=True, align="center", keep=keep)
