"""Registry import in the console: the real DIW sample files uploaded, imported on a thread,
with the command line's summary line and rejects file."""

from __future__ import annotations

import csv
import functools
import io
import json
import re
import sqlite3
from pathlib import Path

import pytest
from console_world import PEOPLE, add_people, csrf_of, sign_in, site

from fieldapp.server import audit, cli, office, office_registry, registry_jobs
from fieldapp.server.database import open_database
from fieldapp.store import registry_import
from fieldapp.store.db import open_store
from fieldapp.store.registry_import import import_factories, write_rejects

REAL_FILES = ["diw_factory_data_sample.csv", "diw_factory_data_sample_cp874.csv",
              "diw_factory_data_damaged.csv", "fnm_factories_sample.csv"]


@pytest.fixture
def app(server_db):
    add_people(server_db)
    return site(server_db)


def upload(b, name: str, content: bytes):
    html = b.get("/admin/registry").text
    return b.post("/admin/registry", data={"csrf": csrf_of(html)},
                  files={"file": (name, content, "text/csv")})


def run_import(app, server_db, path: Path):
    """Upload ``path``, wait for its job; returns (browser, job)."""
    b = sign_in(app, "admin")
    r = upload(b, path.name, path.read_bytes())
    assert r.status_code == 303, r.text
    job_id = r.headers["location"].rsplit("/", 1)[1]
    job = registry_jobs.jobs_for(server_db).wait(job_id)
    assert job is not None and not job.running, job
    return b, job


def cli_summary(path: Path, tmp_path: Path, capsys) -> str:
    """What ``fieldapp-server factories import`` prints for ``path`` on a fresh database."""
    db_path = tmp_path / "cli.db"
    open_database(str(db_path)).close()
    capsys.readouterr()
    assert cli.main(["--db", str(db_path), "factories", "import", str(path)]) == 0
    return capsys.readouterr().out.strip().splitlines()[-1]


def laptop_rejects(path: Path, tmp_path: Path) -> bytes:
    """The rejects file ``fieldapp import --rejects`` writes for ``path``."""
    store = open_store(tmp_path / "laptop.db")
    try:
        report = import_factories(store, path)
    finally:
        store.close()
    write_rejects(report, tmp_path / "rejects.csv")
    return (tmp_path / "rejects.csv").read_bytes()


@pytest.mark.parametrize("name", REAL_FILES)
def test_real_files_import_with_the_command_lines_summary_and_rejects(
        app, server_db, shared_data, tmp_path, capsys, name):
    path = shared_data / name
    b, job = run_import(app, server_db, path)
    assert job.stage == registry_jobs.DONE, job.error
    assert job.summary == cli_summary(path, tmp_path, capsys)
    page = b.get(f"/admin/registry/{job.id}")
    assert page.status_code == 200
    # The command line's figures, in Thai on the console (its English line was shown).
    assert job.summary not in page.text
    shown = dict(re.findall(r"<dt>([^<]+)</dt><dd class=\"num\">([\d,]+)</dd>",
                            page.text.split('id="summary"')[1].split("</dl>")[0]))
    assert shown["โรงงานที่เพิ่มใหม่"] == f"{job.counts['imported']:,}"
    assert shown["แถวที่ไม่ได้นำเข้า"] == f"{job.rejected:,}"
    assert shown["รายการที่บันทึกลงเซิร์ฟเวอร์"] == f"{job.counts['applied']:,}"
    assert f"imported {job.counts['imported']}, updated {job.counts['updated']}, " \
        f"unchanged {job.counts['unchanged']}, rejected {job.rejected}" in job.summary
    b.cookies.set("fieldapp_lang", "en")
    assert "New factories added" in b.get(f"/admin/registry/{job.id}").text
    b.cookies.set("fieldapp_lang", "th")
    assert 'http-equiv="refresh"' not in page.text        # finished: no more refreshing
    rejects = b.get(f"/admin/registry/{job.id}/rejects.csv")
    assert rejects.status_code == 200
    assert rejects.headers["content-type"].startswith("text/csv")
    assert rejects.content == laptop_rejects(path, tmp_path)
    rows = list(csv.reader(io.StringIO(rejects.content.decode("utf-8-sig"))))
    assert len(rows) - 1 == job.rejected
    if job.rejected:
        assert "ดาวน์โหลดไฟล์แถวที่ไม่ผ่าน" in page.text
        first_line, first_reason = job.reasons[0]
        assert rows[1][0] == str(first_line) and rows[1][1] == first_reason
    exports, _ = audit.search(server_db, audit.AuditFilter(action=audit.EXPORT))
    assert exports[0]["target"] == f"/admin/registry/{job.id}/rejects.csv"
    done = [r["detail"] for r in audit.search(server_db, audit.AuditFilter(
        action=audit.CHANGE))[0]]
    assert f"registry import of {name}: {job.summary}" in done
    assert f"started a registry import of {name} ({path.stat().st_size:,} bytes)" in done


def test_the_damaged_file_reports_each_bad_row_and_keeps_the_good(app, server_db,
                                                                 shared_data):
    b, job = run_import(app, server_db, shared_data / "diw_factory_data_damaged.csv")
    assert job.rejected > 0 and job.reasons
    assert all(line > 1 and reason for line, reason in job.reasons)
    imported = int(job.summary.split("imported ")[1].split(",")[0])
    assert imported > 0
    assert f"applied {imported}" in job.summary
    # What the importer corrected or doubts is shown to the office, line by line: a
    # province that is not the factory ID's, above all (it moves a factory's laptops).
    assert job.warnings == len(job.cautions) > 0
    page = b.get(f"/admin/registry/{job.id}").text
    assert "จังหวัดไม่ตรงกับเลขทะเบียนโรงงาน" in page and "คำเตือน (" in page


def factories(db) -> dict[str, tuple]:
    with db.read() as c:
        rows = c.all("SELECT id, data FROM records WHERE tbl = 'factories' AND deleted = 0")
    fields = ("fid", "name", "address", "district", "province", "lat", "lng")
    return {r["id"]: tuple(json.loads(r["data"]).get(f) for f in fields) for r in rows}


def test_windows_thai_and_utf8_files_give_the_same_registry(app, server_db, shared_data):
    run_import(app, server_db, shared_data / "diw_factory_data_sample.csv")
    from_utf8 = factories(server_db)
    _, second = run_import(app, server_db, shared_data / "diw_factory_data_sample_cp874.csv")
    assert second.rejected == 0
    # The same rows in Windows Thai: the same factories, Thai names read right.
    assert factories(server_db) == from_utf8 and len(from_utf8) > 40
    assert any("จำกัด" in (row[1] or "") for row in from_utf8.values())


def test_an_xlsx_workbook_imports_like_its_csv(app, server_db, shared_data, tmp_path):
    from openpyxl import Workbook

    source = shared_data / "diw_factory_data_sample.csv"
    book = Workbook()
    sheet = book.active
    with source.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.reader(handle):
            # ="10390001225278" is how a CSV keeps Excel from eating the digits; in a
            # workbook the cell holds the text itself (openpyxl would store a formula).
            sheet.append([c[2:-1] if c.startswith('="') and c.endswith('"') else c
                          for c in row])
    workbook = tmp_path / "Factory_Data.xlsx"
    book.save(workbook)
    _, from_xlsx = run_import(app, server_db, workbook)
    assert from_xlsx.stage == registry_jobs.DONE, from_xlsx.error
    assert from_xlsx.rejected == 0
    imported = factories(server_db)
    assert len(imported) == int(from_xlsx.summary.split()[1].rstrip(","))
    _, from_csv = run_import(app, server_db, source)
    assert factories(server_db) == imported      # the CSV adds or changes nothing


def test_progress_page_refreshes_while_running(app, server_db):
    jobs = registry_jobs.jobs_for(server_db)
    job = registry_jobs.Job("job-running", "ทะเบียน<script>.csv", "admin",
                            stage=registry_jobs.SENDING, done=250, total=1000)
    jobs.jobs[job.id] = job
    try:
        b = sign_in(app, "admin")
        page = b.get("/admin/registry/job-running")
        assert page.status_code == 200
        assert '<meta http-equiv="refresh" content="2">' in page.text
        assert '<progress max="100" value="25">' in page.text
        assert "กำลังบันทึกโรงงานลงทะเบียนของสำนักงาน" in page.text
        assert "<script>.csv" not in page.text and "ทะเบียน&lt;script&gt;.csv" in page.text
        assert b.get("/admin/registry/job-running/status.json").json()["percent"] == 25
        # No rejects before the end, and no second import while one runs.
        assert b.get("/admin/registry/job-running/rejects.csv").status_code == 404
        r = upload(b, "more.csv", b"FID,FNAME\n")
        assert r.status_code == 409 and "another registry import is running" in r.text
    finally:
        job.stage = registry_jobs.DONE


def test_a_file_that_cannot_be_imported_fails_with_its_reason(app, server_db):
    b = sign_in(app, "admin")
    r = upload(b, "nothing.csv", "ชื่อ,ที่อยู่\nก,ข\n".encode())
    assert r.status_code == 303
    job = registry_jobs.jobs_for(server_db).wait(r.headers["location"].rsplit("/", 1)[1])
    assert job.stage == registry_jobs.FAILED and job.error
    page = b.get(f"/admin/registry/{job.id}")
    assert "นำเข้าไฟล์ไม่ได้" in page.text
    # Said in the console's terms: the columns a registry file needs, and where a file of
    # another layout is imported (this page has no --map of its own to point to).
    assert "FID" in job.error and "ชื่อ" in job.error and "fieldapp-server factories import" in job.error
    assert "use --map" not in job.error
    assert b.get(f"/admin/registry/{job.id}/rejects.csv").status_code == 404
    wrong = upload(b, "registry.pdf", b"%PDF-1.4")
    assert wrong.status_code == 409 and "CSV" in wrong.text
    none = b.post("/admin/registry", data={"csrf": csrf_of(b.get("/admin/registry").text)})
    assert none.status_code == 400


def _stopped_block(html: str) -> list[str]:
    """The failed job's alert as the reader sees it: its texts, in page order."""
    block = re.search(r'<div class="error stopped" role="alert" id="stopped">(.*?)</div>',
                      html, re.S)
    assert block, html
    return [" ".join(re.sub(r"<[^>]+>", " ", part).split())
            for part in re.findall(r"<(?:p|dt|dd)[^>]*>(.*?)</(?:p|dt|dd)>", block[1], re.S)]


def test_a_job_stopped_while_sending_says_why_what_is_in_and_what_to_do(
        app, server_db, shared_data, monkeypatch):
    monkeypatch.setattr(office, "BATCH", 10)
    real = office_registry.push_rows

    def database_fails_after_a_batch(db, table, rows, **kwargs):
        progress = kwargs.pop("progress")

        def then_fail(done):
            progress(done)
            raise sqlite3.OperationalError("database or disk is full")
        return real(db, table, rows, progress=then_fail, **kwargs)
    monkeypatch.setattr(office_registry, "push_rows", database_fails_after_a_batch)
    _, job = run_import(app, server_db, shared_data / "diw_factory_data_sample.csv")
    assert job.stage == registry_jobs.FAILED and job.changes_in == 10 and job.total == 49
    b = sign_in(app, "admin")
    thai = b.get(f"/admin/registry/{job.id}").text
    # Why, how much is in, what to do: in that order, and nothing that reads as if the
    # file were refused whole.
    assert _stopped_block(thai) == [
        "การนำเข้าไม่เสร็จสมบูรณ์",
        "สาเหตุที่หยุด", "OperationalError: database or disk is full",
        "สิ่งที่เข้าทะเบียนแล้ว",
        "ส่งเข้าทะเบียนของสำนักงานแล้ว 10 จาก 49 รายการที่ไฟล์เปลี่ยน ส่วนที่เหลือยังไม่เข้า",
        "สิ่งที่ต้องทำ",
        "แก้สาเหตุที่ทำให้หยุด (แก้ไฟล์ หรือแก้ที่เครื่องแม่ข่ายหากสาเหตุเป็นดิสก์หรือฐานข้อมูล) "
        "แล้วนำเข้าไฟล์อีกครั้ง รายการที่เข้าทะเบียนแล้วจะไม่ถูกนำเข้าซ้ำ "
        "ระบบเทียบไฟล์กับทะเบียนแล้วส่งเฉพาะรายการที่ยังขาดหรือต่างไป"]
    assert "นำเข้าไฟล์ไม่ได้" not in thai and job.error not in thai
    assert "หยุดกลางคัน: เข้าทะเบียนแล้ว 10 จาก 49 รายการ" in b.get("/admin/registry").text
    b.get("/lang/en?next=/admin/registry")
    english = b.get(f"/admin/registry/{job.id}").text
    assert _stopped_block(english) == [
        "The import did not finish.",
        "Why it stopped", "OperationalError: database or disk is full",
        "What is in the registry",
        "10 of 49 changes are in the office&#39;s registry; the rest are not.",
        "What to do",
        "Fix what stopped it (the file, or the server if the reason is its disk or database) "
        "and import the file again. The changes already in are not imported twice: the file "
        "is compared with the registry and only what is missing or different is sent."]
    assert "could not be imported" not in english
    # What the page promises: the same file again sends only the other 39.
    monkeypatch.setattr(office_registry, "push_rows", real)
    _, again = run_import(app, server_db, shared_data / "diw_factory_data_sample.csv")
    assert again.stage == registry_jobs.DONE, again.error
    assert (again.counts["imported"], again.counts["updated"], again.counts["unchanged"],
            again.counts["applied"]) == (39, 0, 10, 39)


def test_a_job_stopped_while_reading_names_the_line_and_says_nothing_is_in(
        app, server_db, shared_data, monkeypatch):
    monkeypatch.setattr(office_registry, "import_factories",
                        functools.partial(registry_import.import_factories, batch_size=10))
    real, calls = registry_import.upsert_factories, []

    def fails_on_the_third_batch(store, batch):
        calls.append(len(batch))
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return real(store, batch)
    monkeypatch.setattr(registry_import, "upsert_factories", fails_on_the_third_batch)
    _, job = run_import(app, server_db, shared_data / "diw_factory_data_sample.csv")
    assert job.stage == registry_jobs.FAILED and job.stopped_in == registry_jobs.READING
    assert 20 < job.line < 49 and job.changes_in == 0
    b = sign_in(app, "admin")
    said = _stopped_block(b.get(f"/admin/registry/{job.id}").text)
    assert said == [
        "การนำเข้าไม่เสร็จสมบูรณ์", "สาเหตุที่หยุด",
        f"OSError: [Errno 28] No space left on device (อ่านและตรวจไฟล์ถึงบรรทัดที่ {job.line} แล้ว)",
        "สิ่งที่เข้าทะเบียนแล้ว", "ยังไม่มีข้อมูลใดจากไฟล์นี้เข้าทะเบียนของสำนักงาน",
        "สิ่งที่ต้องทำ", "แก้สาเหตุที่ทำให้หยุด (แก้ไฟล์ หรือแก้ที่เครื่องแม่ข่ายหากสาเหตุเป็นดิสก์"
        "หรือฐานข้อมูล) แล้วนำเข้าไฟล์อีกครั้ง"]
    with server_db.read() as c:
        assert c.value("SELECT count(*) FROM records WHERE tbl = 'factories'") == 0


def test_a_file_in_an_unknown_layout_is_explained_in_the_pages_language(app, server_db):
    b = sign_in(app, "admin")
    r = upload(b, "shops.csv", "รหัส,ชื่อร้าน,เบอร์โทร\n1,ก,02\n".encode())
    job = registry_jobs.jobs_for(server_db).wait(r.headers["location"].rsplit("/", 1)[1])
    assert job.columns == ["รหัส", "ชื่อร้าน", "เบอร์โทร"] and "FID" in job.needed
    # The log's and the JSON's line is the bilingual one, unchanged.
    assert "(this file is in no registry layout" in job.error
    assert b.get(f"/admin/registry/{job.id}/status.json").json()["error"] == job.error
    thai = b.get(f"/admin/registry/{job.id}").text
    assert "ไม่รู้จักรูปแบบของไฟล์นี้" in thai and "this file is in no registry layout" not in thai
    assert re.search(r'<ul class="columns"><li>รหัส</li><li>ชื่อร้าน</li><li>เบอร์โทร</li></ul>',
                     thai)
    assert ('<code class="command">fieldapp-server factories import FILE --map '
            'COLUMN=FIELD,...</code>') in thai
    assert "<dt>เริ่มเมื่อ</dt>" in thai and "เริ่มตรวจ" not in thai
    listed = b.get("/admin/registry").text
    assert "<th>เริ่มเมื่อ</th>" in listed and "ไม่รู้จักรูปแบบของไฟล์นี้" in listed
    assert job.error not in listed
    b.get("/lang/en?next=/admin/registry")
    english = b.get(f"/admin/registry/{job.id}").text
    assert "its layout is not one FieldApp knows" in english and "ไม่รู้จัก" not in english
    assert "<li>ชื่อร้าน</li>" in english and "<dt>Started at</dt>" in english


def test_the_list_shows_recent_imports(app, server_db, shared_data):
    b, job = run_import(app, server_db, shared_data / "fnm_factories_sample.csv")
    page = b.get("/admin/registry")
    assert page.status_code == 200
    assert "fnm_factories_sample.csv" in page.text and job.summary not in page.text
    assert f"เพิ่ม {job.counts['imported']:,} แห่ง" in page.text
    assert b.get("/admin/registry/unknown-job").status_code == 404


@pytest.mark.parametrize("who", [n for n, (role, _) in PEOPLE.items() if role != "admin"])
def test_only_admins_import_the_registry(app, server_db, shared_data, who):
    b = sign_in(app, who)
    assert b.get("/admin/registry").status_code == 403
    token = csrf_of(b.get("/account/password").text)
    sample = (shared_data / "diw_factory_data_sample.csv").read_bytes()
    r = b.post("/admin/registry", data={"csrf": token},
               files={"file": ("registry.csv", sample, "text/csv")})
    assert r.status_code == 403
    assert not registry_jobs.jobs_for(server_db).recent()
    assert b.get("/admin/registry/x/rejects.csv").status_code == 403
    assert b.get("/admin/registry/x/status.json").status_code == 403
