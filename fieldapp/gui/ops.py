"""The GUI's operations: thin calls into fieldapp.store that return plain data.

Widgets call these (or store functions directly) and never SQL. Everything here takes an
open Store as first argument, so the same function runs on the UI thread or on a worker
that opened its own Store.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fieldapp.store import factories as factory_store
from fieldapp.store import search as registry_search
from fieldapp.store.db import Store, open_store

# fieldapp.store.inspections and .templates pull in the template schema checker (jsonschema,
# ~0.2 s to import); they are imported where first needed, and app.py warms them up on a
# worker right after the window is shown, so start-up does not wait for them.

INSPECTION_STATES = ("draft", "finalized", "unsynced")
STATUS_NOT_GIVEN = registry_search.STATUS_NOT_GIVEN   # status filter: FFLAG empty


def open_reader(path: Path) -> Store:
    """A Store for a background thread (sqlite3 connections are bound to one thread)."""
    return open_store(path)


# -- factories ------------------------------------------------------------------------------

def search_page(store: Store, *, query: str, province: str | None, status: int | None,
                offset: int, limit: int) -> list[dict]:
    """One page of factories matching the search box and filters, best match first."""
    return registry_search.search_factories(store, query, province=province, status=status,
                                            limit=limit, offset=offset)


def count_matches(store: Store, *, query: str, province: str | None,
                  status: int | None) -> int:
    return registry_search.count_factories(store, query, province=province, status=status)


def location_text(row: dict) -> str:
    """ต.… / อ.… / จ.… as one line for the table."""
    parts = [row.get("subdistrict"), row.get("district"), row.get("province")]
    return " / ".join(p for p in parts if p)


def address_text(f: dict) -> str:
    """The registry address on one line: house number, หมู่, ซอย, ถนน, ต./อ./จ."""
    parts = [f.get("address"),
             f"หมู่ {f['moo']}" if f.get("moo") else None,
             f"ซอย {f['soi']}" if f.get("soi") else None,
             f"ถนน {f['road']}" if f.get("road") else None,
             f"ต.{f['subdistrict']}" if f.get("subdistrict") else None,
             f"อ.{f['district']}" if f.get("district") else None,
             f"จ.{f['province']}" if f.get("province") else None]
    return " ".join(p for p in parts if p)


def coordinates_text(f: dict) -> str:
    if f.get("lat") is None or f.get("lng") is None:
        return ""
    return f"{f['lat']:.6f}, {f['lng']:.6f}"


def provinces(store: Store) -> list[str]:
    """Province names present in the local registry, for the filter."""
    return registry_search.province_names(store)


def factory_detail(store: Store, factory_id: str) -> dict:
    """The registry row of one factory and its inspections, newest first."""
    from fieldapp.store import inspections as insp
    return {"factory": factory_store.get_factory(store, factory_id),
            "inspections": insp.list_inspections(store, factory_id=factory_id, limit=50)}


def inspections_in_state(store: Store, state: str) -> list[dict]:
    """Drafts, finalized, or waiting to sync (anything with pending outbox changes)."""
    from fieldapp.store import inspections as insp
    if state == "unsynced":
        return [r for r in insp.list_inspections(store) if r["unsynced"]]
    return insp.list_inspections(store, state=state)


# -- templates and inspections --------------------------------------------------------------

def latest_published_templates(store: Store, skipped: list[str] | None = None) -> list[dict]:
    """The newest published version of each template (what a new inspection may use).
    Versions this laptop cannot read are left out, said in ``skipped``."""
    from fieldapp.store import templates as template_store
    seen, out = set(), []
    for row in template_store.list_templates(store, skipped):   # by key, newest first
        if row["status"] == "published" and row["key"] not in seen:
            seen.add(row["key"])
            out.append(row)
    return out


def template_title(row: dict, language: str) -> str:
    """A template's title in the UI's language with its form code and version."""
    title = row["title_en"] if language == "en" and row.get("title_en") else row["title"]
    return f"{title} ({row['form_code']} v{row['version']})"


@dataclass
class OpenedInspection:
    """Everything the editor needs to show one inspection, read in one go."""
    bundle: dict
    template: object
    factory: dict

    @property
    def id(self) -> str:
        return self.bundle["inspection"]["id"]

    @property
    def finalized(self) -> bool:
        return self.bundle["inspection"]["state"] == "finalized"


def open_inspection(store: Store, inspection_id: str) -> OpenedInspection:
    from fieldapp.store import inspections as insp
    from fieldapp.store import templates as template_store
    bundle = insp.load_bundle(store, inspection_id)
    template = template_store.get_template(store, bundle["inspection"]["template_version_id"])
    factory = factory_store.get_factory(store, bundle["inspection"]["factory_id"])
    return OpenedInspection(bundle, template, factory)
