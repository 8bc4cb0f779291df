"""Cancelling an order asks first: which order, why (a short list or typed text), and a second click.

A reason picked from the list is stored as its code ("@duplicate") so every screen shows it in its
reader's language; a typed reason is stored as typed.
"""
from __future__ import annotations

from PySide6.QtWidgets import (QButtonGroup, QDialog, QHBoxLayout, QLabel, QLineEdit, QPushButton, QRadioButton,
                               QVBoxLayout, QWidget)

from screens_common.i18n import tr
from screens_common.widgets import ui_font
from services.commands import MAX_REASON_LENGTH

REASONS = ("customer_request", "customer_left", "duplicate", "wrong_order", "too_slow")


class CancelDialog(QDialog):
    def __init__(self, order_label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("counter.cancel"))
        self.setFont(ui_font(13))
        layout = QVBoxLayout(self)
        self.question = QLabel(tr("cancel.title", order=order_label),  # type: ignore[call-overload]  # stub gap: inherited property
                               font=ui_font(15, bold=True))
        layout.addWidget(self.question)
        layout.addWidget(QLabel(tr("cancel.why")))
        self.choices = QButtonGroup(self)
        for n, code in enumerate(REASONS):
            button = QRadioButton(tr(f"reason.{code}"))
            button.setChecked(n == 0)
            self.choices.addButton(button, n)
            layout.addWidget(button)
        self.typed = QLineEdit(placeholderText=tr("cancel.other"), maxLength=MAX_REASON_LENGTH)
        layout.addWidget(self.typed)
        buttons = QHBoxLayout()
        self.keep = QPushButton(tr("cancel.keep"))
        self.confirm = QPushButton(tr("cancel.confirm"))
        self.confirm.setStyleSheet("QPushButton { background:#c62828; color:white; padding:8px 16px; }")
        self.keep.setDefault(True)                 # Enter on a stray dialog keeps the order
        self.keep.clicked.connect(self.reject)
        self.confirm.clicked.connect(self.accept)
        buttons.addWidget(self.keep)
        buttons.addStretch(1)
        buttons.addWidget(self.confirm)
        layout.addLayout(buttons)

    def reason(self) -> str:
        """What to store: the typed text if any, else the chosen reason's code."""
        typed = self.typed.text().strip()
        return typed or "@" + REASONS[max(self.choices.checkedId(), 0)]
