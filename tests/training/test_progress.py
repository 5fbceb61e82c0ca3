"""`--progress-file`: a real tiny Trainer run writes one JSON line per event, and nothing without the flag."""

from __future__ import annotations

import json

import pytest

from tests.support.tiny import make_image_folder, make_tiny_vit
from training.__main__ import main as training_main


@pytest.mark.trains
def test_progress_file_has_begin_losses_evaluations_and_end(tmp_path):
    data = make_image_folder(tmp_path / "data", per_split={"train": 4, "validation": 2})
    vit = make_tiny_vit(tmp_path / "vit")
    progress = tmp_path / "progress.jsonl"
    common = ["image", "--data-dir", str(data), "--base-model", str(vit), "--models-dir", str(tmp_path / "models"),
              "--epochs", "2", "--strategy", "head", "--recipe", "none"]  # evaluated every epoch
    assert training_main([*common, "--name", "with", "--progress-file", str(progress)]) == 0
    lines = [json.loads(line) for line in progress.read_text().splitlines()]
    # head computes its frozen-layer outputs first ("phase" lines), then the Trainer's events follow
    events = [e for e in lines if e["event"] != "phase"]
    assert lines[:len(lines) - len(events)] == [e for e in lines if e["event"] == "phase"]
    assert events[0]["event"] == "begin" and events[0]["num_train_epochs"] == 2 and events[0]["max_steps"] > 0
    assert events[-1]["event"] == "end" and events[-1]["step"] == events[0]["max_steps"]
    assert [e["epoch"] for e in events if "eval_accuracy" in e] == [1.0, 2.0]
    assert len([e for e in events if "loss" in e]) == 2
    assert training_main([*common, "--name", "without"]) == 0  # the flag is optional
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "models", "progress.jsonl", "vit"]
