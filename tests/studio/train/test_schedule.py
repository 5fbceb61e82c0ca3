"""The training queue's fair order, place and estimate (studio/train/schedule.py), and what a source is
(studio/visitors.py source_address): pure functions, no server."""

from __future__ import annotations

from studio.train.jobstore import Job
from studio.train.schedule import fair_order, place_in_queue, recent_durations, wait_estimate
from studio.visitors import source_address


def queued(job_id: str, owner: str, at: float) -> Job:
    return Job(id=job_id, owner=owner, status="queued", queued=at, kind="image")


def test_everyone_s_first_job_starts_before_anyone_s_second():
    jobs = [queued("a1", "v-a", 1), queued("a2", "v-a", 2), queued("b1", "v-b", 3), queued("c1", "v-c", 4),
            queued("b2", "v-b", 5)]
    assert [job.id for job in fair_order(jobs)] == ["a1", "b1", "c1", "a2", "b2"]
    assert place_in_queue(jobs, "c1") == 3 and place_in_queue(jobs, "b2") == 5


def test_a_visitor_training_now_waits_behind_those_who_have_not_started():
    jobs = [Job(id="a0", owner="v-a", status="running", kind="image"), queued("a1", "v-a", 1),
            queued("b1", "v-b", 2), Job(id="done", owner="v-c", status="done")]
    assert [job.id for job in fair_order(jobs)] == ["b1", "a1"]
    assert place_in_queue(jobs, "a0") is None and place_in_queue(jobs, "done") is None


def test_one_person_s_many_sessions_take_one_turn_per_round():
    jobs = [Job(id="s0", owner="v-s0", origin="ip-s", status="running"), queued("s1", "v-s1", 1),
            queued("s2", "v-s2", 2), queued("n1", "v-n", 3)]
    jobs[1:3] = [Job(**{**job.to_json(), "origin": "ip-s"}) for job in jobs[1:3]]
    assert [job.id for job in fair_order(jobs)] == ["n1", "s1", "s2"]


def test_the_estimate_comes_from_runs_that_finished_here_and_the_workers():
    finished = [Job(id=f"d{i}", kind="image", status="done", started=100.0 * i, finished=100.0 * i + seconds)
                for i, seconds in enumerate([10, 30, 20, 500])]
    finished.append(Job(id="failed", kind="image", status="failed", started=0, finished=9000))
    finished.append(Job(id="text", kind="text", status="done", started=0, finished=9000))
    durations = recent_durations(finished, "image")
    assert sorted(durations) == [10, 20, 30, 500]
    assert wait_estimate(1, 2, durations) == 1.5 * 25  # one round (the running one, half done) + its own
    assert wait_estimate(5, 2, durations) == 3.5 * 25
    assert wait_estimate(3, 1, []) is None  # nothing finished here yet: no guess shown


def test_a_source_is_what_the_trusted_proxy_saw_not_what_the_client_wrote():
    # the Space's proxy appends the address it saw; whatever the client sent stays to its left
    assert source_address("10.0.0.7", "1.2.3.4, 203.0.113.9", 1) == "203.0.113.9"
    assert source_address("10.0.0.7", "203.0.113.9", 0) == "10.0.0.7"  # no proxy trusted: the connection
    assert source_address("10.0.0.7", None, 1) == "10.0.0.7"
    # one home or phone has a whole IPv6 /64: every address in it is one source
    assert source_address(None, "2001:db8:1:2::5", 1) == source_address(None, "2001:db8:1:2:ffff::1", 1) \
        == "2001:db8:1:2::/64"
    assert source_address("::ffff:198.51.100.4", None, 0) == "198.51.100.4"
    assert source_address(None, "garbage, x" * 50, 1) == "x"
