"""The inspector's journey through the window, driven by objectName as a user would.

search -> new inspection -> answer items (click and keys) -> failed item with note, photo,
finding -> exceedance flag -> conditional item -> undo/redo -> sign and refusal ->
finalize (blocked, then done) -> read-only -> amend.
"""

from __future__ import annotations

import io

import pytest
from PIL import Image

pytest.importorskip("pytestqt")

from gui_shots import shot  # noqa: E402
from gui_world import add_photos, populate, type_text  # noqa: E402
from PySide6.QtCore import Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QApplication,
    QCheckBox,
    QDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from fieldapp.gui.app import install_font  # noqa: E402
from fieldapp.gui.i18n import install_language  # noqa: E402
from fieldapp.gui.main.main_window import MainWindow  # noqa: E402
from fieldapp.gui.settings import Settings  # noqa: E402
from fieldapp.store.db import open_store  # noqa: E402
from fieldapp.store.inspections import answers_by_item, children, get_inspection  # noqa: E402


@pytest.fixture(params=["th", "en"])
def world(request, tmp_path, qtbot):
    yield from window_world(request.param, tmp_path)


def window_world(language: str, tmp_path):
    """The main window on a small database, in ``language``: yields (main window, store,
    ids, language) and tears it all down (the ``world`` fixture, here and elsewhere)."""
    db = tmp_path / "fieldapp.db"
    store = open_store(db)
    ids = populate(store)
    settings = Settings(tmp_path / "settings.ini")
    settings.set("inspector/name", "นายสมชาย ใจดี")
    settings.set("ui/language", language)
    app = QApplication.instance()
    install_font(app)
    assert install_language(app, language)
    main = MainWindow(store, settings, db)
    main.window.resize(1200, 800)
    main.show()
    yield main, store, ids, language
    # Closed here, not by qtbot (whose hook closes widgets before fixtures end): a test may
    # leave typing unsaved, and the window would ask about it at close.
    main.window.may_close = None
    main.window.close()
    main.model.shutdown()
    install_language(app, "en")
    store.close()


def open_new(main, store, ids) -> dict:
    """A new inspection of the first factory on the test checklist, opened in the editor."""
    from fieldapp.store.inspections import create_inspection
    row = create_inspection(store, factory_id=ids["factories"][0],
                            template_version_id=ids["template_id"])
    main.open_inspection(row["id"])
    return row


def find(widget, cls, name):
    found = widget.findChild(cls, name)
    assert found is not None, f"no {cls.__name__} named {name}"
    return found


def wait_rows(qtbot, main, n):
    qtbot.waitUntil(lambda: not main.model.busy and main.model.rowCount() == n, timeout=3000)


def jpeg_with_exif_rotation(path) -> None:
    """A landscape JPEG whose EXIF says 'rotate 90°' (orientation 6)."""
    image = Image.new("RGB", (80, 40), (200, 30, 30))
    exif = Image.Exif()
    exif[0x0112] = 6
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes())
    path.write_bytes(buffer.getvalue())


def answer_dialog(qtbot, fill):
    """Run ``fill(dialog)`` on the next modal dialog as soon as it opens."""
    def poll():
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QDialog):
            fill(dialog)
        else:
            QTimer.singleShot(20, poll)
    QTimer.singleShot(20, poll)


def test_search_as_you_type_with_thai_keyboard(world, qtbot):
    main, _store, _ids, _lang = world
    wait_rows(qtbot, main, 3)
    search = find(main.window, QLineEdit, "factorySearch")
    type_text(search, "ยามาซากิ")
    qtbot.waitUntil(lambda: main.model.rowCount() == 1 and not main.model.busy, timeout=3000)
    assert main.model.row(0)["name"] == "บริษัท ไทย ยามาซากิ จำกัด"
    search.clear()
    type_text(search, "1018 0000 1254 17")   # an ID typed with spaces
    qtbot.waitUntil(lambda: main.model.rowCount() == 1 and not main.model.busy, timeout=3000)
    assert main.model.row(0)["fid"] == "10180000125417"


def test_province_filter(world, qtbot):
    main, _store, _ids, _lang = world
    wait_rows(qtbot, main, 3)
    province = main.province
    province.setCurrentIndex(province.findData("สมุทรปราการ"))
    wait_rows(qtbot, main, 1)
    assert main.model.row(0)["province"] == "สมุทรปราการ"


def test_full_journey(world, qtbot, tmp_path, monkeypatch):
    main, store, ids, language = world
    window = main.window
    wait_rows(qtbot, main, 3)
    shot(window, "main-window", language)
    type_text(find(window, QLineEdit, "factorySearch"), "ยามาซากิ")
    wait_rows(qtbot, main, 1)
    main.table.selectRow(0)
    new_button = find(window, QPushButton, "newInspectionButton")
    assert new_button.isEnabled()

    def fill_new(dialog):
        reps = find(dialog, QTableWidget, "representativesTable")
        reps.setItem(0, 0, QTableWidgetItem("นางสาวมาลี ผู้จัดการ"))
        reps.setItem(0, 1, QTableWidgetItem("ผู้จัดการโรงงาน"))
        assert find(dialog, QLineEdit, "purposeEdit")
        find(dialog, QLineEdit, "purposeEdit").setText("ตรวจประจำปี")
        shot(dialog, "new-inspection", language)
        qtbot.mouseClick(find(dialog, QPushButton, "startInspectionButton"),
                         Qt.MouseButton.LeftButton)
    answer_dialog(qtbot, fill_new)
    qtbot.mouseClick(new_button, Qt.MouseButton.LeftButton)
    editor = main.editor
    assert editor is not None
    inspection_id = editor.inspection_id
    people = children(store, "participants", inspection_id)
    assert {(p["role"], p["name"]) for p in people} == {
        ("inspector", "นายสมชาย ใจดี"), ("representative", "นางสาวมาลี ผู้จัดการ")}

    checklist = editor.checklist
    # Conditional item: hidden until 1.1 fails.
    why = checklist.items["lic.why"]
    assert why.isHidden()
    qtbot.mouseClick(find(checklist, QPushButton, "result_lic.match_fail"),
                     Qt.MouseButton.LeftButton)
    assert not why.isHidden()
    assert find(checklist, QLabel, "problem_lic.match").text()   # note + photo missing
    type_text(find(checklist, QPlainTextEdit, "note_lic.match"), "ขยายกำลังการผลิต")
    type_text(find(checklist, QLineEdit, "value_lic.why"), "เพิ่มเครื่องจักร")
    photo = tmp_path / "site.jpg"
    jpeg_with_exif_rotation(photo)
    assert add_photos(qtbot, checklist.items["lic.match"].photos, [photo]) == 1
    tile = checklist.items["lic.match"].photos.tiles[0]
    pixmap = tile.findChild(QLabel).pixmap()
    assert pixmap.height() > pixmap.width()      # EXIF orientation applied
    assert find(checklist, QLabel, "problem_lic.match").text() == ""
    shot(editor, "checklist", language)

    # Add a finding from the failed item: pre-filled from the template.
    qtbot.mouseClick(find(checklist, QPushButton, "addFinding_lic.match"),
                     Qt.MouseButton.LeftButton)
    findings = children(store, "findings", inspection_id)
    assert len(findings) == 1
    assert findings[0]["item_id"] == "lic.match"
    assert findings[0]["legal_basis"] == "มาตรา 8"
    assert findings[0]["deadline"] is not None
    assert editor.tabs.currentWidget() is editor.findings

    # Exceedance flag while typing.
    flag = find(checklist, QLabel, "exceeded_ww.bod")
    value = find(checklist, QLineEdit, "value_ww.bod")
    type_text(value, "1")
    assert flag.isHidden()
    type_text(value, "8")
    assert flag.isHidden()
    type_text(value, "5")            # 185 > 20
    assert not flag.isHidden()

    # Keyboard: focus item 2.2 and press 1 (pass); on Thai layout the key types "ๅ".
    log_item = checklist.items["ww.log"]
    log_item.setFocus()
    type_text(log_item, "ๅ")
    assert answers_by_item(store, inspection_id)["ww.log"]["result"] == "pass"

    # Undo / redo of answers.
    qtbot.mouseClick(find(editor, QPushButton, "undoButton"), Qt.MouseButton.LeftButton)
    assert answers_by_item(store, inspection_id)["ww.log"]["result"] is None
    assert not find(checklist, QPushButton, "result_ww.log_pass").isChecked()
    qtbot.mouseClick(find(editor, QPushButton, "redoButton"), Qt.MouseButton.LeftButton)
    assert answers_by_item(store, inspection_id)["ww.log"]["result"] == "pass"
    assert find(checklist, QPushButton, "result_ww.log_pass").isChecked()

    # Finalize is blocked without signatures, and says why, once the inspector declines to
    # lock the record for signing in ink.
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.No)
    qtbot.mouseClick(find(editor, QPushButton, "finalizeButton"), Qt.MouseButton.LeftButton)
    problems = find(editor, QListWidget, "finalizeProblems")
    assert problems.isVisible() and problems.count() == 2
    assert get_inspection(store, inspection_id)["state"] == "draft"
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Yes)

    # The inspector signs on the pad; the representative refuses with reason and witness.
    def sign_inspector(dialog):
        pad = find(dialog, QWidget, "signaturePad")
        pad.add_stroke([(30, 60, 0.3), (80, 40, 0.6), (140, 70, 0.9), (200, 50, 0.5)])
        shot(dialog, "signature-dialog", language)
        qtbot.mouseClick(find(dialog, QPushButton, "confirmSignButton"),
                         Qt.MouseButton.LeftButton)
    answer_dialog(qtbot, sign_inspector)
    qtbot.mouseClick(find(editor, QPushButton, "signInspectorButton"),
                     Qt.MouseButton.LeftButton)

    def refuse(dialog):
        find(dialog, QPushButton, "confirmSignButton")
        find(dialog, QCheckBox, "refuseCheck").setChecked(True)
        find(dialog, QLineEdit, "refusalReason").setText("ไม่เห็นด้วยกับผลการตรวจ")
        find(dialog, QLineEdit, "witnessName").setText("นายวิชัย พยาน")
        qtbot.mouseClick(find(dialog, QPushButton, "confirmSignButton"),
                         Qt.MouseButton.LeftButton)
    answer_dialog(qtbot, refuse)
    qtbot.mouseClick(find(editor, QPushButton, "signRepresentativeButton"),
                     Qt.MouseButton.LeftButton)
    signatures = {s["signer_role"]: s for s in children(store, "signatures", inspection_id)}
    assert signatures["inspector"]["attachment_id"] and not signatures["inspector"]["refused"]
    assert signatures["representative"]["refused"] == 1
    assert signatures["representative"]["witness_name"] == "นายวิชัย พยาน"

    qtbot.mouseClick(find(editor, QPushButton, "finalizeButton"), Qt.MouseButton.LeftButton)
    assert get_inspection(store, inspection_id)["state"] == "finalized"
    assert problems.isHidden()
    # Read-only: no finalize, no result buttons, amend offered.
    assert find(editor, QPushButton, "finalizeButton").isHidden()
    assert not find(checklist, QPushButton, "result_ww.log_fail").isEnabled()
    assert find(checklist, QPlainTextEdit, "note_lic.match").isReadOnly()
    assert find(editor, QPushButton, "amendButton").isVisible()
    shot(editor, "finalized", language)
    editor.tabs.setCurrentWidget(editor.signatures)
    shot(editor, "finalized-signatures", language)

    qtbot.mouseClick(find(editor, QPushButton, "amendButton"), Qt.MouseButton.LeftButton)
    amendment = main.editor
    assert amendment is not editor and amendment.inspection_id != inspection_id
    assert get_inspection(store, amendment.inspection_id)["amends_id"] == inspection_id
    assert find(amendment, QPushButton, "finalizeButton").isVisible()
    assert answers_by_item(store, amendment.inspection_id)["ww.bod"]["value"] == "185"


def test_autosave_reaches_the_disk(world, qtbot, tmp_path):
    """Every answer is on disk the moment it is made: a second connection sees it."""
    main, store, ids, _lang = world
    from fieldapp.store.inspections import create_inspection
    row = create_inspection(store, factory_id=ids["factories"][0],
                            template_version_id=ids["template_id"])
    main.open_inspection(row["id"])
    checklist = main.editor.checklist
    qtbot.mouseClick(find(checklist, QPushButton, "result_ww.log_na"),
                     Qt.MouseButton.LeftButton)
    type_text(find(checklist, QLineEdit, "value_ww.bod"), "7,5")
    with open_store(store.path) as other:
        answers = answers_by_item(other, row["id"])
    assert answers["ww.log"]["result"] == "na"
    assert answers["ww.bod"]["value"] == "7.5"


def test_photos_by_drag_and_drop(world, qtbot, tmp_path):
    """Image files dropped on an item's photo strip become its photos; other files do not."""
    from PySide6.QtCore import QMimeData, QPointF, QUrl
    from PySide6.QtGui import QDropEvent

    main, store, ids, _lang = world
    row = open_new(main, store, ids)
    strip = main.editor.checklist.items["ww.log"].photos
    photo, notes = tmp_path / "tank.jpg", tmp_path / "notes.txt"
    jpeg_with_exif_rotation(photo)
    notes.write_text("not a photo")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(photo)), QUrl.fromLocalFile(str(notes))])
    strip.dropEvent(QDropEvent(QPointF(5, 5), Qt.DropAction.CopyAction, mime,
                               Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier))
    # Stored on a worker (tests/gui/test_gui_photo_adding.py), shown once recorded.
    qtbot.waitUntil(lambda: strip.count == 1 and strip.add_button.isEnabled(), timeout=10_000)
    photos = [a for a in children(store, "attachments", row["id"]) if a["kind"] == "photo"]
    assert [(a["item_id"], a["mime"]) for a in photos] == [("ww.log", "image/jpeg")]
    # A caption typed under the thumbnail is stored as it is typed, before the field is left
    # (it was stored only then: a battery running out lost it).
    caption = strip.tiles[0].caption
    type_text(caption, "บ่อพักน้ำเสีย")
    stored = children(store, "attachments", row["id"])[0]
    assert stored["caption"] == "บ่อพักน้ำเสีย"


def test_a_file_that_is_no_picture_is_refused_as_a_photo(world, qtbot, tmp_path,
                                                         monkeypatch):
    """Taken in, it printed as nothing and made the signed record unprintable; refused with
    the reason instead, and the good photo beside it is still taken."""
    from PySide6.QtWidgets import QMessageBox

    main, store, ids, _lang = world
    row = open_new(main, store, ids)
    strip = main.editor.checklist.items["ww.log"].photos
    said = []
    monkeypatch.setattr(QMessageBox, "warning",
                        staticmethod(lambda parent, title, text: said.append(text)))
    photo, renamed, broken = (tmp_path / n for n in ("tank.jpg", "notes.jpg", "cut.jpg"))
    jpeg_with_exif_rotation(photo)
    renamed.write_text("not a photo")
    broken.write_bytes(photo.read_bytes()[:200])
    assert add_photos(qtbot, strip, [renamed, broken, photo]) == 1
    # Named together, each in the UI's language only (the store's messages read
    # "Thai (English)").
    words = "ไม่ใช่ภาพถ่าย" if _lang == "th" else "not a picture"
    assert len(said) == 1, said
    lines = said[0].splitlines()
    assert [line.split(":")[0] for line in lines] == ["notes.jpg", "cut.jpg"]
    assert all(words in line and "(" not in line for line in lines), said
    photos = [a for a in children(store, "attachments", row["id"]) if a["kind"] == "photo"]
    assert len(photos) == 1


def test_bad_number_is_flagged_and_not_stored(world, qtbot):
    """Typing that is not a number: said inline, kept on screen, nothing stored."""
    main, store, ids, _lang = world
    row = open_new(main, store, ids)
    checklist = main.editor.checklist
    value = find(checklist, QLineEdit, "value_ww.bod")
    type_text(value, "12")
    type_text(value, "x")
    assert value.text() == "12x"
    assert find(checklist, QLabel, "problem_ww.bod").text()
    assert answers_by_item(store, row["id"])["ww.bod"]["value"] == "12"   # last good value
    # In the UI's language, whole (the label holds a bracket of its own: "(BOD)").
    problem = find(checklist, QLabel, "problem_ww.bod").text()
    assert ("not a number" in problem) == (_lang == "en"), problem
    # Finalizing now would sign 12 while the screen shows 12x: refused, with the reason.
    assert not main.editor.try_finalize()
    listed = [main.editor.problems.item(n).text() for n in range(main.editor.problems.count())]
    assert any("12x" in line for line in listed), listed
    value.setText("")
    type_text(value, "๑๕")                                               # Thai digits
    assert answers_by_item(store, row["id"])["ww.bod"]["value"] == "15"
    assert find(checklist, QLabel, "problem_ww.bod").text() == ""


def test_keyboard_only_start_and_inspections_by_state(world, qtbot):
    """Search, Enter, Enter: an inspection starts without the mouse; it is then listed under
    drafts and waiting to sync, not under finalized."""
    main, store, _ids, _lang = world
    wait_rows(qtbot, main, 3)
    search = find(main.window, QLineEdit, "factorySearch")
    type_text(search, "สยามพลาสติก")
    wait_rows(qtbot, main, 1)
    qtbot.keyClick(search, Qt.Key.Key_Return)             # to the table, first row selected
    assert main.table.currentIndex().row() == 0

    def accept(dialog):
        qtbot.keyClick(dialog, Qt.Key.Key_Return)        # the default button starts it
    answer_dialog(qtbot, accept)
    qtbot.keyClick(main.table, Qt.Key.Key_Return)         # Enter on the factory
    assert main.editor is not None
    inspection_id = main.editor.inspection_id
    qtbot.mouseClick(find(main.editor, QPushButton, "backButton"), Qt.MouseButton.LeftButton)
    main.tabs.setCurrentIndex(1)
    listed = {}
    for state in ("draft", "finalized", "unsynced"):
        main.state_filter.setCurrentIndex(main.state_filter.findData(state))
        table = main.inspection_list
        listed[state] = {table.item(r, 0).data(Qt.ItemDataRole.UserRole)
                         for r in range(table.rowCount())}
    assert inspection_id in listed["draft"]
    assert inspection_id in listed["unsynced"]
    assert inspection_id not in listed["finalized"]


def test_answer_keys_move_to_the_next_visible_item(world, qtbot):
    main, store, ids, _lang = world
    row = open_new(main, store, ids)
    checklist = main.editor.checklist
    main.window.activateWindow()
    first = checklist.items["lic.match"]
    first.setFocus()
    type_text(first, "1")                                  # pass
    assert answers_by_item(store, row["id"])["lic.match"]["result"] == "pass"
    # 1.2 shows only after a failure, so the focus skips it and lands on 2.1.
    assert checklist.items["lic.why"].isHidden()
    assert checklist.items["ww.bod"].hasFocus()
    qtbot.keyClick(checklist.items["ww.bod"], Qt.Key.Key_Down)
    assert checklist.items["ww.log"].hasFocus()
    qtbot.keyClick(checklist.items["ww.log"], Qt.Key.Key_Up)
    assert checklist.items["ww.bod"].hasFocus()
    type_text(checklist.items["ww.bod"], "3")              # not applicable, on a value item
    assert answers_by_item(store, row["id"])["ww.bod"]["result"] == "na"


def test_typing_a_note_undoes_in_one_step(world, qtbot):
    main, store, ids, _lang = world
    row = open_new(main, store, ids)
    editor = main.editor
    note = find(editor.checklist, QPlainTextEdit, "note_ww.log")
    type_text(note, "ถังเก็บน้ำมันรั่ว")
    assert answers_by_item(store, row["id"])["ww.log"]["note"] == "ถังเก็บน้ำมันรั่ว"
    assert editor.undo_stack.count() == 1              # keystrokes merged into one step
    # ... and into at most two changes to send (the answer made, then its note), not one
    # per keystroke each carrying the whole text so far (store/changes.py).
    answer_id = answers_by_item(store, row["id"])["ww.log"]["id"]
    assert store.query("SELECT count(*) AS n FROM outbox WHERE row_id = ?",
                       (answer_id,))[0]["n"] <= 2
    qtbot.mouseClick(find(editor, QPushButton, "undoButton"), Qt.MouseButton.LeftButton)
    assert answers_by_item(store, row["id"])["ww.log"]["note"] is None
    assert note.text() == ""
    qtbot.mouseClick(find(editor, QPushButton, "redoButton"), Qt.MouseButton.LeftButton)
    assert note.text() == "ถังเก็บน้ำมันรั่ว"


def test_the_shipped_checklist_fits_the_window_in_both_languages(world, qtbot):
    """A multiple-choice item laid its choices in one row: 1,300 px wide in English, so the
    whole checklist scrolled sideways and every item was clipped."""
    from fieldapp.store.inspections import create_inspection
    from fieldapp.store.templates import install_bundled_templates, latest_published
    main, store, ids, _lang = world
    install_bundled_templates(store)
    template = latest_published(store, "env-general")
    row = create_inspection(store, factory_id=ids["factories"][0],
                            template_version_id=template.version_id)
    main.window.resize(1280, 800)
    main.open_inspection(row["id"])
    checklist = main.editor.checklist
    qtbot.waitUntil(lambda: checklist.fully_built, timeout=10000)
    widest = max(w.sizeHint().width() for w in checklist.items.values())
    assert widest < 1100, widest


def test_a_new_findings_description_is_ready_to_be_typed_over(world, qtbot):
    """Typing after the pre-filled words ran on ("...คลองข้อบกพร่องใหม่")."""
    from PySide6.QtWidgets import QPlainTextEdit

    from fieldapp.store.changes import get_row
    main, store, ids, _lang = world
    open_new(main, store, ids)
    main.editor.tabs.setCurrentWidget(main.editor.findings)
    finding = main.editor.findings.add(None)
    card = next(c for c in main.editor.findings.cards if c.finding_id == finding["id"])
    assert isinstance(card.description, QPlainTextEdit)
    card.description.insertPlainText("พบการระบายน้ำเสียลงคลอง")   # as typing goes in
    assert get_row(store, "findings", finding["id"])["description"] == "พบการระบายน้ำเสียลงคลอง"
