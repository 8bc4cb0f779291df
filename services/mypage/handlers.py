"""Mypage projection: consumes every event of every order, in batches."""
from __future__ import annotations

from collections.abc import Sequence

from services.events import Event
from services.mypage import model
from services.mypage.context import MypageContext


def project(batch: Sequence[tuple[int, float, Event]], ctx: MypageContext) -> None:
    """``batch`` is (position, at, event) of every order's events, in position order (the bus's
    ``Record``s)."""
    order_ids = {event.order_id for _, _, event in batch if event.order_id}
    if not order_ids:
        return
    rows = ctx.repo.rows(order_ids)
    changed: dict[int, dict] = {}
    for position, at, event in batch:
        if not event.order_id:
            continue
        row = model.apply(rows.get(event.order_id), position, at, event)
        if row is not None and row is not rows.get(event.order_id):
            rows[event.order_id] = changed[event.order_id] = row
    ctx.repo.upsert(list(changed.values()))
