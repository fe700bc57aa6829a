"""Photos chosen or dropped are stored on a worker: the window stays with the inspector, the
record gets every photo once, refused files are named together, and the editor does not
close under photos still on their way. Uses the window world of test_gui_journey."""

from __future__ import annotations

import io
import threading

import pytest

pytest.importorskip("pytestqt")

from gui_shots import shot  # noqa: E402
from PIL import Image  # noqa: E402
from PySide6.QtWidgets import QLabel, QMessageBox  # noqa: E402
from test_gui_journey import open_new, window_world  # noqa: E402

from fieldapp.gui.inspection import photos as photos_module  # noqa: E402
from fieldapp.store.inspections import children  # noqa: E402


@pytest.fixture(params=["th", "en"])
def world(request, tmp_path, qtbot):
    yield from window_world(request.param, tmp_path)


def _jpeg(path, colour=(40, 120, 200), size=(640, 480)) -> None:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG", quality=80)
    path.write_bytes(out.getvalue())


def _photos(store, inspection_id: str) -> list[dict]:
    return [a for a in children(store, "attachments", inspection_id) if a["kind"] == "photo"]


def test_photos_are_stored_on_a_worker_and_the_window_waits_for_them(
        world, qtbot, tmp_path, monkeypatch):
    main, store, ids, _lang = world
    row = open_new(main, store, ids)
    editor = main.editor
    strip = editor.checklist.items["ww.log"].photos
    said, told = [], []
    monkeypatch.setattr(QMessageBox, "warning",
                        staticmethod(lambda parent, title, text: said.append(text)))
    monkeypatch.setattr(QMessageBox, "information",
                        staticmethod(lambda parent, title, text: told.append(text)))
    # The worker is held at its first file until the test has looked at the window.
    gate, entered = threading.Event(), threading.Event()
    store_file = photos_module.store_photo_file

    def held(blob_dir, path):
        entered.set()
        assert gate.wait(10)
        return store_file(blob_dir, path)

    monkeypatch.setattr(photos_module, "store_photo_file", held)
    good = [tmp_path / f"tank{n}.jpg" for n in range(3)]
    for n, path in enumerate(good):
        _jpeg(path, colour=(40 * n, 120, 200))
    renamed = tmp_path / "notes.jpg"
    renamed.write_text("not a photo")
    task = strip.add_files([good[0], renamed, good[1], good[2]])
    assert entered.wait(10)
    # Meanwhile the window answers, says what it is doing, and does not leave the record.
    assert not strip.add_button.isEnabled()
    assert strip.add_button.text() in ("Adding photos…", "กำลังเพิ่มภาพถ่าย…")
    assert not editor.may_leave() and not main.window.may_close()
    assert not editor.try_finalize()      # what is signed would lack the photos on their way
    assert len(told) == 3
    editor.checklist.show_item("ww.log")
    shot(editor, "photos-adding", _lang)
    gate.set()
    qtbot.waitUntil(lambda: task.told.is_set() and strip.add_button.isEnabled(), timeout=10_000)
    qtbot.waitUntil(lambda: strip.count == 3, timeout=5_000)
    stored = _photos(store, row["id"])
    assert len(stored) == 3 and len({p["sha256"] for p in stored}) == 3
    assert all(p["item_id"] == "ww.log" for p in stored)
    # The file that is not a photo is named once, in the UI's language only.
    words = "ไม่ใช่ภาพถ่าย" if _lang == "th" else "not a picture"
    assert len(said) == 1 and "notes.jpg" in said[0] and words in said[0], said
    assert all(not tile.findChild(QLabel).pixmap().isNull() for tile in strip.tiles)
    assert editor.may_leave()
    shot(editor, "photos-added", _lang)


def test_a_photo_stored_as_the_record_is_finalized_is_refused_not_lost_silently(
        world, qtbot, tmp_path, monkeypatch):
    """The record locked while its photo was being stored: the row is refused and said;
    nothing half-added."""
    from fieldapp.store.inspections import attach_stored

    main, store, ids, _lang = world
    row = open_new(main, store, ids)
    strip = main.editor.checklist.items["ww.log"].photos
    said = []
    monkeypatch.setattr(QMessageBox, "warning",
                        staticmethod(lambda parent, title, text: said.append(text)))
    store.conn.execute("UPDATE inspections SET state = 'finalized' WHERE id = ?", (row["id"],))
    photo = tmp_path / "late.jpg"
    _jpeg(photo)
    task = strip.add_files([photo])
    qtbot.waitUntil(lambda: task.told.is_set() and strip.add_button.isEnabled(), timeout=10_000)
    assert _photos(store, row["id"]) == [] and len(said) == 1 and "late.jpg" in said[0]
    # Bytes that are not stored whole are never recorded.
    with pytest.raises(Exception, match="not stored"):
        attach_stored(store, row["id"], "ab" * 32, 10)
