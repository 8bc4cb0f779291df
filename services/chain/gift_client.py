"""The order -> gift call of the seed (its FeignClient) between services: HTTP with a short timeout and
a circuit breaker. Any failure raises, and ordering's own handler turns it into ``GiftDeferred`` (the
order is taken; the gift follows on the leader's ``RetryDeferredGifts``).

Causal order on the stream. The call is made inside ordering's transaction, and the gift service
commits its ``GiftSent`` (or ``GiftOutOfStock``) before ordering commits ``Ordered``. So the gift
service holds those events from its own relay (``ContextSpec.called``) and answers them with the
outcome; the client, bound to ordering's transaction (``ctx.gift_service``), writes them into
ordering's outbox after ``Ordered``, under the gift's own event ids: ordering's relay publishes
``Ordered`` then ``GiftSent``. Should ordering never commit, the gift's relay publishes them when the
hold is over; normally its late copy is dropped by JetStream's duplicate window (same ``Nats-Msg-Id``),
and past that window by every consumer's inbox (same event id).

The breaker is ``services.remote.breaker.Breaker`` (a state behind a lock; no lock held during the call,
unlike pybreaker, which would serialise every order of this replica behind one gift call). It opens on
the first unreachable / timed-out / 5xx call, fails fast for ``cooldown_s``, then lets calls probe again.
"""
from __future__ import annotations

import os
import signal
import time

import httpx

from services import settings
from services.gift.model import GiftOutcome
from services.ops.logs import order_headers
from services.remote.breaker import Breaker

# SIKDANG_FAILPOINT: SIGKILL ordering after the gift service committed and answered, before ordering
# writes or commits anything of it (tests: the gift is published by the gift service after its hold).
FAILPOINT = "ordering-after-gift-call"


class GiftUnavailable(Exception):
    """The gift service did not issue the gift (down, slow, failing, or the breaker is open)."""


class GiftClient:
    """One per ordering replica (its connections and its breaker); each transaction gets it bound."""

    def __init__(self, base_url: str, *, timeout_s: float = 1.5, cooldown_s: float = 5.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.breaker = Breaker()
        self.cooldown_s = cooldown_s
        self._http = httpx.Client(timeout=httpx.Timeout(timeout_s, connect=min(timeout_s, 0.5)))

    def bound_to(self, ctx) -> BoundGiftClient:
        """The gift service as the transaction of ``ctx`` (a ``services.chain.store.HandlerContext``) sees it."""
        return BoundGiftClient(self, ctx)

    def call(self, order_id: int) -> tuple[GiftOutcome, list[dict]]:
        """The outcome and the events the gift service holds for this order (``{"id", "name", "at", "data"}``)."""
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
        answer = response.json()
        result = answer["result"]
        # A gift service from before the held events answers none and publishes them itself.
        return GiftOutcome(result["status"], result["kind"]), answer.get("events", [])

    def _failed(self) -> None:
        self.breaker.trip()
        self.breaker.opened_at = time.monotonic()   # a failed probe re-arms the cooldown

    def close(self) -> None:
        self._http.close()


class BoundGiftClient:
    """``ctx.gift_service`` of one ordering transaction: the call, and the gift's events written into
    ordering's outbox in the same transaction, after what the handler emitted so far (``Ordered``)."""

    def __init__(self, client: GiftClient, ctx) -> None:
        self._client, self._ctx = client, ctx

    def send(self, order_id: int) -> GiftOutcome:
        outcome, events = self._client.call(order_id)
        if settings.failpoint() == FAILPOINT:
            os.kill(os.getpid(), signal.SIGKILL)
        for event in events:
            self._ctx.forward(event["id"], event["name"], order_id, event["at"], event["data"])
        return outcome
