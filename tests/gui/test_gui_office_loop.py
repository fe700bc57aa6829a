"""The office's loop in the window: "returned to me" with the supervisor's comment and the
Amend button, "my plan" opening a new inspection of the plan's kind and checklist, the
follow-up cards recording a result per order, the complaint panel, the approved lock.

Screenshots (returned, plan, follow-up, complaint panel) go to $FIELDAPP_SCREENSHOTS when set.
"""

from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from gui_shots import shot  # noqa: E402
from gui_world import add_photos, populate, type_text  # noqa: E402
from loop_world import complaint, order, plan, png, review, signed_in  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QApplication,
    QLabel,
    QPushButton,
    QTableWidget,
    QTabWidget,
    QWidget,
)

from fieldapp.core.office_words import APPROVED  # noqa: E402
from fieldapp.gui.app import install_font  # noqa: E402
from fieldapp.gui.i18n import install_language  # noqa: E402
from fieldapp.gui.main.main_window import MainWindow  # noqa: E402
from fieldapp.gui.settings import Settings  # noqa: E402
from fieldapp.store.changes import get_row  # noqa: E402
from fieldapp.store.db import open_store  # noqa: E402
from fieldapp.store.inspections import (  # noqa: E402
    answers_by_item,
    create_inspection,
    get_inspection,
    set_answer,
)
from fieldapp.store.signing import finalize  # noqa: E402
from fieldapp.store.sync_apply import apply_rows  # noqa: E402
from fieldapp.store.templates import install_bundled_templates  # noqa: E402
from fieldapp.sync import protocol as P  # noqa: E402

ME = "นายสมชาย ใจดี"




@pytest.fixture(params=["th", "en"])
def world(request, tmp_path, qtbot):
    language = request.param
    app = QApplication.instance()
    install_font(app)
    assert install_language(app, language)
    store = open_store(tmp_path / "fieldapp.db")
    ids = populate(store)
    install_bundled_templates(store)
    signed_in(store)
    settings = Settings(tmp_path / "settings.ini")
    settings.set("inspector/name", ME)
    settings.set("ui/language", language)

    def window() -> MainWindow:
        main = MainWindow(store, settings, tmp_path / "fieldapp.db")
        qtbot.addWidget(main.window)
        main.window.resize(1280, 800)
        main.show()
        return main

    yield {"store": store, "ids": ids, "language": language, "window": window,
           "settings": settings}
    store.close()
    install_language(app, "en")


def finalized_record(store, ids) -> str:
    row = create_inspection(store, factory_id=ids["factories"][0],
                            template_version_id=ids["template_id"], created_by=ME)
    set_answer(store, row["id"], "lic.match", result="pass")
    set_answer(store, row["id"], "ww.bod", value="12")
    set_answer(store, row["id"], "ww.log", result="pass")
    finalize(store, row["id"], require_signatures=False)
    return row["id"]


def tab_text(main: MainWindow, name: str) -> str:
    tabs = main.window.findChild(QTabWidget, "mainTabs")
    return tabs.tabText(tabs.indexOf(main.window.findChild(QWidget, name)))


def test_returned_to_me_shows_the_comment_and_amends(world, qtbot):
    store, ids, language = world["store"], world["ids"], world["language"]
    iid = finalized_record(store, ids)
    review(store, iid, "returned", "ไม่ได้ระบุจุดเก็บตัวอย่างน้ำทิ้ง กรุณาระบุพิกัดและแนบภาพ")
    main = world["window"]()
    label = tab_text(main, "returnedTab")
    assert label == ("ส่งกลับให้แก้ไข (1)" if language == "th" else "Returned to me (1)")
    tabs = main.window.findChild(QTabWidget, "mainTabs")
    tabs.setCurrentWidget(main.window.findChild(QWidget, "returnedTab"))
    table = main.window.findChild(QTableWidget, "returnedList")
    assert table.rowCount() == 1
    assert table.item(0, 5).text().startswith("ไม่ได้ระบุจุดเก็บตัวอย่างน้ำทิ้ง")
    table.selectRow(0)
    comment = main.window.findChild(QLabel, "returnedComment")
    assert comment.isVisible() and "กรุณาระบุพิกัดและแนบภาพ" in comment.text()
    shot(main.window, "returned", language)

    amend_button = main.window.findChild(QPushButton, "amendReturnedButton")
    qtbot.mouseClick(amend_button, Qt.MouseButton.LeftButton)
    assert main.editor is not None
    amendment = get_inspection(store, main.editor.inspection_id)
    assert amendment["amends_id"] == iid and amendment["state"] == "draft"
    # The amendment says which record it corrects and why the office sent it back.
    number = get_inspection(store, iid)["record_no"]
    assert number and number in main.editor.title.text()
    why = main.editor.findChild(QLabel, "amendmentReturnComment")
    assert why.isVisible() and "กรุณาระบุพิกัดและแนบภาพ" in why.text()
    shot(main.window, "amendment-returned", language)
    main.close_editor()
    # Still listed (the amendment is a draft), now offering to open it again.
    table.selectRow(0)
    assert amend_button.text() == ("เปิดบันทึกแก้ไข" if language == "th"
                                   else "Open the amendment")
    qtbot.mouseClick(amend_button, Qt.MouseButton.LeftButton)
    assert main.editor.inspection_id == amendment["id"]
    main.model.shutdown()


def test_an_approved_record_offers_no_amendment(world, qtbot):
    store, ids, language = world["store"], world["ids"], world["language"]
    iid = finalized_record(store, ids)
    review(store, iid, "approved")
    main = world["window"]()
    main.open_inspection(iid)
    button = main.editor.findChild(QPushButton, "amendButton")
    assert button.isVisible() and not button.isEnabled()
    thai, _sep, english = APPROVED.partition(" (")
    assert button.toolTip() == (thai if language == "th" else english.rstrip(")"))
    main.model.shutdown()


def plan_tab(main, language: str, count: int) -> QTableWidget:
    """Open "My plan", checking its tab counts ``count`` plans and its table lists them."""
    assert tab_text(main, "planTab") == (f"แผนงานของฉัน ({count})" if language == "th"
                                         else f"My plan ({count})")
    tabs = main.window.findChild(QTabWidget, "mainTabs")
    tabs.setCurrentWidget(main.window.findChild(QWidget, "planTab"))
    table = main.window.findChild(QTableWidget, "planList")
    assert table.rowCount() == count
    return table


def test_a_plan_given_to_another_inspector_leaves_my_plan(world, qtbot):
    """The office re-assigned one of two plans while the laptop was away: the pull's
    tombstone (server/pull.py) takes it off the list; the other stays."""
    store, ids, language = world["store"], world["ids"], world["language"]
    kept = plan(store, factory_id=ids["factories"][1], template_key="gui-test",
                planned_on="2026-04-20")
    given = plan(store, factory_id=ids["factories"][0], template_key="gui-test",
                 planned_on="2026-03-03")
    apply_rows(store, [{"t": "plans", "seq": 99, "gone": True, "row": {
        "id": given, "deleted": 1, "updated_hlc": "1796546192556-0002-office",
        "device_id": "office"}}], P.COLUMNS, None)
    main = world["window"]()
    plan_tab(main, language, 1)
    assert get_row(store, "plans", kept)["deleted"] == 0
    shot(main.window, "plan-after-reassignment", language)


def test_my_plan_opens_a_new_inspection_of_the_plans_kind_and_checklist(world, qtbot):
    store, ids, language = world["store"], world["ids"], world["language"]
    plan(store, factory_id=ids["factories"][1], template_key="gui-test",
         planned_on="2026-04-20", note="ตรวจประจำปีตามแผน")
    cid = complaint(store, factory_id=ids["factories"][0], photo=png((150, 60, 40)))
    first = plan(store, factory_id=ids["factories"][0], template_key="complaint",
                 kind="complaint", planned_on="2026-03-03", complaint_id=cid)
    main = world["window"]()
    table = plan_tab(main, language, 2)
    assert "บริษัท ไทย ยามาซากิ" in table.item(0, 1).text()     # by date: complaint first
    assert "2569" in table.item(0, 0).text()                     # Thai (B.E.) dates
    shot(main.window, "plan", language)

    where = table.visualItemRect(table.item(0, 1)).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=where)
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=where)
    assert main.editor is not None
    row = get_inspection(store, main.editor.inspection_id)
    template = get_row(store, "template_versions", row["template_version_id"])
    assert (row["kind"], template["template_key"]) == ("complaint", "complaint")
    assert get_row(store, "plans", first)["inspection_id"] == row["id"]
    panel = main.editor.findChild(QWidget, "complaintPanel")
    assert panel is not None and main.editor.tabs.currentWidget() is panel
    summary = panel.findChild(QLabel, "complaintSummary").text()
    assert "กลิ่นเหม็นจากโรงงาน" in summary
    shot(main.editor, "complaint-panel", language)
    main.close_editor()
    assert tab_text(main, "planTab").endswith("(2)")              # started, still open
    main.model.shutdown()


def test_the_follow_up_view_records_a_result_per_order(world, qtbot):
    store, ids, language = world["store"], world["ids"], world["language"]
    factory = ids["factories"][0]
    earlier = finalized_record(store, ids)
    first = order(store, factory_id=factory, inspection_id=earlier, photo=png((20, 20, 20)),
                  deadline="2026-02-10")
    second = order(store, factory_id=factory, inspection_id=earlier,
                   order_text="ให้จัดทำบันทึกการเดินระบบบำบัดน้ำเสียประจำวัน",
                   description="ไม่มีบันทึกการเดินระบบ", legal_basis="ประกาศกระทรวงอุตสาหกรรม",
                   deadline="2026-02-20")
    plan(store, factory_id=factory, template_key="follow-up", kind="follow_up",
         order_ids=[first, second])
    main = world["window"]()
    tabs = main.window.findChild(QTabWidget, "mainTabs")
    tabs.setCurrentWidget(main.window.findChild(QWidget, "planTab"))
    table = main.window.findChild(QTableWidget, "planList")
    table.selectRow(0)
    qtbot.mouseClick(main.window.findChild(QPushButton, "startPlanButton"),
                     Qt.MouseButton.LeftButton)
    editor = main.editor
    iid = editor.inspection_id
    assert get_inspection(store, iid)["kind"] == "follow_up"
    view = editor.followup
    assert view is not None and editor.tabs.currentWidget() is view
    assert list(view.cards) == [first, second]
    assert view.cards[first].findChild(QLabel, f"earlierPhoto_{_photo_id(store, first)}")

    card = view.cards[first]
    card.note.setText("ติดตั้งเครื่องเติมอากาศเพิ่ม 2 ชุด น้ำทิ้งใสขึ้น")
    qtbot.mouseClick(card.radios["corrected"], Qt.MouseButton.LeftButton)
    view.record(second, "partly", "มีบันทึกบางวัน")
    assert add_photos(qtbot, view.cards[first].photos, [_png_file(store)]) == 1
    answers = answers_by_item(store, iid)
    assert (answers[f"order:{first}"]["value"], answers[f"order:{first}"]["result"]) == (
        "corrected", "pass")
    assert answers[f"order:{first}"]["note"].startswith("ติดตั้งเครื่องเติมอากาศ")
    # The note is stored as it is typed, not when the field is left.
    type_text(card.note, " ตรวจซ้ำ")
    assert answers_by_item(store, iid)[f"order:{first}"]["note"].endswith("ใสขึ้น ตรวจซ้ำ")
    assert (answers[f"order:{second}"]["value"], answers[f"order:{second}"]["result"]) == (
        "partly", "fail")
    photos = store.query("SELECT item_id FROM attachments WHERE inspection_id = ?", (iid,))
    assert [p["item_id"] for p in photos] == [f"order:{first}"]
    assert view.cards[first].photos.count == 1
    shot(editor, "follow-up", language)
    main.model.shutdown()


def _photo_id(store, order_id: str) -> str:
    return store.query("SELECT id FROM order_photos WHERE order_id = ?", (order_id,))[0]["id"]


def _png_file(store):
    path = store.path.parent / "หลังแก้ไข.png"
    path.write_bytes(png((60, 160, 90)))
    return path
