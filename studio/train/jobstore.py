"""A Train-tab job's record: `Job`, what `<models_dir>/.jobs/<id>/job.json` holds, and the files read,
written, updated and listed (studio/train/jobs.py runs the jobs).

The file is the record's fields by name. A key this code does not know (an older file, a newer server) is
left out on reading, and a missing or null one is the field's default: a job.json from before a field
existed still reads, and one from before owners existed is the operator's. A value of the wrong type (a
date as a string, a hand-edited file) makes the whole file unreadable: it is skipped and logged once, and
the server starts and lists the other jobs.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import logging
import os
import threading
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from contract.visitors import OPERATOR, is_owner

JOBS_FOLDER = ".jobs"
JOB_FILE = "job.json"
ACTIVE = ("queued", "running")
LOG = logging.getLogger(__name__)
REPORTED: set[tuple[str, float]] = set()  # (job.json, its mtime) already logged as unreadable


@dataclass(frozen=True)
class Job:
    """One job.json: a draft (explored data), then a run of `python -m training` on it."""

    id: str                              # its folder's name under .jobs/ (jobstore.job_folder)
    status: str = ""                     # draft | queued | running | done | failed | cancelled | interrupted
    kind: str = ""                       # the CLI command: image | text
    owner: str = OPERATOR                # a visitor's owner id (contract/visitors.py), or the operator
    origin: str | None = None            # where the request came from (studio/visitors.py source_of): per-source cap
    # the data
    source: str = ""                     # its name as shown: the upload's, the folder's, the Hub id
    data_dir: str = ""                   # the staged data (`--data-dir`); "" for a Hub dataset
    dataset: str | None = None           # a Hub dataset id (`--dataset`): the CLI loads it itself
    ok: bool = False                     # a draft's data can be trained on (no blocking problem)
    labels: list[str] = field(default_factory=list)  # a draft's label names
    text_column: str = ""
    label_column: str = ""
    used: bool = False                   # a draft trained on: its data stays past the drafts' max age
    # the run
    name: str = ""                       # the run's name: its checkpoint folder
    base_model: str = ""                 # what the CLI is handed: a path or a Hub id (never shown)
    base_label: str | None = None        # the base model as shown: an operator's name, a checkpoint's
    recipe: str | None = None            # contract/recipes.py; None: the CLI's default
    strategy: str | None = None          # contract/runs.py STRATEGY_NAMES; None: the recipe's
    epochs: float | None = None
    learning_rate: float | None = None
    label_names: list[str] = field(default_factory=list)  # names given for numeric labels 0, 1, ...
    extra_args: list[str] = field(default_factory=list)   # more CLI flags (label names, k-fold, max rows)
    threads: int | None = None           # the child's CPU threads; None: STUDIO_TRAIN_THREADS
    overwrite: bool = False              # replaces a run of the same name
    random_init: bool = False            # the baseline: the same backbone with random weights
    resume: bool = False                 # continues from its last Trainer checkpoint (`--resume`)
    data_from: str | None = None         # the draft it was trained from
    first_model: str | None = None       # the tab whose first model it is (studio/train/bootstrap.py)
    revised_from: str | None = None      # the run whose reviewed data it retrains (studio/feedback)
    # its life
    created: float = 0.0                 # times: seconds since the epoch
    queued: float | None = None
    started: float | None = None
    finished: float | None = None
    server: str | None = None            # the runner that was given it (its lock in .jobs/.servers/)
    pid: int | None = None               # the running child's process (group)
    stop_reason: str | None = None       # cancel | timeout, while it is being stopped
    returncode: int | None = None
    message: list | None = None          # [key, fields] of studio/strings.py: why it ended
    kept: int | None = None              # Trainer checkpoints a stopped run left for Resume

    @classmethod
    def from_json(cls, record: dict[str, Any]) -> Job:
        if not isinstance(record, dict):
            raise TypeError(f"a job.json holds an object, not {type(record).__name__}")
        hints = field_types()
        values = {key: value for key, value in record.items() if key in hints and value is not None}
        for key, value in values.items():
            if not fits(value, hints[key]):
                raise TypeError(f"{key} is {type(value).__name__}, not {hints[key]}")
        if not is_owner(values.get("owner", OPERATOR)):
            raise TypeError("owner is no owner id")
        return cls(**values)

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @property
    def active(self) -> bool:
        return self.status in ACTIVE


@functools.cache
def field_types() -> dict[str, Any]:
    """Job's fields and their types (evaluated once: every job listing reads every job.json)."""
    return typing.get_type_hints(Job)


def fits(value: Any, hint: Any) -> bool:
    """`value` (from JSON) is of the field type `hint`: str, bool, int, float (an int too), list[str], list,
    or X | None."""
    if isinstance(hint, types.UnionType):
        return any(fits(value, option) for option in typing.get_args(hint) if option is not type(None))
    if hint is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if typing.get_origin(hint) is list:
        (item,) = typing.get_args(hint) or (Any,)
        return isinstance(value, list) and (item is Any or all(isinstance(each, item) for each in value))
    return isinstance(value, hint)


def owns(job: Job | None, owner: str) -> bool:
    return job is not None and job.owner == owner


def jobs_root(models_dir: Path) -> Path:
    return Path(models_dir) / JOBS_FOLDER


def job_folder(models_dir: Path, job_id: str) -> Path:
    """The folder of a job id; an id that is not one of ours (a path, `..`) names no folder."""
    if not job_id or not all(c.isalnum() or c == "-" for c in job_id):
        raise KeyError(job_id)
    return jobs_root(models_dir) / job_id


def read_job(models_dir: Path, job_id: str) -> Job | None:
    """The job, or None when it has no readable job.json (a broken one is logged, once per version)."""
    try:
        path = job_folder(models_dir, job_id) / JOB_FILE
        return Job.from_json(json.loads(path.read_text(encoding="utf-8")))
    except (KeyError, OSError):
        return None
    except (ValueError, TypeError) as error:
        report_unreadable(path, error)
        return None


def report_unreadable(path: Path, error: Exception) -> None:
    try:
        version = (str(path), path.stat().st_mtime)
    except OSError:
        return
    if version not in REPORTED:
        REPORTED.add(version)
        LOG.warning("skipping %s: not a job record (%s)", path, str(error)[:200])


def write_job(models_dir: Path, job: Job) -> Job:
    """job.json replaced in one step (a reader never sees half of it)."""
    folder = job_folder(models_dir, job.id)
    folder.mkdir(parents=True, exist_ok=True)
    temp = folder / f".{JOB_FILE}.tmp-{os.getpid()}-{threading.get_ident()}"
    temp.write_text(json.dumps(job.to_json(), indent=2, ensure_ascii=False), encoding="utf-8")
    os.replace(temp, folder / JOB_FILE)
    return job


def update_job(models_dir: Path, job_id: str, **changes: Any) -> Job:
    """The job with `changes` written; a name that is no field of Job raises TypeError."""
    job = read_job(models_dir, job_id) or Job(id=job_id)
    return write_job(models_dir, dataclasses.replace(job, **changes))


def list_jobs(models_dir: Path, owner: str | None = None) -> list[Job]:
    """Every job with a job.json (of `owner` only, when given), oldest first."""
    root = jobs_root(models_dir)
    found = [read_job(models_dir, folder.name) for folder in sorted(root.iterdir())
             if not folder.name.startswith(".")] if root.is_dir() else []
    return sorted((job for job in found if job and (owner is None or job.owner == owner)),
                  key=lambda job: job.created)
