"""One mistake in a checklist workbook, at the cell where the author can fix it."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from fieldapp.core.errors import ValidationError


@dataclass(frozen=True)
class SheetProblem:
    """``sheet``/``row``/``column`` locate the cell as Excel shows it (row 1 is the heading
    row, column "C"); each is None when the problem is bigger than a cell (a missing sheet,
    a missing column). ``heading`` is the column's heading text, when there is one."""

    sheet: str | None
    row: int | None
    column: str | None
    heading: str | None
    message_th: str
    message_en: str

    @property
    def cell(self) -> str:
        """``survey!H12``, ``survey!H:H``, ``survey!3:3``, ``survey`` or ``""``: where, as Excel names it."""
        if self.sheet is None:
            return ""
        if self.column and self.row:
            return f"{self.sheet}!{self.column}{self.row}"
        if self.column:                       # a whole column, as Excel writes it
            return f"{self.sheet}!{self.column}:{self.column}"
        if self.row:                          # a whole row
            return f"{self.sheet}!{self.row}:{self.row}"
        return self.sheet

    def as_dict(self) -> dict:
        """The problem as JSON-ready fields (what the office console shows in its table)."""
        return {**asdict(self), "cell": self.cell}

    def __str__(self) -> str:
        where = self.cell + (f" ({self.heading})" if self.heading else "")
        return f"{where}: {self.message_th} ({self.message_en})" if where else \
            f"{self.message_th} ({self.message_en})"


class WorkbookError(ValidationError):
    """A checklist workbook that cannot become a template; ``sheet_problems`` lists them all."""

    def __init__(self, source: str, problems: list[SheetProblem]):
        count = len(problems)
        super().__init__(
            f"สมุดงานแบบตรวจไม่ถูกต้อง (invalid checklist workbook) {source}: {count} "
            f"problem{'s' if count != 1 else ''} — {problems[0]}",
            [str(p) for p in problems])
        self.source = source
        self.sheet_problems = problems
