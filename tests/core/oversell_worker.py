"""Tries to order ``count`` single units of an item, starting at a shared moment; prints each receipt status."""
from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from services.local import open_local_shop  # noqa: E402
from tests.contract.helpers import order  # noqa: E402

if __name__ == "__main__":
    db, item, count, start_at = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
    shop = open_local_shop(db, scheduler=False)
    time.sleep(max(0.0, start_at - time.time()))
    for _ in range(count):
        print(shop.place_order(order((item, 1))).status, flush=True)
    shop.close()
