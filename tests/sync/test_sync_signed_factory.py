"""The factory as a record was signed travels with it: the office checks the hash with it,
keeps it when the registry changes, prints it, and refuses a copy no laptop could print."""

from __future__ import annotations

import json
from dataclasses import replace

import pypdfium2
from console_world import sign_in, site
from server_fixtures import (
    ADMIN,
    FACTORIES,
    Laptop,
    add_users,
    inproc_client,
    make_app,
    seed_factories,
)
from test_server_console_inspections import principal

from fieldapp.core.canonical import content_hash, inspection_document
from fieldapp.core.hlc import HybridClock
from fieldapp.core.ids import uuid7
from fieldapp.forms.inspection_form import render_inspection_pdf
from fieldapp.server.office import list_conflicts
from fieldapp.server.printed_form import render_printed_form
from fieldapp.server.push import Op, push
from fieldapp.server.verification import record_state
from fieldapp.store import inspections as insp
from fieldapp.store import signing
from fieldapp.store.factories import factory_id
from fieldapp.store.templates import get_template
from fieldapp.sync import protocol as P

FID, _, NAME = FACTORIES[0]
RENAMED = "โรงงานหนึ่ง เปลี่ยนชื่อแล้ว จำกัด"


def _text(pdf: bytes) -> str:
    doc = pypdfium2.PdfDocument(pdf)
    try:
        return "".join("".join(doc[i].get_textpage().get_text_range().split())
                       for i in range(len(doc)))
    finally:
        doc.close()


def _finalized_on(laptop: Laptop) -> str:
    store = laptop.store
    template_id = store.query("SELECT id FROM template_versions "
                              "WHERE template_key = 'env-general'")[0]["id"]
    draft = insp.create_inspection(store, factory_id=factory_id(FID),
                                   template_version_id=template_id, created_by="anong")
    for item_id in get_template(store, template_id).items:
        insp.set_answer(store, draft["id"], item_id, result="not_checked")
    signing.finalize(store, draft["id"], require_signatures=False)
    return draft["id"]


def _rename_at_the_office(db) -> None:
    """The registry re-imported with the factory's new name."""
    acks = push(db, ADMIN, [Op(uuid7(), "factories", factory_id(FID), "upsert",
                               {"name": RENAMED}, HybridClock("office").now())], 0)
    assert acks[0]["outcome"] == P.APPLIED, acks


def test_the_office_keeps_prints_and_verifies_the_factory_as_signed(server_db, tmp_path):
    add_users(server_db)
    seed_factories(server_db, FACTORIES)
    app = make_app(server_db)
    a = Laptop(tmp_path / "a.db", inproc_client(app), "anong")
    b = Laptop(tmp_path / "b.db", inproc_client(app), "anong")
    try:
        assert a.sync().ok
        iid = _finalized_on(a)
        signed = insp.get_inspection(a.store, iid)
        assert json.loads(signed["signed_factory"])["name"] == NAME
        assert a.sync().ok
        # The office's own hash of the record agrees: no content_hash conflict recorded.
        assert not [c for c in list_conflicts(server_db) if c["row_id"] == iid]
        anong = principal(server_db, "anong")
        assert record_state(server_db, anong, iid)["content_hash"] == signed["content_hash"]

        _rename_at_the_office(server_db)
        assert b.sync().ok and a.sync().ok
        for laptop in (a, b):
            factory = laptop.store.query("SELECT name FROM factories WHERE id = ?",
                                         (factory_id(FID),))[0]
            assert factory["name"] == RENAMED                  # the registry moved on
            copy = insp.get_inspection(laptop.store, iid)
            assert copy["signed_factory"] == signed["signed_factory"]
            assert insp.compute_content_hash(laptop.store, iid) == signed["content_hash"]
            text = _text(render_inspection_pdf(laptop.store, iid))
            assert "".join(NAME.split()) in text and "".join(RENAMED.split()) not in text
        office_pdf = render_printed_form(server_db, anong, iid)
        text = _text(office_pdf)
        assert "".join(NAME.split()) in text and "".join(RENAMED.split()) not in text
        assert record_state(server_db, anong, iid)["content_hash"] == signed["content_hash"]
        # The console shows the registry's factory and, beside it, the one signed.
        page = _console_page(server_db, "anong", f"/inspections/{iid}")
        assert RENAMED in page and "ตามที่ลงนาม" in page
        kept = page[page.index('id="signed-factory"'):]
        assert NAME in kept[:kept.index("</dl>")]
        # Nothing printed changed: no such box (a record of an unchanged factory).
        other = _finalized_on(a)
        assert a.sync().ok
        assert 'id="signed-factory"' not in _console_page(server_db, "anong",
                                                          f"/inspections/{other}")
    finally:
        a.close()
        b.close()


def _console_page(db, username: str, path: str) -> str:
    page = sign_in(site(db), username).get(path)
    assert page.status_code == 200
    return page.text


def test_a_copy_no_laptop_makes_is_refused_and_a_record_signed_before_is_taken(
        server_db, tmp_path):
    """A record signed before records kept their factory is finalized without one: its
    hash, without it, is the office's too."""
    add_users(server_db)
    seed_factories(server_db, FACTORIES)
    app = make_app(server_db)
    a = Laptop(tmp_path / "a.db", inproc_client(app), "anong")
    try:
        assert a.sync().ok
        template_id = a.store.query("SELECT id FROM template_versions "
                                    "WHERE template_key = 'env-general'")[0]["id"]
        who = replace(principal(server_db, "anong"), device_id=a.store.device_id)
        clock = HybridClock(a.store.device_id)
        row = {"factory_id": factory_id(FID), "template_version_id": template_id,
               "kind": "routine", "state": "draft", "started_at": "2026-12-01T02:00:00.000Z",
               "created_by": "anong"}
        for damaged in ('{"lat": "14.0"}', "[]", "ชื่อโรงงาน", "{}", '{"name": "x"}'):
            rid = str(uuid7())
            acks = push(server_db, who, [Op(uuid7(), "inspections", rid, "upsert",
                                            {**row, "signed_factory": damaged}, clock.now())], 0)
            assert acks[0]["outcome"] == P.REJECTED and "signed_factory" in acks[0]["reason"]
        old = str(uuid7())
        digest = content_hash(inspection_document({**row, "id": old}, [], [], [], []))
        acks = push(server_db, who, [
            Op(uuid7(), "inspections", old, "upsert", row, clock.now()),
            Op(uuid7(), "inspections", old, "upsert",
               {"state": "finalized", "content_hash": digest,
                "finalized_at": "2026-12-01T03:00:00.000Z"}, clock.now())], 0)
        assert [ack["outcome"] for ack in acks] == [P.APPLIED, P.APPLIED]
        assert not [c for c in list_conflicts(server_db) if c["row_id"] == old]
    finally:
        a.close()
