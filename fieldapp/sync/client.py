"""The HTTP side of sync: one method per endpoint, retries with backoff, TLS verification.

Every request carries the protocol and schema versions. Transport failures, 5xx and 429 are
retried with exponential backoff and jitter; it is always safe, because every endpoint is
idempotent (pushes by operation id, uploads by offset, reads by nature). Errors reach the
caller as ``SyncError`` with words a person can act on and the server's stable code.
"""

from __future__ import annotations

import gzip
import json
import random
import ssl
import time
from collections.abc import Callable, Iterator

import httpx

from fieldapp.core.errors import FieldAppError
from fieldapp.store.wirejson import dumps, loads
from fieldapp.sync import protocol as P


class SyncError(FieldAppError):
    """Sync could not finish; local changes are kept. ``code`` is the server's error code
    (or ``network``)."""

    def __init__(self, message: str, code: str = "network", status: int | None = None,
                 detail: dict | None = None):
        super().__init__(message)
        self.code = code
        self.status = status
        self.detail = detail or {}


class UpdateRequired(SyncError):
    """The server speaks another protocol: this FieldApp must be updated."""


class AuthRequired(SyncError):
    """No token, or the server refused it (revoked, disabled): log in again."""


class ClockAhead(SyncError):
    """This laptop's clock is far ahead of the office's: nothing was pushed."""

    def __init__(self, ahead_ms: int):
        super().__init__(clock_ahead_text(ahead_ms), P.E_CLOCK_AHEAD)
        self.ahead_ms = ahead_ms


def clock_ahead_text(ahead_ms: int) -> str:
    """The words for a laptop whose clock runs ``ahead_ms`` ahead of the office's."""
    minutes = max(1, round(ahead_ms / 60_000))
    th, en = (f"{minutes // 1440:,} วัน", f"{minutes // 1440:,} days") if minutes >= 2880 \
        else (f"{minutes:,} นาที", f"{minutes:,} minutes")
    return (f"นาฬิกาของเครื่องนี้เดินเร็วกว่าเวลาของสำนักงาน {th} — ตั้งวันและเวลาของเครื่องให้"
            f"ถูกต้องแล้วซิงก์อีกครั้ง การแก้ไขทั้งหมดยังเก็บไว้ในเครื่อง (this laptop's clock "
            f"is {en} ahead of the office server: set its date and time right and sync again; "
            f"every change is kept on this laptop)")


MAX_RETRY_AFTER_S = 300.0
UNREACHABLE = ("ไม่สามารถเชื่อมต่อเซิร์ฟเวอร์ได้ (server unreachable) — changes are kept and "
               "will sync later")
LOG_IN_AGAIN_TH = "กรุณาเข้าสู่ระบบใหม่"
LOG_IN_AGAIN = (f"การเข้าสู่ระบบของเครื่องนี้ใช้ไม่ได้แล้ว {LOG_IN_AGAIN_TH} (this laptop's login no "
                "longer works — log in again); changes are kept")
# Not the word "unreachable": the server answered, and the fix is the laptop's to make.
CERTIFICATE = ("ตรวจสอบใบรับรองของเซิร์ฟเวอร์ไม่ผ่าน จึงยังไม่ได้ส่งรหัสผ่านหรือข้อมูลใด ๆ "
               "ถ้าสำนักงานใช้ใบรับรองของตนเอง ให้ขอไฟล์ใบรับรอง (CA) จากผู้ดูแลแล้วระบุด้วย --ca-bundle "
               "(the server's certificate could not be verified: {reason}; nothing was sent — if "
               "the office uses its own (self-signed) certificate, get its CA certificate from "
               "the office admin and give it with `fieldapp login --ca-bundle FILE`)")
E_CERTIFICATE = "certificate"  # SyncError.code of a certificate this laptop does not trust
COMPRESS_ABOVE = 1024
GZIP_LEVEL = 1
SNAPSHOT_PIECE = 64 * 1024  # decoded bytes parsed at a time while a snapshot streams


class SyncClient:
    """A connection to one office server.

    ``verify`` is True (system CAs), a path to a CA bundle (a self-signed office
    certificate), or False only in tests. ``transport`` lets tests run the app in-process or
    inject faults.
    """

    def __init__(self, base_url: str, token: str | None = None, *,
                 verify: bool | str = True, transport: httpx.BaseTransport | None = None,
                 timeout: float = 60.0, retries: int = 5, backoff: float = 0.5,
                 sleep: Callable[[float], None] = time.sleep):
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.retries = retries
        self.backoff = backoff
        self.sleep = sleep
        self.requests = 0  # HTTP round trips made (the idle-sync benchmark counts these)
        self.wall_ms: Callable[[], int] = lambda: time.time_ns() // 1_000_000
        # Our clock minus the office's (ms), from the office's last answer (P.H_TIME).
        self.clock_ahead_ms: int | None = None
        self.bytes_sent = 0
        if isinstance(verify, str):
            # An office CA bundle (self-signed office certificate): trust it, and only it.
            verify = ssl.create_default_context(cafile=verify)
        self.http = httpx.Client(base_url=self.base_url, verify=verify, transport=transport,
                                 timeout=timeout, headers=P.version_headers())

    def close(self) -> None:
        self.http.close()

    # -- the request loop ------------------------------------------------------------------

    def _request(self, method: str, path: str, *, body: bytes | None = None,
                 headers: dict | None = None, params: dict | None = None,
                 auth: bool = True, retry_conflict: bool = False,
                 stream: bool = False) -> httpx.Response:
        """One request, retried as the module says. With ``stream`` the body of a successful
        answer is left unread (the caller reads and closes it); errors are read whole."""
        headers = dict(headers or {})
        if auth:
            if not self.token:
                raise AuthRequired("ยังไม่ได้เข้าสู่ระบบ (not logged in) — run `fieldapp login`",
                                   P.E_UNAUTHORIZED)
            headers["Authorization"] = f"Bearer {self.token}"
        attempt = 0
        while True:
            attempt += 1
            try:
                self.requests += 1
                self.bytes_sent += len(body or b"")
                headers[P.H_TIME] = str(self.wall_ms())
                request = self.http.build_request(method, path, content=body,
                                                  headers=headers, params=params)
                response = self.http.send(request, stream=stream)
                self._note_time(response)
                if stream and response.status_code >= 400:
                    try:
                        response.read()
                    finally:
                        response.close()
            except httpx.TransportError as exc:
                reason = _certificate_problem(exc)
                if reason is not None:  # not transient: retrying cannot help
                    raise SyncError(CERTIFICATE.format(reason=reason), E_CERTIFICATE) from exc
                if attempt > self.retries:
                    raise SyncError(f"{UNREACHABLE} ({exc.__class__.__name__})") from exc
                self._wait(attempt, None)
                continue
            if response.status_code < 400:
                return response
            error = _error_of(response)
            code = error.get("code", "")
            retryable = response.status_code >= 500 or response.status_code == 429
            if retryable and attempt <= self.retries:
                self._wait(attempt, response.headers.get("retry-after"))
                continue
            message = error.get("message") or f"HTTP {response.status_code}"
            if code == P.E_UPDATE_REQUIRED:
                theirs = error.get("schema")
                if isinstance(theirs, int) and not isinstance(theirs, bool) \
                        and theirs < P.SCHEMA_VERSION and error.get("protocol") == \
                        P.PROTOCOL_VERSION:
                    # The office's server is the older one: updating this laptop cannot help.
                    message = (f"เซิร์ฟเวอร์ของสำนักงานเป็นรุ่นเก่ากว่าเครื่องนี้ ต้องปรับปรุงเซิร์ฟเวอร์ก่อน "
                               f"(the office's server is older than this laptop: it speaks "
                               f"schema {theirs}, this laptop {P.SCHEMA_VERSION}; ask the "
                               f"office to update the server) — nothing was synced and your "
                               f"changes are kept")
                raise UpdateRequired(message, code, response.status_code, error)
            if code == P.E_UNAUTHORIZED:
                if auth and LOG_IN_AGAIN_TH not in message:
                    # An older server's words may not say what to do, in Thai.
                    message = f"{LOG_IN_AGAIN}: {message}"
                raise AuthRequired(message, code, response.status_code, error)
            if code == P.E_CLOCK_AHEAD:
                ahead = error.get("ahead_ms")
                raise ClockAhead(ahead if isinstance(ahead, int) and ahead > 0
                                 else self.clock_ahead_ms or 0)
            raise SyncError(f"เซิร์ฟเวอร์ปฏิเสธ (server refused): {message}", code or "http",
                            response.status_code, error)

    def _note_time(self, response: httpx.Response) -> None:
        office = response.headers.get(P.H_TIME, "")
        if office.isascii() and office.isdigit() and len(office) <= 16:
            self.clock_ahead_ms = self.wall_ms() - int(office)

    def _wait(self, attempt: int, retry_after: str | None) -> None:
        delay = min(30.0, self.backoff * 2 ** (attempt - 1)) * (0.5 + random.random())
        if retry_after and retry_after.isascii() and retry_after.isdigit():
            # The office's word, within reason: a broken one must not stall the laptop.
            delay = max(delay, min(float(retry_after), MAX_RETRY_AFTER_S))
        self.sleep(delay)

    def _json(self, method: str, path: str, payload: object, **kw) -> dict:
        return self._send_json(method, path, _encode(payload), **kw)

    def _send_json(self, method: str, path: str, body: tuple[bytes, dict], **kw) -> dict:
        raw, headers = body
        return loads(self._request(method, path, body=raw, headers=headers, **kw).content)

    # -- endpoints -------------------------------------------------------------------------

    def health(self) -> dict:
        return self._request("GET", "/v1/health", auth=False).json()

    def login(self, username: str, password: str, device_id: str,
              device_name: str | None = None) -> dict:
        """Log in; keeps the token for the following calls and returns the server's answer."""
        answer = self._json("POST", "/v1/login", {
            "username": username, "password": password, "device_id": device_id,
            "device_name": device_name}, auth=False)
        self.token = answer["token"]
        return answer

    def push(self, ops: list[dict], cursor: int) -> list[dict]:
        return self.push_encoded(self.push_body(ops, cursor))

    @staticmethod
    def push_body(ops: list[dict], cursor: int, epoch: str | None = None,
                  pull: dict | None = None) -> tuple[bytes, dict]:
        """The encoded request body of a push (built ahead while the previous one travels).
        ``epoch``: the server history the cursor belongs to (server/history.py). ``pull``:
        the first pull page wanted in the answer (``pull_request``)."""
        body: dict = {"ops": ops, "cursor": cursor}
        if epoch is not None:
            body["epoch"] = epoch
        if pull is not None:
            body["pull"] = pull
        return _encode(body)

    def push_encoded(self, body: tuple[bytes, dict]) -> list[dict]:
        return self.push_answer(body)["acks"]

    def push_answer(self, body: tuple[bytes, dict]) -> dict:
        """``{"acks": [...]}``, and ``"page"`` when the push asked for one and the office
        could make it (an office from before pages in pushes sends none)."""
        return self._send_json("POST", "/v1/push", body)

    @staticmethod
    def pull_request(known: str | None = None, own: str | None = None,
                     limit: int = P.PAGE_SIZE) -> dict:
        """What a push asks of the page in its answer: as ``pull``'s parameters (the push's
        own cursor and epoch are the page's)."""
        asked: dict = {"limit": limit, "rescope": True}
        for name, value in (("known", known), ("own", own)):
            if value is not None:
                asked[name] = value
        return asked

    def pull(self, cursor: int, limit: int = P.PAGE_SIZE, known: str | None = None,
             epoch: str | None = None, own: str | None = None) -> dict:
        # rescope=1: this laptop takes a new snapshot when the office asks (sync/engine.py).
        # own: its own rows it holds as the office does (store/own_rows.py).
        params: dict = {"cursor": cursor, "limit": limit, "rescope": 1}
        for name, value in (("known", known), ("epoch", epoch), ("own", own)):
            if value is not None:
                params[name] = value
        return self._request("GET", "/v1/pull", params=params).json()

    def snapshot(self) -> dict:
        response = self._request("GET", "/v1/snapshot")
        # httpx undoes Content-Encoding: gzip itself.
        return json.loads(response.content)

    def snapshot_lines(self) -> Iterator[list]:
        """The streamed snapshot (``P.SNAPSHOT_LINES``), as lists of parsed lines in arrival
        order, each list the complete lines of what has arrived so far. A server that only
        knows the single document answers that; it is turned into the same lines. A stream
        cut short raises SyncError (it has no closing line either way)."""
        response = self._request("GET", "/v1/snapshot", headers={"Accept": P.SNAPSHOT_LINES},
                                 stream=True)
        try:
            if not response.headers.get("content-type", "").startswith(P.SNAPSHOT_LINES):
                yield _document_lines(loads(response.read()))
                return
            rest = b""
            # httpx undoes Content-Encoding: gzip piece by piece as the bytes arrive.
            for piece in response.iter_bytes(SNAPSHOT_PIECE):
                cut = piece.rfind(b"\n")
                if cut < 0:
                    rest += piece
                    continue
                complete = rest + piece[:cut]
                rest = piece[cut + 1:]
                # One value per line, compact: a raw newline never occurs inside a JSON
                # value (strings escape it), so the lines are the values of one array.
                yield loads(b"[" + complete.replace(b"\n", b",") + b"]")
            if rest.strip():
                yield loads(b"[" + rest + b"]")
        except httpx.HTTPError as exc:
            raise SyncError(f"{UNREACHABLE} ({exc.__class__.__name__})") from exc
        except ValueError as exc:
            raise SyncError(f"the server's snapshot is damaged ({exc}); will retry",
                            P.E_BAD_REQUEST) from exc
        finally:
            response.close()

    def missing(self, hashes: list[str]) -> list[dict]:
        return self._json("POST", "/v1/attachments/missing", {"hashes": hashes})["missing"]

    def upload_chunk(self, sha256: str, offset: int, total: int, data: bytes) -> dict:
        """One chunk; a 409 answer carries the offset the server expects instead."""
        try:
            return self._request("PUT", f"/v1/attachments/{sha256}", body=data, headers={
                "Content-Type": "application/octet-stream", "Upload-Offset": str(offset),
                "Upload-Length": str(total)}).json()
        except SyncError as exc:
            if exc.code in (P.E_CONFLICT, P.E_HASH_MISMATCH) and "offset" in exc.detail:
                return {"offset": exc.detail["offset"], "complete": False,
                        "restart": exc.code == P.E_HASH_MISMATCH}
            raise

    def upload_many(self, parts: list[tuple[str, bytes]]) -> list[dict] | None:
        """Several whole attachments in one request: one answer per part (``complete``, or
        ``error``, ``reason`` and the ``offset`` to go on from). None if the office is older
        and does not take them so (then each goes on its own)."""
        try:
            return self._request("POST", "/v1/attachments/batch",
                                 body=b"".join(data for _, data in parts), headers={
                                     "Content-Type": "application/octet-stream",
                                     P.H_UPLOAD_PARTS: ",".join(
                                         f"{sha}:{len(data)}" for sha, data in parts)}
                                 ).json()["parts"]
        except SyncError as exc:
            if exc.status in (404, 405):
                return None
            raise

    def download(self, sha256: str) -> bytes:
        return self._request("GET", f"/v1/attachments/{sha256}").content

    def verification(self, record_id: str) -> dict | None:
        """The server's ``{"content_hash", "version", "state"}`` of a printed record, or None
        when the server does not know it (or it is not this user's to read)."""
        try:
            return self._request("GET", f"/v1/records/{record_id}/verification").json()
        except SyncError as exc:
            if exc.code == P.E_NOT_FOUND:
                return None
            raise


def _encode(payload: object) -> tuple[bytes, dict]:
    """JSON body and headers; gzip above a kilobyte. Level 1: on sync payloads it is within a
    few percent of level 6's size (see tests/bench/bench_sync.py) at a third of the time."""
    raw = dumps(payload)
    headers = {"Content-Type": "application/json"}
    if len(raw) > COMPRESS_ABOVE:
        raw = gzip.compress(raw, compresslevel=GZIP_LEVEL)
        headers["Content-Encoding"] = "gzip"
    return raw, headers


def _document_lines(doc: dict) -> list:
    """A one-document snapshot (servers before the streamed one) as snapshot lines."""
    lines: list = []
    total = 0
    for table, part in doc["tables"].items():
        lines.append({"table": table, "columns": part["columns"]})
        lines.extend(part["rows"])
        total += len(part["rows"])
    return [{"protocol": doc.get("protocol"), "cursor": doc["cursor"], "scope": doc.get("scope"),
             "rows": total}, *lines, {"end": total}]


def _certificate_problem(exc: BaseException) -> str | None:
    """What is wrong with the server's certificate, when that is why ``exc`` happened."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLCertVerificationError):
            return seen.verify_message or str(seen)
        seen = seen.__cause__ or seen.__context__
    if "CERTIFICATE_VERIFY_FAILED" in str(exc):
        return str(exc)
    return None


def _error_of(response: httpx.Response) -> dict:
    try:
        body = response.json()
        error = body.get("error") if isinstance(body, dict) else None
        return error if isinstance(error, dict) else {}
    except (json.JSONDecodeError, UnicodeDecodeError):
        return {}
