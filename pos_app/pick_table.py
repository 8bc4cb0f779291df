"""A read-only list to pick one row from (the menu's categories, the staff): the manager picks a row to
edit it in the form below; the table itself is never edited."""
from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem


class PickTable(QTableWidget):
    def __init__(self, columns: int, stretch: int | None = None, visible_rows: int = 6) -> None:
        """``stretch``: the one column that takes the spare width (None: all share it)."""
        super().__init__(0, columns)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.verticalHeader().setVisible(False)
        self.setMinimumHeight(self.verticalHeader().defaultSectionSize() * (visible_rows + 1))
        header = self.horizontalHeader()
        if stretch is None:
            header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        else:
            header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)

    def fill(self, rows: Sequence[Sequence[str]], select: int | None = None) -> None:
        """Show ``rows`` (texts), then select row ``select`` if given (a selection signal follows)."""
        self.blockSignals(True)
        self.setRowCount(len(rows))
        for row, cells in enumerate(rows):
            for column, value in enumerate(cells):
                self.setItem(row, column, QTableWidgetItem(value))
        self.blockSignals(False)
        if select is not None:
            self.selectRow(select)

    def picked(self) -> int | None:
        rows = self.selectionModel().selectedRows()
        return rows[0].row() if rows else None
