"""The shop's REST services: one router per context behind one gateway (``app.create_app``),
served by ``server.run_server`` for ``python main.py serve``."""
