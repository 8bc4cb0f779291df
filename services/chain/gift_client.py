"""The order -> gift call of the seed (its FeignClient) between services: HTTP with a short timeout and
a circuit breaker. Any failure raises, and ordering's own handler turns it into ``GiftDeferred`` (the
order is taken; the gift follows on the leader's ``RetryDeferredGifts``).

The breaker is ``services.remote.breaker.Breaker`` (a state behind a lock; no lock held during the call,
unlike pybreaker, which would serialise every order of this replica behind one gift call). It opens on
the first unreachable / timed-out / 5xx call, fails fast for ``cooldown_s``, then lets calls probe again.
"""
from __future__ import annotations

import time

import httpx

from services.gift.model import GiftOutcome
from services.ops.logs import order_headers
from services.remote.breaker import Breaker


class GiftUnavailable(Exception):
    """The gift service did not issue the gift (down, slow, failing, or the breaker is open)."""


class GiftClient:
    def __init__(self, base_url: str, *, timeout_s: float = 1.5, cooldown_s: float = 5.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.breaker = Breaker()
        self.cooldown_s = cooldown_s
        self._http = httpx.Client(timeout=httpx.Timeout(timeout_s, connect=min(timeout_s, 0.5)))

    def send(self, order_id: int) -> GiftOutcome:
        if self.breaker.is_open and time.monotonic() - self.breaker.opened_at < self.cooldown_s:
            raise GiftUnavailable("the gift service is unavailable (circuit open)")
        try:
            response = self._http.post(f"{self.base_url}/commands/SendGift", json={"order_id": order_id},
                                       headers=order_headers(order_id))   # the gift service logs it
        except httpx.HTTPError as exc:
            self._failed()
            raise GiftUnavailable(f"the gift service did not answer: {type(exc).__name__}") from exc
        if response.status_code >= 500:
            self._failed()
            raise GiftUnavailable(f"the gift service failed: HTTP {response.status_code}")
        if response.status_code != 200:   # a refusal: the service works, this call does not
            raise GiftUnavailable(f"the gift service refused: HTTP {response.status_code} {response.text[:200]}")
        self.breaker.reset()
        result = response.json()["result"]
        return GiftOutcome(result["status"], result["kind"])

    def _failed(self) -> None:
        self.breaker.trip()
        self.breaker.opened_at = time.monotonic()   # a failed probe re-arms the cooldown

    def close(self) -> None:
        self._http.close()
