"""The editor's guards against losing or mis-signing what the inspector typed, and the
main window's smaller courtesies (found by an audit of the real window on real rows):
typing that is not saved, deadlines, ink signing, photos, keyboard, unnamed factories.
Uses the window world of test_gui_journey."""

from __future__ import annotations

import io

import pytest

pytest.importorskip("pytestqt")

from gui_world import type_text  # noqa: E402
from PIL import Image  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton  # noqa: E402
from test_gui_journey import find, open_new, window_world  # noqa: E402

from fieldapp.store.inspections import answers_by_item, children  # noqa: E402


@pytest.fixture(params=["th", "en"])
def world(request, tmp_path, qtbot):
    yield from window_world(request.param, tmp_path)


def test_a_record_to_sign_in_ink_is_locked_unsigned_when_asked(world, qtbot, monkeypatch):
    """The form printed and signed in ink (DESIGN §1): finalizing demanded signatures on
    screen, so a record signed on paper could never be locked nor its scan attached. With
    nothing missing but signatures, and nobody signed on screen, the inspector is asked."""
    from PySide6.QtWidgets import QMessageBox

    from fieldapp.store.inspections import create_inspection, get_inspection, set_answer
    from fieldapp.store.signing import sign
    main, store, ids, _lang = world
    row = create_inspection(store, factory_id=ids["factories"][0],
                            template_version_id=ids["template_id"])
    set_answer(store, row["id"], "lic.match", result="pass")
    set_answer(store, row["id"], "ww.bod", value="12")
    set_answer(store, row["id"], "ww.log", result="pass")
    main.open_inspection(row["id"])
    editor = main.editor
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: (
        asked.append(a[2]), QMessageBox.StandardButton.Yes)[1])
    assert editor.try_finalize()
    assert len(asked) == 1 and ("ink" in asked[0] or "หมึก" in asked[0])
    assert get_inspection(store, row["id"])["state"] == "finalized"
    assert editor.tabs.currentWidget() is editor.scans
    # Signed on screen by one of them: no ink offer, the missing signature is said.
    other = create_inspection(store, factory_id=ids["factories"][0],
                              template_version_id=ids["template_id"])
    for item, fields in (("lic.match", {"result": "pass"}), ("ww.bod", {"value": "12"}),
                         ("ww.log", {"result": "pass"})):
        set_answer(store, other["id"], item, **fields)
    sign(store, other["id"], signer_name="นายสมชาย ใจดี", signer_role="inspector",
         image_png=b"\x89PNGsig" * 50)
    main.open_inspection(other["id"])
    assert not main.editor.try_finalize() and len(asked) == 1
    assert get_inspection(store, other["id"])["state"] == "draft"


def test_a_value_below_its_minimum_is_not_called_over_the_limit(world, qtbot):
    """pH 5.4 against 5.5-9.0 was flagged "เกินค่ามาตรฐาน" (over the limit)."""
    from fieldapp.store.inspections import create_inspection, set_answer
    from fieldapp.store.templates import install_bundled_templates, latest_published
    main, store, ids, lang = world
    install_bundled_templates(store)
    template = latest_published(store, "env-general")
    row = create_inspection(store, factory_id=ids["factories"][0],
                            template_version_id=template.version_id)
    set_answer(store, row["id"], "ww.has_wastewater", value="yes")
    for value, thai, english in (("5.4", "ต่ำกว่าเกณฑ์มาตรฐาน", "Below the legal minimum"),
                                 ("9.5", "เกินค่ามาตรฐาน", "Over the legal limit")):
        set_answer(store, row["id"], "ww.ph", value=value)
        main.open_inspection(row["id"])
        checklist = main.editor.checklist
        qtbot.waitUntil(lambda c=checklist: c.fully_built, timeout=10000)
        flag = find(checklist, QLabel, "exceeded_ww.ph")
        assert flag.text() == (thai if lang == "th" else english)


def test_many_photos_wrap_and_removing_one_is_asked_first(world, qtbot, monkeypatch):
    """Eleven photos on one item laid out in one row made the checklist 1,959 px wide in a
    1,328 px view (every item cut off on the right); and one click on a photo's ✕ or on
    "Remove finding" deleted evidence with no way back."""
    from PySide6.QtWidgets import QMessageBox

    from fieldapp.store.inspections import add_attachment, create_inspection
    main, store, ids, _lang = world
    row = create_inspection(store, factory_id=ids["factories"][0],
                            template_version_id=ids["template_id"])
    for n in range(11):
        picture = io.BytesIO()
        Image.new("RGB", (64, 48), (n * 20, 90, 160)).save(picture, "JPEG")
        add_attachment(store, row["id"], picture.getvalue(), kind="photo",
                       mime="image/jpeg", item_id="ww.log", caption=f"ภาพ {n}")
    main.window.resize(1366, 768)
    main.open_inspection(row["id"])
    checklist = main.editor.checklist
    qtbot.waitUntil(lambda: checklist.fully_built, timeout=10000)
    strip = checklist.items["ww.log"].photos
    assert strip.count == 11
    assert strip.sizeHint().width() < 1100, strip.sizeHint().width()
    assert max(w.sizeHint().width() for w in checklist.items.values()) < 1300
    first = strip.tiles[0].attachment_id
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.No)
    qtbot.mouseClick(strip.tiles[0].remove, Qt.MouseButton.LeftButton)
    assert any(a["id"] == first for a in children(store, "attachments", row["id"]))
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(strip.tiles[0].remove, Qt.MouseButton.LeftButton)
    assert not any(a["id"] == first for a in children(store, "attachments", row["id"]))
    finding = main.editor.findings.add(None)
    card = next(c for c in main.editor.findings.cards if c.finding_id == finding["id"])
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.No)
    qtbot.mouseClick(card.remove_button, Qt.MouseButton.LeftButton)
    assert [f["id"] for f in children(store, "findings", row["id"])] == [finding["id"]]


def test_a_finalize_problem_goes_to_its_item_when_clicked(world, qtbot):
    """Twenty-five problems in a short list, and each item had to be found by hand."""
    main, store, ids, _lang = world
    open_new(main, store, ids)
    editor = main.editor
    editor.tabs.setCurrentWidget(editor.findings)
    assert not editor.try_finalize()
    lines = [editor.problems.item(n) for n in range(editor.problems.count())]
    bod = next(line for line in lines if line.data(Qt.ItemDataRole.UserRole) == "ww.bod")
    editor.problems.itemClicked.emit(bod)
    assert editor.tabs.currentWidget() is editor.checklist
    widget = editor.checklist.items["ww.bod"]
    qtbot.waitUntil(lambda: widget.hasFocus() or widget.isAncestorOf(
        editor.window().focusWidget() or widget), timeout=3000)


def test_a_deadline_before_the_inspection_is_pointed_out_before_locking(world, qtbot,
                                                                       monkeypatch):
    """A deadline of 1/1/2560 (the year typed wrong) was locked without a word: an order
    overdue the day it is given. The question that locks the record names it first."""
    from PySide6.QtWidgets import QMessageBox

    from fieldapp.store.inspections import get_inspection, set_answer
    main, store, ids, lang = world
    row = open_new(main, store, ids)
    for item, fields in (("lic.match", {"result": "pass"}), ("ww.bod", {"value": "12"}),
                         ("ww.log", {"result": "pass"})):
        set_answer(store, row["id"], item, **fields)
    finding = main.editor.findings.add(None)
    card = next(c for c in main.editor.findings.cards if c.finding_id == finding["id"])
    card.deadline.set_value("2017-01-01", emit=True)
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: (
        asked.append(a[2]), QMessageBox.StandardButton.No)[1])
    assert not main.editor.try_finalize()
    assert asked and "2560" in asked[0], asked
    assert ("ก่อนวันตรวจ" if lang == "th" else "before the day") in asked[0]
    assert get_inspection(store, row["id"])["state"] == "draft"


def test_a_deadline_that_is_no_date_stops_finalizing(world, qtbot):
    """31/02/2570 typed as a finding's deadline stays on screen in red and is not stored;
    finalizing signed and printed the deadline before it (ten months before the
    inspection) while the screen showed the typing: now refused, with the reason."""
    from fieldapp.store.changes import get_row
    main, store, ids, _lang = world
    open_new(main, store, ids)
    editor = main.editor
    finding = editor.findings.add(None)
    card = next(c for c in editor.findings.cards if c.finding_id == finding["id"])
    card.deadline.set_value("2026-02-15", emit=True)
    card.deadline.edit.setText("31/02/2570")
    card.deadline.edit.editingFinished.emit()
    assert get_row(store, "findings", finding["id"])["deadline"] == "2026-02-15"
    assert not editor.try_finalize()
    listed = [editor.problems.item(n).text() for n in range(editor.problems.count())]
    assert any("31/02/2570" in line for line in listed), listed


def test_leaving_typing_that_was_not_saved_is_asked_first(world, qtbot, monkeypatch):
    """A number typed wrong (4,,5) leaves the 4 before it stored: going back to the list
    lost the typing without a word, and the record showed 4 as if it were meant. Leaving
    (the Back button or closing the window) now asks first, and No stays."""
    from PySide6.QtWidgets import QMessageBox

    main, store, ids, _lang = world
    row = open_new(main, store, ids)
    editor = main.editor
    value = find(editor.checklist, QLineEdit, "value_ww.bod")
    type_text(value, "4,,5")
    assert answers_by_item(store, row["id"])["ww.bod"]["value"] == "4"
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: (
        asked.append(a[2]), QMessageBox.StandardButton.No)[1])
    qtbot.mouseClick(find(editor, QPushButton, "backButton"), Qt.MouseButton.LeftButton)
    assert main.editor is editor and len(asked) == 1
    assert not main.window.close() and main.window.isVisible() and len(asked) == 2
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(find(editor, QPushButton, "backButton"), Qt.MouseButton.LeftButton)
    assert main.editor is None
    open_new(main, store, ids)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append("again"))
    qtbot.mouseClick(find(main.editor, QPushButton, "backButton"), Qt.MouseButton.LeftButton)
    assert main.editor is None and asked[-1] != "again"     # nothing unsaved: not asked




def test_tab_leaves_the_factory_table(world, qtbot):
    """Tab stayed inside the factory list: the new-inspection button and the list of past
    inspections beside it were out of the keyboard's reach."""
    main, _store, _ids, _lang = world
    assert not main.table.tabKeyNavigation()
    chain, widget = [], main.table
    for _ in range(60):
        widget = widget.nextInFocusChain()
        chain.append(widget)
    assert main.new_button in chain or main.past in chain


def test_a_factory_without_a_name_says_so(world, qtbot):
    """The registry has rows whose name is "-": the list showed an empty cell and the
    detail an empty heading, which looked like a fault of the app."""
    from fieldapp.store.changes import save_row
    main, store, ids, lang = world
    save_row(store, "factories", {"id": ids["factories"][0], "name": ""})
    main.show_factory(ids["factories"][0])
    said = "(ไม่มีชื่อในทะเบียน)" if lang == "th" else "(no name in the registry)"
    assert said in main.detail.toPlainText()
    with qtbot.waitSignal(main.model.searchFinished, timeout=5000):
        main.run_search()
    names = [main.model.data(main.model.index(r, 0)) for r in range(main.model.rowCount())]
    assert said in names, names


def test_the_factory_list_fits_a_laptop_screen(world, qtbot):
    """At 1366 x 768 the list needed sideways scrolling to show a factory's location and
    status (its columns took 1,040 px of the half of the window it had)."""
    from PySide6.QtCore import Qt

    main, _store, _ids, _lang = world
    main.window.resize(1366, 768)
    main.window.show()
    qtbot.waitExposed(main.window)
    qtbot.waitUntil(lambda: main.table.horizontalScrollBar().maximum() == 0, timeout=3000)
    header = main.table.horizontalHeader()
    assert header.sectionSize(3) >= 100 and header.sectionSize(4) >= 100
    assert main.table.width() > main.detail.width()
    # Every ID whole, and the location's short title explained on hovering.
    fid = main.model.data(main.model.index(0, 1))
    assert main.table.fontMetrics().horizontalAdvance(fid) < header.sectionSize(1)
    assert main.model.headerData(3, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
