"""Where the data lives: FIELDAPP_HOME, a ``portable`` file beside the frozen executable, the
user data folder; and the database path's precedence (--db, FIELDAPP_DB, data folder)."""

from __future__ import annotations

import sys
from pathlib import Path

import platformdirs
import pytest

from fieldapp.core import resources
from fieldapp.store import paths


@pytest.fixture
def clean_env(monkeypatch):
    monkeypatch.delenv("FIELDAPP_HOME", raising=False)
    monkeypatch.delenv("FIELDAPP_DB", raising=False)
    monkeypatch.delattr(sys, "frozen", raising=False)
    return monkeypatch


def _frozen_at(monkeypatch, folder: Path) -> Path:
    """Pretend to be the PyInstaller app at ``folder/fieldapp``."""
    folder.mkdir(parents=True, exist_ok=True)
    exe = folder / "fieldapp"
    exe.write_bytes(b"")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(exe))
    return exe


def test_default_is_the_platform_user_data_folder(clean_env):
    assert paths.data_home() == Path(platformdirs.user_data_dir("FieldApp", appauthor=False))
    assert paths.database_path() == paths.data_home() / "fieldapp.db"


def test_fieldapp_home_overrides_everything_else(clean_env, tmp_path):
    _frozen_at(clean_env, tmp_path / "usb")
    (tmp_path / "usb" / "portable").write_text("")
    clean_env.setenv("FIELDAPP_HOME", str(tmp_path / "elsewhere"))
    assert paths.data_home() == tmp_path / "elsewhere"
    assert paths.database_path() == tmp_path / "elsewhere" / "fieldapp.db"


def test_fieldapp_home_expands_the_user_folder(clean_env):
    clean_env.setenv("FIELDAPP_HOME", "~/fieldapp-usb")
    assert paths.data_home() == Path.home() / "fieldapp-usb"


def test_portable_file_beside_the_frozen_app_keeps_data_on_the_stick(clean_env, tmp_path):
    _frozen_at(clean_env, tmp_path / "usb" / "FieldApp")
    (tmp_path / "usb" / "FieldApp" / "portable").write_text("")
    assert paths.data_home() == tmp_path / "usb" / "FieldApp" / "fieldapp-data"


def test_frozen_app_without_the_portable_file_uses_the_user_folder(clean_env, tmp_path):
    _frozen_at(clean_env, tmp_path / "installed")
    assert paths.data_home() == Path(platformdirs.user_data_dir("FieldApp", appauthor=False))


def test_portable_file_is_ignored_when_running_from_source(clean_env, tmp_path):
    clean_env.setattr(sys, "executable", str(tmp_path / "python"))
    (tmp_path / "portable").write_text("")
    assert paths.data_home() != tmp_path / "fieldapp-data"


def test_database_path_precedence(clean_env, tmp_path):
    clean_env.setenv("FIELDAPP_HOME", str(tmp_path / "home"))
    clean_env.setenv("FIELDAPP_DB", str(tmp_path / "env.db"))
    assert paths.database_path(tmp_path / "cli.db") == tmp_path / "cli.db"
    assert paths.database_path() == tmp_path / "env.db"
    clean_env.delenv("FIELDAPP_DB")
    assert paths.database_path() == tmp_path / "home" / "fieldapp.db"


def test_attachments_live_beside_their_database(tmp_path):
    assert paths.blob_folder(tmp_path / "fieldapp.db") == tmp_path / "fieldapp-attachments"
    assert paths.blob_folder(tmp_path / "copy.db") == tmp_path / "copy-attachments"


def test_resources_found_in_checkout_and_in_the_frozen_bundle(clean_env, tmp_path):
    assert (resources.resource_path("templates") / "env-general.json").is_file()
    clean_env.setattr(sys, "frozen", True, raising=False)
    clean_env.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resources.resource_path("templates") == tmp_path / "resources" / "templates"
