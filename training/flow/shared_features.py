"""Frozen features on disk, shared by every run that asks for them: the same backbone output is computed once.

A row is what a module of a *pretrained* model receives for one encoded example (training/features.py). Its
key is the hash of: the base model's content (its weights and config files, not its path: a copy is the
same model, retrained weights in the same folder are not), the module's name, and the encoded input itself
(every tensor the model is fed, so the image's content, the input geometry, the view and the tokenizer's
ids are all in it). Two learners' runs on the course's leaves, a re-run, a retrain after review and the folds
of a k-fold read each other's rows.

Bounded: STUDIO_FEATURE_CACHE_MB (default 2000) in the folder STUDIO_FEATURE_CACHE; past it the least
recently used rows go. Unset folder: no disk cache (the CLI's default; the Train tab sets it). Rows are
`.npy` files read with `allow_pickle=False`: a planted file is data or nothing, never code.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch

FOLDER_VARIABLE, SIZE_VARIABLE = "STUDIO_FEATURE_CACHE", "STUDIO_FEATURE_CACHE_MB"
DEFAULT_MB = 2000
MODEL_FILES = ("config.json", "model.safetensors", "model.safetensors.index.json")
CHUNK = 1 << 20


@functools.lru_cache(maxsize=32)
def model_identity(ref: str, stamp: tuple) -> str | None:
    """The hash of a local base model's weights and config (`stamp`: their sizes and times, so a folder
    rewritten in place is hashed again); None for a model that is no local folder (nothing shared)."""
    digest = hashlib.sha256()
    files = sorted(path for path in Path(ref).glob("*.safetensors*") if path.is_file())
    if not files:
        return None
    for path in [Path(ref) / "config.json", *files]:
        if path.is_file():
            digest.update(path.name.encode())
            with path.open("rb") as handle:
                while chunk := handle.read(CHUNK):
                    digest.update(chunk)
    return digest.hexdigest()[:32]


def identity_of(ref: str) -> str | None:
    folder = Path(ref)
    if not folder.is_dir():
        return None
    stamp = tuple(sorted((path.name, stat.st_size, stat.st_mtime_ns) for path in folder.iterdir()
                         if path.is_file() and (stat := path.stat())))
    return model_identity(str(folder.resolve()), stamp)


def input_key(identity: str, where: str, encoded: dict[str, Any]) -> str:
    digest = hashlib.sha256(f"{identity}\0{where}".encode())
    for name in sorted(encoded):
        if name == "labels":
            continue
        value = np.ascontiguousarray(torch.as_tensor(encoded[name]).numpy())
        digest.update(f"\0{name}\0{value.dtype}\0{value.shape}\0".encode())
        digest.update(value.tobytes())
    return digest.hexdigest()


@dataclass(frozen=True)
class SharedFeatures:
    folder: Path
    max_bytes: int

    @classmethod
    def from_env(cls) -> SharedFeatures | None:
        folder = os.environ.get(FOLDER_VARIABLE, "").strip()
        try:
            megabytes = float(os.environ.get(SIZE_VARIABLE, DEFAULT_MB))
        except ValueError:
            megabytes = DEFAULT_MB
        return cls(Path(folder), int(megabytes * 2**20)) if folder and megabytes > 0 else None

    def path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.npy"

    def get(self, key: str) -> torch.Tensor | None:
        path = self.path(key)
        try:
            row = np.load(path, allow_pickle=False)
            os.utime(path)  # recently used: the last to go
        except (OSError, ValueError, EOFError):
            return None
        return torch.from_numpy(row)

    def put(self, key: str, row: torch.Tensor) -> None:
        path = self.path(key)
        with contextlib.suppress(OSError):
            path.parent.mkdir(parents=True, exist_ok=True)
            temp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
            with temp.open("wb") as handle:
                np.save(handle, row.detach().cpu().contiguous().numpy(), allow_pickle=False)
            os.replace(temp, path)

    def trim(self) -> None:
        """Past its size: least recently used rows removed until the cache is back under 90% of its size."""
        rows = []
        for path in self.folder.glob("*/*.npy"):
            with contextlib.suppress(OSError):
                stat = path.stat()
                rows.append((stat.st_mtime, stat.st_size, path))
        total = sum(size for _time, size, _path in rows)
        if total <= self.max_bytes:
            return
        for _time, size, path in sorted(rows):
            if total <= self.max_bytes * 0.9:
                break
            with contextlib.suppress(OSError):
                path.unlink()
                total -= size
