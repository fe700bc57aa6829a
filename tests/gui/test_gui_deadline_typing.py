"""A finding's deadline as inspectors type it: a period ("ภายใน 30 วัน") counted from the day
of the inspection, and a date stored as soon as it is typed in full, before the field is
left, without the text changing under the cursor. Uses the window world of test_gui_journey."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest

pytest.importorskip("pytestqt")

from gui_world import type_text  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from test_gui_journey import open_new, window_world  # noqa: E402

from fieldapp.core.thaidate import format_date, to_local  # noqa: E402


@pytest.fixture(params=["th", "en"])
def world(request, tmp_path, qtbot):
    yield from window_world(request.param, tmp_path)


def _card(editor):
    finding = editor.findings.add(None)
    editor.tabs.setCurrentWidget(editor.findings)
    return next(c for c in editor.findings.cards if c.finding_id == finding["id"])


def _stored(store, finding_id: str) -> str | None:
    """The deadline as a second connection reads it: what a killed app leaves on disk."""
    with sqlite3.connect(store.path) as other:
        return other.execute("SELECT deadline FROM findings WHERE id = ?",
                             (finding_id,)).fetchone()[0]


@pytest.mark.parametrize("typed", ["ภายใน 30 วัน", "30 วัน", "within 30 days", "ภายใน ๓๐ วัน"])
def test_a_deadline_typed_as_a_period_counts_from_the_inspection(world, qtbot, typed):
    """"ภายใน 30 วัน", as orders state it, was not a date: the typing stayed red and
    nothing was stored."""
    main, store, ids, _lang = world
    row = open_new(main, store, ids)
    card = _card(main.editor)
    day = to_local(row["started_at"]).date() + timedelta(days=30)
    type_text(card.deadline.edit, typed)
    assert _stored(store, card.finding_id) == day.isoformat()
    assert card.deadline.edit.text() == typed                 # not rewritten while typing
    assert main.editor.unsaved_typing() == []
    card.deadline.edit.editingFinished.emit()                 # left: the date, in B.E.
    assert card.deadline.edit.text() == format_date(day)
    assert str(day.year + 543) in card.deadline.edit.text()


def test_a_date_typed_in_full_is_stored_before_the_field_is_left(world, qtbot):
    """A deadline typed and not yet left (no Tab, no Enter) was lost when the app was
    killed: it was read only when the field was left."""
    main, store, ids, _lang = world
    open_new(main, store, ids)
    editor = main.editor
    card = _card(editor)
    field = card.deadline.edit
    type_text(field, "21/12/25")
    # "25" may be the start of "2570": nothing is taken yet, and leaving would be asked.
    assert _stored(store, card.finding_id) is None
    assert len(editor.unsaved_typing()) == 1
    type_text(field, "70")
    assert field.hasFocus()
    assert _stored(store, card.finding_id) == "2027-12-21"
    assert (field.text(), field.cursorPosition()) == ("21/12/2570", len("21/12/2570"))
    assert editor.unsaved_typing() == [] and editor.may_leave()
    # Corrected in the middle (the day): stored again, the cursor where it was typed.
    field.setCursorPosition(2)
    qtbot.keyClick(field, Qt.Key.Key_Backspace)
    assert field.text() == "2/12/2570"
    assert _stored(store, card.finding_id) == "2027-12-02" and field.cursorPosition() == 1
    field.editingFinished.emit()
    assert field.text() == format_date("2027-12-02")
