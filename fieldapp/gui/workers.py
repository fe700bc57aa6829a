"""Background work off the UI thread: a generic task runner with progress and cancel.

A ``Task`` runs a plain function on Qt's global thread pool and reports through signals, so
the UI thread never waits on disk or network. The function receives a ``TaskContext`` to
report progress and to ask whether the user cancelled. Functions that need the database
open their own Store from the path (a Store's sqlite3 connection belongs to one thread).

Two kinds of task, declared when started: a *reader* only reads, to show something (a
record's thumbnails, a preview, a count), and stops at its next ``check()`` when cancelled;
anything else may write (an import, sync, a backup, saving photos). Replacing the database
waits for writers (``writing()``) but cancels readers (``stop_readers()``): a record's
thumbnails still loading used to refuse a restore as "still working".
"""

from __future__ import annotations

import logging
import threading
import time
import traceback
from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)


class Cancelled(Exception):
    """Raised inside a task when the user asked to stop; not an error."""


class TaskContext:
    """What a running task sees: progress reporting and the cancel flag."""

    def __init__(self, signals: TaskSignals):
        self._signals = signals
        self._cancel = threading.Event()

    def progress(self, done: int, total: int, message: str = "") -> None:
        self._signals.progress.emit(done, total, message)

    def partial(self, value) -> None:
        """Hand over a piece of the result before the whole is done (a preview's page)."""
        self._signals.partial.emit(value)

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        """Stop here (raise Cancelled) if the user cancelled."""
        if self._cancel.is_set():
            raise Cancelled()


class TaskSignals(QObject):
    progress = Signal(int, int, str)
    partial = Signal(object)       # a piece of the result, before finished
    finished = Signal(object)      # the function's return value
    failed = Signal(str)           # a message a person can read
    cancelled = Signal()


class Task(QRunnable):
    """``Task(fn, *args)``: runs ``fn(ctx, *args)`` on the pool. Connect to ``signals``."""

    def __init__(self, fn: Callable, *args, **kwargs):
        super().__init__()
        self.signals = TaskSignals()
        self.context = TaskContext(self.signals)
        self._fn, self._args, self._kwargs = fn, args, kwargs
        self.setAutoDelete(False)   # we keep a reference until finished
        self.done = threading.Event()   # set when the function returned or raised
        self.reader = False             # declared by ``start(task, reader=True)``
        self.told = threading.Event()   # set once its outcome was signalled, too

    def cancel(self) -> None:
        self.context._cancel.set()

    def run(self) -> None:  # noqa: D401 - Qt entry point, on the worker thread
        try:
            result = self._fn(self.context, *self._args, **self._kwargs)
        except Cancelled:
            self.done.set()
            _tell(self.signals.cancelled)
        except Exception as exc:  # shown to the user, detail goes to the log
            self.done.set()
            log.error("background task failed:\n%s", traceback.format_exc())
            _tell(self.signals.failed, str(exc) or type(exc).__name__)
        else:
            self.done.set()
            _tell(self.signals.finished, result)
        finally:
            self.told.set()


def _tell(signal, *args) -> None:
    """Emit, unless the app quit while the task ran: its signals object is gone then, and
    nobody is left to tell (quitting during the warm-up printed a RuntimeError)."""
    try:
        signal.emit(*args)
    except RuntimeError:
        log.debug("a background task finished after the app quit")


_running: set[Task] = set()


def start(task: Task, *, reader: bool = False) -> Task:
    """Start ``task`` on the global pool and keep it alive until it reports back.

    ``reader``: the task only reads, to show something, and stops soon when cancelled; it
    does not hold up replacing the database, which cancels it (``stop_readers``)."""
    task.reader = reader
    _running.add(task)
    for sig in (task.signals.finished, task.signals.failed, task.signals.cancelled):
        sig.connect(lambda *_a, t=task: _running.discard(t))
    QThreadPool.globalInstance().start(task)
    return task


def wait_if_started(task: Task, timeout: float) -> None:
    """Wait (at most ``timeout`` seconds) for ``task`` if it was started and runs still;
    one never started is not waited for."""
    if task in _running:
        # Until its outcome is signalled: a worker still emitting while the application
        # is torn down crashes the process.
        task.told.wait(timeout)


def busy() -> bool:
    """Whether any task, reader or not, is still running."""
    return any(not task.done.is_set() for task in _running)


def writing() -> bool:
    """Whether a task that may write is still running: the database must not be replaced
    under it (its writes could be split between two databases)."""
    return any(not task.done.is_set() for task in _running if not task.reader)


def stop_readers(timeout: float) -> bool:
    """Cancel every running reader and wait (at most ``timeout`` seconds in all) for them to
    stop; True when none runs any more. Each stops at its next check, a photo or a page at
    most; one that is not done by then may still hold a file open."""
    readers = [task for task in _running if task.reader and not task.done.is_set()]
    for task in readers:
        task.cancel()
    deadline = time.monotonic() + timeout
    for task in readers:
        task.done.wait(max(0.0, deadline - time.monotonic()))
    return all(task.done.is_set() for task in readers)
