"""Template versions in the database, the shipped templates, resources, and the CLI."""

from __future__ import annotations

import json
import logging
import sqlite3
import sys

import pytest
from template_samples import sample_doc

from fieldapp.cli import main
from fieldapp.core.errors import ImmutableRecordError, NotFoundError
from fieldapp.core.ids import name_id
from fieldapp.core.resources import resource_path, resources_root
from fieldapp.core.templates import parse_template
from fieldapp.store import templates as template_store
from fieldapp.store.changes import pending_outbox
from fieldapp.store.templates import (
    get_template,
    install_bundled_templates,
    latest_published,
    list_templates,
    publish_template,
)


def sample(version=1, **changes):
    doc = sample_doc()
    doc["version"] = version
    doc.update(changes)
    return parse_template(doc, "sample")


def test_publish_stores_the_canonical_body_and_hash(store):
    t = sample()
    row = publish_template(store, t)
    assert row["id"] == name_id("template", "sample", "1") == t.version_id
    assert (row["status"], row["template_key"], row["version"]) == ("published", "sample", 1)
    assert row["content_hash"] == t.content_hash and row["published_at"]
    assert json.loads(row["body"]) == t.body
    assert [o["table_name"] for o in pending_outbox(store)] == ["template_versions"]


def test_publishing_the_same_version_again_is_a_no_op(store):
    first = publish_template(store, sample())
    again = publish_template(store, sample())
    assert again == first
    assert len(pending_outbox(store)) == 1


def test_a_different_body_under_a_published_version_is_refused(store):
    publish_template(store, sample())
    changed = sample(title={"th": "แบบตรวจแก้ไข", "en": "Edited"})
    with pytest.raises(ImmutableRecordError, match="bump the version"):
        publish_template(store, changed)
    assert get_template(store, changed.version_id).title["en"] == "Sample checklist"
    publish_template(store, sample(version=2, title={"th": "แบบตรวจแก้ไข", "en": "Edited"}))
    assert latest_published(store, "sample").version == 2


def test_the_database_refuses_a_raw_update_of_a_published_body(store):
    t = sample()
    publish_template(store, t)
    with pytest.raises(sqlite3.DatabaseError, match="cannot change"):
        store.conn.execute("UPDATE template_versions SET body = '{}' WHERE id = ?",
                           (t.version_id,))
    with pytest.raises(sqlite3.DatabaseError, match="cannot change"):
        store.conn.execute("UPDATE template_versions SET content_hash = 'x' WHERE id = ?",
                           (t.version_id,))


def test_get_template_reads_back_and_caches(store):
    t = sample()
    publish_template(store, t)
    template_store._cache.clear()
    loaded = get_template(store, t.version_id)
    assert loaded == t and list(loaded.items) == list(t.items)
    assert get_template(store, t.version_id) is loaded
    with pytest.raises(NotFoundError):
        get_template(store, name_id("template", "sample", "9"))


def test_a_body_edited_outside_the_app_is_not_used(store):
    t = sample()
    publish_template(store, t)
    template_store._cache.clear()
    # Only a draft may change in the schema; simulate a file edited behind our back.
    store.conn.execute("UPDATE template_versions SET status = 'draft' WHERE id = ?",
                       (t.version_id,))
    body = json.loads(store.query("SELECT body FROM template_versions")[0]["body"])
    body["title"]["en"] = "Tampered"
    store.conn.execute("UPDATE template_versions SET body = ? WHERE id = ?",
                       (json.dumps(body, ensure_ascii=False), t.version_id))
    with pytest.raises(ImmutableRecordError, match="does not match its content hash"):
        get_template(store, t.version_id)


def test_latest_and_list(store):
    assert latest_published(store, "sample") is None
    publish_template(store, sample(1))
    publish_template(store, sample(3))
    publish_template(store, sample(2))
    assert latest_published(store, "sample").version == 3
    rows = list_templates(store)
    assert [(r["key"], r["version"], r["items"], r["status"]) for r in rows] == [
        ("sample", 3, 13, "published"), ("sample", 2, 13, "published"),
        ("sample", 1, 13, "published")]
    assert rows[0]["title"] == "แบบตรวจทดสอบ"


def test_install_bundled_templates_once(store):
    rows = install_bundled_templates(store)
    assert sorted(r["template_key"] for r in rows) == ["complaint", "env-general", "follow-up"]
    assert install_bundled_templates(store) == []
    assert len(latest_published(store, "env-general").items) >= 60


def test_install_skips_a_shipped_file_that_conflicts_with_a_published_version(store, caplog):
    doc = json.loads(resource_path("templates", "complaint.json").read_text(encoding="utf-8"))
    doc["title"]["en"] = "Office edit published under the same version"
    publish_template(store, parse_template(doc, "office"))
    with caplog.at_level(logging.WARNING):
        rows = install_bundled_templates(store)
    assert sorted(r["template_key"] for r in rows) == ["env-general", "follow-up"]
    assert "complaint v1 differs" in caplog.text


def test_resource_path_in_a_checkout_and_in_a_frozen_app(monkeypatch, tmp_path):
    assert (resources_root() / "templates" / "env-general.json").is_file()
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resource_path("templates", "a.json") == tmp_path / "resources" / "templates" / "a.json"


def test_answers_through_the_store_use_the_shipped_template(store, factory):
    from fieldapp.store.inspections import create_inspection, set_answer
    from fieldapp.store.signing import finalize_check

    install_bundled_templates(store)
    env = latest_published(store, "env-general")
    draft = create_inspection(store, factory_id=factory["id"],
                              template_version_id=env.version_id)
    set_answer(store, draft["id"], "ww.has_wastewater", value="yes")
    row = set_answer(store, draft["id"], "ww.bod", value="๒๕")
    assert (row["value"], row["exceeded"]) == ("25", 1)
    problems = finalize_check(store, draft["id"], require_signatures=False)
    bod, operator = env.item("ww.bod"), env.item("boiler.operator")
    assert f"{bod.name()}: ต้องระบุหมายเหตุ" in "\n".join(problems)
    assert bod.name() == "ข้อ 2.12 ค่าบีโอดี (BOD) ของน้ำทิ้ง"
    # Boiler items are hidden (so not required) until the factory says it has a boiler.
    assert not any(p.startswith(operator.name()) for p in problems)
    set_answer(store, draft["id"], "boiler.has", value="yes")
    problems = finalize_check(store, draft["id"], require_signatures=False)
    assert f"{operator.name()}: ต้องระบุผลการตรวจ" in "\n".join(problems)


# -- command line ---------------------------------------------------------------------------

def test_cli_validate_ok(capsys):
    path = resource_path("templates", "env-general.json")
    assert main(["templates", "validate", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("OK: env-general v1, 98 items")


def test_cli_validate_lists_every_problem(tmp_path, capsys):
    doc = sample_doc()
    doc["sections"][1]["items"][0]["limits"] = {"min": 9, "max": 5.5}
    doc["sections"][1]["items"][1]["label"] = {"th": "ค่า BOD"}
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    assert main(["templates", "validate", str(path)]) == 1
    err = capsys.readouterr().err
    assert f"{path}: /sections/1/items/0/limits: min 9 is above max 5.5" in err
    assert f"{path}: /sections/1/items/1/label: 'en' is a required property" in err
    assert "2 problem(s)" in err


def test_cli_publish_and_list(tmp_path, capsys):
    db = str(tmp_path / "cli.db")
    path = tmp_path / "sample.json"
    path.write_text(json.dumps(sample_doc(), ensure_ascii=False), encoding="utf-8")
    assert main(["--db", db, "templates", "publish", str(path)]) == 0
    assert "published" in capsys.readouterr().out
    assert main(["--db", db, "templates", "publish", str(path)]) == 0
    assert "already published, unchanged" in capsys.readouterr().out
    doc = sample_doc()
    doc["title"]["en"] = "Changed"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    assert main(["--db", db, "templates", "publish", str(path)]) == 1
    assert "bump the version" in capsys.readouterr().err
    assert main(["--db", db, "templates", "list", "--json"]) == 0
    listing = json.loads(capsys.readouterr().out)
    assert {b["key"] for b in listing["bundled"]} == {"complaint", "env-general", "follow-up"}
    assert [(r["key"], r["version"], r["items"]) for r in listing["database"]] == [
        ("sample", 1, 13)]
    assert main(["--db", db, "templates", "install"]) == 0
    assert "installed 3" in capsys.readouterr().out
    assert main(["--db", db, "templates", "list"]) == 0
    out = capsys.readouterr().out
    assert "env-general    v1     98 items  published  แบบตรวจโรงงานด้านสิ่งแวดล้อม (ทั่วไป)" in out
