"""Who trains next when a class shares one server: fair order, place in the queue, an honest wait.

Pure functions of the job records (no processes, no Gradio). Round-robin between visitors: a waiting job's
turn is how many jobs its source (studio/visitors.py source_of: one person's many sessions are one source;
else its owner) already has running or waiting ahead of it, so everyone's first job starts before anyone's
second; within a turn, first come first served.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter

from studio.train.jobstore import Job

RECENT_RUNS = 20  # finished jobs an estimate is taken from


def who(job: Job) -> str:
    return job.origin or job.owner


def fair_order(jobs: list[Job]) -> list[Job]:
    """The queued jobs of `jobs` in the order they will start."""
    ahead = Counter(who(job) for job in jobs if job.status == "running")
    turns = []
    for job in sorted((job for job in jobs if job.status == "queued"), key=lambda job: (job.queued or 0, job.id)):
        turns.append((ahead[who(job)], job.queued or 0, job.id, job))
        ahead[who(job)] += 1
    return [job for *_key, job in sorted(turns, key=lambda turn: turn[:3])]


def place_in_queue(jobs: list[Job], job_id: str) -> int | None:
    """1 for the next job to start, 2 for the one after...; None when the job is not waiting."""
    order = [job.id for job in fair_order(jobs)]
    return order.index(job_id) + 1 if job_id in order else None


def recent_durations(jobs: list[Job], kind: str) -> list[float]:
    """Start-to-end seconds of the last finished jobs of this kind, oldest first."""
    took = sorted((job.finished, job.finished - job.started) for job in jobs
                  if job.kind == kind and job.status == "done" and job.started is not None and job.finished)
    return [seconds for _end, seconds in took[-RECENT_RUNS:]]


def wait_estimate(place: int, workers: int, durations: list[float]) -> float | None:
    """Seconds until a job at `place` has finished: the rounds of `workers` jobs ahead of it and its own,
    each taking the median of `durations` (the one running now half done, on average); None when nothing
    has finished here yet (no guess is shown)."""
    if not durations:
        return None
    return (math.ceil(place / max(1, workers)) + 0.5) * statistics.median(durations)
