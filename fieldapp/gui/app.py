"""Starting the window: Qt application, Sarabun font, language, database, first run.

``run_app(args)`` is what ``fieldapp`` (no subcommand) calls. At every start it installs
the shipped checklist templates on a worker thread, and demo data
when the first-run dialog (first_run.py) or ``FIELDAPP_DEMO=1`` asked for it.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QApplication

from fieldapp.gui import workers
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


# The warm-up starts this long after the window is shown: after its first paint and the
# first search results, which it would otherwise compete with for the interpreter.
WARM_UP_DELAY_MS = 300
WARM_UP_WAIT_S = 5.0   # at quit, at most this long for a warm-up still running (~1.3 s)


def warm_up_imports(ctx) -> None:
    """Worker-thread job: import what opening an inspection needs, while the inspector is
    still reading the search results (module imports are thread-safe), then load and
    exercise the printed form's renderer (ReportLab, fonts, the Thai word list, HarfBuzz,
    PDFium: ~1 s), so that the first Print of the session takes no longer than the next
    (fieldapp/forms/warm.py, issue 16)."""
    import fieldapp.gui.inspection.inspection_editor  # noqa: F401
    import fieldapp.gui.inspection.new_inspection  # noqa: F401
    import fieldapp.store.signing  # noqa: F401
    from fieldapp.gui.printing.print_export import forms_available
    ctx.check()   # the database is being replaced: the renderer can wait for the next start
    if forms_available():
        from fieldapp.forms.warm import warm_renderer
        seconds = warm_renderer()
        log.debug("printed-form renderer warmed in %.2f s", seconds)


def start_warm_up(delay_ms: int = WARM_UP_DELAY_MS) -> workers.Task:
    """Run ``warm_up_imports`` on a worker, ``delay_ms`` after now (the window is shown)."""
    from PySide6.QtCore import QTimer
    task = workers.Task(warm_up_imports)
    # A reader: it writes nothing, so replacing the database cancels it, not waits for it.
    QTimer.singleShot(delay_ms, lambda: workers.start(task, reader=True))
    return task


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
    from fieldapp.gui.main.session import Session, start_preparation
    from fieldapp.gui.settings import settings_file
    from fieldapp.gui.setup.first_run_choice import first_run_choice
    app = make_application()
    settings = Settings(settings_file())
    if not install_language(app, settings.get("ui/language")):
        log.warning("Thai translation file missing; the UI shows English")
    db_path = choose_database(args, settings)
    db_path.parent.mkdir(parents=True, exist_ok=True)    # first start: the data folder
    choice = first_run_choice(settings)
    demo = choice.demo
    if choice.ask:
        demo = ask_first_run(settings, db_path)
    session = Session(settings, db_path,
                      auto_sync=not os.environ.get("FIELDAPP_EXIT_AFTER_SHOW"))
    window = session.open()
    warm_up = None
    if os.environ.get("FIELDAPP_EXIT_AFTER_SHOW"):
        # Start-up benchmarks (tests/bench/bench_gui.py, bench_startup.py): once the window
        # is up and the event loop turns (it now answers input), print the wall-clock time
        # and quit.
        from PySide6.QtCore import QTimer

        def interactive() -> None:
            import time
            print(f"interactive-at {time.time():.6f}", flush=True)
            app.quit()
        QTimer.singleShot(0, interactive)
    else:
        warm_up = start_warm_up()
        # Templates and first-run demo data are prepared off the UI thread: the window is
        # usable at once and refreshes when the data is there.
        start_preparation(db_path, window, demo=demo,
                          demo_factories=int(os.environ.get("FIELDAPP_DEMO_FACTORIES",
                                                            "2000")))
    code = app.exec()
    session.shutdown()
    if warm_up is not None:
        # Quit while it still imports: the interpreter's shutdown would break its imports.
        workers.wait_if_started(warm_up, WARM_UP_WAIT_S)
    return code


def ask_first_run(settings: Settings, db_path) -> bool:
    """The first-run dialog; returns whether to load demo data."""
    from fieldapp.gui.setup.first_run import FirstRunDialog
    from fieldapp.store.db import open_store
    from fieldapp.store.demo_removal import database_is_empty
    with open_store(db_path) as store:
        empty = database_is_empty(store)
    dialog = FirstRunDialog(settings, db_path.parent, offer_demo=empty)
    return dialog.run()
