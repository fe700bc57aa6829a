"""The monthly report as labelled tables: the one layout the console page, the workbook and
the PDF all show, so the three never disagree on a label, an order of rows or a footnote.
The table model itself (``Label``, ``Row``, ``ReportTable``) is the PDF printer's
(fieldapp/forms/monthly_report.py), which cannot import the server.

The report is an official Thai document: every label is Thai with its English gloss
(``Label``), fixed here rather than in the console's catalogue, since the files are Thai
whatever language the console is shown in. ``monthly_pdf`` hands the tables to the
printer; the workbook is monthly_xlsx's.
"""

from __future__ import annotations

from datetime import date, timedelta

from fieldapp.core.thaidate import MONTHS, format_date
from fieldapp.forms.monthly_report import Label, ReportDocument, ReportTable, Row, render_report_pdf
from fieldapp.server.loop.monthly import UNASSIGNED, Counts, MonthlyReport
from fieldapp.sync import protocol as P

KIND = {"routine": Label("ตรวจประจำ", "Routine"),
        "complaint": Label("ตรวจตามข้อร้องเรียน", "Complaint"),
        "follow_up": Label("ตรวจติดตามผลการแก้ไข", "Follow-up")}
REVIEW = {"approved": Label("อนุมัติแล้ว", "Approved"),
          "returned": Label("ส่งกลับแก้ไข", "Returned for correction"),
          "awaiting": Label("รอการตรวจทาน", "Awaiting review")}
PROBLEM = {"odour": Label("กลิ่นเหม็น", "Odour"), "noise": Label("เสียงดัง", "Noise"),
           "dust": Label("ฝุ่นละออง", "Dust"), "wastewater": Label("น้ำเสีย", "Wastewater"),
           "waste": Label("กากของเสีย", "Waste"), "fumes": Label("ควันและไอระเหย", "Fumes"),
           "other": Label("อื่น ๆ", "Other")}
ORDER = {"issued": Label("ออกคำสั่งให้แก้ไข", "Orders issued"),
         "closed": Label("แก้ไขแล้ว (ตรวจติดตามยืนยัน)", "Closed (verified corrected)"),
         "overdue": Label("ค้างเกินกำหนด ณ สิ้นเดือน", "Overdue at month end"),
         "escalated": Label("ยกระดับตามมาตรา 39", "Escalated (s.39)")}
COMPLAINT = {"received": Label("รับเรื่อง", "Received"),
             "replied": Label("ตอบผู้ร้องแล้ว", "Replied"),
             "overdue": Label("ค้างเกินกำหนด ณ สิ้นเดือน", "Overdue at month end")}
ITEM = Label("รายการ", "Item")
COUNT = Label("จำนวน", "Count")
TOTAL = Label("รวม", "Total")
INSPECTOR = Label("ผู้ตรวจ", "Inspector")
UNASSIGNED_LABEL = Label("ยังไม่มอบหมาย", "Unassigned")

TITLE = "รายงานผลการปฏิบัติงานประจำเดือน"
TITLE_EN = "Monthly report"


def title(report: MonthlyReport) -> str:
    return f"{TITLE} {MONTHS[report.month - 1]} {report.year + 543}"


def place(report: MonthlyReport) -> str:
    """จังหวัดชลบุรี; กรุงเทพมหานคร is a province without the word."""
    name = report.province_th
    return name if name == "กรุงเทพมหานคร" else f"จังหวัด{name}"


def province_line(report: MonthlyReport) -> str:
    return f"สำนักงานอุตสาหกรรม{place(report)} ({report.province_en})"


def generated_line(report: MonthlyReport) -> str:
    return f"ออกรายงานเมื่อ {format_date(report.generated_on)} (generated " \
           f"{report.generated_on.isoformat()})"


def as_of(report: MonthlyReport) -> date:
    """The day "overdue" is counted at the end of."""
    return report.cutoff - timedelta(days=1)


def footnotes(report: MonthlyReport) -> list[Label]:
    day = format_date(as_of(report))
    return [
        Label("นับการตรวจที่ลงนามปิดบันทึก (finalized) ในเดือนนี้ตามเวลาประเทศไทย "
              "บันทึกแก้ไขนับแยก ไม่นับเป็นการตรวจใหม่",
              "Inspections finalized in the month, Bangkok time; amendments are counted "
              "apart, not as new inspections."),
        Label("สถานะการตรวจทานเป็นสถานะ ณ วันที่ออกรายงาน",
              "Review states are as of the day the report was generated."),
        Label("เรื่องร้องเรียนที่มีปัญหาหลายประเภทนับในทุกประเภทที่ระบุ "
              "แถว \"รวม\" นับเรื่องละหนึ่งครั้ง",
              "A complaint of several problem types counts under each of them; the total "
              "counts each complaint once."),
        Label(f"ค้างเกินกำหนด นับ ณ สิ้นวันที่ {day} คำสั่งที่ยกเลิกเพราะมีบันทึกแก้ไขไม่นับเป็นคำสั่งที่ออก",
              f"Overdue is counted at the end of {as_of(report).isoformat()}; "
              f"orders cancelled for an amendment's are not counted as issued."),
        Label("คำสั่งนับให้ผู้ตรวจเจ้าของบันทึกที่ออกคำสั่ง เรื่องร้องเรียนนับให้ผู้ที่ได้รับมอบหมาย",
              "Orders count to the inspector of the issuing record; complaints to their "
              "assignee."),
    ]


def _inspection_rows(c: Counts) -> list[Row]:
    return [
        Row(Label("การตรวจที่ปิดบันทึกในเดือน", "Inspections finalized"), [c.inspections],
            "total"),
        Row(Label("แยกตามประเภทการตรวจ", "By kind"), [None], "group"),
        *[Row(KIND[k], [c.kinds[k]]) for k in P.PLAN_KINDS],
        Row(Label("แยกตามผลการตรวจ", "By result"), [None], "group"),
        Row(Label("ไม่พบข้อบกพร่อง", "Passed (no finding)"), [c.passed]),
        Row(Label("พบข้อบกพร่อง", "With findings"), [c.with_findings]),
        Row(Label("แยกตามการตรวจทาน", "By review"), [None], "group"),
        *[Row(REVIEW[k], [c.reviews[k]]) for k in REVIEW],
        Row(Label("บันทึกแก้ไขที่ปิดบันทึกในเดือน (นับแยก)", "Amendments finalized (apart)"),
            [c.amendments]),
    ]


def summary_tables(report: MonthlyReport) -> list[ReportTable]:
    c = report.total
    out = [ReportTable("inspections", Label("1. การตรวจโรงงาน", "Inspections"),
                       [ITEM, COUNT], _inspection_rows(c))]
    rows = [Row(Label(cat.th, cat.en), [c.findings[cat.key]]) for cat in report.categories]
    rows.append(Row(TOTAL, [c.findings_total], "total"))
    out.append(ReportTable("findings", Label("2. ข้อบกพร่องที่พบ แยกตามหมวด",
                                             "Findings by category"),
                           [Label("หมวด", "Category"), COUNT], rows))
    out.append(ReportTable("orders", Label("3. คำสั่งให้แก้ไข", "Corrective orders"),
                           [ITEM, COUNT],
                           [Row(ORDER[m], [c.orders[m]]) for m in ORDER]))
    rows = [Row(PROBLEM[k], [c.complaint_types[(m, k)] for m in COMPLAINT])
            for k in P.PROBLEM_TYPES]
    rows.append(Row(TOTAL, [c.complaints[m] for m in COMPLAINT], "total"))
    out.append(ReportTable("complaints", Label("4. เรื่องร้องเรียน แยกตามประเภทปัญหา",
                                               "Complaints by problem type"),
                           [Label("ประเภทปัญหา", "Problem type"), *COMPLAINT.values()],
                           rows))
    return out


def _who(name: str) -> Label:
    return UNASSIGNED_LABEL if name == UNASSIGNED else Label(name, name)


INSPECTION_COLUMNS = [
    Label("ทั้งหมด", "All"), *KIND.values(),
    Label("ไม่พบข้อบกพร่อง", "Passed"), Label("พบข้อบกพร่อง", "With findings"),
    *REVIEW.values(), Label("บันทึกแก้ไข", "Amendments")]
WORK_COLUMNS = [
    Label("ข้อบกพร่อง", "Findings"),
    Label("ออก", "Issued"), Label("แก้ไขแล้ว", "Closed"), Label("ค้าง", "Overdue"),
    Label("ยกระดับ", "Escalated"),
    Label("รับ", "Received"), Label("ตอบแล้ว", "Replied"), Label("ค้าง", "Overdue")]


def _inspection_values(c: Counts) -> list[int | None]:
    return [c.inspections, *(c.kinds[k] for k in P.PLAN_KINDS), c.passed, c.with_findings,
            *(c.reviews[k] for k in REVIEW), c.amendments]


def _work_values(c: Counts) -> list[int | None]:
    return [c.findings_total, *(c.orders[m] for m in ORDER),
            *(c.complaints[m] for m in COMPLAINT)]


def inspector_tables(report: MonthlyReport) -> list[ReportTable]:
    """Two tables (inspections; findings, orders and complaints) one row per inspector and
    a total row: narrow enough for a portrait page each; the workbook puts them side by
    side on one sheet."""
    people = list(report.inspectors.items())
    first = ReportTable(
        "inspectors_inspections", Label("5. การตรวจ แยกตามผู้ตรวจ", "Inspections by inspector"),
        [INSPECTOR, *INSPECTION_COLUMNS],
        [Row(_who(n), _inspection_values(c)) for n, c in people]
        + [Row(TOTAL, _inspection_values(report.total), "total")],
        groups=[(Label("", ""), 1), (Label("การตรวจ", "Inspections"), 1),
                (Label("ประเภท", "Kind"), 3), (Label("ผล", "Result"), 2),
                (Label("การตรวจทาน", "Review"), 3), (Label("", ""), 1)])
    second = ReportTable(
        "inspectors_work", Label("6. ข้อบกพร่อง คำสั่ง และเรื่องร้องเรียน แยกตามผู้ตรวจ",
                                 "Findings, orders and complaints by inspector"),
        [INSPECTOR, *WORK_COLUMNS],
        [Row(_who(n), _work_values(c)) for n, c in people]
        + [Row(TOTAL, _work_values(report.total), "total")],
        groups=[(Label("", ""), 1), (Label("", ""), 1), (Label("คำสั่งให้แก้ไข", "Orders"), 4),
                (Label("เรื่องร้องเรียน", "Complaints"), 3)])
    return [first, second]


def document(report: MonthlyReport) -> ReportDocument:
    """Everything the PDF prints."""
    return ReportDocument(
        title=title(report), lines=[province_line(report), generated_line(report)],
        tables=summary_tables(report), notes=footnotes(report),
        wide=inspector_tables(report), footer=f"{title(report)} · {place(report)}")


def monthly_pdf(report: MonthlyReport) -> bytes:
    return render_report_pdf(document(report))
