"""The laptop side: TLS verification with a custom CA, token storage, the commands, idle sync
round trips, backoff on a flaky server, update-required answers."""

from __future__ import annotations

import io
import os
import stat
import subprocess
import sys

import pytest
from server_fixtures import (
    FACTORIES,
    PASSWORD,
    Laptop,
    add_users,
    inproc_client,
    live_server,
    make_app,
    seed_factories,
)

from fieldapp import cli
from fieldapp.store.factories import update_field_info
from fieldapp.store.sync_state import get_state, pending_count
from fieldapp.sync import protocol as P
from fieldapp.sync.client import SyncClient, SyncError, UpdateRequired
from fieldapp.sync.tokens import TokenStore


@pytest.fixture
def office(server_db):
    add_users(server_db)
    seed_factories(server_db, FACTORIES)
    return make_app(server_db)


def make_cert(folder):
    """A self-signed certificate for 127.0.0.1 (the office's own CA, in effect)."""
    key, cert = folder / "key.pem", folder / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    return cert, key


def test_tls_is_verified_and_a_custom_ca_bundle_works(office, tmp_path):
    cert, key = make_cert(tmp_path)
    with live_server(office, ssl_certfile=str(cert), ssl_keyfile=str(key)) as url:
        assert url.startswith("https://")
        untrusting = SyncClient(url, retries=0)
        with pytest.raises(SyncError) as err:
            untrusting.health()
        # certificate not trusted: refused, and named as a certificate problem
        assert err.value.code == "certificate" and "--ca-bundle" in str(err.value)
        assert "unreachable" not in str(err.value)
        trusting = SyncClient(url, verify=str(cert), retries=0)
        assert trusting.health()["status"] == "ok"
        answer = trusting.login("anong", PASSWORD, "dev1")
        assert answer["provinces"] == ["10"]


def test_idle_sync_takes_at_most_three_round_trips(office, tmp_path):
    laptop = Laptop(tmp_path / "a.db", inproc_client(office), "anong")
    try:
        assert laptop.sync().ok
        assert laptop.sync().ok  # acks of the bundled templates come back once
        idle = laptop.sync()
        assert idle.ok and idle.requests <= 3, idle.requests
    finally:
        laptop.close()


def test_old_client_is_told_to_update_and_keeps_its_changes(office, tmp_path, monkeypatch):
    laptop = Laptop(tmp_path / "a.db", inproc_client(office), "anong")
    try:
        assert laptop.sync().ok
        factory = laptop.store.query("SELECT id FROM factories LIMIT 1")[0]["id"]
        update_field_info(laptop.store, factory, phone="02-000")
        before = pending_count(laptop.store)
        assert before > 0
        laptop.client.http.headers[P.H_PROTOCOL] = "0"
        summary = laptop.sync()
        assert not summary.ok and "update" in summary.errors[0].lower()
        assert pending_count(laptop.store) == before
        with pytest.raises(UpdateRequired):
            laptop.client.pull(0)
    finally:
        laptop.close()


def test_a_laptop_newer_than_the_office_server_is_told_the_server_needs_the_update():
    """Updating the laptop cannot help when the office's server is the older one; a server
    of another protocol, or a newer one, still says to update FieldApp."""
    import httpx

    def office_of(schema: int, protocol: int = P.PROTOCOL_VERSION):
        def answer(request):
            return httpx.Response(426, json={"error": {
                "code": "update_required", "protocol": protocol, "schema": schema,
                "message": "กรุณาปรับปรุง FieldApp เป็นรุ่นใหม่ (update required)"}})
        return SyncClient("http://office", "t", transport=httpx.MockTransport(answer))

    with pytest.raises(UpdateRequired) as older:
        office_of(P.SCHEMA_VERSION - 1).pull(0)
    assert "office's server is older" in str(older.value) and "kept" in str(older.value)
    for other in (office_of(P.SCHEMA_VERSION + 1), office_of(1, protocol=99)):
        with pytest.raises(UpdateRequired) as told:
            other.pull(0)
        assert "update required" in str(told.value)


def test_flaky_server_is_retried_with_backoff(office, tmp_path):
    import httpx

    class Flaky(httpx.BaseTransport):
        def __init__(self, inner):
            self.inner, self.calls = inner, 0

        def handle_request(self, request):
            self.calls += 1
            if self.calls % 3:
                return httpx.Response(503, json={"error": {"code": "internal",
                                                           "message": "busy"}})
            return self.inner.handle_request(request)

    waits = []
    client = inproc_client(office, transport_wrapper=Flaky)
    client.sleep = waits.append
    assert client.health()["status"] == "ok"
    assert len(waits) == 2 and waits[1] > 0


def test_token_file_is_private_and_round_trips(tmp_path):
    store = TokenStore(tmp_path / "t" / "sync-token.json", use_keyring=False)
    where = store.save("https://office", "anong", "secret-token")
    assert where.endswith("sync-token.json")
    mode = stat.S_IMODE(os.stat(where).st_mode)
    assert mode == 0o600
    assert store.load("https://office/", "anong") == "secret-token"
    assert store.load("https://office", "boon") is None
    store.forget("https://office", "anong")
    assert store.load("https://office", "anong") is None


def test_login_and_sync_commands(office, tmp_path, monkeypatch, capsys):
    with live_server(office) as url:
        db = str(tmp_path / "laptop.db")
        monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
        # the command-line keyring may be absent here; the 0600 file is the fallback
        monkeypatch.setattr("fieldapp.sync.tokens._keyring", lambda: None)
        assert cli.main(["--db", db, "login", "--server", url, "--user", "anong"]) == 0
        assert "anong" in capsys.readouterr().out
        assert cli.main(["--db", db, "sync", "--quiet"]) == 0
        out = capsys.readouterr().out.strip().splitlines()
        # province 10's two factories and the three checklists the office published
        assert out[-1].startswith("ส่ง") and "pulled 5" in out[-1]
        from fieldapp.store.db import open_store
        with open_store(db) as store:
            assert get_state(store, "server_url") == url
            assert store.query("SELECT count(*) AS n FROM factories")[0]["n"] == 2
            # A change the office refuses: a factory of a province anong was not granted.
            from fieldapp.store.changes import save_row
            from fieldapp.store.factories import factory_id
            save_row(store, "factories", {"id": factory_id("20200000000013"),
                                          "fid": "20200000000013", "name": "โรงงานนอกเขต",
                                          "province_code": "20"})
        # Synced, but with a change refused: a script can tell (exit 2), not only a person.
        assert cli.main(["--db", db, "sync", "--quiet"]) == 2
        assert "rejected 1" in capsys.readouterr().out
        monkeypatch.setattr(sys, "stdin", io.StringIO("wrong password\n"))
        assert cli.main(["--db", db, "login", "--server", url, "--user", "anong"]) == 1
        assert "password" in capsys.readouterr().err


def test_sync_without_login_says_what_to_do(tmp_path, capsys):
    assert cli.main(["--db", str(tmp_path / "x.db"), "sync"]) == 1
    assert "fieldapp login" in capsys.readouterr().err


def test_a_demo_database_is_never_sent(server_db, tmp_path):
    from server_fixtures import (
        FACTORIES,
        Laptop,
        add_users,
        inproc_client,
        make_app,
        seed_factories,
    )

    from fieldapp.store.demo_removal import load_marked_demo

    add_users(server_db)
    seed_factories(server_db, FACTORIES)
    app = make_app(server_db)
    laptop = Laptop(tmp_path / "demo.db", inproc_client(app), "anong")
    try:
        assert load_marked_demo(laptop.store, 20)
        before = laptop.store.query("SELECT count(*) AS n FROM outbox WHERE status = 'pending'")
        summary = laptop.sync()
        assert not summary.ok and "demo" in summary.errors[0]
        assert summary.requests == 0
        after = laptop.store.query("SELECT count(*) AS n FROM outbox WHERE status = 'pending'")
        assert before == after
    finally:
        laptop.close()


def test_listing_refused_changes_says_when_there_are_none_and_sends_nothing(tmp_path,
                                                                             capsys):
    assert cli.main(["--db", str(tmp_path / "x.db"), "sync", "--rejected"]) == 0
    out = capsys.readouterr().out
    assert "no changes were refused" in out and "fieldapp sync" in out


def test_files_the_office_does_not_hold_yet_are_said_not_counted_as_downloaded(
        tmp_path, monkeypatch):
    """The progress counted 12 files to fetch and the line said "downloaded 0": the office
    did not hold them yet (their laptop had not sent them). The line says so."""
    from fieldapp.store.db import open_store
    from fieldapp.sync import engine as engine_module
    from fieldapp.sync.engine import SyncEngine
    from fieldapp.sync.summary import SyncSummary

    class Office:
        def download(self, sha):
            raise SyncError("no such attachment here", P.E_NOT_FOUND, 404)

    with open_store(tmp_path / "l.db") as store:
        monkeypatch.setattr(engine_module.sync_state, "missing_local_blobs",
                            lambda _store: ["ab" * 32, "cd" * 32])
        engine = SyncEngine(store, "http://office.invalid", lambda: "t", client=Office())
        summary = SyncSummary()
        engine.download(summary, lambda *a: None)
    assert (summary.downloaded, summary.awaited) == (0, 2)
    assert "2 files not on the server yet" in summary.line()
