"""Undo and redo of answers: every change to an answer is one QUndoCommand.

The command writes through ``fieldapp.store.inspections.set_answer`` in ``redo`` (which
QUndoStack.push calls at once — that *is* the autosave) and writes the previous answer back
in ``undo``. Successive keystrokes in one text field merge into one undo step.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from fieldapp.store.db import Store
from fieldapp.store.inspections import set_answer

FIELDS = ("result", "value", "note")


def answer_fields(answer: dict | None) -> dict:
    answer = answer or {}
    return {k: answer.get(k) for k in FIELDS}


class AnswerCommand(QUndoCommand):
    """Change one item's answer from ``before`` to ``after`` (dicts of result/value/note)."""

    MERGE_ID = 4711

    def __init__(self, store: Store, inspection_id: str, item_id: str, before: dict,
                 after: dict, applied: Callable[[str, dict], None], text: str,
                 merge_key: str | None = None):
        super().__init__(text)
        self.store, self.inspection_id, self.item_id = store, inspection_id, item_id
        self.before, self.after = dict(before), dict(after)
        self.applied = applied
        self.merge_key = merge_key

    def _write(self, fields: dict) -> None:
        row = set_answer(self.store, self.inspection_id, self.item_id, **fields)
        self.applied(self.item_id, row)

    def redo(self) -> None:
        self._write(self.after)

    def undo(self) -> None:
        self._write(self.before)

    def id(self) -> int:
        return self.MERGE_ID if self.merge_key else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        # Typing "7", ".", "5" into one value field undoes as one step back to the start.
        if not isinstance(other, AnswerCommand) or other.merge_key != self.merge_key:
            return False
        if other.item_id != self.item_id:
            return False
        self.after = dict(other.after)
        return True
