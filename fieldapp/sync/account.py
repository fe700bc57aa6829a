"""This laptop's connection to the office: log in, remember the server, build the engine.

The one place that knows where the server address (table ``sync_state``) and the token (OS
keyring or a 0600 file beside the database) are kept; the ``fieldapp login``/``sync`` commands
and the GUI's login dialog and background worker both go through here.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from fieldapp.core.errors import FieldAppError
from fieldapp.store.db import Store
from fieldapp.store.sync_state import get_state, set_state
from fieldapp.sync.client import SyncClient
from fieldapp.sync.engine import SyncEngine
from fieldapp.sync.tokens import TokenStore

NOT_CONNECTED = ("ยังไม่ได้เชื่อมต่อเซิร์ฟเวอร์ (no server yet) — run "
                 "`fieldapp login --server URL --user NAME` first")


def token_store(store: Store) -> TokenStore:
    return TokenStore(store.path.parent / "sync-token.json")


INSECURE_OK = "insecure_http"  # sync_state: "1" when the login confirmed plain http
HTTP_NOT_CONFIRMED = ("ที่อยู่เซิร์ฟเวอร์ที่บันทึกไว้เป็น http:// ซึ่งไม่เข้ารหัส จึงยังไม่ได้ซิงก์ กรุณาเข้าสู่ระบบใหม่ "
                      "ด้วยที่อยู่ https:// ของเซิร์ฟเวอร์ (the saved server address is plain "
                      "http://, which is not encrypted, so nothing was synced — log in again "
                      "with the server's https:// address, or with --insecure on a network you "
                      "trust); changes are kept")
BAD_ADDRESS = ("ที่อยู่เซิร์ฟเวอร์ไม่ถูกต้อง (not a server address): {url!r} — it starts with "
               "https:// (e.g. https://fieldapp.office.local:8765)")
IN_THE_CLEAR = ("http:// ไม่เข้ารหัส: รหัสผ่านและโทเค็นของเครื่องนี้จะผ่านเครือข่ายให้ผู้อื่นอ่านได้ "
                "ใช้ที่อยู่ https:// ของเซิร์ฟเวอร์ หรือเพิ่ม --insecure เฉพาะในเครือข่ายที่ไว้ใจได้ "
                "(http:// is not encrypted: your password and this laptop's token would cross "
                "the network readable by anyone on it — use the server's https:// address, or "
                "add --insecure only on a network you trust)")


def sends_in_the_clear(url: str) -> bool:
    """True for plain http to another machine. http to this machine (127.0.0.0/8, ::1,
    localhost) never leaves it, so it is allowed: a server on the laptop itself, and tests."""
    parts = urlsplit(url)
    if parts.scheme.lower() != "http":
        return False
    host = (parts.hostname or "").lower()
    if host == "localhost":
        return False
    try:
        return not ipaddress.ip_address(host).is_loopback
    except ValueError:
        return True  # a name other than localhost may resolve anywhere


def check_server_url(url: str, insecure: bool = False) -> None:
    """Refuse a server address before anything is sent to it: not http(s), or plain http to
    another machine unless the inspector said ``insecure`` (the ``--insecure`` option, or
    the login dialog's confirmation)."""
    try:
        parts = urlsplit(url)
        valid = parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
    except ValueError:
        valid = False
    if not valid:
        raise FieldAppError(BAD_ADDRESS.format(url=url))
    if sends_in_the_clear(url) and not insecure:
        raise FieldAppError(IN_THE_CLEAR)


def verify_setting(ca_bundle: str | None) -> bool | str:
    """Always verify certificates: the system CAs, or the office's CA bundle."""
    return ca_bundle or True


def login(store: Store, server: str, username: str, password: str,
          ca_bundle: str | None = None, insecure: bool = False) -> dict:
    """Log in, keep the token (keyring or 0600 file) and remember the server.

    Returns the server's answer plus ``"token_kept_in"``. Raises SyncError/AuthRequired with
    a message for the inspector, and FieldAppError, before connecting, for plain http to
    another machine unless ``insecure`` (see ``check_server_url``).
    """
    server = server.rstrip("/")
    check_server_url(server, insecure)
    client = SyncClient(server, verify=verify_setting(ca_bundle), retries=1)
    try:
        answer = client.login(username, password, store.device_id, socket.gethostname())
    finally:
        client.close()
    where = token_store(store).save(server, username, answer.pop("token"))
    set_state(store, "server_url", server)
    set_state(store, "username", username)
    # Plans name their inspector by the office's user id (store/office_loop.my_plan).
    set_state(store, "user_id", answer.get("user_id"))
    set_state(store, "ca_bundle", ca_bundle)
    # The inspector's yes to plain http, for the syncs that follow (engine_for).
    set_state(store, INSECURE_OK, "1" if sends_in_the_clear(server) else None)
    return {**answer, "token_kept_in": where}


def connection(store: Store) -> dict | None:
    """``{"server_url", "username", "ca_bundle"}`` saved by ``login``, or None."""
    server, user = get_state(store, "server_url"), get_state(store, "username")
    if not server or not user:
        return None
    return {"server_url": server, "username": user, "ca_bundle": get_state(store, "ca_bundle")}


def unconfirmed_http(store: Store) -> bool:
    """The saved server is plain http to another machine and nobody said yes to that at
    login (an address saved before logins checked it): the token would go out in the
    clear at every sync."""
    saved = connection(store)
    return saved is not None and sends_in_the_clear(saved["server_url"]) \
        and get_state(store, INSECURE_OK) != "1"


def engine_for(store: Store) -> SyncEngine:
    """A SyncEngine for the saved server and token; FieldAppError when not logged in, or
    when the saved address is plain http nobody confirmed (``unconfirmed_http``).

    The engine owns an HTTP client: call ``engine.client.close()`` when done with it.
    """
    saved = connection(store)
    if saved is None:
        raise FieldAppError(NOT_CONNECTED)
    if unconfirmed_http(store):
        raise FieldAppError(HTTP_NOT_CONFIRMED)
    tokens = token_store(store)
    server, user = saved["server_url"], saved["username"]
    client = SyncClient(server, verify=verify_setting(saved["ca_bundle"]))
    return SyncEngine(store, server, lambda: tokens.load(server, user), client=client)
