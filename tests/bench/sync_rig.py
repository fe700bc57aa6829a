"""What the sync benchmarks share: a server process, its seed data, PostgreSQL databases made
and dropped for one run, CPU seconds per process, and request timings as laptops see them."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from fieldapp.core.hlc import HybridClock  # noqa: E402
from fieldapp.core.ids import uuid7  # noqa: E402
from fieldapp.server.auth import Principal, add_user, grant_province  # noqa: E402
from fieldapp.server.push import Op, push  # noqa: E402
from fieldapp.store.changes import save_rows  # noqa: E402
from fieldapp.store.factories import factory_id  # noqa: E402
from fieldapp.store.inspections import compute_content_hash, keep_factory  # noqa: E402

SERVER = Path(sys.executable).with_name("fieldapp-server")
PASSWORD = "benchmark password"


def _proc_stats() -> dict[int, tuple[int, str, float]]:
    """pid -> (parent pid, command line, CPU seconds so far) of every process (/proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    out = {}
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            out[int(entry.name)] = (int(fields[1]), cmdline,
                                    (int(fields[11]) + int(fields[12])) / tick)
        except (OSError, ValueError, IndexError):
            continue
    return out


def _tree(stats: dict, root: int) -> set[int]:
    tree, grew = {root}, True
    while grew:
        more = {pid for pid, (parent, _, _) in stats.items() if parent in tree} - tree
        tree |= more
        grew = bool(more)
    return tree


def process_cpu(server_pid: int, laptop_pids: list[int] | None = None) -> dict[str, float]:
    """CPU seconds so far of the laptops (this process, or the processes ``laptop_pids``),
    of the office server (its process and every worker under it) and of PostgreSQL's
    processes. Linux only."""
    stats = _proc_stats()
    if laptop_pids is None:
        laptops = ("laptops (this process)", time.process_time())
    else:
        laptops = (f"laptops ({len(laptop_pids)} processes)",
                   sum(stats[p][2] for p in laptop_pids if p in stats))
    return {laptops[0]: laptops[1],
            "office server": sum(stats[p][2] for p in _tree(stats, server_pid) if p in stats),
            "PostgreSQL": sum(cpu for _, cmd, cpu in stats.values()
                              if cmd.startswith("postgres"))}


class Timing:
    """Per kind of request (login, push, pull, blob upload, ...): how many, the seconds the
    laptops waited for them, from sending to the whole answer read, and the answers that
    were errors (a laptop retries a 5xx or 429 after a pause). Shared by threads; each
    laptop gets its own connection pool (``transport``), as a real laptop has."""

    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        self.seen: dict[str, list[float]] = {}
        self.failed: dict[str, int] = {}

    def transport(self) -> httpx.HTTPTransport:
        return _Timed(self)

    def note(self, kind: str, took: float, status: int) -> None:
        with self.lock:
            self.seen.setdefault(kind, []).append(took)
            if status >= 400:
                self.failed[f"{kind} {status}"] = self.failed.get(f"{kind} {status}", 0) + 1

    def merge(self, seen: dict, failed: dict) -> None:
        for kind, times in seen.items():
            self.seen.setdefault(kind, []).extend(times)
        for kind, n in failed.items():
            self.failed[kind] = self.failed.get(kind, 0) + n

    def table(self) -> str:
        text = "; ".join(f"{kind} {len(t)} {sum(t):.1f} s {1000 * sum(t) / len(t):.0f} ms"
                         for kind, t in sorted(self.seen.items(), key=lambda kv: -sum(kv[1])))
        errors = ", ".join(f"{kind} x{n}" for kind, n in sorted(self.failed.items()))
        return f"{text}; error answers (retried): {errors or 'none'}"


class _Timed(httpx.HTTPTransport):
    def __init__(self, timing: Timing):
        super().__init__()
        self.timing = timing

    def handle_request(self, request):
        start = time.perf_counter()
        response = super().handle_request(request)
        response.read()
        parts = request.url.path.strip("/").split("/")
        self.timing.note(f"{request.method} /{'/'.join(parts[:2])}",
                         time.perf_counter() - start, response.status_code)
        return response


def free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db_url: str, workers: int = 1) -> tuple[subprocess.Popen, str]:
    port = free_port()
    # The body-discarding floor route (/v1/_bench/sink) exists only with this variable.
    env = {**os.environ, "FIELDAPP_BENCH_SINK": "1"}
    # 1000 connections a process, as a large province's office sets it (each syncing laptop
    # holds up to five); said here, so the figures do not move with the default.
    proc = subprocess.Popen([str(SERVER), "--db", db_url, "serve", "--port", str(port),
                             "--workers", str(workers), "--max-connections", "1000"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            httpx.get(url + "/v1/health", timeout=1)
            return proc, url
        except httpx.TransportError:
            time.sleep(0.05)
    raise RuntimeError("server did not start")


def seed_server(db, factories: list[tuple[str, str]], users: list[str]) -> None:
    for user in users:
        add_user(db, user, PASSWORD, "inspector")
        grant_province(db, user, "10")
    admin = Principal("bench", "bench", "admin", frozenset(), "office")
    clock = HybridClock("office")
    for start in range(0, len(factories), 2000):
        push(db, admin, [Op(uuid7(), "factories", factory_id(fid), "upsert",
                            {"fid": fid, "name": name, "province_code": "10",
                             "province": "กรุงเทพมหานคร", "lat": 13.7, "lng": 100.5,
                             "address": f"{fid} ถนนพระราม 4 แขวงคลองเตย เขตคลองเตย"},
                            clock.now()) for fid, name in factories[start:start + 2000]], 0)


def finalize(store, ids: list[str], at: str) -> None:
    """Finalize the drafts ``ids`` as store/signing.py does (the factory kept with each, then
    its hash, which the office finds equal to its own), without its check of the template's
    items, which the benchmarks' made-up answers do not follow."""
    with store.transaction():
        for i in ids:
            keep_factory(store, i)
    save_rows(store, "inspections", [{"id": i, "state": "finalized",
                                      "content_hash": compute_content_hash(store, i),
                                      "finalized_at": at} for i in ids])


def factories(n: int) -> list[tuple[str, str]]:
    return [(f"1010{k:010d}", f"บริษัท โรงงานตัวอย่าง {k} จำกัด") for k in range(n)]


def pg_database(admin_url: str) -> tuple[str, str]:
    """A new, empty PostgreSQL database for one run: its URL and name (for ``drop``)."""
    import psycopg
    name = f"fieldapp_bench_{secrets.token_hex(4)}"
    with psycopg.connect(admin_url, autocommit=True) as c:
        c.execute(f'CREATE DATABASE "{name}"')
    return f"{admin_url.rsplit('/', 1)[0]}/{name}", name


def drop(admin_url: str, name: str) -> None:
    """Drops a run's database; FIELDAPP_BENCH_KEEP=1 keeps it, to look into (EXPLAIN a page
    as the office had it at the end of the run)."""
    import psycopg
    if os.environ.get("FIELDAPP_BENCH_KEEP"):
        print(f"kept database {name}", file=sys.stderr)
        return
    with psycopg.connect(admin_url, autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
