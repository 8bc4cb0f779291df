"""Operations drills on a running chain, shared by the tests (tests/chain) and ``python -m benchmarks ops``:
tills placing orders through the gateway as a real till does, a chaos run (random SIGKILLs, a broker and
a database restart), and the check that every acknowledged order completed its saga exactly once.

A till (``Till``) places orders one after another, each with a new ``clientRef``; an order that got no
answer, or any answer but 201, is sent again with the same ``clientRef`` until it is taken (the gateway
and ordering take a ``clientRef`` once). Every request is counted by what it got: 2xx, 503 with
Retry-After ("come back shortly": the seed's overload answer, counted as available), or a failure
(anything else: a refused connection, a reset, a 502, a 503 without Retry-After).
"""
from __future__ import annotations

import collections
import os
import random
import signal
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import httpx

from services.chain.launch_private import wait_for

CUSTOMER = "Drill"


def clock() -> str:
    """The time of day in UTC to the millisecond, as the processes' JSON logs and HAProxy's log (run with
    TZ=UTC) stamp theirs: a failed request and the chaos step that caused it are found side by side."""
    now = time.time()
    return time.strftime("%H:%M:%S", time.gmtime(now)) + f".{int(now % 1 * 1000):03d}"


class Till(threading.Thread):
    """Places orders until ``stopping`` is set; resends an unanswered order with its clientRef until taken."""

    def __init__(self, url: str, name: str = "till", customer: str = CUSTOMER, pause_s: float = 0.0) -> None:
        super().__init__(name=name, daemon=True)
        self.http = httpx.Client(base_url=url, timeout=httpx.Timeout(30.0, connect=2.0))
        self.customer, self.pause_s = customer, pause_s
        self.token = self._sign_in()
        self.acknowledged: dict[str, int] = {}     # clientRef -> order id
        self.counts: collections.Counter[str] = collections.Counter()   # ok, shed, failed
        self.failures: list[str] = []              # when, and what the failed requests got (the first 50)
        self.refused: list[str] = []               # a 4xx other than 401: the order itself was refused
        self.retries = 0
        self.stopping = threading.Event()

    def _sign_in(self) -> str:
        def signed_in():
            try:
                r = self.http.post("/auth/sign-in", json={"staffId": "counter", "pin": "1111"})
                return r.json()["token"] if r.status_code == 200 else None
            except httpx.HTTPError:
                return None
        return wait_for(signed_in, 120, 0.2, "sign-in at the gateway")

    def _failed(self, what: str) -> None:
        self.counts["failed"] += 1
        if len(self.failures) < 50:
            self.failures.append(f"{clock()} {what}")

    def run(self) -> None:
        while not self.stopping.is_set():
            ref = uuid.uuid4().hex
            body = {"lines": [{"itemCode": "bibimbap", "quantity": 1, "note": ""}], "customerName": self.customer,
                    "phone": "010-5555-0000", "address": "1 Test-ro", "clientRef": ref}
            deadline = time.monotonic() + 180
            while time.monotonic() < deadline:
                try:
                    r = self.http.post("/orders", json=body, headers={"Authorization": f"Bearer {self.token}"})
                except httpx.HTTPError as exc:
                    self._failed(type(exc).__name__)
                    r = None
                if r is not None and 200 <= r.status_code < 300:
                    self.counts["ok"] += 1
                    self.acknowledged[ref] = r.json()["orderId"]
                    break
                if r is not None and r.status_code == 503 and "retry-after" in r.headers:
                    self.counts["shed"] += 1
                elif r is not None:
                    self._failed(f"{r.status_code} {r.text[:200]}")
                    if r.status_code == 401:
                        self.token = self._sign_in()
                    elif 400 <= r.status_code < 500:
                        self.refused.append(f"{r.status_code} {r.text}")
                        return
                self.retries += 1
                time.sleep(0.2)
            else:
                self.refused.append(f"order {ref} never acknowledged")
                return
            if self.pause_s:
                time.sleep(self.pause_s)

    def close(self) -> None:
        self.http.close()


class Load:
    """``tills`` Tills on ``url``, started on entering, stopped (each finishing its order) on leaving."""

    def __init__(self, url: str, tills: int = 2, customer: str = CUSTOMER, pause_s: float = 0.0) -> None:
        self.tills = [Till(url, f"till-{n}", customer, pause_s) for n in range(tills)]

    def acknowledged(self) -> dict[str, int]:
        return {ref: oid for till in self.tills for ref, oid in till.acknowledged.items()}

    def counts(self) -> collections.Counter[str]:
        return sum((till.counts for till in self.tills), collections.Counter())

    def failures(self) -> list[str]:
        return [f for till in self.tills for f in till.failures]

    def refused(self) -> list[str]:
        return [f for till in self.tills for f in till.refused]

    def availability(self) -> float:
        counts = self.counts()
        sent = counts["ok"] + counts["shed"] + counts["failed"]
        return (counts["ok"] + counts["shed"]) / sent if sent else 1.0

    def more(self, count: int, timeout_s: float = 120.0) -> None:
        """Wait until ``count`` more orders were acknowledged (the load is flowing)."""
        start = len(self.acknowledged())
        wait_for(lambda: len(self.acknowledged()) >= start + count, timeout_s, 0.1, f"{count} more orders taken")

    def __enter__(self) -> Load:
        for till in self.tills:
            till.start()
        return self

    def __exit__(self, *exc) -> None:
        for till in self.tills:
            till.stopping.set()
        for till in self.tills:
            till.join(200)
            till.close()


# -- chaos ----------------------------------------------------------------------------------------------
PROXY = "haproxy"


def running_processes(supervisor) -> dict[str, int]:
    """Every supervised process running now (service replicas, gateways, HAProxy): name -> pid."""
    return {name: info["pid"] for name, info in supervisor.info().items() if info["statename"] == "RUNNING"}


def _kill(victims: dict[str, int], name: str, done: list[str]) -> None:
    try:
        os.kill(victims[name], signal.SIGKILL)
        done.append(f"killed {name}")
    except ProcessLookupError:
        pass


def chaos(supervisor, restart_broker, restart_database, *, seconds: float = 60.0, every_s: float = 3.0,
          seed: int | None = None, echo=None) -> list[str]:
    """For ``seconds``: SIGKILL a random running service replica or gateway every ``every_s``; at a
    quarter of the time call ``restart_broker()``, at half SIGKILL one HAProxy process, at three quarters
    ``restart_database()``. Returns what was done, in order.

    HAProxy is killed once, like the broker and the database are restarted once, rather than as often as
    the dice choose it: it stands for a cluster's ingress, and the till's request in flight inside a killed
    one dies with its connection whatever the chain does (the till sends it again)."""
    rng = random.Random(seed)
    done: list[str] = []
    start = time.monotonic()

    def kill_a_proxy() -> None:
        proxies = {name: pid for name, pid in running_processes(supervisor).items() if name.startswith(PROXY)}
        _kill(proxies, rng.choice(sorted(proxies)), done)

    events = [(seconds / 4, "nats-server restarted", restart_broker), (seconds / 2, None, kill_a_proxy),
              (3 * seconds / 4, "PostgreSQL restarted", restart_database)]
    while (now := time.monotonic() - start) < seconds:
        if events and now >= events[0][0]:
            _, what, act = events.pop(0)
            act()
            if what:
                done.append(what)
        else:
            victims = {name: pid for name, pid in running_processes(supervisor).items()
                       if not name.startswith(PROXY)}
            _kill(victims, rng.choice(sorted(victims)), done)
        if echo:
            echo(f"chaos {now:5.1f} s ({clock()}): {done[-1] if done else '-'}")
        time.sleep(max(0.0, every_s - (time.monotonic() - start - now)))
    for _, what, act in events:   # a run too short for its schedule still does all three
        act()
        if what:
            done.append(what)
    return done


# -- the check --------------------------------------------------------------------------------------------
def gift_decided(card) -> bool:
    """The order's gift is sent or out of stock (a deferred one is still on its way)."""
    return card.gift_status in ("sent", "out_of_stock")


@dataclass
class SagaReport:
    acknowledged: int
    lost: list[int] = field(default_factory=list)          # acknowledged, but its saga is not all there
    duplicated: list[str] = field(default_factory=list)    # taken twice, or a saga step twice
    cards: dict = field(default_factory=dict)              # order id -> MypageCard

    @property
    def ok(self) -> bool:
        return not self.lost and not self.duplicated


def check_sagas(shop, acknowledged: dict[str, int], customer: str = CUSTOMER, settle_s: float = 180.0) -> SagaReport:
    """Every acknowledged order (clientRef -> order id) stock-checked with one ticket, its gift decided,
    on mypage with one of each saga event so far; and no order of ``customer`` taken that was not
    acknowledged, none twice. ``shop``: a ChainShop with ``consistent_reads`` (each read sees every
    event committed before it). Waits up to ``settle_s`` for sagas still in flight."""
    order_ids = set(acknowledged.values())
    report = SagaReport(len(acknowledged))
    if len(order_ids) != len(acknowledged):
        report.duplicated.append("two clientRefs were given the same order")

    def cards() -> dict:
        with ThreadPoolExecutor(4) as pool:
            return dict(zip(order_ids, pool.map(shop.mypage, order_ids)))

    def complete(card) -> bool:
        return card.cook_status in ("queued", "cooking", "cooked") and gift_decided(card)
    try:
        report.cards = wait_for(lambda: (found := cards()) and all(map(complete, found.values())) and found,
                                settle_s, 1.0, "every acknowledged order stock-checked with its gift")
    except TimeoutError:
        report.cards = cards()
    report.lost = sorted(oid for oid, card in report.cards.items() if not complete(card))
    tickets = collections.Counter(t.order_id for t in shop.kitchen_tickets() if t.order_id in order_ids)
    report.lost += sorted(oid for oid in order_ids - set(tickets) if report.cards[oid].cook_status == "queued")
    report.duplicated += [f"order {oid}: {n} tickets" for oid, n in tickets.items() if n > 1]
    taken = collections.Counter(o.order_id for o in shop.todays_orders() if o.customer_name == customer)
    report.duplicated += [f"order {oid} taken without an answer" for oid in set(taken) - order_ids]
    report.lost += sorted(order_ids - set(taken))
    for oid, card in report.cards.items():
        names = collections.Counter(entry.event for entry in card.timeline)
        for event in ("Ordered", "StockChecked", "GiftSent"):
            if names[event] > 1:
                report.duplicated.append(f"order {oid}: {event} {names[event]} times")
    report.lost = sorted(set(report.lost))
    return report


# -- the drills, as the tests and the benchmark run them ---------------------------------------------------
@dataclass
class DrillResult:
    load: Load
    report: SagaReport
    done: list[str] = field(default_factory=list)      # chaos: what was done; rolling restart: what restarted

    @property
    def counts(self) -> collections.Counter[str]:
        return self.load.counts()


def _checked(chain, load: Load, customer: str) -> SagaReport:
    chain.wait_ready(180)
    shop = chain.shop(consistent_reads=True, settle_s=120)
    try:
        return check_sagas(shop, load.acknowledged(), customer)
    finally:
        shop.close()


def rolling_restart_under_load(chain, *, tills: int = 2, customer: str = "Rolling", echo=None) -> DrillResult:
    """``main.py chain restart``'s engine (services.chain.control) over every service and the gateway of
    ``chain`` (a RunningChain or PrivateChain) while ``tills`` tills place orders; then the saga check."""
    from services.chain.control import PROGRAMS, ChainControl
    control = ChainControl(chain.chain)
    with Load(chain.url, tills, customer) as load:
        load.more(10)
        control.rolling_restart(PROGRAMS, timeout_s=180, echo=echo)
        load.more(10)
    return DrillResult(load, _checked(chain, load, customer), list(PROGRAMS))


def chaos_under_load(chain, *, seconds: float = 60.0, every_s: float = 3.0, customer: str = "Chaos",
                     echo=None) -> DrillResult:
    """``chaos`` on a PrivateChain (its own nats-server and PostgreSQL are the ones restarted) while a till
    places orders; then orders must be taken again, and the saga check."""
    with Load(chain.url, 1, customer) as load:
        load.more(5)
        done = chaos(chain.supervisor, chain.nats.restart, chain.postgres.restart, seconds=seconds,
                     every_s=every_s, echo=echo)
        load.more(5, timeout_s=180)
    return DrillResult(load, _checked(chain, load, customer), done)
