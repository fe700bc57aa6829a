"""A request's head (request line and headers) is capped, as h11 capped it before the office
server parsed HTTP with httptools (server/http_head.py): a client sending an endless header
gets 431 and a closed connection, before anything gathers it all; ordinary heads, large
bodies and requests one after another on one connection are untouched."""

from __future__ import annotations

import socket
import time

import httpx
from server_fixtures import live_server, make_app

from fieldapp.server.http_head import HEAD_LIMIT
from fieldapp.sync import protocol as P


def _answer(sock: socket.socket, limit_s: float = 5) -> bytes:
    sock.settimeout(limit_s)
    got = b""
    try:
        while chunk := sock.recv(65536):
            got += chunk
    except (ConnectionResetError, TimeoutError):
        pass
    return got


def test_an_endless_header_is_refused_once_past_the_cap(server_db):
    with live_server(make_app(server_db)) as url:
        port = int(url.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port)) as sock:
            sock.sendall(b"GET /v1/health HTTP/1.1\r\nHost: x\r\nX-Long: ")
            started = time.monotonic()
            sent = 0
            try:
                while sent < 50 * HEAD_LIMIT:   # far past the cap; h11 stopped at 16 KiB
                    sock.sendall(b"a" * 16384)
                    sent += 16384
            except (BrokenPipeError, ConnectionResetError):
                pass   # closed on us mid-send: the cap
            answer = _answer(sock)
            assert time.monotonic() - started < 5
        assert answer.startswith(b"HTTP/1.1 431"), answer[:80]


def test_ordinary_heads_large_bodies_and_kept_alive_connections_pass(server_db):
    with live_server(make_app(server_db)) as url, \
            httpx.Client(base_url=url, headers=P.version_headers()) as client:
        # A head of tens of KiB, as a long cookie or token might make it.
        health = client.get("/v1/health", headers={"X-Padding": "p" * (HEAD_LIMIT // 2)})
        assert health.status_code == 200, health.text
        # A body far larger than the cap is not a head: refused for what it is, not 431.
        push = client.post("/v1/push", content=b"{" + b" " * (4 * HEAD_LIMIT) + b"}",
                           headers={"Content-Type": "application/json"})
        assert push.status_code == 401, push.text   # no token: the body was never the issue
        for _ in range(20):   # one connection, request after request
            assert client.get("/v1/health").status_code == 200
