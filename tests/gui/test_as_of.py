"""Screens judge answers by the feed position they are as of, not by time: a stale answer is dropped,
an answer that predates the screen's own change is asked again, and a kitchen ticket shown from the
feed is not taken away by an answer older than its event."""
from __future__ import annotations

import threading

from screens_common.runner import PortRunner, Refetcher
from services.port import AsOf


def _refetcher(qtbot, answers):
    """A Refetcher whose fetches answer ``answers`` in turn; returns it and what it applied."""
    applied, asked = [], []
    lock = threading.Lock()

    def fetch():
        with lock:
            asked.append(len(asked))
            return answers.pop(0)
    runner = PortRunner()
    refetcher = Refetcher(runner, fetch, applied.append)
    return refetcher, applied, asked


def test_an_answer_older_than_the_one_shown_is_dropped(qtbot):
    refetcher, applied, _ = _refetcher(qtbot, [AsOf(5, "fresh"), AsOf(3, "stale"), AsOf(6, "fresher")])
    for expected in (["fresh"], ["fresh"], ["fresh", "fresher"]):
        refetcher.request()
        qtbot.waitUntil(lambda: refetcher.idle, timeout=60_000)
        assert applied == expected
    assert refetcher.position == 6


def test_an_answer_that_predates_the_screens_own_change_is_asked_again(qtbot):
    refetcher, applied, asked = _refetcher(qtbot, [AsOf(9, "before my bump"), AsOf(10, "after it")])
    refetcher.expect(10)            # the bump is in the feed at or before position 10
    qtbot.waitUntil(lambda: applied == ["after it"], timeout=60_000)
    qtbot.waitUntil(lambda: refetcher.idle, timeout=60_000)
    assert len(asked) == 2 and applied == ["after it"]


def test_answers_not_stamped_are_applied_as_they_come(qtbot):
    refetcher, applied, _ = _refetcher(qtbot, ["a", "b"])
    refetcher.request()
    refetcher.request()             # during the first fetch: one more fetch afterwards, both applied
    qtbot.waitUntil(lambda: applied == ["a", "b"], timeout=60_000)

