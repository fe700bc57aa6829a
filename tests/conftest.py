"""Shared fixtures: a fresh store on a temporary file, the sample data folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from fieldapp.store.db import open_store  # noqa: E402

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.fixture
def store(tmp_path):
    s = open_store(tmp_path / "fieldapp.db")
    yield s
    s.close()


@pytest.fixture
def shared_data() -> Path:
    """The real registry sample files (../shared/data beside the checkout)."""
    if not SHARED_DATA.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI needs the sample data folder {SHARED_DATA}")
        pytest.skip(f"sample data folder {SHARED_DATA} is not beside this checkout")
    return SHARED_DATA
