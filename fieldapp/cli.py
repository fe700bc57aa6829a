"""The ``fieldapp`` command: the app's window by default, subcommands for everything else.

Each subcommand lives in ``fieldapp/commands/<name>.py`` with ``register(subparsers)``; this
module only wires them and turns deliberate errors into one readable line and exit code 1.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys

from fieldapp import __version__
from fieldapp.core.errors import FieldAppError

# Subcommand modules, in the order ``--help`` lists them.
COMMANDS = ("demo", "registry", "search", "inspections", "templates", "backup", "printing",
            "sync")


def _global_options(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("--db", metavar="PATH",
                        help="database file (default: $FIELDAPP_DB, else the user data folder)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log technical detail")
    parser.add_argument("--self-test", action="store_true",
                        help="check this installation (temporary data, no display, no network)")
    return parser


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fieldapp", description="FieldApp — factory inspections, offline first.")
    parser.add_argument("--version", action="version", version=f"fieldapp {__version__}")
    _global_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"fieldapp.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"fieldapp.commands.{name}":
                raise
            continue
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    # Plain `fieldapp` opens the window: decide that from the global options alone, so the
    # start-up path does not import every subcommand (httpx, the importer, ...) first.
    args, rest = _global_options(argparse.ArgumentParser(add_help=False)).parse_known_args(argv)
    if rest or args.self_test:
        args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    if args.self_test:
        from fieldapp.selftest import run_self_test
        return run_self_test()
    if not getattr(args, "run", None):
        return _start_gui(args)
    try:
        return args.run(args) or 0
    except FieldAppError as exc:
        print(f"fieldapp: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("fieldapp: หยุดแล้ว งานที่บันทึกแล้วยังอยู่ครบ (interrupted; committed work is "
              "kept)", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `fieldapp search … | head`: the reader went away; that is not an error.
        sys.stderr.close()
        return 0
    except OSError as exc:
        # A file named on the command line that cannot be written or read (no such folder,
        # a folder, no permission): a one-line error, as for any other refusal.
        print(f"fieldapp: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "),
              file=sys.stderr)
        return 1


def _start_gui(args: argparse.Namespace) -> int:
    # Qt aborts the process when its X11 plugin cannot load: say which system libraries are
    # missing, and how to install them, before Qt gets the chance.
    from fieldapp.display_libraries import check_before_window
    from fieldapp.store.paths import data_home
    problem = check_before_window(data_home())
    if problem:
        print(f"fieldapp: {problem}", file=sys.stderr)
        return 1
    try:
        # Before PySide6: see fieldapp/gui/preload.py for why this is faster.
        from fieldapp.gui.preload import preload
        preload()
        from fieldapp.gui.app import run_app
    except ImportError as exc:
        print(f"fieldapp: the window cannot start here ({exc})", file=sys.stderr)
        return 1
    return run_app(args)


if __name__ == "__main__":
    sys.exit(main())
