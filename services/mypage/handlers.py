"""Mypage projection: consumes every event of every order, in batches."""
from __future__ import annotations

from services.mypage import model


def project(batch, ctx) -> None:
    """``batch`` is a list of (position, at, event) in position order."""
    order_ids = {event.order_id for _, _, event in batch if event.order_id}
    if not order_ids:
        return
    rows = ctx.repo.rows(order_ids)
    changed = {}
    for position, at, event in batch:
        if not event.order_id:
            continue
        row = model.apply(rows.get(event.order_id), position, at, event)
        if row is not None and row is not rows.get(event.order_id):
            rows[event.order_id] = changed[event.order_id] = row
    ctx.repo.upsert(list(changed.values()))
