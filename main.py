"""Sikdang POS entry point and composition root: picks the local or remote shop, then the screens.

    python main.py                       # every screen, embedded SQLite shop (offline default)
    python main.py --screen kitchen      # one screen: counter | kitchen | delivery | mypage | all
    python main.py --db PATH             # another shop database
    python main.py --server URL          # the same screens against a shop server
    python main.py demo                  # a short scripted day, printed (no screens)
    python main.py serve [--demo]        # the shop server: every context over REST, one port (--demo: demo staff)
    python main.py staff add ID --role ROLE --name NAME   # on the server machine: add staff (asks the PIN)
    python main.py unlock STAFF          # on the server machine: unlock a locked account (audited)
    python main.py --printers FILE       # also print receipts and kitchen tickets (docs/printing.md)
    python main.py printers run|waiting|reprint N|receipt N|preview N   # printing on its own
    python main.py chain                 # the chain: every context its own service (docs/chain.md)
    python main.py gateway --port P      # one gateway of the chain (main.py chain runs them)
    python main.py service CONTEXT --port P [--replica N]   # one replica of one chain service
    python main.py logs [--follow] [--order ID]   # every process's JSON log lines, merged in time order
"""
from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path


def default_db_path() -> Path:
    from platformdirs import user_data_dir
    return Path(user_data_dir("sikdang-pos", appauthor=False)) / "shop.sqlite"


def _at_least_one(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {value!r}")
    return int(value)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="main.py", description="Sikdang POS")
    parser.add_argument("command", nargs="?", default="app", choices=["app", "demo", "serve", "unlock", "logs"],
                        help="app (default): open the screens; demo: a scripted day; serve: the shop server; "
                             "unlock STAFF: unlock a locked account on the server machine (audited); "
                             "logs: read the log folder")
    parser.add_argument("staff", nargs="?", default=None, help="unlock: the staff id to unlock")
    parser.add_argument("--db", type=Path, default=None, help="shop database (default: the user data directory)")
    parser.add_argument("--screen", default="all", choices=["all", "counter", "kitchen", "delivery", "mypage"])
    parser.add_argument("--server", default=None, metavar="URL", help="use a shop server instead of the local database")
    parser.add_argument("--lang", default=None, choices=["en", "ko"], help="UI language (default: system)")
    parser.add_argument("--host", default="127.0.0.1", help="serve: address to bind (default loopback)")
    parser.add_argument("--port", type=int, default=8080, help="serve: port (default 8080)")
    parser.add_argument("--workers", type=_at_least_one, default=1, metavar="N",
                        help="serve: gateway worker processes beside the shop process (default 1)")
    parser.add_argument("--demo", action="store_true",
                        help="serve: add the demo staff, whose PINs are published (docs/server.md): a try-out, "
                             "never a real shop")
    parser.add_argument("--pin", default=None, metavar="STAFF:PIN",
                        help="--server: sign in as this staff member, e.g. counter:1111 (demo staff: docs/server.md)")
    parser.add_argument("--printers", type=Path, default=None, metavar="FILE",
                        help="ESC/POS printers file (default: printers.toml beside the shop database, if there)")
    parser.add_argument("--log-level", default="INFO")
    logs = parser.add_argument_group("logs (docs/operations.md)")
    logs.add_argument("--log-dir", type=Path, default=None,
                      help="the log folder (default: SIKDANG_LOG_DIR, else beside the shop database)")
    logs.add_argument("--follow", "-f", action="store_true", help="logs: keep printing lines as they come")
    logs.add_argument("--order", type=int, default=None, metavar="ID", help="logs: only this order's lines")
    logs.add_argument("--json", action="store_true", help="logs: print the JSON lines as they are")
    logs.add_argument("--lines", type=int, default=20, metavar="N", help="logs --follow: start with the last N")
    return parser


def why_no_screen() -> str:
    """On Linux without a display Qt would abort with advice about xcb libraries; say what is wrong."""
    from services.settings import no_display
    if no_display():
        return ("no display found (DISPLAY is not set). Run it on the shop's desktop, under xvfb-run, "
                "or try `./dev demo` for a scripted day in the terminal.")
    return ""


def why_not_this_db(args) -> str:
    """An explicit --db in a folder that does not exist is a typo, not a request for a new shop."""
    if args.db and not args.server and not args.db.parent.is_dir():
        return (f"the folder {args.db.parent} does not exist: check the --db path"
                " (a new shop file is created in an existing folder)")
    return ""


def open_shop(args, db_path: Path):
    if args.server:
        from services.remote import open_remote_shop
        return open_remote_shop(args.server, pin=args.pin)
    from services.http.staff_file import StaffFile
    from services.http.workers import staff_db_path
    from services.local import open_local_shop
    # The embedded shop checks a manager's PIN against the staff file the shop server would use, writes
    # the manager's actions to that file's audit log, and keeps its staff list there.
    return open_local_shop(db_path, staff=StaffFile(staff_db_path(db_path)))


def start_printing(args, shop, db_path: Path):
    """The print service beside the screens, when a printers file is given or set up; None otherwise.
    A bad printers file raises ShopError (the app refuses to start rather than print nothing)."""
    from services.printing.cli import default_printers_file, state_path_for
    printers = args.printers or default_printers_file(db_path)
    if not args.printers and not printers.is_file():
        return None
    from services.errors import InvalidInput
    from services.printing import load_config, open_print_service
    config = load_config(printers)
    try:
        return open_print_service(shop, config, state_path_for(db_path, args.server))
    except InvalidInput as busy:   # another process already prints for this shop: it goes on doing so
        logging.getLogger("main").warning("printing not started here: %s", busy)
        return None


def describe_error(error: Exception) -> str:
    from services.errors import ShopError
    if isinstance(error, ShopError):
        return str(error)
    if "file is not a database" in str(error):
        return "that file is not a Sikdang POS database (SQLite); pick another with --db"
    if "already exists" in str(error):
        return "that SQLite file belongs to another program (its tables clash with the shop's); pick another with --db"
    if isinstance(error, OSError) or "unable to open database" in str(error):
        return f"the database file cannot be created or opened there ({error.__class__.__name__})"
    logging.getLogger("main").exception("opening the shop failed")
    return f"{error.__class__.__name__}: {error}"


def _printers(argv: list[str]) -> int:
    from services.printing.cli import main as printers_main
    return printers_main(argv, default_db_path())


def _staff(argv: list[str]) -> int:
    from services.http.console import staff_main
    return staff_main(argv, default_db_path())


def _main_of(module: str):
    def run(argv: list[str]) -> int:
        import importlib
        return importlib.import_module(module).main(argv)
    return run


# Subcommands that parse their own options (their modules say which).
COMMANDS_WITH_OWN_OPTIONS = {
    "printers": _printers,
    "staff": _staff,
    "service": _main_of("services.chain.service"),
    "gateway": _main_of("services.chain.gateway"),
    "chain": _main_of("services.chain.launch"),
}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] and argv[0] in COMMANDS_WITH_OWN_OPTIONS:
        logging.basicConfig(level="INFO", format="%(asctime)s %(levelname)s %(name)s %(message)s")
        logging.getLogger("alembic").setLevel(logging.WARNING)   # its INFO lines bury our own
        return COMMANDS_WITH_OWN_OPTIONS[argv[0]](argv[1:])
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(),
                        format="%(asctime)s %(levelname)s %(name)s %(message)s")
    for chatty in ("alembic", "apscheduler"):  # their INFO lines bury the shop's own
        logging.getLogger(chatty).setLevel(max(logging.WARNING, logging.getLogger().level))
    db_path = args.db or default_db_path()
    if args.command == "demo":
        from services.demo import run_demo
        return run_demo(db_path if args.db else None)
    if args.command == "unlock":
        from services.http.console import unlock_from_console
        if not args.staff:
            build_parser().error("unlock needs the staff id, e.g. main.py unlock manager --db PATH")
        return unlock_from_console(db_path, args.staff)
    if args.command == "logs":
        from services.ops.logread import run
        from services.ops.settings import shop_log_dir
        return run(args.log_dir or shop_log_dir(db_path), order_id=args.order, follow_=args.follow,
                   as_json=args.json, lines=args.lines)
    if args.command == "serve":   # under supervisord: a killed shop process is started again
        from services.ops.serve import serve
        return serve(db_path, host=args.host, port=args.port, workers=args.workers, log_level=args.log_level,
                     demo=args.demo)
    if problem := why_no_screen() or why_not_this_db(args):
        print(f"Sikdang POS: {problem}", file=sys.stderr)
        return 2
    try:
        shop = open_shop(args, db_path)
    except Exception as error:  # noqa: BLE001 - the user gets one clear line, never a traceback
        print(f"Sikdang POS cannot open {args.server or db_path}: {describe_error(error)}", file=sys.stderr)
        return 2
    try:
        printing = start_printing(args, shop, db_path)
    except Exception as error:  # noqa: BLE001 - one clear line, as for the shop itself
        shop.close()
        print(f"Sikdang POS cannot start printing: {describe_error(error)}", file=sys.stderr)
        return 2
    from pos_app.app import run_gui
    try:
        return run_gui(shop, screen=args.screen, language=args.lang, receipt_printer=printing)
    finally:
        if printing is not None:
            printing.close()
        shop.close()


if __name__ == "__main__":
    sys.exit(main())
