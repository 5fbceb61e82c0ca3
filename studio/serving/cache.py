"""Loaded models stay in memory: one bounded LRU cache shared by every tab and the playground.

The bean and sentiment tabs load a checkpoint's model with its image processor or tokenizer
(`load_model`) and run their own batched forward pass; the playground loads a `transformers.pipeline`
(`load_pipeline`) and calls it. Both: safetensors only, never remote code, and a reference that
studio.serving.models validated (or an operator's folder).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from contract.checkpoint import IMAGE_CLASSIFICATION, checkpoint_version
from studio import config


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


MODEL_CACHE = LRUCache(max_items=config.cache_size())


def load_pipeline(task: str, ref: str) -> tuple[Any, float, bool]:
    """(pipeline, load_seconds, was_cached): a transformers pipeline for the playground, loaded once."""
    from transformers import pipeline

    def loader():
        return pipeline(task, model=ref, trust_remote_code=False, model_kwargs={"use_safetensors": True})

    return MODEL_CACHE.get_or_load(("pipeline", task, ref, checkpoint_version(Path(ref))), loader)




@dataclass(eq=False)  # compared and hashed by identity: batchers and ONNX sessions are kept per loaded model
class LoadedModel:
    """A checkpoint's model with its image processor or its tokenizer, named as a pipeline names them."""

    model: Any
    image_processor: Any = None
    tokenizer: Any = None


def load_model(task: str, ref: str) -> tuple[LoadedModel, float, bool]:
    """(model and its processor, load_seconds, was_cached) for an image or text classification tab."""
    from transformers import (
        AutoImageProcessor,
        AutoModelForImageClassification,
        AutoModelForSequenceClassification,
        AutoTokenizer,
    )

    def loader() -> LoadedModel:
        if task == IMAGE_CLASSIFICATION:
            model = AutoModelForImageClassification.from_pretrained(ref, **SAFE_LOAD).eval()
            return LoadedModel(model, image_processor=AutoImageProcessor.from_pretrained(ref, trust_remote_code=False))
        model = AutoModelForSequenceClassification.from_pretrained(ref, **SAFE_LOAD).eval()
        return LoadedModel(model, tokenizer=AutoTokenizer.from_pretrained(ref, trust_remote_code=False))

    return MODEL_CACHE.get_or_load(("model", task, ref, checkpoint_version(Path(ref))), loader)


SAFE_LOAD = {"trust_remote_code": False, "use_safetensors": True}
