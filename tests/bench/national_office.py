"""A national-size office database for benchmarks: 150,000 factories, 20,000 finalized
inspections of 100 answers each, 200,000 photos, 50 users with their laptops.

Run on demand::

    .venv/bin/python tests/bench/national_office.py postgresql://postgres@127.0.0.1/nat
    .venv/bin/python tests/bench/national_office.py /tmp/national.db --factories 5000 ...

or call ``build_national_office(url, ...)`` (tests/bench/bench_console.py does). The target
database must be empty of synced rows; it is migrated first (``open_database``).

Rows go straight into the server's tables, in bulk (COPY on PostgreSQL), in the shapes a
real push leaves: ``records`` rows with province, owner, parent_id, blob_sha and frozen set
as server/write_scope.py and push.py set them, ``data`` and per-field clocks
(``fields``: ``[hlc, device, seq]``) as compact sorted JSON, change sequence numbers handed
out in the order the laptops would have synced (children before the finalize of their
inspection), and the ``counters`` row moved past them. Finalized inspections carry their
true content hash (core/canonical.py), and signatures bind to it, so ``fieldapp verify``
and the server's printed form work on any of them. Attachment bytes are real small JPEGs
(a few patterns, each copy made distinct by a JPEG comment, so every photo has its own
SHA-256) and PNG signatures, stored in ``uploads``/``upload_owners``/``blob_chunks`` as a
finished upload leaves them. Templates are published through the real push.

Not written: ``conflicts`` and ``field_reports`` (none arise here), browser sessions and
the audit log.

Factories are the 49 real registry rows in /work/shared/data, imported with the laptop's
own importer, multiplied over the 77 provinces (industrial provinces weigh more): real
province names and codes, FIDs of the registry's shape passing the Luhn check, the seeds'
districts in their own provinces and the province's Mueang district elsewhere.

The console's projections (schema V5, server/projection.py) are written with each batch of
rows by ``projection.project``, as ``RecordCache.flush()`` writes them, when the code has
them; ``ops`` rows carry ``tbl``/``row_id`` when the schema has those columns.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import random
import struct
import sys
import tempfile
import time
import uuid
import zlib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve()
if str(HERE.parents[2]) not in sys.path:
    sys.path.insert(0, str(HERE.parents[2]))

from fieldapp.core.canonical import canonical_bytes, content_hash, inspection_document  # noqa: E402
from fieldapp.core.fid import facreg_key, luhn_check_digit  # noqa: E402
from fieldapp.core.ids import name_id, uuid7  # noqa: E402
from fieldapp.core.provinces import BY_CODE as PROVINCES_BY_CODE  # noqa: E402
from fieldapp.core.provinces import PROVINCES  # noqa: E402
from fieldapp.core.templates import parse_template  # noqa: E402
from fieldapp.server.auth import Principal  # noqa: E402
from fieldapp.server.database import open_database  # noqa: E402
from fieldapp.server.office import publish_shipped_templates  # noqa: E402
from fieldapp.server.push import Op, push  # noqa: E402
from fieldapp.server.storage import Database  # noqa: E402
from fieldapp.store.factories import factory_id  # noqa: E402
from fieldapp.store.wirejson import dumps_sorted_text  # noqa: E402
from fieldapp.sync import protocol as P  # noqa: E402

SHARED_DATA = HERE.parents[3] / "shared" / "data"
PASSWORD = "national bench password"
NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
OFFICE = Principal("admin", "admin", "admin", frozenset(), "office")
BATCH = 20_000
RECORD_COLS = ("tbl", "id", "province", "owner", "parent_id", "blob_sha", "frozen", "data",
               "fields", "updated_hlc", "device_id", "deleted", "seq")
# Provinces with many factories (DIW counts: Bangkok and the eastern/central belt).
INDUSTRIAL = {"10": 8, "11": 8, "74": 7, "20": 7, "13": 6, "12": 4, "14": 5, "21": 5,
              "73": 4, "24": 4, "25": 3, "19": 3, "30": 3, "50": 2, "90": 2, "40": 2}
FORM_CODES = {"routine": "ตป", "complaint": "ตร", "follow_up": "ตต"}
KINDS = (("routine", 70), ("complaint", 20), ("follow_up", 10))
FIRST = ("สมชาย", "สุดารัตน์", "อนงค์", "วีระ", "ประเสริฐ", "มาลี", "ธนพล", "กนกวรรณ", "สมศักดิ์",
         "จันทร์เพ็ญ", "วิชัย", "ศิริพร", "ณัฐพล", "ปิยะนุช", "บุญมี", "อรุณี", "ชัยวัฒน์", "พรทิพย์")
LAST = ("ใจดี", "ทองดี", "ศรีสุข", "แก้วมณี", "บุญประเสริฐ", "วงศ์ใหญ่", "สายทอง", "พึ่งบุญ",
        "รักษ์ไทย", "มั่นคง", "เจริญผล", "สุขสวัสดิ์", "อินทร์แก้ว", "ชุณหะวัณ")
POSITIONS = ("ผู้จัดการโรงงาน", "หัวหน้าฝ่ายสิ่งแวดล้อม", "เจ้าหน้าที่ความปลอดภัย", "เจ้าของกิจการ")
LEGAL = ("พ.ร.บ.โรงงาน พ.ศ. 2535 มาตรา 8", "พ.ร.บ.โรงงาน พ.ศ. 2535 มาตรา 37",
         "ประกาศกระทรวงอุตสาหกรรม เรื่อง กำหนดคุณลักษณะของน้ำทิ้งที่ระบายออกจากโรงงาน พ.ศ. 2560")
NOTE = ("ระบบบำบัดน้ำเสียทำงานไม่ต่อเนื่อง ค่าที่ตรวจวัดได้เกินเกณฑ์มาตรฐาน ให้ปรับปรุงแก้ไขและส่งผล"
        "การตรวจวิเคราะห์จากห้องปฏิบัติการที่ขึ้นทะเบียน")


# -- small helpers ---------------------------------------------------------------------------

def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def _hlc(ms: int, counter: int, device: str) -> str:
    return f"{ms:013d}-{counter:04x}-{device}"


def _uuid7_at(rng: random.Random, ms: int) -> str:
    """A UUIDv7 as a laptop makes it (uuid7()), at a given time, from the seeded generator."""
    value = (ms & ((1 << 48) - 1)) << 80 | 0x7 << 76 | rng.getrandbits(12) << 64 \
        | 0b10 << 62 | rng.getrandbits(62)
    return str(uuid.UUID(int=value))


class Records:
    """Rows of ``records`` waiting for the next bulk insert, with the change sequence, the
    ``ops`` rows their pushes leave (one per operation: a finalize is a second one), and,
    with schema V5, the console's projections written with them as ``RecordCache.flush()``
    writes them (server/projection.py)."""

    def __init__(self, db: Database, seq: int):
        self.db, self.seq, self.rows, self.ops, self.written = db, seq, [], [], 0
        self.ids = random.Random(seq)
        with db.read() as c:
            self.op_cols = tuple(d[0] for d in c.raw.execute(
                "SELECT * FROM ops WHERE 1 = 0").description)
        self.projection = _projection()
        self.projected: list = []

    def add(self, tbl: str, rid: str, data: dict, hlc: str, device: str, *,
            province: str | None, user: str, received: str, owner: str | None = None,
            parent: str | None = None, late: dict | None = None,
            late_hlc: str | None = None) -> int:
        """One row, every field written at ``hlc`` by ``user``'s push received at
        ``received`` (and ``late`` fields at ``late_hlc`` with a later sequence, as a
        finalize is)."""
        self.seq += 1
        seq = self.seq
        self._op(device, user, seq, received, tbl, rid)
        clocks = {name: [hlc, device, seq] for name in data}
        row_hlc = hlc
        if late:
            self.seq += 1
            seq = self.seq
            self._op(device, user, seq, received, tbl, rid)
            data = {**data, **late}
            clocks.update({name: [late_hlc, device, seq] for name in late})
            row_hlc = late_hlc
        blob = data.get("sha256") if tbl == "attachments" else None
        frozen = int(tbl == "inspections" and data.get("state") == "finalized")
        self.rows.append((tbl, rid, province, owner, parent, blob, frozen,
                          dumps_sorted_text(data), dumps_sorted_text(clocks), row_hlc, device,
                          0, seq))
        if self.projection is not None and tbl in self.projection.TABLES:
            self.projected.append(self.projection.Row(tbl, rid, data, province, owner, 0, seq))
        if len(self.rows) >= BATCH:
            self.flush()
        return seq

    def _op(self, device: str, user: str, seq: int, received: str, tbl: str,
            rid: str) -> None:
        op_id = str(uuid.UUID(int=self.ids.getrandbits(128), version=4))
        row = {"op_id": op_id, "device_id": device, "user_id": user, "outcome": "applied",
               "reason": None, "seq": seq, "received_at": received, "tbl": tbl,
               "row_id": rid}
        self.ops.append(tuple(row[name] for name in self.op_cols))

    def flush(self) -> None:
        if self.rows:
            with self.db.write() as c:
                c.insert_rows("records", RECORD_COLS, self.rows)
                c.insert_rows("ops", self.op_cols, self.ops)
                if self.projected:
                    self.projection.project(c, self.projected)
            self.written += len(self.rows)
            self.rows, self.ops, self.projected = [], [], []


def _projection():
    """server/projection.py (schema V5), or None in code before it."""
    try:
        from fieldapp.server import projection
    except ImportError:
        return None
    return projection


class Blobs:
    """Attachment bytes as a finished upload leaves them."""

    def __init__(self, db: Database):
        self.db, self.uploads, self.owners, self.chunks, self.count, self.bytes = \
            db, [], [], [], 0, 0
        self.seen: set[str] = set()

    def add(self, data: bytes, user_id: str, at: str) -> tuple[str, int]:
        """Store ``data`` as sent by ``user_id`` (bytes held already are stored once: an
        inspector's own signature is the same image on each of their records)."""
        sha = hashlib.sha256(data).hexdigest()
        if sha in self.seen:
            return sha, len(data)
        self.seen.add(sha)
        self.uploads.append((sha, len(data), len(data), 1, at))
        self.owners.append((sha, user_id, len(data), at))
        self.chunks.append((sha, 0, data))
        self.count += 1
        self.bytes += len(data)
        if len(self.chunks) >= BATCH:
            self.flush()
        return sha, len(data)

    def flush(self) -> None:
        if self.chunks:
            with self.db.blob_write() as c:
                c.insert_rows("uploads", ("sha256", "size", "received", "complete",
                                          "created_at"), self.uploads)
                c.insert_rows("upload_owners", ("sha256", "user_id", "bytes", "created_at"),
                              self.owners)
                c.insert_rows("blob_chunks", ("sha256", "pos", "data"), self.chunks)
            self.uploads, self.owners, self.chunks = [], [], []


def _base_jpegs(count: int) -> list[bytes]:
    """A few small photo-like JPEGs (noise over a tint, as a real photo compresses)."""
    from PIL import Image, ImageDraw

    out = []
    for k in range(count):
        rng = random.Random(k)
        img = Image.blend(Image.effect_noise((96, 72), 30).convert("RGB"),
                          Image.new("RGB", (96, 72), tuple(rng.randint(40, 200)
                                                            for _ in range(3))), 0.6)
        ImageDraw.Draw(img).rectangle((8, 8, 60, 30), fill=(240, 240, 240))
        buffer = io.BytesIO()
        img.save(buffer, "JPEG", quality=75)
        out.append(buffer.getvalue())
    return out


def _distinct_jpeg(base: bytes, tag: bytes) -> bytes:
    """``base`` with a comment segment (FF FE) after SOI: the same picture, its own hash."""
    return base[:2] + b"\xff\xfe" + struct.pack(">H", len(tag) + 2) + tag + base[2:]


def _base_signatures(count: int) -> list[bytes]:
    from PIL import Image, ImageDraw

    out = []
    for k in range(count):
        rng = random.Random(1000 + k)
        img = Image.new("RGBA", (240, 80), (0, 0, 0, 0))
        ImageDraw.Draw(img).line([(10 + 15 * i, rng.randint(15, 65)) for i in range(15)],
                                 fill=(20, 30, 110, 255), width=3)
        buffer = io.BytesIO()
        img.save(buffer, "PNG")
        out.append(buffer.getvalue())
    return out


def _distinct_png(base: bytes, tag: bytes) -> bytes:
    """``base`` with a tEXt chunk before IEND: the same signature, its own hash."""
    body = b"tEXt" + b"fieldapp\x00" + tag
    chunk = struct.pack(">I", len(body) - 4) + body + struct.pack(">I", zlib.crc32(body))
    return base[:-12] + chunk + base[-12:]


# -- templates ---------------------------------------------------------------------------------

def _template_doc(key: str, kind: str, version: int, title: str, items: int) -> dict:
    sections, n = [], 0
    per = items // 8
    for s in range(8):
        rows = []
        for _ in range(per if s < 7 else items - per * 7):
            n += 1
            if n % 4 == 0:
                rows.append({"id": f"i{n:03d}", "type": "number", "unit": "mg/L",
                             "label": {"th": f"ค่าบีโอดีของน้ำทิ้งจากบ่อบำบัดจุดที่ {n}",
                                       "en": f"BOD {n}"},
                             "limits": {"max": "20"}, "legal_basis": LEGAL[2]})
            else:
                rows.append({"id": f"i{n:03d}", "type": "result",
                             "label": {"th": f"สถานที่เก็บกากอุตสาหกรรมมีหลังคาและพื้นกันซึม ข้อ {n}",
                                       "en": f"Item {n}"},
                             "legal_basis": LEGAL[n % 2]})
        sections.append({"id": f"s{s}", "title": {"th": f"หมวดที่ {s + 1}", "en": f"Part {s + 1}"},
                         "items": rows})
    return {"format": "fieldapp.template/1", "key": key, "version": version, "kind": kind,
            "form_code": f"สอจ.{FORM_CODES[kind]}.{version:02d}", "title": {"th": title, "en": key},
            "sections": sections}


def publish_templates(db: Database, items: int) -> dict[str, list]:
    """The office's shipped templates and 100-item national ones, published by a real push;
    per kind the parsed versions inspections may use (newest last)."""
    publish_shipped_templates(db)
    docs = [_template_doc("national-routine", "routine", 1, "แบบตรวจโรงงานประจำปี", items),
            _template_doc("national-routine", "routine", 2, "แบบตรวจโรงงานประจำปี (ปรับปรุง)",
                          items),
            _template_doc("national-complaint", "complaint", 1, "แบบตรวจตามเรื่องร้องเรียน", items),
            _template_doc("national-follow-up", "follow_up", 1, "แบบตรวจติดตามผล", items)]
    from fieldapp.core.hlc import HybridClock

    clock = HybridClock("office")
    ops, by_kind = [], {}
    for doc in docs:
        t = parse_template(doc, "national bench")
        ops.append(Op(uuid7(), "template_versions", t.version_id, "upsert", {
            "template_key": t.key, "version": t.version, "status": "published",
            "title": t.title["th"], "body": canonical_bytes(t.body).decode("utf-8"),
            "content_hash": t.content_hash, "published_at": "2024-11-01T00:00:00Z"},
            clock.now()))
        by_kind.setdefault(doc["kind"], []).append(t)
    acks = push(db, OFFICE, ops, 0)
    assert all(a["outcome"] == "applied" for a in acks), acks
    return by_kind


# -- factories --------------------------------------------------------------------------------

def seed_rows() -> list[dict]:
    """The real registry rows, read by the laptop's own importer."""
    from fieldapp.store.db import open_store
    from fieldapp.store.registry_import import import_factories

    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "seed.db")
        try:
            import_factories(store, SHARED_DATA / "diw_factory_data_sample.csv")
            return store.query("SELECT * FROM factories ORDER BY fid")
        finally:
            store.close()


def make_factories(rng: random.Random, count: int, records: Records) -> dict[str, list]:
    """The real seed rows as they are, then made-up factories of their shape up to
    ``count``; returns the factory ids per province code."""
    seeds = [s for s in seed_rows() if s.get("province_code")]
    named = [s for s in seeds if s.get("name")]
    districts: dict[str, list[tuple[str, str]]] = {}
    for s in seeds:
        if s.get("district"):
            districts.setdefault(s["province_code"], []).append((s["district"],
                                                                  s.get("subdistrict")))
    codes = [p.code for p in PROVINCES]
    weights = [INDUSTRIAL.get(c, 1) for c in codes]
    by_province: dict[str, list] = {}
    # Made-up running numbers start above any real one, so no FID repeats a seed's.
    running: dict[tuple[str, str], int] = {}
    ms = _ms(NOW - timedelta(days=800))
    imported = _iso(NOW - timedelta(days=800))  # the office's registry import
    for n in range(count):
        if n < len(seeds):
            data = {c: seeds[n].get(c) for c in P.COLUMNS["factories"]}
            code = data["province_code"]
        else:
            code = rng.choices(codes, weights)[0]
            data = _made_up_factory(rng, code, named[n % len(named)], running,
                                    districts.get(code), n // len(named))
        rid = factory_id(data["fid"])
        records.add("factories", rid, data, _hlc(ms, n % 4096, "office"), "office",
                    province=code, user="office", received=imported)
        by_province.setdefault(code, []).append(rid)
    records.flush()
    return by_province


def _made_up_factory(rng: random.Random, code: str, seed: dict, running: dict,
                     districts: list | None, branch: int) -> dict:
    """A factory of ``seed``'s kind in province ``code``: an FID of the registry's shape
    (issuing office, province, running number, B.E. year, Luhn digit), an old registration
    number, the seed's district when the seed is of this province (else the Mueang one)."""
    prov = PROVINCES_BY_CODE[code]
    year = str(rng.randint(2520, 2568))
    number = running[(code, year)] = running.get((code, year), 20000) + 1
    body = f"{rng.choice('12')}0{code}{number:05d}{year}"
    cls = rng.choice((1, 2, 3, 3, 3))
    facreg = f"{cls}-{seed.get('factory_type') or '3'}-{number - 20000}/{year[-2:]}{prov.abbr}"
    district, subdistrict = rng.choice(districts or [
        ((f"เขต{prov.name_th}" if code == "10" else f"เมือง{prov.name_th}"), "ในเมือง")])
    data = {c: seed.get(c) for c in P.COLUMNS["factories"]}
    data.update({"fid": body + luhn_check_digit(body), "facreg": facreg,
                 "facreg_key": facreg_key(facreg), "name": f"{seed['name']} (สาขา {branch})",
                 "province": prov.name_th, "province_code": code, "district": district,
                 "subdistrict": subdistrict,
                 "lat": round(prov.centre[0] + rng.uniform(-0.25, 0.25), 6),
                 "lng": round(prov.centre[1] + rng.uniform(-0.25, 0.25), 6),
                 "factory_class": cls, "status": 1, "workers": rng.randint(5, 900),
                 "phone": None, "contact_person": None})
    return data


# -- users and devices --------------------------------------------------------------------------

def make_users(db: Database, rng: random.Random, count: int, by_province: dict) -> list[dict]:
    """Admins, supervisors (several provinces each) and inspectors (two provinces each,
    every province with factories covered, the industrial ones twice), with laptops."""
    from argon2 import PasswordHasher  # what server/auth.py hashes with

    password_hash = PasswordHasher().hash(PASSWORD)
    admins, supervisors = max(1, count // 16), max(1, count // 7)
    inspectors = count - admins - supervisors
    ranked = sorted(by_province, key=lambda c: -len(by_province[c]))
    slots = (ranked * 3)[:inspectors * 2]
    users, grants, devices = [], [], []
    for k in range(count):
        role = "admin" if k < admins else "supervisor" if k < admins + supervisors \
            else "inspector"
        uid = _uuid7_at(rng, _ms(NOW - timedelta(days=900)) + k)
        name = {"admin": "admin", "supervisor": "sup", "inspector": "insp"}[role] + f"{k:02d}"
        user = {"id": uid, "username": name, "role": role, "provinces": [],
                "person": f"{rng.choice(FIRST)} {rng.choice(LAST)}", "devices": []}
        if role == "supervisor":
            user["provinces"] = rng.sample(ranked[:30], rng.randint(3, 6))
        elif role == "inspector":
            i = k - admins - supervisors
            user["provinces"] = sorted({slots[2 * i], slots[2 * i + 1]})
        users.append(user)
        grants += [(uid, code) for code in user["provinces"]]
        for d in range(1 if role == "inspector" and rng.random() < 0.8 else
                       2 if role == "inspector" else rng.randint(0, 1)):
            device = uuid.UUID(int=rng.getrandbits(128)).hex
            user["devices"].append(device)
            seen = NOW - timedelta(minutes=rng.randint(1, 60 * 24 * (90 if d else 20)))
            devices.append((str(uuid.UUID(int=rng.getrandbits(128))), uid, device,
                            f"laptop-{name}-{d + 1}", hashlib.sha256(device.encode()).hexdigest(),
                            _iso(NOW - timedelta(days=rng.randint(60, 700))), _iso(seen),
                            int(d > 0 and rng.random() < 0.3), _iso(seen + timedelta(days=30))))
    with db.write() as c:
        c.insert_rows("users", ("id", "username", "password_hash", "role", "disabled",
                                "created_at"),
                      [(u["id"], u["username"], password_hash, u["role"], 0,
                        _iso(NOW - timedelta(days=900))) for u in users])
        c.insert_rows("user_provinces", ("user_id", "province_code"), grants)
        c.insert_rows("devices", ("id", "user_id", "device_id", "name", "token_hash",
                                  "created_at", "last_seen", "revoked", "expires_at"), devices)
    return users


# -- inspections --------------------------------------------------------------------------------

PURPOSES = {"routine": "ตรวจกำกับดูแลประจำปี", "complaint": "ตรวจข้อเท็จจริงตามเรื่องร้องเรียน",
            "follow_up": "ตรวจติดตามผลการแก้ไข"}
COUNTED = ("inspections", "drafts", "amendments", "answers", "findings", "overdue",
           "participants", "photos", "signatures")


def visit_times(rng: random.Random, count: int, drafts: int) -> list[tuple[datetime, bool]]:
    """When each inspection started (Thai office hours on a working day, over two years;
    drafts in the last three weeks), and whether it is a draft, in time order."""
    span = (NOW - timedelta(days=730), NOW - timedelta(hours=2))
    plan = []
    for n in range(count + drafts):
        draft = n >= count
        start = span[1] - timedelta(days=rng.uniform(0, 20)) if draft else \
            span[0] + timedelta(seconds=rng.uniform(0, (span[1] - span[0]).total_seconds()))
        weekend = max(0, start.weekday() - 4) and 7 - start.weekday()  # on to Monday
        start = start.replace(hour=1, minute=30, second=0, microsecond=0) + timedelta(
            minutes=rng.randint(0, 450), days=weekend)   # 08:30-16:00 at UTC+7
        plan.append((min(start, span[1]), draft))
    return sorted(plan)


class Inspections:
    """Makes inspections one at a time, as their laptops would have synced them: children
    first, then the inspection with its finalize (content hash, record number)."""

    def __init__(self, rng: random.Random, templates: dict, users: list[dict],
                 by_province: dict, records: Records, blobs: Blobs):
        self.rng, self.templates, self.by_province = rng, templates, by_province
        self.records, self.blobs = records, blobs
        self.inspectors = [u for u in users if u["role"] == "inspector" and u["devices"]]
        self.jpegs, self.signature_pngs = _base_jpegs(8), _base_signatures(12)
        # An inspector's own signature is the same image on each of their records.
        self.own_signature = {u["id"]: _distinct_png(self.signature_pngs[k % 12],
                                                     u["id"].encode())
                              for k, u in enumerate(self.inspectors)}
        self.finalized: dict[str, list[tuple]] = {}  # per user, records they may amend
        self.to_follow: dict[str, list[tuple]] = {}  # per user, factories with findings
        self.counts = dict.fromkeys(COUNTED, 0)

    def make(self, started: datetime, draft: bool, photos: int) -> None:
        rng, user = self.rng, self.rng.choice(self.inspectors)
        code = rng.choice(user["provinces"])
        factory = rng.choice(self.by_province[code])
        kind = rng.choices([k for k, _ in KINDS], [w for _, w in KINDS])[0]
        versions = self.templates[kind]
        template = versions[-1] if started > NOW - timedelta(days=300) else versions[0]
        followed = self.to_follow.get(user["id"])
        if kind == "follow_up" and followed:
            factory, code = followed.pop(rng.randrange(len(followed)))
        amends, earlier = None, self.finalized.get(user["id"])
        if not draft and earlier and rng.random() < 0.02:
            # An amendment corrects one of the inspector's finalized records (signing.amend).
            amends, factory, code, kind, template = earlier.pop(rng.randrange(len(earlier)))
            self.counts["amendments"] += 1
        visit = Visit(rng, user, rng.choice(user["devices"]), code, started)
        rows = {"participants": self._participants(visit)}
        rows["answers"], failed = self._answers(visit, template, draft)
        rows["findings"] = self._findings(visit, failed, draft)
        rows["attachments"] = self._photos(visit, failed, photos)
        inspection = {"factory_id": factory, "template_version_id": template.version_id,
                      "kind": kind, "state": "draft", "started_at": _iso(started),
                      "purpose": PURPOSES[kind], "amends_id": amends, "record_no": None,
                      "created_by": None, "content_hash": None, "finalized_at": None}
        digest = None if draft else content_hash(inspection_document(
            {**inspection, "id": visit.iid}, rows["answers"], rows["findings"],
            rows["participants"], rows["attachments"]))
        signatures = [] if draft else self._signatures(visit, rows, digest)
        for table, table_rows in rows.items():
            for row in table_rows:
                visit.add(self.records, table, row, visit.stamp())
        for row in signatures:
            visit.add(self.records, "signatures", row, visit.stamp(visit.sync_ms))
        late = None if draft else {
            "state": "finalized", "content_hash": digest, "finalized_at": _iso(visit.synced),
            "record_no": f"{visit.synced.year + 543}/{visit.iid.replace('-', '')[-8:].upper()}"}
        self.records.add("inspections", visit.iid, inspection, visit.stamp(), visit.device,
                         province=code, user=user["id"], received=_iso(visit.synced),
                         owner=user["id"], late=late, late_hlc=visit.stamp(visit.sync_ms))
        self._count(draft, rows, signatures, photos)
        if not draft:
            self.finalized.setdefault(user["id"], []).append(
                (visit.iid, factory, code, kind, template))
            if rows["findings"]:
                self.to_follow.setdefault(user["id"], []).append((factory, code))

    def _count(self, draft: bool, rows: dict, signatures: list, photos: int) -> None:
        self.counts["drafts" if draft else "inspections"] += 1
        for table in ("answers", "findings", "participants"):
            self.counts[table] += len(rows[table])
        self.counts["overdue"] += sum(f["status"] in ("open", "in_progress")
                                      and f["deadline"] < NOW.date().isoformat()
                                      for f in rows["findings"])
        self.counts["photos"] += photos
        self.counts["signatures"] += len(signatures)

    def _participants(self, visit: Visit) -> list[dict]:
        rng = self.rng
        people = [
            {"role": "inspector", "name": visit.user["person"],
             "position": "นักวิชาการอุตสาหกรรมชำนาญการ",
             "organisation": "สำนักงานอุตสาหกรรมจังหวัด", "phone": None},
            {"role": "representative", "name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
             "position": rng.choice(POSITIONS), "organisation": None,
             "phone": f"08{rng.randint(10000000, 99999999)}"}]
        if rng.random() < 0.2:
            people.append({"role": "witness", "name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                           "position": None, "organisation": "องค์การบริหารส่วนตำบล",
                           "phone": None})
        return [{"id": visit.new_id(), "inspection_id": visit.iid, **p, "sort_order": 0}
                for p in people]

    def _answers(self, visit: Visit, template, draft: bool) -> tuple[list[dict], list]:
        """An answer per item (half of them on a draft): mostly passes, a few failures and
        measured values over the limit, each with a note; and the items that failed."""
        rng, answers, failed = self.rng, [], []
        for item in template.items.values():
            if draft and rng.random() < 0.5:
                continue
            row = {"id": name_id("answer", visit.iid, item.id), "inspection_id": visit.iid,
                   "item_id": item.id, "result": None, "value": None, "note": None,
                   "exceeded": None}
            if item.type == "number":
                over = rng.random() < 0.04
                row["value"] = f"{rng.uniform(21, 60) if over else rng.uniform(2, 19):.1f}"
                row["exceeded"] = int(over)
            else:
                row["result"] = rng.choices(("pass", "fail", "na", "not_checked"),
                                            (88, 4, 6, 2))[0]
                over = row["result"] == "fail"
            if over:
                row["note"] = NOTE
                failed.append(item)
            answers.append(row)
        return answers, failed

    def _findings(self, visit: Visit, failed: list, draft: bool) -> list[dict]:
        """One finding per failed item, with a deadline 15-90 days on. Its status is frozen
        with the record once finalized (push.py _guard_frozen): mostly open, some put right
        during the visit; a later follow-up inspection tells the rest."""
        rng = self.rng
        return [{"id": visit.new_id(), "inspection_id": visit.iid, "item_id": item.id,
                 "description": f"{item.label['th']} ไม่เป็นไปตามที่กำหนด",
                 "legal_basis": item.legal_basis or LEGAL[1],
                 "order_text": "ให้ปรับปรุงแก้ไขให้ถูกต้องตามกฎหมาย",
                 "deadline": (visit.started + timedelta(days=rng.choice((15, 30, 60, 90))))
                 .date().isoformat(),
                 "status": "open" if draft else rng.choices(("open", "in_progress",
                                                             "resolved"), (85, 5, 10))[0]}
                for item in failed]

    def _photos(self, visit: Visit, failed: list, count: int) -> list[dict]:
        """``count`` photos: one per failed item first, the rest of the factory."""
        out = []
        for k in range(count):
            data = _distinct_jpeg(self.jpegs[self.rng.randrange(len(self.jpegs))],
                                  f"{visit.iid}/{k}".encode())
            sha, size = self.blobs.add(data, visit.user["id"], _iso(visit.synced))
            item = failed[k] if k < len(failed) else None
            out.append({"id": visit.new_id(), "inspection_id": visit.iid,
                        "item_id": item.id if item else None, "kind": "photo",
                        "sha256": sha, "size": size, "mime": "image/jpeg",
                        "caption": "ภาพประกอบข้อบกพร่อง" if item else
                        f"ภาพถ่ายบริเวณโรงงานจุดที่ {k + 1}",
                        "taken_at": _iso(visit.started + timedelta(minutes=5 + k))})
        return out

    def _signatures(self, visit: Visit, rows: dict, digest: str) -> list[dict]:
        """The inspector's and the representative's signatures, bound to ``digest``; a few
        representatives refuse before a witness. Signature images join the attachments
        (outside the content hash)."""
        rng, out = self.rng, []
        for person in rows["participants"][:2]:
            own = person["role"] == "inspector"
            refused = not own and rng.random() < 0.04
            sig = {"id": visit.new_id(visit.sync_ms), "inspection_id": visit.iid,
                   "participant_id": person["id"], "signer_name": person["name"],
                   "signer_role": person["role"], "signed_at": _iso(visit.signed),
                   "attachment_id": None, "content_hash": digest, "refused": int(refused),
                   "refusal_reason": "ผู้แทนโรงงานไม่เห็นด้วยกับผลการตรวจ" if refused else None,
                   "witness_name": f"{rng.choice(FIRST)} {rng.choice(LAST)}" if refused
                   else None}
            if not refused:
                image = self.own_signature[visit.user["id"]] if own else _distinct_png(
                    self.signature_pngs[rng.randrange(12)], visit.iid.encode())
                sha, size = self.blobs.add(image, visit.user["id"], _iso(visit.synced))
                att = {"id": visit.new_id(visit.sync_ms), "inspection_id": visit.iid,
                       "item_id": None, "kind": "signature", "sha256": sha, "size": size,
                       "mime": "image/png", "caption": None, "taken_at": None}
                rows["attachments"].append(att)
                sig["attachment_id"] = att["id"]
            out.append(sig)
        return out


class Visit:
    """One inspection's who, where and when: its id, the laptop's clock stamps (created at
    the visit, signatures and finalize at sync) and its rows' scope."""

    def __init__(self, rng: random.Random, user: dict, device: str, province: str,
                 started: datetime):
        self.rng, self.user, self.device, self.province = rng, user, device, province
        self.started = started
        self.signed = started + timedelta(minutes=rng.randint(60, 240))
        self.synced = min(self.signed + timedelta(hours=rng.uniform(0.5, 96)), NOW)
        self.ms = _ms(started + timedelta(minutes=rng.randint(0, 20)))
        self.sync_ms = _ms(self.synced)
        self.iid = self.new_id()
        self.counter = 0

    def new_id(self, ms: int | None = None) -> str:
        return _uuid7_at(self.rng, self.ms if ms is None else ms)

    def stamp(self, ms: int | None = None) -> str:
        self.counter += 1
        return _hlc(self.ms if ms is None else ms, self.counter % 65536, self.device)

    def add(self, records: Records, table: str, row: dict, hlc: str) -> None:
        """A child row, scoped as write_scope gives it its inspection's owner and province."""
        data = {k: v for k, v in row.items() if k != "id"}
        records.add(table, row["id"], data, hlc, self.device, province=self.province,
                    user=self.user["id"], received=_iso(self.synced), owner=self.user["id"],
                    parent=self.iid)


def make_inspections(rng: random.Random, count: int, drafts: int, photos: int,
                     templates: dict, users: list[dict], by_province: dict,
                     records: Records, blobs: Blobs) -> dict:
    """``count`` finalized inspections (some of them amendments) with ``photos`` photos
    between them, and ``drafts`` drafts; returns counts."""
    maker = Inspections(rng, templates, users, by_province, records, blobs)
    per_record = iter(_spread(rng, photos, count))
    for started, draft in visit_times(rng, count, drafts):
        maker.make(started, draft, 0 if draft else next(per_record))
    records.flush()
    blobs.flush()
    return maker.counts


def _spread(rng: random.Random, total: int, parts: int) -> list[int]:
    """``parts`` counts around the mean, summing to ``total``."""
    if parts == 0:
        return []
    mean = total / parts
    counts = [max(0, int(rng.triangular(0, 2 * mean, mean))) for _ in range(parts)]
    diff = total - sum(counts)
    step = 1 if diff > 0 else -1
    while diff:
        i = rng.randrange(parts)
        if step > 0 or counts[i] > 0:
            counts[i] += step
            diff -= step
    return counts


# -- the whole office -----------------------------------------------------------------------------

def build_national_office(target: str | Database, *, factories: int = 150_000,
                          inspections: int = 20_000,
                          drafts: int = 600, answers: int = 100, photos: int = 200_000,
                          users: int = 50, seed: int = 2026,
                          log: Callable[[str], None] = print) -> dict:
    """Fill the server database ``target`` (an open one, or a PostgreSQL URL or SQLite path
    to open and migrate; empty of synced rows) with a national office. Returns what was
    made and how long each part took."""
    rng = random.Random(seed)
    db = open_database(target) if isinstance(target, str) else target
    try:
        with db.read() as c:
            held = c.value("SELECT count(*) FROM records")
        if held:
            raise SystemExit(f"{db.url} already holds {held} synced rows: give an empty "
                             "database")
        timings, t0 = {}, time.perf_counter()
        templates = publish_templates(db, answers)
        with db.read() as c:
            seq = int(c.value("SELECT value FROM counters WHERE name = 'change_seq'"))
        records = Records(db, seq)
        by_province = make_factories(rng, factories, records)
        timings["factories"] = time.perf_counter() - t0
        log(f"{factories:,} factories in {timings['factories']:.0f} s")
        t = time.perf_counter()
        people = make_users(db, rng, users, by_province)
        blobs = Blobs(db)
        counts = make_inspections(rng, inspections, drafts, photos, templates, people,
                                  by_province, records, blobs)
        with db.write() as c:
            c.run("UPDATE counters SET value = ? WHERE name = 'change_seq'", (records.seq,))
        timings["inspections"] = time.perf_counter() - t
        log(f"{counts['inspections']:,} inspections, {records.written:,} records, "
            f"{blobs.count:,} blobs ({blobs.bytes / 1e6:.0f} MB) in "
            f"{timings['inspections']:.0f} s")
        t = time.perf_counter()
        if db.dialect == "postgresql":  # statistics, projections included, as a live one has
            with db.unlocked() as c:
                c.run("ANALYZE")
        timings["analyze"] = time.perf_counter() - t
        timings["total"] = time.perf_counter() - t0
        log(f"statistics in {timings['analyze']:.0f} s; total "
            f"{timings['total']:.0f} s")
        return {"counts": {**counts, "factories": factories, "records": records.written,
                           "blobs": blobs.count, "blob_bytes": blobs.bytes,
                           "users": len(people)},
                "timings": timings, "projected": records.projection is not None,
                "users": [{k: u[k] for k in ("id", "username", "role", "provinces")}
                          for u in people]}
    finally:
        if isinstance(target, str):
            db.close()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("url", help="postgresql://… URL or SQLite file path (empty database)")
    p.add_argument("--factories", type=int, default=150_000)
    p.add_argument("--inspections", type=int, default=20_000)
    p.add_argument("--drafts", type=int, default=600)
    p.add_argument("--photos", type=int, default=200_000)
    p.add_argument("--users", type=int, default=50)
    p.add_argument("--seed", type=int, default=2026)
    args = p.parse_args(argv)
    made = build_national_office(args.url, factories=args.factories,
                                 inspections=args.inspections, drafts=args.drafts,
                                 photos=args.photos, users=args.users, seed=args.seed)
    print(json.dumps({"counts": made["counts"], "timings": made["timings"]}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
