"""Composition of the screens and ``run_gui``, the entry point ``main.py`` calls.

    run_gui(shop, screen="all" | "counter" | "kitchen" | "delivery" | "mypage", language="en" | "ko" | None)

``build_shop_app`` does everything but the event loop, so tests, the screenshot script and the
benchmark drive exactly the windows a user gets.
"""
from __future__ import annotations

import logging
import sys
from dataclasses import dataclass, field
from typing import cast

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from kitchen_display.window import KitchenDisplay
from pos_app.main_window import MainWindow
from screens_common.bridge import ShopEvents
from screens_common.i18n import set_language, tr, translator
from screens_common.interrupt import QuitOnInterrupt
from screens_common.runner import PortRunner
from screens_common.widgets import ui_font, user_message
from services.port import Shop

log = logging.getLogger(__name__)
SCREENS = ("all", "counter", "kitchen", "delivery", "mypage")


@dataclass
class ShopApp:
    events: ShopEvents
    main: MainWindow | None = None
    kitchen: KitchenDisplay | None = None
    windows: list[QWidget] = field(default_factory=list)
    not_opened: str = ""          # why a screen asked for was not opened (the signed-in role), said once

    def show(self, kitchen_full_screen: bool | None = None) -> None:
        """Open the windows as ``run_gui`` does. The kitchen on its own (``--screen kitchen``, or a till
        signed in as the kitchen) is the wall display: full screen, as the README says. Beside the counter
        it is maximized: sized to the screen's available area, never past its edge. Tests that drive every
        screen at once keep it a window (``kitchen_full_screen=False``)."""
        kitchen_alone = self.main is None
        for window in self.windows:
            if window is self.kitchen and (kitchen_alone if kitchen_full_screen is None else kitchen_full_screen):
                window.showFullScreen()
            elif window is self.kitchen and kitchen_full_screen is None:
                window.showMaximized()
            else:
                fit_to_screen(window)
                window.show()
                fit_to_screen(window)     # again, now that the window manager's frame is known

    def close(self) -> None:
        """Stop the live feed first so no callback arrives for a closing window."""
        self.events.stop()
        for window in self.windows:
            window.close()
        for window in self.windows:
            for runner in window.findChildren(PortRunner):
                runner.wait_idle(3000)


def ensure_application() -> QApplication:
    # Port calls run on worker threads that hold the GIL while they build views; a shorter switch
    # interval (default 5 ms) lets the GUI thread in sooner, so events reach the screen faster.
    sys.setswitchinterval(0.001)
    # instance() is typed QCoreApplication; this process only ever makes a QApplication
    app = cast(QApplication | None, QApplication.instance()) or QApplication(sys.argv[:1])
    app.setApplicationName("Sikdang POS")
    app.setFont(ui_font(11))
    return app


def build_shop_app(shop: Shop, screen: str = "all", language: str | None = None, receipt_printer=None) -> ShopApp:
    if screen not in SCREENS:
        raise ValueError(f"unknown screen {screen!r}: choose one of {SCREENS}")
    ensure_application()
    set_language(language)
    events = ShopEvents(shop)
    shop_app = ShopApp(events)
    asked = ["counter", "kitchen", "delivery", "mypage"] if screen == "all" else [screen]
    allowed = [name for name in asked if may_use(shop.connection().staff_role, name)]
    if refused := [name for name in asked if name not in allowed]:
        shop_app.not_opened = tr("role.not_for", role=shop.connection().staff_role,
                                 screens=", ".join(tr(f"screen.{name}") for name in refused))
        log.warning("%s", shop_app.not_opened)
    if "kitchen" in allowed:
        shop_app.kitchen = KitchenDisplay(shop, events)
        shop_app.windows.append(shop_app.kitchen)
        # F11 toggles full screen; Ctrl+L switches language on a wall display that has no toolbar
        kitchen = shop_app.kitchen
        QShortcut(QKeySequence("F11"), kitchen,  # type: ignore[call-overload]  # stub gap: signal as keyword
                  activated=lambda: _toggle_full_screen(kitchen))
        QShortcut(QKeySequence("Ctrl+L"), shop_app.kitchen,  # type: ignore[call-overload]  # stub gap: signal as keyword
                  activated=lambda: set_language("en" if translator.language == "ko" else "ko"))
    if wanted := [name for name in allowed if name != "kitchen"]:
        shop_app.main = MainWindow(shop, events, wanted, shop_app.kitchen, receipt_printer)
        shop_app.windows.insert(0, shop_app.main)
        if shop_app.not_opened:
            shop_app.main.statusBar().showMessage(shop_app.not_opened)
    return shop_app


# Which signed-in roles each screen is for (the server's gates: services/http/routes); a manager may use all.
SCREEN_ROLES = {"counter": ("counter",), "kitchen": ("kitchen",), "delivery": ("rider", "counter"),
                "mypage": ("counter",)}


def may_use(role: str, screen: str) -> bool:
    """``role`` "" is nobody signed in (the local shop) or not yet known (started offline): all screens."""
    return not role or role == "manager" or role in SCREEN_ROLES[screen]


def fit_to_screen(window: QWidget, preferred: tuple[int, int] = (1480, 860)) -> None:
    """The preferred size where the screen has room, never past its edge (a 1280x800 till)."""
    available = (window.screen() or QApplication.primaryScreen()).availableGeometry()
    width, height = min(preferred[0], available.width()), min(preferred[1], available.height())
    window.resize(width, height)
    frame = window.frameGeometry()
    extra_w, extra_h = max(0, frame.width() - window.width()), max(0, frame.height() - window.height())
    window.resize(max(1, width - extra_w), max(1, height - extra_h))      # the title bar counts too
    frame = window.frameGeometry()
    window.move(available.left() + max(0, (available.width() - frame.width()) // 2),
                available.top() + max(0, (available.height() - frame.height()) // 2))


def _toggle_full_screen(window: QWidget) -> None:
    window.showNormal() if window.isFullScreen() else window.showFullScreen()


def isolate_settings(folder) -> None:
    """Keep QSettings (the kitchen's thresholds) under ``folder``: tests, screenshots and benchmarks
    must neither read nor change the user's own settings."""
    from PySide6.QtCore import QSettings
    for settings_format in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(settings_format, QSettings.Scope.UserScope, str(folder))


def install_error_hook() -> None:
    """A bug in a slot must not look like a crash to the cashier: log the traceback, show one line.
    One non-modal box is reused, so an error that repeats (say, in a paint) cannot stack dialogs or
    start nested event loops."""
    box: list[QMessageBox] = []

    def hook(kind, error, trace) -> None:
        log.error("unhandled error in the GUI", exc_info=(kind, error, trace))
        if QApplication.instance() is None or not issubclass(kind, Exception):
            return
        if not box:
            box.append(QMessageBox(QMessageBox.Icon.Warning, tr("err.title"), ""))
            box[0].setModal(False)
        box[0].setText(user_message(error))
        box[0].show()
    sys.excepthook = hook


def run_gui(shop: Shop, screen: str = "all", language: str | None = None, receipt_printer=None) -> int:
    """Open the screens on ``shop`` and run until the last window closes; returns the exit code.
    The caller closes the shop afterwards."""
    app = ensure_application()
    install_error_hook()
    shop_app = build_shop_app(shop, screen, language, receipt_printer)
    if not shop_app.windows:
        print(f"Sikdang POS: {shop_app.not_opened}", file=sys.stderr)
        shop_app.close()
        return 2
    shop_app.show()    # the kitchen alone is the wall display, full screen (README)
    if shop_app.main is not None and shop_app.kitchen is not None:
        # closing the counter ends the session; the kitchen window alone does not keep it open
        shop_app.kitchen.setAttribute(Qt.WidgetAttribute.WA_QuitOnClose, False)
    interrupt = QuitOnInterrupt(app)
    try:
        return app.exec()
    finally:
        interrupt.uninstall()
        shop_app.close()
