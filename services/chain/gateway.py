"""``python main.py gateway --port P``: the shop server's gateway over the chain.

The very app of ``main.py serve`` (``services.http.app.create_app``: the same routes, guards, sign-in
and OpenAPI) with a ``ChainShop`` behind it instead of a LocalShop, so ``main.py --server URL`` and
every screen run against the chain unchanged. Staff and sessions live in ``<data dir>/staff.sqlite``,
shared by every gateway replica on the machine (a token signed in at one is accepted by all).
SIGTERM: readiness turns 503 (HAProxy stops sending), open requests finish, then it exits.
"""
from __future__ import annotations

import argparse
import logging
from pathlib import Path

import uvicorn

from services.chain.settings import ChainSettings
from services.chain.gateway_shop import ChainShop
from services.http.app import ServerState, create_app
from services.http.auth import StaffStore
from services.http.staff_file import StaffFile
from services.http.uvicorn_config import make_config
from services.http.workers import freeze_startup_heap
from services.ops.logs import configure_logging, logging_config
from services.settings import default_replica

log = logging.getLogger(__name__)


def default_data_dir() -> Path:
    from platformdirs import user_data_dir
    return Path(user_data_dir("sikdang-pos", appauthor=False)) / "chain"


class _DrainingServer(uvicorn.Server):
    """Marks the app as draining as soon as the signal comes, so /ready answers 503 at once; once the
    requests in flight are answered, closes the shop's async connections on the loop that owns them."""

    def __init__(self, config: uvicorn.Config, state: ServerState, shop: ChainShop) -> None:
        super().__init__(config)
        self._state, self._shop = state, shop

    def handle_exit(self, sig, frame) -> None:
        self._state.draining = True
        super().handle_exit(sig, frame)

    async def shutdown(self, sockets=None) -> None:
        await super().shutdown(sockets)
        await self._shop.calls.close_async()


def run_gateway(port: int, *, host: str = "127.0.0.1", data_dir: Path | None = None,
                settings: ChainSettings | None = None, max_in_flight: int = 256, demo: bool = False) -> int:
    data_dir = Path(data_dir or default_data_dir())
    data_dir.mkdir(parents=True, exist_ok=True)
    replica = default_replica()                          # set by the supervisor (services.ops)
    configure_logging("gateway", replica)                  # JSON lines into SIKDANG_LOG_DIR, if set
    staff = StaffStore(data_dir / "staff.sqlite", seed_demo=demo)   # a real chain's staff: `main.py staff add`
    shop = ChainShop(settings or ChainSettings.from_env(),
                     staff=StaffFile(data_dir / "staff.sqlite"))
    state = ServerState()
    # More in flight than the shop server: a request here mostly waits on a service, not on this CPU.
    app = create_app(shop, staff, max_in_flight=max_in_flight, state=state)
    server = _DrainingServer(make_config(app, host, port, log_config=logging_config("gateway", replica)), state, shop)
    freeze_startup_heap()
    print(f"Sikdang chain gateway on http://{host}:{port} (OpenAPI at /docs), {shop.describe()}", flush=True)
    try:
        server.run()
    finally:
        shop.close()
        staff.close()
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="main.py gateway", description="The chain's gateway (REST, one sign-in)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--data", type=Path, default=None, help="chain data folder (staff.sqlite)")
    parser.add_argument("--max-in-flight", type=int, default=256)
    parser.add_argument("--demo", action="store_true", help="a new staff file gets the demo staff")
    args = parser.parse_args(argv)
    return run_gateway(args.port, host=args.host, data_dir=args.data, max_in_flight=args.max_in_flight,
                       demo=args.demo)
