"""Checkpoint folders as `training` writes them, built from tiny random models in a second: a leaf
checkpoint with a chosen accuracy, a pushable one with files that must never leave, and the
metrics.json of a real bean run."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from PIL import Image

from tests.support.tiny import LEAF_CLASSES, make_tiny_bert_classifier, make_tiny_vit

# metrics.json as a real bean run writes it (a local dataset path, two splits, a token in its args)
IMAGE_METRICS = {
    "task": "image-classification", "name": "beans-mobilenet-head",
    "base_model": "google/vit-base-patch16-224-in21k", "dataset": "/home/ana/course/shared/data/beans",
    "strategy": "head", "label_names": ["angular_leaf_spot", "bean_rust", "healthy"],
    "splits": {
        "validation": {"accuracy": 0.954887, "f1_macro": 0.9541, "loss": 0.1834, "num_examples": 133,
                       "confusion_matrix": [[41, 2, 0], [1, 42, 1], [0, 2, 44]]},
        "test": {"accuracy": 0.9219, "f1_macro": 0.92, "loss": 0.25, "num_examples": 128,
                 "confusion_matrix": [[40, 3, 0], [4, 38, 1], [0, 2, 40]]},
    },
    "train": {"runtime_s": 41.2, "samples_per_second": 75.3, "epochs": 10, "num_examples": 1034},
    "args": {"name": "beans-mobilenet-head", "learning_rate": 0.005, "train_batch_size": 32,
             "models_dir": "/home/ana/course/models", "hub_token": "hf_NeverInACard", "max_train_samples": None},
    "versions": {"transformers": "5.24.0", "torch": "2.13.0"},
    "created": "2026-11-26T05:00:00Z",
}


def dead_pid() -> int:
    """A process id no process has (one above Linux's largest), for a dead writer's leftover folder."""
    pid_max = Path("/proc/sys/kernel/pid_max")
    return int(pid_max.read_text()) + 1 if pid_max.exists() else 2**22 + 1


def make_leaf_checkpoint(models_dir: Path, name: str, accuracy: float, source: Path, **metrics) -> Path:
    """A checkpoint as `training` writes it: the tiny ViT's files plus a metrics.json."""
    folder = models_dir / name
    shutil.copytree(source, folder)
    payload = {
        "task": "image-classification", "name": name, "base_model": "tiny-vit", "dataset": "tiny-beans",
        "strategy": "head", "label_names": list(LEAF_CLASSES),
        "splits": {"validation": {"accuracy": accuracy, "num_examples": 12}},
        "train": {"num_examples": 24}, "created": "2026-11-26T05:00:00Z", **metrics,
    }
    (folder / "metrics.json").write_text(json.dumps(payload), encoding="utf-8")
    return folder


def make_pushable_checkpoint(path: Path) -> Path:
    """A real (tiny, random) checkpoint folder as training writes it, plus files that must never be uploaded."""
    make_tiny_vit(path)
    (path / "metrics.json").write_text(json.dumps(IMAGE_METRICS), encoding="utf-8")
    Image.new("RGB", (8, 8), (200, 40, 40)).save(path / "confusion_matrix.png")
    (path / "training_args.bin").write_bytes(b"pickle, never uploaded")
    (path / "checkpoint-1").mkdir()
    (path / "checkpoint-1" / "optimizer.pt").write_bytes(b"never uploaded")
    return path


def make_sst2_tiny(models_dir: Path) -> Path:
    """`models_dir` holding sst2-tiny: a tiny random BERT as `python -m training text` leaves it (metrics.json
    with validation accuracy 0.875, English only), so a tab resolves it as "the best local checkpoint"."""
    checkpoint = make_tiny_bert_classifier(models_dir / "sst2-tiny")
    metrics = {
        "task": "text-classification", "name": "sst2-tiny", "label_names": ["negative", "positive"],
        "splits": {"validation": {"accuracy": 0.875, "num_examples": 8}}, "languages": ["en"],
    }
    (checkpoint / "metrics.json").write_text(json.dumps(metrics), encoding="utf-8")
    return models_dir
