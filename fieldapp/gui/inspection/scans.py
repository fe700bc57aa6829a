"""Scans of the ink-signed paper form (objectName ``scansView``).

When the form was printed and signed in ink, a scan or a photo of the signed paper is
attached to the record as evidence (attachment kind ``scan``). The store allows this on a
finalized record too: the scan sits outside the content hash, so it never changes what was
signed. This view lists the scans with thumbnails and offers "Attach scan of signed paper".
"""

from __future__ import annotations

import mimetypes
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from fieldapp.core.thaidate import format_datetime
from fieldapp.gui.i18n import tr
from fieldapp.gui.inspection.thumbnails import thumbnail
from fieldapp.store.blobs import read_blob
from fieldapp.store.db import Store
from fieldapp.store.inspections import add_attachment, children

SCAN_THUMB = QSize(220, 300)
SCAN_MIMES = {".pdf": "application/pdf"}


class ScansView(QWidget):
    """The scans of one inspection, newest last, and the button that adds one."""

    changed = Signal()

    def __init__(self, store: Store, inspection_id: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("scansView")
        self.store, self.inspection_id = store, inspection_id
        layout = QVBoxLayout(self)
        intro = QLabel(tr("After the printed form was signed in ink, attach a scan or a photo "
                          "of the signed paper here. It is kept with the record and does not "
                          "change what was signed."), self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.attach_button = QPushButton(tr("Attach scan of signed paper…"), self)
        self.attach_button.setObjectName("attachScanButton")
        self.attach_button.setMinimumHeight(38)
        self.attach_button.clicked.connect(self.choose_files)
        row = QHBoxLayout()
        row.addWidget(self.attach_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.empty = QLabel(tr("No scan attached yet"), self)
        self.empty.setObjectName("noScans")
        layout.addWidget(self.empty)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        self.strip = QWidget()
        self.strip_layout = QHBoxLayout(self.strip)
        self.strip_layout.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        scroll.setWidget(self.strip)
        layout.addWidget(scroll, 1)
        self.refresh()

    def scans(self) -> list[dict]:
        return [a for a in children(self.store, "attachments", self.inspection_id)
                if a["kind"] == "scan"]

    def refresh(self) -> None:
        while self.strip_layout.count():
            widget = self.strip_layout.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        scans = self.scans()
        self.empty.setVisible(not scans)
        for scan in scans:
            tile = QWidget(self.strip)
            tile.setObjectName(f"scan_{scan['id']}")
            box = QVBoxLayout(tile)
            picture = QLabel(tile)
            if scan["mime"].startswith("image/"):
                picture.setPixmap(thumbnail(read_blob(self.store.blob_dir, scan["sha256"]),
                                            SCAN_THUMB))
            else:
                picture.setText(tr("PDF document"))
            picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
            box.addWidget(picture)
            caption = QLabel(f"{scan.get('caption') or ''}\n"
                             f"{format_datetime(scan['taken_at']) if scan.get('taken_at') else ''}",
                             tile)
            caption.setWordWrap(True)
            box.addWidget(caption)
            box.addStretch(1)     # caption right under its picture
            self.strip_layout.addWidget(tile)

    def add_files(self, paths: list[str | Path]) -> int:
        """Attach each file (image or PDF) as a scan; returns how many were attached."""
        added = 0
        for path in map(Path, paths):
            try:
                data = path.read_bytes()
                mime = (SCAN_MIMES.get(path.suffix.lower())
                        or mimetypes.guess_type(path.name)[0] or "image/jpeg")
                add_attachment(self.store, self.inspection_id, data, kind="scan", mime=mime,
                               caption=path.name,
                               taken_at=datetime.fromtimestamp(path.stat().st_mtime, UTC)
                               .isoformat(timespec="seconds"))
                added += 1
            except Exception as exc:  # shown to the person; nothing else changed
                QMessageBox.warning(self, tr("Scan not attached"), f"{path.name}: {exc}")
        if added:
            self.refresh()
            self.changed.emit()
        return added

    def choose_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self, tr("Attach scan of signed paper"), "",
            tr("Scans (*.jpg *.jpeg *.png *.pdf)"))
        if files:
            self.add_files(files)
