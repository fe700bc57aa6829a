"""The translation layer: English source strings in code and .ui files, Thai by default.

``resources/translations/fieldapp_th.ts`` holds the Thai text (edit it with Qt Linguist);
``fieldapp_th.qm`` is built from it by pyside6-lrelease and committed, and a test checks that
it is fresh and that no source string lacks a translation. English needs no file: the source
strings are English.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

from fieldapp.gui.resources import TRANSLATIONS_DIR

TS_FILE = TRANSLATIONS_DIR / "fieldapp_th.ts"
QM_FILE = TRANSLATIONS_DIR / "fieldapp_th.qm"

_installed: list[QTranslator] = []


def install_language(app: QCoreApplication, language: str) -> bool:
    """Switch the app's translation to ``language`` ('th' or 'en'). True when installed."""
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    if language == "en":
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
        return True
    QLocale.setDefault(QLocale(QLocale.Language.Thai, QLocale.Country.Thailand))
    translator = QTranslator(app)
    if not translator.load(str(QM_FILE)):
        return False
    app.installTranslator(translator)
    _installed.append(translator)
    # Qt's own dialogs (file chooser, message box buttons) in Thai where Qt ships them.
    qt_translator = QTranslator(app)
    from PySide6.QtCore import QLibraryInfo
    if qt_translator.load(QLocale(QLocale.Language.Thai), "qtbase", "_",
                          QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt_translator)
        _installed.append(qt_translator)
    return True


def tool(name: str) -> str:
    """Path of a PySide6 command-line tool (pyside6-lupdate, pyside6-lrelease)."""
    import shutil
    import sys
    found = shutil.which(name) or str(Path(sys.executable).with_name(name))
    return found


def build_qm(ts: Path = TS_FILE, qm: Path = QM_FILE) -> None:
    """Compile the .ts translation source into the .qm the app loads."""
    import subprocess
    subprocess.run([tool("pyside6-lrelease"), "-silent", str(ts), "-qm", str(qm)],
                   check=True)


def ui_language() -> str:
    """The language ``install_language`` set last: "th" or "en" (for messages written
    "Thai (English)", shown in one language with labels.one_language)."""
    return "th" if QLocale().language() == QLocale.Language.Thai else "en"


def tr(text: str) -> str:
    """Translate a source string of the code (pyside6-lupdate files bare ``tr("…")`` calls
    under the empty context, so that is the context looked up here)."""
    return QCoreApplication.translate("", text)
