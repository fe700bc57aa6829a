"""The benchmarks' national office (tests/bench/national_office.py) writes straight into the
server's tables: what it leaves must be what pushes would have left, or every console
timing measured on it is a timing of something else."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

from fieldapp.core.hlc import HybridClock
from fieldapp.core.ids import uuid7
from fieldapp.forms.verification import read_pdf_payload
from fieldapp.server.auth import Principal
from fieldapp.server.printed_form import render_printed_form
from fieldapp.server.pull import pull
from fieldapp.server.push import Op, push
from fieldapp.server.verification import record_state
from fieldapp.store.wirejson import loads

try:
    from fieldapp.server import projection  # schema V5: the console's projections
except ImportError:
    projection = None

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from national_office import build_national_office  # noqa: E402


def test_a_small_national_office_is_what_pushes_would_leave(server_db):
    made = build_national_office(server_db, factories=400, inspections=25, drafts=3,
                                 photos=120, users=12, log=lambda _: None)
    counts = made["counts"]
    assert counts["inspections"] == 25 and counts["drafts"] == 3 and counts["photos"] == 120
    admin = Principal("bench-admin", "admin", "admin", frozenset(), "office")
    with server_db.read() as c:
        assert c.value("SELECT value FROM counters WHERE name = 'change_seq'") == \
            c.value("SELECT max(seq) FROM records")
        assert c.value("SELECT count(*) FROM records WHERE tbl = 'factories'") == 400
        inspections = [{**loads(r["data"]), **r} for r in c.all(
            "SELECT id, data, frozen, owner, province FROM records "
            "WHERE tbl = 'inspections'")]
        children = c.all("SELECT r.tbl, r.owner, r.province, r.parent_id, r.blob_sha, "
                         "r.seq, p.owner AS p_owner, p.province AS p_province, p.seq AS p_seq "
                         "FROM records r JOIN records p ON p.tbl = 'inspections' "
                         "AND p.id = r.parent_id")
        blobs = {r["sha256"]: bytes(r["data"]) for r in c.all(
            "SELECT b.sha256, b.data FROM blob_chunks b JOIN uploads u "
            "ON u.sha256 = b.sha256 AND u.complete = 1")}
        owners = {(r["sha256"], r["user_id"]) for r in c.all(
            "SELECT sha256, user_id FROM upload_owners")}
        signatures = [loads(r["data"]) for r in c.all(
            "SELECT data FROM records WHERE tbl = 'signatures'")]
        inspector = c.one("SELECT id, username FROM users WHERE role = 'inspector' AND id IN "
                          "(SELECT owner FROM records WHERE tbl = 'inspections' AND frozen = 1)"
                          " ORDER BY username LIMIT 1")
        provinces = frozenset(r["province_code"] for r in c.all(
            "SELECT province_code FROM user_provinces WHERE user_id = ?", (inspector["id"],)))
        device = c.value("SELECT device_id FROM devices WHERE user_id = ? LIMIT 1",
                         (inspector["id"],))

    # Children carry their inspection's owner and province, and come before its finalize.
    assert children and all(r["owner"] == r["p_owner"] and r["province"] == r["p_province"]
                            and r["seq"] < r["p_seq"] for r in children)
    # Every attachment names whole bytes its author sent.
    owner_of = {i["id"]: i["owner"] for i in inspections}
    for r in children:
        if r["tbl"] == "attachments":
            assert hashlib.sha256(blobs[r["blob_sha"]]).hexdigest() == r["blob_sha"]
            assert (r["blob_sha"], owner_of[r["parent_id"]]) in owners
    # The stored content hash is the one the server recomputes; signatures bind to it.
    finalized = [i for i in inspections if i["frozen"]]
    assert len(finalized) == 25 and all(i["state"] == "finalized" for i in finalized)
    for i in finalized:
        assert record_state(server_db, admin, i["id"])["content_hash"] == i["content_hash"]
    hashes = {i["content_hash"] for i in finalized}
    assert signatures and all(s["content_hash"] in hashes for s in signatures)

    # One ops row per pushed operation (a finalize is a second one), and with schema V5 the
    # console's projections, as RecordCache.flush() writes them.
    with server_db.read() as c:
        assert c.value("SELECT count(*) FROM ops") == \
            c.value("SELECT count(*) FROM records") + 25
        if projection is not None:
            assert c.value("SELECT count(*) FROM factory_index") == 400
            assert c.value("SELECT count(*) FROM inspection_index") == 28
            assert c.value("SELECT count(*) FROM finding_index") == \
                c.value("SELECT count(*) FROM records WHERE tbl = 'findings'")

    # The owner reads their record, prints it, and pushes an amendment of it.
    who = Principal(inspector["id"], inspector["username"], "inspector", provinces, device)
    own = next(i for i in finalized if i["owner"] == inspector["id"])
    pdf = render_printed_form(server_db, who, own["id"])
    assert read_pdf_payload(pdf).content_hash == own["content_hash"]
    page = pull(server_db, who, 0, 100_000)
    assert own["id"] in {ch["row"]["id"] for ch in page["changes"]}
    clock = HybridClock(device)
    acks = push(server_db, who, [Op(uuid7(), "inspections", uuid7(), "upsert", {
        "factory_id": own["factory_id"], "template_version_id": own["template_version_id"],
        "kind": own["kind"], "state": "draft", "started_at": own["started_at"],
        "amends_id": own["id"]}, clock.now())], 0)
    assert acks[0]["outcome"] == "applied", acks
