"""Keystrokes folded into one outbox entry (store/changes.py) must never be lost, even when
the office applied that entry and the laptop lost the mark that a push was under way (power
cut before the mark reached the disk; the laptop restored from its own backup)."""

from __future__ import annotations

import random

import httpx
from server_fixtures import (
    FACTORIES,
    FaultTransport,
    Laptop,
    add_users,
    inproc_client,
    make_app,
    seed_factories,
)

from fieldapp.store import inspections as insp
from fieldapp.store import sync_state
from fieldapp.store.changes import save_row


class _AnswerLost(FaultTransport):
    """The office applies a push; its answer never reaches the laptop."""

    def handle_request(self, request):
        if self.enabled and request.url.path.endswith("/push"):
            self.inner.handle_request(request).read()
            self.faults += 1
            raise httpx.ReadError("injected: push answer lost", request=request)
        return self.inner.handle_request(request)


def test_a_change_folded_into_an_entry_the_office_applied_still_arrives(server_db,
                                                                         tmp_path):
    add_users(server_db)
    seed_factories(server_db, FACTORIES)
    app = make_app(server_db)
    faults: list[_AnswerLost] = []

    def wrap(inner):
        transport = _AnswerLost(inner, random.Random(1))
        transport.enabled = False
        faults.append(transport)
        return transport

    a = Laptop(tmp_path / "a.db", inproc_client(app, transport_wrapper=wrap), "anong")
    try:
        assert a.sync().ok
        factory = a.store.query("SELECT id FROM factories WHERE province_code = '10'")[0]["id"]
        template = a.store.query("SELECT id FROM template_versions LIMIT 1")[0]["id"]
        row = insp.create_inspection(a.store, factory_id=factory,
                                     template_version_id=template)
        assert a.sync().ok
        save_row(a.store, "inspections", {"id": row["id"], "purpose": "ก"})
        faults[0].enabled = True
        assert not a.sync().ok                 # applied at the office, answer lost
        faults[0].enabled = False
        # The mark of the unanswered push lost (a power cut; or a restored backup).
        a.store.conn.execute("UPDATE sync_state SET value = NULL "
                             "WHERE key = 'push_unanswered'")
        save_row(a.store, "inspections", {"id": row["id"], "purpose": "กข"})   # folded
        assert a.sync().ok
        assert sync_state.pending_count(a.store) == 0
        with server_db.read() as c:
            data = c.value("SELECT data FROM records WHERE tbl = 'inspections' AND id = ?",
                           (row["id"],))
        assert '"กข"' in data, data
    finally:
        a.close()
