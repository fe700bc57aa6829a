"""Does this Linux desktop have the system libraries that Qt's X11 (xcb) window plugin needs?

Qt loads its X11 plugin when the window opens; if a library the plugin links against is
missing, Qt names at most one of them (usually xcb-cursor0) and then aborts the process with a
core dump. A fresh Debian desktop lacks several (libxcb-icccm4, libxcb-keysyms1, ...), so this
module asks the dynamic loader (``ldd``) up front which ones are missing and says, in Thai and
English, the command that installs all of them at once.

``ldd`` costs 10-60 ms, too much for every start: once the plugin was found complete, a stamp
in the data folder (plugin path, size, mtime and this machine's id) skips the check until the
plugin or the machine changes. It must never import Qt: it runs before Qt, from the CLI and
from the self-test.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

PLUGIN = Path("Qt", "plugins", "platforms", "libqxcb.so")
STAMP_NAME = "display-libraries-ok.txt"

# soname -> (Debian/Ubuntu package, Fedora package): what the X11 plugin and Qt's GUI libraries
# link against and a desktop install may lack. A soname not listed is still reported by name.
PACKAGES: dict[str, tuple[str, str]] = {
    "libxcb-cursor.so.0": ("libxcb-cursor0", "xcb-util-cursor"),
    "libxcb-icccm.so.4": ("libxcb-icccm4", "xcb-util-wm"),
    "libxcb-keysyms.so.1": ("libxcb-keysyms1", "xcb-util-keysyms"),
    "libxcb-image.so.0": ("libxcb-image0", "xcb-util-image"),
    "libxcb-render-util.so.0": ("libxcb-render-util0", "xcb-util-renderutil"),
    "libxcb-util.so.1": ("libxcb-util1", "xcb-util"),
    "libxcb-xkb.so.1": ("libxcb-xkb1", "libxcb"),
    "libxcb-shape.so.0": ("libxcb-shape0", "libxcb"),
    "libxcb-randr.so.0": ("libxcb-randr0", "libxcb"),
    "libxcb-xinerama.so.0": ("libxcb-xinerama0", "libxcb"),
    "libxcb-xfixes.so.0": ("libxcb-xfixes0", "libxcb"),
    "libxcb-shm.so.0": ("libxcb-shm0", "libxcb"),
    "libxcb-sync.so.1": ("libxcb-sync1", "libxcb"),
    "libxcb-render.so.0": ("libxcb-render0", "libxcb"),
    "libxcb-xinput.so.0": ("libxcb-xinput0", "libxcb"),
    "libxcb-glx.so.0": ("libxcb-glx0", "libxcb"),
    "libxcb.so.1": ("libxcb1", "libxcb"),
    "libX11-xcb.so.1": ("libx11-xcb1", "libX11-xcb"),
    "libX11.so.6": ("libx11-6", "libX11"),
    "libxkbcommon-x11.so.0": ("libxkbcommon-x11-0", "libxkbcommon-x11"),
    "libxkbcommon.so.0": ("libxkbcommon0", "libxkbcommon"),
    "libEGL.so.1": ("libegl1", "libglvnd-egl"),
    "libGL.so.1": ("libgl1", "libglvnd-glx"),
    "libGLX.so.0": ("libglx0", "libglvnd-glx"),
    "libOpenGL.so.0": ("libopengl0", "libglvnd-opengl"),
    "libfontconfig.so.1": ("libfontconfig1", "fontconfig"),
    "libfreetype.so.6": ("libfreetype6", "freetype"),
    "libdbus-1.so.3": ("libdbus-1-3", "dbus-libs"),
    "libSM.so.6": ("libsm6", "libSM"),
    "libICE.so.6": ("libice6", "libICE"),
}

_NOT_FOUND = re.compile(r"^\s*(\S+)\s+=>\s+not found\s*$", re.MULTILINE)


def xcb_would_be_used(environ: Mapping[str, str] = os.environ,
                      platform: str = sys.platform) -> bool:
    """Will Qt open its window through the X11 plugin (the one whose libraries we check)?

    Not on other systems, not when QT_QPA_PLATFORM names another plugin (offscreen, wayland),
    not without an X display, and not in a Wayland session where Qt prefers its Wayland plugin.
    """
    if not platform.startswith("linux"):
        return False
    chosen = environ.get("QT_QPA_PLATFORM", "").strip()
    if chosen:
        return chosen.split(";")[0].split(":")[0] == "xcb" and bool(environ.get("DISPLAY"))
    if environ.get("XDG_SESSION_TYPE") == "wayland" and environ.get("WAYLAND_DISPLAY"):
        return False
    return bool(environ.get("DISPLAY"))


def plugin_path() -> Path | None:
    """libqxcb.so of the PySide6 this process will use: inside the frozen bundle, or the
    installed package (found without importing it)."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        candidate = Path(bundle, "PySide6") / PLUGIN
        return candidate if candidate.is_file() else None
    spec = importlib.util.find_spec("PySide6")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        candidate = Path(folder) / PLUGIN
        if candidate.is_file():
            return candidate
    return None


def run_ldd(library: Path) -> str | None:
    """``ldd``'s report of ``library`` and everything it loads; None when ldd is not there."""
    import subprocess  # here: only the first start on a machine gets this far
    ldd = shutil.which("ldd")
    if ldd is None:
        return None
    try:
        done = subprocess.run([ldd, str(library)], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout


def missing_from_ldd(report: str) -> list[str]:
    """The libraries ldd could not find ("libxcb-icccm.so.4 => not found"), once each."""
    return sorted(set(_NOT_FOUND.findall(report)))


def install_commands(missing: list[str]) -> tuple[str, str] | None:
    """The Debian/Ubuntu and Fedora commands that install the known ``missing`` libraries."""
    known = [PACKAGES[name] for name in missing if name in PACKAGES]
    if not known:
        return None
    debian = sorted({deb for deb, _ in known})
    fedora = sorted({fed for _, fed in known})
    return (f"sudo apt install {' '.join(debian)}", f"sudo dnf install {' '.join(fedora)}")


def missing_libraries(plugin: Path | None = None,
                      read_ldd: Callable[[Path], str | None] = run_ldd) -> list[str] | None:
    """Libraries the X11 plugin needs and this system lacks; None when it cannot be told
    (no plugin in this installation, no ldd)."""
    plugin = plugin or plugin_path()
    if plugin is None:
        return None
    report = read_ldd(plugin)
    return None if report is None else missing_from_ldd(report)


def explain(missing: list[str]) -> str:
    """What the person at the computer reads: what is missing and how to install it."""
    lines = [
        "หน้าต่างโปรแกรมเปิดไม่ได้ เพราะเครื่องนี้ยังไม่มีไลบรารีแสดงผลของระบบ "
        "(the window cannot open: this computer lacks display libraries): " + ", ".join(missing),
    ]
    commands = install_commands(missing)
    if commands:
        lines += ["ติดตั้งด้วยคำสั่งนี้ แล้วเปิดโปรแกรมอีกครั้ง "
                  "(install them with this command, then start FieldApp again):",
                  f"  Debian/Ubuntu: {commands[0]}",
                  f"  Fedora: {commands[1]}"]
    else:
        lines.append("ให้ผู้ดูแลเครื่องติดตั้งไลบรารีเหล่านี้ "
                     "(ask whoever looks after this computer to install these libraries)")
    lines.append("คำสั่งอื่นของ fieldapp (search, backup, --self-test) ยังใช้ได้ตามปกติ "
                 "(the other fieldapp commands still work)")
    return "\n".join(lines)


def _stamp_key(plugin: Path) -> str:
    """What a finding of "complete" depends on: this plugin file on this machine."""
    try:
        machine = Path("/etc/machine-id").read_text().strip()
    except OSError:
        machine = ""
    info = plugin.stat()
    return f"{machine or os.uname().nodename}\t{plugin}\t{info.st_size}\t{info.st_mtime_ns}\n"


def check_before_window(stamp_folder: Path, environ: Mapping[str, str] = os.environ,
                        read_ldd: Callable[[Path], str | None] = run_ldd) -> str | None:
    """Called before Qt starts: the message to show instead of a crash, or None to go on.

    Checks only when Qt would use its X11 plugin, and only until the plugin was once found
    complete on this machine (the stamp in ``stamp_folder``).
    """
    if not xcb_would_be_used(environ):
        return None
    plugin = plugin_path()
    if plugin is None:
        return None
    stamp = stamp_folder / STAMP_NAME
    key = _stamp_key(plugin)
    try:
        if stamp.read_text() == key:
            return None
    except OSError:
        pass
    missing = missing_libraries(plugin, read_ldd)
    if missing:
        return explain(missing)
    if missing is not None:
        try:
            stamp_folder.mkdir(parents=True, exist_ok=True)
            stamp.write_text(key)
        except OSError:
            pass   # a read-only folder only costs the check at the next start
    return None


def self_test_line(read_ldd: Callable[[Path], str | None] = run_ldd,
                   platform: str = sys.platform) -> str:
    """One line for ``fieldapp --self-test``: are the X11 window's libraries complete?"""
    name = "display libraries (X11 window)"
    if not platform.startswith("linux"):
        return f"OK   {name}: not needed on this system"
    plugin = plugin_path()
    if plugin is None:
        return f"NOTE {name}: no X11 plugin in this installation"
    missing = missing_libraries(plugin, read_ldd)
    if missing is None:
        return f"NOTE {name}: not checked (ldd is not installed)"
    if not missing:
        return f"OK   {name}: complete"
    commands = install_commands(missing)
    fix = f"; install: {commands[0]}  (Fedora: {commands[1]})" if commands else ""
    return (f"WARN {name}: ไม่มี (missing) {', '.join(missing)}{fix} — the window cannot "
            f"open on an X11 desktop until they are installed")
