"""Start-up benchmark: time to the first window, frozen app vs from source.

Run on demand (not part of the test suite), after ``bash build/build.sh``:

    .venv/bin/python tests/bench/bench_startup.py [--runs 5] [--frozen build/dist/fieldapp/fieldapp]

Each run starts a new process with ``QT_QPA_PLATFORM=offscreen`` and
``FIELDAPP_EXIT_AFTER_SHOW=1`` (fieldapp/gui/app.py quits as soon as the main window is
shown), on a database prepared beforehand with the demo registry, in a temporary
``FIELDAPP_HOME``. The first run of each variant is reported on its own ("first"): it is the
closest to a cold start we can get without root (the OS file cache cannot be dropped here);
"median" is over the remaining runs. With ``--cold`` (needs root: writes
/proc/sys/vm/drop_caches) the OS file cache is dropped before every run, so each run reads the
app from disk as after a reboot. The goal from issue 6: frozen at most 2x source.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_FROZEN = ROOT / "build" / "dist" / "fieldapp" / "fieldapp"


def prepare_home(home: Path, factories: int) -> None:
    """A data folder whose database already holds the demo data (no first-run loading)."""
    sys.path.insert(0, str(ROOT))
    from fieldapp.store.db import open_store
    from fieldapp.store.demo import load_demo
    from fieldapp.store.demo_inspections import add_demo_inspections
    from fieldapp.store.templates import install_bundled_templates

    store = open_store(home / "fieldapp.db")
    try:
        install_bundled_templates(store)
        ids = load_demo(store, factories)
        add_demo_inspections(store, ids[:20])
    finally:
        store.close()


DROP_CACHES = Path("/proc/sys/vm/drop_caches")


def drop_file_cache() -> None:
    """Forget cached file pages so the next start reads Python, Qt and the app from disk."""
    subprocess.run(["sync"], check=True)
    DROP_CACHES.write_text("3\n")


def time_start(command: list[str], env: dict[str, str], timeout: float = 120) -> float:
    """Seconds from process start until it exits after showing the main window."""
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=timeout)
    took = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited {done.returncode}:\n{done.stderr[-2000:]}")
    return took


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--factories", type=int, default=2000)
    parser.add_argument("--frozen", type=Path, default=DEFAULT_FROZEN)
    parser.add_argument("--cold", action="store_true",
                        help="drop the OS file cache before every run (root only)")
    args = parser.parse_args(argv)
    if args.cold and not os.access(DROP_CACHES, os.W_OK):
        parser.error(f"--cold needs write access to {DROP_CACHES} (run as root)")

    variants = {"source": [str(ROOT / ".venv" / "bin" / "python"), "-m", "fieldapp"]}
    if args.frozen.exists():
        variants["frozen"] = [str(args.frozen)]
    else:
        print(f"no frozen app at {args.frozen}: run `bash build/build.sh` first", file=sys.stderr)

    with tempfile.TemporaryDirectory(prefix="fieldapp-bench-") as tmp:
        home = Path(tmp)
        prepare_home(home, args.factories)
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "FIELDAPP_EXIT_AFTER_SHOW": "1",
               "FIELDAPP_HOME": str(home), "FIELDAPP_SETTINGS": str(home / "settings.ini")}
        env.pop("FIELDAPP_DB", None)
        results = {}
        for name, command in variants.items():
            times = []
            for _ in range(args.runs):
                if args.cold:
                    drop_file_cache()
                times.append(time_start(command, env))
            results[name] = (times[0], statistics.median(times[1:] or times))

    cache = "file cache dropped before each run" if args.cold else "file cache warm"
    print(f"\nstart to first window ({args.factories} demo factories, offscreen, "
          f"{args.runs} runs each, {cache})")
    print(f"{'variant':<8} {'first s':>8} {'median s':>9} {'x source':>9}")
    base = results["source"][1]
    for name, (first, median) in results.items():
        print(f"{name:<8} {first:8.2f} {median:9.2f} {median / base:9.2f}")
    if "frozen" in results:
        ratio = results["frozen"][1] / base
        verdict = "OK" if ratio <= 2 else "TOO SLOW"
        print(f"\nfrozen/source = {ratio:.2f} (goal <= 2.0): {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
