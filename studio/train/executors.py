"""Where a Train-tab job's process runs (studio/train/jobs.py decides what it runs and when).

`ProcessExecution`: a new `python -m training ...` of its own (the baseline job, which first writes random
weights with studio code, and STUDIO_TRAIN_EXECUTOR=process). `WarmWorker`: the one long-lived
`python -m training.worker` of a server (training/worker.py), which forks each job from a process that
already has torch, transformers and the base models loaded, and `WorkerExecution`, one job in it. Either
way a job is a process group of its own: Cancel is SIGINT to it, and the returncode reads as subprocess's.
"""

from __future__ import annotations

import contextlib
import json
import resource
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from contract.paths import REPO_ROOT

WORKER_START_S = 300  # a worker that has not forked a job this long after it was asked is replaced


def niced(argv: list[str]) -> list[str]:
    nice = shutil.which("nice")
    return ([nice, "-n", "10"] if nice else []) + argv


class ProcessExecution:
    """A job as a process of its own (its own session, nice, the memory cap), output to its log."""

    lost = False

    def __init__(self, command: list[str], env: dict[str, str], log_path: Path, limit_mb: float):
        with log_path.open("ab") as log:
            self.process = subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL, start_new_session=True,
                                            preexec_fn=address_space_cap(limit_mb))
        self.pid = self.process.pid

    def poll(self) -> int | None:
        return self.process.poll()


class WorkerProcess:
    """One `python -m training.worker`, fed one JSON line per job on its stdin; a reader thread records what
    it says (each job's pid, then its returncode)."""

    def __init__(self, env: dict[str, str], limit_mb: float, log_path: Path):
        self.env, self.limit_mb = env, limit_mb
        self.pids: dict[str, int] = {}
        self.ended: dict[str, int] = {}
        self.asked: dict[str, float] = {}
        log_path.parent.mkdir(parents=True, exist_ok=True)
        with log_path.open("ab") as log:
            self.process = subprocess.Popen(
                niced([sys.executable, "-m", "training.worker"]), cwd=REPO_ROOT, env=env, stdin=subprocess.PIPE,
                stdout=subprocess.PIPE, stderr=log, start_new_session=True, preexec_fn=address_space_cap(limit_mb))
        threading.Thread(target=self.listen, name="train-worker-reader", daemon=True).start()

    def alive(self) -> bool:
        return self.process.poll() is None

    def busy(self) -> bool:
        return any(job not in self.ended for job in self.asked)

    def listen(self) -> None:
        for line in self.process.stdout:
            with contextlib.suppress(ValueError, TypeError, KeyError):
                said = json.loads(line)
                if "pid" in said:
                    self.pids[said["job"]] = int(said["pid"])
                elif "returncode" in said:
                    self.ended[said["job"]] = int(said["returncode"])

    def send(self, job_id: str, order: dict) -> None:
        self.asked[job_id] = time.time()
        try:
            self.process.stdin.write((json.dumps(order) + "\n").encode())
            self.process.stdin.flush()
        except (BrokenPipeError, OSError, ValueError):
            pass  # it died: WorkerExecution.lost says so on the next look

    def stop(self) -> None:
        """Closing its stdin ends it (its running jobs first: training/worker.py stop_all)."""
        with contextlib.suppress(OSError, ValueError):
            self.process.stdin.close()


class WarmWorker:
    """The server process's training worker (one for all its models folders): started on first use, again
    after it died, and anew when the environment or memory cap asked for changed (the old one is closed
    once its jobs have ended)."""

    def __init__(self, log_path: Path):
        self.log_path = log_path
        self.lock = threading.Lock()
        self.current: WorkerProcess | None = None
        self.retired: list[WorkerProcess] = []

    def ensure(self, env: dict[str, str], limit_mb: float) -> WorkerProcess:
        with self.lock:
            current = self.current
            if current is None or not current.alive() or (current.env, current.limit_mb) != (env, limit_mb):
                if current is not None and current.alive():
                    self.retired.append(current)
                self.current = WorkerProcess(env, limit_mb, self.log_path)
            for old in [old for old in self.retired if not old.busy()]:
                old.stop()
                self.retired.remove(old)
            return self.current

    def run(self, job_id: str, order: dict, env: dict[str, str], limit_mb: float) -> WorkerExecution:
        worker = self.ensure(env, limit_mb)
        worker.send(job_id, {"job": job_id, **order})
        return WorkerExecution(worker, job_id)


class WorkerExecution:
    """One job in a warm worker: its pid once forked, its returncode once ended, `lost` if the worker died
    under it (or never forked it)."""

    def __init__(self, worker: WorkerProcess, job_id: str):
        self.worker, self.job_id = worker, job_id

    @property
    def pid(self) -> int | None:
        return self.worker.pids.get(self.job_id)

    def poll(self) -> int | None:
        return self.worker.ended.get(self.job_id)

    @property
    def lost(self) -> bool:
        if self.poll() is not None:
            return False
        if not self.worker.alive():
            time.sleep(0.2)  # its last lines may still be on their way to the reader thread
            return self.poll() is None
        asked = self.worker.asked.get(self.job_id, time.time())
        return self.pid is None and time.time() - asked > WORKER_START_S


def address_space_cap(limit_mb: float) -> Callable[[], None] | None:
    """Run in a training process before it starts: its address space capped (STUDIO_TRAIN_MEMORY_MB), so a
    data set too big for the server fails that run with a MemoryError instead of the whole machine."""
    limit = int(limit_mb * 2**20)
    if limit <= 0:
        return None
    return lambda: resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
