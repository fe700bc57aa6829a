"""Notes in the inspection editor: several lines that grow with a long Thai note, and still
autosaved, undone in one step, left with Tab and never in the way of leaving the record.
Uses the window world of test_gui_journey."""

from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from gui_world import type_text  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QPushButton  # noqa: E402
from test_gui_journey import find, open_new, window_world  # noqa: E402

from fieldapp.store.inspections import answers_by_item  # noqa: E402

LONG_NOTE = ("บ่อบำบัดน้ำเสียแบบเติมอากาศหยุดเดินเครื่องเติมอากาศตัวที่สองมาประมาณสองสัปดาห์ "
             "ผู้แทนโรงงานแจ้งว่ารออะไหล่จากผู้ผลิต น้ำในบ่อสุดท้ายมีสีขุ่นและมีกลิ่น "
             "ไม่พบการบันทึกค่าออกซิเจนละลายในสมุดบันทึกประจำวันตั้งแต่ต้นเดือน")


@pytest.fixture(params=["th", "en"])
def world(request, tmp_path, qtbot):
    yield from window_world(request.param, tmp_path)


def test_a_long_note_shows_whole_on_several_lines(world, qtbot):
    """A note was a one-line field: a long Thai note showed a third of itself."""
    main, store, ids, _lang = world
    row = open_new(main, store, ids)
    editor = main.editor
    note = find(editor.checklist, QPlainTextEdit, "note_ww.log")
    empty = note.height()
    assert note.verticalScrollBar().maximum() == 0    # one line: no scroll bar to read it
    type_text(note, LONG_NOTE)
    assert answers_by_item(store, row["id"])["ww.log"]["note"] == LONG_NOTE   # autosaved
    assert editor.undo_stack.count() == 1                                     # one step
    assert note.lines() > 1 and note.height() > empty + 15   # grown to show its lines...
    assert note.verticalScrollBar().maximum() == 0    # ...all of them, nothing hidden
    for _ in range(12):                               # but not without end: it scrolls
        qtbot.keyClick(note, Qt.Key.Key_Return)
    assert note.height() < 8 * empty and note.verticalScrollBar().maximum() > 0
    qtbot.mouseClick(find(editor, QPushButton, "undoButton"), Qt.MouseButton.LeftButton)
    assert answers_by_item(store, row["id"])["ww.log"]["note"] is None
    assert note.text() == "" and note.height() == empty      # and shrinks back
    qtbot.mouseClick(find(editor, QPushButton, "redoButton"), Qt.MouseButton.LeftButton)
    assert note.text().startswith(LONG_NOTE)
    assert editor.unsaved_typing() == [] and editor.may_leave()


def test_tab_leaves_a_note_for_the_next_field(world, qtbot):
    main, store, ids, _lang = world
    row = open_new(main, store, ids)
    note = find(main.editor.checklist, QPlainTextEdit, "note_lic.match")
    type_text(note, "ขยายกำลังการผลิต")
    qtbot.keyClick(note, Qt.Key.Key_Tab)
    assert not note.hasFocus() and QApplication.focusWidget() is not None
    assert note.text() == "ขยายกำลังการผลิต"              # no tab typed into it
    assert answers_by_item(store, row["id"])["lic.match"]["note"] == "ขยายกำลังการผลิต"


def test_tab_leaves_a_findings_text_for_the_next_field(world, qtbot):
    """A finding's description and order took a tab character instead of moving on."""
    main, store, ids, _lang = world
    open_new(main, store, ids)
    editor = main.editor
    qtbot.mouseClick(find(editor.checklist, QPushButton, "result_lic.match_fail"),
                     Qt.MouseButton.LeftButton)
    qtbot.mouseClick(find(editor.checklist, QPushButton, "addFinding_lic.match"),
                     Qt.MouseButton.LeftButton)
    card = editor.findings.cards[-1]
    for text in (card.description, card.order):
        before = text.toPlainText()
        text.setFocus()
        qtbot.keyClick(text, Qt.Key.Key_Tab)
        assert "\t" not in text.toPlainText() and text.toPlainText() == before
        assert not text.hasFocus()
