"""The office sync server as an ASGI app (Starlette): routes and nothing else.

Each route checks its input, then calls one function of push/pull/blobs/auth on a worker
thread (database calls block). No route may answer 500 to a malformed request: input is
checked here and turned into a ``bad_request`` with a message.
"""

from __future__ import annotations

import logging
import os
import re
from datetime import timedelta

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from fieldapp.server import blobs, clocks, pull, pull_ask, push, push_body, verification
from fieldapp.server.auth import (
    TOKEN_LIFETIME_DAYS,
    AuthError,
    DeviceRefused,
    Principal,
    login,
)
from fieldapp.server.health import HealthProbe
from fieldapp.server.http import (
    ApiError,
    endpoint,
    error_response,
    natural,
    read_body,
    read_json,
)
from fieldapp.server.limits import (
    Busy,
    CheckGate,
    LoginLimiter,
    WriteThreads,
    write_threads_from_environment,
)
from fieldapp.server.openapi import openapi_document
from fieldapp.server.schema import SCHEMA_VERSION
from fieldapp.server.storage import Database
from fieldapp.store.wirejson import dumps
from fieldapp.sync import protocol as P

log = logging.getLogger(__name__)

BUSY_RETRY_AFTER = 2  # seconds a login turned away by a busy server waits
BENCH_SINK_ENV = "FIELDAPP_BENCH_SINK"  # "1" mounts the benchmark's body-discarding route


def _text(body: dict, name: str, limit: int = 200, required: bool = True) -> str | None:
    value = body.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value or len(value) > limit or "\x00" in value:
        raise ApiError(P.E_BAD_REQUEST, f"{name} must be text of 1 to {limit} characters, "
                       "without NUL")
    return value


@endpoint(auth=False, versions=False)
async def health(request: Request) -> Response:
    versions = {"protocol": P.PROTOCOL_VERSION, "schema": P.SCHEMA_VERSION,
                "min_schema": P.MIN_SCHEMA_VERSION, "server_schema": SCHEMA_VERSION}
    problem = await request.app.state.health.problem()
    if problem is not None:
        # 503: a load balancer sends work elsewhere; within its deadline, never a hang.
        return JSONResponse({"status": "unavailable", "reason": problem, **versions},
                            status_code=503, headers={"Retry-After": "5"})
    return JSONResponse({"status": "ok", **versions})


async def openapi(request: Request) -> Response:
    return JSONResponse(openapi_document())


@endpoint(auth=False)
async def login_route(request: Request) -> Response:
    body = await read_json(request)
    if not isinstance(body, dict):
        raise ApiError(P.E_BAD_REQUEST, "a login body is an object")
    username = _text(body, "username")
    password = _text(body, "password", 1000)
    device_id = _text(body, "device_id")
    device_name = _text(body, "device_name", required=False)
    limiter: LoginLimiter = request.app.state.limiter
    address = request.client.host if request.client else "?"
    keys = (f"user:{username}", f"addr:{address}")
    # The try is counted before the password is checked, so tries sent at once cannot all
    # slip through while none has failed yet; a success gives it back.
    refusal = limiter.reserve(*keys)
    if refusal is not None and refusal.checking:
        raise ApiError(P.E_RATE_LIMITED, "เซิร์ฟเวอร์กำลังตรวจการเข้าสู่ระบบอื่นจากที่เดียวกันอยู่ "
                       "ลองใหม่อีกครั้ง (other logins from here are being checked — try again "
                       "in a moment)", retry_after=refusal.wait)
    if refusal is not None:
        raise ApiError(P.E_RATE_LIMITED, "ลองเข้าสู่ระบบผิดหลายครั้งเกินไป (too many failed "
                       f"logins) — wait {int(refusal.wait) + 1} s", retry_after=refusal.wait)
    try:
        async with request.app.state.check_gate:
            token, who = await run_in_threadpool(login, request.app.state.db, username,
                                                 password, device_id, device_name,
                                                 request.app.state.token_lifetime,
                                                 request.headers.get(P.H_APP))
    except Busy:
        limiter.release(*keys)  # no password was checked
        raise ApiError(P.E_RATE_LIMITED, "เซิร์ฟเวอร์กำลังตรวจการเข้าสู่ระบบอื่นอยู่ ลองใหม่อีกครั้ง "
                       "(server busy with other logins — try again)",
                       retry_after=BUSY_RETRY_AFTER) from None
    except AuthError as exc:
        limiter.failed(*keys)  # the try stays counted
        raise ApiError(P.E_UNAUTHORIZED, str(exc)) from None
    except DeviceRefused as exc:
        limiter.release(*keys)  # the password was right
        raise ApiError(P.E_BAD_REQUEST, str(exc)) from None
    except BaseException:
        limiter.release(*keys)  # not a wrong password: a crash or a cancelled request
        raise
    limiter.release(*keys)
    # user_id: how the office's plans name their assignee (the laptop's "my plan").
    return JSONResponse({"token": token, "username": who.username, "user_id": who.user_id,
                         "role": who.role,
                         "provinces": sorted(who.provinces)})


@endpoint()
async def push_route(request: Request, who: Principal) -> Response:
    body = await read_json(request)
    try:
        ops, cursor = push_body.parse_ops(body)
    except ValueError as exc:
        raise ApiError(P.E_BAD_REQUEST, str(exc)) from None
    # A laptop also names the epoch its cursor belongs to ("epoch"): only the
    # administrator's `restored` renames it, so nothing here reads it.
    ahead = clocks.client_ahead(request.headers.get(P.H_TIME))
    if ahead is not None:
        # Its changes carry its wrong date: refused whole, so they stay pending on the
        # laptop (not rejected one by one) until its clock is set right.
        raise ApiError(P.E_CLOCK_AHEAD, clocks.ahead_reason(ahead), ahead_ms=ahead,
                       max_skew_ms=clocks.max_skew_ms())
    ask = pull_ask.from_push(body)  # checked before anything is applied
    db = request.app.state.db

    def answer() -> bytes:
        acks = push.push(db, who, ops, cursor)
        if ask is None:
            return dumps({"acks": acks})
        return dumps({"acks": acks, "page": pull_ask.page_after_push(db, who, cursor, ask,
                                                                     acks)})
    return Response(await request.app.state.writes.run(answer), media_type="application/json")


def _int_param(request: Request, name: str, default: int, low: int, high: int) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    value = natural(raw)
    if value is None or not low <= value <= high:
        raise ApiError(P.E_BAD_REQUEST, f"{name} must be an integer from {low} to {high}")
    return value


@endpoint()
async def pull_route(request: Request, who: Principal) -> Response:
    cursor = _int_param(request, "cursor", 0, 0, 2**62)
    ask = pull_ask.from_query(request.query_params)
    # Encoded on the worker thread with orjson (wirejson): the standard library's encoder
    # on the event loop took a sixth of the office's time for a day's pulls.
    body = await run_in_threadpool(lambda: dumps(ask.page(request.app.state.db, who, cursor)))
    return Response(body, media_type="application/json")


@endpoint()
async def snapshot_route(request: Request, who: Principal) -> Response:
    if P.SNAPSHOT_LINES in request.headers.get("accept", ""):
        pieces = await run_in_threadpool(pull.snapshot_lines, request.app.state.db, who)
        return StreamingResponse(pieces, media_type=P.SNAPSHOT_LINES,
                                 headers={"Content-Encoding": "gzip"})
    data = await run_in_threadpool(pull.snapshot, request.app.state.db, who)
    return Response(data, media_type="application/json", headers={"Content-Encoding": "gzip"})


@endpoint()
async def missing_route(request: Request, who: Principal) -> Response:
    body = await read_json(request)
    hashes = body.get("hashes") if isinstance(body, dict) else None
    if not isinstance(hashes, list) or len(hashes) > 10_000 or not all(
            isinstance(h, str) and blobs.SHA256.fullmatch(h) for h in hashes):
        raise ApiError(P.E_BAD_REQUEST, "hashes must be a list of lower-case SHA-256 hex")
    found = await run_in_threadpool(blobs.missing, request.app.state.db, who, hashes)
    return JSONResponse({"missing": found})


@endpoint()
async def upload_batch_route(request: Request, who: Principal) -> Response:
    """Several whole attachments in one request and one transaction (a record's small
    photos); each part is answered on its own (server/blobs.upload_many)."""
    parts = _upload_parts(request.headers.get(P.H_UPLOAD_PARTS))
    data = await read_body(request, P.MAX_CHUNK_BYTES)
    if sum(size for _, size in parts) != len(data):
        raise ApiError(P.E_BAD_REQUEST, f"the body is {len(data)} bytes, not the sum of the "
                       f"sizes in {P.H_UPLOAD_PARTS}")
    pieces, at = [], 0
    for sha, size in parts:
        pieces.append((sha, data[at:at + size]))
        at += size
    try:
        answers = await request.app.state.writes.run(blobs.upload_many, request.app.state.db,
                                                     who, pieces,
                                                     request.app.state.upload_quota)
    except blobs.UploadError as exc:
        raise ApiError(exc.code, str(exc)) from None
    return JSONResponse({"parts": answers})


def _upload_parts(raw: str | None) -> list[tuple[str, int]]:
    """The ``Upload-Parts`` header: names and sizes, 1 to MAX_BATCH_PARTS of them."""
    if not raw:
        raise ApiError(P.E_BAD_REQUEST, f"{P.H_UPLOAD_PARTS} is needed: sha256:size,...")
    items = raw.split(",")
    if len(items) > P.MAX_BATCH_PARTS:
        raise ApiError(P.E_TOO_LARGE, f"at most {P.MAX_BATCH_PARTS} attachments a request")
    parts = []
    for item in items:
        sha, _, size = item.strip().partition(":")
        total = natural(size)
        if not blobs.SHA256.fullmatch(sha) or not total:
            raise ApiError(P.E_BAD_REQUEST, f"{P.H_UPLOAD_PARTS} lists sha256:size pairs "
                           "(a lower-case SHA-256, a size of at least 1 byte)")
        parts.append((sha, total))
    return parts


@endpoint()
async def upload_route(request: Request, who: Principal) -> Response:
    sha = request.path_params["sha256"]
    offset = natural(request.headers.get("upload-offset"))
    total = natural(request.headers.get("upload-length"))
    if offset is None or total is None:
        raise ApiError(P.E_BAD_REQUEST, "Upload-Offset and Upload-Length headers are needed "
                       "(decimal digits 0-9)")
    data = await read_body(request, P.MAX_CHUNK_BYTES)
    try:
        result = await request.app.state.writes.run(blobs.upload_chunk, request.app.state.db,
                                                    who, sha, offset, total, data,
                                                    request.app.state.upload_quota)
    except blobs.UploadError as exc:
        extra = {"offset": exc.offset} if exc.offset is not None else {}
        raise ApiError(exc.code, str(exc), **extra) from None
    if result.pop("hash_mismatch", False):
        raise ApiError(P.E_HASH_MISMATCH, "the bytes do not match their SHA-256; the upload "
                       "was discarded, start again from offset 0", offset=0)
    return JSONResponse(result)


@endpoint()
async def download_route(request: Request, who: Principal) -> Response:
    data = await run_in_threadpool(blobs.download, request.app.state.db, who,
                                   request.path_params["sha256"])
    if data is None:
        raise ApiError(P.E_NOT_FOUND, "no such attachment here, or not yours to read")
    return Response(data, media_type="application/octet-stream")


@endpoint()
async def verification_route(request: Request, who: Principal) -> Response:
    record_id = request.path_params["record_id"]
    if not re.fullmatch(r"[0-9A-Za-z-]{1,64}", record_id):
        raise ApiError(P.E_BAD_REQUEST, "a record id is a UUID")
    state = await run_in_threadpool(verification.record_state, request.app.state.db, who,
                                    record_id)
    if state is None:
        raise ApiError(P.E_NOT_FOUND, "no such record here, or not yours to read")
    return JSONResponse(state)


async def bench_sink(request: Request) -> Response:
    """Benchmark floor only: read the body and throw it away (tests/bench/bench_sync.py
    compares a sync with streaming the same bytes to the same server in one request).
    Mounted only when FIELDAPP_BENCH_SINK=1; it stores nothing and answers the byte count."""
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
    return JSONResponse({"received": size})


async def _http_error(request: Request, exc: Exception) -> Response:
    status = getattr(exc, "status_code", 500)
    code = {404: P.E_NOT_FOUND, 405: P.E_METHOD}.get(status, P.E_BAD_REQUEST)
    return error_response(code, str(getattr(exc, "detail", "")) or code)


async def _crash(request: Request, exc: Exception) -> Response:
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    return error_response(P.E_INTERNAL, "server error; nothing was lost, try again later")


def create_app(db: Database, limiter: LoginLimiter | None = None,
               token_days: float = TOKEN_LIFETIME_DAYS,
               check_gate: CheckGate | None = None,
               upload_quota: int | None = None,
               write_threads: int | None = None) -> Starlette:
    """The ASGI app over an open, migrated database. ``token_days``: how long a device token
    lives unused (each sync renews it). ``upload_quota``: attachment bytes one user may send
    in 24 hours (default: ``FIELDAPP_UPLOAD_QUOTA_MB``, else ``blobs.DEFAULT_QUOTA``).
    ``write_threads``: pushes and uploads run at once (default: ``FIELDAPP_WRITE_THREADS``,
    else ``limits.WRITE_THREADS``)."""
    app = Starlette(routes=[
        Route("/v1/health", health, methods=["GET"]),
        Route("/v1/openapi.json", openapi, methods=["GET"]),
        Route("/openapi.json", openapi, methods=["GET"]),
        Route("/v1/login", login_route, methods=["POST"]),
        Route("/v1/push", push_route, methods=["POST"]),
        Route("/v1/pull", pull_route, methods=["GET"]),
        Route("/v1/snapshot", snapshot_route, methods=["GET"]),
        Route("/v1/attachments/missing", missing_route, methods=["POST"]),
        Route("/v1/attachments/batch", upload_batch_route, methods=["POST"]),
        Route("/v1/attachments/{sha256}", upload_route, methods=["PUT"]),
        Route("/v1/attachments/{sha256}", download_route, methods=["GET"]),
        Route("/v1/records/{record_id}/verification", verification_route, methods=["GET"]),
    ], exception_handlers={HTTPException: _http_error, Exception: _crash})
    if os.environ.get(BENCH_SINK_ENV) == "1":
        app.router.routes.append(Route("/v1/_bench/sink", bench_sink, methods=["POST"]))
    app.state.db = db
    # ``is None``, not ``or``: a limiter holding no tries yet is empty, so false.
    app.state.limiter = limiter if limiter is not None else LoginLimiter()
    app.state.check_gate = check_gate if check_gate is not None else CheckGate()
    app.state.token_lifetime = timedelta(days=token_days)
    app.state.upload_quota = upload_quota if upload_quota is not None else \
        blobs.quota_from_environment()
    app.state.writes = WriteThreads(write_threads if write_threads is not None else
                                    write_threads_from_environment())
    app.state.health = HealthProbe(db, writes=app.state.writes)
    return app
