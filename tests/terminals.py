"""A counter and a kitchen display as two terminals signed in to a server (the shop server or the
chain's gateway): the Qt screens, unchanged, each over its own RemoteShop."""
from __future__ import annotations

from contextlib import contextmanager


@contextmanager
def counter_and_kitchen(url: str, tmp_path, qtbot, monkeypatch):
    """Yields (counter app, kitchen app, the counter's shop); closes all three after."""
    from pos_app.app import build_shop_app, isolate_settings
    from screens_common.i18n import set_language
    from services.remote import open_remote_shop
    monkeypatch.setenv("SIKDANG_PRINT_DIR", str(tmp_path / "prints"))
    isolate_settings(tmp_path / "settings")
    counter_shop = open_remote_shop(url, "counter:1111", queue_path=tmp_path / "counter.sqlite")
    kitchen_shop = open_remote_shop(url, "kitchen:2222", queue_path=tmp_path / "kitchen.sqlite")
    counter_app = build_shop_app(counter_shop, "counter", "en")
    kitchen_app = build_shop_app(kitchen_shop, "kitchen", "en")
    try:
        for built in (counter_app, kitchen_app):
            for window in built.windows:
                qtbot.addWidget(window)
            built.show(kitchen_full_screen=False)
        yield counter_app, kitchen_app, counter_shop
    finally:
        for built in (counter_app, kitchen_app):
            built.close()
        counter_shop.close()
        kitchen_shop.close()
        set_language("en")
