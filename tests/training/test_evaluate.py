"""`python -m training evaluate`: any checkpoint, any split; same numbers as training's final evaluation."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.support.tiny import make_image_folder, make_tiny_vit
from tests.support.train_helpers import cli
from training.commands import evaluate, image

pytestmark = pytest.mark.usefixtures("one_torch_thread")


@pytest.fixture(scope="module")
def trained(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("evaluate")
    data = make_image_folder(root / "data", per_split={"train": 6, "validation": 3, "test": 4})
    argv = ["--name", "tiny", "--data_dir", str(data), "--base_model", str(make_tiny_vit(root / "vit")),
            "--models_dir", str(root / "models"), "--epochs", "3"]
    assert image.main(argv) == 0
    return {"root": root, "data": data, "model": root / "models" / "tiny"}


@pytest.mark.trains
def test_evaluate_reproduces_the_training_metrics_and_writes_json(trained, capsys):
    model, data = trained["model"], trained["data"]
    assert evaluate.main(["--model", str(model), "--data_dir", str(data), "--split", "test"]) == 0
    report = json.loads((model / "eval-test.json").read_text())
    expected = json.loads((model / "metrics.json").read_text())["splits"]["test"]
    assert report["task"] == "image-classification" and report["split"] == "test" and report["skipped"] == 0
    assert report["metrics"]["num_examples"] == 12
    assert report["metrics"]["confusion_matrix"] == expected["confusion_matrix"]
    assert report["metrics"]["accuracy"] == pytest.approx(expected["accuracy"])
    assert report["metrics"]["loss"] == pytest.approx(expected["loss"], abs=1e-4)
    printed = capsys.readouterr().out
    assert "test" in printed and f"{expected['accuracy']:.4f}" in printed


@pytest.mark.trains
def test_evaluate_without_metrics_json_uses_the_config_and_another_output(trained, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(trained["model"], copy)
    (copy / "metrics.json").unlink()
    assert evaluate.evaluated_task(copy) == "image-classification"
    output = tmp_path / "out" / "validation.json"
    argv = ["--model", str(copy), "--data_dir", str(trained["data"]), "--split", "val", "--output", str(output),
            "--max_samples", "5"]
    assert evaluate.main(argv) == 0
    report = json.loads(output.read_text())
    assert report["split"] == "validation" and report["metrics"]["num_examples"] == 5


@pytest.mark.trains
def test_evaluate_a_split_missing_a_class_is_fine(trained, tmp_path):
    data = tmp_path / "partial"
    shutil.copytree(trained["data"] / "test", data / "test")
    shutil.rmtree(data / "test" / "healthy")
    assert evaluate.main(["--model", str(trained["model"]), "--data_dir", str(data)]) == 0
    assert json.loads((trained["model"] / "eval-test.json").read_text())["metrics"]["num_examples"] == 8


@pytest.mark.trains
@pytest.mark.serves
def test_bad_evaluate_inputs_exit_2_with_one_line(trained, tmp_path, capsys):
    from training.__main__ import main as training_main

    strange = make_image_folder(tmp_path / "strange", classes=("cat", "dog"), per_split={"test": 1})
    model, data = str(trained["model"]), str(trained["data"])
    cases = {
        "missing model": (["--model", str(tmp_path / "nope"), "--data_dir", data], "model folder not found"),
        "missing data": (["--model", model, "--data_dir", str(tmp_path / "nope")], "data folder not found"),
        "missing split": (["--model", model, "--data_dir", data, "--split", "holdout"], "no 'holdout' split"),
        "unknown classes": (["--model", model, "--data_dir", str(strange)], "do not match"),
        "not a checkpoint": (["--model", str(trained["data"]), "--data_dir", data], "not a checkpoint"),
    }
    for name, (argv, words) in cases.items():
        assert training_main(["evaluate", *argv]) == 2, name
        errors = [line for line in capsys.readouterr().err.splitlines() if line.startswith("error:")]
        assert len(errors) == 1 and words in errors[0], f"{name}: {errors}"
    result = cli("evaluate", *cases["missing model"][0])
    assert result.returncode == 2 and "model folder not found" in result.stderr
