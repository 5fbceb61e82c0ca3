"""Find, validate, load and cache the models every tab uses.

One resolver (env var -> best local checkpoint for the task -> public Hub model); studio/serving/service.py
remembers its answer and caches the loaded models. The checkpoint folder (contract.checkpoint) is what `training` writes; this
module reads it and never imports `training`.

A validated reference is either an absolute path (a local checkpoint) or a Hub id, never a relative
path: transformers would look a relative name up in the server's working folder first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from contract.checkpoint import (
    HonestScore,
    best_accuracy,
    checkpoint_label_names,
    checkpoint_tasks,
    honest_score,
    is_checkpoint,
    list_checkpoints,
    read_metrics,
    split_accuracy,
)
from contract.hub_ids import is_hub_id, is_lookup_safe, shown_ref
from studio import config
from studio.errors import StudioError


class ModelRefError(StudioError):
    """A model reference the app refuses to load (bad shape, outside models/, not a checkpoint...)."""


@dataclass(frozen=True)
class ModelChoice:
    """Which model a tab uses and why.

    source: "env" (STUDIO_<TAB>_MODEL), "local" (a checkpoint in models/) or "hub" (a public default).
    ref: an absolute checkpoint folder or a Hub repo id, as given to `from_pretrained`.
    """

    source: str
    ref: str
    name: str
    metrics: dict[str, Any] = field(default_factory=dict, compare=False)

    def accuracy(self, split: str) -> float | None:
        return split_accuracy(self.metrics, split)

    @property
    def score(self) -> HonestScore | None:
        """Its most honest accuracy (k-fold mean, else holdout, else validation, else test)."""
        return honest_score(self.metrics)

    def covers(self, classes: frozenset[str]) -> bool:
        """Whether it answers every one of a tab's `classes` (a checkpoint without label names: unknown, yes)."""
        names = {str(name).lower() for name in checkpoint_label_names(self.metrics)}
        return not names or classes <= names


def is_local_ref(ref: str) -> bool:
    """A validated reference names a local checkpoint exactly when it is an absolute path."""
    return Path(ref).is_absolute()


def choice_for(ref: str, source: str) -> ModelChoice:
    """A ModelChoice for a validated reference; a local checkpoint brings its metrics.json."""
    if is_local_ref(ref):
        return ModelChoice(source, ref, Path(ref).name, read_metrics(Path(ref)))
    return ModelChoice(source, ref, ref)


def validate_model_ref(ref: str) -> str:
    """An absolute checkpoint folder or a Hub id to load, or a ModelRefError (no server path in it).

    Accepted: the name of a checkpoint in models/ (or a path that resolves inside models/), or a Hub
    repo id (`owner/name` or `name`) that is not also a file or folder in the working directory.
    """
    ref = (ref or "").strip()
    if not ref:
        raise ModelRefError("model.ref.empty")
    if not is_lookup_safe(ref):  # a NUL, 5,000 characters: refused before any file system or Hub lookup
        raise ModelRefError("model.ref.bad", ref=shown_ref(ref))
    if "://" in ref or ref.startswith(("http:", "https:", "www.")):
        raise ModelRefError("model.ref.url", ref=shown_ref(ref))
    root = config.models_dir()
    candidate = Path(ref).expanduser()
    candidate = (candidate if candidate.is_absolute() else root / candidate).resolve()
    if candidate.is_dir():
        if root != candidate and root not in candidate.parents:  # named by its folder only: no server path
            raise ModelRefError("model.ref.outside", ref=shown_ref(candidate.name))
        if any(part.startswith(".") for part in candidate.relative_to(root).parts):  # visitors' runs, jobs
            raise ModelRefError("model.ref.outside", ref=shown_ref(candidate.name))
        if not is_checkpoint(candidate):
            raise ModelRefError("model.ref.not_checkpoint", ref=shown_ref(candidate.name))
        return str(candidate)
    if not is_hub_id(ref) or Path(ref).exists():
        raise ModelRefError("model.ref.bad", ref=shown_ref(ref))
    return ref


def local_checkpoints(task: str, root: Path | None = None) -> list[ModelChoice]:
    """Checkpoints in `root` (default models/) that serve `task` (contract.checkpoint.checkpoint_tasks),
    best honest score first (contract.checkpoint.honest_score)."""
    found = []
    for folder in list_checkpoints(root or config.models_dir()):
        metrics = read_metrics(folder)
        if task in checkpoint_tasks(folder, metrics):
            found.append(ModelChoice("local", str(folder), folder.name, metrics))
    return sorted(found, key=lambda choice: -best_accuracy(choice.metrics))


def find_model(tab: str, task: str, hub_default: str | None, classes: frozenset[str] = frozenset()) -> ModelChoice | None:
    """The operator's model for a tab: STUDIO_<TAB>_MODEL, else the checkpoint in models/ with the best honest
    score among those that answer all of the tab's `classes` (any checkpoint when none does), else the Hub
    default when online."""
    override = config.model_override(tab)
    if override:
        path = Path(override).expanduser()
        if path.is_absolute() and path.is_dir():
            if not is_checkpoint(path):
                raise ModelRefError("model.ref.not_checkpoint", ref=path.name)
            return choice_for(str(path.resolve()), "env")
        return choice_for(validate_model_ref(override), "env")
    local = local_checkpoints(task)
    if local:
        return next((choice for choice in local if choice.covers(classes)), local[0])
    if hub_default and not config.hub_offline():
        return ModelChoice("hub", hub_default, hub_default)
    return None
