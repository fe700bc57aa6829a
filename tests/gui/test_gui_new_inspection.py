"""The new-inspection dialog: the checklist follows the inspection type, and back.

Routine -> the general environmental checklist, complaint -> the complaint checklist,
follow-up -> the follow-up checklist. Whichever of the two the user picked by hand is never
changed by the program; the other one follows it.
"""

from __future__ import annotations

import os

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QApplication, QComboBox  # noqa: E402

from fieldapp.gui.app import install_font  # noqa: E402
from fieldapp.gui.i18n import install_language  # noqa: E402
from fieldapp.gui.inspection.new_inspection import NewInspectionDialog  # noqa: E402
from fieldapp.gui.settings import Settings  # noqa: E402
from fieldapp.store.templates import install_bundled_templates, list_templates  # noqa: E402

SHOTS = os.environ.get("FIELDAPP_SCREENSHOTS")


@pytest.fixture
def dialog(store, factory, tmp_path, qtbot):
    install_bundled_templates(store)
    app = QApplication.instance()
    install_font(app)
    assert install_language(app, "th")
    new = NewInspectionDialog(store, Settings(tmp_path / "settings.ini"), factory["id"])
    qtbot.addWidget(new.dialog)
    new.dialog.show()
    keys = {row["id"]: row["key"] for row in list_templates(store)}
    yield new, keys
    install_language(app, "en")


def chosen(new, keys) -> tuple[str, str]:
    return new.kind.currentData(), keys[new.template.currentData()]


def pick(qtbot, combo: QComboBox, data) -> None:
    """Choose an entry as a user does: open the list with the keyboard and move to it."""
    combo.setFocus()
    target = combo.findData(data)
    assert target >= 0
    while combo.currentIndex() != target:
        key = Qt.Key.Key_Down if combo.currentIndex() < target else Qt.Key.Key_Up
        qtbot.keyClick(combo, key)


def test_the_checklist_follows_the_inspection_type(dialog, qtbot):
    new, keys = dialog
    assert chosen(new, keys) == ("routine", "env-general")
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        new.dialog.grab().save(os.path.join(SHOTS, "new-inspection-th.png"))
    pick(qtbot, new.kind, "complaint")
    assert chosen(new, keys) == ("complaint", "complaint")
    pick(qtbot, new.kind, "follow_up")
    assert chosen(new, keys) == ("follow_up", "follow-up")
    pick(qtbot, new.kind, "routine")
    assert chosen(new, keys) == ("routine", "env-general")


def test_a_checklist_picked_by_hand_sets_the_type_and_stays(dialog, qtbot):
    new, keys = dialog
    ids = {key: id_ for id_, key in keys.items()}
    pick(qtbot, new.template, ids["complaint"])
    assert chosen(new, keys) == ("complaint", "complaint")
    # The user then says it is a follow-up visit: the checklist they chose stays.
    pick(qtbot, new.kind, "follow_up")
    assert chosen(new, keys) == ("follow_up", "complaint")


def test_a_type_picked_by_hand_stays_when_the_checklist_changes(dialog, qtbot):
    new, keys = dialog
    ids = {key: id_ for id_, key in keys.items()}
    pick(qtbot, new.kind, "follow_up")
    assert chosen(new, keys) == ("follow_up", "follow-up")
    # A follow-up visit that re-checks everything with the general checklist.
    pick(qtbot, new.template, ids["env-general"])
    assert chosen(new, keys) == ("follow_up", "env-general")


def test_tab_reaches_the_start_date_and_leaves_the_tables(dialog, qtbot):
    """By keyboard alone: the Buddhist-era start date (made at run time) came last in the
    Tab order and was never reached, and Tab stayed inside the inspectors' table."""
    new, _keys = dialog
    order, widget = [], new.kind
    for _ in range(40):
        widget = widget.nextInFocusChain()
        order.append(widget)
    assert order.index(new.date.edit) < order.index(new.time) < order.index(new.purpose)
    assert not new.inspectors.tabKeyNavigation()
    assert not new.representatives.tabKeyNavigation()
    new.date.edit.setFocus()
    qtbot.waitUntil(new.date.edit.hasFocus)
    qtbot.keyClick(new.date.edit, Qt.Key.Key_Tab)
    qtbot.keyClick(new.date.button, Qt.Key.Key_Tab)
    assert new.time.hasFocus()
