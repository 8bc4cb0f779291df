"""Kitchen context: cook tickets (a state machine) and stock per menu item."""
