"""The frozen app's recipe, checked without building: one version, the bundle policy (what is
kept and what is dropped), the PyThaiNLP data actually read, and the post-build checks."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

import fieldapp

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "build"
sys.path.insert(0, str(BUILD))

import bundle_policy  # noqa: E402
import check_bundle  # noqa: E402
import version_info  # noqa: E402

SPEC = (BUILD / "fieldapp.spec").read_text(encoding="utf-8")


# --- version: one place ------------------------------------------------------------------------

def test_version_comes_from_the_package_everywhere():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" in pyproject["project"]["dynamic"]
    assert pyproject["tool"]["setuptools"]["dynamic"]["version"] == {
        "attr": "fieldapp.__version__"}
    assert "pyinstaller>=6.10" in pyproject["project"]["optional-dependencies"]["build"]
    assert "write_version_file(\n    fieldapp.__version__" in SPEC
    assert re.search(r"^\d+\.\d+\.\d+", fieldapp.__version__)


def _evaluate_version_file(text: str) -> dict:
    """Evaluate PyInstaller's VSVersionInfo expression with recording stand-ins (PyInstaller's
    own reader needs pefile, which only Windows builds install)."""
    def record(kind):
        return lambda *args, **kwargs: {"kind": kind, "args": args, **kwargs}
    names = ("VSVersionInfo", "FixedFileInfo", "StringFileInfo", "StringTable", "StringStruct",
             "VarFileInfo", "VarStruct")
    return eval(text, {n: record(n) for n in names})  # noqa: S307 - our own generated file


def test_windows_version_resource_matches_the_package(tmp_path):
    path = version_info.write_version_file(fieldapp.__version__, tmp_path / "v.txt")
    info = _evaluate_version_file(path.read_text(encoding="utf-8"))
    expected = version_info.version_tuple(fieldapp.__version__)
    assert info["ffi"]["filevers"] == expected
    assert info["ffi"]["prodvers"] == expected
    table = info["kids"][0]["args"][0][0]["args"][1]
    strings = {s["args"][0]: s["args"][1] for s in table}
    assert strings["ProductVersion"] == fieldapp.__version__
    assert strings["OriginalFilename"] == "fieldapp.exe"


@given(st.lists(st.integers(0, 65535), min_size=1, max_size=4))
def test_version_tuple_pads_to_four_numbers(numbers):
    text = ".".join(map(str, numbers))
    assert version_info.version_tuple(text) == tuple(numbers + [0] * (4 - len(numbers)))


def test_version_tuple_keeps_numbers_of_pre_releases_and_rejects_nonsense():
    assert version_info.version_tuple("1.2.0rc1") == (1, 2, 0, 1)
    assert version_info.version_tuple("2.0+local.7") == (2, 0, 0, 0)
    with pytest.raises(ValueError):
        version_info.version_tuple("dev")


def test_icon_files_exist_with_the_windows_sizes():
    assert 'ICON = ROOT / "resources" / "icons" / "fieldapp.ico"' in SPEC
    with Image.open(ROOT / "resources" / "icons" / "fieldapp.ico") as ico:
        assert {(16, 16), (32, 32), (48, 48), (256, 256)} <= set(ico.info["sizes"])
    with Image.open(ROOT / "resources" / "icons" / "fieldapp.png") as png:
        assert png.size == (256, 256)


# --- what goes in ----------------------------------------------------------------------------

def test_app_datas_point_at_existing_files():
    for pattern, dest in bundle_policy.app_datas(ROOT):
        matches = list(Path(pattern).parent.glob(Path(pattern).name))
        assert matches, f"{pattern} matches nothing (bundle dest {dest})"
    dests = {dest for _, dest in bundle_policy.app_datas(ROOT)}
    assert {"resources/templates", "resources/icons", "ui", "resources/translations"} <= dests


def test_sarabun_weights_cover_the_printed_form_and_exist():
    from fieldapp.forms.fonts import _FILES

    used = {name.removeprefix("Sarabun-").removesuffix(".ttf") for name in _FILES.values()}
    assert used <= set(bundle_policy.SARABUN_WEIGHTS)
    for source, dest in bundle_policy.sarabun_datas():
        assert Path(source).is_file(), source
        assert dest.startswith("fontpkg_sarabun")


def test_qt_modules_imported_by_the_gui_are_kept_and_the_rest_excluded():
    imported = set()
    for path in (ROOT / "fieldapp" / "gui").rglob("*.py"):
        imported |= set(re.findall(r"PySide6\.(Qt\w+)", path.read_text(encoding="utf-8")))
    assert imported <= set(bundle_policy.USED_QT_MODULES)
    assert not set(bundle_policy.USED_QT_MODULES) & set(bundle_policy.EXCLUDED_QT_MODULES)
    for big in ("QtWebEngineCore", "Qt3DCore", "QtQuick", "QtQml", "QtMultimedia", "QtCharts",
                "QtDataVisualization", "QtDesigner"):
        assert big in bundle_policy.EXCLUDED_QT_MODULES


def test_qt_is_installed_from_essentials_only_and_everything_used_is_in_it():
    # PySide6-Addons (WebEngine, 3D, Multimedia, ... 160 MB installed) is used by nothing.
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    names = [re.split(r"[<>=\[ ;]", d)[0].lower()
             for d in pyproject["project"]["dependencies"]
             + [d for extra in pyproject["project"]["optional-dependencies"].values()
                for d in extra]]
    assert "pyside6-essentials" in names
    assert not {"pyside6-addons", "pyside6"} & set(names)
    imported = set()
    for folder in ("fieldapp", "tests"):
        for path in (ROOT / folder).rglob("*.py"):
            imported |= set(re.findall(r"(?:from|import) PySide6\.(Qt\w+)",
                                       path.read_text(encoding="utf-8")))
    from importlib.metadata import distribution
    essentials = {Path(str(f)).name.split(".")[0]
                  for f in distribution("PySide6_Essentials").files
                  if Path(str(f)).parent == Path("PySide6")}
    assert imported and imported <= essentials, imported - essentials


@pytest.mark.parametrize("dest, kept", [
    ("pythainlp/corpus/words_th.txt", True),
    ("pythainlp/corpus/stopwords_th.txt", True),
    ("pythainlp/corpus/deepcut.onnx", False),
    ("pythainlp/corpus/wordnet_th.db", False),
    ("pythainlp/corpus/wikipedia_titles_th.txt", False),
    ("PySide6/Qt/translations/qtbase_de.qm", False),
    ("PySide6/Qt/plugins/platforms/libqxcb.so", True),
    ("PySide6/Qt/plugins/platforms/libqoffscreen.so", True),
    ("PySide6/Qt/plugins/platforms/libqwayland.so", True),
    ("PySide6/Qt/plugins/platforms/libqeglfs.so", False),
    ("PySide6/Qt/plugins/platforms/libqvnc.so", False),
    ("PySide6/Qt/plugins/platforms/qwindows.dll", True),
    ("PySide6/Qt/plugins/imageformats/libqjpeg.so", True),
    ("PySide6/Qt/plugins/imageformats/libqtiff.so", True),
    ("PySide6/Qt/plugins/imageformats/libqicns.so", False),
    ("PySide6/Qt/plugins/printsupport/libcupsprintersupport.so", True),
    ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", False),
    ("PySide6/Qt/plugins/platforminputcontexts/libibusplatforminputcontextplugin.so", True),
    ("PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so", False),
    ("PySide6/Qt/plugins/sqldrivers/libqsqlite.so", False),
    ("PySide6/Qt/lib/libQt6WebEngineCore.so.6", False),
    ("PySide6/Qt/lib/libQt6Quick.so.6", False),
    ("PySide6/Qt/lib/libQt6Qml.so.6", False),
    ("libQt6QmlModels.so.6", False),
    ("PySide6/Qt/lib/libQt6Widgets.so.6", True),
    ("PySide6/Qt/lib/libQt6PrintSupport.so.6", True),
    ("PySide6/Qt/lib/libicudata.so.73", True),
    ("PySide6/Qt6Widgets.dll", True),
    ("PySide6/Qt6Quick.dll", False),
    ("PySide6/Qt/lib/QtWebEngineCore.framework/Versions/A/QtWebEngineCore", False),
    ("PySide6/Qt/lib/QtWidgets.framework/Versions/A/QtWidgets", True),
    ("resources/templates/env-general.json", True),
    ("fontpkg_sarabun/files/Sarabun-Regular.ttf", True),
])
def test_bundle_policy_keeps_and_drops(dest, kept):
    assert bundle_policy.keep(dest) is kept


def test_pythainlp_files_read_at_run_time_are_exactly_the_bundled_ones(tmp_path):
    # Trace every file opened while the form's Thai line breaking runs, in a fresh process.
    script = textwrap.dedent("""
        import builtins, io, json, sys
        opened = []
        real_open = io.open
        def spy(file, *a, **k):
            opened.append(str(file))
            return real_open(file, *a, **k)
        builtins.open = io.open = spy
        from fieldapp.forms.thai_text import break_opportunities, segment
        segment("การตรวจโรงงานอุตสาหกรรมน้ำเสีย")
        break_opportunities("ผู้ประกอบกิจการต้องแก้ไขภายในสามสิบวัน")
        print(json.dumps(opened))
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True, cwd=ROOT)
    opened = __import__("json").loads(done.stdout.strip().splitlines()[-1])
    corpus = {Path(p).name for p in opened if "pythainlp" in Path(p).parts}
    assert "words_th.txt" in corpus
    assert corpus <= set(bundle_policy.PYTHAINLP_DATA), corpus
    for source, dest in bundle_policy.pythainlp_datas():
        assert Path(source).is_file() and dest == "pythainlp/corpus"


def test_spec_wires_the_policy_and_leaves_out_the_server():
    for needle in ("bundle_policy.keep(entry[0])", "prune_unreferenced", "app_datas",
                   "sarabun_datas", "pythainlp_datas", "EXCLUDED_QT_MODULES",
                   "rthook_fieldapp.py", 'name="fieldapp"', "version=str(VERSION_FILE)",
                   "icon=str(ICON)", 'startswith(("fieldapp.server"'):
        assert needle in SPEC, needle
    assert "fieldapp.server" in bundle_policy.EXCLUDED_PYTHON
    assert (BUILD / "hooks" / "rthook_fieldapp.py").is_file()
    assert (BUILD / "launch.py").is_file()


# --- pruning libraries left behind by dropped plugins ----------------------------------------

def test_prune_drops_libraries_only_a_dropped_plugin_needed():
    graph = {
        "/src/QtWidgets.abi3.so": ["libQt6Widgets.so.6"],
        "/src/libQt6Widgets.so.6": ["libQt6Gui.so.6"],
        "/src/libQt6Gui.so.6": [],
        "/src/libqxcb.so": ["libxcb-cursor.so.0"],
        "/src/libxcb-cursor.so.0": [],
        "/src/libgdk-3.so.0": ["libcairo.so.2"],  # left by the dropped GTK theme plugin
        "/src/libcairo.so.2": [],
        "/src/libpdfium.so": [],
    }
    binaries = [
        ("PySide6/QtWidgets.abi3.so", "/src/QtWidgets.abi3.so", "EXTENSION"),
        ("PySide6/Qt/lib/libQt6Widgets.so.6", "/src/libQt6Widgets.so.6", "BINARY"),
        ("PySide6/Qt/lib/libQt6Gui.so.6", "/src/libQt6Gui.so.6", "BINARY"),
        ("PySide6/Qt/plugins/platforms/libqxcb.so", "/src/libqxcb.so", "BINARY"),
        ("libxcb-cursor.so.0", "/src/libxcb-cursor.so.0", "BINARY"),
        ("libgdk-3.so.0", "/src/libgdk-3.so.0", "BINARY"),
        ("libcairo.so.2", "/src/libcairo.so.2", "BINARY"),
        ("pypdfium2_raw/libpdfium.so", "/src/libpdfium.so", "BINARY"),
    ]
    datas = [("libQt6Gui.so.6", "PySide6/Qt/lib/libQt6Gui.so.6", "SYMLINK"),
             ("libcairo-link.so", "libcairo.so.2", "SYMLINK"),
             ("resources/templates/a.json", "/src/a.json", "DATA")]

    kept, kept_datas = bundle_policy.prune_unreferenced(binaries, datas,
                                                        lambda src: graph[src])

    names = {dest for dest, _, _ in kept}
    assert names == {"PySide6/QtWidgets.abi3.so", "PySide6/Qt/lib/libQt6Widgets.so.6",
                     "PySide6/Qt/lib/libQt6Gui.so.6", "PySide6/Qt/plugins/platforms/libqxcb.so",
                     "libxcb-cursor.so.0", "pypdfium2_raw/libpdfium.so"}
    assert [d[0] for d in kept_datas] == ["libQt6Gui.so.6", "resources/templates/a.json"]


# --- the post-build check --------------------------------------------------------------------

def _fake_build(folder: Path) -> Path:
    internal = folder / "_internal"
    for rel in check_bundle.REQUIRED:
        (internal / rel).parent.mkdir(parents=True, exist_ok=True)
        (internal / rel).write_bytes(b"x")
    (folder / "fieldapp").write_bytes(b"\x7fELF")
    return folder


def test_check_bundle_accepts_a_complete_build(tmp_path):
    assert check_bundle.problems(_fake_build(tmp_path / "good")) == []


def test_check_bundle_reports_missing_forbidden_and_oversized(tmp_path, monkeypatch):
    folder = _fake_build(tmp_path / "bad")
    internal = folder / "_internal"
    (internal / "pythainlp" / "corpus" / "words_th.txt").unlink()
    (internal / "pythainlp" / "corpus" / "deepcut.onnx").write_bytes(b"model")
    (internal / "PySide6" / "Qt" / "lib").mkdir(parents=True)
    (internal / "PySide6" / "Qt" / "lib" / "libQt6WebEngineCore.so.6").write_bytes(b"x" * 2000)
    monkeypatch.setattr(check_bundle, "SIZE_LIMIT_MB", 0.001)

    found = check_bundle.problems(folder)

    assert "missing: pythainlp/corpus/words_th.txt" in found
    assert "must not be bundled: pythainlp/corpus/deepcut.onnx" in found
    assert any("libQt6WebEngineCore" in p for p in found)
    assert any("over the" in p for p in found)
    assert check_bundle.problems(tmp_path / "nothing") != []


def test_unresolved_libraries_names_what_a_plugin_lacks(tmp_path):
    import shutil

    platforms = tmp_path / "_internal" / "PySide6" / "Qt" / "plugins" / "platforms"
    platforms.mkdir(parents=True)
    assert check_bundle.unresolved_libraries(tmp_path / "_internal") == {}
    cc = shutil.which("cc") or shutil.which("gcc")
    if not sys.platform.startswith("linux") or cc is None:
        pytest.skip("needs Linux and a C compiler to make a plugin with a missing dependency")
    # A plugin linked against a library that is then deleted: ldd reports it "not found".
    source = tmp_path / "x.c"
    source.write_text("int fieldapp_entry(void) { return 0; }\n")
    lib = tmp_path / "libfieldappgone.so"
    subprocess.run([cc, "-shared", "-fPIC", "-o", str(lib), str(source)], check=True)
    subprocess.run([cc, "-shared", "-fPIC", "-o", str(platforms / "libqfake.so"), str(source),
                    f"-L{tmp_path}", "-Wl,--no-as-needed", "-lfieldappgone"], check=True)
    lib.unlink()
    assert check_bundle.unresolved_libraries(tmp_path / "_internal") == {
        "libqfake.so": {"libfieldappgone.so"}}
