"""``fieldapp --self-test``: prove that this installation can do an inspector's whole job.

First it reports whether the system libraries of the X11 window are complete (a line, not a
step: the laptop's, not this installation's). Runs with no display and no network, in a temporary folder that is removed afterwards, so it
is safe on a laptop that holds real data: it never opens the user's database. Steps, one line
each with OK or FAIL:

1. the shipped resources (templates, translations, Designer layouts, fonts) are found;
2. a temporary database is created and the demo data loaded (factories and inspections);
3. an inspection is run from a template: every visible item answered, a photo, a finding;
4. the inspector and the factory representative sign; the record is finalized;
5. its PDF is rendered (Sarabun embedded, Thai segmented by the bundled dictionary);
6. the PDF's verification payload is read back and matches the database;
7. a backup is taken and restored into a new database that holds the same record.

Built for the frozen app (CI runs it on the PyInstaller folder), so it must find everything
through ``fieldapp.core.resources`` and the packages' own paths, never through the checkout.
It must never import Qt: only fieldapp.gui may.
"""

from __future__ import annotations

import socket
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from fieldapp import __version__

# Small on purpose: the self-test proves that loading works, the benchmarks measure speed.
DEMO_FACTORIES = 40
# A phrase the newmm dictionary must split into words; without the bundled word list it
# comes back as one piece (or fails), which is how a stripped-down bundle shows itself.
THAI_PROBE = "การตรวจโรงงานอุตสาหกรรม"


class SelfTestFailure(Exception):
    """A check did not hold; the message says what was expected."""


class _Context:
    """What one step hands to the next (the store, the inspection, the PDF ...)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.store = None
        self.factory_ids: list[str] = []
        self.inspection_id = ""
        self.pdf = b""


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise SelfTestFailure(message)


@contextmanager
def no_network() -> Iterator[None]:
    """Make any connection attempt fail loudly: the self-test must work on a plane."""

    def refuse(*_args, **_kwargs):
        raise SelfTestFailure("the self-test tried to use the network")

    saved = socket.socket.connect, socket.socket.connect_ex, socket.create_connection
    socket.socket.connect = refuse
    socket.socket.connect_ex = refuse
    socket.create_connection = refuse
    try:
        yield
    finally:
        socket.socket.connect, socket.socket.connect_ex, socket.create_connection = saved


# --- the steps -------------------------------------------------------------------------------

def step_resources(ctx: _Context) -> str:
    from fieldapp.core.resources import resource_path, resources_root
    from fieldapp.forms.fonts import font_path, register_fonts
    from fieldapp.store.templates import bundled_template_files

    templates = bundled_template_files()
    _check(len(templates) >= 3, f"expected 3 or more templates in {resource_path('templates')}, "
                                f"found {len(templates)}")
    qm = sorted(resource_path("translations").glob("*.qm"))
    _check(bool(qm), f"no compiled translations (.qm) in {resource_path('translations')}")
    ui_dir = resources_root().parent / "ui"
    _check(any(ui_dir.glob("*.ui")), f"no Designer layouts (.ui) in {ui_dir}")
    register_fonts()
    return (f"{len(templates)} templates, {len(qm)} translations, "
            f"fonts in {font_path('Sarabun').parent}")


def step_database(ctx: _Context) -> str:
    from fieldapp.store.db import SCHEMA_VERSION, open_store

    ctx.store = open_store(ctx.folder / "selftest.db")
    version = ctx.store.conn.execute("PRAGMA user_version").fetchone()[0]
    _check(version == SCHEMA_VERSION, f"schema {version}, expected {SCHEMA_VERSION}")
    return f"schema {version} in a temporary folder"


def step_demo(ctx: _Context) -> str:
    from fieldapp.store.demo import load_demo
    from fieldapp.store.demo_inspections import add_demo_inspections

    ctx.factory_ids = load_demo(ctx.store, DEMO_FACTORIES)
    made = add_demo_inspections(ctx.store, ctx.factory_ids[:10])
    count = ctx.store.query("SELECT count(*) AS n FROM factories")[0]["n"]
    _check(count == DEMO_FACTORIES, f"{count} demo factories, expected {DEMO_FACTORIES}")
    _check(len(made) >= 5, f"only {len(made)} demo inspections")
    return f"{count} factories, {len(made)} inspections"


def step_inspection(ctx: _Context) -> str:
    from fieldapp.store.demo_inspections import photo_jpeg
    from fieldapp.store.inspections import add_attachment, add_finding, create_inspection
    from fieldapp.store.templates import latest_published

    template = latest_published(ctx.store, "env-general")
    _check(template is not None, "the general environmental template is not installed")
    row = create_inspection(ctx.store, factory_id=ctx.factory_ids[-1],
                            template_version_id=template.version_id, kind="routine",
                            purpose="ทดสอบระบบ (self-test)", created_by="self-test")
    ctx.inspection_id = row["id"]
    answered = answer_every_visible_item(ctx.store, template, ctx.inspection_id)
    first = next(iter(template.items.values()))
    add_attachment(ctx.store, ctx.inspection_id, photo_jpeg("self-test", 7), item_id=first.id,
                   caption="ภาพทดสอบ")
    add_finding(ctx.store, ctx.inspection_id, item_id=first.id,
                description="ข้อบกพร่องทดสอบ (self-test finding)",
                order_text="ให้ดำเนินการแก้ไขให้ถูกต้อง", deadline="2027-01-31")
    return f"{answered} items answered from {template.key} v{template.version}"


def answer_every_visible_item(store, template, inspection_id: str) -> int:
    """Answer each item that shows with a passing answer of its type; return how many."""
    from fieldapp.core.templates import is_visible
    from fieldapp.store.inspections import answers_by_item, set_answer

    passing = {
        "result": {"result": "pass"},
        "text": {"value": "ตรวจสอบแล้ว"},
        "date": {"value": "2026-11-20"},
        "document": {"value": {"number": "อก 0301/123", "date": "2026-09-15"}},
        "gps": {"value": {"lat": "13.7563", "lng": "100.5018"}},
        "photo": {"result": "na"},
    }
    count = 0
    for item in template.items.values():
        if not is_visible(item, answers_by_item(store, inspection_id)):
            continue
        if item.type == "number":
            answer = {"value": _inside_limits(item)}
        elif item.type == "choice":
            answer = {"value": item.choices[0].id}
        elif item.type == "multi_choice":
            answer = {"value": [item.choices[0].id]}
        else:
            answer = passing.get(item.type, {"result": "na"})
        set_answer(store, inspection_id, item.id, **answer)
        count += 1
    return count


def _inside_limits(item) -> str:
    limits = item.limits
    if limits is None or (limits.min is None and limits.max is None):
        return "10"
    if limits.min is not None and limits.max is not None:
        return str((limits.min + limits.max) / 2)
    return str(limits.max / 2) if limits.max is not None else str(limits.min + 1)


def step_sign_finalize(ctx: _Context) -> str:
    from fieldapp.store.demo_inspections import signature_png
    from fieldapp.store.signing import finalize, sign

    for role, name in (("inspector", "นางสาวทดสอบ ระบบงาน"),
                       ("representative", "นายตัวแทน โรงงานทดสอบ")):
        sign(ctx.store, ctx.inspection_id, signer_name=name, signer_role=role,
             image_png=signature_png(name, 11))
    digest = finalize(ctx.store, ctx.inspection_id)
    _check(len(digest) == 64, f"content hash {digest!r} is not a SHA-256")
    return f"content hash {digest[:12]}…"


def step_pdf(ctx: _Context) -> str:
    from fieldapp.forms.inspection_form import render_inspection_pdf
    from fieldapp.forms.thai_text import segment

    words = segment(THAI_PROBE)
    _check(len(words) >= 3, f"Thai word segmentation returned {words!r}: the PyThaiNLP "
                            "dictionary is missing from this installation")
    out = ctx.folder / "selftest.pdf"
    ctx.pdf = render_inspection_pdf(ctx.store, ctx.inspection_id, out)
    _check(ctx.pdf.startswith(b"%PDF-"), "the renderer did not produce a PDF")
    _check(b"Sarabun" in ctx.pdf, "the Sarabun font is not embedded in the PDF")
    return f"{len(ctx.pdf) // 1024} KB, Thai split into {len(words)} words"


def step_verify(ctx: _Context) -> str:
    from fieldapp.forms.inspection_form import record_state
    from fieldapp.forms.verification import MATCH, read_pdf_payload, verify_payload

    payload = read_pdf_payload(ctx.pdf)
    _check(payload is not None, "no verification payload in the PDF metadata")
    _check(payload.record_id == ctx.inspection_id,
           f"the PDF names record {payload.record_id}, expected {ctx.inspection_id}")
    verdict = verify_payload(payload, lambda rid: record_state(ctx.store, rid))
    _check(verdict.outcome == MATCH, f"verification said {verdict.outcome}: {verdict.reason}")
    return verdict.reason


def step_backup_restore(ctx: _Context) -> str:
    from fieldapp.store.backup import backup, restore
    from fieldapp.store.db import open_store
    from fieldapp.store.inspections import compute_content_hash

    manifest = backup(ctx.store, ctx.folder / "selftest-backup.zip")
    restored_path = ctx.folder / "restored" / "fieldapp.db"
    restore(ctx.folder / "selftest-backup.zip", restored_path)
    restored = open_store(restored_path)
    try:
        original = compute_content_hash(ctx.store, ctx.inspection_id)
        _check(compute_content_hash(restored, ctx.inspection_id) == original,
               "the restored record differs from the original")
    finally:
        restored.close()
    return f"{manifest['inspections']} inspections, {manifest['attachments']} attachments"


STEPS: tuple[tuple[str, Callable[[_Context], str]], ...] = (
    ("resources", step_resources),
    ("temporary database", step_database),
    ("demo data", step_demo),
    ("inspection from a template", step_inspection),
    ("signatures and finalize", step_sign_finalize),
    ("PDF of the record", step_pdf),
    ("verify the PDF", step_verify),
    ("backup and restore", step_backup_restore),
)


def run_self_test(out=None) -> int:
    """Run every step, print one line each, return 0 only when all passed.

    A failed step stops the run: later steps depend on it and would only repeat the failure.
    """
    out = out or sys.stdout
    frozen = "frozen" if getattr(sys, "frozen", False) else "from source"
    print(f"FieldApp {__version__} self-test ({frozen}, Python {sys.version.split()[0]})",
          file=out)
    # Reported, not a failed step: the window's system libraries are the laptop's, not this
    # installation's, and everything below works without them.
    from fieldapp import display_libraries
    print(display_libraries.self_test_line(display_libraries.run_ldd), file=out, flush=True)
    with tempfile.TemporaryDirectory(prefix="fieldapp-selftest-") as tmp, no_network():
        ctx = _Context(Path(tmp))
        try:
            for name, step in STEPS:
                started = time.perf_counter()
                try:
                    detail = step(ctx)
                except SelfTestFailure as exc:
                    print(f"FAIL {name}: {exc}", file=out)
                    print("self-test FAILED", file=out)
                    return 1
                except Exception as exc:  # noqa: BLE001 - any crash is a failed step, shown
                    print(f"FAIL {name}: {type(exc).__name__}: {exc}", file=out, flush=True)
                    traceback.print_exc(file=sys.stderr)
                    print("self-test FAILED", file=out)
                    return 1
                took = time.perf_counter() - started
                print(f"OK   {name} ({took:.2f} s): {detail}", file=out)
        finally:
            if ctx.store is not None:
                ctx.store.close()
    print("self-test passed", file=out)
    return 0
