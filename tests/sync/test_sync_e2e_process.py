"""End to end with real processes: ``fieldapp-server serve`` on loopback backed by the real
PostgreSQL, two laptop databases, an inspection with photos; the server is SIGKILLed in the
middle of an upload and restarted; the laptop resumes from the server's offset and both
laptops converge."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from server_fixtures import FACTORIES, Laptop, add_users, free_port, pg_schema_url, seed_factories
from test_sync_roundtrip import SYNC_TABLES, make_finalized, table_rows

from fieldapp.server.database import open_database
from fieldapp.store import sync_state
from fieldapp.sync import uploads as uploads_module
from fieldapp.sync.client import SyncClient

SERVER = Path(sys.executable).with_name("fieldapp-server")
pytestmark = pytest.mark.postgres


def start_server(url: str, port: int) -> subprocess.Popen:
    proc = subprocess.Popen([str(SERVER), "--db", url, "serve", "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/v1/health", timeout=1).status_code == 200:
                return proc
        except httpx.TransportError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"server did not start: {proc.stdout.read().decode()}")


class KillMidUpload(httpx.BaseTransport):
    """Real HTTP; SIGKILLs the server right after the Nth upload chunk was stored."""

    def __init__(self, kill_after: int):
        self.inner = httpx.HTTPTransport()
        self.kill_after = kill_after
        self.puts = 0
        self.sent = 0
        self.server: subprocess.Popen | None = None

    def handle_request(self, request):
        response = self.inner.handle_request(request)
        if request.method == "PUT":
            self.puts += 1
            self.sent += len(request.content)
            if self.puts == self.kill_after and self.server is not None:
                response.read()
                os.kill(self.server.pid, signal.SIGKILL)
                self.server.wait()
                raise httpx.ReadError("server died", request=request)
        return response


@pytest.mark.skipif(not SERVER.exists(), reason="fieldapp-server is not installed in this venv")
def test_server_killed_mid_upload_then_both_laptops_converge(pg_database, tmp_path,
                                                             monkeypatch):
    monkeypatch.setattr(uploads_module, "CHUNK", 256 * 1024)
    with pg_schema_url(pg_database) as url:
        db = open_database(url)
        add_users(db)
        seed_factories(db, FACTORIES)
        db.close()
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = start_server(url, port)
        transport = KillMidUpload(kill_after=3)
        transport.server = server
        a = Laptop(tmp_path / "a.db", SyncClient(base, transport=transport, retries=1,
                                                 backoff=0.01), "anong")
        b = Laptop(tmp_path / "b.db", SyncClient(base, retries=1, backoff=0.01), "anong")
        a.engine.uploads.parallel = 4  # as shipped: photos travel while changes are pushed
        try:
            assert a.sync().ok and b.sync().ok
            factory = a.store.query("SELECT id FROM factories LIMIT 1")[0]["id"]
            photo = os.urandom(2_000_000)
            inspection, digest = make_finalized(a.store, factory, photo=photo, answers=4)
            cut = a.sync()
            assert not cut.ok and server.poll() is not None, "the server should be dead"
            assert sync_state.pending_count(a.store) > 0   # nothing acknowledged was lost
            server = start_server(url, port)
            summary = a.sync()
            assert summary.ok, summary.errors
            # resumed at the server's offset: at most the killed chunk was sent twice
            total = sum(r["size"] for r in a.store.query(
                "SELECT DISTINCT sha256, size FROM attachments"))
            assert transport.sent <= total + 256 * 1024
            assert b.sync().ok and a.sync().ok
            for table in SYNC_TABLES:
                assert table_rows(a.store, table) == table_rows(b.store, table), table
            from fieldapp.store.inspections import compute_content_hash
            assert compute_content_hash(b.store, inspection) == digest
        finally:
            a.close()
            b.close()
            if server.poll() is None:
                server.terminate()
                server.wait(10)
