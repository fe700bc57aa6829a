"""A template file uploaded in the console, turned into a checked Template or the list of
its problems, with the laptops' own loader (core/template_loading.py): an upload passes
exactly the checks a file given to ``fieldapp-server templates publish`` passes, and the
push then checks the row once more (server/template_check.py).

One reader per kind of file, chosen by the file's extension. A reader takes the uploaded
bytes and the name to report problems under, and returns a Template or raises
TemplateError listing every problem. A workbook (XLSForm, fieldapp/xlsform) raises
WorkbookError instead, whose ``sheet_problems`` place each problem at its cell; the
console shows them in a table. Kinds in ``PREVIEWED`` are not published on upload: the
console first shows the checklist as the laptops will, and publishes it on a second step.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from pathlib import Path

from fieldapp.core.templates import Template, TemplateError, load_template, parse_template
from fieldapp.xlsform import WorkbookError, parse_workbook

Reader = Callable[[bytes, str], Template]
MAX_BYTES = 5 * 1024 * 1024   # a checklist of hundreds of items is well under 1 MB


def read_json(data: bytes, name: str) -> Template:
    """A template JSON file: read through ``load_template`` itself (UTF-8 with or without
    BOM, duplicate keys named, every schema and rule problem listed), its problems then
    named after the uploaded file rather than the temporary copy."""
    with tempfile.TemporaryDirectory(prefix="fieldapp-template-") as tmp:
        path = Path(tmp) / "upload.json"
        path.write_bytes(data)
        try:
            return load_template(path)
        except TemplateError as exc:
            problems = [p.replace(str(path), name) for p in exc.problems]
            raise TemplateError(name, problems) from None


def read_xlsx(data: bytes, name: str) -> Template:
    """An XLSForm workbook: every problem at its cell (WorkbookError), or the Template."""
    document, problems = parse_workbook(data)
    if document is None:
        raise WorkbookError(name, problems)
    return parse_template(document, name)


READERS: dict[str, Reader] = {".json": read_json, ".xlsx": read_xlsx}
PREVIEWED = frozenset({".xlsx"})   # authored by hand in Excel: look before publishing


def previewed(filename: str) -> bool:
    return Path(safe_name(filename)).suffix.lower() in PREVIEWED


def accepted_suffixes() -> list[str]:
    return sorted(READERS)


def safe_name(filename: str) -> str:
    """The uploaded file's own name, for messages: no folders, no control characters."""
    base = re.split(r"[\\/]", filename or "")[-1]
    base = "".join(ch for ch in base if ch.isprintable())[:120].strip()
    return base or "upload"


def read_upload(filename: str, data: bytes) -> Template:
    """The Template in an uploaded file; TemplateError naming every problem otherwise."""
    name = safe_name(filename)
    reader = READERS.get(Path(name).suffix.lower())
    if reader is None:
        raise TemplateError(name, [
            f"{name}: รับเฉพาะไฟล์ {', '.join(accepted_suffixes())} (only "
            f"{', '.join(accepted_suffixes())} files are accepted)"])
    if not data:
        raise TemplateError(name, [f"{name}: ไฟล์ว่าง (the file is empty)"])
    if len(data) > MAX_BYTES:
        raise TemplateError(name, [
            f"{name}: ไฟล์ใหญ่เกินไป (the file is larger than "
            f"{MAX_BYTES // (1024 * 1024)} MB)"])
    return reader(data, name)
