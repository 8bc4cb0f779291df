"""Sikdang POS back end: bounded contexts, the message bus and the port the screens use."""
