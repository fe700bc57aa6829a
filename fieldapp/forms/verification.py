"""The verification payload on every printed page, and checking a paper copy against a record.

Payload (QR code and PDF metadata, ASCII, ``|``-separated; docs/printed-form.md):

    FA1|<inspection id>|<version>|<content hash>

``FA1`` names the format. ``version`` is the amendment number of the printed record (0 for
an original, 1 for its first amendment, ...). ``content hash`` is the full lower-case SHA-256
of the canonical inspection (fieldapp.core.canonical), or ``DRAFT`` on a draft print, which
claims nothing.

``verify_payload`` takes a ``lookup(record_id) -> RecordState | None`` so that the same rule
checks a paper against the local database or, once synced, against the office server.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from fieldapp.core.errors import FieldAppError

PREFIX = "FA1"
DRAFT = "DRAFT"
MATCH, MODIFIED, UNKNOWN = "MATCH", "MODIFIED", "UNKNOWN"
EXIT_CODES = {MATCH: 0, MODIFIED: 1, UNKNOWN: 2}
_PAYLOAD = re.compile(r"FA1\|([0-9A-Za-z-]{1,64})\|(\d{1,4})\|([0-9a-f]{64}|DRAFT)")


@dataclass(frozen=True)
class Payload:
    record_id: str
    version: int
    content_hash: str | None  # None on a draft

    def text(self) -> str:
        return f"{PREFIX}|{self.record_id}|{self.version}|{self.content_hash or DRAFT}"


class RecordState(NamedTuple):
    """What the authority (local database or server) knows of a record: its current content
    hash, the newest finalized version of its amendment chain, and whether an amendment of
    that version is still a draft (older servers do not say: False)."""

    content_hash: str | None
    version: int
    amendment_in_progress: bool = False


Lookup = Callable[[str], RecordState | tuple | None]


@dataclass(frozen=True)
class Verdict:
    outcome: str  # MATCH, MODIFIED or UNKNOWN
    reason: str

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self.outcome]


def parse_payload(text: str) -> Payload | None:
    """The payload found in ``text`` (metadata field or decoded QR), or None."""
    m = _PAYLOAD.search(text or "")
    if not m:
        return None
    digest = None if m.group(3) == DRAFT else m.group(3)
    return Payload(m.group(1), int(m.group(2)), digest)


def verify_payload(payload: Payload, lookup: Lookup) -> Verdict:
    """Compare a paper's payload with what ``lookup`` knows of the record."""
    if payload.content_hash is None:
        return Verdict(UNKNOWN, "ฉบับร่าง ไม่มีค่าแฮชให้ตรวจสอบ (a draft print claims no content "
                                "hash)")
    found = lookup(payload.record_id)
    if found is None:
        return Verdict(UNKNOWN, f"ไม่พบบันทึก {payload.record_id} (record not known here)")
    state = RecordState(*found)
    if state.content_hash != payload.content_hash:
        return Verdict(MODIFIED, "เนื้อหาบันทึกไม่ตรงกับเอกสารนี้ (the record's content differs "
                                 "from this paper)")
    if state.version != payload.version:
        return Verdict(MODIFIED, f"บันทึกนี้มีฉบับแก้ไขครั้งที่ {state.version} แล้ว (this paper is "
                                 f"version {payload.version}; the record is now at version "
                                 f"{state.version})")
    if state.amendment_in_progress:
        # Until the amendment is finalized the signed original is still the record.
        return Verdict(MATCH, "ตรงกับบันทึก แต่มีฉบับแก้ไขที่ยังเป็นร่างอยู่ (paper matches the "
                              "record; an amendment is in progress, not yet finalized)")
    return Verdict(MATCH, "ตรงกับบันทึก (paper matches the record)")


def read_pdf_payload(pdf: bytes | str) -> Payload | None:
    """The payload from a PDF's metadata (Keywords, then Subject)."""
    import pypdfium2

    from fieldapp.forms.images import PDFIUM

    with PDFIUM:
        try:
            doc = pypdfium2.PdfDocument(pdf)
        except pypdfium2.PdfiumError as exc:
            raise FieldAppError(f"อ่านไฟล์ PDF ไม่ได้ (not a readable PDF: {exc})") from exc
        try:
            meta = doc.get_metadata_dict()
        finally:
            doc.close()
    for key in ("Keywords", "Subject"):
        found = parse_payload(meta.get(key, ""))
        if found:
            return found
    return None


QR_PAGES = 3          # every printed page carries the code: a scan's first pages suffice
QR_MAX_SIDE = 4000    # pixels on a rendered page's long side, whatever size it claims


def read_qr_payload(pdf: bytes | str, *, dpi: float = 200, max_pages: int = QR_PAGES,
                    budget_s: float = 8.0) -> Payload | None:
    """The payload from a QR code on the PDF's first pages: for a scan of the paper, which
    has no metadata. Each page is rendered at ``dpi`` (less when the page is huge), then read
    as a photo would be (fieldapp.forms.qr_photo), within ``budget_s`` seconds in all.
    Needs the optional zxing-cpp package; None when it is absent or no code reads."""
    try:
        import zxingcpp  # noqa: F401 - only asking whether it is installed
    except ImportError:
        return None
    import time

    from fieldapp.forms.images import render_pdf_pages_bounded
    from fieldapp.forms.qr_photo import find_code

    deadline = time.monotonic() + budget_s
    for image in render_pdf_pages_bounded(pdf, dpi=dpi, max_pages=max_pages,
                                          max_side=QR_MAX_SIDE):
        found = find_code(image, parse_payload, deadline=deadline)
        if found or time.monotonic() > deadline:
            return found
    return None


def read_photo_payload(data: bytes, *, budget_s: float = 8.0) -> Payload | None:
    """The payload from a phone photo or scan of a printed page (JPEG or PNG bytes), or
    None when no FieldApp code reads within ``budget_s`` seconds. Raises
    fieldapp.forms.qr_photo.PhotoError for a file that is not a sound picture."""
    import time

    from fieldapp.forms.qr_photo import find_code, open_photo

    deadline = time.monotonic() + budget_s
    return find_code(open_photo(data), parse_payload, deadline=deadline)
