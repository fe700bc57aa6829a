"""Check a built folder against the bundle policy; print its size and largest parts.

Run by build/build.sh after PyInstaller (``python build/check_bundle.py build/dist/fieldapp``);
exits 1 when the folder is too big, lacks a file the app needs, or carries one it must not
(the PyThaiNLP models, Qt WebEngine/QML/3D ...). The rules are in bundle_policy.py.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

SIZE_LIMIT_MB = 250
# Present in every good build (relative to the folder's _internal/ directory).
REQUIRED = (
    "resources/templates/env-general.json",
    "resources/icons/fieldapp.png",
    "fontpkg_sarabun/files/Sarabun-Regular.ttf",
    "fontpkg_sarabun/files/Sarabun-Bold.ttf",
    "pythainlp/corpus/words_th.txt",
    "pythainlp/corpus/ttc_freq.txt",
    "fieldapp/core/template_schema.json",
    "PySide6/Qt/plugins/platforms/libqxcb.so",
    "PySide6/Qt/plugins/platforms/libqoffscreen.so",
    "PySide6/Qt/plugins/printsupport/libcupsprintersupport.so",
    "PySide6/Qt/plugins/imageformats/libqjpeg.so",
)
# Never in a good build: glob patterns matched against paths relative to _internal/.
FORBIDDEN = (
    "pythainlp/corpus/*.onnx", "pythainlp/corpus/wordnet_th.db",
    "pythainlp/corpus/wikipedia_titles_th.txt", "**/libQt6WebEngine*", "**/libQt6Quick*",
    "**/libQt6Qml*", "**/libQt63D*", "**/libQt6Multimedia*", "**/libQt6Charts*",
    "**/libQt6Designer*", "**/Qt/qml/*", "**/QtWebEngineProcess*", "**/libgtk-3*",
    "**/libqgtk3*", "**/libqeglfs*", "**/libqvnc*", "fieldapp/server/*", "uvicorn/*",
    "httptools/*",
)


def folder_size(path: Path) -> int:
    """Bytes of regular files under ``path`` (symlinks counted once, as their target)."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def largest_parts(internal: Path, count: int = 12) -> list[tuple[int, str]]:
    """Sizes of the biggest entries one or two levels down (PySide6/Qt/lib, libpython ...)."""
    parts = []
    for entry in internal.iterdir():
        if entry.is_dir() and entry.name in ("PySide6", "python3.11"):
            parts += [(folder_size(sub) if sub.is_dir() else sub.stat().st_size,
                       f"{entry.name}/{sub.name}") for sub in entry.iterdir()
                      if not sub.is_symlink()]
        elif not entry.is_symlink():
            parts.append((folder_size(entry) if entry.is_dir() else entry.stat().st_size,
                          entry.name))
    return sorted(parts, reverse=True)[:count]


def problems(folder: Path) -> list[str]:
    """What is wrong with the built ``folder`` (empty when it is good)."""
    internal = folder / "_internal"
    if not internal.is_dir():
        return [f"{folder} is not a PyInstaller one-folder build (no _internal/)"]
    found = [f"missing: {rel}" for rel in REQUIRED if not (internal / rel).exists()]
    for pattern in FORBIDDEN:
        found += [f"must not be bundled: {p.relative_to(internal)}" for p in internal.glob(pattern)]
    size_mb = folder_size(folder) / 1e6
    if size_mb > SIZE_LIMIT_MB:
        found.append(f"the folder is {size_mb:.0f} MB, over the {SIZE_LIMIT_MB} MB limit")
    return found


def unresolved_libraries(internal: Path) -> dict[str, set[str]]:
    """Libraries the platform plugins need that neither the bundle nor this machine has
    (Linux, via ldd). PyInstaller bundles what the build machine has installed, so a build
    made without e.g. libxcb-icccm4 relies on the inspector's system to provide it."""
    if not sys.platform.startswith("linux") or not shutil.which("ldd"):
        return {}
    env = {**os.environ, "LD_LIBRARY_PATH": f"{internal}:{internal / 'PySide6' / 'Qt' / 'lib'}"}
    missing: dict[str, set[str]] = {}
    for plugin in sorted((internal / "PySide6" / "Qt" / "plugins" / "platforms").glob("*.so")):
        out = subprocess.run(["ldd", str(plugin)], capture_output=True, text=True, env=env)
        for line in out.stdout.splitlines():
            if "not found" in line:
                missing.setdefault(plugin.name, set()).add(line.split()[0])
    return missing


def main(argv: list[str]) -> int:
    folder = Path(argv[1] if len(argv) > 1 else "build/dist/fieldapp")
    issues = problems(folder)
    if (folder / "_internal").is_dir():
        print(f"{folder}: {folder_size(folder) / 1e6:.1f} MB; largest parts:")
        for size, name in largest_parts(folder / "_internal"):
            print(f"  {size / 1e6:7.1f} MB  {name}")
    for plugin, libs in unresolved_libraries(folder / "_internal").items():
        print(f"note: {plugin} needs {', '.join(sorted(libs))} from the target system "
              f"(not installed on this build machine, so not bundled)")
    for issue in issues:
        print(f"BUNDLE PROBLEM: {issue}", file=sys.stderr)
    return 1 if issues else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
