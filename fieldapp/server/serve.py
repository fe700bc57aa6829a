"""``fieldapp-server serve``: running the sync API and the console under uvicorn.

One process, or ``--workers N`` processes that each build their app from the environment
(``app_from_environment``); the daily upload cleanup on a thread of its own; and a process
that exits after SIGTERM even when a request is stuck on a database that never answers.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
import threading
import time

from fieldapp import __version__
from fieldapp.core.errors import FieldAppError
from fieldapp.server import (
    answer_values,
    auth,
    blob_gc,
    blobs,
    clocks,
    limits,
    office,
    scope_exits,
)
from fieldapp.server.database import open_database
from fieldapp.server.storage import Database

TOKEN_DAYS_ENV = "FIELDAPP_TOKEN_DAYS"

log = logging.getLogger(__name__)


def run(args: argparse.Namespace, db: Database) -> int:
    """``fieldapp-server serve``: the sync API and the console on ``db``, until SIGTERM."""
    import uvicorn

    from fieldapp.server.http_head import HeadCapped
    from fieldapp.server.site import create_site

    if bool(args.tls_cert) != bool(args.tls_key):
        raise FieldAppError("--tls-cert and --tls-key go together")
    if args.tls_cert:
        check_tls_files(args.tls_cert, args.tls_key)
    check_listen(args.host, args.port)
    # Checked before the start-up line; in the environment, where the app (and each worker
    # process's) takes it, as the upload quota below.
    os.environ[limits.WRITE_THREADS_ENV] = str(
        args.write_threads or limits.write_threads_from_environment())
    if args.max_clock_skew is not None:
        if args.max_clock_skew < 0:
            raise FieldAppError("--max-clock-skew is a number of minutes, 0 or more")
        # Through the environment, so that worker processes (--workers) have it too.
        os.environ[clocks.SKEW_ENV] = str(args.max_clock_skew)
    # Laptops keep their shipped templates to themselves; the office publishes them here.
    for row in office.publish_shipped_templates(db):
        print(f"published shipped template {row['template_key']} v{row['version']}",
              flush=True)
    scheme = "https" if args.tls_cert else "http"
    print(f"fieldapp-server {__version__}: {scheme}://{args.host}:{args.port} "
          f"({db.dialect}, {args.workers} worker(s))", flush=True)
    # On SIGTERM requests in flight get timeout_graceful_shutdown seconds, then uvicorn
    # cancels them; see _exit_even_if_stuck for a request stuck on a worker thread.
    # HTTP parsed by httptools (C) rather than h11 (Python), with a cap on a request's head
    # (server/http_head.py): with 300 laptops syncing at once, h11 took a sixth of the
    # office server's CPU (docs/sync-protocol.md).
    options = dict(host=args.host, port=args.port, log_level="info", http=HeadCapped,
                   ssl_certfile=args.tls_cert, ssl_keyfile=args.tls_key,
                   limit_concurrency=args.max_connections, timeout_keep_alive=30,
                   timeout_graceful_shutdown=args.graceful_timeout)
    if args.upload_quota_mb is not None:
        # In the environment, so that worker processes take it too.
        os.environ[blobs.QUOTA_ENV] = str(args.upload_quota_mb)
    if args.gc_days:
        _clean_uploads_daily(db.url, args.gc_days)
    if args.workers > 1:
        # Worker processes build their own app from the URL (uvicorn needs an import string).
        db.close()
        os.environ["FIELDAPP_SERVER_DB"] = db.url
        os.environ[TOKEN_DAYS_ENV] = str(args.token_days)
        uvicorn.run("fieldapp.server.serve:app_from_environment", factory=True,
                    workers=args.workers, **options)
    else:
        uvicorn.run(_served(create_site(db, token_days=args.token_days)), **options)
    return 0


def port_number(text: str) -> int:
    """``--port``: 1-65535 (99999 ended in a traceback from the event loop)."""
    if not (text.isascii() and text.isdigit() and 1 <= int(text) <= 65535):
        raise argparse.ArgumentTypeError(f"a port number from 1 to 65535 (got {text!r})")
    return int(text)


def check_tls_files(cert: str, key: str) -> None:
    """The certificate and key load, or one line that names the file ("No such file or
    directory" alone, or "[SSL] PEM lib", once the start-up line had claimed an address)."""
    import ssl

    for option, path in (("--tls-cert", cert), ("--tls-key", key)):
        if not os.path.isfile(path):
            raise FieldAppError(f"ไม่พบไฟล์ (no such file for {option}: {path})")
    try:
        ssl.create_default_context(ssl.Purpose.CLIENT_AUTH).load_cert_chain(cert, key)
    except (ssl.SSLError, OSError) as exc:
        raise FieldAppError(f"ใช้ใบรับรองไม่ได้ (cannot use the certificate {cert} with the "
                            f"key {key}: {exc}) — both are PEM files, the key unencrypted"
                            ) from None


def check_listen(host: str, port: int) -> None:
    """The address can be listened on, before the start-up line says it is served: a port in
    use printed that line, then uvicorn's error, and exited with code 3."""
    import socket

    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
        with socket.socket(family, kind, proto) as probe:
            # As uvicorn binds: a port in TIME_WAIT after a restart is free.
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(address)
    except OSError as exc:
        import errno

        reason = exc.strerror or str(exc)
        hint = ("another fieldapp-server (or another program) is using that port: stop it, "
                "or choose another --port") if exc.errno == errno.EADDRINUSE else \
            "check --host (an address of this computer, e.g. 0.0.0.0 for all) and --port"
        raise FieldAppError(f"เปิดรับการเชื่อมต่อที่ {host}:{port} ไม่ได้ (cannot listen on "
                            f"{host}:{port}: {reason}) — {hint}") from None


def _clean_uploads_daily(url: str, days: int) -> None:
    """``gc-uploads --days days`` and ``prune-scope-exits`` at start and every 24 hours, on
    a daemon thread with its own connection (one process does it, however many workers
    serve)."""
    def loop() -> None:
        db = open_database(url)
        while True:
            try:
                report = blob_gc.collect(db, days)
                log.info("upload cleanup: %s", report)
            except Exception:  # noqa: BLE001 - logged; the next day tries again
                log.exception("upload cleanup failed; it runs again in 24 hours")
            try:
                # Notes of rows that left an inspector's scope, past their retention.
                log.info("scope exits pruned: %d", scope_exits.prune(db))
            except Exception:  # noqa: BLE001 - logged; the next day tries again
                log.exception("pruning scope exits failed; it runs again in 24 hours")
            time.sleep(24 * 3600)
    threading.Thread(target=loop, name="gc-uploads", daemon=True).start()


def app_from_environment():
    """The app for one uvicorn worker process (``serve --workers N``)."""
    from fieldapp.server.site import create_site

    return _served(create_site(open_database(os.environ["FIELDAPP_SERVER_DB"]),
                              token_days=token_days(os.environ.get(TOKEN_DAYS_ENV))))


def token_days(text: str | None) -> float:
    """``--token-days`` / ``$FIELDAPP_TOKEN_DAYS``: a positive number of days."""
    if text is None:
        return auth.TOKEN_LIFETIME_DAYS
    try:
        days = float(text)
    except ValueError:
        days = 0
    if not 0 < days <= 3650:
        raise argparse.ArgumentTypeError("token days must be a number above 0 and at most "
                                         f"3650 (got {text!r})")
    return days


FORCED_EXIT_AFTER_S = 3.0


def _served(app):
    """``app`` as ``serve`` runs it: sure to exit after a SIGTERM (server/app.py's app is
    also run inside tests, where exiting the process is not its call)."""
    app.router.lifespan_context = _exit_even_if_stuck
    return app


@contextlib.asynccontextmanager
async def _exit_even_if_stuck(app):
    """Lifespan: at shutdown (after the graceful period), make sure the process ends.

    uvicorn cancels what is still running, but a request blocked on a worker thread (a
    database that never answers) cannot be interrupted, and Python waits for such threads
    before it exits: the process would ignore SIGTERM for ever. So a timer ends it if it is
    still there a few seconds later. Nothing acknowledged is lost: a transaction that has
    not committed was never answered, and the laptop sends it again.

    At start-up, before the first request: the templates the pushes check answers against
    are parsed (server/answer_values.py); a failure only leaves that to the first push."""
    try:
        answer_values.warm(app.state.db)
    except Exception:  # noqa: BLE001 - logged; the pushes parse them as they come
        log.warning("templates not parsed ahead of the first push", exc_info=True)
    yield
    timer = threading.Timer(FORCED_EXIT_AFTER_S, _force_exit)
    timer.daemon = True
    timer.start()


def _force_exit() -> None:
    stuck = [t.name for t in threading.enumerate()
             if t is not threading.main_thread() and not t.daemon and t.is_alive()]
    print(f"fieldapp-server: {len(stuck)} request(s) still stuck {FORCED_EXIT_AFTER_S:g} s "
          "after shutdown (a database that does not answer?); exiting anyway",
          file=sys.stderr, flush=True)
    os._exit(0)
