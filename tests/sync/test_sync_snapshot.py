"""The streamed first-sync snapshot (P.SNAPSHOT_LINES), on both backends: rows are applied
while the stream arrives, but in one local transaction with the cursor, so a stream cut
short, a crash or a cancel in the middle keeps nothing of it, and the next sync completes
without loss or duplicates. Also: a server that only knows the one-document snapshot."""

from __future__ import annotations

import gzip
import threading

import httpx
import pytest
from server_fixtures import FACTORIES, Laptop, add_users, inproc_client, make_app, seed_factories
from test_sync_faults import crash_after, sync_until_ok
from test_sync_roundtrip import SYNC_TABLES, table_rows

from fieldapp.server.auth import grant_province
from fieldapp.store import bulk_insert, signing, sync_state
from fieldapp.store import inspections as insp
from fieldapp.store.templates import get_template
from fieldapp.sync import client as client_module
from fieldapp.sync import protocol as P
from fieldapp.sync import snapshot as snapshot_module

MANY = [(f"10{n:012d}", "10", f"โรงงานที่ {n}") for n in range(40)]


class SnapshotFault(httpx.BaseTransport):
    """Passes everything through; the snapshot's body can be cut after the fraction ``cut``
    of its compressed bytes, or its request stripped of the Accept header (so the server
    answers as a server of before, with the one document)."""

    def __init__(self, inner: httpx.BaseTransport, cut: float | None = None,
                 old_server: bool = False, whole_lines: bool = False):
        self.inner = inner
        self.cut = cut
        self.whole_lines = whole_lines  # cut between two lines, not inside one
        self.old_server = old_server
        self.snapshots = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path != "/v1/snapshot":
            return self.inner.handle_request(request)
        self.snapshots += 1
        if self.old_server:
            del request.headers["accept"]
        response = self.inner.handle_request(request)
        if self.cut is None:
            return response
        raw = b"".join(response.stream)  # still gzip-compressed
        if self.whole_lines:
            lines = gzip.decompress(raw).split(b"\n")
            raw = gzip.compress(b"\n".join(lines[:int(len(lines) * self.cut)]) + b"\n")
        else:
            raw = raw[:int(len(raw) * self.cut)]
        headers = [(k, v) for k, v in response.headers.raw if k.lower() != b"content-length"]
        return httpx.Response(response.status_code, headers=headers, content=raw,
                              request=request)



def rows_everywhere(*laptops):
    return [{t: table_rows(lap.store, t) for t in SYNC_TABLES} for lap in laptops]


def local_state(store):
    return (store.query("SELECT count(*) AS n FROM factories")[0]["n"],
            sync_state.cursor(store), sync_state.get_state(store, "bootstrapped"),
            sync_state.get_state(store, "scope"))


@pytest.fixture
def office(server_db):
    add_users(server_db)
    seed_factories(server_db, FACTORIES + MANY)
    return server_db, make_app(server_db)


def test_snapshot_lines_carry_the_same_rows_as_the_document(office, tmp_path):
    db, app = office
    a = Laptop(tmp_path / "a.db", inproc_client(app), "anong")
    old = Laptop(tmp_path / "old.db", inproc_client(
        app, transport_wrapper=lambda t: SnapshotFault(t, old_server=True)), "anong")
    try:
        assert sync_until_ok(a).pulled >= len(MANY) + 2
        assert sync_until_ok(old).ok
        assert old.client.http._transport.snapshots == 1
        assert rows_everywhere(a)[0]["factories"] == rows_everywhere(old)[0]["factories"]
        assert local_state(a.store)[1] == local_state(old.store)[1] > 0
        assert local_state(a.store)[3] == local_state(old.store)[3] == "10"
    finally:
        a.close()
        old.close()


@pytest.mark.parametrize("fraction", [0.05, 0.3, 0.6, 0.97])
@pytest.mark.parametrize("whole_lines", [False, True])
def test_a_snapshot_cut_short_keeps_nothing_and_the_next_sync_completes(
        office, tmp_path, monkeypatch, fraction, whole_lines):
    db, app = office
    monkeypatch.setattr(client_module, "SNAPSHOT_PIECE", 300)  # many small batches
    monkeypatch.setattr(snapshot_module, "APPLY_ROWS", 5)       # applied while streaming
    reference = Laptop(tmp_path / "ref.db", inproc_client(app), "anong")
    sync_until_ok(reference)
    fault = {}

    def wrap(inner):
        fault["t"] = SnapshotFault(inner, cut=fraction, whole_lines=whole_lines)
        return fault["t"]

    laptop = Laptop(tmp_path / "a.db", inproc_client(app, transport_wrapper=wrap), "anong")
    laptop.client.retries = 0
    try:
        before = local_state(laptop.store)
        summary = laptop.sync()
        assert not summary.ok
        assert fault["t"].snapshots == 1
        assert local_state(laptop.store) == before == (0, 0, None, None)
        fault["t"].cut = None
        sync_until_ok(laptop)
        assert local_state(laptop.store)[0] == len(FACTORIES + MANY) - 1  # one in province 20
        assert rows_everywhere(laptop) == rows_everywhere(reference)
    finally:
        laptop.close()
        reference.close()


def test_a_crash_in_the_middle_of_a_snapshot_keeps_nothing(office, tmp_path, monkeypatch):
    db, app = office
    monkeypatch.setattr(client_module, "SNAPSHOT_PIECE", 300)
    monkeypatch.setattr(snapshot_module, "APPLY_ROWS", 5)
    reference = Laptop(tmp_path / "ref.db", inproc_client(app), "anong")
    laptop = Laptop(tmp_path / "a.db", inproc_client(app), "anong")
    try:
        sync_until_ok(reference)
        calls = {"n": 0}
        bulk = bulk_insert.insert_values

        def crashing(*args, **kwargs):
            assert bulk(*args, **kwargs)  # the first-sync path: rows straight in, in bulk
            calls["n"] += 1
            if calls["n"] == 3:
                raise KeyboardInterrupt("injected: laptop lost power")
            return True

        monkeypatch.setattr(bulk_insert, "insert_values", crashing)
        with pytest.raises(KeyboardInterrupt):
            laptop.sync()
        assert calls["n"] == 3
        assert local_state(laptop.store) == (0, 0, None, None)
        monkeypatch.setattr(bulk_insert, "insert_values", bulk)
        sync_until_ok(laptop)
        assert rows_everywhere(laptop) == rows_everywhere(reference)
    finally:
        laptop.close()
        reference.close()


def test_a_crash_while_a_new_snapshot_updates_rows_keeps_nothing(office, tmp_path,
                                                                 monkeypatch):
    """A re-snapshot over rows already here goes row by row; a crash there keeps the old
    cursor and scope, and the next sync completes."""
    db, app = office
    laptop = Laptop(tmp_path / "a.db", inproc_client(app), "anong")
    try:
        sync_until_ok(laptop)
        before = local_state(laptop.store)
        grant_province(db, "anong", "20")
        with crash_after(monkeypatch, 2), pytest.raises(KeyboardInterrupt):
            laptop.sync()
        assert local_state(laptop.store) == before
        sync_until_ok(laptop)
        assert local_state(laptop.store)[0] == len(FACTORIES + MANY)
        assert sync_state.get_state(laptop.store, "scope") == "10,20"
    finally:
        laptop.close()


def test_a_cancel_in_the_middle_of_a_snapshot_keeps_nothing(office, tmp_path, monkeypatch):
    db, app = office
    monkeypatch.setattr(client_module, "SNAPSHOT_PIECE", 300)
    monkeypatch.setattr(snapshot_module, "APPLY_ROWS", 5)
    laptop = Laptop(tmp_path / "a.db", inproc_client(app), "anong")
    cancel = threading.Event()

    def progress(stage, done, total):
        if stage == "snapshot" and done >= 10:
            cancel.set()

    try:
        summary = laptop.engine.run(progress=progress, cancel=cancel)
        assert summary.cancelled
        assert local_state(laptop.store) == (0, 0, None, None)
        sync_until_ok(laptop)
        assert local_state(laptop.store)[0] == len(FACTORIES + MANY) - 1
    finally:
        laptop.close()


def test_a_new_snapshot_applies_children_before_their_inspection_is_finalized(
        office, tmp_path, monkeypatch):
    """A re-snapshot (a province granted) of an inspection that was a draft here and is
    finalized on the server with changed answers: the answers must land before the
    finalize, although the stream sends inspections first (the schema refuses changes
    under a finalized inspection)."""
    db, app = office
    writer = Laptop(tmp_path / "w.db", inproc_client(app), "anong")
    reader = Laptop(tmp_path / "r.db", inproc_client(app), "anong")
    try:
        sync_until_ok(writer)
        factory = writer.store.query("SELECT id FROM factories LIMIT 1")[0]["id"]
        template_id = writer.store.query(
            "SELECT id FROM template_versions WHERE template_key = 'env-general'")[0]["id"]
        draft = insp.create_inspection(writer.store, factory_id=factory,
                                       template_version_id=template_id, created_by="anong")
        items = list(get_template(writer.store, template_id).items)
        for item_id in items:
            insp.set_answer(writer.store, draft["id"], item_id, result="na")
        sync_until_ok(writer)
        sync_until_ok(reader)
        assert reader.store.query("SELECT state FROM inspections WHERE id = ?",
                                  (draft["id"],)) == [{"state": "draft"}]
        for item_id in items:
            insp.set_answer(writer.store, draft["id"], item_id, result="not_checked",
                            note="แก้ไขแล้ว")
        insp.add_participant(writer.store, draft["id"], role="inspector", name="อนงค์")
        signing.sign(writer.store, draft["id"], signer_name="อนงค์", signer_role="inspector",
                     image_png=b"\x89PNGsig" * 50)
        signing.sign(writer.store, draft["id"], signer_name="ผู้แทน", signer_role="representative",
                     image_png=b"\x89PNGrep" * 50)
        signing.finalize(writer.store, draft["id"])
        sync_until_ok(writer)
        grant_province(db, "anong", "20")  # the reader's next sync takes a new snapshot
        monkeypatch.setattr(client_module, "SNAPSHOT_PIECE", 200)
        monkeypatch.setattr(snapshot_module, "APPLY_ROWS", 1)
        summary = sync_until_ok(reader)
        assert summary.skipped == 0
        assert sync_state.get_state(reader.store, "scope") == "10,20"
        sync_until_ok(writer)
        assert rows_everywhere(reader) == rows_everywhere(writer)
        assert reader.store.query("SELECT state FROM inspections WHERE id = ?",
                                  (draft["id"],)) == [{"state": "finalized"}]
    finally:
        writer.close()
        reader.close()


def test_a_damaged_stream_is_refused(office, tmp_path):
    """Lines out of place, a wrong row count, lines after the end: nothing is kept."""
    db, app = office
    laptop = Laptop(tmp_path / "a.db", inproc_client(app), "anong")
    head = {"protocol": P.PROTOCOL_VERSION, "cursor": 5, "scope": "10", "rows": 1}
    cols = {"table": "factories", "columns": ["id", "fid", "name", "updated_hlc",
                                             "device_id", "deleted"]}
    row = ["f1", "10999999999999", "x", "0000000000001-0000-office", "office", 0]
    bad = [[row, head, cols, {"end": 1}],                    # a row before the first line
           [head, row, cols, {"end": 1}],                    # a row before its columns
           [head, cols, row],                                # no end
           [head, cols, row, {"end": 2}],                    # end counts another number
           [head, cols, row, {"end": 1}, row],               # lines after the end
           [head, cols, row[:-1], {"end": 1}],               # a short row
           [{**head, "protocol": 99}, cols, row, {"end": 1}]]
    try:
        for lines in bad:
            with pytest.raises(client_module.SyncError):
                snapshot_module.apply_snapshot(laptop.store, [lines], lambda: None,
                                               lambda *a: None)
            assert local_state(laptop.store) == (0, 0, None, None)
        # the same row twice (the bulk insert refuses it; row by row, once is enough)
        counts, cursor = snapshot_module.apply_snapshot(
            laptop.store, [[{**head, "rows": 2}, cols], [row, row, {"end": 2}]],
            lambda: None, lambda *a: None)
        assert (counts["applied"] + counts["unchanged"], counts["skipped"], cursor) == (2, 0, 5)
        assert local_state(laptop.store)[:2] == (1, 5)
    finally:
        laptop.close()


@pytest.mark.parametrize("fail_at", [1, 3])
def test_a_server_failing_while_it_reads_the_snapshot_costs_nothing(office, tmp_path,
                                                                     monkeypatch, fail_at):
    """The server reads and encodes on a side thread while it streams: a failure on the
    first piece is answered as an error, a later one stops the stream without its closing
    line. Either way the laptop keeps nothing, and the next sync completes."""
    from fieldapp.server import pull as server_pull

    db, app = office
    reference = Laptop(tmp_path / "ref.db", inproc_client(app), "anong")
    sync_until_ok(reference)
    monkeypatch.setattr(server_pull, "SNAPSHOT_FLUSH_ROWS", 5)
    wire = server_pull._wire_values
    calls = {"n": 0}

    def failing(tbl, rows):
        calls["n"] += 1
        if calls["n"] == fail_at:
            raise RuntimeError("injected: the disk went away")
        return wire(tbl, rows)

    monkeypatch.setattr(server_pull, "_wire_values", failing)
    laptop = Laptop(tmp_path / "a.db", inproc_client(app), "anong")
    laptop.client.retries = 0
    try:
        summary = laptop.sync()
        assert not summary.ok and calls["n"] >= fail_at
        # at once: an error answer; later: a stream without its closing line
        assert ("server error" if fail_at == 1 else "cut short") in summary.errors[0]
        assert local_state(laptop.store) == (0, 0, None, None)
        monkeypatch.setattr(server_pull, "_wire_values", wire)
        sync_until_ok(laptop)
        assert rows_everywhere(laptop) == rows_everywhere(reference)
    finally:
        laptop.close()
        reference.close()


def test_only_a_first_sync_holds_the_write_lock_while_the_snapshot_streams(office, tmp_path,
                                                                            monkeypatch):
    """A first sync applies rows as they arrive (inside its transaction); a new snapshot on
    a laptop in use (a province granted) is downloaded whole before the transaction opens,
    so the app's own saves never wait on the network."""
    db, app = office
    laptop = Laptop(tmp_path / "a.db", inproc_client(app), "anong")
    original = laptop.client.snapshot_lines
    depths: list[int] = []

    def watched():
        for batch in original():
            depths.append(laptop.store._depth)  # is a local transaction open right now?
            yield batch

    monkeypatch.setattr(laptop.client, "snapshot_lines", watched)
    monkeypatch.setattr(client_module, "SNAPSHOT_PIECE", 300)
    try:
        sync_until_ok(laptop)
        assert len(depths) > 1 and all(depths[1:])  # streamed into the open transaction
        depths.clear()
        grant_province(db, "anong", "20")
        sync_until_ok(laptop)
        assert len(depths) > 1 and not any(depths)  # all of it arrived before the lock
        assert local_state(laptop.store)[0] == len(FACTORIES + MANY)
    finally:
        laptop.close()


def test_a_snapshot_is_applied_with_a_roomy_page_cache_then_the_setting_comes_back(
        office, tmp_path):
    """The snapshot's pages stay in memory until its one commit (no spilling to the WAL and
    reading back), and the connection's own cache size is back afterwards, also after a
    damaged stream."""
    db, app = office
    laptop = Laptop(tmp_path / "a.db", inproc_client(app), "anong")
    conn = laptop.store.conn
    head = {"protocol": P.PROTOCOL_VERSION, "cursor": 5, "scope": "10", "rows": 1}
    cols = {"table": "factories", "columns": ["id", "fid", "name", "updated_hlc",
                                             "device_id", "deleted"]}
    row = ["f1", "10999999999999", "x", "0000000000001-0000-office", "office", 0]
    seen: list[int] = []

    def check() -> None:  # runs inside the snapshot's transaction
        seen.append(conn.execute("PRAGMA cache_size").fetchone()[0])

    try:
        conn.execute("PRAGMA cache_size = -1000")
        with pytest.raises(client_module.SyncError):
            snapshot_module.apply_snapshot(laptop.store, [[head, cols, row]], check,
                                           lambda *a: None)
        assert conn.execute("PRAGMA cache_size").fetchone()[0] == -1000
        snapshot_module.apply_snapshot(laptop.store, [[head, cols], [row, {"end": 1}]],
                                       check, lambda *a: None)
        assert local_state(laptop.store)[:2] == (1, 5)
        assert seen and set(seen) == {-snapshot_module.SNAPSHOT_CACHE_KIB}
        assert conn.execute("PRAGMA cache_size").fetchone()[0] == -1000
        # a connection that already has more keeps its own
        conn.execute(f"PRAGMA cache_size = -{2 * snapshot_module.SNAPSHOT_CACHE_KIB}")
        seen.clear()
        snapshot_module.apply_snapshot(laptop.store, [[{**head, "rows": 0}, {"end": 0}]],
                                       check, lambda *a: None)
        assert set(seen) == {-2 * snapshot_module.SNAPSHOT_CACHE_KIB}
    finally:
        laptop.close()


def test_a_first_sync_builds_the_search_index_after_it_and_search_works_meanwhile(
        server_db, tmp_path):
    """Large enough for the bulk path: the sync leaves the factories' search index pending,
    starts building it once its own writes are done, and search finds the same rows
    before and after (store/search_index.py)."""
    from fieldapp.store import search_index
    from fieldapp.store.db import Store
    from fieldapp.store.search import count_factories, search_factories

    add_users(server_db)
    seed_factories(server_db, [(f"10{n:012d}", "10", f"โรงงานตัวอย่าง {n} Steel")
                               for n in range(bulk_insert.BULK_FTS_ROWS + 100)])
    laptop = Laptop(tmp_path / "a.db", inproc_client(make_app(server_db)), "anong")
    started = []
    real = Store.build_search_index

    def build(store):
        started.append((search_index.is_pending(store.conn), _search(store)))
        return real(store)

    def _search(store):
        return [([r["id"] for r in search_factories(store, q, limit=1000)],
                 count_factories(store, q)) for q in ("ตัวอย่าง 12", "steel", "000000000042")]

    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(Store, "build_search_index", build)
            sync_until_ok(laptop)
        pending, before = started[0]
        assert pending and before[1][1] == bulk_insert.BULK_FTS_ROWS + 100
        assert laptop.store.index_build.wait(30) and laptop.store.index_build.built
        assert not search_index.is_pending(laptop.store.conn)
        assert _search(laptop.store) == before
        assert sync_until_ok(laptop).ok  # a later sync has nothing to build
        assert not search_index.is_pending(laptop.store.conn)
    finally:
        laptop.close()
