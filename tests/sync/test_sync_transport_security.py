"""Passwords and tokens never travel in the clear without a word: plain http is refused except
to this machine unless the inspector says --insecure, and a certificate the laptop cannot
verify is called a certificate problem, not an unreachable server."""

from __future__ import annotations

import datetime as dt
import io
import ipaddress
import sys

import pytest
from server_fixtures import PASSWORD, add_users, live_server, make_app

from fieldapp.cli import main
from fieldapp.core.errors import FieldAppError
from fieldapp.store.db import open_store
from fieldapp.sync import account
from fieldapp.sync.client import UNREACHABLE, SyncError


@pytest.fixture(autouse=True)
def no_keyring(monkeypatch):
    monkeypatch.setattr("fieldapp.sync.tokens._keyring", lambda: None)


@pytest.mark.parametrize("url,allowed", [
    ("https://fieldapp.office.local:8765", True),
    ("https://192.0.2.1", True),
    ("http://127.0.0.1:8765", True),
    ("http://127.10.20.30", True),
    ("http://localhost:8765/", True),
    ("http://LOCALHOST", True),
    ("http://[::1]:8765", True),
    ("http://192.0.2.1:8765", False),
    ("http://fieldapp.office.local", False),
    ("http://10.0.0.5", False),
    ("http://localhost.evil.example", False),
    ("http://127.0.0.1.example", False),
])
def test_the_decision(url, allowed):
    assert account.sends_in_the_clear(url) is not allowed
    if allowed:
        account.check_server_url(url)
    else:
        with pytest.raises(FieldAppError, match="--insecure") as caught:
            account.check_server_url(url)
        assert "ไม่เข้ารหัส" in str(caught.value)        # Thai first
        account.check_server_url(url, insecure=True)


@pytest.mark.parametrize("url", ["ftp://x", "fieldapp.office.local", "https://", "http://:80"])
def test_a_server_address_that_is_not_one(url):
    with pytest.raises(FieldAppError, match="https://"):
        account.check_server_url(url, insecure=True)


def login_cli(tmp_path, monkeypatch, capsys, *extra):
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    code = main(["--db", str(tmp_path / "laptop.db"), "login", "--user", "anong",
                 "--password-stdin", *extra])
    out = capsys.readouterr()
    return code, out.out, out.err


class NoNetwork:
    """Stands in for SyncClient: records that a connection would have been made."""

    made: list[str] = []

    def __init__(self, base_url, **kw):
        NoNetwork.made.append(base_url)

    def login(self, *args):
        return {"token": "t", "username": "anong", "role": "inspector", "provinces": []}

    def close(self):
        pass


def test_the_cli_refuses_plain_http_to_another_machine_before_connecting(
        tmp_path, monkeypatch, capsys):
    NoNetwork.made = []
    monkeypatch.setattr(account, "SyncClient", NoNetwork)
    code, _, err = login_cli(tmp_path, monkeypatch, capsys, "--server", "http://192.0.2.1:8765")
    assert code == 1 and NoNetwork.made == []
    assert "ไม่เข้ารหัส" in err and "--insecure" in err and "https://" in err
    code, out, err = login_cli(tmp_path, monkeypatch, capsys, "--server",
                               "http://192.0.2.1:8765", "--insecure")
    assert code == 0 and NoNetwork.made == ["http://192.0.2.1:8765"]
    assert "--insecure" in err        # said again, as a warning, when the inspector insists


def test_the_cli_logs_in_over_http_to_this_machine(server_db, tmp_path, monkeypatch, capsys):
    add_users(server_db)
    with live_server(make_app(server_db)) as url:
        code, out, err = login_cli(tmp_path, monkeypatch, capsys, "--server", url)
    assert code == 0, err
    assert "logged in" in out and "insecure" not in err


def self_signed(tmp_path):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "fieldapp.office.local")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return str(cert_file), str(key_file)


def test_a_self_signed_certificate_is_named_as_such(server_db, tmp_path):
    add_users(server_db)
    cert, key = self_signed(tmp_path)
    store = open_store(tmp_path / "laptop.db")
    try:
        with live_server(make_app(server_db), ssl_certfile=cert, ssl_keyfile=key) as url:
            assert url.startswith("https://")
            with pytest.raises(SyncError) as caught:
                account.login(store, url, "anong", PASSWORD)
            message = str(caught.value)
            assert UNREACHABLE not in message and "unreachable" not in message
            assert "ใบรับรอง" in message and "certificate" in message
            assert "--ca-bundle" in message
            assert caught.value.code == "certificate"
            # With the office's certificate given, the same server is trusted.
            answer = account.login(store, url, "anong", PASSWORD, ca_bundle=cert)
            assert answer["username"] == "anong"
    finally:
        store.close()


def test_a_saved_http_address_nobody_confirmed_does_not_sync(tmp_path, monkeypatch, capsys):
    """An address saved before logins checked it: no token goes out until the inspector logs
    in again (with https, or confirming plain http)."""
    from fieldapp.store.sync_state import set_state
    NoNetwork.made = []
    monkeypatch.setattr(account, "SyncClient", NoNetwork)
    store = open_store(tmp_path / "laptop.db")
    set_state(store, "server_url", "http://192.0.2.1:8765")
    set_state(store, "username", "anong")
    assert account.unconfirmed_http(store)
    with pytest.raises(FieldAppError, match="https://"):
        account.engine_for(store)
    store.close()
    code = main(["--db", str(tmp_path / "laptop.db"), "sync"])
    assert code == 1 and "http://" in capsys.readouterr().err and NoNetwork.made == []
    # Logging in again with --insecure is the confirmation.
    assert login_cli(tmp_path, monkeypatch, capsys, "--server", "http://192.0.2.1:8765",
                     "--insecure")[0] == 0
    store = open_store(tmp_path / "laptop.db")
    assert not account.unconfirmed_http(store)
    account.engine_for(store)
    store.close()
