"""The ``fieldapp-server`` admin commands, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
import sys

from server_fixtures import PASSWORD, TestClient, make_app

from fieldapp.server.cli import main
from fieldapp.server.database import open_database
from fieldapp.sync import protocol as P

TEMPLATE = "resources/templates/complaint.json"


def run(db_url, monkeypatch, capsys, *argv, stdin=""):
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(["--db", db_url, *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_office_workflow_from_the_command_line(server_db, shared_data, monkeypatch, capsys):
    url = server_db.url
    ok = lambda *argv, stdin="": run(url, monkeypatch, capsys, *argv, stdin=stdin)  # noqa: E731
    assert ok("users", "add", "boss", "--role", "admin", stdin=PASSWORD + "\n")[0] == 0
    assert ok("users", "add", "anong", stdin=PASSWORD + "\n")[0] == 0
    code, _, err = ok("users", "add", "anong", stdin=PASSWORD + "\n")
    assert code == 1 and "already exists" in err
    code, _, err = ok("users", "add", "short", stdin="abc\n")
    assert code == 1 and "8 characters" in err
    assert ok("users", "grant-province", "anong", "10", "50")[0] == 0
    code, out, _ = ok("users", "list")
    assert "anong\tinspector\tactive\t10,50" in out

    code, out, _ = ok("factories", "import", str(shared_data / "diw_factory_data_sample.csv"))
    assert code == 0 and "rejected 0" in out.split(";")[1]
    code, out, _ = ok("templates", "publish", TEMPLATE)
    assert code == 0 and "published complaint v1" in out
    assert ok("templates", "publish", TEMPLATE)[0] == 0  # same version again: no-op

    db = open_database(url)
    with db.read() as c:
        fid = json.loads(c.value("SELECT data FROM records WHERE tbl = 'factories' "
                                 "AND province = '10' ORDER BY id"))["fid"]
    code, out, _ = ok("assign", "--user", "anong", "--factory", fid, "--template", "complaint",
                      "--kind", "complaint", "--purpose", "กลิ่นเหม็น")
    assert code == 0 and "assigned to anong" in out
    code, _, err = ok("assign", "--user", "anong", "--factory", "1" * 14,
                      "--template", "complaint")
    assert code == 1 and "import the registry" in err

    # the inspector's laptop sees the assignment; export lists it with --all
    api = TestClient(make_app(db), raise_server_exceptions=False)
    api.headers.update(P.version_headers())
    token = api.post("/v1/login", json={"username": "anong", "password": PASSWORD,
                                        "device_id": "lap1"}).json()["token"]
    snap = json.loads(api.get("/v1/snapshot",
                              headers={"Authorization": f"Bearer {token}"}).content)
    assert len(snap["tables"]["inspections"]["rows"]) == 1
    code, out, _ = ok("inspections", "export", "--format", "csv", "--all")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 1 and rows[0]["fid"] == fid and rows[0]["inspector"] == "anong"
    code, out, _ = ok("inspections", "export", "--format", "json")
    assert json.loads(out) == []  # nothing finalized yet

    code, out, _ = ok("devices", "list")
    assert "device_id=lap1" in out
    code, _, err = ok("devices", "revoke", "lap1")      # the laptop's own id: not accepted
    assert code == 1 and "devices list" in err
    assert api.get("/v1/pull", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    login_id = out.split("id=", 1)[1].split()[0]
    assert ok("devices", "revoke", f"id={login_id}")[0] == 0     # as the list prints it
    assert api.get("/v1/pull", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert ok("users", "disable", "anong")[0] == 0
    assert api.post("/v1/login", json={"username": "anong", "password": PASSWORD,
                                       "device_id": "lap2"}).status_code == 401
    code, out, _ = ok("users", "passwd", "anong", stdin="another password\n")
    assert code == 0 and "log in again" in out
    assert ok("users", "disable", "anong", "--enable")[0] == 0
    assert api.post("/v1/login", json={"username": "anong", "password": "another password",
                                       "device_id": "lap2"}).status_code == 200
    code, out, _ = ok("conflicts", "list")
    assert code == 0 and out.strip() == "no conflicts"
    db.close()


def test_serve_takes_db_before_or_after_the_subcommand():
    from fieldapp.server.cli import build_parser

    parser = build_parser()
    assert parser.parse_args(["serve", "--db", "a.db"]).db == "a.db"
    assert parser.parse_args(["--db", "b.db", "serve"]).db == "b.db"
    assert parser.parse_args(["serve"]).db is None


def test_serve_takes_the_token_lifetime(monkeypatch):
    from fieldapp.server.cli import build_parser

    parser = build_parser()
    monkeypatch.delenv("FIELDAPP_TOKEN_DAYS", raising=False)
    assert build_parser().parse_args(["serve"]).token_days == 30
    assert parser.parse_args(["serve", "--token-days", "7"]).token_days == 7
    monkeypatch.setenv("FIELDAPP_TOKEN_DAYS", "14")
    assert build_parser().parse_args(["serve"]).token_days == 14


def test_gc_uploads_removes_an_old_unfinished_upload(server_db, monkeypatch, capsys):
    with server_db.write() as c:
        c.run("INSERT INTO uploads (sha256, size, received, complete, created_at) "
              "VALUES (?, 10, 4, 0, '2020-01-01T00:00:00.000Z')", ("a" * 64,))
        c.run("INSERT INTO blob_chunks (sha256, pos, data) VALUES (?, 0, ?)",
              ("a" * 64, b"abcd"))
    code, out, _ = run(server_db.url, monkeypatch, capsys, "gc-uploads", "--dry-run")
    assert code == 0 and "would remove 1 unfinished upload(s)" in out
    code, out, _ = run(server_db.url, monkeypatch, capsys, "gc-uploads", "--days", "30")
    assert code == 0 and "removed 1 unfinished upload(s) and 0 attachment(s)" in out
    with server_db.read() as c:
        assert c.value("SELECT count(*) FROM blob_chunks") == 0


def test_an_administrators_slips_are_one_line_refusals(server_db, shared_data, monkeypatch,
                                                      capsys, tmp_path):
    """A province no province has, a date that is no date, a file that cannot be written,
    a database that cannot be reached: each a line that says so, nothing stored as typed."""
    url = server_db.url
    ok = lambda *argv, stdin="": run(url, monkeypatch, capsys, *argv, stdin=stdin)  # noqa: E731
    assert ok("users", "add", "anong", stdin=PASSWORD + "\n")[0] == 0
    code, _, err = ok("users", "grant-province", "anong", "99")
    assert code == 1 and "99" in err
    assert ok("users", "grant-province", "anong", "๑๐")[0] == 0     # Thai digits: 10
    assert "anong\tinspector\tactive\t10" in ok("users", "list")[1]
    ok("factories", "import", str(shared_data / "diw_factory_data_sample.csv"))
    assert ok("templates", "install")[0] == 0
    db = open_database(url)
    with db.read() as c:
        fid = json.loads(c.value("SELECT data FROM records WHERE tbl = 'factories' "
                                 "AND province = '10' ORDER BY id"))["fid"]
    for typed in ("tomorrow", "2026-02-30"):
        code, _, err = ok("assign", "--user", "anong", "--factory", fid,
                          "--template", "env-general", "--date", typed)
        assert code == 1 and "not a date" in err, err
    code, out, _ = ok("assign", "--user", "anong", "--factory", fid,
                      "--template", "env-general", "--date", "20/12/2569")
    assert code == 0
    with db.read() as c:
        started = json.loads(c.value("SELECT data FROM records WHERE tbl = 'inspections'"))[
            "started_at"]
    assert started == "2026-12-20T02:00:00.000Z"          # 09:00 in Bangkok that day
    code, _, err = ok("inspections", "export", "--all", "--out",
                      str(tmp_path / "no-such-folder" / "x.csv"))
    assert code == 1 and "Traceback" not in err and "x.csv" in err
    code = main(["--db", "postgresql://postgres@127.0.0.1:1/none", "users", "list"])
    err = capsys.readouterr().err
    assert code == 1 and "cannot use the PostgreSQL database at 127.0.0.1:1/none" in err


def test_a_new_sqlite_database_is_said_to_be_new(tmp_path, monkeypatch, capsys):
    """A typo in --db opened an empty office without a word; `sqlite:///` even with none."""
    monkeypatch.chdir(tmp_path)
    for given, typo in (("fieldapp-sever.db", tmp_path / "fieldapp-sever.db"),
                        ("sqlite:///fieldapp-sevr.db", tmp_path / "fieldapp-sevr.db")):
        code, _, err = run(given, monkeypatch, capsys, "users", "add", "boss",
                           stdin=PASSWORD + "\n")
        assert code == 0 and err.count("\n") == 1, err
        assert err.startswith(f"fieldapp-server: สร้างฐานข้อมูลใหม่ที่ {typo} (new database "
                              f"created at {typo};"), err
        code, out, err = run(given, monkeypatch, capsys, "users", "list")
        assert code == 0 and "boss" in out and err == ""


def test_a_command_that_only_reads_refuses_a_database_that_is_not_there(tmp_path,
                                                                        monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    for command in (["users", "list"], ["devices", "list"], ["factories", "reported"],
                    ["conflicts", "list"], ["inspections", "export"], ["restored"],
                    ["users", "passwd", "boss"], ["gc-uploads", "--dry-run"],
                    ["report", "monthly", "--province", "10", "--month", "2026-11"]):
        for given in ("typo.db", "sqlite:///typo.db"):
            code, out, err = run(given, monkeypatch, capsys, *command)
            assert code == 1 and out == "", command
            assert err == (f"fieldapp-server: ไม่พบฐานข้อมูล (no database at "
                           f"{tmp_path / 'typo.db'}) — check --db; `fieldapp-server users "
                           f"add` or `serve` creates a new one\n"), (command, err)
    assert list(tmp_path.iterdir()) == []


def test_look_alike_user_names_are_refused(server_db, monkeypatch, capsys):
    """"สมชาย " (a space), "สม\u200bชาย" (a zero-width space) and "Admin" beside "admin"
    look the same in every list and are not the same login."""
    url = server_db.url
    ok = lambda *argv: run(url, monkeypatch, capsys, *argv, stdin=PASSWORD + "\n")  # noqa: E731
    assert ok("users", "add", "สมชาย")[0] == 0
    assert ok("users", "add", "admin")[0] == 0
    for look_alike in ("สมชาย ", "สม\u200bชาย", "Admin"):
        code, _, err = ok("users", "add", look_alike)
        assert code == 1 and ("invisible" in err or "already exists" in err), err
    code, out, _ = ok("users", "list")
    assert out.count("สมชาย") == 1 and "Admin" not in out


def test_a_registry_in_another_layout_is_imported_with_map(server_db, monkeypatch, capsys,
                                                           tmp_path):
    """The office's import takes ``--map`` as the laptop's does (its refusal says to use
    it), and a folder named instead of a file is said to be a folder."""
    ok = lambda *argv: run(server_db.url, monkeypatch, capsys, *argv)  # noqa: E731
    own = tmp_path / "own-layout.csv"
    own.write_text("เลขทะเบียน,ชื่อโรงงาน,จังหวัด\n10390001225278,โรงงานทดสอบ,หนองบัวลำภู\n",
                   encoding="utf-8")
    code, _, err = ok("factories", "import", str(own))
    assert code == 1 and "--map" in err
    code, out, err = ok("factories", "import", str(own),
                        "--map", "เลขทะเบียน=fid,ชื่อโรงงาน=name,จังหวัด=province")
    assert code == 0, err
    assert "imported 1" in out
    with server_db.read() as c:
        data = json.loads(c.value("SELECT data FROM records WHERE tbl = 'factories'"))
    assert data["fid"] == "10390001225278" and data["name"] == "โรงงานทดสอบ"
    code, _, err = ok("factories", "import", str(tmp_path))
    assert code == 1 and "folder" in err and "Traceback" not in err


def test_an_administrators_refusals_are_in_thai_and_english(server_db, shared_data,
                                                           monkeypatch, capsys):
    """"user 'anong' already exists", "no user 'nobody'", "no published template 'zz'" were
    English only, where every other refusal of both commands reads "Thai (English)"."""
    url = server_db.url
    ok = lambda *argv, stdin="": run(url, monkeypatch, capsys, *argv, stdin=stdin)  # noqa: E731
    assert ok("users", "add", "anong", stdin=PASSWORD + "\n")[0] == 0
    ok("factories", "import", str(shared_data / "diw_factory_data_sample.csv"))
    slips = [
        (("users", "add", "anong"), PASSWORD, "มีผู้ใช้ชื่อนี้แล้ว (user 'anong' already exists)"),
        (("users", "add", "short"), "abc", "ต้องมีชื่อผู้ใช้"),
        (("users", "passwd", "anong"), "abc", "รหัสผ่านต้องมีอย่างน้อย 8 ตัวอักษร"),
        (("users", "disable", "nobody"), "", "ไม่มีผู้ใช้ชื่อนี้ (no user 'nobody')"),
        (("assign", "--user", "nobody", "--factory", "10100001725155", "--template",
          "env-general"), "", "ไม่มีผู้ใช้ชื่อนี้ (no user 'nobody')"),
        (("assign", "--user", "anong", "--factory", "1010000172515", "--template",
          "env-general"), "", "ไม่พบโรงงานเลขทะเบียน 1010000172515"),
        (("devices", "revoke", "nope"), "", "ไม่พบการเข้าสู่ระบบนี้ (no login with id 'nope'"),
    ]
    for argv, password, words in slips:
        code, _, err = ok(*argv, stdin=password + "\n")
        assert code == 1 and words in err, (argv, err)
    assert ok("users", "grant-province", "anong", "10")[0] == 0
    code, _, err = ok("assign", "--user", "anong", "--factory", "10100001725155",
                      "--template", "zz")
    assert code == 1 and "ไม่พบแบบตรวจที่เผยแพร่แล้ว (no published template 'zz')" in err
