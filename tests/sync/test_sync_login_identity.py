"""The login remembers the office's user id: plans name their inspector by it ("my plan")."""

from __future__ import annotations

from server_fixtures import PASSWORD, add_users, inproc_client, make_app

from fieldapp.store.db import open_store
from fieldapp.store.office_loop import account as signed_in_account
from fieldapp.sync import account


def test_login_keeps_the_user_id_the_office_plans_with(server_db, tmp_path, monkeypatch):
    add_users(server_db)
    app = make_app(server_db)
    monkeypatch.setattr(account, "SyncClient", lambda server, **_kw: inproc_client(app))
    with server_db.read() as c:
        anong = c.one("SELECT id FROM users WHERE username = 'anong'")["id"]
    store = open_store(tmp_path / "laptop.db")
    try:
        answer = account.login(store, "http://127.0.0.1:8765", "anong", PASSWORD)
        assert answer["user_id"] == anong
        assert signed_in_account(store) == {"user_id": anong, "username": "anong"}
    finally:
        store.close()
