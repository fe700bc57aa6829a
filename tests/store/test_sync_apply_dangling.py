"""A pulled page commits even when some of its rows name a row this laptop cannot hold: the
child of a record the schema refused, or a reference the office let through to a row this
user may not read. Before, the foreign keys failed the page at commit, and every later sync
of that laptop with it (a supervisor's laptop, by another inspector's drafts)."""

from __future__ import annotations

import logging

import pytest

from fieldapp.store import sync_apply
from fieldapp.store.db import open_store
from fieldapp.store.templates import install_bundled_templates
from fieldapp.sync import protocol as P

CLOCK = "1764900000000-0000-office"


def row(table: str, rid: str, **fields) -> dict:
    return {"t": table, "seq": 1, "row": {"id": rid, **fields, "updated_hlc": CLOCK,
                                          "device_id": "laptop-b", "deleted": 0}}


def inspection(rid: str, template: str, **fields) -> dict:
    return row("inspections", rid, **{"factory_id": "f-1", "template_version_id": template,
                                      "kind": "routine", "state": "draft",
                                      "started_at": "2026-12-01T09:00:00.000Z", **fields})


def answer(rid: str, inspection_id: str, item: str = "1.1") -> dict:
    return row("answers", rid, inspection_id=inspection_id, item_id=item, result="pass")


@pytest.fixture
def store(tmp_path):
    store = open_store(tmp_path / "supervisor.db")
    install_bundled_templates(store)
    sync_apply.apply_rows(store, [row("factories", "f-1", fid="10100000000001",
                                      name="โรงงานหนึ่ง", province_code="10")], P.COLUMNS, 1)
    yield store
    store.close()


def template_of(store) -> str:
    return store.query("SELECT id FROM template_versions LIMIT 1")[0]["id"]


def ids(store, table: str) -> list[str]:
    return [r["id"] for r in store.query(f"SELECT id FROM {table} ORDER BY id")]


def test_the_child_of_a_record_the_schema_refused_is_not_kept(store, caplog):
    good = template_of(store)
    page = [inspection("i-evil", good, kind="evil"), answer("a-evil", "i-evil"),
            inspection("i-good", good), answer("a-good", "i-good")]
    with caplog.at_level(logging.WARNING):
        counts = sync_apply.apply_rows(store, page, P.COLUMNS, 5)
    assert ids(store, "inspections") == ["i-good"] and ids(store, "answers") == ["a-good"]
    assert counts["skipped"] == 2 and counts["applied"] == 2
    assert "a-evil" in caplog.text
    assert store.query("SELECT value FROM sync_state WHERE key = 'pull_cursor'") == \
        [{"value": "5"}]
    # and the next page goes in as ever
    assert sync_apply.apply_rows(store, [answer("a-next", "i-good", "1.2")], P.COLUMNS, 6)[
        "applied"] == 1


def test_a_finalized_record_under_a_template_nobody_holds_is_left_out_whole(store):
    page = [inspection("i-1", "no-such-template", state="finalized"), answer("a-1", "i-1"),
            row("participants", "p-1", inspection_id="i-1", role="inspector", name="อนงค์"),
            row("signatures", "s-1", inspection_id="i-1", participant_id="p-1",
                signer_name="อนงค์", signer_role="inspector",
                signed_at="2026-12-01T10:00:00.000Z", content_hash="0" * 64)]
    counts = sync_apply.apply_rows(store, page, P.COLUMNS, 5)
    assert counts == {"applied": 0, "unchanged": 0, "skipped": 4}
    for table in ("inspections", "answers", "participants", "signatures"):
        assert ids(store, table) == []


def test_a_signature_naming_a_participant_not_held_is_left_out(store):
    good = template_of(store)
    page = [inspection("i-1", good), row("participants", "p-1", inspection_id="i-1",
                                         role="inspector", name="อนงค์"),
            *(row("signatures", sid, inspection_id="i-1", participant_id=pid,
                  signer_name="อนงค์", signer_role="inspector",
                  signed_at="2026-12-01T10:00:00.000Z", content_hash="0" * 64)
              for sid, pid in (("s-good", "p-1"), ("s-bad", "p-of-another-province")))]
    counts = sync_apply.apply_rows(store, page, P.COLUMNS, 5)
    assert ids(store, "signatures") == ["s-good"] and counts["skipped"] == 1


def test_a_change_to_a_row_naming_what_is_not_held_leaves_the_row_as_it_was(store):
    good = template_of(store)
    sync_apply.apply_rows(store, [inspection("i-1", good, purpose="ตรวจประจำปี")],
                          P.COLUMNS, 5)
    moved = inspection("i-1", "no-such-template", purpose="แก้แล้ว")
    moved["row"]["updated_hlc"] = "1764900000999-0000-office"
    counts = sync_apply.apply_rows(store, [moved], P.COLUMNS, 6)
    assert counts["skipped"] == 1
    assert store.query("SELECT template_version_id, purpose, updated_hlc FROM inspections") == [
        {"template_version_id": good, "purpose": "ตรวจประจำปี", "updated_hlc": CLOCK}]


def test_a_first_snapshot_into_empty_tables_drops_them_too(store):
    good = template_of(store)
    names = ["id", *P.COLUMNS["answers"], "updated_hlc", "device_id", "deleted"]
    values = [[{"id": rid, "inspection_id": parent, "item_id": "1.1", "result": "pass",
                "updated_hlc": CLOCK, "device_id": "b", "deleted": 0}.get(n)
               for n in names] for rid, parent in (("a-1", "i-1"), ("a-x", "i-missing"))]
    with store.transaction():
        applier = sync_apply.RowApplier(store, P.COLUMNS)
        applier.add_values("answers", names, values)
        applier.add([inspection("i-1", good)])
        applier.finish(9)
    assert ids(store, "answers") == ["a-1"] and applier.counts["skipped"] == 1


def test_a_long_chain_of_amendments_of_a_record_not_held_goes_whole(store):
    """Each round undoes one link (each amendment names the one before): as many rounds as
    it takes, not a fixed number, or the page failed at commit after all."""
    good, previous, page = template_of(store), "i-of-another-province", []
    for n in range(12):
        page.append(inspection(f"i-{n:02d}", good, state="finalized", amends_id=previous))
        page.append(answer(f"a-{n:02d}", f"i-{n:02d}"))
        previous = f"i-{n:02d}"
    page.append(inspection("i-own", good))
    counts = sync_apply.apply_rows(store, page, P.COLUMNS, 5)
    assert counts == {"applied": 1, "unchanged": 0, "skipped": 24}
    assert ids(store, "inspections") == ["i-own"] and ids(store, "answers") == []


def test_only_the_rows_a_page_wrote_are_looked_at(store, caplog):
    """A row already dangling before the page (left by an older FieldApp with the foreign
    keys off) is not this page's to undo, and does not stop it."""
    good = template_of(store)
    store.conn.execute("PRAGMA foreign_keys = OFF")
    store.conn.execute("INSERT INTO answers (id, inspection_id, item_id, result, updated_hlc, "
                       "device_id, deleted) VALUES ('a-old', 'i-gone', '1.1', 'pass', ?, 'b', 0)",
                       (CLOCK,))
    store.conn.execute("PRAGMA foreign_keys = ON")
    with caplog.at_level(logging.WARNING):
        counts = sync_apply.apply_rows(store, [inspection("i-1", good),
                                               answer("a-1", "i-1")], P.COLUMNS, 5)
    assert counts["applied"] == 2 and "a-old" not in caplog.text
    assert ids(store, "answers") == ["a-1", "a-old"]
