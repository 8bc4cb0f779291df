"""The shop's Qt screens (counter, delivery board, mypage, manager) and the plumbing they share:
``bridge`` (live events as Qt signals on the GUI thread), ``runner`` (port calls off the GUI
thread), ``i18n`` (English/Korean) and ``app.run_gui`` (what ``main.py`` calls)."""
