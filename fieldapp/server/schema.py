"""Numbered forward migrations of the server database, for SQLite and PostgreSQL alike.

Each step is written once with ``{blob}`` and ``{bigint}`` for the two types that differ, and
runs in one transaction together with the version bump (PostgreSQL DDL is transactional; so is
SQLite's). Append only: never edit a shipped step. A database newer than this code is refused.
"""

from __future__ import annotations

from fieldapp.core.errors import SchemaTooNewError
from fieldapp.server.projection import V5_TABLES, rebuild
from fieldapp.server.storage import Conn, Database

# The console's roles (V4): SQLite cannot change a CHECK in place, so it rebuilds the table
# (foreign keys are not enforced on the server's SQLite, and the rename keeps the name the
# other tables refer to); PostgreSQL swaps the constraint.
_ROLES_SQLITE = """
CREATE TABLE users_v4 (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'supervisor', 'inspector')),
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
INSERT INTO users_v4 SELECT id, username, password_hash, role, disabled, created_at FROM users;
DROP TABLE users;
ALTER TABLE users_v4 RENAME TO users
"""
_ROLES_POSTGRESQL = """
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check
    CHECK (role IN ('admin', 'supervisor', 'inspector'))
"""

# The console's factory search (V5): the laptop's FTS5 trigram table on SQLite (it stores its
# own copy of the text, so a row leaves it by rowid), pg_trgm GIN indexes on PostgreSQL (made
# by ``_v5_filled``, which names the extension's schema: it may be installed in a schema that
# is not on this database user's search_path).
_SEARCH_SQLITE = """
CREATE VIRTUAL TABLE factory_fts USING fts5(name, operator, ids, address, tokenize='trigram')
"""
_SEARCH_POSTGRESQL = """
CREATE EXTENSION IF NOT EXISTS pg_trgm
"""
_TRIGRAM_INDEXES = (("factory_index_search", "factory_index", "search"),
                    ("factory_index_ids", "factory_index", "ids"),
                    ("inspection_index_search", "inspection_index", "search"))

TYPES = {
    "sqlite": {"blob": "BLOB", "bigint": "INTEGER", "v4_roles": _ROLES_SQLITE,
               "serial": "INTEGER PRIMARY KEY", "v5_search": _SEARCH_SQLITE, "c_text": "TEXT"},
    "postgresql": {"blob": "BYTEA", "bigint": "BIGINT", "v4_roles": _ROLES_POSTGRESQL,
                   "serial": "BIGSERIAL PRIMARY KEY", "v5_search": _SEARCH_POSTGRESQL,
                   "c_text": 'TEXT COLLATE "C"'},
}

V1 = """
CREATE TABLE server_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE counters (name TEXT PRIMARY KEY, value {bigint} NOT NULL);
INSERT INTO counters (name, value) VALUES ('change_seq', 0);

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'inspector')),
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
CREATE TABLE user_provinces (
    user_id TEXT NOT NULL REFERENCES users(id),
    province_code TEXT NOT NULL,
    PRIMARY KEY (user_id, province_code)
);
CREATE TABLE devices (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    device_id TEXT NOT NULL,
    name TEXT,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    last_seen TEXT,
    revoked INTEGER NOT NULL DEFAULT 0
);

-- One synced row, whatever its table: the merged content as JSON, and per field the clock,
-- device and change sequence of its last write (the per-field last-writer-wins state).
-- seq is the change sequence of the row's latest change: pull pages walk it upwards.
CREATE TABLE records (
    tbl TEXT NOT NULL,
    id TEXT NOT NULL,
    province TEXT,
    owner TEXT,
    parent_id TEXT,
    blob_sha TEXT,
    frozen INTEGER NOT NULL DEFAULT 0,
    data TEXT NOT NULL,
    fields TEXT NOT NULL,
    updated_hlc TEXT NOT NULL,
    device_id TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0,
    seq {bigint} NOT NULL,
    PRIMARY KEY (tbl, id)
);
CREATE UNIQUE INDEX records_seq ON records (seq);
CREATE INDEX records_parent ON records (parent_id);
CREATE INDEX records_blob ON records (blob_sha);
CREATE INDEX records_scope ON records (province, owner);

-- Every operation id ever applied, with the answer given, so a replay gets the same answer.
CREATE TABLE ops (
    op_id TEXT PRIMARY KEY,
    device_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    outcome TEXT NOT NULL,
    reason TEXT,
    seq {bigint},
    received_at TEXT NOT NULL
);

CREATE TABLE conflicts (
    id TEXT PRIMARY KEY,
    tbl TEXT NOT NULL,
    row_id TEXT NOT NULL,
    field TEXT NOT NULL,
    kept_value TEXT,
    kept_hlc TEXT,
    kept_device TEXT,
    lost_value TEXT,
    lost_hlc TEXT,
    lost_device TEXT,
    recorded_at TEXT NOT NULL
);
CREATE INDEX conflicts_row ON conflicts (tbl, row_id);

-- Attachment bytes, content-addressed: an upload in progress keeps its chunks and offset.
CREATE TABLE uploads (
    sha256 TEXT PRIMARY KEY,
    size {bigint} NOT NULL,
    received {bigint} NOT NULL DEFAULT 0,
    complete INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
CREATE TABLE blob_chunks (
    sha256 TEXT NOT NULL,
    pos {bigint} NOT NULL,
    data {blob} NOT NULL,
    PRIMARY KEY (sha256, pos)
);
"""

# Hardening (one laptop must not harm the others): device tokens expire unless a sync renews
# them, and the server remembers which user sent which attachment bytes, so that an
# attachment row can only name bytes its author uploaded (or may already read), quotas can be
# counted and unfinished or unreferenced uploads can be cleaned up.
V2 = """
ALTER TABLE devices ADD COLUMN expires_at TEXT;
CREATE TABLE upload_owners (
    sha256 TEXT NOT NULL,
    user_id TEXT NOT NULL,
    bytes {bigint} NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    PRIMARY KEY (sha256, user_id)
);
CREATE INDEX upload_owners_user ON upload_owners (user_id);
"""

# Factories reported from the field: a laptop's inspection (or field edit) named a factory
# the office's registry lacked, and the row came along (server/push.py ``_scope``). The row
# itself is an ordinary record; this marks it for an administrator to accept
# (``fieldapp-server factories reported`` / ``accept``).
V3 = """
CREATE TABLE field_reports (
    factory_id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    device_id TEXT NOT NULL,
    reported_at TEXT NOT NULL,
    accepted_at TEXT,
    accepted_by TEXT
);
"""

# The office console: the supervisor role, browser sessions kept on the server (so an
# administrator can end them), and the audit log the PDPA expects of a data controller:
# every sign-in, every change made in the console and every view of personal data.
V4 = """
{v4_roles};
CREATE TABLE web_sessions (
    id TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    user_id TEXT NOT NULL,
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    address TEXT,
    user_agent TEXT,
    ended_at TEXT,
    ended_by TEXT
);
CREATE INDEX web_sessions_user ON web_sessions (user_id);
CREATE TABLE audit_log (
    id TEXT PRIMARY KEY,
    at TEXT NOT NULL,
    user_id TEXT,
    username TEXT,
    action TEXT NOT NULL,
    target TEXT,
    detail TEXT,
    address TEXT
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_user ON audit_log (username, at);
CREATE INDEX audit_log_action ON audit_log (action, at)
"""

# The console's read side: projections of synced rows kept by RecordCache.flush() in the
# transaction that writes them (server/projection.py; filled for existing rows right after
# this step, in its transaction: ``AFTER_STEP``), so that lists, filters and search over
# national data are index lookups rather than JSON scans of ``records``. Conflicts gain their
# review, devices the app version they last reported, and ``ops`` the row each operation
# changed (the sync history of a record; older operations stay without it).
V5 = """
CREATE TABLE factory_index (
    num {serial},
    id TEXT NOT NULL UNIQUE,
    fid TEXT,
    facreg TEXT,
    name TEXT,
    operator TEXT,
    province TEXT,
    district TEXT,
    factory_class INTEGER,
    status INTEGER,
    deleted INTEGER NOT NULL DEFAULT 0,
    ids TEXT NOT NULL,
    address TEXT NOT NULL,
    search TEXT NOT NULL
);
CREATE INDEX factory_index_fid ON factory_index (fid);
CREATE INDEX factory_index_place ON factory_index (province, district, name);
CREATE INDEX factory_index_name ON factory_index (name);
CREATE TABLE inspection_index (
    id TEXT PRIMARY KEY,
    factory_id TEXT,
    province TEXT,
    district TEXT,
    factory_name TEXT,
    fid TEXT,
    record_no TEXT,
    record_key TEXT,
    owner TEXT,
    created_by TEXT,
    state TEXT,
    kind TEXT,
    template_version_id TEXT,
    template_key TEXT,
    template_version INTEGER,
    started_at TEXT,
    finalized_at TEXT,
    amends_id TEXT,
    deleted INTEGER NOT NULL DEFAULT 0,
    seq {bigint} NOT NULL DEFAULT 0,
    search TEXT NOT NULL DEFAULT ''
);
CREATE INDEX inspection_index_started ON inspection_index (started_at, id);
CREATE INDEX inspection_index_place ON inspection_index (province, district, started_at);
CREATE INDEX inspection_index_owner ON inspection_index (owner, started_at);
CREATE INDEX inspection_index_state ON inspection_index (state, kind, started_at);
CREATE INDEX inspection_index_template ON inspection_index (template_key, started_at);
CREATE INDEX inspection_index_factory ON inspection_index (factory_id, started_at);
CREATE INDEX inspection_index_fid ON inspection_index (fid);
CREATE INDEX inspection_index_record ON inspection_index (record_key);
CREATE INDEX inspection_index_finalized ON inspection_index (finalized_at);
CREATE INDEX inspection_index_amends ON inspection_index (amends_id);
{v5_search};
ALTER TABLE conflicts ADD COLUMN resolved_at TEXT;
ALTER TABLE conflicts ADD COLUMN resolved_by TEXT;
ALTER TABLE conflicts ADD COLUMN choice TEXT;
CREATE INDEX conflicts_open ON conflicts (resolved_at, recorded_at);
ALTER TABLE devices ADD COLUMN app_version TEXT;
ALTER TABLE ops ADD COLUMN tbl TEXT;
ALTER TABLE ops ADD COLUMN row_id TEXT;
CREATE INDEX ops_row ON ops (tbl, row_id);
CREATE TABLE finding_index (
    id TEXT PRIMARY KEY,
    inspection_id TEXT,
    province TEXT,
    owner TEXT,
    status TEXT,
    deadline TEXT,
    deleted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX finding_index_open ON finding_index (status, deadline);
CREATE INDEX finding_index_inspection ON finding_index (inspection_id)
"""

# The dashboard's most overdue orders across a whole country: orders in force, earliest
# deadline first, read from an index in deadline order rather than by sorting every open
# order (150 ms to 10 ms on 70,000 open orders).
V6 = """
CREATE INDEX finding_index_in_force ON finding_index (deadline, id)
    WHERE deleted = 0 AND status IN ('open', 'in_progress')
"""

# The office's loop (docs/office-loop.md). Complaints, plans, reviews and orders are synced
# rows in ``records``; these tables stay on the server: who complained (personal data, never
# sent to a laptop nor printed), each order's history, and the office's own settings
# (periods, letter wording). The office's lists read rows of one table in some provinces.
V7 = """
CREATE TABLE complainants (
    complaint_id TEXT PRIMARY KEY,
    name TEXT,
    contact TEXT,
    recorded_by TEXT,
    recorded_at TEXT NOT NULL
);
CREATE TABLE order_history (
    id TEXT PRIMARY KEY,
    order_id TEXT NOT NULL,
    status TEXT,
    note TEXT,
    inspection_id TEXT,
    by_user TEXT,
    at TEXT NOT NULL
);
CREATE INDEX order_history_order ON order_history (order_id, at);
CREATE TABLE office_settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_by TEXT,
    updated_at TEXT NOT NULL
);
CREATE INDEX records_table_scope ON records (tbl, province)
"""

# Fewer indexes to keep up on every pushed row (a bulk push inserts a hundred thousand):
# only attachment rows name bytes, so the index of names holds only them (every query on
# it asks for a name, which implies one); and (province, owner) is read by no query, the
# scope's reads go by change sequence or by (tbl, province).
V8 = """
DROP INDEX records_scope;
DROP INDEX records_blob;
CREATE INDEX records_blob ON records (blob_sha) WHERE blob_sha IS NOT NULL
"""

# An inspector's pull finds their own rows, and the province-wide ones, in change sequence
# order by index (scope.visible_parts), instead of walking every change after their cursor
# past the rows of every other inspector of the province. The (tbl, province) index becomes
# (province, tbl, seq), which the province-wide part of a pull reads by change sequence and
# the snapshot's "one table's rows of a province" still reads by its first two columns.
# Rows without an owner (the registry, templates) stay out of the owner index.
V9 = """
DROP INDEX records_table_scope;
CREATE INDEX records_province ON records (province, tbl, seq);
CREATE INDEX records_owner ON records (owner, seq) WHERE owner IS NOT NULL
"""

# Rows that left an inspector's scope: a complaint or plan re-assigned to another inspector
# (or to no one), with the files that follow it. Each is noted for the inspector who held it,
# at the change sequence of the change that moved it; their pull sends it as a tombstone
# (server/pull.py), so their laptop stops listing work that is no longer theirs.
V10 = """
CREATE TABLE scope_exits (
    owner TEXT NOT NULL,
    seq {bigint} NOT NULL,
    tbl TEXT NOT NULL,
    row_id TEXT NOT NULL,
    updated_hlc TEXT NOT NULL,
    device_id TEXT NOT NULL
);
CREATE INDEX scope_exits_owner ON scope_exits (owner, seq)
"""

# The corrective orders list reads one page of a ministry's orders, filtered, counted and
# sorted by the database (queries/orders.py), instead of decoding every order's JSON on every
# view. One row per order with what the list filters and sorts on; the factory's name and
# district follow the factory as they do in inspection_index. Text compares and sorts by code
# point on both engines (C collation on PostgreSQL, whatever the database's), as the list
# always sorted, and as the indexes must to serve the comparisons.
V11 = """
CREATE TABLE order_index (
    id {c_text} PRIMARY KEY,
    province {c_text},
    owner {c_text},
    factory_id {c_text},
    inspection_id {c_text},
    status {c_text},
    deadline {c_text},
    factory_name {c_text},
    district {c_text},
    deleted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX order_index_place ON order_index (province, district);
CREATE INDEX order_index_deadline ON order_index (province, deadline);
CREATE INDEX order_index_status ON order_index (status, deadline);
CREATE INDEX order_index_factory ON order_index (factory_id, deadline);
CREATE INDEX order_index_owner ON order_index (owner, deadline)
"""

# The orders list's filter lists walk the districts and the owners of the caller's live
# orders province by province, one index probe per value (queries/orders.py). Partial: a
# probe's first entry is a live order, so it never reads the table to skip a deleted one
# (PostgreSQL, without statistics on a newly filled table, sorted every order of the
# province for each probe rather than risk that). Of a province: a query that names none
# (an administrator's list) cannot take them for a scan, which SQLite did, ten times
# slower than reading the table.
V12 = """
CREATE INDEX order_index_live_districts ON order_index (province, district)
    WHERE deleted = 0 AND province IS NOT NULL;
CREATE INDEX order_index_live_owners ON order_index (province, owner)
    WHERE deleted = 0 AND province IS NOT NULL
"""

MIGRATIONS = [V1, V2, V3, V4, V5, V6, V7, V8, V9, V10, V11, V12]
SCHEMA_VERSION = len(MIGRATIONS)


def _v5_filled(c: Conn) -> None:
    """V5: fill the projections from the rows held, then (PostgreSQL) index their text
    with pg_trgm (one bulk build after the fill rather than row by row)."""
    rebuild(c, V5_TABLES)
    if c.dialect != "postgresql":
        return
    home = c.value("SELECT n.nspname FROM pg_extension e JOIN pg_namespace n "
                   "ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'")
    for name, table, column in _TRIGRAM_INDEXES:
        c.run(f'CREATE INDEX {name} ON {table} USING gin ({column} "{home}".gin_trgm_ops)')


# Python run after a step's SQL, in the same transaction (so exactly once): filling what
# that step created from the rows already held.
AFTER_STEP = {5: _v5_filled, 11: lambda c: rebuild(c, ("orders",))}


def _statements(script: str) -> list[str]:
    """The statements of a script (no semicolons inside statements here), comments dropped."""
    out = []
    for chunk in script.split(";"):
        lines = [ln for ln in chunk.splitlines() if not ln.strip().startswith("--")]
        text = "\n".join(lines).strip()
        if text:
            out.append(text)
    return out


def current_version(db: Database) -> int:
    with db.write() as c:
        if db.dialect == "sqlite":
            exists = c.value("SELECT count(*) FROM sqlite_master WHERE name = 'server_meta'")
        else:
            exists = c.value("SELECT count(*) FROM information_schema.tables "
                             "WHERE table_schema = current_schema() "
                             "AND table_name = 'server_meta'")
        if not exists:
            return 0
        return int(c.value("SELECT value FROM server_meta WHERE key = 'schema_version'") or 0)


def migrate(db: Database) -> int:
    """Bring the server schema up to date, one transaction per step."""
    version = current_version(db)
    if version > SCHEMA_VERSION:
        raise SchemaTooNewError(
            f"the server database has schema {version}; this fieldapp-server knows up to "
            f"{SCHEMA_VERSION} — install the newer server; nothing was changed")
    for number in range(version + 1, SCHEMA_VERSION + 1):
        script = MIGRATIONS[number - 1].format(**TYPES[db.dialect])
        with db.write() as c:
            for statement in _statements(script):
                c.run(statement)
            if number in AFTER_STEP:
                AFTER_STEP[number](c)
            c.run("DELETE FROM server_meta WHERE key = 'schema_version'")
            c.run("INSERT INTO server_meta (key, value) VALUES ('schema_version', ?)",
                  (str(number),))
    return SCHEMA_VERSION
