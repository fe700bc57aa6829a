"""A laptop's own new rows are not pulled back after its push (store/own_rows.py,
server/pull.py ``own``): the office answers ``exact`` for a row it holds as sent, the next
pull skips it while it stays so, and nothing a laptop should have is skipped: a row changed
since by anyone comes, a laptop restored from its own backup gets back what it sent after
it, and numbers of another history or made up take nothing from anyone else."""

from __future__ import annotations

import pytest
from server_fixtures import FACTORIES, Laptop, add_users, inproc_client, make_app, seed_factories
from test_sync_roundtrip import SYNC_TABLES, make_finalized, table_rows

from fieldapp.server.pull import pull
from fieldapp.store import inspections as insp
from fieldapp.store import own_rows
from fieldapp.store.backup import backup, restore
from fieldapp.store.templates import get_template
from fieldapp.sync import protocol as P


@pytest.fixture
def office(server_db):
    add_users(server_db)
    seed_factories(server_db, FACTORIES)
    return server_db, make_app(server_db)


PUSHED = "brought by the push"


def pulls_of(laptop) -> list[tuple[str | None, int]]:
    """Record each pull's ``own`` and how many rows it brought; a first page brought by a
    push (server/pull_ask.py) as ``(PUSHED, rows)``."""
    seen = []
    real, real_push = laptop.client.pull, laptop.client.push_answer

    def spy(*args, **kwargs):
        page = real(*args, **kwargs)
        seen.append((kwargs.get("own"), len(page["changes"])))
        return page

    def spy_push(*args, **kwargs):
        answer = real_push(*args, **kwargs)
        if answer.get("page") is not None:
            seen.append((PUSHED, len(answer["page"]["changes"])))
        return answer
    laptop.client.pull = spy
    laptop.client.push_answer = spy_push
    return seen


def draft_with_answers(store, factory: str, n: int = 20) -> str:
    template_id = store.query(
        "SELECT id FROM template_versions WHERE template_key = 'env-general'")[0]["id"]
    i = insp.create_inspection(store, factory_id=factory, template_version_id=template_id,
                               created_by="anong")
    for item_id in list(get_template(store, template_id).items)[:n]:
        insp.set_answer(store, i["id"], item_id, result="pass", note="ปกติ")
    return i["id"]


@pytest.mark.parametrize("brought", [True, False], ids=["page-in-push", "pull"])
def test_a_finalized_inspection_is_not_pulled_back_and_both_laptops_agree(office, tmp_path,
                                                                          brought):
    """The first page after the push comes in the push's answer (the office names the
    push's exact rows itself), or from a pull that names them (a laptop that does not ask,
    as with an office from before pages in pushes)."""
    db, app = office
    a = Laptop(tmp_path / "a.db", inproc_client(app), "anong")
    a2 = Laptop(tmp_path / "a2.db", inproc_client(app), "anong")
    if not brought:
        a.engine._pull_request = lambda: None
    try:
        assert a.sync().ok and a2.sync().ok
        factory = a.store.query("SELECT id FROM factories WHERE province_code = '10'")[0]["id"]
        make_finalized(a.store, factory)
        pulls = pulls_of(a)
        summary = a.sync()
        assert summary.ok, summary.errors
        sent = summary.pushed
        assert pulls[0][0] == PUSHED if brought else pulls[0][0] is not None  # named its own
        assert sum(n for _, n in pulls) < sent / 4, (pulls, sent)   # not the echo
        assert own_rows.for_pull(a.store, "x", 0, 64) is None       # passed: forgotten
        assert a2.sync().ok
        for table in SYNC_TABLES:
            assert table_rows(a.store, table) == table_rows(a2.store, table), table
    finally:
        a.close()
        a2.close()


def test_a_row_changed_since_by_another_laptop_comes_all_the_same(office, tmp_path):
    db, app = office
    a = Laptop(tmp_path / "a.db", inproc_client(app), "anong")
    a2 = Laptop(tmp_path / "a2.db", inproc_client(app), "anong")
    try:
        assert a.sync().ok and a2.sync().ok
        factory = a.store.query("SELECT id FROM factories WHERE province_code = '10'")[0]["id"]
        inspection = draft_with_answers(a.store, factory)
        a.engine.send(*_quiet())          # pushed, its exact rows noted, not pulled yet
        assert own_rows.for_pull(a.store, _epoch(a), 0, 64) is not None
        assert a2.sync().ok
        item = a2.store.query("SELECT item_id FROM answers WHERE inspection_id = ? "
                              "ORDER BY item_id LIMIT 1", (inspection,))[0]["item_id"]
        insp.set_answer(a2.store, inspection, item, result="fail", note="แก้ในเครื่องที่สอง")
        assert a2.sync().ok
        assert a.sync().ok
        got = a.store.query("SELECT result, note FROM answers WHERE inspection_id = ? "
                            "AND item_id = ?", (inspection, item))[0]
        assert got == {"result": "fail", "note": "แก้ในเครื่องที่สอง"}
        for table in SYNC_TABLES:
            assert table_rows(a.store, table) == table_rows(a2.store, table), table
    finally:
        a.close()
        a2.close()


def test_a_laptop_restored_from_its_own_backup_gets_back_what_it_sent_after_it(office,
                                                                              tmp_path):
    db, app = office
    path = tmp_path / "a.db"
    a = Laptop(path, inproc_client(app), "anong")
    assert a.sync().ok
    factory = a.store.query("SELECT id FROM factories WHERE province_code = '10'")[0]["id"]
    first = draft_with_answers(a.store, factory, 5)
    assert a.sync().ok
    backup(a.store, tmp_path / "a.zip")
    later = draft_with_answers(a.store, factory, 7)
    assert a.sync().ok
    a.close()
    restore(tmp_path / "a.zip", path)
    a = Laptop(path, inproc_client(app), "anong")
    try:
        assert a.sync().ok
        held = {r["id"] for r in a.store.query("SELECT id FROM inspections")}
        assert {first, later} <= held
        assert a.store.query("SELECT count(*) AS n FROM answers WHERE inspection_id = ?",
                             (later,))[0]["n"] == 7
    finally:
        a.close()


def test_the_office_skips_only_what_the_laptop_names_in_its_own_history(office, tmp_path):
    db, app = office
    a = Laptop(tmp_path / "a.db", inproc_client(app), "anong")
    try:
        assert a.sync().ok
        factory = a.store.query("SELECT id FROM factories WHERE province_code = '10'")[0]["id"]
        draft_with_answers(a.store, factory, 10)
        a.engine.send(*_quiet())
        epoch, cursor = _epoch(a), int(a.store.query(
            "SELECT value FROM sync_state WHERE key = 'pull_cursor'")[0]["value"])
        who = _principal(db, a)
        everything = pull(db, who, cursor)
        seqs = [c["seq"] for c in everything["changes"]]
        whole = ((min(seqs), max(seqs)),)
        # its own history: nothing sent again, the cursor past all of it
        skipped = pull(db, who, cursor, epoch=epoch, own=whole)
        assert skipped["changes"] == [] and skipped["cursor"] == max(seqs)
        # another history's numbers, or none named: everything
        for other in (pull(db, who, cursor, epoch="another", own=whole),
                      pull(db, who, cursor, own=whole)):
            assert [c["seq"] for c in other["changes"]] == seqs
        # numbers past the last change: the cursor does not run ahead of the office
        ahead = pull(db, who, cursor, epoch=epoch, own=((max(seqs) + 1, max(seqs) + 50),))
        assert ahead["cursor"] == max(seqs)
    finally:
        a.close()


@pytest.mark.parametrize("own", ["1-", "a-2", "5-3", "0-1", "1-2,", "-", "1-99999999999999999999",
                                 ",".join(["1-2"] * (P.MAX_OWN_RANGES + 1))])
def test_a_malformed_own_is_a_clear_400(office, tmp_path, own):
    db, app = office
    a = Laptop(tmp_path / "a.db", inproc_client(app), "anong")
    try:
        r = a.client.http.get("/v1/pull", params={"cursor": 0, "own": own},
                              headers={"Authorization": f"Bearer {a.token}",
                                       **P.version_headers()})
        assert r.status_code == 400, r.text
        assert "own" in r.json()["error"]["message"]
    finally:
        a.close()


def _quiet():
    from fieldapp.sync.summary import SyncSummary
    return SyncSummary(), lambda *a: None


def _epoch(laptop) -> str:
    return laptop.store.query("SELECT value FROM sync_state WHERE key = 'server_epoch'")[0][
        "value"]


def _principal(db, laptop):
    from fieldapp.server.auth import principal_for
    return principal_for(db, laptop.token)
