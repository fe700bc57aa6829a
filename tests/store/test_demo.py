"""Demo data: deterministic, valid IDs, real provinces, idempotent loading."""

from __future__ import annotations

from fieldapp.cli import main
from fieldapp.core.fid import facreg_key, is_valid_fid, parse_facreg
from fieldapp.core.provinces import BY_CODE
from fieldapp.core.registry_rows import LAT_RANGE, LNG_RANGE
from fieldapp.store.demo import generate_factories, load_demo
from fieldapp.store.factories import factory_id
from fieldapp.store.search import search_factories


def test_same_seed_same_factories_other_seed_other_factories():
    assert generate_factories(300, seed=7) == generate_factories(300, seed=7)
    assert generate_factories(300, seed=7) != generate_factories(300, seed=8)
    # A longer run starts with the same factories as a shorter one.
    assert generate_factories(500, seed=7)[:300] == generate_factories(300, seed=7)


def test_demo_factories_are_plausible():
    factories = generate_factories(3000, seed=1)
    assert len({f["fid"] for f in factories}) == 3000
    for f in factories:
        assert is_valid_fid(f["fid"]), f["fid"]
        province = BY_CODE[f["fid"][2:4]]
        assert (f["province_code"], f["province"]) == (province.code, province.name_th)
        reg = parse_facreg(f["facreg"])
        assert reg is not None and reg.province_abbr == province.abbr
        assert reg.factory_class == f["factory_class"] in (1, 2, 3)
        assert f["facreg_key"] == facreg_key(f["facreg"])
        assert f["name"] and " ม." in f["address"]
        assert f["status"] in (0, 1, 2, 3)
        if f["lat"] is not None:
            assert LAT_RANGE[0] < f["lat"] < LAT_RANGE[1]
            assert LNG_RANGE[0] < f["lng"] < LNG_RANGE[1]
            assert abs(f["lat"] - province.centre[0]) < 0.2
    statuses = [f["status"] for f in factories]
    assert statuses.count(1) > 0.7 * len(statuses)
    assert len({f["province_code"] for f in factories}) == 77


def test_load_demo_returns_ids_and_is_idempotent(store):
    seen = []
    ids = load_demo(store, factories=2500, progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (2500, 2500)
    assert len(ids) == 2500 and ids[0] == factory_id(generate_factories(1)[0]["fid"])
    assert store.query("SELECT count(*) AS n FROM factories")[0]["n"] == 2500
    outbox = store.query("SELECT count(*) AS n FROM outbox")[0]["n"]
    assert load_demo(store, factories=2500) == ids
    assert store.query("SELECT count(*) AS n FROM outbox")[0]["n"] == outbox
    name = generate_factories(1)[0]["name"]
    assert any(r["id"] == ids[0] for r in search_factories(store, name, limit=200))


def test_demo_command(tmp_path, capsys):
    assert main(["--db", str(tmp_path / "d.db"), "demo", "--factories", "120"]) == 0
    assert capsys.readouterr().out.startswith("demo: 120 factories")
