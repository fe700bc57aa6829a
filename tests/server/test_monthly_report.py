"""The monthly report's counts (server/loop/monthly.py), both backends, on the November of
monthly_world: every count exact, month bounds in Bangkok time, another province's rows
left out; and the workbook and PDF made from it."""

from __future__ import annotations

import io
import os
import subprocess
from datetime import date
from pathlib import Path

import pytest
from monthly_world import TODAY, MonthWorld
from openpyxl import load_workbook
from test_server_api import api as api  # noqa: F401  (the fixture, shared)

from fieldapp.core.errors import ValidationError
from fieldapp.server.cli import main
from fieldapp.server.loop.monthly import UNASSIGNED, monthly_report, parse_month
from fieldapp.server.loop.monthly_tables import monthly_pdf
from fieldapp.server.loop.monthly_xlsx import monthly_xlsx


@pytest.fixture
def world(api):
    return MonthWorld(api)


def test_inspections_by_kind_result_review_and_amendments(world):
    t = monthly_report(world.db, "10", 2026, 11, today=TODAY).total
    assert t.inspections == 3            # i1, i2 (00:30 on 1 Nov), i3 (23:59 on 30 Nov)
    assert dict(t.kinds) == {"routine": 1, "complaint": 1, "follow_up": 1}
    assert (t.passed, t.with_findings) == (2, 1)
    assert dict(t.reviews) == {"approved": 1, "returned": 1, "awaiting": 1}
    assert t.amendments == 1


def test_findings_by_template_section(world):
    r = monthly_report(world.db, "10", 2026, 11, today=TODAY)
    assert dict(r.total.findings) == {"wastewater": 1, "noise": 1, "other": 1}
    assert [(c.key, c.th) for c in r.categories] == [
        ("wastewater", "น้ำเสียและน้ำทิ้ง"), ("noise", "เสียง"), ("other", "อื่น ๆ")]


def test_orders_issued_closed_overdue_escalated(world):
    t = monthly_report(world.db, "10", 2026, 11, today=TODAY).total
    # o1, o2 issued 3 Nov; o3 closed 25 Nov; o1 (due 20 Nov) and o4 (open at month end,
    # verified on 3 Dec) overdue; o2 escalated 28 Nov. Province 20's order is not counted.
    assert dict(t.orders) == {"issued": 2, "closed": 1, "overdue": 2, "escalated": 1}


def test_overdue_in_the_current_month_counts_to_today(world):
    # On 18 Nov only o4 (due 15 Nov) and o3 (due 10 Nov, not verified until 25 Nov by its
    # history) were past their deadline; o1 is due on the 20th.
    t = monthly_report(world.db, "10", 2026, 11, today=date(2026, 11, 18)).total
    assert t.orders["overdue"] == 2
    t = monthly_report(world.db, "10", 2026, 11, today=date(2026, 11, 21)).total
    assert t.orders["overdue"] == 3


def test_complaints_by_type_and_total(world):
    t = monthly_report(world.db, "10", 2026, 11, today=TODAY).total
    assert dict(t.complaints) == {"received": 2, "replied": 2, "overdue": 1}
    assert {k: v for k, v in t.complaint_types.items() if v} == {
        ("received", "odour"): 1, ("received", "dust"): 1, ("received", "wastewater"): 1,
        ("replied", "odour"): 2, ("replied", "dust"): 1, ("overdue", "noise"): 1}


def test_per_inspector(world):
    r = monthly_report(world.db, "10", 2026, 11, today=TODAY)
    assert list(r.inspectors) == ["anong", "boon", UNASSIGNED]
    anong, boon, nobody = (r.inspectors[k] for k in ("anong", "boon", UNASSIGNED))
    assert (anong.inspections, anong.passed, anong.with_findings, anong.amendments) == \
        (2, 1, 1, 1)
    assert dict(anong.reviews) == {"approved": 1, "returned": 1}
    assert anong.findings_total == 3
    assert dict(anong.orders) == {"issued": 2, "closed": 1, "overdue": 2, "escalated": 1}
    assert dict(anong.complaints) == {"received": 1, "replied": 1, "overdue": 1}
    assert (boon.inspections, boon.kinds["follow_up"], boon.reviews["awaiting"]) == (1, 1, 1)
    assert dict(boon.complaints) == {"replied": 1} and not boon.orders
    assert dict(nobody.complaints) == {"received": 1} and nobody.inspections == 0


def test_other_province_and_other_months(world):
    r = monthly_report(world.db, "20", 2026, 11, today=TODAY)
    assert r.total.inspections == 1 and r.total.orders["issued"] == 1
    assert r.total.complaints["received"] == 1 and list(r.inspectors) == ["chai"]
    dec = monthly_report(world.db, "10", 2026, 12, today=TODAY).total
    assert dec.inspections == 1 and dec.kinds["routine"] == 1      # i4, 00:00 on 1 Dec
    assert dec.orders["closed"] == 1                                # o4, 3 Dec
    octo = monthly_report(world.db, "10", 2026, 10, today=TODAY).total
    assert octo.inspections == 1 and octo.orders["issued"] == 2     # i5 and its orders
    assert monthly_report(world.db, "11", 2026, 11, today=TODAY).total.inspections == 0


@pytest.mark.parametrize("text", ["2026-13", "26-11", "2026/11", "", "๒๕๖๙-13", "2026-0",
                                  "2800-11"])
def test_bad_months_are_refused(text):
    with pytest.raises(ValidationError):
        parse_month(text)


@pytest.mark.parametrize("text", ["2026-11", "2569-11", "๒๕๖๙-๑๑", " 2569-11 "])
def test_a_month_reads_in_either_era(text):
    """A Thai office writes its years in the Buddhist era, as the laptops print them."""
    assert parse_month(text) == (2026, 11)


def test_unknown_province_is_refused(server_db):
    with pytest.raises(ValidationError):
        monthly_report(server_db, "99", 2026, 11)


# -- the files ---------------------------------------------------------------------------

def _samples(name: str, data: bytes) -> None:
    """Keep a file for a person to look at when FIELDAPP_REPORT_SAMPLES names a folder."""
    folder = os.environ.get("FIELDAPP_REPORT_SAMPLES")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        (Path(folder) / name).write_bytes(data)


def _sheet_rows(sheet) -> list[tuple]:
    return [tuple(c for c in row) for row in sheet.iter_rows(values_only=True)]


def _find(rows: list[tuple], first: str) -> tuple:
    found = [r for r in rows if isinstance(r[0], str) and r[0].startswith(first)]
    assert found, f"no row starts with {first!r}"
    return found[0]


def test_workbook(world, server_db):
    r = monthly_report(world.db, "10", 2026, 11, today=TODAY)
    data = monthly_xlsx(r)
    _samples(f"monthly-10-2026-11-{server_db.dialect}.xlsx", data)
    book = load_workbook(io.BytesIO(data))
    summary, people = book.worksheets
    assert summary.title == "สรุป (Summary)" and people.title == "รายผู้ตรวจ (By inspector)"
    rows = _sheet_rows(summary)
    assert rows[0][0] == "รายงานผลการปฏิบัติงานประจำเดือน พฤศจิกายน 2569"
    assert rows[1][0].startswith("สำนักงานอุตสาหกรรมกรุงเทพมหานคร")
    assert "5 ธันวาคม 2569" in rows[2][0]
    assert _find(rows, "การตรวจที่ปิดบันทึกในเดือน")[1] == 3
    assert _find(rows, "ตรวจตามข้อร้องเรียน")[1] == 1
    assert _find(rows, "ไม่พบข้อบกพร่อง")[1] == 2
    assert _find(rows, "รอการตรวจทาน")[1] == 1
    assert _find(rows, "บันทึกแก้ไข")[1] == 1
    assert _find(rows, "น้ำเสียและน้ำทิ้ง")[1] == 1
    assert _find(rows, "ออกคำสั่งให้แก้ไข")[1] == 2
    assert _find(rows, "ค้างเกินกำหนด ณ สิ้นเดือน")[1] == 2
    assert _find(rows, "กลิ่นเหม็น")[1:4] == (1, 2, 0)
    assert _find(rows, "ประเภทปัญหา")[1:4] == ("รับเรื่อง", "ตอบผู้ร้องแล้ว",
                                                "ค้างเกินกำหนด ณ สิ้นเดือน")
    assert _find(rows, "Problem type")[1] == "Received"     # the English header row
    complaints_total = [row for row in rows if str(row[0]).startswith("รวม (Total)")][-1]
    assert complaints_total[1:4] == (2, 2, 1)
    head = summary.cell(*_cell_of(summary, "ประเภทปัญหา"))
    assert head.font.name == "Sarabun" and head.font.b and head.fill.fgColor.rgb.endswith(
        "DCE6F2") and head.border.left.style == "thin"
    number = summary.cell(_cell_of(summary, "กลิ่นเหม็น (Odour)")[0], 2)
    assert number.alignment.horizontal == "right" and number.number_format == "#,##0"
    assert summary.freeze_panes == "A5"   # the three title rows stay in view
    assert summary.page_setup.orientation == "landscape" and summary.page_setup.fitToWidth == 1
    assert int(summary.page_setup.paperSize) == 9   # A4
    rows = _sheet_rows(people)
    assert _find(rows, "ผู้ตรวจ")[1:3] == ("ทั้งหมด", "ตรวจประจำ")
    assert _find(rows, "anong")[1:12] == (2, 1, 1, 0, 1, 1, 1, 1, 0, 1, 3)
    assert _find(rows, "anong")[12:] == (2, 1, 2, 1, 1, 1, 1)
    assert _find(rows, "boon")[1:5] == (1, 0, 0, 1)
    assert _find(rows, "ยังไม่มอบหมาย")[16:] == (1, 0, 0)
    assert people.freeze_panes == "B9"


def _cell_of(sheet, text: str) -> tuple[int, int]:
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value == text:
                return cell.row, cell.column
    raise AssertionError(f"{text!r} not in the sheet")


def test_pdf(world, server_db, tmp_path):
    r = monthly_report(world.db, "10", 2026, 11, today=TODAY)
    data = monthly_pdf(r)
    _samples(f"monthly-10-2026-11-{server_db.dialect}.pdf", data)
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          check=True, text=True).stdout
    flat = " ".join(text.split())
    assert "รายงานผลการปฏิบัติงานประจำเดือน พฤศจิกายน 2569" in flat
    assert "สำนักงานอุตสาหกรรมกรุงเทพมหานคร" in flat
    for header in ("ข้อบกพร่องที่พบ แยกตามหมวด", "ประเภทปัญหา", "ตอบผู้ร้องแล้ว",
                   "ยกระดับตามมาตรา 39", "แยกตามผู้ตรวจ", "หน้า 1/", "หมายเหตุ"):
        assert header in flat, header
    lines = text.splitlines()

    def numbers(start: str) -> list[str]:
        line = next(ln for ln in lines if ln.strip().startswith(start))
        return line.split()[-3:]
    assert numbers("การตรวจที่ปิดบันทึกในเดือน")[-1] == "3"
    assert numbers("กลิ่นเหม็น") == ["1", "2", "0"]
    assert numbers("ค้างเกินกำหนด ณ สิ้นเดือน")[-1] == "2"
    assert next(ln for ln in lines if ln.strip().startswith("anong")).split()[1:4] == \
        ["2", "1", "1"]


def test_command_line(world, server_db, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("FIELDAPP_TODAY", TODAY.isoformat())
    xlsx, pdf = tmp_path / "out.xlsx", tmp_path / "out.pdf"
    code = main(["--db", server_db.url, "report", "monthly", "--province", "10",
                 "--month", "2026-11", "--xlsx", str(xlsx), "--pdf", str(pdf)])
    assert code == 0 and pdf.read_bytes().startswith(b"%PDF")
    sheet = load_workbook(xlsx).worksheets[0]
    assert _find(_sheet_rows(sheet), "การตรวจที่ปิดบันทึกในเดือน")[1] == 3
    assert main(["--db", server_db.url, "report", "monthly", "--province", "10",
                 "--month", "2026-11"]) == 0
    assert "3 inspection(s), 3 finding(s), 2 order(s) issued, 2 complaint(s) received" in \
        capsys.readouterr().out
    assert main(["--db", server_db.url, "report", "monthly", "--province", "10",
                 "--month", "11/2026"]) == 1
    assert "YYYY-MM" in capsys.readouterr().err
