import uuid

from fieldapp.core.ids import name_id, uuid7


def test_uuid7_is_version_7_and_sorted_by_creation():
    ids = [uuid7() for _ in range(2000)]
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)
    parsed = uuid.UUID(ids[0])
    assert parsed.version == 7
    assert parsed.variant == uuid.RFC_4122


def test_name_id_is_deterministic_and_distinct():
    assert name_id("factory", "10130000125461") == name_id("factory", "10130000125461")
    assert name_id("factory", "10130000125461") != name_id("factory", "10130000125462")
    # The separator keeps ("ab", "c") and ("a", "bc") apart.
    assert name_id("ab", "c") != name_id("a", "bc")
