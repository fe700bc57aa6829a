"""The Sarabun fonts of the printed form, registered once with ReportLab.

Sarabun (OFL) is the open successor of TH Sarabun New, the Thai government document font; it
ships in the ``fontpkg-sarabun`` package. Fonts are embedded as subsets (ReportLab's TTFont).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from fieldapp.core.errors import FieldAppError

REGULAR = "Sarabun"
BOLD = "Sarabun-Bold"
ITALIC = "Sarabun-Italic"
_FILES = {REGULAR: "Sarabun-Regular.ttf", BOLD: "Sarabun-Bold.ttf", ITALIC: "Sarabun-Italic.ttf"}


def font_folder() -> Path:
    """Where fontpkg-sarabun keeps its .ttf files."""
    try:
        import fontpkg_sarabun
    except ImportError as exc:  # pragma: no cover - a broken install
        raise FieldAppError("ไม่พบฟอนต์ Sarabun (font package fontpkg-sarabun is not "
                            "installed) — reinstall FieldApp") from exc
    return Path(fontpkg_sarabun.__file__).resolve().parent / "files"


def font_path(name: str) -> Path:
    return font_folder() / _FILES[name]


@lru_cache(maxsize=1)
def register_fonts() -> tuple[str, str, str]:
    """Register regular, bold and italic Sarabun with ReportLab (idempotent)."""
    for name in _FILES:
        path = font_path(name)
        if not path.is_file():
            raise FieldAppError(f"ไม่พบไฟล์ฟอนต์ (font file missing): {path}")
        pdfmetrics.registerFont(TTFont(name, str(path)))
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=ITALIC,
                                  boldItalic=BOLD)
    # A table sets its cells' font before drawing each one, Helvetica unless told: every
    # form then named an unembedded Helvetica it never drew with (pdffonts lists it; a
    # PDF/A check refuses it). Our tables are Sarabun throughout.
    from reportlab.platypus.tables import CellStyle
    CellStyle.fontname = REGULAR
    return REGULAR, BOLD, ITALIC
