"""The chain's wire formats, in one place: commands as JSON (the internal API's bodies) and events as
NATS messages (subject, headers, body). Pure functions, no I/O.

Commands: snake_case field names of ``services/commands.py``; datetimes ISO-8601 with their offset;
``PlaceOrder.lines`` as ``[{"item_code", "quantity", "note"}]``, ``TakePayment.tenders`` as
``[{"kind", "amount", "tendered", "approval", "last4", "guest"}]``. Decoding runs the command's own
validation, so a malformed body is an ``InvalidInput`` naming the field, as anywhere else.

Events: one message per outbox row, subject ``<stream lowercased>.<context>.<EventName>``, headers
``Nats-Msg-Id`` (= the event id ``<context>:<outbox id>``, JetStream's dedupe key) and
``Sikdang-Order-Id``; body ``{"id", "name", "order_id", "at", "data"}``. A row carrying another context's
event (ordering's copy of the gift's answer, services/chain/gift_client.py) is published under that
event's own id and subject: the event is the gift's wherever it is published from.
"""
from __future__ import annotations

import dataclasses
import typing
from datetime import datetime
from typing import Any, NamedTuple

import orjson

from services import commands as c
from services import menu_commands as menu
from services import payment_commands as p
from services.errors import InvalidInput
from services.events import Event, event_from_dict

# The saga's commands, the point of sale's (payments) and the manager's menu (ordering).
COMMAND_TYPES: dict[str, type] = {cls.__name__: cls for cls in (*typing.get_args(c.Command), p.TakePayment, p.OpenDay,
                                                                 p.CloseDay, menu.SaveCategory, menu.SaveMenuItem)}
MSG_ID = "Nats-Msg-Id"
ORDER_ID = "Sikdang-Order-Id"


# -- commands -----------------------------------------------------------------------------------------
def _json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, tuple):
        return [_json_value(item) for item in value]
    if dataclasses.is_dataclass(value):
        return {f.name: _json_value(getattr(value, f.name)) for f in dataclasses.fields(value)}
    return value


def command_to_json(command) -> dict:
    """The command's fields as a JSON object (``{"lines": [...], "scheduled_for": "2026-...+09:00"}``)."""
    return _json_value(command)


def command_from_json(name: str, body: Any):
    """The command ``name`` built from ``body``; InvalidInput names an unknown command, field or value."""
    cls = COMMAND_TYPES.get(name)
    if cls is None:
        raise InvalidInput(f"Unknown command {name!r}: expected one of {', '.join(sorted(COMMAND_TYPES))}")
    if not isinstance(body, dict):
        raise InvalidInput(f"The body of {name} must be a JSON object")
    known = {f.name for f in dataclasses.fields(cls)}
    unknown = sorted(set(body) - known)
    if unknown:
        raise InvalidInput(f"{name} has no field {', '.join(unknown)} (fields: {', '.join(sorted(known))})")
    fields = dict(body)
    if cls is c.PlaceOrder:
        fields["lines"] = tuple(_order_line(line) for line in (fields.get("lines") or ()))
        fields["scheduled_for"] = _datetime(fields.get("scheduled_for"), "Scheduled time")
    elif cls is p.TakePayment:
        fields["tenders"] = tuple(_tender(tender) for tender in (fields.get("tenders") or ()))
    try:
        return cls(**fields)
    except TypeError as exc:  # a required field is missing
        raise InvalidInput(f"{name}: {exc}") from None


def _order_line(line: Any) -> c.OrderLine:
    if not isinstance(line, dict):
        raise InvalidInput("An order line must be an object {item_code, quantity, note}")
    extra = sorted(set(line) - {"item_code", "quantity", "note"})
    if extra:
        raise InvalidInput(f"An order line has no field {', '.join(extra)}")
    # Unchecked JSON, as the body came: OrderLine's own checks name a missing or mistyped field.
    item_code: Any = line.get("item_code")
    quantity: Any = line.get("quantity")
    return c.OrderLine(item_code, quantity, line.get("note", ""))


def _tender(tender: Any) -> p.Tender:
    if not isinstance(tender, dict):
        raise InvalidInput("A tender must be an object {kind, amount, tendered, approval, last4, guest}")
    extra = sorted(set(tender) - {f.name for f in dataclasses.fields(p.Tender)})
    if extra:
        raise InvalidInput(f"A tender has no field {', '.join(extra)}")
    try:
        return p.Tender(**tender)
    except TypeError as exc:  # kind or amount missing
        raise InvalidInput(f"Tender: {exc}") from None


def _datetime(value: Any, field: str) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    try:
        return datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise InvalidInput(f"{field} must be an ISO-8601 date and time, got {value!r}") from None


def result_to_json(value: Any) -> Any:
    """A handler's return value as JSON (ints, None, GiftOutcome and OrderReceipt dataclasses)."""
    return _json_value(value)


# -- events -------------------------------------------------------------------------------------------
class EventMessage(NamedTuple):
    subject: str
    headers: dict[str, str]
    body: bytes


class ReceivedEvent(NamedTuple):
    id: str          # "<context>:<outbox id>": the inbox key
    at: float
    event: Event


def subject_prefix(stream: str) -> str:
    return stream.lower()


def event_id(context: str, outbox_id: int) -> str:
    return f"{context}:{outbox_id}"


def event_message(stream: str, context: str, outbox_id: int, at: float, name: str, order_id: int,
                  data: dict | str, msg_id: str | None = None) -> EventMessage:
    """The message for one outbox row; ``data`` is ``event.to_dict()`` or already its JSON text;
    ``msg_id`` is the event id of a row carrying another context's event (it names the subject's context)."""
    eid = msg_id or event_id(context, outbox_id)
    context = eid.partition(":")[0]
    data_json = data if isinstance(data, str) else orjson.dumps(data).decode()
    body = (f'{{"id":{orjson.dumps(eid).decode()},"name":{orjson.dumps(name).decode()},'
            f'"order_id":{int(order_id)},"at":{orjson.dumps(at).decode()},"data":{data_json}}}').encode()
    return EventMessage(f"{subject_prefix(stream)}.{context}.{name}",
                        {MSG_ID: eid, ORDER_ID: str(order_id)}, body)


def decode_event(body: bytes) -> ReceivedEvent:
    """Inverse of ``event_message``: raises ValueError/KeyError/TypeError on a malformed body."""
    message = orjson.loads(body)
    return ReceivedEvent(message["id"], float(message["at"]), event_from_dict(message["name"], message["data"]))
