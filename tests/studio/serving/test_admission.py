"""The lane of costly requests (studio/serving/admission.py): one at a time, and a request whose answer
would take longer than STUDIO_MAX_WAIT is refused at once with the wait, without waiting itself."""

from __future__ import annotations

import threading

import pytest

from studio.serving.admission import Lane, LaneBusy


def test_a_lane_runs_one_at_a_time_and_refuses_past_the_budget_with_the_wait(monkeypatch):
    monkeypatch.setenv("STUDIO_MAX_WAIT", "10")
    lane = Lane(first_guess_s=4.0)
    inside, release = threading.Event(), threading.Event()

    def hold() -> None:
        with lane.turn():
            inside.set()
            release.wait()

    holder = threading.Thread(target=hold)
    holder.start()
    inside.wait()
    waiting = threading.Thread(target=lambda: lane.turn().__enter__())  # 4 s of wait + 4 s of its own: admitted
    waiting.start()
    while lane.ahead < 2:
        pass
    with pytest.raises(LaneBusy) as refused, lane.turn():  # 8 s of wait + 4 s of its own: past 10 s
        pass
    assert refused.value.key == "budget.busy" and refused.value.fields["seconds"] == 8
    release.set()
    holder.join()
    waiting.join()


def test_an_idle_lane_always_admits(monkeypatch):
    monkeypatch.setenv("STUDIO_MAX_WAIT", "0")
    lane = Lane(first_guess_s=60.0)
    with lane.turn():
        assert lane.ahead == 1
    assert lane.ahead == 0
