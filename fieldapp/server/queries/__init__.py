"""The office console's read layer: one small module per thing the console reads.

Every function takes the database and the caller (``Principal``) and applies the caller's
read scope itself (``scoping``), on SQLite and PostgreSQL alike, so that no handler writes SQL
and no page can forget a scope. Lists read the projections kept by ``RecordCache.flush()``
(server/projection.py); one record's detail reads ``records``.
"""
