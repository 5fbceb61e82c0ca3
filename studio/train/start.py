"""A training request from the Train tab, checked before it is queued: data, base model, knobs, name.

Base models offered: the operator's (STUDIO_BASE_MODELS, by name: the page never sees their paths)
and the checkpoints in models/ for the data's task; a typed Hub id passes studio/serving/hub_guard.py first.
Defaults are the CLI's (training/core.py STRATEGIES), shown, not copied into the command.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

from contract.checkpoint import (
    IMAGE_CLASSIFICATION,
    TEXT_CLASSIFICATION,
    checkpoint_task,
    is_checkpoint,
    list_checkpoints,
)
from contract.hub_ids import public_ref
from studio import config
from studio.errors import StudioError
from studio.serving.hub_guard import check_model
from studio.serving.models import local_checkpoints
from studio.train.jobs import ACTIVE, active_names, new_job_id, read_job, update_job

TASK_OF_KIND = {"image": IMAGE_CLASSIFICATION, "text": TEXT_CLASSIFICATION}
STRATEGIES = ("head", "last-n", "probe-then-full", "full")  # training/core.py STRATEGIES, fastest first
# Hub pipeline tags a base model may have (a backbone is often only a feature extractor).
BASE_TAGS = {
    "image": ("image-classification", "image-feature-extraction"),
    "text": ("text-classification", "fill-mask", "feature-extraction", "sentence-similarity"),
}
RANDOM_SUFFIX = "-random-init"
NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,95}$")  # as `--name` of training/args.py


class TrainRequestError(StudioError):
    """A training request the tab refuses (translated key "train.error.*")."""


def operator_models(kind: str) -> dict[str, str]:
    """STUDIO_BASE_MODELS entries fit for `kind`: a folder whose config says another task is left out."""
    found = {}
    for name, ref in config.base_models().items():
        path = Path(ref).expanduser()
        task = checkpoint_task(path) if path.is_dir() else None
        if task in (None, TASK_OF_KIND[kind]):
            found[name] = str(path.resolve()) if path.is_dir() else ref
    return found


def base_model_options(kind: str) -> list[tuple[str, str]]:
    """(label, value) for the base-model picker: operator models ("op:<name>"), then checkpoints."""
    options = [(name, f"op:{name}") for name in operator_models(kind)]
    return options + [(f"{choice.name} (models/)", choice.name) for choice in local_checkpoints(TASK_OF_KIND[kind])]


def resolve_base_model(kind: str, picked: str) -> str:
    """The reference handed to the CLI: an operator model, a checkpoint of models/, or a checked Hub id."""
    picked = (picked or "").strip()
    if picked.startswith("op:"):
        models = operator_models(kind)
        if picked[3:] in models:
            return models[picked[3:]]
    for choice in local_checkpoints(TASK_OF_KIND[kind]):
        if choice.name == picked:
            return choice.ref
    if not picked:
        raise TrainRequestError("train.error.no_base_model")
    return check_model(picked, BASE_TAGS[kind])  # a Refusal (offline, gated, too big...) is a StudioError


def free_name(models_dir: Path, name: str) -> str:
    taken = {folder.name for folder in list_checkpoints(models_dir)} | active_names(models_dir)
    number = 2
    while f"{name}-{number}" in taken:
        number += 1
    return f"{name}-{number}"


def check_name(models_dir: Path, name: str, overwrite: bool) -> str:
    if not NAME_PATTERN.match(name):
        raise TrainRequestError("train.error.bad_name", name=name[:100])
    if name in active_names(models_dir):
        raise TrainRequestError("train.error.name_busy", name=name)
    if is_checkpoint(Path(models_dir) / name) and not overwrite:
        raise TrainRequestError("train.error.name_taken", name=name, suggestion=free_name(models_dir, name))
    return name


def check_knobs(strategy: str, epochs: float | None, learning_rate: float | None) -> tuple[float | None, float | None]:
    epochs, learning_rate = epochs or None, learning_rate or None  # an empty field arrives as 0: the default
    if strategy not in STRATEGIES:
        raise TrainRequestError("train.error.strategy", strategy=str(strategy)[:40])
    max_epochs = config.train_max_epochs()
    if epochs is not None and not 0 < epochs <= max_epochs:
        raise TrainRequestError("train.error.epochs", epochs=epochs, max=f"{max_epochs:g}")
    if learning_rate is not None and not 0 < learning_rate < 1:
        raise TrainRequestError("train.error.learning_rate", value=learning_rate)
    return epochs, learning_rate


def training_job(models_dir: Path, data_id: str, base_model: str, strategy: str, epochs: float | None,
                 learning_rate: float | None, name: str, overwrite: bool) -> dict[str, Any]:
    """A new job (not yet queued) for explored data `data_id`, every field checked."""
    data = read_job(models_dir, data_id) if data_id else None
    if not data or not (data.get("data_dir") or data.get("dataset")):
        raise TrainRequestError("train.error.no_data")
    if not data.get("ok"):
        raise TrainRequestError("train.error.data_problems")
    epochs, learning_rate = check_knobs(strategy, epochs, learning_rate)
    name = check_name(models_dir, (name or "").strip() or f"{data['source']}-{strategy}".replace("/", "-"), overwrite)
    kind = data["kind"]
    job = {key: data.get(key) for key in ("kind", "source", "data_dir", "dataset", "text_column", "label_column")}
    return {**job, "id": new_job_id(), "name": name, "strategy": strategy, "epochs": epochs,
            "learning_rate": learning_rate, "base_model": resolve_base_model(kind, base_model),
            "base_label": base_model[3:] if base_model.startswith("op:") else base_model,
            "data_from": data_id, "created": time.time(), "overwrite": bool(overwrite)}


def resumable_job(models_dir: Path, job_id: str) -> dict[str, Any]:
    """A stopped job, set to continue from its last Trainer checkpoint (`--resume`)."""
    job = read_job(models_dir, job_id) if job_id else None
    if not job or job.get("status") in ACTIVE or job.get("status") in ("draft", "done"):
        raise TrainRequestError("train.error.not_resumable")
    return {**job, "resume": True}


def mark_data_used(models_dir: Path, data_id: str) -> None:
    if read_job(models_dir, data_id):
        update_job(models_dir, data_id, used=True)


def baseline_job(models_dir: Path, job: dict[str, Any], overwrite: bool) -> dict[str, Any]:
    """The same run on the same backbone with random weights (studio/train/random_base.py): the Runs table's
    baseline for what the pretrained weights bought."""
    name = check_name(models_dir, f"{job['name']}{RANDOM_SUFFIX}"[:96], overwrite)
    return {**job, "id": new_job_id(), "name": name, "random_init": True,
            "base_label": f"random-{public_ref(job['base_model'])}", "created": time.time()}
