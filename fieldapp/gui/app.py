"""Starting the window: Qt application, Sarabun font, language, database, first run.

``run_app(args)`` is what ``fieldapp`` (no subcommand) calls. On first start with an empty
database it installs the shipped checklist templates and loads demo data on a worker thread
(the full first-run wizard is issue 6).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QApplication

from fieldapp.gui.i18n import install_language
from fieldapp.gui.resources import sarabun_files
from fieldapp.gui.settings import Settings

log = logging.getLogger(__name__)
FONT_POINT_SIZE = 11


def make_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication (or the existing one, under tests) with font and high-DPI set up."""
    app = QApplication.instance()
    if app is None:
        # Fractional scale factors (125 %, 150 %) render sharp rather than rounded blurry.
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setOrganizationName("FieldApp")
    app.setApplicationName("FieldApp")
    install_font(app)
    return app


def install_font(app: QApplication) -> str | None:
    """Register Sarabun from fontpkg-sarabun and make it the application font."""
    family = None
    for path in sarabun_files():
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id >= 0 and family is None:
            family = QFontDatabase.applicationFontFamilies(font_id)[0]
    if family:
        app.setFont(QFont(family, FONT_POINT_SIZE))
    else:
        log.warning("Sarabun font not found; Thai text uses the system font")
    return family


def prepare_job(ctx, db_path, demo_factories: int) -> bool:
    """Worker-thread job at every start: publish the shipped checklist templates this
    database lacks, and on first run (empty registry) load demo factories and inspections.
    Returns True when the registry was empty (the window then refreshes everything)."""
    from fieldapp.store.db import open_store
    from fieldapp.store.search import count_factories
    from fieldapp.store.templates import install_bundled_templates
    with open_store(db_path) as store:
        install_bundled_templates(store)
        if count_factories(store, "") > 0:
            return False
        try:
            from fieldapp.store.demo import load_demo
        except ImportError:
            log.warning("demo data module not available; starting with an empty registry")
            return False
        ids = load_demo(store, factories=demo_factories,
                        progress=lambda done, total: ctx.progress(done, total, ""))
        try:
            from fieldapp.store.demo_inspections import add_demo_inspections
        except ImportError:
            return True
        add_demo_inspections(store, ids)   # a handful in every state, to look at
    return True


def warm_up_imports(ctx) -> None:
    """Worker-thread job: import what opening an inspection needs, while the inspector is
    still reading the search results (module imports are thread-safe)."""
    import fieldapp.gui.inspection_editor  # noqa: F401
    import fieldapp.gui.new_inspection  # noqa: F401
    import fieldapp.store.signing  # noqa: F401


def choose_database(args: argparse.Namespace, settings: Settings):
    """``--db``, else ``FIELDAPP_DB``, else the data folder chosen in Settings, else the
    platform's data folder (fieldapp.store.paths)."""
    from pathlib import Path

    from fieldapp.store.paths import database_path
    if getattr(args, "db", None) or os.environ.get("FIELDAPP_DB"):
        return database_path(getattr(args, "db", None))
    folder = settings.get("data/folder")
    if folder:
        return Path(folder).expanduser() / "fieldapp.db"
    return database_path(None)


def run_app(args: argparse.Namespace) -> int:
    from fieldapp.gui import workers
    from fieldapp.gui.main_window import MainWindow
    from fieldapp.store.db import open_store
    app = make_application()
    settings = Settings(os.environ.get("FIELDAPP_SETTINGS") or None)
    if not install_language(app, settings.get("ui/language")):
        log.warning("Thai translation file missing; the UI shows English")
    db_path = choose_database(args, settings)
    store = open_store(db_path)
    window = MainWindow(store, settings, db_path)
    window.show()
    if os.environ.get("FIELDAPP_EXIT_AFTER_SHOW"):
        # Start-up benchmark (tests/bench/bench_startup.py): quit once the first window is up.
        from PySide6.QtCore import QTimer
        QTimer.singleShot(0, app.quit)
    else:
        workers.start(workers.Task(warm_up_imports))
        # Templates and first-run demo data are prepared off the UI thread: the window is
        # usable at once and refreshes when the data is there.
        task = workers.Task(prepare_job, db_path,
                            int(os.environ.get("FIELDAPP_DEMO_FACTORIES", "2000")))
        task.signals.progress.connect(lambda done, total, _m: window.result_count.setText(
            QCoreApplication.translate("MainWindow", "Loading demo data…")
            + f" {done:,}/{total:,}"))
        task.signals.finished.connect(lambda loaded: loaded and window.data_arrived())
        task.signals.failed.connect(window.show_error)
        workers.start(task)
    code = app.exec()
    store.close()
    return code
