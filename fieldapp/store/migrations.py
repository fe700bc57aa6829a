"""Numbered forward migrations of the local database, keyed on ``PRAGMA user_version``.

Append only: never edit a migration that has shipped, add the next one. Each runs in its own
transaction together with the ``user_version`` bump, so a failure leaves the database at the
previous version, untouched.
"""

# Columns every syncable table carries (DESIGN.md §3).
_SYNC = """
    updated_hlc TEXT NOT NULL,
    device_id TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))"""

def _fts_values(row: str) -> str:
    """The indexed columns of one factory row (``NEW`` or ``OLD``) for factories_fts."""
    ids = f"{row}.fid || ' ' || coalesce({row}.facreg_key, '') || ' ' || coalesce({row}.facreg, '')"
    address = " || ' ' || ".join(
        f"coalesce({row}.{col}, '')"
        for col in ("address", "road", "soi", "subdistrict", "district", "province"))
    return f"{row}.num, {row}.name, coalesce({row}.operator, ''), {ids}, {address}"


_FTS_COLUMNS = "factories_fts(rowid, name, operator, ids, address)"
_FTS_DELETE = "factories_fts(factories_fts, rowid, name, operator, ids, address)"
_FTS_TRIGGERS = f"""
CREATE TRIGGER factories_fts_insert AFTER INSERT ON factories BEGIN
    INSERT INTO {_FTS_COLUMNS} VALUES ({_fts_values("NEW")});
END;
CREATE TRIGGER factories_fts_delete AFTER DELETE ON factories BEGIN
    INSERT INTO {_FTS_DELETE} VALUES ('delete', {_fts_values("OLD")});
END;
CREATE TRIGGER factories_fts_update AFTER UPDATE OF name, operator, fid, facreg, facreg_key,
    address, road, soi, subdistrict, district, province ON factories BEGIN
    INSERT INTO {_FTS_DELETE} VALUES ('delete', {_fts_values("OLD")});
    INSERT INTO {_FTS_COLUMNS} VALUES ({_fts_values("NEW")});
END;
"""

_CHILD_GUARD = """
CREATE TRIGGER {table}_frozen_update BEFORE UPDATE ON {table}
WHEN (SELECT state FROM inspections WHERE id = OLD.inspection_id) = 'finalized'
BEGIN SELECT RAISE(ABORT, 'inspection is finalized and cannot change'); END;
CREATE TRIGGER {table}_frozen_delete BEFORE DELETE ON {table}
WHEN (SELECT state FROM inspections WHERE id = OLD.inspection_id) = 'finalized'
BEGIN SELECT RAISE(ABORT, 'inspection is finalized and cannot change'); END;
"""

V1 = f"""
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- num is a local, stable rowid for the full-text index (VACUUM may renumber implicit rowids);
-- it never leaves this database: id is the record's name everywhere.
CREATE TABLE factories (
    num INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    fid TEXT NOT NULL UNIQUE,
    facreg TEXT,
    facreg_key TEXT,
    name TEXT NOT NULL,
    operator TEXT,
    business TEXT,
    factory_type TEXT,
    factory_class INTEGER,
    address TEXT,
    moo TEXT,
    soi TEXT,
    road TEXT,
    subdistrict TEXT,
    district TEXT,
    province TEXT,
    province_code TEXT,
    capital REAL,
    workers INTEGER,
    horsepower REAL,
    lat REAL,
    lng REAL,
    isic TEXT,
    estate TEXT,
    status INTEGER,
    registry_updated TEXT,
    phone TEXT,
    contact_person TEXT,
    source_hash TEXT,{_SYNC}
);
CREATE INDEX factories_province ON factories(province_code, status);
CREATE INDEX factories_hlc ON factories(updated_hlc);

-- Contentless trigram index: substring search on Thai text (no spaces between words) and on
-- ids typed with or without separators. The triggers keep it in step with factories.
CREATE VIRTUAL TABLE factories_fts USING fts5(
    name, operator, ids, address, content='', tokenize='trigram'
);
{_FTS_TRIGGERS}
CREATE TABLE template_versions (
    id TEXT PRIMARY KEY,
    template_key TEXT NOT NULL,
    version INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'published', 'retired')),
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    published_at TEXT,{_SYNC},
    UNIQUE (template_key, version)
);
CREATE TRIGGER template_versions_frozen BEFORE UPDATE ON template_versions
WHEN OLD.status = 'published' AND (NEW.body IS NOT OLD.body OR NEW.version IS NOT OLD.version
    OR NEW.template_key IS NOT OLD.template_key OR NEW.content_hash IS NOT OLD.content_hash)
BEGIN SELECT RAISE(ABORT, 'a published template version cannot change'); END;

CREATE TABLE inspections (
    id TEXT PRIMARY KEY,
    factory_id TEXT NOT NULL REFERENCES factories(id) DEFERRABLE INITIALLY DEFERRED,
    template_version_id TEXT NOT NULL
        REFERENCES template_versions(id) DEFERRABLE INITIALLY DEFERRED,
    kind TEXT NOT NULL CHECK (kind IN ('routine', 'complaint', 'follow_up')),
    state TEXT NOT NULL CHECK (state IN ('draft', 'finalized')),
    started_at TEXT NOT NULL,
    purpose TEXT,
    amends_id TEXT REFERENCES inspections(id) DEFERRABLE INITIALLY DEFERRED,
    record_no TEXT,
    created_by TEXT,
    content_hash TEXT,
    finalized_at TEXT,{_SYNC}
);
CREATE INDEX inspections_factory ON inspections(factory_id, started_at);
CREATE INDEX inspections_state ON inspections(state, started_at);
CREATE TRIGGER inspections_frozen_update BEFORE UPDATE ON inspections
WHEN OLD.state = 'finalized'
BEGIN SELECT RAISE(ABORT, 'inspection is finalized and cannot change'); END;
CREATE TRIGGER inspections_frozen_delete BEFORE DELETE ON inspections
WHEN OLD.state = 'finalized'
BEGIN SELECT RAISE(ABORT, 'inspection is finalized and cannot change'); END;

CREATE TABLE answers (
    id TEXT PRIMARY KEY,
    inspection_id TEXT NOT NULL REFERENCES inspections(id) DEFERRABLE INITIALLY DEFERRED,
    item_id TEXT NOT NULL,
    result TEXT CHECK (result IN ('pass', 'fail', 'na', 'not_checked')),
    value TEXT,
    note TEXT,
    exceeded INTEGER,{_SYNC},
    UNIQUE (inspection_id, item_id)
);

CREATE TABLE findings (
    id TEXT PRIMARY KEY,
    inspection_id TEXT NOT NULL REFERENCES inspections(id) DEFERRABLE INITIALLY DEFERRED,
    item_id TEXT,
    description TEXT NOT NULL,
    legal_basis TEXT,
    order_text TEXT,
    deadline TEXT,
    status TEXT NOT NULL CHECK (status IN ('open', 'in_progress', 'resolved', 'cancelled')),{_SYNC}
);
CREATE INDEX findings_inspection ON findings(inspection_id);

CREATE TABLE participants (
    id TEXT PRIMARY KEY,
    inspection_id TEXT NOT NULL REFERENCES inspections(id) DEFERRABLE INITIALLY DEFERRED,
    role TEXT NOT NULL CHECK (role IN ('inspector', 'representative', 'witness')),
    name TEXT NOT NULL,
    position TEXT,
    organisation TEXT,
    phone TEXT,
    sort_order INTEGER NOT NULL DEFAULT 0,{_SYNC}
);
CREATE INDEX participants_inspection ON participants(inspection_id);

CREATE TABLE attachments (
    id TEXT PRIMARY KEY,
    inspection_id TEXT NOT NULL REFERENCES inspections(id) DEFERRABLE INITIALLY DEFERRED,
    item_id TEXT,
    kind TEXT NOT NULL CHECK (kind IN ('photo', 'signature', 'scan', 'document')),
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    mime TEXT NOT NULL,
    caption TEXT,
    taken_at TEXT,{_SYNC}
);
CREATE INDEX attachments_inspection ON attachments(inspection_id);
CREATE INDEX attachments_sha ON attachments(sha256);

CREATE TABLE signatures (
    id TEXT PRIMARY KEY,
    inspection_id TEXT NOT NULL REFERENCES inspections(id) DEFERRABLE INITIALLY DEFERRED,
    participant_id TEXT REFERENCES participants(id) DEFERRABLE INITIALLY DEFERRED,
    signer_name TEXT NOT NULL,
    signer_role TEXT NOT NULL CHECK (signer_role IN ('inspector', 'representative', 'witness')),
    signed_at TEXT NOT NULL,
    attachment_id TEXT REFERENCES attachments(id) DEFERRABLE INITIALLY DEFERRED,
    content_hash TEXT NOT NULL,
    refused INTEGER NOT NULL DEFAULT 0 CHECK (refused IN (0, 1)),
    refusal_reason TEXT,
    witness_name TEXT,{_SYNC}
);
CREATE INDEX signatures_inspection ON signatures(inspection_id);

{_CHILD_GUARD.format(table="answers")}
{_CHILD_GUARD.format(table="findings")}
{_CHILD_GUARD.format(table="participants")}
{_CHILD_GUARD.format(table="attachments")}
{_CHILD_GUARD.format(table="signatures")}

-- Every local change, in the same transaction as the change; sync pushes from here.
CREATE TABLE outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    op_id TEXT NOT NULL UNIQUE,
    table_name TEXT NOT NULL,
    row_id TEXT NOT NULL,
    op TEXT NOT NULL CHECK (op IN ('upsert', 'delete')),
    payload TEXT NOT NULL,
    hlc TEXT NOT NULL,
    created_at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'acked', 'rejected')),
    server_seq INTEGER,
    outcome TEXT,
    reason TEXT
);
CREATE INDEX outbox_status ON outbox(status, seq);

CREATE TABLE sync_state (
    key TEXT PRIMARY KEY,
    value TEXT
);
"""

# Short queries (one or two characters, below the trigram index) fall back to a prefix match
# on the name; without this index they scan every factory (~60 ms at 150,000 rows).
V2 = """
CREATE INDEX factories_name ON factories(name);
"""

# "Waiting to sync" asks, per inspection, whether any of its rows has a pending outbox entry;
# without this index each question scans every pending entry (150,000 after an import).
V3 = """
CREATE INDEX outbox_pending_row ON outbox(row_id) WHERE status = 'pending';
"""

# The frozen guards gain one way past them: a row in frozen_override, which only
# resync.take_server_rows writes, and deletes again, inside one transaction. It makes a
# laptop's copy of a record finalized on ANOTHER laptop equal to the office's (the laptop's
# own edits to it were refused by the server and stay in the outbox, visible, with the
# reason). No other writer ever sees the row: it never outlives that transaction.
_OVERRIDE = "NOT EXISTS (SELECT 1 FROM frozen_override)"
_CHILD_TABLES = ("answers", "findings", "participants", "attachments", "signatures")
_FROZEN_CHILD = "(SELECT state FROM inspections WHERE id = OLD.inspection_id) = 'finalized'"
_REFUSE = "BEGIN SELECT RAISE(ABORT, 'inspection is finalized and cannot change'); END;"
V4 = "\n".join([
    "CREATE TABLE frozen_override (id INTEGER PRIMARY KEY CHECK (id = 1));",
    *(f"DROP TRIGGER {t}_frozen_{kind};" for t in ("inspections", *_CHILD_TABLES)
      for kind in ("update", "delete")),
    *(f"CREATE TRIGGER inspections_frozen_{kind} BEFORE {kind.upper()} ON inspections "
      f"WHEN OLD.state = 'finalized' AND {_OVERRIDE} {_REFUSE}" for kind in ("update", "delete")),
    *(f"CREATE TRIGGER {t}_frozen_{kind} BEFORE {kind.upper()} ON {t} "
      f"WHEN {_FROZEN_CHILD} AND {_OVERRIDE} {_REFUSE}"
      for t in _CHILD_TABLES for kind in ("update", "delete")),
]) + "\n"

# The office's registry is authoritative: a registry file imported on a laptop is local
# (search, inspections made here), never pushed over the office's rows. ``local_only`` marks
# a factory imported here that the office has not been seen to hold; a pulled copy clears
# it, and an inspection or field edit on it takes the row along when pushed (store/reports.py).
# Existing databases: rows whose creation here the office never accepted (pending, or refused,
# and not since overwritten by a pulled copy) become local, and the import's entries leave the
# outbox, unsent and refused alike. An import entry names at least one registry column; an
# entry naming only the columns the field edits (phone, contact person, GPS) may have been
# typed by the inspector and stays, whatever wrote it.
_IMPORTED = """table_name = 'factories' AND op = 'upsert' AND status IN ('pending', 'rejected')
    AND EXISTS (SELECT 1 FROM json_each(outbox.payload)
                WHERE key NOT IN ('phone', 'contact_person', 'lat', 'lng'))"""
V5 = f"""
ALTER TABLE factories ADD COLUMN local_only INTEGER NOT NULL DEFAULT 0
    CHECK (local_only IN (0, 1));
UPDATE factories SET local_only = 1
WHERE device_id = (SELECT value FROM meta WHERE key = 'device_id')
  AND id IN (SELECT row_id FROM outbox WHERE {_IMPORTED}
             AND EXISTS (SELECT 1 FROM json_each(outbox.payload) WHERE key = 'fid'));
DELETE FROM outbox WHERE {_IMPORTED};
"""

# The office's loop (docs/office-loop.md): complaints sent to this inspector, their plan, the
# office's review of their records and the corrective orders of their provinces. The office
# writes these rows; a laptop only marks its own plans started or done. No foreign keys: an
# order may name an inspection of another inspector, which this laptop never holds.
V6 = f"""
CREATE TABLE complaints (
    id TEXT PRIMARY KEY,
    received_on TEXT NOT NULL,
    channel TEXT NOT NULL,
    factory_id TEXT,
    place_name TEXT,
    lat REAL,
    lng REAL,
    province_code TEXT,
    district TEXT,
    problem_types TEXT NOT NULL,
    description TEXT NOT NULL,
    status TEXT NOT NULL,
    due_on TEXT,
    replied_on TEXT,
    reply_text TEXT,
    assignee TEXT,
    inspection_id TEXT,{_SYNC}
);
CREATE TABLE complaint_files (
    id TEXT PRIMARY KEY,
    complaint_id TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    mime TEXT NOT NULL,
    caption TEXT,{_SYNC}
);
CREATE INDEX complaint_files_complaint ON complaint_files(complaint_id);
CREATE INDEX complaint_files_sha ON complaint_files(sha256);
CREATE TABLE plans (
    id TEXT PRIMARY KEY,
    factory_id TEXT,
    template_key TEXT NOT NULL,
    kind TEXT NOT NULL,
    planned_on TEXT NOT NULL,
    assignee TEXT NOT NULL,
    assignee_name TEXT,
    note TEXT,
    complaint_id TEXT,
    order_ids TEXT,
    status TEXT NOT NULL,
    inspection_id TEXT,{_SYNC}
);
CREATE INDEX plans_assignee ON plans(assignee, status, planned_on);
CREATE TABLE reviews (
    id TEXT PRIMARY KEY,
    inspection_id TEXT NOT NULL UNIQUE,
    state TEXT NOT NULL,
    comment TEXT,
    reviewer TEXT,
    reviewed_at TEXT,{_SYNC}
);
CREATE TABLE orders (
    id TEXT PRIMARY KEY,
    inspection_id TEXT NOT NULL,
    finding_id TEXT,
    factory_id TEXT NOT NULL,
    item_id TEXT,
    description TEXT,
    legal_basis TEXT,
    order_text TEXT NOT NULL,
    issued_on TEXT,
    deadline TEXT,
    responsible TEXT,
    status TEXT NOT NULL,
    followup_result TEXT,
    followup_inspection_id TEXT,
    followup_on TEXT,
    escalated_on TEXT,{_SYNC}
);
CREATE INDEX orders_factory ON orders(factory_id, status);
CREATE TABLE order_photos (
    id TEXT PRIMARY KEY,
    order_id TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    mime TEXT NOT NULL,
    caption TEXT,{_SYNC}
);
CREATE INDEX order_photos_order ON order_photos(order_id);
CREATE INDEX order_photos_sha ON order_photos(sha256);
"""

# A record keeps the factory's printed fields as they were when it was finalized
# (core/canonical.factory_text): a reprint after the registry changed shows what was signed.
V7 = """
ALTER TABLE inspections ADD COLUMN signed_factory TEXT;
"""

# The last copy of each row of the office's tables pulled here, with the office's seal
# (store/office_copies.py): never sent, except to give back what a restore of the office
# lost. Not a synced table: no outbox, no clock of its own.
V8 = """
CREATE TABLE office_copies (
    tbl TEXT NOT NULL,
    id TEXT NOT NULL,
    updated_hlc TEXT NOT NULL,
    sealed TEXT NOT NULL,
    PRIMARY KEY (tbl, id)
) WITHOUT ROWID;
"""

# Which sealed copies are still to be given back after a restore of the office, and in how
# many more syncs (store/office_copies.py): one the office refused for now (its complaint
# not back yet) is tried again. A copy dropped from the laptop's tables, or of a row that
# left the inspector's scope, is dropped here too, unless it is still to be given back.
V9 = """
ALTER TABLE office_copies ADD COLUMN give_back INTEGER NOT NULL DEFAULT 0;
UPDATE office_copies SET give_back = 30 WHERE tbl IN ('complaints', 'plans') AND EXISTS
    (SELECT 1 FROM sync_state WHERE key = 'give_back_office_rows' AND value IS NOT NULL);
""" + "".join(f"""
CREATE TRIGGER {table}_office_copy_gone AFTER DELETE ON {table} BEGIN
    DELETE FROM office_copies WHERE tbl = '{table}' AND id = old.id AND give_back = 0;
END;""" for table in ("complaints", "complaint_files", "plans", "reviews", "orders",
                       "order_photos"))

MIGRATIONS: list[str] = [V1, V2, V3, V4, V5, V6, V7, V8, V9]
