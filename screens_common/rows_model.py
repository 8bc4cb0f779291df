"""A read-only table model over a list of frozen view rows (orders, deliveries, timeline entries).

``set_rows`` keeps selections stable: when the keys are unchanged it only emits ``dataChanged``
for rows that differ; otherwise it resets (lists of today's orders are small).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar
from collections.abc import Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from screens_common.i18n import tr

Row = TypeVar("Row")
RowRole = Qt.ItemDataRole.UserRole + 1
# Views ask for a dozen roles per cell on every repaint, on the GUI thread: the unused ones are
# answered first, from a set (docs/decisions/0021-rows-model-roles.md).
_ANSWERED_ROLES = frozenset(int(r) for r in (Qt.ItemDataRole.DisplayRole, RowRole, Qt.ItemDataRole.TextAlignmentRole,
                                              Qt.ItemDataRole.ForegroundRole))


@dataclass(frozen=True)
class Column(Generic[Row]):
    header_key: str
    text: Callable[[Row], str]
    align_right: bool = False


class RowsModel(QAbstractTableModel, Generic[Row]):
    def __init__(self, columns: list[Column], key: Callable[[Any], Any],
                 colour: Callable[[Any], str | None] | None = None, parent=None) -> None:
        super().__init__(parent)
        self._columns = columns
        self._key = key
        self._colour = colour
        self._rows: list = []

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if int(role) not in _ANSWERED_ROLES:
            return None
        if (not index.isValid() or not 0 <= index.row() < len(self._rows)
                or not 0 <= index.column() < len(self._columns)):
            return None
        row, column = self._rows[index.row()], self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == RowRole:
            return row
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and self._colour is not None:
            from PySide6.QtGui import QColor
            colour = self._colour(row)
            return QColor(colour) if colour else None
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._columns):
            return tr(self._columns[section].header_key)
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        return None

    def rows(self) -> list:
        return list(self._rows)

    def row_at(self, row: int):
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of_key(self, key: Any) -> int:
        for number, row in enumerate(self._rows):
            if self._key(row) == key:
                return number
        return -1

    def set_rows(self, rows: list) -> None:
        """Become ``rows``: rows only added or only removed are inserted/removed in place (lists such
        as today's orders grow at the top), changed rows emit ``dataChanged``; anything else resets."""
        rows = list(rows)
        old_keys, new_keys = [self._key(r) for r in self._rows], [self._key(r) for r in rows]
        if old_keys != new_keys:
            if _is_subsequence(old_keys, new_keys):
                self._insert_missing(rows, new_keys)
            elif _is_subsequence(new_keys, old_keys):
                self._remove_missing(set(new_keys))
            else:
                self.beginResetModel()
                self._rows = rows
                self.endResetModel()
                return
        # The lengths match when keys are unique (the callers' ids); not strict, so a duplicate key
        # leaves rows unpatched instead of raising on the GUI thread.
        for number, (old, new) in enumerate(zip(self._rows, rows, strict=False)):
            if old != new:
                self._rows[number] = new
                self.dataChanged.emit(self.index(number, 0), self.index(number, len(self._columns) - 1))

    def _insert_missing(self, rows: list, new_keys: list) -> None:
        present = {self._key(r) for r in self._rows}
        number = 0
        while number < len(rows):
            if new_keys[number] in present:
                number += 1
                continue
            end = number
            while end < len(rows) and new_keys[end] not in present:
                end += 1
            self.beginInsertRows(QModelIndex(), number, end - 1)
            self._rows[number:number] = rows[number:end]
            self.endInsertRows()
            number = end

    def _remove_missing(self, keep: set) -> None:
        number = len(self._rows) - 1
        while number >= 0:
            if self._key(self._rows[number]) in keep:
                number -= 1
                continue
            last = number
            while number - 1 >= 0 and self._key(self._rows[number - 1]) not in keep:
                number -= 1
            self.beginRemoveRows(QModelIndex(), number, last)
            del self._rows[number:last + 1]
            self.endRemoveRows()
            number -= 1

    def retranslate(self) -> None:
        """Headers and status words are translated at display time: tell the views to ask again."""
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, max(0, len(self._columns) - 1))
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(self._columns) - 1))


def _is_subsequence(short: list, long: list) -> bool:
    remaining = iter(long)
    return all(any(key == candidate for candidate in remaining) for key in short)
