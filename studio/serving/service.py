"""A tab's model, served: which model, loaded once, its forward passes shared.

A `ModelService` names a tab's model slot (its env var, task, Hub default, the command that trains one)
and its batched forward pass. A handler reads straight through:

    with MODEL.serving(picked, owner) as (choice, loaded):   # which model, from the cache
        scores = predict(loaded, upload)                     # -> loaded.batcher -> MODEL.forward

Everything a request passes through after the handler is in this file: resolving the model (remembered
while models/ is unchanged), the LRU cache of loaded models (with an image checkpoint's checked ONNX
session, opened once at load), and the MicroBatcher whose worker thread runs the forward passes. What
is decided once per model lives beside it: the reference rules (models.py), the Hub guard
(hub_guard.py) and the ONNX check (onnx.py).

Every failure is a StudioError (a translated line; studio.ui.shows_errors shows it); an unexpected
one is logged with its traceback first.
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from contract.checkpoint import IMAGE_CLASSIFICATION, checkpoint_version
from contract.errors import KeyedError, error_summary
from contract.hub_ids import shown_ref
from contract.visitors import OPERATOR, owner_models_dir
from studio import config
from studio.errors import StudioError, message_of
from studio.i18n import percent, t
from studio.serving import first_model
from studio.serving.hub_guard import check_model
from studio.serving.models import ModelChoice, ModelRefError, find_model, is_local_ref, local_checkpoints
from studio.serving.onnx import open_session

log = logging.getLogger("studio")

RunBatch = Callable[[Any, list[Any]], list[Any]]  # (loaded model, inputs) -> one output per input
MAX_BATCH = 8  # inputs per forward pass by default: beyond this a 2-core CPU gains little and memory grows


@dataclass(frozen=True)
class ModelService:
    tab: str                   # "beans" -> STUDIO_BEANS_MODEL and the "beans.*" strings
    task: str                  # contract.checkpoint task name, also the transformers pipeline task
    hub_default: str | None    # used online when there is no local checkpoint
    train_command: str         # shown when no model is available
    forward: RunBatch | None = None  # the tab's forward pass over a batch: `loaded.batcher` runs it
    max_batch: int = MAX_BATCH

    @property
    def env_var(self) -> str:
        return config.model_variable(self.tab)

    def no_model(self, markdown: bool = False) -> StudioError:
        """While the tab's first model trains (studio/serving/first_model.py), how far it is; else where to get one."""
        preparing = self.preparing()
        if preparing is not None:
            return preparing
        command = f"\n\n```\n{self.train_command}\n```" if markdown else self.train_command
        key = {"beans": "beans.no_model", "sentiment": "sentiment.no_model"}[self.tab]
        return StudioError(key, models_dir=f"{config.models_dir().name}/", command=command)

    def own_choices(self, owner: str) -> list[ModelChoice]:
        """A visitor's own runs for this task, newest first: offered to them only, never a default for others."""
        if owner == OPERATOR:
            return []
        own = local_checkpoints(self.task, owner_models_dir(config.models_dir(), owner))
        return sorted(own, key=lambda choice: -(checkpoint_version(Path(choice.ref)) or 0))

    def options(self, owner: str = OPERATOR) -> list[tuple[str, str]]:
        """(label, value) for the tab's model picker: automatic first, then the visitor's own runs, then
        the operator's checkpoints for the task (best first), then the Hub default when online."""
        found = [(t("model.picker.auto"), "")]
        for choice in self.own_choices(owner):
            accuracy = choice.accuracy("validation")
            found.append((t("model.picker.yours", name=choice.name,
                            accuracy="" if accuracy is None else f" · {percent(accuracy)}"), choice.name))
        for choice in local_checkpoints(self.task):
            accuracy = choice.accuracy("validation")
            found.append((choice.name if accuracy is None else f"{choice.name} ({percent(accuracy)})", choice.name))
        if self.hub_default and not config.hub_offline():
            found.append((self.hub_default, self.hub_default))
        return found

    def resolve(self, picked: str | None = None, owner: str = OPERATOR) -> ModelChoice:
        """The model the user picked (a checkpoint name from `options`), else the visitor's newest own run,
        else the operator's: STUDIO_<TAB>_MODEL -> best checkpoint in models/ -> Hub default. Looked up on
        every call, so a checkpoint trained while the app runs is picked up without a restart; the
        operator's is remembered while nothing it depends on changes (`resolution_key`): listing models/
        and reading every metrics.json on each request was most of a request's own cost."""
        if picked:
            return self.picked(picked, owner)
        own = self.own_choices(owner)
        if own:
            return own[0]
        key = resolution_key(self.tab, self.task, self.hub_default)
        with RESOLVED_LOCK:
            found = RESOLVED.get(key, MISSING)
        if found is MISSING:
            try:
                found = find_model(self.tab, self.task, self.hub_default)
            except ModelRefError as error:
                raise StudioError("model.error.config", variable=self.env_var, error=message_of(error)) from None
            with RESOLVED_LOCK:
                if len(RESOLVED) >= 64:
                    RESOLVED.clear()
                RESOLVED[key] = found
        if found is None or (found.source == "hub" and self.preparing() is not None):
            raise self.no_model()  # the Hub did not answer at start: the tab's first model is on its way
        return found

    def preparing(self) -> StudioError | None:
        """How far the tab's first model is while one is prepared, else None."""
        return first_model.preparing(self.tab)

    def picked(self, name: str, owner: str = OPERATOR) -> ModelChoice:
        for choice in [*self.own_choices(owner), *local_checkpoints(self.task)]:
            if choice.name == name:
                return ModelChoice("picked", choice.ref, choice.name, choice.metrics)
        if name == self.hub_default and not config.hub_offline():
            return ModelChoice("picked", name, name)
        raise StudioError("model.error.unknown_pick", name=shown_ref(name))

    @contextmanager
    def serving(self, picked: str | None = None, owner: str = OPERATOR) -> Iterator[tuple[ModelChoice, LoadedModel]]:
        """`with service.serving(picked, owner) as (choice, loaded):` which model -> from the cache (loaded
        once; a Hub model passes the guard first: short lookup, refusals) -> the block. A KeyedError in the
        block passes through as the user's message; any other failure is logged and becomes one line
        naming the model."""
        choice = self.resolve(picked, owner)
        if not is_local_ref(choice.ref):
            check_model(choice.ref, (self.task,))
        try:
            key = (self.tab, choice.ref, checkpoint_version(Path(choice.ref)))
            loaded = MODEL_CACHE.get_or_load(key, lambda: load_checkpoint(self, choice.ref))[0]
        except Exception as error:
            log.exception("%s: loading %s failed", self.tab, choice.ref)
            raise StudioError("model.error.load", name=choice.name, error=error_summary(error)) from None
        try:
            yield choice, loaded
        except KeyedError:
            raise
        except Exception as error:
            log.exception("%s: predicting with %s failed", self.tab, choice.ref)
            raise StudioError("model.error.predict", name=choice.name, error=error_summary(error)) from None

    def warm_up(self) -> None:
        """Load the operator's model into the cache (at start-up); a failure to load is logged, the first
        request reports it."""
        try:
            with self.serving():
                pass
        except StudioError as error:
            log.warning("could not preload the %s model: %s", self.tab, error.message("en"))


# ---------------------------------------------------------------- which model: the operator's, remembered

MISSING = object()
RESOLVED: dict[tuple, ModelChoice | None] = {}
RESOLVED_LOCK = threading.Lock()


def resolution_key(tab: str, task: str, hub_default: str | None) -> tuple:
    """What `find_model` depends on. A checkpoint written, replaced or removed in models/ is a rename in
    it (contract.checkpoint.write_atomically), which changes the folder's mtime; an override folder
    outside models/ is watched through its own files."""
    override = config.model_override(tab)
    root = config.models_dir()
    try:
        root_version = root.stat().st_mtime_ns
    except OSError:
        root_version = None
    override_version = checkpoint_version(Path(override).expanduser()) if override else None
    return (tab, task, hub_default, override, override_version, str(root), root_version, config.hub_offline())


# ---------------------------------------------------------------- loaded once: an LRU cache of models


@dataclass(eq=False)  # compared by identity: two loads of one checkpoint are two models, each with its batcher
class LoadedModel:
    """A checkpoint's model with its image processor or its tokenizer (named as a pipeline names them),
    the checked ONNX session of an image model (None: torch serves it) and the batcher of its passes."""

    model: Any
    image_processor: Any = None
    tokenizer: Any = None
    session: Any = None
    batcher: MicroBatcher | None = None


SAFE_LOAD = {"trust_remote_code": False, "use_safetensors": True}


def load_checkpoint(service: ModelService, ref: str) -> LoadedModel:
    """The model and its processor from a validated reference (safetensors only, never remote code); an
    image model's model.onnx is checked against the weights now (studio/serving/onnx.py)."""
    from transformers import (
        AutoImageProcessor,
        AutoModelForImageClassification,
        AutoModelForSequenceClassification,
        AutoTokenizer,
    )

    if service.task == IMAGE_CLASSIFICATION:
        model = AutoModelForImageClassification.from_pretrained(ref, **SAFE_LOAD).eval()
        loaded = LoadedModel(model, image_processor=AutoImageProcessor.from_pretrained(ref, trust_remote_code=False))
        loaded.session = open_session(loaded)
    else:
        model = AutoModelForSequenceClassification.from_pretrained(ref, **SAFE_LOAD).eval()
        loaded = LoadedModel(model, tokenizer=AutoTokenizer.from_pretrained(ref, trust_remote_code=False))
    if service.forward is not None:
        loaded.batcher = MicroBatcher(loaded, service.forward, service.max_batch)
    return loaded


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


MODEL_CACHE = LRUCache(max_items=config.cache_size())  # shared with the playground's pipelines


# ---------------------------------------------------------------- forward passes shared by requests
#
# Gradio's own `batch=True` fails every request of a batch when one input is bad; here each request
# decodes and validates its own input in its own thread (a bad upload is that user's error only) and
# hands the model-ready input to `MicroBatcher.submit`. One worker thread per model runs the forward
# passes: no timer (a request alone waits for nothing; those arriving during a pass go together into the
# next one), and the big temporary tensors of a pass always come from the same thread's memory arena, so
# the server's memory stays at one pass's peak instead of one per request thread (measured: +435 MB at
# 16 clients when whichever request thread came first ran the pass).

IDLE_EXIT_S = 30.0  # an idle worker thread ends; the next request starts one


class MicroBatcher:
    """`submit(item)` -> `run_batch(owner, [...items])[i]` for this item, computed by the worker thread
    together with whatever else was submitted meanwhile (at most `max_batch` per pass). A failing pass
    fails its own requests only. `owner` (the loaded model) is held weakly: a model that leaves the
    cache is freed, its batcher with it."""

    def __init__(self, owner: Any, run_batch: RunBatch, max_batch: int = MAX_BATCH, idle_exit_s: float = IDLE_EXIT_S):
        self.owner = weakref.ref(owner)
        self.run_batch = run_batch
        self.max_batch = max_batch
        self.idle_exit_s = idle_exit_s
        self._pending: list[tuple[Any, Future]] = []
        self._lock = threading.Lock()
        self._arrived = threading.Condition(self._lock)
        self._worker: threading.Thread | None = None
        self.batch_sizes: list[int] = []  # of the last 1000 passes (tests and benchmarks read it)

    def submit(self, item: Any) -> Any:
        return self.submit_all([item])[0]

    def submit_all(self, items: list[Any]) -> list[Any]:
        """Several inputs of one request (e.g. an image and its test-time views), queued together so they
        can share a pass instead of waiting for each other's."""
        futures = [Future() for _ in items]
        with self._lock:
            self._pending.extend(zip(items, futures, strict=True))
            if self._worker is None:
                self._worker = threading.Thread(target=self._work, name="forward-passes", daemon=True)
                self._worker.start()
            self._arrived.notify()
        return [future.result() for future in futures]

    def _next_batch(self) -> list[tuple[Any, Future]]:
        """Wait for work; [] (and the worker is gone) after `idle_exit_s` without any."""
        with self._lock:
            if not self._pending:
                self._arrived.wait(self.idle_exit_s)
            if not self._pending:
                self._worker = None
                return []
            batch, self._pending = self._pending[: self.max_batch], self._pending[self.max_batch :]
            self.batch_sizes = [*self.batch_sizes[-999:], len(batch)]
            return batch

    def _work(self) -> None:
        while batch := self._next_batch():
            try:
                owner = self.owner()
                if owner is None:
                    raise RuntimeError("the model was unloaded")
                results = self.run_batch(owner, [item for item, _future in batch])
                del owner
                for (_item, future), result in zip(batch, results, strict=True):
                    future.set_result(result)
            except BaseException as error:  # every request of the pass gets it, none hangs
                for _item, future in batch:
                    if not future.done():
                        future.set_exception(error)


# A fast tokenizer keeps its truncation and padding settings on its shared Rust backend and changes them
# on every call, so concurrent events calling the same tokenizer change each other's: one lock each.
TOKENIZER_LOCKS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
TOKENIZER_LOCKS_GUARD = threading.Lock()


def tokenizer_lock(tokenizer) -> threading.Lock:
    """The lock a caller holds while it uses `tokenizer` (shared by every request to one loaded model)."""
    with TOKENIZER_LOCKS_GUARD:
        return TOKENIZER_LOCKS.setdefault(tokenizer, threading.Lock())
