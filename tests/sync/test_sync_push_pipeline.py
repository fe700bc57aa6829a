"""The push pipeline records the answers to one request while the next one travels. When a
later request fails, or the sync is cancelled, the answers that did arrive are still
recorded before the sync stops: nothing the server acknowledged stays pending, nothing it
did not see is marked sent."""

from __future__ import annotations

import threading

import httpx
import pytest
from server_fixtures import FACTORIES, Laptop, add_users, inproc_client, make_app, seed_factories

from fieldapp.store import sync_state
from fieldapp.store.changes import save_rows
from fieldapp.store.factories import factory_id
from fieldapp.sync import push as push_module


class FailPush(httpx.BaseTransport):
    """Answers push number ``fail_at`` (1-based) with a 400, or calls ``hook`` before it."""

    def __init__(self, inner, fail_at: int, hook=None):
        self.inner, self.fail_at, self.hook, self.pushes = inner, fail_at, hook, 0

    def handle_request(self, request):
        if request.url.path == "/v1/push":
            self.pushes += 1
            if self.pushes == self.fail_at:
                if self.hook is not None:
                    self.hook()
                else:
                    return httpx.Response(400, json={"error": {"code": "bad_request",
                                                               "message": "injected"}})
        response = self.inner.handle_request(request)
        response.read()
        return response


# New factories named as every laptop names them (the office refuses other ids for them).
EXTRA = [(f"1099{n:010d}", factory_id(f"1099{n:010d}")) for n in range(10)]


def _outbox(store):
    marks = ", ".join("?" * len(EXTRA))
    return store.query(f"SELECT seq, status FROM outbox WHERE table_name = 'factories' "
                       f"AND row_id IN ({marks}) ORDER BY seq", [i for _, i in EXTRA])


@pytest.mark.parametrize("how", ["request fails", "cancelled"])
def test_answers_that_arrived_are_recorded_when_a_later_push_stops(server_db, tmp_path,
                                                                   monkeypatch, how):
    add_users(server_db)
    seed_factories(server_db, FACTORIES)
    app = make_app(server_db)
    wrapper = {}
    laptop = Laptop(tmp_path / "a.db", inproc_client(
        app, transport_wrapper=lambda inner: wrapper.setdefault("t", FailPush(inner, 0))),
        "anong")
    try:
        assert laptop.sync().ok
        cancel = threading.Event()
        save_rows(laptop.store, "factories", [
            {"id": row_id, "fid": fid, "name": f"โรงงาน {n}", "province_code": "10"}
            for n, (fid, row_id) in enumerate(EXTRA)])
        monkeypatch.setattr(push_module, "PUSH_BATCH", 3)
        transport = wrapper["t"]
        transport.pushes, transport.fail_at = 0, 3
        if how == "cancelled":
            # cancelled while the third request is on its way: it still completes
            transport.hook = cancel.set
        summary = laptop.engine.run(cancel=cancel)
        assert not summary.ok
        rows = _outbox(laptop.store)
        statuses = [r["status"] for r in rows]
        if how == "request fails":
            # two requests answered: their six changes recorded, the rest still pending
            assert statuses == ["acked"] * 6 + ["pending"] * 4
            assert summary.pushed == 6
        else:
            # the third request was answered too, then the sync stopped before a fourth
            assert statuses == ["acked"] * 9 + ["pending"]
            assert summary.cancelled and summary.pushed == 9
        with server_db.read() as c:
            on_server = sum(c.value("SELECT count(*) FROM records WHERE id = ?", (row_id,))
                            for _, row_id in EXTRA)
        assert on_server == statuses.count("acked")
        transport.fail_at, transport.hook = 0, None
        assert laptop.sync().ok
        assert [r["status"] for r in _outbox(laptop.store)] == ["acked"] * 10
        assert sync_state.pending_count(laptop.store) == 0
    finally:
        laptop.close()
