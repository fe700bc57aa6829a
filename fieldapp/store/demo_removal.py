"""Demo data that is marked as demo and removed in one safe step.

Demo data is only ever loaded into an otherwise empty database (``load_marked_demo``), and
the database's ``meta`` table then records it: key ``demo_data`` (when it was loaded) and
``demo_inspections`` (the ids of the inspections the demo made). Everything else in that
database is then either demo or the shipped templates.

Removing it (``remove_demo``) never deletes anything: with the store closed, the database,
its WAL files and its attachments folder are moved aside into ``demo-removed-<time>/``
beside the database, and the caller opens a fresh, empty database at the same path. It
refuses while any inspection exists that the demo did not make (real work typed into a
demo database), so a person's own records are never moved out of sight.

No Qt here; the GUI calls these from a worker or with its stores closed.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from fieldapp.core.errors import FieldAppError
from fieldapp.store.db import Store, checkpoint, open_store
from fieldapp.store.paths import blob_folder

DEMO_KEY = "demo_data"
DEMO_INSPECTIONS_KEY = "demo_inspections"


class DemoRemovalRefused(FieldAppError):
    """The database holds work that is not demo; nothing was moved."""


def is_demo(store: Store) -> bool:
    """Whether this database holds demo data loaded by ``load_marked_demo``."""
    return bool(store.meta(DEMO_KEY))


def database_is_empty(store: Store) -> bool:
    """No factory and no inspection yet (templates do not count: every start installs
    them)."""
    row = store.query("SELECT (SELECT count(*) FROM factories) AS f, "
                      "(SELECT count(*) FROM inspections) AS i")[0]
    return row["f"] == 0 and row["i"] == 0


def load_marked_demo(store: Store, factories: int = 2000,
                     progress: Callable[[int, int], None] | None = None) -> bool:
    """Load demo factories and inspections into an empty database and mark them as demo.

    Returns False (and loads nothing) when the database already holds factories or
    inspections: demo data must never mix with real data.
    """
    from fieldapp.store.demo import load_demo
    from fieldapp.store.demo_inspections import add_demo_inspections
    if not database_is_empty(store):
        return False
    # Mark first: a crash half-way still leaves a database that is known to be demo.
    store.set_meta(DEMO_KEY, datetime.now(UTC).isoformat(timespec="seconds"))
    store.set_meta(DEMO_INSPECTIONS_KEY, "[]")
    ids = load_demo(store, factories=factories, progress=progress)
    made = add_demo_inspections(store, ids)
    store.set_meta(DEMO_INSPECTIONS_KEY, json.dumps(made))
    return True


def real_inspections(store: Store) -> list[str]:
    """Ids of inspections the demo did not make (work a person typed in)."""
    demo = set(json.loads(store.meta(DEMO_INSPECTIONS_KEY) or "[]"))
    rows = store.query("SELECT id FROM inspections ORDER BY id")
    return [r["id"] for r in rows if r["id"] not in demo]


def check_removable(db_path: str | Path) -> None:
    """Raise DemoRemovalRefused unless the database at ``db_path`` is pure demo data."""
    with open_store(db_path) as store:
        if not is_demo(store):
            raise DemoRemovalRefused(
                "ฐานข้อมูลนี้ไม่ใช่ข้อมูลตัวอย่าง — ไม่ได้ลบอะไร "
                "(this database is not demo data; nothing was removed)")
        real = real_inspections(store)
    if real:
        raise DemoRemovalRefused(
            f"มีการตรวจที่บันทึกจริง {len(real)} รายการในฐานข้อมูลนี้ — ไม่ได้ลบอะไร "
            f"สำรองข้อมูลก่อน แล้วติดต่อผู้ดูแลระบบ ({len(real)} inspections were not made by "
            f"the demo; nothing was removed)")


def remove_demo(db_path: str | Path) -> Path:
    """Move the demo database and its attachments aside; returns the folder they went to.

    Every Store on ``db_path`` must be closed. After this, opening ``db_path`` gives a
    fresh, empty database. Raises DemoRemovalRefused (nothing moved) when real work is
    present.
    """
    db_path = Path(db_path)
    check_removable(db_path)
    checkpoint(db_path)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    aside = db_path.with_name(f"demo-removed-{stamp}")
    aside.mkdir()
    moves = [db_path, Path(f"{db_path}-wal"), Path(f"{db_path}-shm"), blob_folder(db_path)]
    for source in moves:
        if source.exists():
            os.replace(source, aside / source.name)
    return aside

