"""Screenshots of the print, first-run, login, demo and scan screens, to look at by eye.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/gui_screens.py DIR [th|en]

Builds a demo database in a temporary folder, opens the real window on it and saves PNGs:
first-run, main-demo, login (with an unreachable-server message), settings, scans (a scan
attached to a finalized record), preview and preview-zoom (the record's PDF), blank-preview.
Not a test: it asserts nothing; tests/gui/test_gui_translations.py checks the words.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PIL import Image, ImageDraw  # noqa: E402
from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402

from fieldapp.gui.app import make_application  # noqa: E402
from fieldapp.gui.i18n import install_language  # noqa: E402
from fieldapp.gui.main.session import Session  # noqa: E402
from fieldapp.gui.settings import Settings  # noqa: E402
from fieldapp.gui.setup.first_run import FirstRunDialog  # noqa: E402
from fieldapp.gui.setup.settings_dialog import SettingsDialog  # noqa: E402
from fieldapp.gui.sync.login_dialog import LoginDialog  # noqa: E402
from fieldapp.store.db import open_store  # noqa: E402
from fieldapp.store.demo_removal import load_marked_demo  # noqa: E402
from fieldapp.store.inspections import list_inspections  # noqa: E402
from fieldapp.store.templates import install_bundled_templates, latest_published  # noqa: E402


def settle(ms: int = 300) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def wait(condition, timeout: float = 60) -> None:
    start = time.monotonic()
    while not condition() and time.monotonic() - start < timeout:
        settle(100)


def main() -> None:
    out = Path(sys.argv[1])
    language = sys.argv[2] if len(sys.argv) > 2 else "th"
    out.mkdir(parents=True, exist_ok=True)
    app = make_application()
    install_language(app, language)

    def save(widget, name: str) -> None:
        settle()
        widget.grab().save(str(out / f"{name}-{language}.png"))

    tmp = Path(tempfile.mkdtemp(prefix="fieldapp-screens-"))
    db = tmp / "fieldapp.db"
    with open_store(db) as store:
        install_bundled_templates(store)
        load_marked_demo(store, factories=200)
    settings = Settings(tmp / "settings.ini")
    settings.set("ui/language", language)
    settings.set("office/name", "สำนักงานอุตสาหกรรมจังหวัดนครปฐม")

    first = FirstRunDialog(settings, tmp, offer_demo=True)
    first.dialog.show()
    save(first.dialog, "first-run")
    first.dialog.close()

    session = Session(settings, db, auto_sync=False)
    window = session.open()
    window.window.resize(1280, 800)
    settle(800)
    save(window.window, "main-demo")

    login = LoginDialog(session.store, settings, window.window)
    login.server.setText("https://fieldapp.office.local:8765")
    login.user.setText("somchai")
    login._failed("ไม่สามารถเชื่อมต่อเซิร์ฟเวอร์ได้ (server unreachable) (ConnectError)")
    login.dialog.show()
    save(login.dialog, "login")
    login.dialog.close()

    dialog = SettingsDialog(settings, window.window)
    dialog.dialog.show()
    save(dialog.dialog, "settings")
    dialog.dialog.close()

    finalized = list_inspections(session.store, state="finalized")[0]["id"]
    window.open_inspection(finalized)
    window.editor.checklist.ensure_built()
    paper = tmp / "signed-paper.jpg"
    image = Image.new("RGB", (600, 840), (250, 250, 245))
    draw = ImageDraw.Draw(image)
    for y in range(80, 800, 40):
        draw.line((60, y, 540, y), fill=(120, 120, 120), width=2)
    image.save(paper)
    window.editor.scans.add_files([paper])
    window.editor.tabs.setCurrentWidget(window.editor.scans)
    save(window.window, "scans")

    printing = window.editor.print_export
    printing.print_form()
    wait(lambda: printing.preview is not None and bool(printing.preview.images))
    printing.preview.dialog.resize(1000, 900)
    save(printing.preview.dialog, "preview")
    printing.preview.step_zoom(+1)
    printing.preview.step_zoom(+1)
    printing.preview.scroll.verticalScrollBar().setValue(900)
    save(printing.preview.dialog, "preview-zoom")
    printing.preview.dialog.close()

    window.print_blank_form(latest_published(session.store, "env-general").version_id)
    blank = window.blank_form
    wait(lambda: blank.preview is not None and bool(blank.preview.images))
    blank.preview.dialog.resize(1000, 900)
    save(blank.preview.dialog, "blank-preview")
    session.shutdown()
    print(f"screenshots in {out}")


if __name__ == "__main__":
    main()
