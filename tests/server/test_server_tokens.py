"""Device tokens on both backends: a new password revokes them, they expire unless a sync
renews them, a refused login says nothing about which part was wrong, an admin revokes a
login by the server's own id, and the laptop is told in Thai to log in again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from server_fixtures import (
    PASSWORD,
    Laptop,
    TestClient,
    add_users,
    inproc_client,
    make_app,
)

from fieldapp.core.errors import NotFoundError
from fieldapp.server.app import create_app
from fieldapp.server.auth import (
    grant_province,
    list_devices,
    principal_for,
    revoke_device,
    set_disabled,
    set_password,
)
from fieldapp.server.limits import LoginLimiter
from fieldapp.sync import protocol as P

LOG_IN_AGAIN = "กรุณาเข้าสู่ระบบใหม่"


@pytest.fixture
def api(server_db):
    add_users(server_db)
    client = TestClient(make_app(server_db), raise_server_exceptions=False)
    client.headers.update(P.version_headers())
    return client


def log_in(api, user, device="laptop-1", password=PASSWORD):
    return api.post("/v1/login", json={"username": user, "password": password,
                                       "device_id": device})


def bearer(api, user, device="laptop-1"):
    r = log_in(api, user, device)
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['token']}"}


def iso(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def when(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def device_row(db, device_id):
    with db.read() as c:
        return c.one("SELECT * FROM devices WHERE device_id = ?", (device_id,))


def set_row(db, device_id, **values):
    with db.write() as c:
        for column, value in values.items():
            c.run(f"UPDATE devices SET {column} = ? WHERE device_id = ?", (value, device_id))


def test_a_new_password_revokes_that_users_tokens(api, server_db):
    first, second = bearer(api, "anong", "laptop-1"), bearer(api, "anong", "laptop-2")
    other = bearer(api, "boon", "laptop-3")
    set_password(server_db, "anong", "a brand new password")
    for auth in (first, second):
        r = api.get("/v1/pull", headers=auth)
        assert r.status_code == 401 and LOG_IN_AGAIN in r.json()["error"]["message"]
    assert api.get("/v1/pull", headers=other).status_code == 200
    assert log_in(api, "anong", "laptop-1", "a brand new password").status_code == 200


def test_a_token_lives_thirty_days_and_each_sync_renews_it(api, server_db):
    auth = bearer(api, "anong")
    expires = when(device_row(server_db, "laptop-1")["expires_at"])
    assert abs(expires - datetime.now(UTC) - timedelta(days=30)) < timedelta(minutes=1)
    # Last seen yesterday, one day left: a sync brings it back to thirty days.
    set_row(server_db, "laptop-1", last_seen=iso(datetime.now(UTC) - timedelta(days=1)),
            expires_at=iso(datetime.now(UTC) + timedelta(days=1)))
    assert api.get("/v1/pull", headers=auth).status_code == 200
    renewed = when(device_row(server_db, "laptop-1")["expires_at"])
    assert renewed - datetime.now(UTC) > timedelta(days=29)
    # Past its time: refused, and the laptop is told to log in again.
    set_row(server_db, "laptop-1", expires_at=iso(datetime.now(UTC) - timedelta(seconds=1)))
    r = api.get("/v1/pull", headers=auth)
    assert r.status_code == 401 and LOG_IN_AGAIN in r.json()["error"]["message"]


def test_the_lifetime_is_a_setting(server_db):
    add_users(server_db)
    api = TestClient(create_app(server_db, LoginLimiter(), token_days=2),
                     raise_server_exceptions=False)
    api.headers.update(P.version_headers())
    bearer(api, "anong")
    expires = when(device_row(server_db, "laptop-1")["expires_at"])
    assert abs(expires - datetime.now(UTC) - timedelta(days=2)) < timedelta(minutes=1)


def test_tokens_from_before_expiry_count_from_when_they_were_last_seen(api, server_db):
    auth = bearer(api, "anong")
    set_row(server_db, "laptop-1", expires_at=None,
            last_seen=iso(datetime.now(UTC) - timedelta(days=10)))
    assert api.get("/v1/pull", headers=auth).status_code == 200
    assert device_row(server_db, "laptop-1")["expires_at"] is not None   # renewed
    set_row(server_db, "laptop-1", expires_at=None,
            last_seen=iso(datetime.now(UTC) - timedelta(days=31)))
    assert api.get("/v1/pull", headers=auth).status_code == 401
    auth2 = bearer(api, "boon", "laptop-2")
    set_row(server_db, "laptop-2", expires_at=None, last_seen=None,
            created_at=iso(datetime.now(UTC) - timedelta(days=31)))
    assert api.get("/v1/pull", headers=auth2).status_code == 401


def test_one_message_for_wrong_password_unknown_user_and_disabled_account(api, server_db):
    set_disabled(server_db, "boon")
    answers = [log_in(api, "anong", password="wrong password"),
               log_in(api, "nobody-here"),
               log_in(api, "boon")]                      # right password, disabled account
    assert [r.status_code for r in answers] == [401, 401, 401]
    messages = {r.json()["error"]["message"] for r in answers}
    assert len(messages) == 1, messages
    assert "disabled" in messages.pop()  # it says what to check, not which one it was


def test_revoke_takes_the_servers_id_not_the_laptops_own(api, server_db):
    auth = bearer(api, "anong", "laptop-1")
    # another user's laptop may not claim the same id (tests/server/test_server_device_ids.py)
    assert log_in(api, "boon", "laptop-1").status_code == 400
    other = bearer(api, "boon", "laptop-2")
    with pytest.raises(NotFoundError, match="devices list"):
        revoke_device(server_db, "laptop-1")
    assert api.get("/v1/pull", headers=auth).status_code == 200
    row = next(d for d in list_devices(server_db) if d["username"] == "anong")
    revoke_device(server_db, row["id"])
    assert api.get("/v1/pull", headers=auth).status_code == 401
    assert api.get("/v1/pull", headers=other).status_code == 200


@pytest.mark.parametrize("how", ["revoked", "expired"])
def test_the_laptop_is_told_in_thai_to_log_in_again(server_db, tmp_path, how):
    add_users(server_db)
    laptop = Laptop(tmp_path / "laptop.db", inproc_client(make_app(server_db)), "anong")
    try:
        assert laptop.sync().ok
        if how == "revoked":
            revoke_device(server_db, list_devices(server_db)[0]["id"])
        else:
            with server_db.write() as c:
                c.run("UPDATE devices SET expires_at = ?",
                      (iso(datetime.now(UTC) - timedelta(days=1)),))
        summary = laptop.sync()
        assert not summary.ok
        line = summary.line()
        assert LOG_IN_AGAIN in line and "log in again" in line, line
    finally:
        laptop.close()


def test_an_older_servers_refusal_is_still_said_in_thai():
    import httpx

    from fieldapp.sync.client import AuthRequired, SyncClient

    def old_server(request):
        return httpx.Response(401, json={"error": {"code": "unauthorized",
                                                   "message": "token unknown or revoked"}})
    client = SyncClient("http://testserver", "t", transport=httpx.MockTransport(old_server))
    with pytest.raises(AuthRequired, match=LOG_IN_AGAIN) as caught:
        client.pull(0)
    assert "token unknown or revoked" in str(caught.value)


def test_a_token_carries_the_users_provinces_as_they_are_now(api, server_db):
    """Read in one statement with the login (auth.principal_for): every province, none for
    an admin, and a province taken away is gone from the next request."""
    grant_province(server_db, "anong", "20")
    token = log_in(api, "anong").json()["token"]
    assert principal_for(server_db, token).provinces == {"10", "20"}
    grant_province(server_db, "anong", "20", revoke=True)
    assert principal_for(server_db, token).provinces == {"10"}
    admin = principal_for(server_db, log_in(api, "admin", "office-pc").json()["token"])
    assert admin.provinces == frozenset() and admin.is_admin
