"""Explore a data source for the Train tab: check it, stage it in a new job folder, report what was found.

Sources: an uploaded zip of images, an uploaded CSV/TSV/JSONL, a folder the operator offers
(STUDIO_TRAIN_DATA_DIRS), a Hub dataset id (online). Each explore makes a "draft" job folder
`<models_dir>/.jobs/<id>/` holding the staged data (`<source name>/`, what `--data-dir` reads) and
nothing is written anywhere else; a refused source leaves no folder behind.
"""

from __future__ import annotations

import errno
import re
import shutil
import time
from pathlib import Path
from typing import Any

from contract.hub_ids import is_hub_id
from contract.visitors import OPERATOR, folder_bytes, owner_root, remove_tree, visitors_bytes
from studio import config
from studio.train.jobs import new_job_id
from studio.train.jobstore import Job, job_folder, list_jobs, owns, read_job, write_job
from studio.train.preview import (
    DataReport,
    Problem,
    inspect_image_folder,
    inspect_text_file,
    stage_image_data,
    stage_text_data,
)
from studio.train.zip_intake import DataError, ZipLimits, extract_zip, plan_zip

MB = 1 << 20
DISK_MARGIN_BYTES = 50 * MB


def zip_limits() -> ZipLimits:
    return ZipLimits(int(config.train_max_unzipped_mb() * MB), config.train_max_files(), config.train_max_ratio(),
                     config.train_max_depth(), config.train_max_folders())


def owner_bytes(models_dir: Path, owner: str) -> int:
    """Disk a visitor uses: their drafts and jobs, their runs and data."""
    jobs = sum(folder_bytes(job_folder(models_dir, job.id)) for job in list_jobs(models_dir, owner))
    return jobs + folder_bytes(owner_root(models_dir, owner))


def check_quota(models_dir: Path, owner: str, adds_bytes: int) -> None:
    """Refuse data that would take a visitor past their disk quota, or all visitors past theirs."""
    if owner == OPERATOR:
        return
    used = owner_bytes(models_dir, owner)
    if used + adds_bytes > config.visitor_disk_mb() * MB:
        raise DataError("share.disk_quota", used_mb=round(used / MB), adds_mb=round(adds_bytes / MB),
                        max_mb=round(config.visitor_disk_mb()))
    everyone = visitors_bytes(models_dir) + sum(folder_bytes(job_folder(models_dir, job.id))
                                                for job in list_jobs(models_dir) if job.owner != OPERATOR)
    if everyone + adds_bytes > config.visitors_disk_mb() * MB:
        raise DataError("share.disk_total")


def source_name(filename: str, fallback: str = "data") -> str:
    """A plain folder name for an upload: its file name without suffix, odd characters replaced."""
    stem = Path(filename or "").name.rsplit(".", 1)[0]
    cleaned = re.sub(r"[^A-Za-z0-9_.-]+", "-", stem).strip("-.")[:60]
    return cleaned or fallback


def free_bytes(folder: Path) -> int:
    return shutil.disk_usage(folder).free - DISK_MARGIN_BYTES


def draft(models_dir: Path, kind: str, source: str, report: DataReport, stage=None, job_id: str | None = None,
          owner: str = OPERATOR, **extra: Any) -> tuple[Job, DataReport]:
    """Stage the data (when usable) with `stage(report, folder)` and write the draft's job.json (its owner's)."""
    job_id = job_id or new_job_id()
    if len(report.label_names) > config.train_max_classes():
        report.problems.insert(0, Problem("share.too_many_classes", {"count": len(report.label_names),
                                                                      "max": config.train_max_classes()}, blocking=True))
    folder = job_folder(models_dir, job_id)
    data_dir = folder / source if stage else None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if report.ok and stage:
            stage(report, data_dir)
    except OSError as error:
        remove_tree(folder)
        if error.errno in (errno.ENOSPC, errno.EDQUOT):
            raise DataError("train.data.disk_full") from None
        raise DataError("train.data.write_failed", error=type(error).__name__) from None
    job = Job(id=job_id, status="draft", kind=kind, source=source, data_dir=str(data_dir or ""), ok=report.ok,
              created=time.time(), text_column=report.text_column, label_column=report.label_column,
              labels=report.label_names[:config.train_max_classes()], owner=owner, **extra)
    return write_job(models_dir, job), report


def forget_draft(models_dir: Path, job_id: str | None, owner: str = OPERATOR) -> None:
    """A previous explore of the same page that was never trained: its folder goes (only its owner's)."""
    job = read_job(models_dir, job_id) if job_id else None
    if owns(job, owner) and job.status == "draft" and not job.used:
        remove_tree(job_folder(models_dir, job_id))


def explore_zip(models_dir: Path, upload: str, max_pixels: int, owner: str = OPERATOR) -> tuple[Job, DataReport]:
    """Check the zip from its directory, extract it into a new job folder, inspect and stage it."""
    Path(models_dir).mkdir(parents=True, exist_ok=True)
    plan = plan_zip(Path(upload), zip_limits(), free_bytes(models_dir))
    check_quota(models_dir, owner, 2 * plan.total_bytes)  # extracted, then staged
    job_id = new_job_id()
    extract_zip(Path(upload), plan, job_folder(models_dir, job_id) / "upload")
    report = inspect_image_folder(job_folder(models_dir, job_id) / "upload", max_pixels)
    if plan.left_out:
        report.problems.insert(0, Problem("train.zip.left_out", {"count": len(plan.left_out),
                                                                  "names": ", ".join(plan.left_out[:5])}))
    return draft(models_dir, "image", source_name(upload), report, stage_image_data, job_id, owner)


def explore_folder(models_dir: Path, name: str, max_pixels: int, owner: str = OPERATOR) -> tuple[Job, DataReport]:
    """An operator's folder, read in place: the job folder only holds symlinks to its images."""
    folders = config.train_data_dirs()
    if name not in folders or not folders[name].is_dir():
        raise DataError("train.data.unknown_folder", name=name or "—")
    report = inspect_image_folder(folders[name], max_pixels)
    return draft(models_dir, "image", name, report, stage_image_data, owner=owner)


def explore_text(models_dir: Path, upload: str, text_column: str, label_column: str,
                 owner: str = OPERATOR) -> tuple[Job, DataReport]:
    check_quota(models_dir, owner, Path(upload).stat().st_size)
    report = inspect_text_file(Path(upload), text_column, label_column)
    return draft(models_dir, "text", source_name(upload), report, stage_text_data, owner=owner)


def explore_hub(models_dir: Path, dataset_id: str, owner: str = OPERATOR) -> tuple[Job, DataReport]:
    """A Hub image dataset, described by its builder's info (no download); the CLI loads it itself."""
    dataset_id = (dataset_id or "").strip()
    if not is_hub_id(dataset_id):
        raise DataError("train.hub.bad_id", ref=dataset_id[:80] or "—")
    if config.hub_offline():
        raise DataError("train.hub.offline")
    try:
        import datasets

        info = datasets.load_dataset_builder(dataset_id).info
    except Exception as error:  # unknown id, unreachable Hub: many types, one line for the user
        raise DataError("train.hub.unreadable", ref=dataset_id, error=str(error).splitlines()[0][:160]) from None
    labels = next((list(f.names) for f in (info.features or {}).values() if hasattr(f, "names")), [])
    sizes = {name: split.num_examples for name, split in (info.splits or {}).items()}
    report = DataReport("image", {"train": {label: [] for label in labels}}, sizes_shown=sizes)
    if len(labels) < 2:
        report.problems.append(Problem("train.data.one_class", {"label": ", ".join(labels) or "—"}, blocking=True))
    return draft(models_dir, "image", dataset_id, report, owner=owner, dataset=dataset_id)
