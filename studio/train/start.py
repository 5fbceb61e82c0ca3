"""A training request from the Train tab, checked before it is queued: data, base model, knobs, name.

Base models offered: the operator's (STUDIO_BASE_MODELS, by name: the page never sees their paths)
and the checkpoints in models/ for the data's task; a typed Hub id passes studio/serving/hub_guard.py first.
Defaults are the CLI's (contract/runs.py STRATEGY_NAMES, training/flow/strategies.py), shown, not copied into
the command.
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

from contract.checkpoint import (
    checkpoint_tasks,
    is_checkpoint,
    list_checkpoints,
)
from contract.hub_ids import public_ref
from contract.runs import STRATEGY_NAMES, TASK_OF_KIND, is_run_name
from contract.visitors import OPERATOR, owner_models_dir
from studio import config
from studio.errors import StudioError
from studio.serving.hub_guard import check_model
from studio.serving.models import local_checkpoints
from studio.train.jobs import active_names, new_job_id
from studio.train.jobstore import Job, owns, read_job, update_job

# Hub pipeline tags a base model may have (a backbone is often only a feature extractor).
BASE_TAGS = {
    "image": ("image-classification", "image-feature-extraction"),
    "text": ("text-classification", "fill-mask", "feature-extraction", "sentence-similarity"),
}
RANDOM_SUFFIX = "-random-init"
MAX_NAME_CHARS = 96  # contract.runs.NAME_PATTERN
MAX_LABEL_NAME = 60  # characters of a label name given for a numeric label


class TrainRequestError(StudioError):
    """A training request the tab refuses (translated key "train.error.*")."""


def operator_models(kind: str) -> dict[str, str]:
    """STUDIO_BASE_MODELS entries fit for `kind`: a folder whose config says it serves none of BASE_TAGS[kind]
    is left out; an encoder without a head (MiniLM's `BertModel`: feature-extraction) gets one when trained."""
    found = {}
    for name, ref in config.base_models().items():
        path = Path(ref).expanduser()
        tasks = set(checkpoint_tasks(path)) if path.is_dir() else set()
        if not tasks or tasks & set(BASE_TAGS[kind]):
            found[name] = str(path.resolve()) if path.is_dir() else ref
    return found


def usable_checkpoints(kind: str, owner: str) -> list:
    """Checkpoints a visitor may train on: their own runs first, then the operator's in models/."""
    own = local_checkpoints(TASK_OF_KIND[kind], owner_models_dir(config.models_dir(), owner)) if owner != OPERATOR else []
    return own + local_checkpoints(TASK_OF_KIND[kind])


def base_model_options(kind: str, owner: str = OPERATOR) -> list[tuple[str, str]]:
    """(label, value) for the base-model picker: operator models ("op:<name>"), then checkpoints."""
    options = [(name, f"op:{name}") for name in operator_models(kind)]
    return options + [(f"{choice.name} (models/)", choice.name) for choice in usable_checkpoints(kind, owner)]


def resolve_base_model(kind: str, picked: str, owner: str = OPERATOR) -> str:
    """The reference handed to the CLI: an operator model, a checkpoint of models/, or a checked Hub id."""
    picked = (picked or "").strip()
    if picked.startswith("op:"):
        models = operator_models(kind)
        if picked[3:] in models:
            return models[picked[3:]]
    for choice in usable_checkpoints(kind, owner):
        if choice.name == picked:
            return choice.ref
    if not picked:
        raise TrainRequestError("train.error.no_base_model")
    return check_model(picked, BASE_TAGS[kind])  # a ModelRefusal (offline, gated, too big...) is a StudioError


def free_name(models_dir: Path, name: str, owner: str = OPERATOR) -> str:
    taken = {folder.name for folder in list_checkpoints(owner_models_dir(models_dir, owner))} | active_names(
        models_dir, owner)
    number = 2
    while f"{name}-{number}" in taken:
        number += 1
    return f"{name}-{number}"


def check_name(models_dir: Path, name: str, overwrite: bool, owner: str = OPERATOR) -> str:
    """A free run name among the owner's own (a visitor's "Overwrite" can only replace a run of theirs)."""
    if not is_run_name(name):
        raise TrainRequestError("train.error.bad_name", name=name[:100])
    if name in active_names(models_dir, owner):
        raise TrainRequestError("train.error.name_busy", name=name)
    if is_checkpoint(owner_models_dir(models_dir, owner) / name) and not overwrite:
        raise TrainRequestError("train.error.name_taken", name=name, suggestion=free_name(models_dir, name, owner))
    return name


def check_knobs(strategy: str, epochs: float | None, learning_rate: float | None) -> tuple[float | None, float | None]:
    epochs, learning_rate = epochs or None, learning_rate or None  # an empty field arrives as 0: the default
    if strategy not in STRATEGY_NAMES:
        raise TrainRequestError("train.error.strategy", strategy=str(strategy)[:40])
    max_epochs = config.train_max_epochs()
    if epochs is not None and not 0 < epochs <= max_epochs:
        raise TrainRequestError("train.error.epochs", epochs=epochs, max=f"{max_epochs:g}")
    if learning_rate is not None and not 0 < learning_rate < 1:
        raise TrainRequestError("train.error.learning_rate", value=learning_rate)
    return epochs, learning_rate


def checked_label_names(data: Job, names: str | None) -> list[str]:
    """Names for numeric labels 0, 1, ... in that order (the CLI's --label-names); [] when none are given."""
    given = [name.strip() for name in (names or "").split(",") if name.strip()]
    if not given:
        return []
    labels = [str(label).strip() for label in data.labels]
    if data.kind != "text" or not all(label.isdigit() for label in labels) or \
            sorted(map(int, labels)) != list(range(len(labels))):
        raise TrainRequestError("train.error.label_names_numeric")
    if len(given) != len(labels) or len(set(given)) != len(given) or \
            not all(len(name) <= MAX_LABEL_NAME and name.isprintable() for name in given):
        raise TrainRequestError("train.error.label_names", count=len(labels), max=MAX_LABEL_NAME)
    return given


def training_job(models_dir: Path, data_id: str, base_model: str, strategy: str, epochs: float | None,
                 learning_rate: float | None, name: str, overwrite: bool, label_names: str = "", *,
                 owner: str = OPERATOR) -> Job:
    """A new job (not yet queued) of `owner` for their explored data `data_id`, every field checked."""
    data = read_job(models_dir, data_id) if data_id else None
    if not owns(data, owner) or not (data.data_dir or data.dataset):
        raise TrainRequestError("train.error.no_data")
    if not data.ok:
        raise TrainRequestError("train.error.data_problems")
    epochs, learning_rate = check_knobs(strategy, epochs, learning_rate)
    names = checked_label_names(data, label_names)
    name = check_name(models_dir, (name or "").strip() or f"{data.source}-{strategy}".replace("/", "-"), overwrite,
                      owner)
    return Job(id=new_job_id(), kind=data.kind, source=data.source, data_dir=data.data_dir, dataset=data.dataset,
               text_column=data.text_column, label_column=data.label_column, name=name, strategy=strategy,
               epochs=epochs, learning_rate=learning_rate, base_model=resolve_base_model(data.kind, base_model, owner),
               owner=owner, base_label=base_model[3:] if base_model.startswith("op:") else base_model,
               data_from=data_id, created=time.time(), overwrite=bool(overwrite), label_names=names,
               extra_args=["--label-names", ",".join(names)] if names else [])


def resumable_job(models_dir: Path, job_id: str, owner: str = OPERATOR) -> Job:
    """A stopped job of `owner`, set to continue from its last Trainer checkpoint (`--resume`)."""
    job = read_job(models_dir, job_id) if job_id else None
    if job and not owns(job, owner):
        raise TrainRequestError("share.no_job")
    if not job or job.active or job.status in ("draft", "done"):
        raise TrainRequestError("train.error.not_resumable")
    return replace(job, resume=True)


def mark_data_used(models_dir: Path, data_id: str) -> None:
    if read_job(models_dir, data_id):
        update_job(models_dir, data_id, used=True)


def baseline_job(models_dir: Path, job: Job, overwrite: bool) -> Job:
    """The same run on the same backbone with random weights (studio/train/random_base.py): the Runs table's
    baseline for what the pretrained weights bought."""
    # the suffix is kept whole: cut from the end, a 96-character name gave both runs the same name
    name = check_name(models_dir, f"{job.name[:MAX_NAME_CHARS - len(RANDOM_SUFFIX)]}{RANDOM_SUFFIX}", overwrite,
                      job.owner)
    return replace(job, id=new_job_id(), name=name, random_init=True,
                   base_label=f"random-{public_ref(job.base_model)}", created=time.time())
