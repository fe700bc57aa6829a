"""What one sync run reports: its progress as it goes, and its summary at the end with the
one line the ``fieldapp sync`` command prints and the window's status bar shows.

Plain data: no database, no network (the engine remembers the line in sync_state).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

Progress = Callable[[str, int, int], None]


@dataclass
class SyncSummary:
    pushed: int = 0
    rejected: int = 0
    pulled: int = 0
    uploaded: int = 0
    downloaded: int = 0
    skipped: int = 0
    requests: int = 0
    errors: list[str] = field(default_factory=list)
    cancelled: bool = False
    resent: int = 0  # changes sent again: the office had lost them (restored from a backup)
    # Photos and files this laptop lacks that the office does not hold yet either (their
    # laptop has not sent them): asked for again next sync.
    awaited: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors and not self.cancelled

    def line(self) -> str:
        """The one summary line the command prints and the status bar shows."""
        text = (f"ส่ง {self.pushed} รายการ, รับ {self.pulled}, อัปโหลดไฟล์ {self.uploaded}, "
                f"ดาวน์โหลด {self.downloaded}")
        if self.resent:
            text += f", ส่งซ้ำ {self.resent} รายการที่สำนักงานทำหายเพราะกู้คืนจากข้อมูลสำรอง"
        text += (f" (pushed {self.pushed}, pulled {self.pulled}, "
                 f"uploaded {self.uploaded}, downloaded {self.downloaded}")
        if self.rejected:
            text += f", rejected {self.rejected} — see `fieldapp sync --rejected`"
        if self.skipped:
            text += f", {self.skipped} server rows not applied here (see the log)"
        if self.awaited:
            text += (f", {self.awaited} files not on the server yet (sent by another laptop "
                     f"later; fetched next sync)")
        if self.resent:
            text += (f", {self.resent} changes sent again: the office had lost them "
                     f"(restored from an older backup)")
        text += ")"
        if self.cancelled:
            text += " — cancelled; the rest syncs next time"
        if self.errors:
            text += " — " + "; ".join(self.errors)
        return text
