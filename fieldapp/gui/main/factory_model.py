"""The factory table: a lazily fetched model over the local registry search.

Never loads the whole registry: the model holds only the pages the view has scrolled to.
Queries run on a dedicated search thread with its own Store (a sqlite3 connection belongs to
one thread); each request carries a generation number so a slow answer to an old query can
never overwrite the results of the query the user is typing now.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QMetaObject,
    QModelIndex,
    QObject,
    Qt,
    QThread,
    Signal,
    Slot,
)

from fieldapp.gui import ops

PAGE_SIZE = 100


class SearchService(QObject):
    """Lives on the search thread; answers page requests from the model."""

    pageReady = Signal(int, int, list)        # generation, offset, rows
    countReady = Signal(int, int)             # generation, total matches
    failed = Signal(int, str)

    def __init__(self, db_path: Path):
        super().__init__()
        self._db_path = db_path
        self._store = None

    @Slot(int, dict, int, int, bool)
    def fetch(self, generation: int, params: dict, offset: int, limit: int,
              with_count: bool) -> None:
        try:
            if self._store is None:
                self._store = ops.open_reader(self._db_path)
            rows = ops.search_page(self._store, offset=offset, limit=limit, **params)
            # The rows go out first: the table updates without waiting for the count.
            self.pageReady.emit(generation, offset, rows)
            if with_count:
                self.countReady.emit(generation, ops.count_matches(self._store, **params))
        except Exception as exc:  # a broken query must not kill the search thread
            self.failed.emit(generation, str(exc))

    @Slot()
    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


class FactoryTableModel(QAbstractTableModel):
    """Rows of ``ops.search_page`` dicts; grows a page at a time through fetchMore."""

    rowsArrived = Signal()            # the first page of the current query is in the table
    searchFinished = Signal(int)      # total matches of the current query (-1: failed)
    _request = Signal(int, dict, int, int, bool)

    COLUMNS = ("name", "fid", "facreg", "location", "status")

    def __init__(self, db_path: Path, parent: QObject | None = None,
                 page_size: int = PAGE_SIZE):
        super().__init__(parent)
        self.page_size = page_size
        self._rows: list[dict] = []
        self._total = 0
        self._generation = 0
        self._pending = False
        self._counting = False
        self._params: dict = {"query": "", "province": None, "status": None}
        self._thread = QThread()
        self._thread.setObjectName("factorySearchThread")
        self._service = SearchService(db_path)
        self._service.moveToThread(self._thread)
        self._request.connect(self._service.fetch, Qt.ConnectionType.QueuedConnection)
        self._service.pageReady.connect(self._on_page, Qt.ConnectionType.QueuedConnection)
        self._service.countReady.connect(self._on_count, Qt.ConnectionType.QueuedConnection)
        self._service.failed.connect(self._on_failed, Qt.ConnectionType.QueuedConnection)
        self._thread.start()

    # -- search ----------------------------------------------------------------------------

    def search(self, query: str = "", province: str | None = None,
               status: int | None = None) -> None:
        """Start a new query; results replace the table when they arrive."""
        if self._generation < 0:
            return   # shut down
        self._generation += 1
        self._params = {"query": query.strip(), "province": province, "status": status}
        self._pending = True
        self._request.emit(self._generation, dict(self._params), 0, self.page_size, True)

    @property
    def busy(self) -> bool:
        return self._pending

    @property
    def total(self) -> int:
        return self._total

    @Slot(int, int, list)
    def _on_page(self, generation: int, offset: int, rows: list) -> None:
        if generation != self._generation:
            return   # an answer to a query the user has already changed
        if offset == 0:
            self.beginResetModel()
            self._rows = list(rows)
            # Until the count arrives: a full page means there may be more.
            self._total = len(rows) + (1 if len(rows) == self.page_size else 0)
            self._counting = True
            self.endResetModel()
            self.rowsArrived.emit()
            return
        self._pending = False
        if offset != len(self._rows) or not rows:
            self._total = len(self._rows)   # the registry shrank meanwhile
            return
        self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(rows) - 1)
        self._rows.extend(rows)
        self.endInsertRows()

    @Slot(int, int)
    def _on_count(self, generation: int, total: int) -> None:
        if generation != self._generation:
            return
        self._pending = self._counting = False
        self._total = max(total, len(self._rows))
        self.searchFinished.emit(self._total)

    @Slot(int, str)
    def _on_failed(self, generation: int, message: str) -> None:
        if generation == self._generation:
            self._pending = False
            self.searchFinished.emit(-1)

    def shutdown(self) -> None:
        """Stop the search thread (call before the app quits)."""
        self._generation = -1   # answers still in the event queue are now ignored
        self._pending = False
        if self._thread.isRunning():
            # Stop a long query at once rather than wait for it (sqlite3 allows interrupt()
            # from another thread; the service reports it as a failed, ignored query).
            store = self._service._store
            if store is not None:
                store.conn.interrupt()
            # The service's Store must be closed on its own thread (sqlite3 is thread-bound).
            QMetaObject.invokeMethod(self._service, "close",
                                     Qt.ConnectionType.BlockingQueuedConnection)
            self._thread.quit()
            self._thread.wait(2000)

    # -- lazy loading ----------------------------------------------------------------------

    def canFetchMore(self, parent: QModelIndex = QModelIndex()) -> bool:  # noqa: B008
        if parent.isValid():
            return False
        return not self._pending and len(self._rows) < self._total

    def fetchMore(self, parent: QModelIndex = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent):
            return
        self._pending = True
        self._request.emit(self._generation, dict(self._params), len(self._rows),
                           self.page_size, False)

    # -- model -----------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def row(self, index: int) -> dict:
        return self._rows[index]

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = self.COLUMNS[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == "location":
                return ops.location_text(row)
            if column == "status":
                return status_label(row.get("status"))
            if column == "name" and not (row.get("name") or "").strip():
                # The registry has rows without a name ("-" in the file): an empty cell
                # looked like a display fault.
                return unnamed()
            return row.get(column) or ""
        if role == Qt.ItemDataRole.UserRole:
            return row.get("id")
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return column_title(self.COLUMNS[section])
        if role == Qt.ItemDataRole.ToolTipRole and self.COLUMNS[section] == "location":
            # The column is narrow on a laptop's screen: its title is short, this says more.
            return QCoreApplication.translate("FactoryTable", "Sub-district / district / province")
        return None


def unnamed() -> str:
    return QCoreApplication.translate("FactoryTable", "(no name in the registry)")


def column_title(column: str) -> str:
    titles = {
        "name": QCoreApplication.translate("FactoryTable", "Factory name"),
        "fid": QCoreApplication.translate("FactoryTable", "Factory ID"),
        "facreg": QCoreApplication.translate("FactoryTable", "Old registration no."),
        "location": QCoreApplication.translate("FactoryTable", "Location"),
        "status": QCoreApplication.translate("FactoryTable", "Status"),
    }
    return titles[column]


def status_label(status: int | None) -> str:
    """The registry's FFLAG in words (DESIGN.md §8); an empty FFLAG is "status not given"."""
    labels = {
        0: QCoreApplication.translate("FactoryStatus", "Licensed, not yet operating"),
        1: QCoreApplication.translate("FactoryStatus", "Operating"),
        2: QCoreApplication.translate("FactoryStatus", "Struck off"),
        3: QCoreApplication.translate("FactoryStatus", "Stopped"),
    }
    return labels.get(status, QCoreApplication.translate("FactoryStatus", "Status not given"))


# The status filter's choices after "any status": FFLAG 0-3, then rows whose FFLAG is empty
# (every row of DIW's own sample files).
STATUSES = (0, 1, 2, 3, ops.STATUS_NOT_GIVEN)
