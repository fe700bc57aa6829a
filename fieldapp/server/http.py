"""HTTP plumbing for the app: JSON errors with stable codes, version and token checks,
size-limited (optionally gzip-compressed) bodies.

Every error leaves as ``{"error": {"code": ..., "message": ...}}``; the codes are listed in
``fieldapp.sync.protocol`` and never change meaning.
"""

from __future__ import annotations

import functools
import json
import logging
import re
import zlib
from collections.abc import Awaitable, Callable

import orjson
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from fieldapp.server.auth import AuthError, Principal, principal_for
from fieldapp.server.clocks import now_ms
from fieldapp.sync import protocol as P

log = logging.getLogger(__name__)

STATUS = {P.E_BAD_REQUEST: 400, P.E_UNAUTHORIZED: 401, P.E_FORBIDDEN: 403,
          P.E_NOT_FOUND: 404, P.E_METHOD: 405, P.E_CONFLICT: 409, P.E_TOO_LARGE: 413,
          P.E_HASH_MISMATCH: 422, P.E_UPDATE_REQUIRED: 426, P.E_RATE_LIMITED: 429,
          P.E_INTERNAL: 500}


# Numbers in headers and query strings: ASCII digits only. ``str.isdigit`` and ``int`` also
# take "²", "١٢" or "1_0", which then crash ``int`` or mean something else.
DIGITS = re.compile(r"[0-9]{1,19}")


def natural(raw: str | None) -> int | None:
    """``raw`` as a non-negative integer if it is 1 to 19 ASCII digits, else None."""
    return int(raw) if raw is not None and DIGITS.fullmatch(raw) else None


class ApiError(Exception):
    def __init__(self, code: str, message: str, **extra):
        super().__init__(message)
        self.code = code
        self.extra = extra


def error_response(code: str, message: str, **extra) -> JSONResponse:
    headers = {}
    if "retry_after" in extra:
        headers["Retry-After"] = str(int(extra["retry_after"]) + 1)
    return JSONResponse({"error": {"code": code, "message": message, **extra}},
                        status_code=STATUS.get(code, 400), headers=headers)


def check_versions(request: Request) -> None:
    """Refuse a client that speaks another protocol or a schema this server does not know."""
    proto = request.headers.get(P.H_PROTOCOL)
    schema = request.headers.get(P.H_SCHEMA)
    if proto is None or schema is None:
        raise ApiError(P.E_UPDATE_REQUIRED,
                       f"requests must carry {P.H_PROTOCOL} and {P.H_SCHEMA} headers — "
                       "please update FieldApp", protocol=P.PROTOCOL_VERSION,
                       schema=P.SCHEMA_VERSION)
    proto_n, schema_n = natural(proto), natural(schema)
    if proto_n is None or schema_n is None:
        raise ApiError(P.E_BAD_REQUEST, "version headers must be integers")
    if proto_n != P.PROTOCOL_VERSION or not \
            P.MIN_SCHEMA_VERSION <= schema_n <= P.SCHEMA_VERSION:
        raise ApiError(P.E_UPDATE_REQUIRED,
                       "กรุณาปรับปรุง FieldApp เป็นรุ่นใหม่ (update required): this server speaks "
                       f"protocol {P.PROTOCOL_VERSION}, schema {P.MIN_SCHEMA_VERSION}–"
                       f"{P.SCHEMA_VERSION}; nothing was synced and your changes are kept",
                       protocol=P.PROTOCOL_VERSION, schema=P.SCHEMA_VERSION)


async def read_body(request: Request, limit: int = P.MAX_BODY_BYTES) -> bytes:
    """The request body, decompressed when gzip-encoded, refused beyond ``limit`` bytes."""
    declared = request.headers.get("content-length")
    if declared is not None:
        if natural(declared) is None:
            raise ApiError(P.E_BAD_REQUEST, "bad Content-Length")
        if int(declared) > limit:
            raise ApiError(P.E_TOO_LARGE, f"request body over {limit} bytes")
    parts, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ApiError(P.E_TOO_LARGE, f"request body over {limit} bytes")
        parts.append(chunk)
    body = b"".join(parts)
    encoding = request.headers.get("content-encoding", "identity").lower()
    if encoding == "gzip":
        inflater = zlib.decompressobj(wbits=31)
        try:
            body = inflater.decompress(body, limit + 1)
        except zlib.error:
            raise ApiError(P.E_BAD_REQUEST, "body is not valid gzip") from None
        if len(body) > limit or inflater.unconsumed_tail:
            raise ApiError(P.E_TOO_LARGE, f"decompressed body over {limit} bytes")
    elif encoding != "identity":
        raise ApiError(P.E_BAD_REQUEST, f"unsupported Content-Encoding {encoding!r}")
    return body


async def read_json(request: Request) -> object:
    """The JSON body; a 400 for anything that is not JSON the databases can store."""
    body = await read_body(request)
    try:
        value = orjson.loads(body)
    except orjson.JSONDecodeError:
        # orjson refuses what the standard library accepts (NaN, integers beyond 64 bits,
        # lone surrogates): parse as before, then refuse what no database stores.
        value = _lenient(body)
    return value


def _lenient(body: bytes) -> object:
    try:
        value = json.loads(body)
    except RecursionError:
        raise ApiError(P.E_BAD_REQUEST, "body is not valid JSON: nested too deeply") from None
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ApiError(P.E_BAD_REQUEST, "body is not valid JSON") from None
    try:
        # A lone surrogate ("\\ud800") is valid JSON but not Unicode text: PostgreSQL
        # and SQLite cannot store it. Encoding the whole value finds one anywhere, keys too.
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise ApiError(P.E_BAD_REQUEST, "body is not valid JSON text: it holds a lone "
                       "surrogate (\\ud800–\\udfff), which is not Unicode") from None
    except (RecursionError, ValueError):
        raise ApiError(P.E_BAD_REQUEST, "body is not valid JSON: nested too deeply") from None
    return value


async def authenticate(request: Request) -> Principal:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(P.E_UNAUTHORIZED, "ต้องเข้าสู่ระบบก่อน (log in first: "
                       "`fieldapp login`)")
    try:
        return await run_in_threadpool(principal_for, request.app.state.db, token.strip(),
                                       request.app.state.token_lifetime,
                                       request.headers.get(P.H_APP))
    except AuthError as exc:
        raise ApiError(P.E_UNAUTHORIZED, str(exc)) from None


Handler = Callable[..., Awaitable[Response]]


def _no_nul(request: Request) -> None:
    """A 400 for a NUL character in the path or query: PostgreSQL refuses it in text, and
    its error would be a 500 (an id of a laptop's making is looked up as it came)."""
    if "\x00" in request.url.path or "\x00" in request.url.query or any(
            "\x00" in v for v in (*request.path_params.values(),
                                   *request.query_params.values())):
        raise ApiError(P.E_BAD_REQUEST, "the request names something with a NUL character")


def endpoint(*, auth: bool = True, versions: bool = True) -> Callable[[Handler], Handler]:
    """Wrap a handler: version check, authentication, and errors as JSON with a code."""
    def wrap(handler: Handler) -> Handler:
        @functools.wraps(handler)
        async def run(request: Request) -> Response:
            try:
                if versions:
                    check_versions(request)
                _no_nul(request)
                if auth:
                    who = await authenticate(request)
                    response = await handler(request, who)
                else:
                    response = await handler(request)
            except ApiError as exc:
                response = error_response(exc.code, str(exc), **exc.extra)
            # The office's time, so a laptop can tell its own clock is wrong (sync/engine.py).
            response.headers[P.H_TIME] = str(now_ms())
            return response
        return run
    return wrap
