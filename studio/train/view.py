"""What the Train tab shows about one job, as plain data (no Gradio): state line, progress, curves,
log tail, the equivalent command, and once done the metrics table, the confusion matrix and the time.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from contract.checkpoint import CONFUSION_MATRIX_FILE, honest_score, read_metrics
from contract.progress import read_events
from studio import config
from studio.answers.about import score_text
from studio.i18n import percent, t
from studio.train.jobs import (
    LOG_FILE,
    PROGRESS_FILE,
    job_folder,
    job_models_dir,
    runs_kept,
    shown_command,
)
from studio.train.jobstore import Job, list_jobs
from studio.train.progress import curve_rows, format_seconds, log_tail, progress_of
from studio.train.schedule import fair_order, place_in_queue, recent_durations, wait_estimate


@dataclass
class JobView:
    job_id: str = ""
    status: str = ""
    progress: float = 0.0
    progress_text: str = ""
    loss: list[dict[str, Any]] = field(default_factory=list)
    accuracy: list[dict[str, Any]] = field(default_factory=list)
    log: str = ""
    command: str = ""
    active: bool = False
    resumable: bool = False
    result: str = ""
    confusion: Path | None = None


def message_text(job: Job) -> str:
    message = job.message or ["train.job.done", {}]
    return t(message[0], **message[1])


SPLIT_KEYS = {"train": "train.split.train", "validation": "train.split.validation", "test": "train.split.test",
              "holdout": "train.split.holdout"}


def split_name(split: str) -> str:
    """A split as the UI's language says it ("validation" -> "validación"); an unknown one as it is."""
    return t(SPLIT_KEYS[split]) if split in SPLIT_KEYS else split


def decimal(value: float, digits: int) -> str:
    """0.8734 -> '0,873' (es) / '0.873' (en), as percent() writes percentages."""
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if config.language() == "es" else text


def epoch_summary(progress) -> str:
    """The last epoch's numbers in the user's words (the raw log, in English, stays behind a fold)."""
    if not progress.loss and not progress.accuracy:
        return ""
    parts = [t("train.state.epoch", epoch=f"{max(e for e, _ in progress.loss + progress.accuracy):g}",
               epochs=f"{progress.epochs:g}" if progress.epochs else "…")]
    if progress.loss:
        parts.append(t("train.state.loss", loss=decimal(progress.loss[-1][1], 3)))
    if progress.accuracy:
        parts.append(t("train.state.accuracy", accuracy=percent(progress.accuracy[-1][1])))
    return "\n\n" + " · ".join(parts)


def honest_line(metrics: dict[str, Any]) -> str:
    """The score to believe first (k-fold mean ± std when the run has it), and what it was measured on."""
    score = honest_score(metrics)
    if score is None:
        return ""
    return t("train.result.honest", score=score_text(score), examples=score.examples or "?")


def elapsed_s(job: Job, now: float | None = None) -> float:
    """The job's real duration, from its start to its end (folds, features and saving included), not the Trainer's."""
    return max(0.0, (job.finished or now or time.time()) - (job.started or job.finished or now or time.time()))


def result_text(metrics: dict[str, Any], job: Job) -> str:
    rows = [t("train.result.table")]
    for split, found in metrics.get("splits", {}).items():
        loss = found.get("loss")
        rows.append(f"| {split_name(split)} | {percent(found.get('accuracy', 0))} | "
                    f"{decimal(found.get('f1_macro', 0), 3)} | {'' if loss is None else decimal(loss, 4)} | "
                    f"{found.get('num_examples', '')} |")
    lines = [line for line in [honest_line(metrics)] if line]
    lines += ["\n".join(rows), t("train.result.time", train=format_seconds(metrics.get("train", {}).get("runtime_s")),
                                 total=format_seconds(elapsed_s(job)))]
    skipped = {split: n for split, n in metrics.get("skipped", {}).items() if n}
    if skipped:
        lines.append(t("train.result.skipped", skipped=", ".join(f"{s} {n}" for s, n in skipped.items())))
    return "\n\n".join(lines)


CURVE_KEYS = {"train": "train.curve.train", "validation": "train.curve.validation"}  # progress.curve_rows' curves


def translated_curves(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The plots' legend in the user's language ("train" -> "entrenamiento")."""
    return [{**row, "curve": t(CURVE_KEYS[row["curve"]])} for row in rows]


def first_models_training(models_dir: Path) -> list[str]:
    """A line per tab whose first model the server is training (the operator's job: no visitor's own), so the
    tab never says "nothing is training" while it is, and a visitor knows why their run would wait."""
    return [t("train.state.first_model", tab=t(f"{job.first_model}.tab"), status=t(f"train.state.{job.status}_short"))
            for job in list_jobs(models_dir) if job.first_model and job.active]


def queued_text(models_dir: Path, job: Job) -> str:
    """Its place in the fair order, and when it should be done (once runs here give an honest estimate)."""
    jobs = list_jobs(models_dir)
    place = place_in_queue(jobs, job.id) or 1
    durations = recent_durations(jobs, job.kind)
    eta = wait_estimate(place, config.train_workers(), durations)
    if eta is None:
        return t("train.state.queued", name=job.name, position=place)
    return t("train.state.queued_eta", name=job.name, position=place, waiting=len(fair_order(jobs)),
             eta=format_seconds(eta), runs=len(durations), workers=config.train_workers())


def job_view(models_dir: Path, job: Job | None, now: float | None = None) -> JobView:
    """Everything the tab shows for `job` (None: no run yet)."""
    if not job:
        return JobView(status="\n\n".join([t("train.state.none"), *first_models_training(models_dir)]))
    now = now or time.time()
    folder = job_folder(models_dir, job.id)
    progress = progress_of(read_events(folder / PROGRESS_FILE), now)
    loss, accuracy = (translated_curves(rows) for rows in curve_rows(progress))
    runs_dir = job_models_dir(models_dir, job)  # the owner's own models folder
    hide = [str(runs_dir), str(models_dir), job.data_dir, job.base_model, str(folder)]
    view = JobView(job.id, progress=progress.fraction, loss=loss, accuracy=accuracy,
                   log=log_tail(folder / LOG_FILE, hide), command=shown_command(job), active=job.active)
    name, status = job.name, job.status
    if status == "queued":
        view.status = queued_text(models_dir, job)
    elif status == "running" and 0 < progress.fold <= progress.folds:  # k-fold: a fresh model per fold first
        view.progress = progress.job_fraction
        view.status = t("train.state.folds", name=name, fold=progress.fold, folds=progress.folds,
                        eta=format_seconds(progress.fold_eta_s))
    elif status == "running" and progress.phase_fraction is not None:  # the frozen layers' outputs first
        view.progress = progress.phase_fraction
        view.status = t("train.state.features", name=name, percent=percent(progress.phase_fraction, 0),
                        eta=format_seconds(progress.phase_eta_s))
    elif status == "running" and not progress.max_steps:
        view.status = t("train.state.preparing", name=name)
    elif status == "running":
        view.progress = progress.job_fraction
        view.status = t("train.state.running", name=name, percent=percent(progress.job_fraction, 0),
                        eta=format_seconds(progress.eta_s)) + epoch_summary(progress)
    elif status == "done":
        metrics = read_metrics(runs_dir / name)
        view.status = t("train.state.done", name=name, time=format_seconds(elapsed_s(job, now)))
        honest = honest_line(metrics)
        view.status += f"\n\n{honest}" if honest else ""
        view.result = result_text(metrics, job)
        confusion = runs_dir / name / CONFUSION_MATRIX_FILE
        view.confusion = confusion if confusion.is_file() else None
        view.progress = 1.0
    else:
        view.status = t("train.state.finished", name=name, message=message_text(job))
        view.resumable = status in ("interrupted", "cancelled", "failed") and (
            status == "interrupted" or runs_kept(runs_dir, name) > 0)
    if status == "running" and 0 < progress.fold <= progress.folds:
        view.progress_text = t("train.progress.folds", percent=percent(view.progress, 0), fold=progress.fold,
                               folds=progress.folds, eta=format_seconds(progress.fold_eta_s))
        return view
    view.progress_text = t("train.progress.text", percent=percent(view.progress, 0), epoch=len(progress.accuracy),
                           epochs=f"{progress.epochs:g}" if progress.epochs else "…",
                           eta=format_seconds(0 if status == "done" else progress.eta_s))
    return view
