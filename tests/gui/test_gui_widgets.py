"""Widgets on their own: lazy factory model, signature pad, settings, Buddhist-era date field."""

from __future__ import annotations

import io

import pytest

pytest.importorskip("pytestqt")

from PIL import Image  # noqa: E402

from fieldapp.gui.main.factory_model import FactoryTableModel  # noqa: E402
from fieldapp.gui.settings import SETTINGS_VERSION, Settings  # noqa: E402
from fieldapp.gui.signing.signature_pad import SignaturePad  # noqa: E402
from fieldapp.gui.thai_date_edit import ThaiDateEdit  # noqa: E402
from fieldapp.store.changes import save_row  # noqa: E402
from fieldapp.store.factories import factory_id  # noqa: E402


def luhn_fid(prefix13: str) -> str:
    digits = [int(c) for c in prefix13]
    for check in range(10):
        candidate = digits + [check]
        total = 0
        for i, d in enumerate(reversed(candidate)):
            if i % 2 == 1:
                d *= 2
                d = d - 9 if d > 9 else d
            total += d
        if total % 10 == 0:
            return prefix13 + str(check)
    raise AssertionError


def test_lazy_model_loads_one_page_at_a_time(store, qtbot):
    with store.transaction():
        for n in range(130):
            fid = luhn_fid(f"2730000{n:06d}")
            save_row(store, "factories", {"id": factory_id(fid), "fid": fid,
                                          "name": f"โรงงานทดสอบ {n}", "province": "นครปฐม",
                                          "province_code": "73", "status": 1})
    model = FactoryTableModel(store.path, page_size=50)
    try:
        with qtbot.waitSignal(model.searchFinished, timeout=3000) as blocker:
            model.search("")
        assert blocker.args == [130]
        assert model.rowCount() == 50          # one page, not everything
        assert model.canFetchMore()
        model.fetchMore()
        assert not model.canFetchMore()        # one request in flight at a time
        qtbot.waitUntil(lambda: model.rowCount() == 100, timeout=3000)
        model.fetchMore()
        qtbot.waitUntil(lambda: model.rowCount() == 130, timeout=3000)
        assert not model.canFetchMore()
        assert len({model.row(i)["id"] for i in range(130)}) == 130
        # A newer query wins even if an older answer arrives later.
        model.search("ทดสอบ 12")
        model.search("ทดสอบ 129")
        qtbot.waitUntil(lambda: not model.busy, timeout=3000)
        assert [model.row(i)["name"] for i in range(model.rowCount())] == ["โรงงานทดสอบ 129"]
    finally:
        model.shutdown()


def test_signature_pad_makes_a_cropped_transparent_png(qtbot):
    pad = SignaturePad()
    qtbot.addWidget(pad)
    pad.resize(600, 240)
    assert pad.is_empty() and pad.png() == b""
    pad.add_stroke([(100, 100, 0.2), (150, 80, 0.5), (220, 120, 1.0), (300, 90, 0.6)])
    image = Image.open(io.BytesIO(pad.png()))
    assert image.format == "PNG" and image.mode == "RGBA"
    # Cropped to the ink (plus margin), at twice the screen size: far smaller than the pad.
    assert image.width < 2 * 600 * 0.5 and image.height < 2 * 240 * 0.5
    alpha = image.getchannel("A")
    assert alpha.getpixel((0, 0)) == 0                       # transparent background
    assert max(alpha.tobytes()) == 255                       # opaque ink
    # Pressure changes the width: a hard stroke leaves more ink than a light one.
    light, hard = SignaturePad(), SignaturePad()
    light.add_stroke([(10, 50, 0.05), (300, 50, 0.05)])
    hard.add_stroke([(10, 50, 1.0), (300, 50, 1.0)])
    ink = [sum(1 for a in Image.open(io.BytesIO(p.png())).getchannel("A").tobytes() if a > 128)
           for p in (light, hard)]
    assert ink[1] > 1.5 * ink[0]
    # Undo and redo of strokes, then clear.
    pad.undo_stroke()
    assert pad.is_empty()
    pad.redo_stroke()
    assert not pad.is_empty()
    pad.clear()
    assert pad.is_empty()
    # A tap, or a dot, is no signature.
    pad.add_stroke([(100, 100, 0.5)])
    assert pad.is_empty()
    pad.add_stroke([(100, 100, 0.5), (103, 102, 0.5)])
    assert pad.is_empty()
    pad.add_stroke([(100, 100, 0.5), (160, 110, 0.5)])
    assert not pad.is_empty()


def test_settings_round_trip(tmp_path):
    path = tmp_path / "settings.ini"
    settings = Settings(path)
    assert settings.get("ui/language") == "th"          # Thai by default
    settings.set("inspector/name", "นางสาวสุดา ตรวจการ")
    settings.set("office/name", "สำนักงานอุตสาหกรรมจังหวัดนครปฐม")
    settings.set("ui/language", "en")
    settings.set("sync/server", "https://office.example:8765")
    settings.sync()
    again = Settings(path)
    assert again.get("inspector/name") == "นางสาวสุดา ตรวจการ"
    assert again.get("office/name") == "สำนักงานอุตสาหกรรมจังหวัดนครปฐม"
    assert again.get("ui/language") == "en"
    assert again.get("sync/server") == "https://office.example:8765"
    assert again.version == SETTINGS_VERSION
    with pytest.raises(ValueError):
        again.set("ui/language", "fr")
    with pytest.raises(TypeError):
        again.set("inspector/name", 42)
    with pytest.raises(KeyError):
        again.get("no/such/key")


def test_settings_keep_bytes_as_a_byte_array_not_a_pickle(tmp_path):
    # Version 1 stored the window geometry as pickled Python bytes; reading any key of such
    # a file imported pickle at every start. Version 2 rewrites it as Qt's @ByteArray.
    from PySide6.QtCore import QSettings
    path = tmp_path / "settings.ini"
    old = QSettings(str(path), QSettings.Format.IniFormat)
    old.setValue("meta/version", 1)
    old.setValue("ui/window_geometry", b"\x01\x02geometry")
    old.sync()
    del old
    assert "PyObjectWrapper" in path.read_text(encoding="latin-1")
    settings = Settings(path)
    assert settings.get("ui/window_geometry") == b"\x01\x02geometry"
    settings.set("ui/window_geometry", b"\x03new")
    settings.sync()
    text = path.read_text(encoding="latin-1")
    assert "PyObjectWrapper" not in text and "@ByteArray" in text
    assert Settings(path).get("ui/window_geometry") == b"\x03new"
    assert Settings(path).version == SETTINGS_VERSION


def test_thai_date_field_shows_and_reads_buddhist_era(qtbot):
    field = ThaiDateEdit()
    qtbot.addWidget(field)
    field.set_value("2023-12-21")
    assert field.edit.text() == "21 ธันวาคม 2566"
    with qtbot.waitSignal(field.dateChanged) as blocker:
        field.edit.setText("5/1/2567")
        field.edit.editingFinished.emit()
    assert blocker.args == ["2024-01-05"]
    field.edit.setText("ไม่ใช่วันที่")
    field.edit.editingFinished.emit()
    assert field.value() == "2024-01-05"                 # bad input loses nothing
    assert field.edit.text() == "ไม่ใช่วันที่"             # and stays for correction
    field.edit.setText("1/1/9999")                      # a slip of the keyboard
    field.edit.editingFinished.emit()
    assert field.value() == "2024-01-05" and field.edit.toolTip()
    field.edit.setText("5/1/2567")
    field.edit.editingFinished.emit()
    assert field.edit.toolTip() == ""                   # the warning goes with the slip
    field.set_value("2024-02-29")
    field.show_popup()
    assert field.popup.header.text() == "กุมภาพันธ์ 2567"
    field.popup.hide()


def _tablet(pad, kind, x, y, pressure):
    from PySide6.QtCore import QPointF, Qt
    from PySide6.QtGui import QPointingDevice, QTabletEvent
    from PySide6.QtWidgets import QApplication
    event = QTabletEvent(kind, QPointingDevice.primaryPointingDevice(), QPointF(x, y),
                         QPointF(x, y), pressure, 0.0, 0.0, 0.0, 0.0, 0.0,
                         Qt.KeyboardModifier.NoModifier, Qt.MouseButton.LeftButton,
                         Qt.MouseButton.LeftButton)
    QApplication.sendEvent(pad, event)


def test_pen_strokes_through_tablet_events(qtbot):
    """A pen stroke arrives as tablet events; its pressure reaches the stored stroke."""
    from PySide6.QtCore import QEvent, QPoint, Qt
    pad = SignaturePad()
    qtbot.addWidget(pad)
    pad.resize(500, 200)
    _tablet(pad, QEvent.Type.TabletPress, 20, 100, 0.9)
    for x in range(30, 300, 10):
        _tablet(pad, QEvent.Type.TabletMove, x, 100 + (x % 40) - 20, 0.9)
    _tablet(pad, QEvent.Type.TabletRelease, 300, 100, 0.0)
    assert not pad.is_empty()
    assert len(pad._strokes) == 1 and len(pad._strokes[0]) > 20
    assert min(p for _pos, p in pad._strokes[0]) == pytest.approx(0.9, abs=0.01)
    # Mouse input works too and gives a second, separate stroke.
    qtbot.mousePress(pad, Qt.MouseButton.LeftButton, pos=QPoint(50, 50))
    qtbot.mouseMove(pad, QPoint(120, 60))
    qtbot.mouseRelease(pad, Qt.MouseButton.LeftButton, pos=QPoint(120, 60))
    assert len(pad._strokes) == 2


def test_a_store_message_in_one_language_whatever_brackets_its_thai_holds():
    from fieldapp.gui.labels import one_language
    message = ("ข้อ 2.12 ค่าบีโอดี (BOD) ของน้ำทิ้ง: ต้องระบุหมายเหตุ (item 2.12 BOD (of the "
               "effluent): a note is needed (or mark it not checked))")
    assert one_language(message, "th") == "ข้อ 2.12 ค่าบีโอดี (BOD) ของน้ำทิ้ง: ต้องระบุหมายเหตุ"
    assert one_language(message, "en") == ("item 2.12 BOD (of the effluent): a note is needed "
                                           "(or mark it not checked)")
    said = "บันทึกนี้อนุมัติแล้ว (this record is approved) — ask the office to reopen it"
    assert one_language(said, "en") == "this record is approved — ask the office to reopen it"
    assert one_language(said, "th") == "บันทึกนี้อนุมัติแล้ว"
    assert one_language("no brackets", "en") == "no brackets"
