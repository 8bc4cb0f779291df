"""The chain: each bounded context as its own service on PostgreSQL, events over NATS JetStream.

Nothing here connects at import time. ``python main.py service CONTEXT --port P`` runs one replica
(``services.chain.service``); docs/chain.md ("Inside a service") describes the design.
"""
