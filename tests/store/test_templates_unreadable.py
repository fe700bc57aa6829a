"""A template version this laptop cannot read (it arrived with a body that is not JSON, fails
the schema, or does not hash to its content_hash) is skipped with a visible message by
`fieldapp templates list` and the new-inspection dialog; it never crashes either."""

from __future__ import annotations

import json
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtWidgets import QComboBox, QLabel  # noqa: E402

from fieldapp.cli import main as fieldapp_main  # noqa: E402
from fieldapp.core.canonical import canonical_bytes, content_hash  # noqa: E402
from fieldapp.core.ids import name_id  # noqa: E402
from fieldapp.gui.inspection.new_inspection import NewInspectionDialog  # noqa: E402
from fieldapp.gui.settings import Settings  # noqa: E402
from fieldapp.store.db import open_store  # noqa: E402
from fieldapp.store.sync_apply import apply_rows  # noqa: E402
from fieldapp.store.templates import (  # noqa: E402
    install_bundled_templates,
    latest_published,
    list_templates,
)
from fieldapp.sync import protocol as P  # noqa: E402


def _bad_body(kind: str) -> tuple[str, str]:
    good = json.loads(canonical_bytes({"key": "env-general"}).decode())
    if kind == "not json":
        return "{not json at all", "0" * 64
    if kind == "schema":
        return canonical_bytes(good).decode(), content_hash(good)
    return canonical_bytes(good).decode(), "f" * 64   # hash mismatch


def _pull_bad_version(store, kind: str, version: int = 99) -> None:
    """Write a damaged env-general version as a pulled page would."""
    body, digest = _bad_body(kind)
    row = {"id": name_id("template", "env-general", str(version)),
           "template_key": "env-general", "version": version, "status": "published",
           "title": "แบบตรวจเสีย", "body": body, "content_hash": digest,
           "published_at": "2026-01-01T00:00:00Z",
           "updated_hlc": "1796425716242-0001-office", "device_id": "office", "deleted": 0}
    apply_rows(store, [{"t": "template_versions", "row": row}], P.COLUMNS, 1)


@pytest.fixture
def store(tmp_path):
    store = open_store(tmp_path / "f.db")
    install_bundled_templates(store)
    yield store
    store.close()


@pytest.mark.parametrize("kind", ["not json", "schema", "hash"])
def test_list_skips_a_version_it_cannot_read(store, kind):
    _pull_bad_version(store, kind)
    skipped: list[str] = []
    rows = list_templates(store, skipped)
    assert {r["key"] for r in rows} == {"env-general", "complaint", "follow-up"}
    assert all(r["version"] != 99 for r in rows)
    assert len(skipped) == 1 and "env-general" in skipped[0] and "v99" in skipped[0]
    assert latest_published(store, "env-general").version == 1   # the readable one


def test_the_command_prints_a_warning_and_the_rest(store, tmp_path, capsys):
    _pull_bad_version(store, "not json")
    store.close()
    assert fieldapp_main(["--db", str(tmp_path / "f.db"), "templates", "list"]) == 0
    out = capsys.readouterr()
    assert "v99" in out.err and "warning" in out.err
    assert "env-general" in out.out and "complaint" in out.out


def test_the_new_inspection_dialog_offers_the_rest_and_says_so(store, tmp_path, qtbot):
    _pull_bad_version(store, "hash")
    factory = "f-1"
    store.conn.execute("INSERT INTO factories (id, fid, name, province_code, updated_hlc, "
                       "device_id, deleted) VALUES (?, ?, ?, ?, ?, ?, 0)",
                       (factory, "10100000000001", "โรงงานหนึ่ง", "10", "1-0000-x", "x"))
    dialog = NewInspectionDialog(store, Settings(tmp_path / "s.ini"), factory)
    qtbot.addWidget(dialog.dialog)
    chooser = dialog.dialog.findChild(QComboBox, "templateChooser")
    assert chooser.count() == 3
    assert all("v99" not in chooser.itemText(i) for i in range(chooser.count()))
    assert "v99" in dialog.dialog.findChild(QLabel, "newProblem").text()
