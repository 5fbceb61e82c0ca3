"""Shared by the training tests: tiny zips of images, polling a job through gradio_client, `python -m training`
in a child process."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

from tests.conftest import REPO_ROOT
from tests.support.tiny import make_image_folder

FINISHED = ("done", "failed", "cancelled", "interrupted")
ONE_THREAD_ENV = {**os.environ, "OMP_NUM_THREADS": "1"}  # a `python -m training` child: one torch thread


def cli(*args: str, timeout: int = 240) -> subprocess.CompletedProcess:
    """`python -m training *args` in a child process, as a user types it."""
    return subprocess.run([sys.executable, "-m", "training", *args], cwd=REPO_ROOT, capture_output=True,
                          text=True, timeout=timeout, env=ONE_THREAD_ENV)


def zip_folder(folder: Path, target: Path, prefix: str = "") -> Path:
    """Every file under `folder` into the zip `target`, names relative to `folder` (under `prefix`)."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, prefix + path.relative_to(folder).as_posix())
    return target


def tiny_image_zip(tmp_path: Path, per_split: dict[str, int] | None = None, **kwargs) -> Path:
    folder = make_image_folder(tmp_path / "leaves-src", per_split=per_split or {"train": 8, "validation": 4}, **kwargs)
    return zip_folder(folder, tmp_path / "leaves.zip")


def job_state(models_dir: Path, job_id: str):
    """The job's Job, None while it has no job.json."""
    from studio.train.jobstore import read_job

    return read_job(models_dir, job_id)


def wait_for_job(models_dir: Path, job_id: str, timeout_s: float = 240, poll=None):
    """Poll until the job finished (calling `poll()` each time, e.g. the tab's /train_progress)."""
    deadline = time.time() + timeout_s
    while time.time() < deadline:
        if poll:
            poll()
        job = job_state(models_dir, job_id)
        if job is not None and job.status in FINISHED:
            return job
        time.sleep(0.25)  # reading job.json is cheap; a job ends any time
    raise AssertionError(f"job {job_id} did not finish in {timeout_s}s: {job_state(models_dir, job_id)}")


def run_dir(models_dir: Path, job_id: str) -> Path:
    """Where a job's run was written: its owner's models folder (a visitor's: models/.visitors/<owner>/models)."""
    from contract.visitors import owner_models_dir

    job = job_state(models_dir, job_id)
    return owner_models_dir(models_dir, job.owner) / job.name
