"""GUI benchmark (issues 3 and 16): start-up, search with 150,000 factories, opening a
200-item inspection, Print on the spot, resident memory. Run on demand, prints a table:

    .venv/bin/python tests/bench/bench_gui.py [--factories 150000] [--db PATH] [--runs 5]
        [--startup-runs 15] [--print-runs 3]

Targets: start-up <= 1.2x the skeleton row (issue 16; was <= 1.5x a bare PySide6
QMainWindow), FieldApp run from its bytecode as when installed; Print -> the preview's first page <= 1.0 s for a 100-item record with 12
photos, the first time after start-up (issue 16); search: the table updated <= 50 ms
after the typing pause; a 200-item inspection opens in < 300 ms; resident memory with the
full registry within 80 MB of the bare window. Everything runs with QT_QPA_PLATFORM=offscreen.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

BARE = textwrap.dedent("""
    import sys, time
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow
    app = QApplication(sys.argv[:1])
    w = QMainWindow(); w.resize(1200, 760); w.show()
    def done():
        # The same moment fieldapp reports with FIELDAPP_EXIT_AFTER_SHOW: the window is
        # shown and the event loop turns.
        print(f"interactive-at {time.time():.6f}", flush=True)
        if "--rss" in sys.argv:
            print(open("/proc/self/status").read().split("VmRSS:")[1].split()[0])
        app.quit()
    QTimer.singleShot(0, done)
    app.exec()
""")

# The least any window meeting issue 3's structure does, with no FieldApp code: PySide6, the
# Designer main_window.ui through QUiLoader, Sarabun, the Thai translation, and a Python table
# model (painting its header makes PySide6 create the Qt namespace's ~100 Python enums). It
# shows how much of the 1.5x budget the required parts alone take.
SKELETON = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from PySide6.QtCore import QAbstractTableModel, QFile, QIODevice, QTimer, QTranslator
    from PySide6.QtGui import QFont, QFontDatabase
    from PySide6.QtUiTools import QUiLoader
    from PySide6.QtWidgets import QApplication, QTableView
    root = Path(sys.argv[1])
    app = QApplication(sys.argv[:1])
    import fontpkg_sarabun
    family = None
    for weight in ("Regular", "Bold", "Italic"):
        font_id = QFontDatabase.addApplicationFont(
            str(Path(fontpkg_sarabun.ROOT) / "files" / f"Sarabun-{weight}.ttf"))
        family = family or QFontDatabase.applicationFontFamilies(font_id)[0]
    app.setFont(QFont(family, 11))
    translator = QTranslator(app)
    translator.load(str(root / "resources" / "translations" / "fieldapp_th.qm"))
    app.installTranslator(translator)
    file = QFile(str(root / "ui" / "main_window.ui"))
    file.open(QIODevice.OpenModeFlag.ReadOnly)
    window = QUiLoader().load(file)
    class Model(QAbstractTableModel):
        def rowCount(self, parent=None): return 0
        def columnCount(self, parent=None): return 5
        def data(self, index, role=0): return None
        def headerData(self, section, orientation, role=0):
            return "name" if role == 0 else None
    model = Model()
    window.findChild(QTableView, "factoryTable").setModel(model)
    window.resize(1200, 760); window.show()
    def done():
        print(f"interactive-at {time.time():.6f}", flush=True)
        app.quit()
    QTimer.singleShot(0, done)
    app.exec()
""")

APP_RSS = textwrap.dedent("""
    import sys
    from pathlib import Path
    from PySide6.QtCore import QTimer
    from fieldapp.gui.app import make_application
    from fieldapp.gui.i18n import install_language
    from fieldapp.gui.main.main_window import MainWindow
    from fieldapp.gui.settings import Settings
    from fieldapp.store.db import open_store
    app = make_application()
    install_language(app, "th")
    db = Path(sys.argv[1])
    store = open_store(db)
    w = MainWindow(store, Settings(sys.argv[2]), db)
    w.window.resize(1200, 760); w.show()
    state = {"pages": 0}
    def scrolled(total):
        # Scroll a few pages as a person would, then measure.
        if state["pages"] < 5 and w.model.canFetchMore():
            state["pages"] += 1
            w.model.fetchMore()
            QTimer.singleShot(50, lambda: scrolled(total))
            return
        print(open("/proc/self/status").read().split("VmRSS:")[1].split()[0], flush=True)
        w.model.shutdown(); app.quit()
    w.model.searchFinished.connect(scrolled)
    app.exec()
""")


# Print on the spot (issue 16): a started app (the same Session and warm-up as `fieldapp`),
# the record opened in the editor, then Print pressed; timed until the preview's first page
# is on screen. argv: database, settings file, inspection id, mode. Modes: "warm" waits for
# the start-up warm-up and the editor's photo preparation (a person who opens a record and
# presses Print some seconds later), "at-once" presses Print as soon as the editor is open
# (the warm-up has finished; the photos may still be prepared), "cold" starts no warm-up
# (what the first Print cost before issue 16).
PRINT = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from PySide6.QtWidgets import QLabel
    from fieldapp.gui import workers
    from fieldapp.gui.app import make_application, start_warm_up
    from fieldapp.gui.i18n import install_language
    from fieldapp.gui.main.session import Session
    from fieldapp.gui.settings import Settings
    db, settings, inspection, mode = Path(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
    app = make_application()
    install_language(app, "th")
    started = time.perf_counter()
    session = Session(Settings(settings), db, auto_sync=False)
    main = session.open()
    def wait(condition, limit=120):
        end = time.perf_counter() + limit
        while not condition():
            if time.perf_counter() > end:
                raise SystemExit("timed out")
            app.processEvents()
            time.sleep(0.001)
    warmed = 0.0
    if mode != "cold":
        task = start_warm_up()
        wait(task.done.is_set)
        warmed = time.perf_counter() - started
    main.open_inspection(inspection)
    editor = main.editor
    wait(lambda: editor.checklist.fully_built)
    export = editor.print_export
    if mode == "warm" and export.photos_task is not None:
        wait(export.photos_task.done.is_set)
    wait(lambda: not workers.busy() or mode == "at-once")
    pressed = time.perf_counter()
    export.print_button.click()
    def first_page():
        preview = export.preview
        if preview is None:
            return False
        label = preview.dialog.findChild(QLabel, "previewPage_1")
        return label is not None and not label.pixmap().isNull()
    wait(first_page)
    preview = export.preview
    preview.dialog.repaint()          # painted, not only set
    app.processEvents()
    shown = time.perf_counter() - pressed
    wait(lambda: bool(preview.images))
    every = time.perf_counter() - pressed
    print(f"print {warmed:.3f} {shown:.3f} {every:.3f} {len(preview.images)}", flush=True)
    preview.dialog.close()
    main.close_editor()
    session.shutdown()
""")


def prepare_print(folder: Path) -> tuple[Path, str]:
    """A database with one finalized 100-item inspection, 12 photos and 2 signatures."""
    sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tests" / "forms")]
    from test_forms_builders import build_inspection, synthetic_template

    from fieldapp.store.db import open_store
    db = folder / "print.db"
    with open_store(db) as store:
        iid = build_inspection(store, template=synthetic_template(100), photos=12)
    return db, iid


def print_on_the_spot(runs: int) -> dict[str, list[tuple[float, float, float, int]]]:
    """Per mode: (warm-up seconds, Print -> first page, Print -> every page, pages)."""
    folder = Path(tempfile.mkdtemp())
    db, iid = prepare_print(folder)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out: dict[str, list] = {"cold": [], "at-once": [], "warm": []}
    for _ in range(runs):
        for mode in out:
            line = subprocess.run([sys.executable, "-c", PRINT, str(db), str(folder / "s.ini"),
                                   iid, mode], env=env, check=True, capture_output=True,
                                  text=True, timeout=300).stdout
            values = next(ln for ln in line.splitlines() if ln.startswith("print ")).split()[1:]
            out[mode].append((float(values[0]), float(values[1]), float(values[2]),
                              int(values[3])))
    return out


def prepare(db: Path, factories: int) -> None:
    if db.exists():
        return
    from fieldapp.store.db import open_store
    from fieldapp.store.demo import load_demo
    from fieldapp.store.demo_inspections import add_demo_inspections
    from fieldapp.store.templates import install_bundled_templates
    print(f"preparing {db} with {factories:,} demo factories …", flush=True)
    with open_store(db) as store:
        install_bundled_templates(store)
        ids = load_demo(store, factories)
        add_demo_inspections(store, ids[:20])


def timed(command: list[str], env: dict) -> tuple[float, float]:
    """Seconds from launching ``command`` to its window being interactive (the time it
    prints), and to its exit (which adds the interpreter's tear-down)."""
    started = time.time()
    out = subprocess.run(command, env=env, check=True, capture_output=True, text=True,
                         timeout=120).stdout
    ended = time.time()
    at = next(float(line.split()[1]) for line in out.splitlines()
              if line.startswith("interactive-at "))
    return at - started, ended - started


def startup(db: Path, runs: int) -> tuple:
    """Medians of (to interactive, to exit) for the bare window, the skeleton and fieldapp,
    launched in turn so that a busy moment of the machine hits all alike, and FieldApp's
    ratio to the skeleton in each round (a ratio of medians can move with one slow launch
    more than the ratios of launches made side by side)."""
    # Installed, FieldApp runs from bytecode (pip compiles it, the PyInstaller build ships
    # it), as PySide6 and the standard library do here. A checkout under
    # PYTHONDONTWRITEBYTECODE=1 would compile every FieldApp module from source at every
    # start (~20 ms), a cost the skeleton, having no FieldApp code, never pays.
    import compileall
    compileall.compile_dir(str(ROOT / "fieldapp"), quiet=1)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    settings = Path(tempfile.mkdtemp()) / "s.ini"
    app_env = {**env, "FIELDAPP_EXIT_AFTER_SHOW": "1", "FIELDAPP_SETTINGS": str(settings)}
    bare, skeleton, app = [], [], []
    for _ in range(runs):
        bare.append(timed([sys.executable, "-c", BARE], env))
        skeleton.append(timed([sys.executable, "-c", SKELETON, str(ROOT)], env))
        app.append(timed([sys.executable, "-m", "fieldapp", "--db", str(db)], app_env))

    def medians(samples):
        return tuple(statistics.median(s[i] for s in samples) for i in (0, 1))
    ratios = sorted(a[0] / k[0] for a, k in zip(app, skeleton, strict=True))
    return medians(bare), medians(skeleton), medians(app), ratios


def rss(command: list[str]) -> int:
    out = subprocess.run(command, check=True, capture_output=True, text=True, timeout=120,
                         env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}).stdout
    return int(out.strip().splitlines()[-1])


def search_latency(db: Path) -> list[float]:
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from fieldapp.gui.main.factory_model import FactoryTableModel
    from fieldapp.store.db import open_store
    from fieldapp.store.search import search_factories
    app = QApplication.instance() or QApplication(sys.argv[:1])
    with open_store(db) as store:
        sample = search_factories(store, "", limit=2000)
    queries = ["บริษัท", "จำกัด", "โรงงาน", "ข้าว", "พลาสติก", "อาหาร", "นคร", "สมุทร",
               "เหล็ก", "ยาง", sample[5]["fid"], sample[100]["fid"][:8],
               sample[900]["fid"], sample[1500]["name"][:6], sample[1700]["name"],
               sample[10]["facreg"] or "3-", sample[30]["fid"][-6:], "ห้างหุ้นส่วน", "ไทย", "กรุงเทพ"]
    model = FactoryTableModel(db)
    rows_loop, count_loop = QEventLoop(), QEventLoop()
    model.rowsArrived.connect(rows_loop.quit)
    model.searchFinished.connect(lambda _n: count_loop.quit())
    times, counted = [], []
    model.search("")      # warm the search thread's connection, as the window does at start
    count_loop.exec()
    for q in queries:
        started = time.perf_counter()
        model.search(q)
        QTimer.singleShot(5000, rows_loop.quit)
        rows_loop.exec()
        app.processEvents()   # the view repaints with the new rows
        times.append((time.perf_counter() - started) * 1000)
        if model.busy:
            QTimer.singleShot(5000, count_loop.quit)
            count_loop.exec()
        counted.append((time.perf_counter() - started) * 1000)
    model.shutdown()
    return times, counted


def open_inspection_ms(runs: int) -> list[float]:
    from PySide6.QtWidgets import QApplication

    from fieldapp.core.templates import parse_template
    from fieldapp.gui.inspection.inspection_editor import InspectionEditor
    from fieldapp.gui.settings import Settings
    from fieldapp.store.changes import save_row
    from fieldapp.store.db import open_store
    from fieldapp.store.inspections import create_inspection, set_answer
    from fieldapp.store.templates import publish_template
    app = QApplication.instance() or QApplication(sys.argv[:1])
    folder = Path(tempfile.mkdtemp())
    store = open_store(folder / "f.db")
    sections = []
    for s in range(10):
        items = []
        for i in range(20):
            kind = ("result", "number", "text", "result")[i % 4]
            item = {"id": f"s{s}.i{i}", "type": kind, "required": True,
                    "label": {"th": f"รายการตรวจที่ {s + 1}.{i + 1} การจัดการน้ำเสีย",
                              "en": f"Item {s + 1}.{i + 1}"}}
            if kind == "number":
                item.update(unit="mg/L", limits={"max": "20"})
            items.append(item)
        sections.append({"id": f"s{s}", "title": {"th": f"หมวด {s + 1}", "en": f"S{s + 1}"},
                         "items": items})
    template = parse_template({"key": "bench-200", "version": 1, "kind": "routine",
                               "form_code": "B-200", "title": {"th": "ทดสอบ", "en": "Bench"},
                               "sections": sections}, "bench")
    publish_template(store, template)
    save_row(store, "factories", {"id": "f1", "fid": "10180000125417", "name": "โรงงานทดสอบ"})
    inspection = create_inspection(store, factory_id="f1",
                                   template_version_id=template.version_id)["id"]
    with store.transaction():
        for item in template.items.values():
            value = {"number": "12.5", "text": "บันทึกผล"}.get(item.type)
            set_answer(store, inspection, item.id,
                       result="pass" if item.type == "result" else None, value=value)
    settings = Settings(folder / "s.ini")
    times, complete = [], []
    for _ in range(runs):
        started = time.perf_counter()
        editor = InspectionEditor(store, settings, inspection)
        editor.resize(1200, 760)
        editor.show()
        app.processEvents()
        times.append((time.perf_counter() - started) * 1000)
        while not editor.checklist.fully_built:   # the rest fills in on later loop turns
            app.processEvents()
        complete.append((time.perf_counter() - started) * 1000)
        editor.close()
        editor.deleteLater()
        app.processEvents()
    store.close()
    return times, complete


def _med_max(samples: list[tuple], index: int) -> tuple[float, float]:
    values = [s[index] for s in samples]
    return statistics.median(values), max(values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--factories", type=int, default=150_000)
    parser.add_argument("--db", type=Path, default=Path(tempfile.gettempdir()) /
                        "fieldapp-bench-gui.db")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--startup-runs", type=int, default=15,
                        help="rounds of the three start-ups (a 1.2x ratio needs more than 5 "
                             "on a busy machine)")
    parser.add_argument("--print-runs", type=int, default=3,
                        help="runs of each Print-on-the-spot mode (issue 16)")
    args = parser.parse_args()
    prepare(args.db, args.factories)
    (bare_s, bare_exit), (skel_s, _), (app_s, app_exit), ratios = startup(
        args.db, args.startup_runs)
    printing = print_on_the_spot(args.print_runs)
    bare_rss = rss([sys.executable, "-c", BARE, "--rss"])
    app_rss = rss([sys.executable, "-c", APP_RSS, str(args.db),
                   str(Path(tempfile.mkdtemp()) / "s.ini")])
    search, counted = (sorted(t) for t in search_latency(args.db))
    opening, complete = open_inspection_ms(args.runs)
    p95 = search[max(0, int(round(0.95 * len(search))) - 1)]
    rows = [
        ("start-up to interactive, bare QMainWindow (median)", f"{bare_s * 1000:.0f} ms", ""),
        ("start-up to interactive, skeleton: .ui + font + translation + model",
         f"{skel_s * 1000:.0f} ms", f"{skel_s / bare_s:.2f}x (no FieldApp code)"),
        ("start-up to interactive, FieldApp main window (median)", f"{app_s * 1000:.0f} ms",
         f"{app_s / bare_s:.2f}x bare; {app_s / skel_s:.2f}x skeleton (target <= 1.2x)"),
        ("start-up, FieldApp / skeleton launched side by side: median round",
         f"{statistics.median(ratios):.2f}x",
         f"{len(ratios)} rounds, {ratios[0]:.2f}-{ratios[-1]:.2f}x (target <= 1.2x)"),
        ("launch to exit, bare / FieldApp (median)",
         f"{bare_exit * 1000:.0f} / {app_exit * 1000:.0f} ms",
         f"{app_exit / bare_exit:.2f}x (includes tear-down)"),
        ("search, 20 queries: p50", f"{statistics.median(search):.1f} ms", ""),
        ("search, 20 queries: p95 / max", f"{p95:.1f} / {search[-1]:.1f} ms",
         "target <= 50 ms (rows in the table)"),
        ("search incl. match count: p50 / max",
         f"{statistics.median(counted):.1f} / {counted[-1]:.1f} ms", "count shown after rows"),
        ("open 200-item inspection: interactive (median)",
         f"{statistics.median(opening):.0f} ms", "target < 300 ms"),
        ("open 200-item inspection: all 200 items built", f"{statistics.median(complete):.0f} ms",
         "built in batches between events"),
        ("print warm-up on a worker after start (median)",
         f"{statistics.median(r[0] for r in printing['warm']):.2f} s",
         "starts 300 ms after the window is shown"),
        ("Print -> first page, warm-up done, photos prepared (median / max)",
         "{:.2f} / {:.2f} s".format(*_med_max(printing["warm"], 1)),
         "target <= 1.0 s (100 items, 12 photos)"),
        ("Print -> first page, pressed as the editor opens (median / max)",
         "{:.2f} / {:.2f} s".format(*_med_max(printing["at-once"], 1)),
         "target <= 1.0 s"),
        ("Print -> first page, no warm-up (before issue 16) (median)",
         f"{statistics.median(r[1] for r in printing['cold']):.2f} s", ""),
        ("Print -> every page in the preview, warm (median)",
         f"{statistics.median(r[2] for r in printing['warm']):.2f} s",
         f"{printing['warm'][0][3]} pages, shown as each is drawn"),
        ("RSS bare window", f"{bare_rss / 1024:.0f} MB", ""),
        ("RSS FieldApp, registry searched + 5 pages", f"{app_rss / 1024:.0f} MB",
         f"+{(app_rss - bare_rss) / 1024:.0f} MB (target <= +80 MB)"),
    ]
    print(f"\nFieldApp GUI benchmark — {args.factories:,} factories, {args.runs} runs "
          f"({args.startup_runs} start-up rounds)\n")
    width = max(len(r[0]) for r in rows)
    for name, value, note in rows:
        print(f"{name:<{width}}  {value:>16}  {note}")


if __name__ == "__main__":
    main()
