"""The OpenAPI 3.1 description of the sync API, served at /v1/openapi.json.

Written by hand next to the routes (the API is small); tests fuzz the app against it.
"""

from __future__ import annotations

from fieldapp import __version__
from fieldapp.sync import protocol as P

_ERROR = {"description": "error", "content": {"application/json": {"schema": {
    "$ref": "#/components/schemas/Error"}}}}


def _required(name: str, where: str, schema: dict) -> dict:
    """A parameter the request must carry: ``where`` is "header" or "path"."""
    return {"name": name, "in": where, "required": True, "schema": schema}


_INTEGER, _TEXT = {"type": "integer"}, {"type": "string"}
_VERSIONS = [_required(P.H_PROTOCOL, "header", _INTEGER),
             _required(P.H_SCHEMA, "header", _INTEGER)]
_SHA = _required("sha256", "path", {"type": "string", "pattern": "^[0-9a-f]{64}$"})
# Attachment bytes as they are (one chunk, or a batch's parts one after another).
_BINARY_BODY = {"required": True, "content": {"application/octet-stream": {"schema": {
    "type": "string", "format": "binary"}}}}


def _json(schema: dict) -> dict:
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def _ok(schema: dict | None = None, media: str = "application/json") -> dict:
    body = {"description": "ok"}
    if schema is not None:
        body["content"] = {media: {"schema": schema}}
    return {"200": body, "4XX": _ERROR}


def openapi_document() -> dict:
    op = {"type": "object", "required": ["op_id", "table", "row_id", "op", "payload", "hlc"],
          "properties": {"op_id": {"type": "string"}, "table": {"enum": list(P.TABLES)},
                         "row_id": {"type": "string"}, "op": {"enum": ["upsert", "delete"]},
                         "payload": {"type": "object"}, "hlc": {"type": "string"},
                         # a finalize may carry the record as signed: [{"t", "row"}]
                         "signed": {"type": "array", "items": {"type": "object"}},
                         # create the row only if the office lacks it (store/recreations.py)
                         "if_absent": {"type": "boolean"},
                         # an office row the office sealed, given back after a restore
                         # (server/sealed_copies.py): {row, mac, [clocks]}
                         "sealed": {"type": "object", "required": ["row", "mac"],
                                    "properties": {"row": {"type": "object"},
                                                   "mac": {"type": "string"},
                                                   "clocks": {"type": "object"}}}}}
    secured = [{"bearer": []}]
    return {
        "openapi": "3.1.0",
        "info": {"title": "FieldApp office sync API", "version": __version__,
                 "description": "Offline-first sync of inspections (docs/sync-protocol.md)."},
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {"Error": {"type": "object", "required": ["error"], "properties": {
                "error": {"type": "object", "required": ["code", "message"], "properties": {
                    "code": {"type": "string"}, "message": {"type": "string"}}}}}},
        },
        "paths": {
            "/v1/health": {"get": {
                "summary": "versions, and whether a worker thread and a database round trip "
                           "answer within 2 s and writes are not stuck (else 503 with a "
                           "reason)",
                "responses": {**_ok({"type": "object"}), "503": {
                    "description": "unavailable: {status, reason}", "content": {
                        "application/json": {"schema": {"type": "object"}}}}}}},
            "/v1/login": {"post": {
                "summary": "password login; returns a device token",
                "parameters": _VERSIONS,
                "requestBody": _json({"type": "object",
                                      "required": ["username", "password", "device_id"],
                                      "properties": {"username": {"type": "string"},
                                                     "password": {"type": "string"},
                                                     "device_id": {"type": "string"},
                                                     "device_name": {"type": "string"}}}),
                "responses": _ok({"type": "object"})}},
            "/v1/push": {"post": {
                "summary": "apply an outbox batch idempotently; one ack per op; with pull, "
                           "also the first pull page after it (page, null if none)",
                "security": secured, "parameters": _VERSIONS,
                "requestBody": _json({"type": "object", "required": ["ops"], "properties": {
                    "cursor": {"type": "integer", "minimum": 0},
                    "epoch": {"type": "string", "minLength": 1, "maxLength": 200},
                    "ops": {"type": "array", "maxItems": P.MAX_PUSH_OPS, "items": op},
                    "pull": {"type": "object", "properties": {
                        "limit": {"type": "integer", "minimum": 1},
                        "known": {"type": "string", "minLength": 1, "maxLength": 200},
                        "own": {"type": "string"}, "rescope": {"type": "boolean"}}}}}),
                "responses": _ok({"type": "object"})}},
            "/v1/pull": {"get": {
                "summary": "changes after a cursor, one page",
                "security": secured,
                "parameters": [*_VERSIONS,
                               {"name": "cursor", "in": "query",
                                "schema": {"type": "integer", "minimum": 0}},
                               {"name": "limit", "in": "query",
                                "schema": {"type": "integer", "minimum": 1,
                                           "maximum": 5 * P.PAGE_SIZE}},
                               # answered as "known": whether the server holds this
                               # operation of the caller (false: restored from a backup)
                               {"name": "known", "in": "query",
                                "schema": {"type": "string", "minLength": 1,
                                           "maxLength": 200}},
                               # the epoch the caller's cursor belongs to
                               {"name": "epoch", "in": "query",
                                "schema": {"type": "string", "minLength": 1,
                                           "maxLength": 200}},
                               # 1: the caller takes a new snapshot when told "rescope"
                               {"name": "rescope", "in": "query",
                                "schema": {"type": "string", "enum": ["1"]}},
                               # change-number ranges "low-high,..." of the caller's own
                               # rows answered "exact": not sent again (server/pull.py)
                               {"name": "own", "in": "query",
                                "schema": {"type": "string", "pattern":
                                           r"^[0-9]+-[0-9]+(,[0-9]+-[0-9]+)*$"}}],
                "responses": _ok({"type": "object"})}},
            "/v1/snapshot": {"get": {
                "summary": "gzip JSON of everything visible, with the cursor to pull from; "
                           "with Accept: application/x-ndjson, streamed gzip JSON lines "
                           "(docs/sync-protocol.md)",
                "security": secured, "parameters": _VERSIONS,
                "responses": _ok({"type": "object"})}},
            "/v1/attachments/missing": {"post": {
                "summary": "which attachment hashes the caller must still send (not uploaded "
                           "by them in full nor readable by them), with their resume offsets",
                "security": secured, "parameters": _VERSIONS,
                "requestBody": _json({"type": "object", "required": ["hashes"], "properties": {
                    "hashes": {"type": "array", "items": {
                        "type": "string", "pattern": "^[0-9a-f]{64}$"}}}}),
                "responses": _ok({"type": "object"})}},
            "/v1/attachments/batch": {"post": {
                "summary": "several whole attachments, their bytes one after another, named "
                           "and sized in Upload-Parts (sha256:size,...); one answer per part",
                "security": secured,
                "parameters": [*_VERSIONS, _required("Upload-Parts", "header", _TEXT)],
                "requestBody": _BINARY_BODY,
                "responses": _ok({"type": "object"})}},
            "/v1/attachments/{sha256}": {
                "put": {"summary": "upload one chunk at Upload-Offset (the caller's own offset; "
                                   "bytes already held are compared, not stored again)",
                        "security": secured,
                        "parameters": [*_VERSIONS, _SHA,
                                       _required("Upload-Offset", "header", _INTEGER),
                                       _required("Upload-Length", "header", _INTEGER)],
                        "requestBody": _BINARY_BODY,
                        "responses": _ok({"type": "object"})},
                "get": {"summary": "download a complete attachment",
                        "security": secured, "parameters": [*_VERSIONS, _SHA],
                        "responses": _ok({"type": "string", "format": "binary"},
                                         "application/octet-stream")}},
            "/v1/records/{record_id}/verification": {"get": {
                "summary": "content hash (recomputed from stored rows) and newest version of a "
                           "printed record, for checking a paper copy",
                "security": secured,
                "parameters": [*_VERSIONS, _required("record_id", "path", _TEXT)],
                "responses": _ok({"type": "object", "properties": {
                    "content_hash": {"type": ["string", "null"]},
                    "version": {"type": "integer"}, "state": {"type": "string"}}})}},
        },
    }
