"""Checking an uploaded paper against the office's records: the office console's "Verify a
paper". The upload is a PDF (the printed form itself, or a scanner's PDF), or a phone photo
or scan of a printed page (JPEG or PNG).

The verification payload is read from the PDF's metadata, else from the QR code on its
pages or in the picture (fieldapp.forms.qr_photo), and judged by the same rule as
``fieldapp verify`` (fieldapp.forms.verification.verify_payload) against what the server
holds of the record (server/verification.record_state). Only records ``who`` may read take
part: another province's record answers UNKNOWN exactly like one that does not exist.

Uploads come from strangers' files: the kind is told from the bytes (not the name or the
browser's content type), sizes and pixels are bounded, reading a picture has a time budget,
and at most a few checks run at once (each may use a CPU core for seconds).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from fieldapp.core.errors import FieldAppError
from fieldapp.forms.qr_photo import PhotoError
from fieldapp.forms.verification import (
    MATCH,
    MODIFIED,
    UNKNOWN,
    Payload,
    read_pdf_payload,
    read_photo_payload,
    read_qr_payload,
    verify_payload,
)
from fieldapp.server.auth import Principal
from fieldapp.server.storage import Database
from fieldapp.server.verification import record_state

MAX_UPLOAD_BYTES = 30 * 1024 * 1024   # a 50 MP phone JPEG is ~20 MB; a scanned PDF less
READ_BUDGET_S = 10.0                  # time to find the code in one upload
AT_ONCE = 2                           # checks reading pictures at the same time
WAIT_S = 20.0                         # how long a check waits for its turn
_GATE = threading.BoundedSemaphore(AT_ONCE)

# Where the payload was found.
PDF_METADATA, PDF_QR, PHOTO_QR = "pdf_metadata", "pdf_qr", "photo_qr"


class PaperError(FieldAppError):
    """The upload cannot be checked. ``kind``: "empty", "too_large", "not_supported",
    "heic", "damaged", "too_many_pixels" or "busy"; the message is Thai (English)."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True)
class PaperCheck:
    """The answer for one paper.

    ``why`` names the case behind the outcome: "match", "match_amending" (an amendment is
    still a draft), "content_differs", "newer_version", "draft" (a draft print claims
    nothing), "not_known" (no such record here, or not the caller's), "no_code" (no FieldApp
    code was read). ``record_id`` is set only when the caller may open the record."""

    outcome: str
    why: str
    source: str | None
    payload: Payload | None
    record_id: str | None = None
    paper_version: int | None = None
    record_version: int | None = None
    reason: str = ""

    def audit_detail(self) -> str:
        claimed = (f"record {self.payload.record_id} version {self.payload.version}"
                   if self.payload else "no code read")
        return f"{self.outcome} ({self.why}); {claimed}; from {self.source or 'nothing'}"


def kind_of(data: bytes) -> str:
    """"pdf", "jpeg", "png", "heic" or "other", from the file's first bytes."""
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"mif1", b"msf1", b"hevc"):
        return "heic"
    return "other"


def check_paper(db: Database, who: Principal, data: bytes) -> PaperCheck:
    """Read the payload from ``data`` and judge it against what ``who`` may read."""
    if not data:
        raise PaperError("empty", "ไม่ได้เลือกไฟล์ หรือไฟล์ว่างเปล่า (no file, or an empty one)")
    if len(data) > MAX_UPLOAD_BYTES:
        raise PaperError("too_large", f"ไฟล์ใหญ่เกิน {MAX_UPLOAD_BYTES // 2**20} MB "
                                      f"(the file is larger than "
                                      f"{MAX_UPLOAD_BYTES // 2**20} MB)")
    kind = kind_of(data)
    if kind == "heic":
        raise PaperError("heic", "รูปแบบ HEIC ยังไม่รองรับ ส่งเป็น JPEG แทน (HEIC photos are "
                                 "not supported: send a JPEG)")
    if kind == "other":
        raise PaperError("not_supported", "รองรับเฉพาะไฟล์ PDF, JPEG และ PNG (only PDF, JPEG "
                                          "and PNG files)")
    if not _GATE.acquire(timeout=WAIT_S):
        raise PaperError("busy", "เครื่องแม่ข่ายกำลังตรวจเอกสารอื่นอยู่ ลองใหม่อีกครั้ง (the "
                                 "server is busy checking other papers: try again)")
    try:
        payload, source = _read(data, kind)
    finally:
        _GATE.release()
    if payload is None:
        return PaperCheck(UNKNOWN, "no_code", None, None,
                          reason="ไม่พบรหัสตรวจสอบของ FieldApp (no FieldApp code was read)")
    return judge(db, who, payload, source)


def _read(data: bytes, kind: str) -> tuple[Payload | None, str | None]:
    try:
        if kind == "pdf":
            found = read_pdf_payload(data)
            if found:
                return found, PDF_METADATA
            found = read_qr_payload(data, dpi=300, budget_s=READ_BUDGET_S)
            return found, PDF_QR if found else None
        found = read_photo_payload(data, budget_s=READ_BUDGET_S)
        return found, PHOTO_QR if found else None
    except PhotoError as exc:
        raise PaperError(exc.kind, str(exc)) from None
    except FieldAppError as exc:  # PDFium could not open it
        raise PaperError("damaged", str(exc)) from None


def judge(db: Database, who: Principal, payload: Payload, source: str | None) -> PaperCheck:
    """The verdict on ``payload`` against the records ``who`` may read."""
    state = record_state(db, who, payload.record_id)

    def lookup(_record_id: str):
        if state is None:
            return None
        return state["content_hash"], state["version"], state["amendment_in_progress"]

    verdict = verify_payload(payload, lookup)
    if payload.content_hash is None:
        why = "draft"
    elif state is None:
        why = "not_known"
    elif verdict.outcome == MATCH:
        why = "match_amending" if state["amendment_in_progress"] else "match"
    elif verdict.outcome == MODIFIED and state["content_hash"] != payload.content_hash:
        why = "content_differs"
    else:
        why = "newer_version"
    return PaperCheck(verdict.outcome, why, source, payload,
                      record_id=payload.record_id if state is not None else None,
                      paper_version=payload.version,
                      record_version=state["version"] if state is not None else None,
                      reason=verdict.reason)


__all__ = ["MATCH", "MODIFIED", "UNKNOWN", "PaperCheck", "PaperError", "check_paper",
           "judge", "kind_of"]
