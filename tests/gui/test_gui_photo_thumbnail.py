"""Photo thumbnails in the editor's strip: any photo the store accepts shows one, upright."""

from __future__ import annotations

import io

from PIL import Image

from fieldapp.gui.inspection.thumbnails import THUMB, thumbnail


def _jpeg(width: int, height: int, orientation: int | None = None) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", (width, height), (180, 40, 40))
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    image.save(out, "JPEG", quality=60, exif=exif.tobytes())
    return out.getvalue()


def test_a_photo_past_qts_allocation_limit_still_has_a_thumbnail(qtbot):
    # 9,000 x 8,000 decoded whole is 288 MB, past Qt's 256 MB limit: it showed nothing.
    pixmap = thumbnail(_jpeg(9000, 8000))
    assert not pixmap.isNull()
    assert pixmap.height() == THUMB.height()               # 90 high, as wide as it is
    assert abs(pixmap.width() - THUMB.height() * 9000 / 8000) <= 1


def test_a_turned_photo_is_shown_upright_and_small_ones_as_before(qtbot):
    # EXIF 6: stored landscape, to be shown turned a quarter: a portrait thumbnail.
    turned = thumbnail(_jpeg(4000, 3000, orientation=6))
    assert turned.height() == THUMB.height() and turned.width() < turned.height()
    small = thumbnail(_jpeg(200, 150))
    assert (small.width(), small.height()) == (THUMB.width(), THUMB.height())
    assert thumbnail(b"not a picture").isNull()
