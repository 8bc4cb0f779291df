"""Places orders from several threads and prints ``ACK <order_id> <client_ref>`` once each is acknowledged.

Run by test_crash.py, which kills it with SIGKILL at random moments.
"""
from __future__ import annotations

import sys
import threading
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from services.local import open_local_shop  # noqa: E402
from tests.contract.helpers import order  # noqa: E402

print_lock = threading.Lock()


def place_forever(shop, worker: int) -> None:
    i = 0
    while True:
        ref = f"w{worker}-{uuid.uuid4().hex[:12]}"
        receipt = shop.place_order(order(("cola", 1), ("gimbap", 1), client_ref=ref))
        with print_lock:
            sys.stdout.write(f"ACK {receipt.order_id} {ref}\n")
            sys.stdout.flush()
        i += 1


if __name__ == "__main__":
    shop = open_local_shop(Path(sys.argv[1]), scheduler=False)
    print("READY", flush=True)
    for n in range(4):
        threading.Thread(target=place_forever, args=(shop, n), daemon=True).start()
    threading.Event().wait()
