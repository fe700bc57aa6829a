"""Cancel pressed during a registry import in the window: the window says what the stopped
import left (rows in, up to which line of how many, none after it, import again), where a
finished import shows its outcome. Before, it said nothing at all."""

from __future__ import annotations

import functools
import threading

import pytest

pytest.importorskip("pytestqt")

from import_in_window import import_in_window  # noqa: E402
from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QProgressDialog, QPushButton  # noqa: E402

from fieldapp.store import registry_import  # noqa: E402
from fieldapp.store.db import open_store  # noqa: E402
from fieldapp.store.search import count_factories  # noqa: E402

BATCH = 10   # the sample's 49 rows in five batches (the real batch is 5,000 rows)


@pytest.fixture
def held_after_two_batches(monkeypatch):
    """The import in batches of BATCH, held after its second batch is written until the
    test has pressed Cancel: it stops there, every time. Yields (held, pressed)."""
    held, pressed, written = threading.Event(), threading.Event(), []
    real_upsert = registry_import.upsert_factories

    def upsert(store, batch):
        outcomes = real_upsert(store, batch)
        written.append(len(batch))
        if len(written) == 2:
            held.set()
            assert pressed.wait(10)
        return outcomes

    monkeypatch.setattr(registry_import, "upsert_factories", upsert)
    monkeypatch.setattr(registry_import, "import_factories",
                        functools.partial(registry_import.import_factories, batch_size=BATCH))
    return held, pressed


@pytest.mark.parametrize("language", ["th", "en"])
def test_cancel_mid_import_says_what_is_in(tmp_path, qtbot, monkeypatch, shared_data,
                                           held_after_two_batches, language):
    held, pressed = held_after_two_batches
    db = tmp_path / "fieldapp.db"

    def press_cancel(window) -> None:
        """As the inspector: Cancel on the progress dialog, once two batches are in."""
        progress = window.findChild(QProgressDialog, "importProgress")
        if not held.is_set() or progress is None or not progress.isVisible():
            QTimer.singleShot(10, lambda: press_cancel(window))
            return
        progress.findChild(QPushButton).click()
        pressed.set()

    kind, title, text = import_in_window(
        qtbot, monkeypatch, shared_data / "diw_factory_data_sample.csv", db, language,
        meanwhile=lambda window: QTimer.singleShot(10, lambda: press_cancel(window)))
    with open_store(db) as store:
        assert count_factories(store, "") == 2 * BATCH    # what the message says is in
    # 20 rows, up to line 21 (the header is line 1) of the file's 50, none after it.
    assert kind == "information"
    if language == "th":
        assert title == "หยุดการนำเข้าแล้ว"
        assert "20 แถว" in text and "บรรทัดที่ 21 จากทั้งหมด 50 บรรทัด" in text and "ไฟล์เดิม" in text
        assert "นำเข้าใหม่ 20" in text
    else:
        assert title == "Import stopped"
        assert "20 rows are in the database" in text and "line 21 of 50" in text
        assert "none after it" in text and "Import the same file again" in text
        assert "Imported 20, updated 0, unchanged 0, rejected 0" in text


def test_stopped_before_the_first_batch_says_nothing_is_in():
    """Cancel while the file is still being checked (before any batch): nothing was saved,
    and the message does not pretend a line count it never reached."""
    from fieldapp.gui.main.import_dialog import stopped_text
    counts = {"imported": 0, "updated": 0, "unchanged": 0, "rejected": 0,
              "rejected_lines": [], "cancelled": True, "committed": 0, "committed_line": 0,
              "lines": 0}
    text = stopped_text(counts)
    assert text.startswith("The import was stopped before any row was saved.")
    assert "line" not in text and "Import the same file again" in text
