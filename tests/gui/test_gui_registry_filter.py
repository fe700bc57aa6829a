"""The main window shows real registry rows whose status (FFLAG) is empty.

DIW's own sample file leaves FFLAG empty in every row; the window must still list them all by
default, call their status "not given", and let the inspector filter on exactly those.
"""

from __future__ import annotations

import os

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtWidgets import QApplication, QComboBox, QLabel  # noqa: E402

from fieldapp.gui.app import install_font  # noqa: E402
from fieldapp.gui.i18n import install_language  # noqa: E402
from fieldapp.gui.main.main_window import MainWindow  # noqa: E402
from fieldapp.gui.settings import Settings  # noqa: E402
from fieldapp.store.changes import save_row  # noqa: E402
from fieldapp.store.db import open_store  # noqa: E402
from fieldapp.store.factories import factory_id  # noqa: E402
from fieldapp.store.registry_import import import_factories  # noqa: E402

SHOTS = os.environ.get("FIELDAPP_SCREENSHOTS")


@pytest.fixture
def real_registry(tmp_path, shared_data):
    """A database holding the 49 real rows (FFLAG empty) and one operating factory."""
    db = tmp_path / "fieldapp.db"
    store = open_store(db)
    report = import_factories(store, shared_data / "diw_factory_data_sample.csv")
    assert report.imported == 49
    fid = "10180000125417"
    save_row(store, "factories", {"id": factory_id(fid), "fid": fid, "status": 1,
                                  "name": "บริษัท ไทย ยามาซากิ จำกัด", "province": "นครปฐม",
                                  "province_code": "73"})
    yield db, store
    store.close()


@pytest.fixture
def window(real_registry, tmp_path, qtbot):
    db, store = real_registry
    app = QApplication.instance()
    install_font(app)
    assert install_language(app, "th")
    main = MainWindow(store, Settings(tmp_path / "settings.ini"), db)
    main.window.resize(1200, 800)
    qtbot.addWidget(main.window)
    main.show()
    yield main
    main.model.shutdown()
    install_language(app, "en")


def wait_count(qtbot, main, total):
    count = main.window.findChild(QLabel, "resultCount")
    qtbot.waitUntil(lambda: not main.model.busy and main.model.total == total, timeout=3000)
    return count.text()


def test_real_rows_without_status_are_shown_by_default(window, qtbot):
    main = window
    text = wait_count(qtbot, main, 50)
    assert text == "พบ 50 โรงงาน"
    statuses = {main.model.data(main.model.index(r, 4)) for r in range(main.model.rowCount())}
    assert statuses == {"ไม่ระบุสถานะ", "ประกอบกิจการ"}
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        main.window.grab().save(os.path.join(SHOTS, "registry-filter-th.png"))


def test_status_not_given_can_be_filtered_on(window, qtbot):
    main = window
    wait_count(qtbot, main, 50)
    status = main.window.findChild(QComboBox, "statusFilter")
    labels = [status.itemText(i) for i in range(status.count())]
    assert "ไม่ระบุสถานะ" in labels
    status.setCurrentIndex(labels.index("ไม่ระบุสถานะ"))
    assert wait_count(qtbot, main, 49) == "พบ 49 โรงงาน"
    assert all(main.model.row(r)["status"] is None for r in range(main.model.rowCount()))
    status.setCurrentIndex(labels.index("ประกอบกิจการ"))
    assert wait_count(qtbot, main, 1) == "พบ 1 โรงงาน"
    assert main.model.row(0)["fid"] == "10180000125417"
