"""Who works this till, as recorded with what the counter does: the payment's taker, the refund of a
cancelled paid order, the day's opener (a closing's who is the manager whose PIN was given).

A Korean POS has its cashier signed in at the till. Through a shop server (``--server URL --pin
STAFF:PIN``) that is so: the server records the staff member signed in with the till's PIN, from the
session's token, whatever the till passes. The embedded shop has no sign-in, so the till is the staff
member ``SIKDANG_STAFF`` names (the variable a terminal's bare PIN is read with), else "counter", the
counter's staff id on a shop server (docs/server.md): never an empty who, which the refund would
record as the customer's own cancellation."""
from __future__ import annotations

from services import settings

TILL_STAFF = "counter"


def till_staff() -> str:
    return settings.staff_pin()[0] or TILL_STAFF
