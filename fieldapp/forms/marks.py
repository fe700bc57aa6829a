"""Small drawn pieces of the form: result marks and signature blocks.

Sarabun has no ✓/✗ glyphs, and a standard PDF symbol font would not be embedded, so the
marks are drawn as vector strokes beside the Thai word (which is what copy/paste gives).
"""

from __future__ import annotations

import io

from reportlab.lib import colors
from reportlab.lib.units import cm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable

from fieldapp.forms import fonts
from fieldapp.forms.paragraph import TextStyle
from fieldapp.forms.shaping import draw_line, text_width
from fieldapp.forms.thai_text import break_lines, visible

RESULT_WORDS = {"pass": "ผ่าน", "fail": "ไม่ผ่าน", "na": "ไม่เกี่ยวข้อง",
                "not_checked": "ไม่ได้ตรวจ"}
MARK_SIZE = 12


class ResultMark(Flowable):
    """✓ pass, ✗ fail, — not applicable / not checked; or, on a blank form, empty boxes."""

    def __init__(self, result: str | None, *, blank: bool = False, shaping: bool = True):
        super().__init__()
        self.result = result
        self.blank = blank
        self.shaping = shaping

    def wrap(self, avail_width, avail_height):
        self.width = avail_width
        self.height = (3 * 14 + 2) if self.blank else 30
        return self.width, self.height

    def draw(self):
        c = self.canv
        c.saveState()
        c.setLineWidth(1.4)
        if self.blank:
            for i, result in enumerate(("pass", "fail", "na")):
                y = self.height - 13 - i * 14
                c.setLineWidth(0.7)
                c.rect(0, y, 8, 8)
                word, size = RESULT_WORDS[result], 10.0
                while size > 6 and text_width(word, fonts.REGULAR, size) > self.width - 12:
                    size -= 0.5  # "ไม่เกี่ยวข้อง" must stay inside a narrow column
                draw_line(c, 11, y, word, fonts.REGULAR, size, shaping=self.shaping)
        elif self.result:
            x, y = self.width / 2 - 6, self.height - 14
            if self.result == "pass":
                c.lines([(x, y + 5, x + 4, y), (x + 4, y, x + 12, y + 11)])
            elif self.result == "fail":
                c.setStrokeColor(colors.HexColor("#b00020"))
                c.lines([(x + 1, y, x + 11, y + 11), (x + 1, y + 11, x + 11, y)])
            else:
                c.line(x + 1, y + 5, x + 11, y + 5)
            word = RESULT_WORDS.get(self.result, self.result)
            size = 11 if text_width(word, fonts.REGULAR, 11) <= self.width else 9
            draw_line(c, self.width / 2, 2, word, fonts.REGULAR, size, align="center",
                      shaping=self.shaping)
        c.restoreState()


DOTS = "." * 44
# The refusal's reason and witness, in lines spaced like any paragraph (room for stacks).
REFUSAL = TextStyle(font=fonts.REGULAR, size=12)
NAME = TextStyle(font=fonts.REGULAR, size=14)  # a wrapped name's or title's lines


class SignatureBlock(Flowable):
    """One signer's block as Thai official forms print it (DESIGN.md §6), never split:

        ลงชื่อ ....................... (signature image on the dots)
              (ชื่อ-นามสกุล)
        ตำแหน่ง ..................
              <role caption>

    A refusal prints its reason and witness under the block; with no signature the dotted
    line stays empty for ink.
    """

    def __init__(self, *, caption: str, name: str | None = None, position: str | None = None,
                 image: tuple[bytes, int, int] | None = None, refused: dict | None = None,
                 signed_at: str | None = None, shaping: bool = True):
        super().__init__()
        self.caption = caption
        self.name = name
        self.position = position
        self.image = image
        self.refused = refused
        self.signed_at = signed_at
        self.shaping = shaping

    def _lines(self, text: str, size: float, width: float) -> list[str]:
        def measure(part):
            return text_width(part, fonts.REGULAR, size, self.shaping)
        return [visible(line) for line in break_lines(text, measure, width,
                                                      segmentation=self.shaping)] or [""]

    def _refusal_lines(self) -> list[str]:
        if not self.refused:
            return []
        lines = []
        for text in (f"ปฏิเสธการลงนาม เหตุผล: {self.refused['reason']}",
                     f"พยาน: {self.refused['witness']}"):
            lines += self._lines(text, REFUSAL.size, self.width - 4)
        return lines

    def wrap(self, avail_width, avail_height):
        self.width = avail_width
        # A long name or official title wraps (it ran into the next block and off the page).
        self.name_lines = self._lines(f"({self.name})" if self.name else f"({'.' * 36})", 14,
                                      self.width - 4)
        self.position_lines = self._lines(f"ตำแหน่ง {self.position or '.' * 38}", 14,
                                          self.width - 6)
        wrapped = len(self.name_lines) + len(self.position_lines) - 2   # lines past one each
        self.height = 4.6 * cm + NAME.line_height() * wrapped + \
            REFUSAL.line_height() * len(self._refusal_lines())
        return self.width, self.height

    def _text(self, x, y, text, size=14, font=fonts.REGULAR, align="left"):
        draw_line(self.canv, x, y, text, font, size, align=align, shaping=self.shaping)

    def draw(self):
        c = self.canv
        mid = self.width / 2
        top = self.height
        line_y = top - 1.6 * cm
        self._text(0, line_y, f"ลงชื่อ {DOTS}")
        if self.image:
            data, w, h = self.image
            box_w, box_h = self.width - 2.2 * cm, 1.4 * cm
            scale = min(box_w / w, box_h / h)
            c.drawImage(ImageReader(io.BytesIO(data)), 1.4 * cm + (box_w - w * scale) / 2,
                        line_y - 0.15 * cm, w * scale, h * scale, mask="auto")
        leading = NAME.line_height()
        y = line_y - 0.75 * cm
        for line in self.name_lines:
            self._text(mid, y, line, align="center")
            y -= leading
        y += leading - 0.75 * cm
        for line in self.position_lines:
            self._text(0, y, line)
            y -= leading
        y += leading
        self._text(mid, y - 0.75 * cm, self.caption, font=fonts.BOLD, align="center")
        if self.signed_at:
            self._text(mid, y - 1.35 * cm, self.signed_at, size=11, align="center")
        y -= 1.95 * cm
        for line in self._refusal_lines():
            self._text(0, y, line, size=REFUSAL.size)
            y -= REFUSAL.line_height()
