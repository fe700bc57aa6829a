"""The renderer's warm-up (issue 16) and the print copies of stored photos."""

from __future__ import annotations

import io

from PIL import Image

from fieldapp.forms.images import PHOTO_MAX_PIXELS, print_ready_blob, print_ready_jpeg
from fieldapp.forms.warm import warm_photo, warm_renderer
from fieldapp.store.blobs import put_blob


def _jpeg(size) -> bytes:
    out = io.BytesIO()
    Image.effect_noise(size, 30).convert("RGB").save(out, "JPEG", quality=85)
    return out.getvalue()


def test_warm_up_leaves_the_renderer_loaded():
    import sys
    assert warm_renderer() > 0
    for module in ("reportlab.platypus", "pypdfium2", "fieldapp.forms.inspection_form"):
        assert module in sys.modules
    from fieldapp.forms import fonts, thai_text
    assert fonts.register_fonts.cache_info().currsize == 1
    assert thai_text._dictionary.cache_info().currsize == 1


def test_a_large_photo_is_scaled_to_the_print_size_through_the_decoder(tmp_path):
    data, width, height = print_ready_jpeg(_jpeg((4000, 3000)))
    assert (width, height) == (PHOTO_MAX_PIXELS, 675)
    with Image.open(io.BytesIO(data)) as im:
        assert im.size == (width, height)


def test_print_copy_of_a_stored_photo_is_made_once(tmp_path):
    sha = put_blob(tmp_path, _jpeg((1200, 900)))
    first = print_ready_blob(str(tmp_path), sha)
    hits = print_ready_blob.cache_info().hits
    assert print_ready_blob(str(tmp_path), sha) == first
    assert print_ready_blob.cache_info().hits == hits + 1
    assert first[1:] == (PHOTO_MAX_PIXELS, 675)


def test_a_missing_photo_does_not_stop_the_warm_up(tmp_path):
    assert warm_photo(print_ready_blob, str(tmp_path), "0" * 64) == 0


def test_a_photo_being_prepared_is_waited_for_not_prepared_twice(tmp_path, monkeypatch):
    # Print pressed while the editor still prepares the record's photos (issue 16).
    import threading
    import time

    from fieldapp.forms import images
    sha = put_blob(tmp_path, _jpeg((1200, 900)))
    calls = []

    class Slow:
        @staticmethod
        def __wrapped__(data):
            calls.append(1)
            time.sleep(0.2)
            return print_ready_jpeg.__wrapped__(data)

    monkeypatch.setattr(images, "print_ready_jpeg", Slow)
    results = []
    threads = [threading.Thread(target=lambda: results.append(
        print_ready_blob(str(tmp_path), sha))) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1 and len(results) == 3 and len(set(results)) == 1


def test_the_page_is_laid_out_from_the_photo_header_in_the_print_copy_proportions(tmp_path):
    # The appendix is typeset while the print copies are still being made (issue 16).
    from fieldapp.forms.images import photo_size
    from fieldapp.store.blobs import blob_path
    for orientation, upright in ((1, (1600, 1200)), (6, (1200, 1600))):
        out = io.BytesIO()
        exif = Image.Exif()
        exif[0x0112] = orientation
        Image.effect_noise((1600, 1200), 30).convert("RGB").save(out, "JPEG", exif=exif.tobytes())
        sha = put_blob(tmp_path, out.getvalue())
        assert photo_size(blob_path(tmp_path, sha)) == upright
        _data, width, height = print_ready_blob(str(tmp_path), sha)
        assert abs(width / height - upright[0] / upright[1]) < 0.01
