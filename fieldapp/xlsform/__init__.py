"""Checklists authored in Excel (XLSForm): a workbook in, a template document out, and back.

Pure Python, no Qt. It reads and writes workbooks, which core must not (core does no I/O),
and it needs nothing from the database, so it sits beside store, above core, where both the
desktop (gui) and the office server can use it (see the layers in pyproject.toml).

The entry points:
- ``parse_workbook(data)`` — bytes of an .xlsx -> (template document or None, problems);
  what the office console calls for an uploaded file.
- ``load_workbook_template(path)`` — a file -> a checked ``Template``, or WorkbookError.
- ``write_xlsform(template)`` — a ``Template`` -> .xlsx bytes.
"""

from __future__ import annotations

from pathlib import Path

from fieldapp.core.template_loading import parse_template
from fieldapp.core.template_model import Template
from fieldapp.xlsform.problems import SheetProblem, WorkbookError
from fieldapp.xlsform.reader import read_xlsform
from fieldapp.xlsform.writer import write_xlsform

__all__ = ["SheetProblem", "WorkbookError", "load_workbook_template", "parse_workbook",
           "write_xlsform"]


def parse_workbook(data: bytes) -> tuple[dict | None, list[SheetProblem]]:
    """The template document in the workbook ``data`` (JSON-ready: the same dict a template
    file holds, already accepted by ``core.templates.parse_template``) and ``[]``; or None
    and every problem found, each with its sheet, row, column, message_th and message_en
    (``SheetProblem.as_dict()`` gives them as a dict)."""
    return read_xlsform(data)


def load_workbook_template(path: str | Path) -> Template:
    """The checked Template of the workbook file ``path``; WorkbookError lists every problem."""
    source = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise WorkbookError(source, [SheetProblem(
            None, None, None, None, f"อ่านไฟล์ไม่ได้ ({exc.strerror})",
            f"cannot read the file ({exc.strerror})")]) from exc
    document, problems = read_xlsform(data)
    if document is None:
        raise WorkbookError(source, problems)
    return parse_template(document, source)
