"""Training jobs of the Train tab: a fair queue, each job `python -m training` in a process of its own.

A job is a folder `<models_dir>/.jobs/<id>/` holding `job.json` (its state: studio/train/jobstore.py's
`Job`), the staged data, `progress.jsonl` (written by the CLI's `--progress-file`) and `log.txt` (the CLI's
output). The web worker never trains: `JobRunner` starts queued jobs in fair order (studio/train/schedule.py:
round-robin between sources), up to STUDIO_TRAIN_WORKERS at once, each in the warm training worker
(training/worker.py: forked from a process that has torch and the base models loaded, running the CLI's own
`main` with the job's argv; studio/train/executors.py) or, for the random-weights baseline and
STUDIO_TRAIN_EXECUTOR=process, as a new `python -m training`. Either way the job has its own process group,
`nice`, the memory cap and one thread; the runner watches it from one thread and stops it on Cancel or past
the wall-time cap. A crash, an OOM kill or a cancel ends that job only (a killed worker: its jobs are
interrupted, resumable, and the next job starts a new worker); the checkpoint is written atomically by the
CLI itself.

A job belongs to its owner (a visitor, or the operator): it runs with `--models-dir` set to the owner's
own models folder, so a visitor's run never lands among the operator's checkpoints. A visitor may have
STUDIO_VISITOR_MAX_JOBS jobs active, a source (one person's sessions) STUDIO_TRAIN_MAX_PER_SOURCE, and
STUDIO_TRAIN_MAX_QUEUE wait in all. Each server's runner holds a lock file `.jobs/.servers/<instance>.lock`
while it lives and starts only the jobs it was given; the next runner that finds a dead server's lock free
takes over its waiting jobs (in their places) and marks its running ones interrupted (stopping an orphaned
child first): a second server on the same folder never touches the first one's jobs. Resume queues an
interrupted job again with the CLI's `--resume`.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import secrets
import shlex
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from contract.checkpoint import process_alive
from contract.escaping import paths_hidden, shell_line
from contract.hub_ids import public_ref
from contract.paths import REPO_ROOT
from contract.recipes import UnknownRecipe, recipe
from contract.runs import resumable_checkpoints, run_folder
from contract.visitors import OPERATOR, expire_runs, owner_models_dir, remove_tree
from studio import config
from studio.errors import StudioError
from studio.feedback import store as corrections
from studio.train.executors import ProcessExecution, WarmWorker, WorkerExecution, address_space_cap, niced
from studio.train.jobstore import (
    ACTIVE,
    JOB_FILE,
    Job,
    job_folder,
    jobs_root,
    list_jobs,
    read_job,
    update_job,
    write_job,
)
from studio.train.schedule import fair_order, place_in_queue

PROGRESS_FILE, LOG_FILE = "progress.jsonl", "log.txt"
PREFILL_JOBS = 8  # jobs whose features one pass prepares (more would hold the first of them too long)
STOP_GRACE_S = 15
TICK_S = 0.5
DRAFT_MAX_AGE_S = 24 * 3600
SERVERS_FOLDER = ".servers"
FEATURES_FOLDER = ".features"  # <models_dir>/.features: a dot-folder, never a checkpoint
ORPHAN_AGE_S = 3600  # a job folder without job.json this old is no explore in progress


# ---------------------------------------------------------------- job files


def new_job_id() -> str:
    return time.strftime("%Y%m%d-%H%M%S") + "-" + secrets.token_hex(3)


def job_models_dir(models_dir: Path, job: Job) -> Path:
    """Where the job's run is written: its owner's models folder (the operator's: models/ itself)."""
    return owner_models_dir(models_dir, job.owner)


def queue_position(models_dir: Path, job_id: str) -> int | None:
    """1 for the next job to start, 2 for the one after... (studio/train/schedule.py's fair order); None
    when the job is not waiting."""
    return place_in_queue(list_jobs(models_dir), job_id)


def active_names(models_dir: Path, owner: str | None = None) -> set[str]:
    return {job.name for job in list_jobs(models_dir, owner) if job.active}


def remove_old_drafts(models_dir: Path, now: float | None = None, max_age_s: float = DRAFT_MAX_AGE_S) -> None:
    """Explored data sets that were never trained on, older than `max_age_s` (a job's data stays for Resume)."""
    now = now or time.time()
    for job in list_jobs(models_dir):
        if job.status == "draft" and not job.used and now - job.created > max_age_s:
            remove_tree(job_folder(models_dir, job.id))


def sweep(models_dir: Path, now: float | None = None) -> None:
    """While the server runs: old drafts go, and visitors' runs and finished jobs past their days."""
    now = now or time.time()
    remove_old_drafts(models_dir, now, config.draft_max_hours() * 3600)
    run_age_s = config.visitor_run_days() * 86400
    expire_runs(models_dir, run_age_s, now)
    corrections.expire(models_dir, run_age_s, now)
    for job in list_jobs(models_dir):
        if (job.owner != OPERATOR and job.status not in ACTIVE + ("draft",)
                and now - (job.finished or job.created or now) > run_age_s):
            remove_tree(job_folder(models_dir, job.id))
    root = jobs_root(models_dir)
    for folder in root.iterdir() if root.is_dir() else []:  # a server killed mid-extraction left no job.json
        with contextlib.suppress(OSError):
            if (not folder.name.startswith(".") and not (folder / JOB_FILE).exists()
                    and now - folder.stat().st_mtime > ORPHAN_AGE_S):
                remove_tree(folder)


# ---------------------------------------------------------------- the command


def training_args(job: Job, data_dir: str, base_model: str) -> list[str]:
    """`python -m training <kind> ...` arguments for a job (paths as given)."""
    data = ["--dataset", job.dataset] if job.dataset else ["--data-dir", data_dir]
    argv = [job.kind, *data, "--base-model", base_model]
    argv += ["--recipe", job.recipe] if job.recipe else []  # contract/recipes.py; else the CLI's default
    argv += ["--strategy", job.strategy] if job.strategy else []
    argv += ["--name", job.name]
    if job.epochs:
        argv += ["--epochs", f"{job.epochs:g}"]
    if job.learning_rate:
        argv += ["--learning-rate", f"{job.learning_rate:g}"]
    if job.kind == "text" and job.text_column:
        argv += ["--text-column", job.text_column, "--label-column", job.label_column]
    return argv + list(job.extra_args)  # flags the data needs (a first model's label names)


def shown_command(job: Job) -> str:
    """The command a learner can run outside the app: folders by name only (never the server's paths)."""
    argv = training_args(job, public_ref(job.source or job.data_dir), public_ref(job.base_label or job.base_model))
    lines, current = ["python -m training " + shell_line(argv[:1])], []
    for arg in argv[1:]:
        if arg.startswith("--") and current:
            lines.append(shell_line(current))
            current = []
        current.append(arg)
    lines.append(shell_line(current))
    return " \\\n    ".join(lines)


def random_base_folder(models_dir: Path, job: Job) -> Path:
    """Where a baseline job keeps its randomly initialised copy of the base model (inside the job folder)."""
    return job_folder(models_dir, job.id) / f"random-{public_ref(job.base_model)}"


def process_command(job: Job, models_dir: Path) -> list[str]:
    """The job's process: `python -m training ...` (for a baseline job, after writing random weights)."""
    folder = job_folder(models_dir, job.id)
    base = str(random_base_folder(models_dir, job)) if job.random_init else job.base_model
    argv = [sys.executable, "-m", "training", *training_args(job, job.data_dir, base),
            "--models-dir", str(job_models_dir(models_dir, job)), "--progress-file", str(folder / PROGRESS_FILE)]
    if job.resume:
        argv.append("--resume")
    if job.random_init:
        prepare = [sys.executable, "-m", "studio.train.random_base", job.kind, job.base_model, base]
        argv = ["sh", "-c", f"{shlex.join(prepare)} && exec {shlex.join(argv)}"]
    return niced(argv)


def job_threads(job: Job) -> int:
    """The cores a job keeps busy: its own `threads` (a first model asks for all), else STUDIO_TRAIN_THREADS."""
    return max(1, min(config.train_cores(), int(job.threads or os.environ.get("STUDIO_TRAIN_THREADS", "1"))))


def process_env(threads: int | None = None) -> dict[str, str]:
    """The server's environment, one CPU thread per library (or the job's `threads`), no Hub token."""
    env = {key: value for key, value in os.environ.items() if key not in ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN")}
    threads = str(threads or os.environ.get("STUDIO_TRAIN_THREADS", "1"))
    # frozen features shared by every job on this server (training/flow/shared_features.py; STUDIO_FEATURE_CACHE_MB)
    env.setdefault("STUDIO_FEATURE_CACHE", str(Path(config.models_dir()) / FEATURES_FOLDER))
    env.update(OMP_NUM_THREADS=threads, MKL_NUM_THREADS=threads, TOKENIZERS_PARALLELISM="false",
               PYTHONUNBUFFERED="1", PYTHONPATH=os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")])))
    return env


def memory_limit() -> Callable[[], None] | None:
    """Run in the training child before it starts: its address space capped at STUDIO_TRAIN_MEMORY_MB."""
    return address_space_cap(config.train_memory_mb())


def runs_kept(models_dir: Path, name: str) -> int:
    """How many Trainer checkpoints a stopped run left for --resume (models/.runs/<name>/checkpoint-N)."""
    return len(resumable_checkpoints(run_folder(models_dir, name)))


def failure_message(log_text: str, returncode: int | None = None) -> list:
    """[key, fields] for why the CLI failed, from its output: its own one-line error, a full disk, a kill."""
    lines = [line.strip() for line in log_text.splitlines() if line.strip()]
    if returncode is not None and returncode < 0:  # a signal (kill -9, the OOM killer): no line of its own
        with contextlib.suppress(ValueError):
            return ["share.killed", {"signal": signal.Signals(-returncode).name}]
    if any("No space left on device" in line for line in lines[-30:]):
        return ["train.data.disk_full", {}]
    if any("MemoryError" in line or "Cannot allocate memory" in line for line in lines[-30:]):
        return ["share.memory", {"mb": f"{config.train_memory_mb():,.0f}"}]
    errors = [line[len("error: "):] for line in lines if line.startswith("error: ")]
    if errors:
        return ["train.job.cli_error", {"error": paths_hidden(errors[-1])[:300]}]
    return ["train.job.crashed", {"error": paths_hidden(lines[-1] if lines else "?")[:300]}]


def cmdline_of(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def stop_process_group(pid: int, ended: Callable[[], bool] | None = None, grace_s: float = STOP_GRACE_S) -> None:
    """SIGINT (the CLI stops like Ctrl-C), then SIGKILL when it has not ended within `grace_s`.

    `ended` tells when our own child has exited (Popen.poll: it must reap it, not us).
    """
    ended = ended or (lambda: not process_alive(pid))
    for sig, wait in ((signal.SIGINT, grace_s), (signal.SIGKILL, 5)):
        try:
            os.killpg(pid, sig)
        except (ProcessLookupError, PermissionError):
            return
        deadline = time.time() + wait
        while time.time() < deadline:
            if ended():
                return
            time.sleep(0.1)


# ---------------------------------------------------------------- the runner


class JobRunner:
    """Starts queued jobs in fair order, up to STUDIO_TRAIN_WORKERS at once, and watches the running ones;
    one runner per models folder."""

    def __init__(self, models_dir: Path, max_seconds: float):
        self.models_dir = Path(models_dir)
        self.max_seconds = max_seconds
        self.lock = threading.Lock()
        self.running: dict[str, ProcessExecution | WorkerExecution] = {}
        self.prefilling: dict[WorkerExecution, list[str]] = {}  # batch across jobs: the jobs each one holds
        self.prefilled: set[str] = set()
        self.instance = f"{os.getpid()}-{secrets.token_hex(4)}"
        self.server_lock = hold_server_lock(self.models_dir, self.instance)
        self.swept = 0.0
        self.thread = threading.Thread(target=self.loop, name=f"train-jobs-{self.models_dir.name}", daemon=True)

    def recover(self) -> list[str]:
        """Jobs a server that is gone left: a waiting one keeps its place in this server's queue; a running
        one is interrupted (an orphaned child stopped first), for Resume. Another live server's jobs are its
        own business."""
        found = []
        for job in list_jobs(self.models_dir):
            if not job.active or server_alive(self.models_dir, job.server):
                continue
            if job.status == "queued" and not job.pid:
                update_job(self.models_dir, job.id, server=self.instance)
                continue
            pid = job.pid
            if pid and process_alive(pid) and str(job_folder(self.models_dir, job.id)) in cmdline_of(pid):
                stop_process_group(pid)
            update_job(self.models_dir, job.id, status="interrupted", finished=time.time(), pid=None,
                       message=["train.job.interrupted", {}])
            found.append(job.id)
        return found

    def start(self) -> JobRunner:
        self.recover()
        self.thread.start()
        return self

    def loop(self) -> None:
        while True:
            time.sleep(TICK_S)
            try:
                with self.lock:
                    self.tick()
                if time.time() - self.swept > config.sweep_seconds():
                    self.swept = time.time()
                    sweep(self.models_dir)
            except Exception:  # the watcher must outlive any one bad job file
                import logging

                logging.getLogger("studio").exception("train job watcher")

    def tick(self) -> None:
        for job_id, execution in list(self.running.items()):
            self.watch(job_id, execution)
        for execution, _held in [item for item in self.prefilling.items() if item[0].poll() is not None or item[0].lost]:
            del self.prefilling[execution]
        held = {job_id for ids in self.prefilling.values() for job_id in ids}
        jobs = list_jobs(self.models_dir)
        waiting = [job for job in fair_order(jobs) if job.server == self.instance and job.id not in self.running
                   and job.id not in held]
        free = config.train_workers() - len(self.running) - len(self.prefilling)
        # Cores, not only processes: a job asking for every core (a first model) runs alone, since two torch
        # processes whose threads outnumber the cores wait on each other's barriers (many times slower).
        by_id = {job.id: job for job in jobs}
        idle_cores = config.train_cores() - len(self.prefilling) - sum(
            job_threads(by_id.get(job_id) or Job(id=job_id)) for job_id in self.running)
        group = self.prefill_group(waiting) if min(free, idle_cores) > 0 else []
        shares = min(free, idle_cores, len(group))
        for share in (group[start::shares] for start in range(shares)):  # every free core busy
            self.prefill(share)
        if group:
            waiting, free, idle_cores = [job for job in waiting if job not in group], free - shares, idle_cores - shares
        for job in waiting:
            if free <= 0 or job_threads(job) > idle_cores:
                break  # in turn: the next job waits for its cores rather than be overtaken
            self.launch(job)
            free, idle_cores = free - 1, idle_cores - job_threads(job)

    def prefill_group(self, waiting: list[Job]) -> list[Job]:
        """Batch across jobs: the first waiting jobs on the backbone of the next `head` job, when there are
        several and none of them had their features prepared yet."""
        cacheable = [job for job in waiting if feature_cached(job) and job.id not in self.prefilled]
        if not cacheable or config.train_executor() != "worker":
            return []
        group = [job for job in cacheable if job.base_model == cacheable[0].base_model][:PREFILL_JOBS]
        return group if len(group) > 1 else []

    def prefill(self, group: list[Job]) -> None:
        """The warm worker computes these jobs' frozen features in one process (training/commands/prefill.py: one
        checked graph for all of them) into the shared cache; the jobs wait for it, then each trains its head on
        its cached rows. A group is shared among the free workers, one process each."""
        self.prefilled.update(job.id for job in group)
        order = {"prefill": [worker_argv(job, self.models_dir) for job in group],
                 "log": str(jobs_root(self.models_dir) / SERVERS_FOLDER / f"{self.instance}.prefill.log")}
        execution = WORKER.run(f"prefill-{group[0].id}", order, process_env(), config.train_memory_mb())
        self.prefilling[execution] = [job.id for job in group]

    def watch(self, job_id: str, execution: ProcessExecution | WorkerExecution) -> None:
        returncode = execution.poll()
        if returncode is not None or execution.lost:
            self.finish(job_id, returncode)
            return
        job = read_job(self.models_dir, job_id) or Job(id=job_id)
        if job.status == "queued" and execution.pid:  # forked by the worker: it runs now
            update_job(self.models_dir, job_id, status="running", pid=execution.pid)
        elif time.time() - (job.started or time.time()) > self.max_seconds and execution.pid:
            update_job(self.models_dir, job_id, stop_reason="timeout")
            stop_process_group(execution.pid, lambda: execution.poll() is not None or execution.lost)

    def launch(self, job: Job) -> None:
        folder = job_folder(self.models_dir, job.id)
        # A first model runs as its own process, as the CLI: it has every core, and in the forked worker it ran
        # several times slower (first start: 52-76 % after 240 s against 73 s); learners' jobs share the worker.
        if job.random_init or job.first_model or config.train_executor() == "process":
            execution = ProcessExecution(process_command(job, self.models_dir), process_env(job.threads),
                                         folder / LOG_FILE, config.train_memory_mb())
        else:
            order = {"argv": worker_argv(job, self.models_dir), "log": str(folder / LOG_FILE), "threads": job.threads}
            execution = WORKER.run(job.id, order, process_env(), config.train_memory_mb())
        self.running[job.id] = execution
        update_job(self.models_dir, job.id, status="running" if execution.pid else "queued", started=time.time(),
                   pid=execution.pid, finished=None, returncode=None, message=None, stop_reason=None)

    def finish(self, job_id: str, returncode: int | None) -> None:
        """Record how the job ended; `None`: the worker died under it (kill -9, OOM): interrupted, resumable."""
        self.running.pop(job_id, None)
        job = read_job(self.models_dir, job_id) or Job(id=job_id)
        reason = job.stop_reason
        kept = runs_kept(job_models_dir(self.models_dir, job), job.name)
        if returncode == 0:
            status, message = "done", ["train.job.done", {}]
        elif reason == "cancel":
            status, message = "cancelled", ["train.job.cancelled", {"kept": kept}]
        elif reason == "timeout":
            status, message = "failed", ["train.job.timeout", {"minutes": round(self.max_seconds / 60), "kept": kept}]
        elif returncode is None:
            status, message = "interrupted", ["train.job.worker_lost", {}]
        else:
            log_text = (job_folder(self.models_dir, job_id) / LOG_FILE).read_text(errors="replace")
            status, message = "failed", failure_message(log_text, returncode)
        update_job(self.models_dir, job_id, status=status, returncode=returncode, finished=time.time(),
                   pid=None, message=message, kept=kept)

    def submit(self, job: Job) -> Job:
        """Queue a job for this server; past a visitor's share of jobs, their source's, or a full queue: told so."""
        with self.lock:
            active = [other for other in list_jobs(self.models_dir) if other.active and other.id != job.id]
            if job.owner != OPERATOR:
                refusal = admission(job, active)
                if refusal is not None:
                    raise refusal
            return write_job(self.models_dir, replace(job, status="queued", queued=time.time(), message=None,
                                                      server=self.instance))

    def cancel(self, job_id: str) -> Job | None:
        """A queued job is dropped; a running one is stopped (its Trainer checkpoints stay for Resume)."""
        with self.lock:
            job = read_job(self.models_dir, job_id)
            if job is None or not job.active:
                return job
            execution = self.running.get(job_id)
            if job.status == "queued" and execution is None:
                return update_job(self.models_dir, job_id, status="cancelled", finished=time.time(),
                                  message=["train.job.cancelled", {"kept": 0}])
            update_job(self.models_dir, job_id, stop_reason="cancel")
        if execution is not None:
            ended = lambda: execution.poll() is not None or execution.lost  # noqa: E731
            deadline = time.time() + 60
            while execution.pid is None and not ended() and time.time() < deadline:
                time.sleep(0.1)  # the worker is still forking it
            if execution.pid:
                stop_process_group(execution.pid, ended)
            with self.lock:  # record the end now, so the answer says what was kept
                if job_id in self.running and ended():
                    self.finish(job_id, execution.poll())
        return read_job(self.models_dir, job_id)


def admission(job: Job, active: list[Job]) -> StudioError | None:
    """Why a visitor's job may not join the queue now (None: it may): their own jobs, their source's
    (one person's many sessions), or the queue full for everyone."""
    if len([other for other in active if other.owner == job.owner]) >= config.visitor_max_jobs():
        return StudioError("share.too_many_jobs", max=config.visitor_max_jobs())
    if job.origin and len([other for other in active if other.origin == job.origin]) >= config.train_max_per_source():
        return StudioError("share.source_full", max=config.train_max_per_source())
    if len([other for other in active if other.status == "queued"]) >= config.train_max_queue():
        return StudioError("share.queue_full", max=config.train_max_queue())
    return None


def feature_cached(job: Job) -> bool:
    """A job whose backbone features the shared cache can hold: an image `head` run (the fast recipe's)."""
    with contextlib.suppress(UnknownRecipe):
        strategy = job.strategy or recipe(job.kind, job.recipe).flags.get("strategy")
        return (job.kind == "image" and strategy == "head" and not job.random_init and not job.dataset
                and "--eval-protocol" not in job.extra_args)
    return False


def worker_argv(job: Job, models_dir: Path) -> list[str]:
    """What the warm worker hands `training.__main__.main`: the job's `python -m training` argv."""
    command = process_command(job, models_dir)
    return command[command.index("training") + 1:]


def server_lock_path(models_dir: Path, instance: str) -> Path:
    return jobs_root(models_dir) / SERVERS_FOLDER / f"{instance}.lock"


def hold_server_lock(models_dir: Path, instance: str) -> int:
    """This server's lock file, held (flock) as long as the process lives: the OS releases it on any death."""
    path = server_lock_path(models_dir, instance)
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return descriptor


def server_alive(models_dir: Path, instance: str | None) -> bool:
    """Whether the server `instance` still holds its lock (a job without one is from before servers had it)."""
    if not instance or "/" in instance or instance.startswith("."):
        return False
    try:
        descriptor = os.open(server_lock_path(models_dir, instance), os.O_RDWR)
    except OSError:
        return False
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(descriptor)
    server_lock_path(models_dir, instance).unlink(missing_ok=True)
    return False


WORKER = WarmWorker(Path(tempfile.gettempdir()) / f"studio-train-worker-{os.getpid()}.log")
RUNNERS: dict[Path, JobRunner] = {}
RUNNERS_LOCK = threading.Lock()


def runner_for(models_dir: Path, max_seconds: float) -> JobRunner:
    """The runner of a models folder, started (and its interrupted jobs recovered) on first use."""
    key = Path(models_dir).resolve()
    with RUNNERS_LOCK:
        if key not in RUNNERS:
            RUNNERS[key] = JobRunner(key, max_seconds).start()
        RUNNERS[key].max_seconds = max_seconds
        return RUNNERS[key]
