"""The till's main window: counter, delivery board and mypage as tabs, a toolbar (language, the day,
the manager, the menu, the staff, the kitchen display) and a status bar of signs (which shop is open,
the link to its server, a printer holding slips back)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QMainWindow, QPushButton, QTabWidget, QToolBar

from kitchen_display.window import KitchenDisplay
from pos_app.counter import CounterScreen
from pos_app.day_dialog import DayDialog
from pos_app.delivery_board import DeliveryBoardScreen
from pos_app.manager import ManagerDialog
from pos_app.menu_editor import MenuEditor
from pos_app.mypage import MypageScreen
from pos_app.printer_sign import PrinterSign
from pos_app.staff_dialog import StaffDialog
from screens_common.bridge import ShopEvents
from screens_common.connection import ConnectionSign
from screens_common.i18n import set_language, shop_text, tr, translator
from screens_common.runner import PortRunner
from screens_common.widgets import ui_font
from services.port import Shop

SHOP_SIGN_PX = 420   # the widest the shop's name and database path may be drawn in the status bar


class MainWindow(QMainWindow):
    """Counter, delivery board and mypage as tabs, a language switch, the manager dialog, and a
    permanent sign of which shop/database is open."""

    def __init__(self, shop: Shop, events: ShopEvents, screens: list[str], kitchen: KitchenDisplay | None,
                 receipt_printer=None) -> None:
        super().__init__()
        self.shop, self.events, self.kitchen = shop, events, kitchen
        self.shop_label = ""
        self.runner = PortRunner(self)
        self.counter = CounterScreen(shop, events, receipt_printer=receipt_printer) if "counter" in screens else None
        self.delivery = DeliveryBoardScreen(shop, events) if "delivery" in screens else None
        self.mypage = MypageScreen(shop, events) if "mypage" in screens else None
        self.tabs = QTabWidget(font=ui_font(13, bold=True))  # type: ignore[call-arg]  # stub gap: inherited property
        for screen in (self.counter, self.delivery, self.mypage):
            if screen is not None:
                self.tabs.addTab(screen, "")
        self.setCentralWidget(self.tabs)
        if self.counter is not None and self.mypage is not None:
            self.counter.orders_view.doubleClicked.connect(self._open_in_mypage)

        toolbar = QToolBar()
        toolbar.setMovable(False)
        self.addToolBar(toolbar)
        self.language = QComboBox()
        self.language.addItem("English", "en")
        self.language.addItem("한국어", "ko")
        self.language.setCurrentIndex(1 if translator.language == "ko" else 0)
        self.language.currentIndexChanged.connect(lambda _: set_language(self.language.currentData()))
        self.language_label = QLabel()
        self.manager_button = QPushButton()
        self.manager_button.clicked.connect(self.open_manager)
        self.day_button, self.menu_button = QPushButton(), QPushButton()
        self.day_button.clicked.connect(self.open_day_dialog)
        self.menu_button.clicked.connect(self.open_menu_editor)
        self.staff_button = QPushButton()
        self.staff_button.clicked.connect(self.open_staff)
        self.day_dialog: DayDialog | None = None
        self.menu_editor: MenuEditor | None = None
        self.staff_dialog: StaffDialog | None = None
        self.kitchen_button = QPushButton()
        self.kitchen_button.clicked.connect(self.show_kitchen)
        self.kitchen_button.setVisible(kitchen is not None)
        for widget in (self.language_label, self.language, self.day_button, self.manager_button, self.menu_button,
                       self.staff_button, self.kitchen_button):
            toolbar.addWidget(widget)
        self.shop_sign = QLabel(font=ui_font(11, bold=True))  # type: ignore[call-overload]  # stub gap: inherited property
        self.shop_sign.setStyleSheet("QLabel { background:#263238; color:white; padding:3px 10px; border-radius:3px; }")
        self.statusBar().addPermanentWidget(self.shop_sign)
        self.connection_sign = ConnectionSign(events)
        self.statusBar().addPermanentWidget(self.connection_sign)
        self.printer_sign = PrinterSign(receipt_printer) if receipt_printer is not None else None
        if self.printer_sign is not None:   # permanent: a status message (e.g. why a screen did not open) beside it
            self.statusBar().insertPermanentWidget(0, self.printer_sign)
        self.manager: ManagerDialog | None = None
        translator.language_changed.connect(self.retranslate)
        self.retranslate()
        self.runner.run(shop.describe, self._set_shop_label)

    def _set_shop_label(self, label: str) -> None:
        self.shop_label = label
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(f"{tr('app.title')} — {shop_text(self.shop_label)}")
        tabs = ((self.counter, "tab.counter"), (self.delivery, "tab.delivery"), (self.mypage, "tab.mypage"))
        for index, key in enumerate(k for s, k in tabs if s is not None):
            self.tabs.setTabText(index, tr(key))
        self.language_label.setText(tr("menu.language") + " ")
        self.manager_button.setText(tr("menu.manager"))
        self.day_button.setText(tr("day.button"))
        self.menu_button.setText(tr("menu_edit.button"))
        self.staff_button.setText(tr("staff.button"))
        self.kitchen_button.setText(tr("menu.kitchen_window"))
        # A long database path is cut in the middle (whole in the tooltip and the window title), so the
        # signs beside it (the server link, a printer that is off) keep their room on a 1280-pixel screen.
        shop = shop_text(self.shop_label)
        metrics = self.shop_sign.fontMetrics()
        self.shop_sign.setText(tr("shop.open", shop=metrics.elidedText(shop, Qt.TextElideMode.ElideMiddle,
                                                                        SHOP_SIGN_PX)))
        self.shop_sign.setToolTip(shop)
        self.language.blockSignals(True)
        self.language.setCurrentIndex(1 if translator.language == "ko" else 0)
        self.language.blockSignals(False)

    def open_day_dialog(self) -> DayDialog:
        if self.day_dialog is None:
            self.day_dialog = DayDialog(self.shop, self.events, self)
        self.day_dialog.refresh()
        self.day_dialog.show()
        self.day_dialog.raise_()
        return self.day_dialog

    def open_menu_editor(self) -> MenuEditor:
        if self.menu_editor is None:
            self.menu_editor = MenuEditor(self.shop, self)
        self.menu_editor.show()
        self.menu_editor.raise_()
        return self.menu_editor

    def open_staff(self) -> StaffDialog:
        if self.staff_dialog is None:
            self.staff_dialog = StaffDialog(self.shop, self)
        self.staff_dialog.show()
        self.staff_dialog.raise_()
        return self.staff_dialog

    def open_manager(self) -> ManagerDialog:
        if self.manager is None:
            self.manager = ManagerDialog(self.shop, self.events, self)
        self.manager.show()
        self.manager.raise_()
        return self.manager

    def show_kitchen(self) -> None:
        if self.kitchen is not None:
            self.kitchen.show()
            self.kitchen.raise_()

    def _open_in_mypage(self, index) -> None:
        if self.counter is None or self.mypage is None:
            return                   # connected only when both screens are open
        order = self.counter.orders.row_at(index.row())
        if order is not None:
            self.tabs.setCurrentWidget(self.mypage)
            self.mypage.show_order(order.order_id)
