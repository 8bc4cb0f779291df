"""The counter's cart: lines of (menu item, quantity, note), quantity and note editable in place."""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from screens_common.fmt import won
from screens_common.i18n import item_name, tr
from services.commands import MAX_NOTE_LENGTH, MAX_QUANTITY_PER_LINE, OrderLine
from services.port import MenuItem

COLUMNS = ("col.item", "col.qty", "col.note", "col.amount")
ITEM, QTY, NOTE, AMOUNT = range(4)


@dataclass
class CartLine:
    item: MenuItem
    quantity: int = 1
    note: str = ""

    @property
    def amount(self) -> int:
        return self.item.price * self.quantity


SHORT_NOTE = 12   # characters of a note shown in the cart; the note field below shows it whole


def _item_cell(line: CartLine) -> str:
    """Two lines that fit a narrow cart: the name (English over Korean on an English screen), the note."""
    name = item_name(line.item.name_ko, line.item.name_en)
    if name != line.item.name_ko:
        name = f"{line.item.name_en}\n{line.item.name_ko}"
    if line.note:
        note = line.note if len(line.note) <= SHORT_NOTE + 1 else line.note[:SHORT_NOTE] + "…"
        name = f"{name.split(chr(10))[0]}\n※ {note}"
    return name


class CartModel(QAbstractTableModel):
    """Never holds more of an item than the menu last said is in stock (when it knows the stock):
    a refused addition emits ``over_stock(item)`` instead, so the cashier is told at the cart and the
    kitchen never has to cancel the order."""
    total_changed = Signal(int)
    over_stock = Signal(object)   # MenuItem

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._lines: list[CartLine] = []
        self.modelReset.connect(self._emit_total)
        self.rowsInserted.connect(self._emit_total)
        self.rowsRemoved.connect(self._emit_total)
        self.dataChanged.connect(self._emit_total)

    # -- Qt model interface ------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._lines) or not 0 <= index.column() < len(COLUMNS):
            return None
        line, column = self._lines[index.row()], index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if column == ITEM and role == Qt.ItemDataRole.DisplayRole:
                return _item_cell(line)
            if column == ITEM:
                return item_name(line.item.name_ko, line.item.name_en)
            if column == QTY:
                return line.quantity if role == Qt.ItemDataRole.EditRole else str(line.quantity)
            if column == NOTE:
                return line.note
            return won(line.amount)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (QTY, AMOUNT):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if (role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal
                and 0 <= section < len(COLUMNS)):
            return tr(COLUMNS[section])
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() in (QTY, NOTE):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: QModelIndex | QPersistentModelIndex, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or index.column() not in (QTY, NOTE):
            return False
        line = self._lines[index.row()]
        if index.column() == QTY:
            try:
                quantity = int(value)
            except (TypeError, ValueError):
                return False
            if not 1 <= quantity <= MAX_QUANTITY_PER_LINE:
                return False
            if quantity > line.quantity and not self._room_for(line.item, quantity - line.quantity):
                return False
            line.quantity = quantity
        else:
            line.note = str(value)[:MAX_NOTE_LENGTH]
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), AMOUNT))
        return True

    # -- cart operations ---------------------------------------------------------------------------
    @property
    def total(self) -> int:
        return sum(line.amount for line in self._lines)

    def lines(self) -> list[CartLine]:
        return list(self._lines)

    def in_cart(self, item_code: str) -> int:
        return sum(line.quantity for line in self._lines if line.item.code == item_code)

    def _room_for(self, item: MenuItem, more: int) -> bool:
        if not item.stock_known or self.in_cart(item.code) + more <= item.stock:
            return True
        self.over_stock.emit(item)
        return False

    def add(self, item: MenuItem) -> int:
        """Add one of ``item`` (a new line, or one more on its line without a note); returns the row,
        or -1 when the stock is all in the cart already."""
        if not self._room_for(item, 1):
            return -1
        for row, line in enumerate(self._lines):
            if line.item.code == item.code and not line.note:
                self.change_quantity(row, +1)
                return row
        row = len(self._lines)
        self.beginInsertRows(QModelIndex(), row, row)
        self._lines.append(CartLine(item))
        self.endInsertRows()
        return row

    def change_quantity(self, row: int, delta: int) -> None:
        if not 0 <= row < len(self._lines):
            return
        quantity = self._lines[row].quantity + delta
        if quantity <= 0:
            self.remove(row)
        else:
            self.setData(self.index(row, QTY), min(quantity, MAX_QUANTITY_PER_LINE))

    def remove(self, row: int) -> None:
        if 0 <= row < len(self._lines):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._lines[row]
            self.endRemoveRows()

    def clear(self) -> None:
        self.beginResetModel()
        self._lines = []
        self.endResetModel()

    def refresh_items(self, menu: list[MenuItem]) -> None:
        """Keep names, prices and stock in step with the menu (the kitchen still has the last word)."""
        by_code = {item.code: item for item in menu}
        for line in self._lines:
            line.item = by_code.get(line.item.code, line.item)
        if self._lines:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._lines) - 1, AMOUNT))

    def order_lines(self) -> tuple[OrderLine, ...]:
        """May raise InvalidInput (shown to the cashier) - validation lives in the command."""
        return tuple(OrderLine(line.item.code, line.quantity, line.note.strip()) for line in self._lines)

    def _emit_total(self, *args) -> None:
        self.total_changed.emit(self.total)
