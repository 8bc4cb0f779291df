"""Mypage: a read model only. Every event of an order's saga updates its one row (CQRS projection)."""
