"""Demo data is marked, loaded only into an empty database, and removed by moving it
aside; real work is never moved."""

from __future__ import annotations

import pytest

from fieldapp.store.db import open_store
from fieldapp.store.demo_removal import (
    DemoRemovalRefused,
    is_demo,
    load_marked_demo,
    real_inspections,
    remove_demo,
)
from fieldapp.store.inspections import create_inspection, list_inspections
from fieldapp.store.paths import blob_folder
from fieldapp.store.templates import install_bundled_templates, list_templates


def demo_db(tmp_path):
    db = tmp_path / "data" / "fieldapp.db"
    with open_store(db) as store:
        install_bundled_templates(store)
        assert load_marked_demo(store, factories=30) is True
        assert is_demo(store) and real_inspections(store) == []
        assert list_inspections(store)
    return db


def test_demo_loads_only_into_an_empty_database(store):
    from fieldapp.store.demo import load_demo
    load_demo(store, factories=5)
    assert load_marked_demo(store, factories=30) is False
    assert not is_demo(store)


def test_remove_moves_everything_aside_and_leaves_a_fresh_database(tmp_path):
    db = demo_db(tmp_path)
    blobs = sorted(p.name for p in blob_folder(db).rglob("*") if p.is_file())
    assert blobs, "the demo inspections carry photos and signatures"
    aside = remove_demo(db)
    assert not db.exists() and not blob_folder(db).exists()
    kept = sorted(p.name for p in (aside / blob_folder(db).name).rglob("*") if p.is_file())
    assert kept == blobs
    with open_store(aside / db.name) as old:        # the copy is whole on its own
        assert is_demo(old) and list_inspections(old)
    with open_store(db) as fresh:
        assert not is_demo(fresh) and list_inspections(fresh) == []


def test_remove_refuses_when_real_work_exists(tmp_path):
    db = demo_db(tmp_path)
    with open_store(db) as store:
        template = next(t for t in list_templates(store) if t["status"] == "published")
        factory = store.query("SELECT id FROM factories LIMIT 1")[0]["id"]
        real = create_inspection(store, factory_id=factory,
                                 template_version_id=template["id"])
    with pytest.raises(DemoRemovalRefused, match="nothing was removed"):
        remove_demo(db)
    assert db.exists()
    with open_store(db) as store:
        assert real["id"] in [r["id"] for r in list_inspections(store)]


def test_remove_refuses_a_database_that_is_not_demo(store):
    store.close()
    with pytest.raises(DemoRemovalRefused, match="not demo"):
        remove_demo(store.path)
    assert store.path.exists()
