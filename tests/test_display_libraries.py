"""A Linux desktop without the X11 window's system libraries gets a clear message, not a crash.

Qt aborts the process (core dump) when its X11 plugin cannot load and names one library at
most; ``fieldapp`` checks first and says which libraries are missing and how to install them.
The missing libraries are simulated by feeding ldd's report text (or a fake ``ldd`` on PATH).
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from fieldapp import display_libraries as dl
from fieldapp import selftest

ROOT = Path(__file__).resolve().parents[1]

# ldd's report of libqxcb.so on a Debian 12 machine without libxcb-icccm4 and libxcb-keysyms1
# (abridged; ldd repeats a missing library once per library that needs it).
LDD_TWO_MISSING = """\
\tlinux-vdso.so.1 (0x00007ff43f37c000)
\tlibQt6XcbQpa.so.6 => /venv/PySide6/Qt/plugins/platforms/../../lib/libQt6XcbQpa.so.6 (0x1)
\tlibGL.so.1 => /lib/x86_64-linux-gnu/libGL.so.1 (0x00007ff43f21e000)
\tlibxkbcommon-x11.so.0 => /lib/x86_64-linux-gnu/libxkbcommon-x11.so.0 (0x00007ff43f1cb000)
\tlibxcb-cursor.so.0 => /lib/x86_64-linux-gnu/libxcb-cursor.so.0 (0x00007ff43f1c4000)
\tlibxcb-icccm.so.4 => not found
\tlibxcb-image.so.0 => /lib/x86_64-linux-gnu/libxcb-image.so.0 (0x00007ff43f1b6000)
\tlibxcb-keysyms.so.1 => not found
\tlibxcb-icccm.so.4 => not found
\tlibxcb-keysyms.so.1 => not found
"""
LDD_FRESH_DESKTOP = "\n".join(f"\t{name} => not found" for name in (
    "libxcb-cursor.so.0", "libxcb-icccm.so.4", "libxcb-keysyms.so.1", "libxcb-image.so.0",
    "libxcb-render-util.so.0", "libxkbcommon-x11.so.0", "libEGL.so.1", "libfontconfig.so.1",
    "libdbus-1.so.3", "libwhatever.so.7"))
LDD_COMPLETE = "\n".join(line for line in LDD_TWO_MISSING.splitlines()
                         if "not found" not in line) + "\n"
X11 = {"DISPLAY": ":0"}


def test_missing_libraries_are_read_from_ldd_once_each():
    assert dl.missing_from_ldd(LDD_TWO_MISSING) == ["libxcb-icccm.so.4", "libxcb-keysyms.so.1"]
    assert dl.missing_from_ldd(LDD_COMPLETE) == []


def test_the_message_names_the_libraries_and_the_install_commands():
    text = dl.explain(dl.missing_from_ldd(LDD_TWO_MISSING))
    assert "libxcb-icccm.so.4, libxcb-keysyms.so.1" in text
    assert "หน้าต่างโปรแกรมเปิดไม่ได้" in text and "the window cannot open" in text
    assert "Debian/Ubuntu: sudo apt install libxcb-icccm4 libxcb-keysyms1" in text
    assert "Fedora: sudo dnf install xcb-util-keysyms xcb-util-wm" in text


def test_a_fresh_desktop_gets_one_command_for_every_known_library():
    missing = dl.missing_from_ldd(LDD_FRESH_DESKTOP)
    debian, fedora = dl.install_commands(missing)
    assert debian == ("sudo apt install libdbus-1-3 libegl1 libfontconfig1 libxcb-cursor0 "
                      "libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0 "
                      "libxkbcommon-x11-0")
    assert fedora == ("sudo dnf install dbus-libs fontconfig libglvnd-egl libxkbcommon-x11 "
                      "xcb-util-cursor xcb-util-image xcb-util-keysyms xcb-util-renderutil "
                      "xcb-util-wm")
    assert "libwhatever.so.7" in dl.explain(missing)   # unknown ones are still named


def test_an_unknown_library_alone_asks_for_help_instead_of_a_command():
    text = dl.explain(["libwhatever.so.7"])
    assert "sudo" not in text and "libwhatever.so.7" in text


@pytest.mark.parametrize(("environ", "platform", "expected"), [
    ({"DISPLAY": ":0"}, "linux", True),
    ({"DISPLAY": ":0", "QT_QPA_PLATFORM": "xcb"}, "linux", True),
    ({"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"}, "linux", False),
    ({"DISPLAY": ":0", "QT_QPA_PLATFORM": "wayland"}, "linux", False),
    ({}, "linux", False),                                          # no X display
    ({"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "wayland"},
     "linux", False),                                              # Qt prefers Wayland there
    ({"DISPLAY": ":0"}, "win32", False),
])
def test_only_an_x11_start_is_checked(environ, platform, expected):
    assert dl.xcb_would_be_used(environ, platform) is expected


@pytest.fixture
def plugin(tmp_path, monkeypatch):
    path = tmp_path / "libqxcb.so"
    path.write_bytes(b"\x7fELF")
    monkeypatch.setattr(dl, "plugin_path", lambda: path)
    monkeypatch.setattr(sys, "platform", "linux")
    return path


def test_a_complete_system_is_checked_once_then_remembered(plugin, tmp_path):
    calls = []

    def ldd(path):
        calls.append(path)
        return LDD_COMPLETE

    folder = tmp_path / "data"
    assert dl.check_before_window(folder, X11, ldd) is None
    assert dl.check_before_window(folder, X11, ldd) is None
    assert calls == [plugin]                      # the second start read the stamp
    os.utime(plugin, ns=(1, 1))                   # a new PySide6 (an update): check again
    assert dl.check_before_window(folder, X11, ldd) is None
    assert len(calls) == 2


def test_missing_libraries_stop_the_start_every_time_until_installed(plugin, tmp_path):
    folder = tmp_path / "data"
    for _ in range(2):
        message = dl.check_before_window(folder, X11, lambda _p: LDD_TWO_MISSING)
        assert "sudo apt install libxcb-icccm4 libxcb-keysyms1" in message
    assert not (folder / dl.STAMP_NAME).exists()
    assert dl.check_before_window(folder, X11, lambda _p: LDD_COMPLETE) is None


def test_no_ldd_means_no_verdict_and_qt_is_left_to_try(plugin, tmp_path):
    assert dl.check_before_window(tmp_path, X11, lambda _p: None) is None
    assert not (tmp_path / dl.STAMP_NAME).exists()


def test_self_test_line_says_complete_or_what_is_missing(plugin):
    assert dl.self_test_line(lambda _p: LDD_COMPLETE) == \
        "OK   display libraries (X11 window): complete"
    line = dl.self_test_line(lambda _p: LDD_TWO_MISSING)
    assert line.startswith("WARN display libraries (X11 window): ไม่มี (missing) "
                           "libxcb-icccm.so.4, libxcb-keysyms.so.1")
    assert "sudo apt install libxcb-icccm4 libxcb-keysyms1" in line
    assert dl.self_test_line(lambda _p: LDD_COMPLETE, platform="win32").startswith("OK")


def test_self_test_reports_the_display_libraries(monkeypatch, plugin):
    monkeypatch.setattr(dl, "run_ldd", lambda _p: LDD_TWO_MISSING)
    out = io.StringIO()
    assert selftest.run_self_test(out) == 0      # a laptop matter, not a broken install
    lines = out.getvalue().splitlines()
    assert lines[1].startswith("WARN display libraries (X11 window): ไม่มี (missing) "
                               "libxcb-icccm.so.4")


def test_plugin_of_the_installed_pyside6_is_found():
    pytest.importorskip("PySide6")
    found = dl.plugin_path()
    if sys.platform.startswith("linux"):
        assert found is not None and found.name == "libqxcb.so"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11 is a Linux matter")
def test_fieldapp_exits_with_the_message_instead_of_a_core_dump(tmp_path):
    # A fake ldd on PATH reports what a fresh Debian desktop lacks; DISPLAY names an X server
    # that is not there. Without the check Qt aborts (SIGABRT, core dump) on either.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "ldd"
    fake.write_text("#!/bin/sh\ncat <<'EOF'\n" + LDD_TWO_MISSING + "EOF\n")
    fake.chmod(0o755)
    env = {k: v for k, v in os.environ.items()
           if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY", "XDG_SESSION_TYPE")}
    env.update(DISPLAY=":97", PATH=f"{bin_dir}{os.pathsep}{env['PATH']}",
               FIELDAPP_HOME=str(tmp_path / "home"), FIELDAPP_DEMO="0",
               FIELDAPP_SETTINGS=str(tmp_path / "settings.ini"),
               PYTHONPATH=os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]))
    done = subprocess.run([sys.executable, "-m", "fieldapp"], env=env, capture_output=True,
                          text=True, timeout=120, cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert "libxcb-icccm.so.4, libxcb-keysyms.so.1" in done.stderr
    assert "Debian/Ubuntu: sudo apt install libxcb-icccm4 libxcb-keysyms1" in done.stderr
    assert "หน้าต่างโปรแกรมเปิดไม่ได้" in done.stderr
