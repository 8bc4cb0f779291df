"""What the mypage projection is given (``project(batch, ctx)``): a read model emits nothing, so its
context is its repository alone."""
from __future__ import annotations

from collections.abc import Collection
from typing import Protocol


class MypageRepo(Protocol):
    def rows(self, order_ids: Collection[int]) -> dict[int, dict]:
        """The rows of ``order_ids`` that exist, by order id (``services.mypage.model.FIELDS``)."""
    def upsert(self, rows: list[dict]) -> None: ...


class MypageContext(Protocol):
    repo: MypageRepo
