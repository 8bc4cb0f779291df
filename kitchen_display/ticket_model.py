"""The kitchen display's list of ticket cards, patched in place from each refetch.

``apply(tickets)`` turns a fresh ``shop.kitchen_tickets()`` into the smallest set of row inserts,
removals and ``dataChanged`` calls, so one update with 300 open tickets stays well under a frame.

A cancelled ticket never vanishes silently: ``mark_cancelled`` keeps it on the board, struck out,
for ``linger_s`` seconds (even if a refetch that raced the cancel already dropped it).
"""
from __future__ import annotations

import dataclasses
import time
from collections import Counter
from datetime import datetime, timezone

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from services.port import Ticket

TicketRole = Qt.ItemDataRole.UserRole + 1
SlotRole = Qt.ItemDataRole.UserRole + 2       # the ticket's key 1-9 (0: none): kept while it is on the board
SLOTS = 9
OPEN_STATUSES = ("queued", "cooking")
_ANSWERED_ROLES = frozenset(int(r) for r in (TicketRole, SlotRole, Qt.ItemDataRole.DisplayRole,
                                             Qt.ItemDataRole.ToolTipRole))


class TicketModel(QAbstractListModel):
    new_tickets = Signal(list)   # order ids that reached the kitchen since the first load

    def __init__(self, linger_s: float = 8.0, parent=None) -> None:
        super().__init__(parent)
        self.linger_s = linger_s
        self._rows: list[Ticket] = []
        self._lingering: dict[int, float] = {}        # cancelled order id -> monotonic expiry
        self._recently_removed: dict[int, tuple[Ticket, float]] = {}
        self._seen: set[int] = set()
        self._provisional: dict[int, float] = {}      # shown from the live feed, not yet fetched -> when
        self._slots: dict[int, int] = {}              # order id -> its key 1-9, stable until it leaves
        self._loaded = False
        for changed in (self.rowsInserted, self.rowsRemoved, self.modelReset):
            changed.connect(self._sync_slots)

    # -- Qt model interface ------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if int(role) not in _ANSWERED_ROLES:     # cheap exit for the many roles views ask about
            return None
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        ticket = self._rows[index.row()]
        if role == TicketRole:
            return ticket
        if role == SlotRole:
            return self._slots.get(ticket.order_id, 0)
        if role == Qt.ItemDataRole.DisplayRole:
            return f"#{ticket.order_id} {ticket.status}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join(f"{line.quantity} × {line.name_ko} {line.note}".rstrip() for line in ticket.lines)
        return None

    # -- queries -----------------------------------------------------------------------------------
    def tickets(self) -> list[Ticket]:
        return list(self._rows)

    def row_of(self, order_id: int) -> int:
        for row, ticket in enumerate(self._rows):
            if ticket.order_id == order_id:
                return row
        return -1

    def slot_of(self, order_id: int) -> int:
        return self._slots.get(order_id, 0)

    def row_of_slot(self, slot: int) -> int:
        order_id = next((oid for oid, s in self._slots.items() if s == slot), None)
        return -1 if order_id is None else self.row_of(order_id)

    def _sync_slots(self, *_) -> None:
        """A ticket keeps its key while on the board (a bump never renumbers the others, so a cook's
        "3" is still the ticket they read); a new ticket takes the lowest free key, if any."""
        on_board = self._row_ids()
        self._slots = {oid: slot for oid, slot in self._slots.items() if oid in on_board}
        free = sorted(set(range(1, SLOTS + 1)) - set(self._slots.values()), reverse=True)
        for ticket in self._rows:
            if not free:
                break
            if ticket.order_id not in self._slots:
                self._slots[ticket.order_id] = free.pop()

    def all_day(self) -> list[tuple[str, str, int]]:
        """What is still to cook: (name_ko, name_en, quantity) over open tickets, most first."""
        counts: Counter[tuple[str, str]] = Counter()
        for ticket in self._rows:
            if ticket.status in OPEN_STATUSES:
                for line in ticket.lines:
                    counts[(line.name_ko, line.name_en)] += line.quantity
        return [(ko, en, n) for (ko, en), n in counts.most_common()]

    # -- updates -----------------------------------------------------------------------------------
    def apply(self, fetched: list[Ticket], fetch_started: float | None = None) -> None:
        """Make the rows equal ``fetched`` (arrival order) plus any cancelled tickets still lingering.
        ``fetch_started`` (``time.monotonic()`` when the query began) lets a ticket shown from the
        live feed survive a query that began before it was shown; a later query has the last word."""
        now = time.monotonic()
        fetch_started = now if fetch_started is None else fetch_started
        for order_id, expiry in list(self._lingering.items()):
            if expiry <= now:
                del self._lingering[order_id]
        fetched_ids = {t.order_id for t in fetched}
        keep = [t for t in self._rows if t.order_id not in fetched_ids
                and (t.order_id in self._lingering or self._provisional.get(t.order_id, -1.0) > fetch_started)]
        for order_id in list(self._provisional):
            if self._provisional[order_id] <= fetch_started or order_id in fetched_ids:
                del self._provisional[order_id]       # this query saw it (or saw it gone): it decides
        wanted = sorted([*fetched, *keep], key=lambda t: (t.created_at, t.order_id))
        wanted_ids = {t.order_id for t in wanted}

        self._remove_rows_not_in(wanted_ids, now)
        kept = self._row_ids()
        if [t.order_id for t in self._rows] != [t.order_id for t in wanted if t.order_id in kept]:
            self.beginResetModel()               # relative order changed: rare, so a reset is fine
            self._rows = list(wanted)
            self.endResetModel()
        else:
            self._merge_in_order(wanted)

        arrived = [t.order_id for t in fetched if t.order_id not in self._seen and t.status in OPEN_STATUSES]
        self._seen.update(fetched_ids)
        if self._loaded and arrived:
            self.new_tickets.emit(arrived)
        self._loaded = True

    def add_arrived(self, ticket: Ticket) -> bool:
        """Show a ticket built from the live feed at once, before the refetch that confirms it (and
        patches it if it differs, or removes it if it is already gone). Call ``apply`` with a fetch
        that starts after this call, as the arrival's own event triggers."""
        if ticket.order_id in self._seen or self.row_of(ticket.order_id) >= 0:
            return False
        row = self._insert_position(ticket)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.insert(row, ticket)
        self.endInsertRows()
        self._seen.add(ticket.order_id)
        self._provisional[ticket.order_id] = time.monotonic()
        if self._loaded:
            self.new_tickets.emit([ticket.order_id])
        return True

    def mark_cancelled(self, order_id: int) -> bool:
        """Strike a ticket out and keep it visible for ``linger_s``; False if we never had it."""
        row = self.row_of(order_id)
        if row < 0:
            removed = self._recently_removed.pop(order_id, None)
            if removed is None:
                return False
            ticket = removed[0]
            row = self._insert_position(ticket)
            self.beginInsertRows(QModelIndex(), row, row)
            self._rows.insert(row, ticket)
            self.endInsertRows()
        ticket = self._rows[row]
        self._rows[row] = dataclasses.replace(ticket, status="cancelled",
                                              cancelled_at=ticket.cancelled_at or datetime.now(timezone.utc))
        self._lingering[order_id] = time.monotonic() + self.linger_s
        self._provisional.pop(order_id, None)
        self.dataChanged.emit(self.index(row), self.index(row))
        return True

    def expire_lingering(self) -> None:
        """Drop cancelled tickets whose time is up (called by the display's clock)."""
        now = time.monotonic()
        expired = {oid for oid, expiry in self._lingering.items() if expiry <= now}
        if expired:
            for oid in expired:
                self._lingering.pop(oid, None)
            self._remove_rows_not_in({t.order_id for t in self._rows} - expired, now)

    # -- helpers -----------------------------------------------------------------------------------
    def _row_ids(self) -> set[int]:
        return {t.order_id for t in self._rows}

    def _insert_position(self, ticket: Ticket) -> int:
        key = (ticket.created_at, ticket.order_id)
        for row, existing in enumerate(self._rows):
            if (existing.created_at, existing.order_id) > key:
                return row
        return len(self._rows)

    def _remove_rows_not_in(self, keep: set[int], now: float) -> None:
        for order_id, (_, at) in list(self._recently_removed.items()):
            if now - at > 120:
                del self._recently_removed[order_id]
        row = len(self._rows) - 1
        while row >= 0:                          # bottom-up, in contiguous runs
            if self._rows[row].order_id in keep:
                row -= 1
                continue
            last = row
            while row - 1 >= 0 and self._rows[row - 1].order_id not in keep:
                row -= 1
            self.beginRemoveRows(QModelIndex(), row, last)
            for ticket in self._rows[row:last + 1]:
                self._recently_removed[ticket.order_id] = (ticket, now)
            del self._rows[row:last + 1]
            self.endRemoveRows()
            row -= 1

    def _merge_in_order(self, wanted: list[Ticket]) -> None:
        """Rows are already a subsequence of ``wanted``: insert the missing runs, patch the changed."""
        row = i = 0
        while i < len(wanted):
            if row < len(self._rows) and self._rows[row].order_id == wanted[i].order_id:
                if self._rows[row] != wanted[i]:
                    self._rows[row] = wanted[i]
                    self.dataChanged.emit(self.index(row), self.index(row))
                row += 1
                i += 1
                continue
            next_kept = self._rows[row].order_id if row < len(self._rows) else None
            start = i
            while i < len(wanted) and wanted[i].order_id != next_kept:
                i += 1
            self.beginInsertRows(QModelIndex(), row, row + i - start - 1)
            self._rows[row:row] = wanted[start:i]
            self.endInsertRows()
            row += i - start
