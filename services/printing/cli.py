"""``main.py printers ...``: run the print service on its own, and see or act on its jobs.

    main.py printers run --printers FILE [--db PATH | --server URL --pin STAFF:PIN]
    main.py printers waiting                  # jobs not printed yet (a printer that is off), oldest first
    main.py printers reprint ORDER            # the order's kitchen tickets again, marked REPRINT
    main.py printers receipt ORDER            # queue the order's receipt on the receipt printer
    main.py printers preview ORDER [--png P]  # the receipt as text (and as a PNG), nothing printed

The printers file defaults to ``printers.toml`` in the user data directory; the job state to a file
beside the shop database (``shop-printing.sqlite``), or ``--state PATH``.
"""
from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from datetime import datetime
from pathlib import Path

from services.errors import ShopError

ACTIONS = ("run", "waiting", "reprint", "receipt", "preview")


def default_printers_file(shop_db: Path) -> Path:
    return shop_db.with_name("printers.toml")


def state_path_for(shop_db: Path, server: str | None) -> Path:
    from services.printing.jobs import default_state_path
    if server:
        safe = "".join(c if c.isalnum() else "-" for c in server.split("://")[-1]).strip("-")
        return shop_db.with_name(f"printing-{safe}.sqlite")
    return default_state_path(shop_db)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="main.py printers", description="Sikdang POS printing")
    parser.add_argument("action", choices=ACTIONS)
    parser.add_argument("order", nargs="?", type=int, help="order number (reprint, receipt, preview)")
    parser.add_argument("--printers", type=Path, default=None, metavar="FILE", help="printers file (TOML or JSON)")
    parser.add_argument("--db", type=Path, default=None, help="shop database (default: the user data directory)")
    parser.add_argument("--server", default=None, metavar="URL", help="follow a shop server instead")
    parser.add_argument("--pin", default=None, metavar="STAFF:PIN", help="--server: sign in as this staff member")
    parser.add_argument("--state", type=Path, default=None, help="print-job state file")
    parser.add_argument("--png", type=Path, default=None, help="preview: also write the receipt as a PNG")
    return parser


def main(argv: list[str], default_db: Path) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    if args.action in ("reprint", "receipt", "preview") and args.order is None:
        print(f"main.py printers {args.action}: give the order number", file=sys.stderr)
        return 2
    db = args.db or default_db
    state = args.state or state_path_for(db, args.server)
    try:
        if args.action == "waiting":
            return _show_waiting(state)
        from services.printing.config import load_config
        config = load_config(args.printers or default_printers_file(db))
        shop = _open_shop(args, db)
        try:
            return _act(args, shop, config, state)
        finally:
            shop.close()
    except ShopError as error:
        print(f"Sikdang POS printing: {error}", file=sys.stderr)
        return 2


def _open_shop(args, db: Path):
    if args.server:
        from services.remote import open_remote_shop
        return open_remote_shop(args.server, pin=args.pin)
    from services.local import open_local_shop
    return open_local_shop(db, scheduler=False)   # the screens' process runs the shop's timed work


def _act(args, shop, config, state: Path) -> int:
    from services.printing.jobs import JobStore
    from services.printing.service import PrintDesk, PrintService
    if args.action == "run":
        service = PrintService(shop, config, state).start()
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        print(f"printing for {shop.describe()}; jobs in {state}", flush=True)
        while not stop.wait(1.0):   # a timed wait, so the signal handler runs promptly
            pass
        service.close()
        return 0
    store = JobStore(state)
    try:
        desk = PrintDesk(shop, config, store)
        if args.action == "reprint":
            for job in desk.reprint(args.order):
                print(f"queued: order {job.order_id} REPRINT (v{job.version}) on {job.printer}")
        elif args.action == "receipt":
            job = desk.print_receipt(args.order)
            print(f"queued: order {job.order_id} receipt (copy {job.version}) on {job.printer}")
        else:
            slip = desk.preview_receipt(args.order)
            sys.stdout.write(slip.to_text())
            if args.png:
                from services.printing.preview import render_png
                print(f"saved {render_png(slip, args.png)}")
        return 0
    finally:
        store.close()


def _show_waiting(state: Path) -> int:
    from services.printing.jobs import JobStore
    if not state.exists():
        print(f"no print jobs yet ({state} does not exist)")
        return 0
    store = JobStore(state)
    try:
        jobs = store.waiting()
    finally:
        store.close()
    if not jobs:
        print("nothing waiting: every job is printed")
    for job in jobs:
        made = datetime.fromtimestamp(job.created_at).strftime("%H:%M:%S")
        print(f"{job.printer:<10} order {job.order_id:<6} {job.kind:<8} v{job.version} {job.status:<8} "
              f"made {made}  attempts {job.attempts}  {job.last_error}")
    return 0
