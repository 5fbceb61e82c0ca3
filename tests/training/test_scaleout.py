"""The same `python -m training ...` command under `accelerate launch --num_processes 2` (CPU, gloo):
both processes train, one writes, and the checkpoint is the one a single process writes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from safetensors.torch import load_file

from tests.conftest import REPO_ROOT
from tests.support.tiny import make_image_folder, make_tiny_mobilenet

ENV = {**os.environ, "OMP_NUM_THREADS": "1", "HF_HUB_OFFLINE": "1"}
LAUNCH = [sys.executable, "-m", "accelerate.commands.launch", "--cpu", "--num_processes", "2", "--num_machines", "1",
          "--mixed_precision", "no", "--dynamo_backend", "no"]


def command(root: Path, models: Path) -> list[str]:
    return ["-m", "training", "image", "--name", "scaled", "--data_dir", str(root / "data"), "--base_model",
            str(root / "mobilenet"), "--models_dir", str(models), "--strategy", "full", "--epochs", "2",
            "--train_batch_size", "4", "--holdout_fraction", "0.25"]


def described(folder: Path) -> dict:
    """What must not depend on the number of processes: files, metrics layout, config, weight shapes."""
    metrics = json.loads((folder / "metrics.json").read_text())
    config = json.loads((folder / "config.json").read_text())
    return {
        "files": sorted(p.name for p in folder.iterdir()),
        "metrics_keys": sorted(metrics),
        "splits": {name: found["num_examples"] for name, found in metrics["splits"].items()},
        "train_examples": metrics["train"]["num_examples"],
        "labels": metrics["label_names"],
        "config": {key: config[key] for key in ("id2label", "label2id", "architectures")},
        "processor": json.loads((folder / "preprocessor_config.json").read_text()),
        "weights": {key: tuple(value.shape) for key, value in load_file(folder / "model.safetensors").items()},
    }


@pytest.mark.trains
@pytest.mark.serves
def test_two_processes_write_the_checkpoint_one_process_writes(tmp_path):
    make_image_folder(tmp_path / "data", per_split={"train": 8, "validation": 4})
    make_tiny_mobilenet(tmp_path / "mobilenet", labels=("a", "b", "c"))
    single, scaled = tmp_path / "single", tmp_path / "scaled"
    one = subprocess.run([sys.executable, *command(tmp_path, single)], cwd=REPO_ROOT, env=ENV,
                         capture_output=True, text=True, timeout=300)
    assert one.returncode == 0, one.stderr[-2000:]
    two = subprocess.run([*LAUNCH, *command(tmp_path, scaled)], cwd=REPO_ROOT, env=ENV,
                         capture_output=True, text=True, timeout=300)
    assert two.returncode == 0, two.stderr[-2000:]
    assert two.stdout.count("checkpoint written to") == 1  # one process writes and reports
    assert sorted(p.name for p in scaled.iterdir()) == ["scaled"]  # no temp folder, no .runs left
    assert described(scaled / "scaled") == described(single / "scaled")
