"""Replacing the database while work runs in the background: a record's thumbnails still
loading are cancelled and the restore goes ahead; a task that may write still refuses it.

Opening a record and then restoring a backup at once was refused as "still working in the
background" while nothing but its thumbnails was being made."""

from __future__ import annotations

import threading

import pytest

pytest.importorskip("pytestqt")

from gui_world import populate  # noqa: E402
from test_gui_data_care import said, session  # noqa: E402, F401
from test_gui_photo_opening import _record_with_photos  # noqa: E402

from fieldapp.gui import workers  # noqa: E402
from fieldapp.gui.inspection import thumbnails  # noqa: E402
from fieldapp.gui.main.data_care import StoreSwap, restore_job  # noqa: E402
from fieldapp.store.db import open_store  # noqa: E402
from fieldapp.store.inspections import list_inspections  # noqa: E402


@pytest.fixture
def slow_thumbnails(monkeypatch):
    """Each photo's decoding held until its task is cancelled: the thumbnails are still
    loading whenever the test acts. Yields the photos whose decoding began."""
    cancelled, began = threading.Event(), []
    real_decode, real_cancel = thumbnails.decode_photo, workers.Task.cancel

    def held(data):
        began.append(data)
        assert cancelled.wait(10)
        return real_decode(data)

    def cancel(task):
        real_cancel(task)
        if task._fn is thumbnails.decode_stored_photos:
            cancelled.set()

    monkeypatch.setattr(thumbnails, "decode_photo", held)
    monkeypatch.setattr(workers.Task, "cancel", cancel)
    return began


@pytest.fixture
def backed_up(tmp_path, qtbot, session, said):  # noqa: F811 - the fixtures imported above
    """A session on a database with a record of three photos, and a backup of it."""
    db = tmp_path / "data" / "fieldapp.db"
    db.parent.mkdir()
    with open_store(db) as store:
        record = _record_with_photos(store, populate(store))
    s = session(db)
    target = tmp_path / "backup.zip"
    done = []
    s.main.data_care.backedUp.connect(done.append)
    s.main.data_care.backup(str(target))
    qtbot.waitUntil(lambda: bool(done), timeout=60_000)
    return s, record, target


def _open_with_thumbnails_loading(qtbot, s, record, began) -> workers.Task:
    s.main.open_inspection(record)
    task = s.main.editor.checklist.items["ww.log"].photos._thumbs_task
    assert task is not None
    qtbot.waitUntil(lambda: len(began) == 1, timeout=5_000)   # decoding the first photo
    return task


def test_restoring_while_thumbnails_load_cancels_them(qtbot, backed_up, said,  # noqa: F811
                                                      slow_thumbnails):
    s, record, target = backed_up
    task = _open_with_thumbnails_loading(qtbot, s, record, slow_thumbnails)
    told, reopened = len(said), []
    s.reopened.connect(reopened.append)
    s.main.data_care.restore(str(target), confirm=False)
    # Either the window comes back on the backup, or the restore was refused.
    qtbot.waitUntil(lambda: bool(reopened) or len(said) > told, timeout=60_000)
    assert not any("background" in text for _kind, text in said[told:]), said[told:]
    qtbot.waitUntil(lambda: bool(reopened), timeout=60_000)
    main = reopened[0]
    assert "Restored" in said[-1][1]
    # Cancelled after the photo in hand, told so, and nothing crashed on the way.
    qtbot.waitUntil(task.told.is_set, timeout=5_000)
    assert task.context.cancelled and len(slow_thumbnails) == 1
    assert main.window.isEnabled() and record in {r["id"] for r in list_inspections(s.store)}


def test_a_writing_task_still_refuses_the_restore(qtbot, backed_up, said,  # noqa: F811
                                                  slow_thumbnails):
    s, record, target = backed_up
    task = _open_with_thumbnails_loading(qtbot, s, record, slow_thumbnails)
    release = threading.Event()
    writer = workers.start(workers.Task(lambda ctx: release.wait(30)))
    told = len(said)
    try:
        # The swap a restore asks for, straight: checking the backup first would need a
        # worker thread, and the held thumbnails and the writer may take all there are.
        swap = StoreSwap(restore_job, (str(target), s.db_path), "", str)
        assert s.swap(swap) is None
        assert len(said) == told + 1
        assert said[-1][0] == "information" and "background" in said[-1][1]
        # Refused before anything was touched: the window and its thumbnails go on.
        assert s.main.editor is not None and s.store is not None
        assert not task.context.cancelled
    finally:
        release.set()
        qtbot.waitUntil(writer.done.is_set, timeout=5_000)
        task.cancel()   # lets the held decoder go
        qtbot.waitUntil(task.told.is_set, timeout=5_000)


def test_a_reader_that_does_not_stop_in_time_still_refuses(qtbot):
    """Cancelled readers are waited for only briefly; one still running after that may hold
    a file open, so the database is not replaced under it."""
    release = threading.Event()
    stubborn = workers.start(workers.Task(lambda ctx: release.wait(30)), reader=True)
    try:
        assert not workers.writing() and workers.busy()
        assert not workers.stop_readers(0.05)
        assert stubborn.context.cancelled
    finally:
        release.set()
    qtbot.waitUntil(stubborn.told.is_set, timeout=5_000)
    assert workers.stop_readers(0.05)
