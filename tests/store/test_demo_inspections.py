"""Demo inspections: every state, built through the store's own rules, deterministic."""

from fieldapp.cli import main
from fieldapp.store.db import open_store
from fieldapp.store.demo import load_demo
from fieldapp.store.demo_inspections import add_demo_inspections
from fieldapp.store.inspections import compute_content_hash, list_inspections, load_bundle


def summary(store):
    rows = []
    for i in sorted(list_inspections(store), key=lambda r: r["started_at"]):
        b = load_bundle(store, i["id"])
        rows.append((i["kind"], i["state"], bool(i["amends_id"]), len(b["answers"]),
                     len(b["findings"]), len(b["signatures"]),
                     sorted((a["item_id"], a["result"], a["value"]) for a in b["answers"])))
    return rows


def test_every_state_and_kind_is_present(store):
    ids = load_demo(store, factories=30)
    made = add_demo_inspections(store, ids)
    rows = list_inspections(store)
    assert len(rows) == len(made) >= 6
    assert {r["state"] for r in rows} == {"draft", "finalized"}
    assert {r["kind"] for r in rows} == {"routine", "complaint", "follow_up"}
    assert any(r["amends_id"] for r in rows)
    refused = store.query("SELECT * FROM signatures WHERE refused = 1")
    assert len(refused) == 1 and refused[0]["witness_name"]
    for r in rows:
        if r["state"] == "finalized":
            assert compute_content_hash(store, r["id"]) == r["content_hash"]


def test_demo_is_deterministic(tmp_path):
    results = []
    for name in ("a.db", "b.db"):
        with open_store(tmp_path / name) as s:
            add_demo_inspections(s, load_demo(s, factories=30))
            results.append(summary(s))
    assert results[0] == results[1]


def test_demo_command_loads_inspections_once(tmp_path, capsys):
    db = str(tmp_path / "d.db")
    assert main(["--db", db, "demo", "--factories", "40"]) == 0
    first = capsys.readouterr().out
    assert "40 factories" in first and " 0 inspections" not in first
    assert main(["--db", db, "demo", "--factories", "40"]) == 0
    assert "0 inspections" in capsys.readouterr().out
    with open_store(db) as s:
        assert len(list_inspections(s)) >= 6
