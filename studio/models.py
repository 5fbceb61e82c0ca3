"""Find, validate, load and cache the models every tab uses.

One resolver (env var -> best local checkpoint for the task -> public Hub model) and one bounded
LRU cache shared by all tabs. The checkpoint folder (`models/<name>/`, written by `training`) is the
contract: this module reads `config.json` + weights + `metrics.json`; it never imports `training`.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from studio import config

# owner/name, as the Hub spells repo ids; no URLs, no "..", no absolute paths.
HUB_ID = re.compile(r"^(?:[A-Za-z0-9][A-Za-z0-9_.-]{0,95}/)?[A-Za-z0-9][A-Za-z0-9_.-]{0,95}$")
WEIGHT_FILES = ("model.safetensors", "model.safetensors.index.json")


class ModelRefError(ValueError):
    """A model reference the app refuses to load (bad shape, outside models/, no safetensors...)."""


@dataclass(frozen=True)
class ModelChoice:
    """Which model a tab uses and why.

    source: "env" (STUDIO_<TAB>_MODEL), "local" (a checkpoint in models/) or "hub" (a public default).
    ref: a local folder path or a Hub repo id, as given to `from_pretrained`.
    """

    source: str
    ref: str
    name: str
    metrics: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def is_local(self) -> bool:
        return Path(self.ref).is_dir()

    def accuracy(self, split: str) -> float | None:
        return self.metrics.get("splits", {}).get(split, {}).get("accuracy")


def read_metrics(checkpoint: Path) -> dict[str, Any]:
    try:
        return json.loads((checkpoint / "metrics.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def is_checkpoint(path: Path) -> bool:
    return (path / "config.json").is_file() and any((path / name).is_file() for name in WEIGHT_FILES)


def validate_model_ref(ref: str) -> str:
    """Return a loadable reference or raise ModelRefError.

    Accepted: a Hub repo id (`owner/name` or `name`), the name of a checkpoint in models/, or a
    folder path that resolves inside models/ (or is named by the operator through an env var, which
    callers pass with `trusted_path=True` via `resolve_model`). URLs and paths escaping models/ are refused.
    """
    ref = (ref or "").strip()
    if not ref:
        raise ModelRefError("empty model reference")
    if "://" in ref or ref.startswith(("http:", "https:", "www.")):
        raise ModelRefError(f"URLs are not accepted, give a Hub id like 'owner/name': {ref!r}")
    root = config.models_dir()
    candidate = (root / ref).resolve() if not Path(ref).is_absolute() else Path(ref).resolve()
    if candidate.is_dir():
        if root != candidate and root not in candidate.parents:
            raise ModelRefError(f"only folders inside {root} can be loaded: {ref!r}")
        if not is_checkpoint(candidate):
            raise ModelRefError(f"{ref!r} is not a checkpoint (config.json + model.safetensors)")
        return str(candidate)
    if ".." in ref or ref.startswith(("/", "~", ".")) or not HUB_ID.match(ref):
        raise ModelRefError(f"not a Hub model id ('owner/name') nor a checkpoint in models/: {ref!r}")
    return ref


def local_checkpoints(task: str) -> list[ModelChoice]:
    """Checkpoints in models/ whose metrics.json says `task`, best validation accuracy first."""
    root = config.models_dir()
    found = []
    for folder in sorted(root.iterdir()) if root.is_dir() else []:
        if not is_checkpoint(folder):
            continue
        metrics = read_metrics(folder)
        if metrics.get("task") == task:
            found.append(ModelChoice("local", str(folder), folder.name, metrics))
    return sorted(found, key=lambda c: -(c.accuracy("validation") or c.accuracy("test") or 0.0))


def resolve_model(tab: str, task: str, hub_default: str | None) -> ModelChoice | None:
    """env var STUDIO_<TAB>_MODEL -> best local checkpoint for `task` -> `hub_default` (if online)."""
    override = config.model_override(tab)
    if override:
        path = Path(override).expanduser()
        if path.is_dir():  # the operator named this folder: trusted, but it must be a checkpoint
            if not is_checkpoint(path):
                raise ModelRefError(f"STUDIO_{tab.upper()}_MODEL={override} is not a checkpoint folder")
            return ModelChoice("env", str(path.resolve()), path.name, read_metrics(path))
        return ModelChoice("env", validate_model_ref(override), override)
    local = local_checkpoints(task)
    if local:
        return local[0]
    if hub_default and not config.hub_offline():
        return ModelChoice("hub", hub_default, hub_default)
    return None


class LRUCache:
    """A thread-safe least-recently-used cache of loaded models, bounded by entry count.

    `get_or_load(key, loader)` returns (value, load_seconds, was_cached). Loads of the same key
    are serialised so two users asking at once load a model once.
    """

    def __init__(self, max_items: int = 4):
        self.max_items = max_items
        self._items: OrderedDict[Any, Any] = OrderedDict()
        self._lock = threading.Lock()
        self._key_locks: dict[Any, threading.Lock] = {}
        self.loads = 0  # how many times a loader actually ran (tests assert cache hits with it)

    def __contains__(self, key: Any) -> bool:
        with self._lock:
            return key in self._items

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)

    def get_or_load(self, key: Any, loader: Callable[[], Any]) -> tuple[Any, float, bool]:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key], 0.0, True
            key_lock = self._key_locks.setdefault(key, threading.Lock())
        with key_lock:
            with self._lock:
                if key in self._items:
                    self._items.move_to_end(key)
                    return self._items[key], 0.0, True
            start = time.perf_counter()
            value = loader()
            seconds = time.perf_counter() - start
            with self._lock:
                self._items[key] = value
                self._items.move_to_end(key)
                self.loads += 1
                while len(self._items) > self.max_items:
                    self._items.popitem(last=False)
            return value, seconds, False

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


MODEL_CACHE = LRUCache(max_items=config.cache_size())


def load_pipeline(task: str, ref: str, **kwargs: Any):
    """A transformers pipeline, loaded once and cached: safetensors only, never remote code."""
    return load_pipeline_timed(task, ref, **kwargs)[0]


def load_pipeline_timed(task: str, ref: str, **kwargs: Any) -> tuple[Any, float, bool]:
    """`load_pipeline` that also returns (load_seconds, was_cached), for UIs that report them."""
    from transformers import pipeline

    def loader():
        model_kwargs = {"use_safetensors": True, **kwargs.pop("model_kwargs", {})}
        return pipeline(task, model=ref, trust_remote_code=False, model_kwargs=model_kwargs, **kwargs)

    return MODEL_CACHE.get_or_load(("pipeline", task, ref, checkpoint_version(ref)), loader)


def checkpoint_version(ref: str) -> int | None:
    """When a local checkpoint's files last changed: a checkpoint retrained under the same name is a new
    cache entry, so the app serves the new model without a restart. None for Hub ids."""
    folder = Path(ref)
    if not folder.is_dir():
        return None
    files = [folder / "config.json", *(folder / name for name in WEIGHT_FILES)]
    return max((path.stat().st_mtime_ns for path in files if path.is_file()), default=0)


def describe_model(choice: ModelChoice | None) -> str:
    """Markdown for 'which model answered' shown under every tab's result: name, source, accuracy."""
    from studio.strings import t

    if choice is None:
        return t("model.none")
    parts = [t("model.answered", name=choice.name, source=t(f"model.source.{choice.source}"))]
    for split in ("validation", "test"):
        accuracy = choice.accuracy(split)
        if accuracy is not None:
            parts.append(t("model.accuracy", split=t(f"model.split.{split}"), accuracy=f"{accuracy:.1%}"))
    return " · ".join(parts)
