"""The app's preferences: a small typed wrapper over QSettings.

Every key is declared once here with its type and default, so a typo is an AttributeError
rather than a silently empty value. ``SETTINGS_VERSION`` numbers the layout; ``upgrade()``
moves older stored layouts forward (never pickle: values are plain strings, numbers and
byte arrays). This module never touches the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

SETTINGS_FILE = "settings.ini"

SETTINGS_VERSION = 2
LANGUAGES = ("th", "en")


@dataclass(frozen=True)
class Key:
    """One declared preference: where it is stored, its Python type and default."""
    name: str
    kind: type
    default: object


KEYS: dict[str, Key] = {k.name: k for k in (
    Key("inspector/name", str, ""),
    Key("inspector/position", str, ""),
    Key("office/name", str, ""),
    Key("office/logo", str, ""),
    Key("ui/language", str, "th"),
    Key("data/folder", str, ""),
    Key("sync/server", str, ""),
    Key("ui/window_geometry", bytes, b""),
    Key("setup/done", bool, False),
    Key("print/thai_digits", bool, False),
)}


class Settings:
    """Typed access to the declared keys: ``settings.get("inspector/name")``.

    ``path`` selects an INI file (tests, portable installs); without it the platform's
    normal location for the organisation ``FieldApp`` is used.
    """

    def __init__(self, path: str | Path | None = None):
        if path is not None:
            self._qs = QSettings(str(path), QSettings.Format.IniFormat)
        else:
            self._qs = QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                                 "FieldApp", "fieldapp")
        self.upgrade()

    def get(self, name: str):
        key = KEYS[name]
        raw = self._qs.value(name, key.default)
        if raw is None:
            return key.default
        if key.kind is bool:
            return raw in (True, 1, "true", "1")
        if key.kind is bytes:
            return bytes(raw) if raw else b""
        if key.kind is int:
            try:
                return int(raw)
            except (TypeError, ValueError):
                return key.default
        return key.kind(raw)

    def set(self, name: str, value) -> None:
        key = KEYS[name]
        if not isinstance(value, key.kind):
            raise TypeError(f"setting {name} takes {key.kind.__name__}, not "
                            f"{type(value).__name__}")
        if name == "ui/language" and value not in LANGUAGES:
            raise ValueError(f"language must be one of {', '.join(LANGUAGES)}")
        if key.kind is bytes:
            # A Python bytes object would be stored pickled (PySide6 wraps it as a
            # PyObjectWrapper), and reading any key of such a file then imports pickle
            # (~7 ms of every start). A QByteArray is stored as Qt's own @ByteArray.
            value = QByteArray(value)
        self._qs.setValue(name, value)

    def sync(self) -> None:
        """Write pending changes to disk now (QSettings otherwise writes lazily)."""
        self._qs.sync()

    @property
    def version(self) -> int:
        return int(self._qs.value("meta/version", 0) or 0)

    def upgrade(self) -> None:
        """Bring an older stored layout up to ``SETTINGS_VERSION``.

        Version 0 is an empty or pre-release file: nothing to move, only stamp it. Version 2
        stores byte values as Qt byte arrays, not pickled Python bytes: each is read once
        (with pickle, this one time) and written back. Later versions add a step here, e.g.
        renaming a key, and keep the old value.
        """
        version = self.version
        if version < 2:
            for key in KEYS.values():
                if key.kind is bytes and self._qs.contains(key.name):
                    self.set(key.name, self.get(key.name))
        if version < SETTINGS_VERSION:
            self._qs.setValue("meta/version", SETTINGS_VERSION)

    @property
    def file_name(self) -> str:
        return self._qs.fileName()


def settings_file() -> Path | None:
    """Where the preferences live: ``FIELDAPP_SETTINGS``; else, when the data folder is
    overridden (``FIELDAPP_HOME`` or the portable marker beside the executable), a
    ``settings.ini`` inside that data folder, so a USB stick carries everything; else None
    (the platform's usual place)."""
    import os

    import platformdirs

    from fieldapp.store.paths import APP_NAME, data_home
    if os.environ.get("FIELDAPP_SETTINGS"):
        return Path(os.environ["FIELDAPP_SETTINGS"]).expanduser()
    home = data_home()
    if home != Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)):
        return home / SETTINGS_FILE
    return None
