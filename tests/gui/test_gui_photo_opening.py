"""Opening a record with photos: the tiles show at once, their thumbnails are made on a
worker and fill in order, the UI thread never decodes a photo, and closing the editor
before they are made is safe. Uses the window world of test_gui_journey."""

from __future__ import annotations

import io
import threading

import pytest

pytest.importorskip("pytestqt")

from gui_shots import shot  # noqa: E402
from PIL import Image  # noqa: E402
from test_gui_journey import window_world  # noqa: E402

from fieldapp.gui.inspection import thumbnails  # noqa: E402
from fieldapp.store.blobs import put_blob  # noqa: E402
from fieldapp.store.inspections import attach_stored, create_inspection  # noqa: E402

COLOURS = [(200, 30, 30), (30, 160, 40), (30, 60, 200)]


@pytest.fixture(params=["th"])
def world(request, tmp_path, qtbot):
    yield from window_world(request.param, tmp_path)


def _record_with_photos(store, ids) -> str:
    row = create_inspection(store, factory_id=ids["factories"][0],
                            template_version_id=ids["template_id"])
    for colour in COLOURS:
        out = io.BytesIO()
        Image.new("RGB", (1600, 1200), colour).save(out, "JPEG", quality=80)
        sha = put_blob(store.blob_dir, out.getvalue())
        thumbnails._THUMBS.pop(sha, None)    # as in a new session
        attach_stored(store, row["id"], sha, len(out.getvalue()), kind="photo",
                      mime="image/jpeg", caption=None, item_id="ww.log")
    return row["id"]


@pytest.fixture
def held_decoder(monkeypatch):
    """Photo decoding held at a gate: yields the gate and the threads that decoded, one
    entry a photo; any decode on the UI thread (Pillow's or Qt's) is recorded too."""
    gate, threads = threading.Event(), []
    real = thumbnails.decode_photo

    def held(data):
        threads.append(threading.current_thread())
        assert gate.wait(10)
        return real(data)

    def watched(real_fn):
        def decode(*args, **kwargs):
            if threading.current_thread() is threading.main_thread():
                threads.append(threading.current_thread())
            return real_fn(*args, **kwargs)
        return decode

    monkeypatch.setattr(thumbnails, "decode_photo", held)
    for name in ("thumbnail_image", "photo_preview"):
        monkeypatch.setattr(thumbnails, name, watched(getattr(thumbnails, name)))
    return gate, threads


def _colour(tile) -> tuple[int, int, int]:
    image = tile.image.pixmap().toImage()
    pixel = image.pixelColor(image.width() // 2, image.height() // 2)
    return pixel.red(), pixel.green(), pixel.blue()


def test_opening_shows_placeholders_then_thumbnails_in_order(world, qtbot, held_decoder):
    main, store, ids, lang = world
    gate, threads = held_decoder
    main.open_inspection(_record_with_photos(store, ids))
    strip = main.editor.checklist.items["ww.log"].photos
    # At once: every tile, in order, each a placeholder; nothing decoded on this thread.
    assert strip.count == 3 and all(tile.image.pixmap().isNull() for tile in strip.tiles)
    assert all(tile.image.text() for tile in strip.tiles)
    main.editor.checklist.show_item("ww.log")
    shot(main.editor, "photos-opening", lang)
    gate.set()
    qtbot.waitUntil(lambda: all(not t.image.pixmap().isNull() for t in strip.tiles),
                    timeout=10_000)
    assert threads and threading.main_thread() not in threads
    for tile, colour in zip(strip.tiles, COLOURS, strict=True):
        assert all(abs(a - b) < 20 for a, b in zip(_colour(tile), colour, strict=True))
    shot(main.editor, "photos-opened", lang)
    # Made once a session: opening the record again shows them without a worker.
    decoded = len(threads)
    iid = main.editor.inspection_id
    main.close_editor()
    main.open_inspection(iid)
    strip = main.editor.checklist.items["ww.log"].photos
    assert all(not t.image.pixmap().isNull() for t in strip.tiles) and len(threads) == decoded


def test_closing_the_editor_before_the_thumbnails_are_made_is_safe(world, qtbot,
                                                                   held_decoder):
    main, store, ids, _lang = world
    gate, threads = held_decoder
    main.open_inspection(_record_with_photos(store, ids))
    task = main.editor.checklist.items["ww.log"].photos._thumbs_task
    qtbot.waitUntil(lambda: len(threads) == 1, timeout=5_000)   # the worker is decoding
    main.close_editor()
    qtbot.wait(50)   # the editor and its strip are deleted
    gate.set()
    qtbot.waitUntil(task.told.is_set, timeout=10_000)
    qtbot.wait(50)   # its last thumbnail is handed over to no one
    # Cancelled after the photo it was decoding: the others were never decoded.
    assert task.context.cancelled and len(threads) == 1
    assert main.editor is None and main.window.isEnabled()
