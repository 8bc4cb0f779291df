"""A service rides out a PostgreSQL restart by itself: unready while the database is away, then its
pool, its leader (relay, timers) and its consumer come back without a restart of the service."""
from __future__ import annotations

import psycopg

from services.chain import wire
from tests.chain_services.support import (PrivatePostgres, ServiceProcess, publish_raw, run_async, stream_messages,
                                          wait_for)


def test_a_service_reconnects_after_postgresql_restarts(tmp_path, nats_server, stream):
    postgres = PrivatePostgres().init().start()
    try:
        with psycopg.connect(postgres.dsn(), autocommit=True) as conn:
            conn.execute("CREATE DATABASE sikdang")
        env = {"SIKDANG_PG_DSN": postgres.dsn("sikdang"), "SIKDANG_NATS_URL": nats_server.url,
               "SIKDANG_STREAM": stream}
        kitchen = ServiceProcess("kitchen", env, tmp_path).start().wait_ready()
        try:
            assert kitchen.command("Restock", {"item_code": "kimchi-jjigae", "quantity": 1}).status_code == 200
            postgres.stop()
            wait_for(lambda: kitchen.http.get("/readyz").status_code == 503, what="unready without its database")
            refused = kitchen.command("Restock", {"item_code": "kimchi-jjigae", "quantity": 1})
            assert refused.status_code == 503 and refused.json()["code"] == "busy"
            postgres.start()
            wait_for(lambda: kitchen.command("Restock", {"item_code": "kimchi-jjigae", "quantity": 1}).status_code
                     == 200, what="commands again")
            wait_for(lambda: kitchen.readiness()["leader"] and kitchen.readiness()["relayLag"] == 0,
                     what="the relay leading again")
            names = [m.subject.rsplit(".", 1)[1] for m in run_async(stream_messages, nats_server.url, stream)]
            assert names == ["Restocked", "Restocked"]
            ordered = wire.event_message(stream, "ordering", 1, 1.0, "Ordered", 5, {
                "order_id": 5, "customer_name": "", "phone": "", "address": "", "total": 9000, "placed_at": 1.0,
                "lines": [{"item_code": "kimchi-jjigae", "name_ko": "김치찌개", "name_en": "Kimchi stew",
                           "quantity": 1, "note": "", "unit_price": 9000}], "scheduled_for": None})
            run_async(publish_raw, nats_server.url, ordered.subject, ordered.body, ordered.headers)
            wait_for(lambda: kitchen.http.get("/views/tickets").json(), what="the consumer handling events again")
        finally:
            kitchen.close()
    finally:
        postgres.stop("immediate")
        postgres.remove()
