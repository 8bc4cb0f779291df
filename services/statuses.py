"""Every status the shop knows, defined once.

String-valued enums (``StrEnum``): a member *is* its string, so the wire, the database columns and
any comparison with a plain string (``status == "placed"``) stay as they were. Code inside the shop
names the member; text from outside (a row, a JSON body) becomes one with ``TicketStatus(text)``,
which raises ``ValueError`` on a status nobody defined.
"""
from __future__ import annotations

from enum import StrEnum


class OrderStatus(StrEnum):
    """The order as the ordering context keeps it."""
    PLACED = "placed"         # accepted: cooking or scheduled; may still be cancelled
    COOKED = "cooked"         # its food is cooked: from now on a cancel is refused
    CANCELLED = "cancelled"


class TicketStatus(StrEnum):
    """A kitchen ticket (services/kitchen/model.py draws the machine)."""
    SCHEDULED = "scheduled"   # placed for later: reaches the kitchen at its time
    QUEUED = "queued"
    COOKING = "cooking"
    COOKED = "cooked"         # bumped: may be recalled until the rider picks it up
    COLLECTED = "collected"   # picked up: the bump is final
    CANCELLED = "cancelled"
    REJECTED = "rejected"     # some line was out of stock: never cooked


OPEN_TICKETS = (TicketStatus.QUEUED, TicketStatus.COOKING)   # on the kitchen display


class DeliveryStatus(StrEnum):
    PENDING = "pending"       # the order is known, its food is not cooked yet
    WAITING = "waiting"       # cooked: on the board for a rider
    ON_THE_WAY = "on_the_way"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"


class GiftStatus(StrEnum):
    """A gift, as the gift context keeps it and as the order learns it (``DEFERRED``: the order side's
    own word for a gift call that failed and will be tried again)."""
    SENT = "sent"
    OUT_OF_STOCK = "out_of_stock"
    DEFERRED = "deferred"
    CANCELLED = "cancelled"


class CookStatus(StrEnum):
    """The kitchen's side of an order on mypage (``""`` until the kitchen has answered)."""
    SCHEDULED = "scheduled"
    QUEUED = "queued"
    COOKING = "cooking"
    COOKED = "cooked"
    CANCELLED = "cancelled"
    OUT_OF_STOCK = "out_of_stock"


class Progress(StrEnum):
    """One word for lists (Today's orders): where the order is now."""
    PLACED = "placed"
    SCHEDULED = "scheduled"
    COOKING = "cooking"
    COOKED = "cooked"
    DELIVERING = "delivering"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"


class CancelledBy(StrEnum):
    """Who cancelled an order (``OrderCancelled.by``)."""
    CUSTOMER = "customer"
    KITCHEN = "kitchen"       # out of stock


class OrderType(StrEnum):
    """How the customer eats: at a table, taken away (called when ready), or brought to an address.
    An order (or an ``Ordered`` event) that does not say is a delivery: every order was, before types."""
    DINE_IN = "dine_in"
    TAKEOUT = "takeout"
    DELIVERY = "delivery"


class TenderKind(StrEnum):
    CASH = "cash"
    CARD = "card"             # recorded only (approval number, last four): no card processing here


class BillStatus(StrEnum):
    """An order's bill in the payments context."""
    OPEN = "open"             # something is still due (a dine-in order paid at the end, a split part-paid)
    PAID = "paid"
    CANCELLED = "cancelled"   # the order was cancelled: whatever was paid has been refunded


class DayStatus(StrEnum):
    OPEN = "open"             # 개점: payments are taken into this day
    CLOSED = "closed"         # 마감: its Z report is kept and nothing in it changes


class ConnectionState(StrEnum):
    """A terminal's link to its shop (``services.port.Connection.state``)."""
    ONLINE = "online"
    OFFLINE = "offline"       # the server is away: orders are kept on this till
    SENDING = "sending"       # back: orders kept while away are still going out
    BUSY = "busy"             # the server asked us to slow down
