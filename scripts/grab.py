"""What the screenshot scripts share: a till's screen size and letting Qt paint for a while."""
from __future__ import annotations

import time

SIZE = (1280, 800)      # a till's screen


def settle(app, seconds: float = 0.4) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


def grab_in_both_languages(app, window, path_for) -> None:
    """Save ``window`` in English and in Korean, to ``path_for(language)``."""
    from screens_common.i18n import set_language
    for language in ("en", "ko"):
        set_language(language)
        settle(app)
        window.grab().save(str(path_for(language)))
