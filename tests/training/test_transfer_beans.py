"""Real transfer learning: ImageNet MobileNetV2 (../shared) -> bean leaves with the `head` strategy.

A random-init backbone reaches ~0.34 here (chance); the pretrained features must reach >= 0.90.
"""

from __future__ import annotations

import json

import pytest

from training.commands import image

pytestmark = pytest.mark.usefixtures("one_torch_thread")


@pytest.mark.trains
def test_head_on_pretrained_mobilenet_learns_beans(beans_dir, mobilenet_dir, tmp_path):
    argv = ["--name", "beans-mobilenet-head", "--data_dir", str(beans_dir), "--base_model", str(mobilenet_dir),
            "--models_dir", str(tmp_path), "--strategy", "head"]
    assert image.main(argv) == 0
    metrics = json.loads((tmp_path / "beans-mobilenet-head" / "metrics.json").read_text())
    validation = metrics["splits"]["validation"]
    assert metrics["train"]["num_examples"] == 1034 and validation["num_examples"] == 133
    assert validation["accuracy"] >= 0.90 and validation["f1_macro"] >= 0.88, validation
    assert metrics["label_names"] == ["angular_leaf_spot", "bean_rust", "healthy"]
