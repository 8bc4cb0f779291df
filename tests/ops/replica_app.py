"""A stand-in replica for the rolling-restart test: answers /work after a short pause (so requests are
in flight when it is told to stop) and /readyz; uvicorn drains it on SIGTERM (stops accepting, finishes
what is in flight, exits)."""
from __future__ import annotations

import asyncio
import os


async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    if scope["path"] == "/work":
        await asyncio.sleep(0.02)
    body = str(os.getpid()).encode()
    headers = [(b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": body})
