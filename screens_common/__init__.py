"""Qt plumbing every screen shares: the feed-to-signal bridge, the off-thread port runner, text and
translation, formatting, printing and the connection sign. The counter (``pos_app``) and the kitchen
(``kitchen_display``) both build on it; it imports neither, so they never import each other's insides."""
