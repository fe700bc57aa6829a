"""The sync protocol: versions, message shapes and error codes shared by client and server.

Both sides import this module and nothing else from each other, so a field renamed here is
renamed everywhere. It must never import the store, the server or the network.
"""

from __future__ import annotations

from fieldapp import __version__
from fieldapp.core import office_words

PROTOCOL_VERSION = 1
"""Bumped when a message changes shape; the server refuses clients with another version."""

SCHEMA_VERSION = 2
"""The data-model version of the rows on the wire (local migrations may add local-only
columns without bumping it). The server accepts clients in [MIN_SCHEMA, SCHEMA_VERSION].
2: an inspection keeps ``signed_factory`` (a server of 1 would refuse the field, so it
refuses a client of 2 before anything is sent). A client of 1 is refused too: it would
hash a record that keeps its factory without it, and call a genuine paper modified."""

MIN_SCHEMA_VERSION = 2

# Headers every request carries.
H_PROTOCOL = "X-FieldApp-Protocol"
H_SCHEMA = "X-FieldApp-Schema"
H_DEVICE = "X-FieldApp-Device"
# The sender's wall clock (ms since 1970): a laptop sends it with each request, the office
# with each answer. A push from a laptop far ahead of the office is refused (E_CLOCK_AHEAD).
H_TIME = "X-FieldApp-Time"
# The FieldApp version of the sending laptop, which the office shows beside each laptop.
H_APP = "X-FieldApp-App"

# Syncable tables, parents before children (the order a snapshot or a page is applied in
# when foreign keys are checked immediately).
TABLES = ("factories", "template_versions", "inspections", "answers", "findings",
          "participants", "attachments", "signatures",
          # The office's loop around inspections (docs/office-loop.md): written by the office
          # (a laptop only marks its own plans started or done), read by laptops in scope.
          "complaints", "complaint_files", "plans", "reviews", "orders", "order_photos")
# The rows under an inspection, frozen with it when it is finalized.
CHILD_TABLES = ("answers", "findings", "participants", "attachments", "signatures")
# The office's tables: no laptop creates their rows (docs/office-loop.md).
OFFICE_TABLES = ("complaints", "complaint_files", "plans", "reviews", "orders", "order_photos")

# Columns that point at other syncable rows: (column, table). A page includes the rows these
# point at when the client cannot have them yet, so a page never leaves a dangling reference.
REFERENCES: dict[str, tuple[tuple[str, str], ...]] = {
    "inspections": (("factory_id", "factories"), ("template_version_id", "template_versions"),
                    ("amends_id", "inspections")),
    "answers": (("inspection_id", "inspections"),),
    "findings": (("inspection_id", "inspections"),),
    "participants": (("inspection_id", "inspections"),),
    "attachments": (("inspection_id", "inspections"),),
    "signatures": (("inspection_id", "inspections"), ("participant_id", "participants"),
                   ("attachment_id", "attachments")),
    # An order's inspection may be another inspector's, which this laptop cannot read: the
    # order names it (and its finding) without a reference a page must carry.
    "complaints": (("factory_id", "factories"),),
    "complaint_files": (("complaint_id", "complaints"),),
    "plans": (("factory_id", "factories"), ("complaint_id", "complaints")),
    "reviews": (("inspection_id", "inspections"),),
    "orders": (("factory_id", "factories"),),
    "order_photos": (("order_id", "orders"),),
}

# Columns that name a row (the server looks rows up by them): text or null, never a number
# (PostgreSQL refuses to compare text with one).
NAMING: dict[str, frozenset[str]] = {
    t: frozenset(c for c, _ in REFERENCES.get(t, ())) | {"sha256"} for t in TABLES}
NAMING["orders"] |= {"inspection_id", "finding_id", "followup_inspection_id"}
NAMING["plans"] |= {"inspection_id", "assignee"}
NAMING["complaints"] |= {"assignee", "inspection_id"}

# Columns that are bookkeeping, not content: never merged field by field.
META_COLUMNS = ("id", "updated_hlc", "device_id", "deleted")

# The streamed first-sync snapshot: a client that sends ``Accept: SNAPSHOT_LINES`` on
# GET /v1/snapshot gets gzip-compressed JSON lines instead of one document, so it can apply
# rows while the rest is still arriving. Lines, in order:
#   {"protocol": 1, "cursor": n, "scope": "...", "rows": total}     first, once
#   {"table": "factories", "columns": ["id", ...]}                  before that table's rows
#   ["id value", ...]                                               one row, in columns order
#   {"end": total}                                                  last: the stream is whole
# Without the last line the stream was cut short, and the client keeps none of it.
SNAPSHOT_LINES = "application/x-ndjson"

# Limits (the server enforces them; the client sizes its batches by them).
MAX_PUSH_OPS = 10000
MAX_BODY_BYTES = 32 * 1024 * 1024
MAX_CHUNK_BYTES = 8 * 1024 * 1024
# Several whole small attachments in one request (POST /v1/attachments/batch): their bytes
# one after another, named and sized in this header as "sha256:size,sha256:size,...".
H_UPLOAD_PARTS = "Upload-Parts"
MAX_BATCH_PARTS = 64
PAGE_SIZE = 1000
# Ranges of its own rows a laptop may name in one pull (``own``: server/pull.py).
MAX_OWN_RANGES = 64

# Outcomes of one pushed operation.
APPLIED = "applied"        # merged into the server row
DUPLICATE = "duplicate"    # this op id was applied before: nothing changed (idempotent replay)
REJECTED = "rejected"      # refused, with a reason; the client keeps it visible
# How the reason of a change refused because the server lacks its row begins (then the table,
# " row ", the id; server/push.py). A laptop waits instead while it still has that row of the
# office's to give back after a restore (store/office_copies.py ``awaiting_give_back``).
NO_ROW = "the server has no "

# Stable error codes (the JSON body is {"error": {"code": ..., "message": ...}}).
E_BAD_REQUEST = "bad_request"
E_UPDATE_REQUIRED = "update_required"
E_UNAUTHORIZED = "unauthorized"
E_FORBIDDEN = "forbidden"
E_NOT_FOUND = "not_found"
E_TOO_LARGE = "too_large"
E_RATE_LIMITED = "rate_limited"
E_CONFLICT = "conflict"
E_HASH_MISMATCH = "hash_mismatch"
E_METHOD = "method_not_allowed"
E_INTERNAL = "internal"
E_CLOCK_AHEAD = "clock_ahead"  # the laptop's clock is far ahead of the office's: set it

# Content columns of each table on the wire (no local-only columns such as factories.num).
# The client writes only these names into SQL, so a server cannot inject a column name.
COLUMNS: dict[str, tuple[str, ...]] = {
    "factories": ("fid", "facreg", "facreg_key", "name", "operator", "business",
                  "factory_type", "factory_class", "address", "moo", "soi", "road",
                  "subdistrict", "district", "province", "province_code", "capital", "workers",
                  "horsepower", "lat", "lng", "isic", "estate", "status", "registry_updated",
                  "phone", "contact_person"),
    "template_versions": ("template_key", "version", "status", "title", "body",
                          "content_hash", "published_at"),
    "inspections": ("factory_id", "template_version_id", "kind", "state", "started_at",
                    "purpose", "amends_id", "record_no", "created_by", "content_hash",
                    "finalized_at", "signed_factory"),
    "answers": ("inspection_id", "item_id", "result", "value", "note", "exceeded"),
    "findings": ("inspection_id", "item_id", "description", "legal_basis", "order_text",
                 "deadline", "status"),
    "participants": ("inspection_id", "role", "name", "position", "organisation", "phone",
                     "sort_order"),
    "attachments": ("inspection_id", "item_id", "kind", "sha256", "size", "mime", "caption",
                    "taken_at"),
    "signatures": ("inspection_id", "participant_id", "signer_name", "signer_role",
                   "signed_at", "attachment_id", "content_hash", "refused", "refusal_reason",
                   "witness_name"),
    # Complaints carry no personal data: the complainant stays on the server (complainants).
    "complaints": ("received_on", "channel", "factory_id", "place_name", "lat", "lng",
                   "province_code", "district", "problem_types", "description", "status",
                   "due_on", "replied_on", "reply_text", "assignee", "inspection_id"),
    "complaint_files": ("complaint_id", "sha256", "size", "mime", "caption"),
    "plans": ("factory_id", "template_key", "kind", "planned_on", "assignee", "assignee_name",
              "note", "complaint_id", "order_ids", "status", "inspection_id"),
    "reviews": ("inspection_id", "state", "comment", "reviewer", "reviewed_at"),
    "orders": ("inspection_id", "finding_id", "factory_id", "item_id", "description",
               "legal_basis", "order_text", "issued_on", "deadline", "responsible", "status",
               "followup_result", "followup_inspection_id", "followup_on", "escalated_on"),
    "order_photos": ("order_id", "sha256", "size", "mime", "caption"),
}

# Values of the office's tables (the server refuses others; laptops show them by name).
COMPLAINT_CHANNELS = ("public", "network", "line", "gate_qr", "damrongdham", "letter",
                      "phone", "walk_in", "other")
PROBLEM_TYPES = ("odour", "noise", "dust", "wastewater", "waste", "fumes", "other")
COMPLAINT_STATES = ("received", "assigned", "replied", "closed")
PLAN_KINDS = ("routine", "complaint", "follow_up")
PLAN_STATES = ("planned", "started", "done", "cancelled")
REVIEW_STATES = ("approved", "returned", "reopened")   # no row: received, awaiting review
ORDER_STATES = ("open", "reported_done", "verified", "escalated", "cancelled")
# A follow-up's result per order: an answer "order:<id>" (core/office_words.py, which the
# store reads too).
FOLLOWUP_RESULTS = office_words.FOLLOWUP_RESULTS
ORDER_ITEM_PREFIX = office_words.ORDER_ITEM_PREFIX

# Fields a row must have when the server first hears of it (NOT NULL locally).
REQUIRED: dict[str, tuple[str, ...]] = {
    "factories": ("fid", "name"),
    "template_versions": ("template_key", "version", "status", "title", "body",
                          "content_hash"),
    "inspections": ("factory_id", "template_version_id", "kind", "state", "started_at"),
    "answers": ("inspection_id", "item_id"),
    "findings": ("inspection_id", "description", "status"),
    "participants": ("inspection_id", "role", "name"),
    "attachments": ("inspection_id", "kind", "sha256", "size", "mime"),
    "signatures": ("inspection_id", "signer_name", "signer_role", "signed_at",
                   "content_hash"),
    "complaints": ("received_on", "channel", "problem_types", "description", "status"),
    "complaint_files": ("complaint_id", "sha256", "size", "mime"),
    "plans": ("template_key", "kind", "planned_on", "assignee", "status"),
    "reviews": ("inspection_id", "state"),
    "orders": ("inspection_id", "factory_id", "order_text", "status"),
    "order_photos": ("order_id", "sha256", "size", "mime"),
}

# The values a field may hold, as the laptop's schema checks them (store/migrations.py;
# tests/sync/test_sync_choices.py keeps the two equal). The office refuses any other: a
# laptop that pulled such a row could not store it, nor the rows under it.
CHOICES: dict[str, dict[str, frozenset]] = {
    "template_versions": {"status": frozenset({"draft", "published", "retired"})},
    "inspections": {"kind": frozenset({"routine", "complaint", "follow_up"}),
                    "state": frozenset({"draft", "finalized"})},
    "answers": {"result": frozenset({"pass", "fail", "na", "not_checked"})},
    "findings": {"status": frozenset({"open", "in_progress", "resolved", "cancelled"})},
    "participants": {"role": frozenset({"inspector", "representative", "witness"})},
    "attachments": {"kind": frozenset({"photo", "signature", "scan", "document"})},
    "signatures": {"signer_role": frozenset({"inspector", "representative", "witness"}),
                   "refused": frozenset({0, 1})},
}

# Fields that never change once a row exists (a child cannot move to another inspection).
FIXED: dict[str, tuple[str, ...]] = {
    "answers": ("inspection_id", "item_id"),
    "findings": ("inspection_id",),
    "participants": ("inspection_id",),
    "attachments": ("inspection_id", "sha256"),
    "signatures": ("inspection_id",),
    "inspections": ("factory_id",),
    "complaint_files": ("complaint_id", "sha256"),
    "reviews": ("inspection_id",),
    "orders": ("inspection_id", "finding_id", "factory_id"),
    "order_photos": ("order_id", "sha256"),
}


def exact_seqs(acks: list[dict]) -> list[int]:
    """The change numbers of rows a push created exactly as the laptop holds them (answered
    ``exact``, server/push.py): what the laptop names in a pull's ``own`` (the office, for
    the page it answers a push with, names them itself)."""
    return [a["seq"] for a in acks if a.get("exact") is True and a.get("outcome") == APPLIED
            and type(a.get("seq")) is int]


def version_headers() -> dict[str, str]:
    """The headers that tell the server which protocol and schema this client speaks."""
    return {H_PROTOCOL: str(PROTOCOL_VERSION), H_SCHEMA: str(SCHEMA_VERSION),
            H_APP: __version__}
