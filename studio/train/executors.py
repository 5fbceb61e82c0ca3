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

    def __init__(self, command: list[str], env: dict[str, str], log_path: Path, limit: Callable | None):
        with log_path.open("ab") as log:
            self.process = subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL, start_new_session=True, preexec_fn=limit)
        self.pid = self.process.pid

    def poll(self) -> int | None:
        return self.process.poll()


class WarmWorker:
    """The server's training worker: started on first use (and again after it died), fed one JSON line
    per job on its stdin; a reader thread records what it says (each job's pid, then its returncode)."""

    def __init__(self, env: dict[str, str], limit: Callable | None, log_path: Path):
        self.env, self.limit, self.log_path = env, limit, log_path
        self.process: subprocess.Popen | None = None
        self.lock = threading.Lock()
        self.pids: dict[str, int] = {}
        self.ended: dict[str, int] = {}
        self.asked: dict[str, float] = {}

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def ensure(self) -> subprocess.Popen:
        with self.lock:
            if not self.alive():
                self.pids, self.ended, self.asked = {}, {}, {}
                self.log_path.parent.mkdir(parents=True, exist_ok=True)
                with self.log_path.open("ab") as log:
                    self.process = subprocess.Popen(
                        niced([sys.executable, "-m", "training.worker"]), cwd=REPO_ROOT, env=self.env,
                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, start_new_session=True,
                        preexec_fn=self.limit)
                threading.Thread(target=self.listen, args=(self.process,), name="train-worker-reader",
                                 daemon=True).start()
            return self.process

    def listen(self, process: subprocess.Popen) -> None:
        for line in process.stdout:
            with contextlib.suppress(ValueError, TypeError, KeyError):
                said = json.loads(line)
                if "pid" in said:
                    self.pids[said["job"]] = int(said["pid"])
                elif "returncode" in said:
                    self.ended[said["job"]] = int(said["returncode"])

    def run(self, job_id: str, argv: list[str], log_path: Path, threads: int | None) -> WorkerExecution:
        process = self.ensure()
        order = json.dumps({"job": job_id, "argv": argv, "log": str(log_path), "threads": threads}) + "\n"
        with self.lock:
            self.asked[job_id] = time.time()
            try:
                process.stdin.write(order.encode())
                process.stdin.flush()
            except (BrokenPipeError, OSError):
                pass  # it died: WorkerExecution.lost says so on the next look
        return WorkerExecution(self, process, job_id)

    def stop(self) -> None:
        """Closing its stdin ends it (its running jobs first: training/worker.py stop_all)."""
        if self.process is not None:
            with contextlib.suppress(OSError):
                self.process.stdin.close()


class WorkerExecution:
    """One job in the warm worker: its pid once forked, its returncode once ended, `lost` if the worker
    died under it (or never forked it)."""

    def __init__(self, worker: WarmWorker, process: subprocess.Popen, job_id: str):
        self.worker, self.process, self.job_id = worker, process, job_id

    @property
    def pid(self) -> int | None:
        return self.worker.pids.get(self.job_id) if self.worker.process is self.process else None

    def poll(self) -> int | None:
        return self.worker.ended.get(self.job_id) if self.worker.process is self.process else None

    @property
    def lost(self) -> bool:
        if self.poll() is not None:
            return False
        if self.process.poll() is not None or self.worker.process is not self.process:
            return True
        asked = self.worker.asked.get(self.job_id, time.time())
        return self.pid is None and time.time() - asked > WORKER_START_S
