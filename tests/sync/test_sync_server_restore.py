"""The office server restored from an older backup: laptops notice that it lost changes
(server/history.py), send again what it had acknowledged (with the photos), and take a new
snapshot, so nothing is lost and every copy converges."""

from __future__ import annotations

import json
import sqlite3

import pytest
from server_fixtures import (
    ADMIN,
    FACTORIES,
    Laptop,
    add_users,
    inproc_client,
    make_app,
    seed_factories,
)
from test_sync_roundtrip import SYNC_TABLES, make_finalized, table_rows

from fieldapp.server import history
from fieldapp.server.blobs import missing
from fieldapp.server.cli import main as server_main
from fieldapp.server.database import open_database
from fieldapp.server.office import assign, list_conflicts
from fieldapp.store import inspections as insp
from fieldapp.store import signing
from fieldapp.store.changes import save_row
from fieldapp.store.sync_state import pending_count, rejected_changes
from fieldapp.store.templates import get_template


def _backup(path, to):
    src, dst = sqlite3.connect(path), sqlite3.connect(to)
    with dst:
        src.backup(dst)
    src.close()
    dst.close()


class Office:
    """A SQLite office server that can be backed up and restored like the README says."""

    def __init__(self, tmp_path):
        self.path = tmp_path / "server.db"
        self.backup_path = tmp_path / "nightly.db"
        self.db = open_database(str(self.path))
        add_users(self.db)
        seed_factories(self.db, FACTORIES)
        self.app = make_app(self.db)

    def backup(self):
        _backup(self.path, self.backup_path)

    def restore(self, laptops, announce: bool):
        self.db.close()
        for extra in ("-wal", "-shm"):
            self.path.with_name(self.path.name + extra).unlink(missing_ok=True)
        _backup(self.backup_path, self.path)
        if announce:   # what the administrator runs after restoring
            assert server_main(["--db", str(self.path), "restored"]) == 0
        self.db = open_database(str(self.path))
        self.app = make_app(self.db)
        for laptop in laptops:
            laptop.client = laptop.engine.client = inproc_client(self.app)


@pytest.fixture
def office(tmp_path):
    office = Office(tmp_path)
    yield office
    office.db.close()


def _epoch(db):
    with db.read() as c:
        return c.value("SELECT value FROM server_meta WHERE key = ?", (history.EPOCH,))


def _laptops(office, tmp_path, *users):
    return [Laptop(tmp_path / f"{n}-{user}.db", inproc_client(office.app), user)
            for n, user in enumerate(users)]


def _factory(store, n=0):
    return store.query("SELECT id FROM factories WHERE province_code = '10' "
                       "ORDER BY id")[n]["id"]


@pytest.mark.parametrize("announce", [True, False], ids=["restored-announced", "forgotten"])
def test_what_a_restored_office_lost_is_sent_again_and_everyone_converges(office, tmp_path,
                                                                         announce):
    a, b, c = _laptops(office, tmp_path, "anong", "anong", "boon")
    try:
        for laptop in (a, b, c):
            assert laptop.sync().ok
        factory = _factory(a.store)
        first, first_hash = make_finalized(a.store, factory)
        assert a.sync().ok
        office.backup()
        second, second_hash = make_finalized(a.store, factory,
                                             photo=b"\xff\xd8second-photo" * 900)
        save_row(a.store, "factories", {"id": factory, "phone": "02-111-1111"})
        assert a.sync().ok and b.sync().ok and c.sync().ok   # acknowledged; B and C have it
        office.restore((a, b, c), announce)
        with office.db.read() as conn:
            assert not conn.value("SELECT count(*) FROM records WHERE id = ?", (second,))
        # C writes first after the restore: its change takes numbers B's cursor had passed
        other = _factory(c.store, 1)   # a row nobody sends again
        save_row(c.store, "factories", {"id": other, "contact_person": "คุณชัย"})
        assert c.sync().ok
        if not announce:
            # Without `restored` nothing renames the history: each laptop whose cursor is
            # past the office's last change reads it from the start, at its own next sync,
            # so B must sync before A's resending pushes the office past B's cursor (the
            # gap docs/server.md names: run `restored`).
            assert b.sync().ok
        summary = a.sync()
        assert summary.ok, summary.errors
        assert summary.resent > 0 and "restored" in summary.line()
        assert pending_count(a.store) == 0 and not rejected_changes(a.store)
        with office.db.read() as conn:
            hashes = [r["blob_sha"] for r in conn.all(
                "SELECT blob_sha FROM records WHERE tbl = 'attachments' AND parent_id = ?",
                (second,))]
        assert hashes and not missing(office.db, ADMIN, hashes)        # the photo's bytes too
        for laptop in (b, c, a, b, c):
            assert laptop.sync().ok
        assert insp.compute_content_hash(b.store, second) == second_hash
        assert insp.compute_content_hash(b.store, first) == first_hash
        for table in SYNC_TABLES:
            assert table_rows(a.store, table) == table_rows(b.store, table), table
        # B lost nothing of its own, but it must not skip C's change: a new epoch (announced),
        # or its pull answered from the start (its cursor was past the last change number)
        assert b.store.query("SELECT contact_person FROM factories WHERE id = ?",
                                 (other,))[0]["contact_person"] == "คุณชัย"
        assert c.store.query("SELECT phone FROM factories WHERE id = ?",
                             (factory,))[0]["phone"] == "02-111-1111"
        again = a.sync()
        assert again.ok and again.resent == 0 and again.pushed == 0
    finally:
        for laptop in (a, b, c):
            laptop.close()


def test_an_office_that_holds_everything_sends_nothing_back(server_db, tmp_path):
    add_users(server_db)
    seed_factories(server_db, FACTORIES)
    a = Laptop(tmp_path / "a.db", inproc_client(make_app(server_db)), "anong")
    try:
        assert a.sync().ok
        make_finalized(a.store, _factory(a.store))
        assert a.sync().ok
        idle = a.sync()
        assert idle.ok and idle.resent == 0 and idle.requests == 1
        epoch = _epoch(server_db)
        assert _epoch(server_db) == epoch        # stable until restored
        assert history.new_epoch(server_db) != epoch
        after = a.sync()
        assert after.ok and after.resent > 0
        assert a.sync().resent == 0
    finally:
        a.close()


def _small_pages(monkeypatch, laptop, sent):
    real = laptop.client.pull

    def pull(cursor, limit=1, known=None, **more):
        sent.append(known)
        return real(cursor, limit=1, known=known, **more)
    monkeypatch.setattr(laptop.client, "pull", pull)


def test_a_pull_of_many_pages_asks_once_and_resends_nothing(server_db, tmp_path, monkeypatch):
    add_users(server_db)
    seed_factories(server_db, FACTORIES)
    app = make_app(server_db)
    a, b = (Laptop(tmp_path / f"{n}.db", inproc_client(app), "anong") for n in "ab")
    try:
        assert a.sync().ok and b.sync().ok
        save_row(a.store, "factories", {"id": _factory(a.store), "phone": "02-000-0000"})
        assert a.sync().ok                       # A has an acknowledged change to ask about
        for n in range(3):
            save_row(b.store, "factories", {"id": _factory(b.store, n % 2), "phone": f"{n}"})
            assert b.sync().ok
        sent = []
        _small_pages(monkeypatch, a, sent)
        summary = a.sync()
        assert summary.ok and summary.resent == 0, summary.line()
        assert len(sent) >= 2 and sent[0] is not None and sent[1:] == [None] * (len(sent) - 1)
    finally:
        a.close()
        b.close()


@pytest.mark.parametrize("announce", [True, False], ids=["restored-announced", "forgotten"])
def test_after_a_restore_the_office_gets_the_signed_record_again(office, tmp_path, announce):
    """One draft on two laptops, the other laptop's edit first, then the finalize; then the
    office is restored from before all that. Sent again, the finalize carries its signed
    copy, so the office ends with the signed record, not the merge."""
    a, b = _laptops(office, tmp_path, "anong", "anong")
    try:
        assert a.sync().ok and b.sync().ok
        template_id = a.store.query("SELECT id FROM template_versions "
                                    "WHERE template_key = 'env-general'")[0]["id"]
        draft = insp.create_inspection(a.store, factory_id=_factory(a.store),
                                       template_version_id=template_id,
                                       created_by="anong")["id"]
        items = list(get_template(a.store, template_id).items)
        for n, item in enumerate(items):
            insp.set_answer(a.store, draft, item, result="not_checked", note=f"A {n}")
        assert a.sync().ok and b.sync().ok
        office.backup()
        insp.set_answer(b.store, draft, items[0], result="fail", note="from B")
        assert b.sync().ok
        digest = signing.finalize(a.store, draft, require_signatures=False)
        assert a.sync().ok and b.sync().ok
        office.restore((a, b), announce)
        for laptop in (b, a, b, a):
            assert laptop.sync().ok
        with office.db.read() as c:
            note = json.loads(c.value("SELECT data FROM records WHERE tbl = 'answers' "
                                      "AND parent_id = ? AND data LIKE ?",
                                      (draft, f'%"{items[0]}"%')))["note"]
        assert note == "A 0"
        assert not [c for c in list_conflicts(office.db)
                    if c["row_id"] == draft and c["field"] == "content_hash"]
        assert insp.compute_content_hash(b.store, draft) == digest
    finally:
        a.close()
        b.close()


def test_a_restore_without_restored_renames_nothing_and_each_laptop_catches_up(office,
                                                                                tmp_path):
    """A laptop's cursor past the restored office's last change number renames nothing
    (any laptop could send such a number): each such laptop resends what the office lost
    (``known``) and reads the history from the start, once; the others are not disturbed."""
    laptops = _laptops(office, tmp_path, "anong", "anong", "boon")
    try:
        for laptop in laptops:
            assert laptop.sync().ok
        office.backup()
        for n, laptop in enumerate(laptops):
            save_row(laptop.store, "factories", {"id": _factory(laptop.store), "phone": f"{n}"})
            assert laptop.sync().ok
        for laptop in laptops:
            assert laptop.sync().ok                      # every cursor past the backup
        before = _epoch(office.db)
        office.restore(laptops, announce=False)
        for laptop in laptops:
            summary = laptop.sync()
            assert summary.ok and summary.resent > 0, summary.line()
        assert _epoch(office.db) == before
        resent = [laptop.sync().resent for laptop in laptops]
        assert resent == [0, 0, 0]
        phones = {laptop.store.query("SELECT phone FROM factories WHERE id = ?",
                                     (_factory(laptop.store),))[0]["phone"]
                  for laptop in laptops}
        assert len(phones) == 1                           # and they agree again
    finally:
        for laptop in laptops:
            laptop.close()


def _assigned(office, laptop, purpose="ตรวจตามแผน"):
    """A draft the office makes for ``anong`` (``fieldapp-server assign``), pulled by
    ``laptop``; returns its id."""
    inspection_id = assign(office.db, "anong", FACTORIES[0][0], "env-general",
                           started_at="2026-12-01T09:30:00+07:00", purpose=purpose)
    assert laptop.sync().ok
    assert laptop.store.query("SELECT id FROM inspections WHERE id = ?", (inspection_id,))
    return inspection_id


def _work_on(store, inspection_id, finalize: bool) -> str | None:
    template_id = store.query("SELECT template_version_id FROM inspections WHERE id = ?",
                              (inspection_id,))[0]["template_version_id"]
    for n, item in enumerate(get_template(store, template_id).items):
        insp.set_answer(store, inspection_id, item, result="not_checked", note=f"ข้อ {n}")
    insp.add_finding(store, inspection_id, description="น้ำทิ้งเกินมาตรฐาน")
    if not finalize:
        return None
    signing.sign(store, inspection_id, signer_name="อนงค์", signer_role="inspector",
                 image_png=b"\x89PNGsig" * 50)
    signing.sign(store, inspection_id, signer_name="ผู้แทน", signer_role="representative",
                 image_png=b"\x89PNGrep" * 50)
    return signing.finalize(store, inspection_id)


def _office_row(db, table, row_id):
    with db.read() as c:
        row = c.one("SELECT data FROM records WHERE tbl = ? AND id = ?", (table, row_id))
    return json.loads(row["data"]) if row else None


@pytest.mark.parametrize("finalize", [True, False], ids=["finalized", "draft"])
def test_a_record_the_office_made_after_its_backup_comes_back_from_the_laptop(
        office, tmp_path, finalize):
    """The office assigns a draft after its nightly backup; the inspector works on it (and
    signs and finalizes it) and syncs; the office is restored. The laptop never sent the
    draft's creation (it pulled it), so its changes alone could not recreate it: the laptop
    sends the row as the office had made it first, and the office gets the record back
    whole, its signed content included."""
    a, b = _laptops(office, tmp_path, "anong", "anong")
    try:
        assert a.sync().ok and b.sync().ok
        office.backup()
        draft = _assigned(office, a)
        digest = _work_on(a.store, draft, finalize)
        assert a.sync().ok and b.sync().ok
        office.restore((a, b), announce=True)
        assert _office_row(office.db, "inspections", draft) is None
        summary = a.sync()
        assert summary.ok, summary.errors
        assert not rejected_changes(a.store) and pending_count(a.store) == 0
        row = _office_row(office.db, "inspections", draft)
        assert row is not None and row["purpose"] == "ตรวจตามแผน"
        assert row["created_by"] == "anong" and row["started_at"].startswith("2026-12-01")
        assert row["state"] == ("finalized" if finalize else "draft")
        for laptop in (b, a, b):
            assert laptop.sync().ok
        for table in SYNC_TABLES:
            assert table_rows(a.store, table) == table_rows(b.store, table), table
        if finalize:
            assert row["content_hash"] == digest
            assert insp.compute_content_hash(b.store, draft) == digest
        again = a.sync()
        assert again.ok and again.pushed == 0 and not rejected_changes(a.store)
    finally:
        a.close()
        b.close()


def test_an_office_that_kept_the_record_is_not_changed_by_its_recreation(office, tmp_path,
                                                                         caplog):
    """Restored from a backup taken after the record was finalized: the row the laptop
    sends ahead (a draft, as the office made it) must neither change the finalized record
    nor be refused; the laptop's changes are duplicates, and the record stays signed."""
    a, = _laptops(office, tmp_path, "anong")
    try:
        assert a.sync().ok
        draft = _assigned(office, a)
        digest = _work_on(a.store, draft, finalize=True)
        assert a.sync().ok
        office.backup()
        before = _office_row(office.db, "inspections", draft)
        office.restore((a,), announce=True)
        summary = a.sync()
        assert summary.ok and summary.resent > 0 and not rejected_changes(a.store)
        assert _office_row(office.db, "inspections", draft) == before
        assert before["content_hash"] == digest and before["state"] == "finalized"
        assert "refused" not in caplog.text
    finally:
        a.close()


def test_a_recreated_draft_gives_way_to_another_laptops_finalize(office, tmp_path):
    """Two laptops of one inspector hold the office's draft; A finalizes it and syncs, B
    edits its older copy; the office is restored from before the draft; B syncs first.
    B's recreation (the row as the office made it, a draft) must not beat A's finalize
    sent again: it is stamped older than any real write."""
    a, b = _laptops(office, tmp_path, "anong", "anong")
    try:
        assert a.sync().ok and b.sync().ok
        office.backup()
        draft = _assigned(office, a)
        assert b.sync().ok
        digest = _work_on(a.store, draft, finalize=True)
        assert a.sync().ok
        template_id = b.store.query("SELECT template_version_id FROM inspections WHERE id = ?",
                                    (draft,))[0]["template_version_id"]
        first = next(iter(get_template(b.store, template_id).items))
        insp.set_answer(b.store, draft, first, result="fail", note="จาก B")
        office.restore((a, b), announce=True)
        assert b.sync().ok
        assert a.sync().ok and b.sync().ok and a.sync().ok
        row = _office_row(office.db, "inspections", draft)
        assert row["state"] == "finalized" and row["content_hash"] == digest
        assert insp.compute_content_hash(b.store, draft) == digest
    finally:
        a.close()
        b.close()
