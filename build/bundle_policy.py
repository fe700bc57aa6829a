"""What goes into the frozen app, and what must stay out: the rules behind build/fieldapp.spec.

Kept apart from the spec (which PyInstaller executes) so that tests/test_packaging.py can
check the rules without building. The spec collects with PyInstaller's hooks and then keeps
only what these functions accept; a new dependency therefore shows up here as a conscious
decision, not as 60 MB that slipped in.

Paths are the destination names inside the bundle (``dest`` of PyInstaller's TOC entries),
always with forward slashes.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Qt modules the app imports (fieldapp/gui). Everything else is excluded by name below; the
# shared libraries of excluded modules are also dropped if a hook drags them in.
USED_QT_MODULES = ("QtCore", "QtGui", "QtWidgets", "QtPrintSupport", "QtPdf", "QtUiTools")
EXCLUDED_QT_MODULES = (
    "Qt3DAnimation", "Qt3DCore", "Qt3DExtras", "Qt3DInput", "Qt3DLogic", "Qt3DRender",
    "QtAxContainer", "QtBluetooth", "QtCharts", "QtConcurrent", "QtDataVisualization",
    "QtDesigner", "QtGraphs", "QtGraphsWidgets", "QtHelp", "QtHttpServer", "QtLocation",
    "QtMultimedia", "QtMultimediaWidgets", "QtNetworkAuth", "QtNfc", "QtOpenGL",
    "QtOpenGLWidgets", "QtPdfWidgets", "QtPositioning", "QtQml", "QtQuick", "QtQuick3D",
    "QtQuickControls2", "QtQuickTest", "QtQuickWidgets", "QtRemoteObjects", "QtScxml",
    "QtSensors", "QtSerialBus", "QtSerialPort", "QtSpatialAudio", "QtSql", "QtStateMachine",
    "QtSvgWidgets", "QtTest", "QtTextToSpeech", "QtWebChannel", "QtWebEngineCore",
    "QtWebEngineQuick", "QtWebEngineWidgets", "QtWebSockets", "QtWebView",
)
# Qt shared libraries that are never needed, by name fragment (libQt6<fragment>*.so*,
# Qt6<fragment>*.dll, <fragment>.framework).
EXCLUDED_QT_LIBRARIES = (
    "WebEngine", "3D", "Quick", "Qml", "Multimedia", "Charts", "DataVisualization",
    "Designer", "Graphs", "Location", "Positioning", "Bluetooth", "Nfc", "Sensors",
    "SerialBus", "SerialPort", "RemoteObjects", "Scxml", "StateMachine", "TextToSpeech",
    "SpatialAudio", "HttpServer", "WebSockets", "WebChannel", "WebView", "Sql", "Test",
    "Help", "ShaderTools", "VirtualKeyboard", "Lottie", "PdfQuick", "PdfWidgets",
)

# Python packages the inspector's app never imports: test and build tools, the office
# server's stack (it runs from a Python install, docs/server.md), GUI toolkits we do not use.
EXCLUDED_PYTHON = (
    "tkinter", "_tkinter", "turtle", "pydoc_data", "lib2to3", "idlelib", "ensurepip",
    "pytest", "_pytest", "pytestqt", "hypothesis", "ruff", "importlinter", "grimp",
    "PyInstaller", "zxingcpp", "IPython", "numpy", "pandas", "matplotlib", "scipy", "torch",
    "onnxruntime", "tensorflow", "fieldapp.server", "uvicorn", "httptools", "psycopg", "psycopg_binary",
    "psycopg_pool", "psycopg2", "rich", "pygments", "markdown_it",
)

# Qt plugins kept, by folder: the rest of each folder is dropped. Platforms: xcb and wayland
# for Linux desktops, offscreen/minimal for CI and the self-test, windows/cocoa elsewhere.
QT_PLUGINS_KEPT = {
    "platforms": ("*qxcb*", "*qwayland*", "*qoffscreen*", "*qminimal.*", "*qminimal.so",
                  "*qwindows*", "*qcocoa*"),
    "imageformats": ("*qjpeg*", "*qgif*", "*qico*", "*qsvg*", "*qtiff*", "*qwebp*"),
    "printsupport": ("*",),
    "iconengines": ("*",),
    # ibus and compose: Thai input methods on Linux (not the QML virtual keyboard)
    "platforminputcontexts": ("*ibus*", "*compose*"),
    "platformthemes": ("*xdgdesktopportal*",),  # native file dialogs without bundling GTK
    "xcbglintegrations": ("*",),
    "wayland-decoration-client": ("*",),
    "wayland-shell-integration": ("*",),
    "wayland-graphics-integration-client": ("*",),
    "generic": ("*",),
    "styles": ("*",),
    "tls": (),
    "networkinformation": (),
    "egldeviceintegrations": (),
}

# PyThaiNLP data actually read at run time: newmm's default word list (thai_words), the
# stop words that pythainlp.corpus reads on import, and the TTC word frequencies that tell a
# rare word next to an unknown name (fieldapp/forms/thai_text.py, 430 kB). Checked by tracing
# file opens while segmenting (tests/test_packaging.py does it again), never the 60 MB of
# models.
PYTHAINLP_DATA = ("words_th.txt", "stopwords_th.txt", "ttc_freq.txt")

# Sarabun weights in use: Regular/Bold/Italic on the printed form (fieldapp/forms/fonts.py)
# and in the window (fieldapp/gui/resources.py: sarabun_files).
SARABUN_WEIGHTS = ("Regular", "Bold", "Italic")


def _matches(name: str, patterns) -> bool:
    return any(fnmatch.fnmatch(name, p) for p in patterns)


def keep_qt_plugin(dest: str) -> bool:
    """Whether a file under ``.../Qt/plugins/<folder>/`` (or ``plugins/``) stays."""
    parts = dest.split("/")
    if "plugins" not in parts:
        return True
    i = parts.index("plugins")
    if len(parts) < i + 3:
        return True
    folder, name = parts[i + 1], parts[-1]
    allowed = QT_PLUGINS_KEPT.get(folder)
    if allowed is None:
        return False  # a plugin family we did not decide to ship
    return _matches(name, allowed)


def keep_qt_library(dest: str) -> bool:
    """Drop Qt libraries of modules the app does not use (libQt6X.so, Qt6X.dll,
    QtX.framework on macOS)."""
    frameworks = [p for p in dest.split("/") if p.endswith(".framework")]
    if frameworks:
        core = frameworks[0].removesuffix(".framework").removeprefix("Qt")
    else:
        name = dest.split("/")[-1]
        if not name.startswith(("libQt6", "Qt6")):
            return True
        core = name.removeprefix("lib").removeprefix("Qt6")
    return not any(core.startswith(fragment) for fragment in EXCLUDED_QT_LIBRARIES)


def keep_data(dest: str) -> bool:
    """Whether a collected data file stays in the bundle."""
    dest = dest.replace("\\", "/")
    if dest.startswith("pythainlp/"):
        # Only the word lists in use; every other PyThaiNLP file is a model or corpus for a
        # feature we do not call (deepcut.onnx, wordnet_th.db, wikipedia titles ...).
        return dest.rsplit("/", 1)[-1] in PYTHAINLP_DATA
    if "/Qt/translations/" in dest or dest.startswith("PySide6/Qt/translations/"):
        return False  # Qt ships no Thai; English needs no translation file
    if "/Qt/qml/" in dest or "/Qt/resources/" in dest:
        return False  # QML modules and WebEngine resources
    if "/Qt/plugins/" in dest:
        return keep_qt_plugin(dest)
    return True


def keep_binary(dest: str) -> bool:
    """Whether a collected shared library or plugin stays in the bundle."""
    dest = dest.replace("\\", "/")
    if "/plugins/" in dest:
        return keep_qt_plugin(dest) and keep_qt_library(dest)
    return keep_qt_library(dest)


def keep(dest: str) -> bool:
    """Both rules at once: TOC lists mix data, binaries and symlinks to either."""
    return keep_data(dest) and keep_binary(dest)


_SHARED_LIBRARY = re.compile(r"^lib.*\.so(\.[0-9]+)*$")


def is_root_binary(dest: str) -> bool:
    """Binaries loaded on their own (not only as another library's dependency): Python
    extension modules, Qt plugins, libpython for the bootloader, PDFium (opened by ctypes)."""
    dest = dest.replace("\\", "/")
    name = dest.rsplit("/", 1)[-1]
    return (not _SHARED_LIBRARY.match(name) or "/plugins/" in dest
            or name.startswith("libpython") or dest.startswith("pypdfium2_raw/"))


def prune_unreferenced(binaries: Iterable[tuple], datas: Iterable[tuple],
                       imports_of: Callable[[str], Iterable[str]]
                       ) -> tuple[list[tuple], list[tuple]]:
    """Drop shared libraries that nothing kept still needs, and symlinks to them (Linux).

    PyInstaller analyses dependencies before the spec filters plugins, so a dropped plugin
    (the GTK theme, the QML keyboard) leaves its libraries behind. ``imports_of(src)`` gives
    the library names a binary needs; what stays is the closure of the root binaries
    (``is_root_binary``). Returns the new (binaries, datas).
    """
    binaries, datas = list(binaries), list(datas)
    by_name = {e[0].replace("\\", "/").rsplit("/", 1)[-1]: e for e in binaries}
    needed: set[str] = set()
    todo = [e for e in binaries if is_root_binary(e[0])]
    seen: set[str] = set()
    while todo:
        entry = todo.pop()
        if entry[0] in seen:
            continue
        seen.add(entry[0])
        for name in imports_of(entry[1]):
            needed.add(name)
            if name in by_name:
                todo.append(by_name[name])
    kept = [e for e in binaries
            if is_root_binary(e[0]) or e[0].replace("\\", "/").rsplit("/", 1)[-1] in needed]
    dropped = {e[0] for e in binaries} - {e[0] for e in kept}

    def dangling(entry: tuple) -> bool:
        if entry[2] != "SYMLINK":
            return False
        target = str(Path(entry[0]).parent / entry[1]).replace("\\", "/")
        return target in dropped

    return kept, [e for e in datas if not dangling(e)]


def app_datas(root: Path = ROOT) -> list[tuple[str, str]]:
    """FieldApp's own files: templates, compiled translations, icons, Designer layouts.

    Destinations mirror the checkout (``resources/...``, ``ui/``) so that
    fieldapp.core.resources and fieldapp.gui.resources find them under ``sys._MEIPASS``.
    """
    datas = [(str(root / "resources" / "templates" / "*.json"), "resources/templates"),
             (str(root / "resources" / "icons" / "*"), "resources/icons"),
             (str(root / "ui" / "*.ui"), "ui")]
    if any((root / "resources" / "translations").glob("*.qm")):
        datas.append((str(root / "resources" / "translations" / "*.qm"),
                      "resources/translations"))
    return datas


def sarabun_datas() -> list[tuple[str, str]]:
    """The Sarabun weights in use, at the place fontpkg_sarabun looks for them."""
    import fontpkg_sarabun

    folder = Path(fontpkg_sarabun.ROOT) / "files"
    out = [(str(folder / f"Sarabun-{w}.ttf"), "fontpkg_sarabun/files") for w in SARABUN_WEIGHTS]
    out.append((str(Path(fontpkg_sarabun.ROOT) / "LICENSE"), "fontpkg_sarabun"))
    return out


def pythainlp_datas() -> list[tuple[str, str]]:
    """The PyThaiNLP word lists in use (see PYTHAINLP_DATA)."""
    import pythainlp

    corpus = Path(pythainlp.__file__).resolve().parent / "corpus"
    return [(str(corpus / name), "pythainlp/corpus") for name in PYTHAINLP_DATA]
