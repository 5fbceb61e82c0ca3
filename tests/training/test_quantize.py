"""model.int8.onnx: written by `export-onnx --quantize int8`, checked against the float graph on validation,
served by the bean tab only when the operator asks (STUDIO_RUNTIME=onnx-int8) and its record allows it
(the real ImageNet MobileNetV2 with a head trained on real leaves by the real CLI, real ONNX Runtime
quantization: a tiny random model's near-constant logits would make every comparison pass)."""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import numpy as np
import pytest

from contract.checkpoint import ONNX_FILE, read_metrics
from contract.onnx_graph import (
    INT8_CHECK_SLACK,
    INT8_ONNX_FILE,
    INT8_RECORD,
    check_pictures,
    graph_logits,
    open_graph,
    probability_difference,
)
from studio.beans import predict as beans
from studio.serving.onnx import open_session
from tests.conftest import served_model
from training.__main__ import main as training_main
from training.commands import image

pytestmark = pytest.mark.usefixtures("one_torch_thread")


@pytest.fixture(scope="module")
def quantized(tmp_path_factory, beans_dir, mobilenet_dir) -> Path:
    """MobileNetV2 `head` trained on 60 real leaves at 224 px with `--quantize int8` (in-process):
    calibrated on the run's training leaves, checked on its 30 validation leaves."""
    root = tmp_path_factory.mktemp("int8")
    argv = ["--name", "beans-int8", "--data_dir", str(beans_dir), "--base_model", str(mobilenet_dir),
            "--strategy", "head", "--resize_mode", "whole", "--image_size", "224", "--epochs", "5",
            "--max_train_samples", "60", "--max_eval_samples", "30", "--quantize", "int8", "--models_dir", str(root)]
    assert image.main(argv) == 0
    return root / "beans-int8"


def check_pixels(folder: Path) -> np.ndarray:
    from transformers import AutoImageProcessor

    return AutoImageProcessor.from_pretrained(folder)(check_pictures(2), return_tensors="np")["pixel_values"]


@pytest.mark.trains
def test_the_int8_graph_agrees_with_the_float_one_on_the_check_pictures_within_the_recorded_bound(quantized):
    record = read_metrics(quantized)["inference"][INT8_RECORD]
    int8, floating = open_graph(quantized / INT8_ONNX_FILE), open_graph(quantized / ONNX_FILE)
    stray = probability_difference(int8, floating, check_pixels(quantized))
    assert stray <= record["check_max_prob_diff"] + 1e-3  # the same graph on the same machine: what was recorded
    assert record["check_max_prob_diff"] + INT8_CHECK_SLACK < 0.5  # and the app's bound is not "anything goes"
    assert not np.array_equal(graph_logits(int8, check_pixels(quantized)),
                              graph_logits(floating, check_pixels(quantized)))  # it really is another graph


@pytest.mark.trains
def test_the_record_sets_int8_beside_float_on_the_validation_split(quantized):
    record = read_metrics(quantized)["inference"][INT8_RECORD]
    assert record["file"] == INT8_ONNX_FILE and record["method"] == "static-qdq" and record["split"] == "validation"
    assert record["num_examples"] == 30  # the run's evaluation split
    metrics = read_metrics(quantized)
    # the float graph scores what training scored; the int8 one a real classifier (3 classes) with nearly its answers
    assert record["float_accuracy"] == pytest.approx(metrics["splits"]["validation"]["accuracy"], abs=1e-4)
    assert record["accuracy"] >= 0.6 and record["agreement"] >= 0.9
    assert record["size_mb"] < record["float_size_mb"] / 2
    assert 0 <= record["accuracy"] <= 1 and 0 <= record["float_accuracy"] <= 1 and 0 <= record["agreement"] <= 1
    assert record["accuracy_drop"] == pytest.approx(record["float_accuracy"] - record["accuracy"], abs=1e-4)
    assert record["size_mb"] == pytest.approx((quantized / INT8_ONNX_FILE).stat().st_size / 1e6, abs=0.01)
    assert record["float_size_mb"] == pytest.approx((quantized / ONNX_FILE).stat().st_size / 1e6, abs=0.01)
    assert record["ms_per_image"] > 0 and record["float_ms_per_image"] > 0


@pytest.mark.trains
def test_the_bean_tab_serves_int8_only_when_asked_and_allowed(models_dir, quantized, monkeypatch, caplog):
    folder = shutil.copytree(quantized, models_dir / "leaf-int8")
    pixels = check_pixels(folder)
    int8_logits = graph_logits(open_graph(folder / INT8_ONNX_FILE), pixels)
    float_logits = graph_logits(open_graph(folder / ONNX_FILE), pixels)

    def served(runtime: str, max_drop: str = "0.01") -> np.ndarray:
        monkeypatch.setenv("STUDIO_RUNTIME", runtime)
        monkeypatch.setenv("STUDIO_INT8_MAX_DROP", max_drop)
        classifier = served_model(beans.MODEL)[1]
        return graph_logits(open_session(classifier), pixels)  # decided again under this environment

    assert np.allclose(served("onnx"), float_logits)  # the default stays the float graph
    assert np.allclose(served("onnx-int8", "1"), int8_logits)
    with caplog.at_level(logging.WARNING, logger="studio"):
        assert np.allclose(served("onnx-int8", "-1"), float_logits)  # any drop is too much: float, and why
    assert "STUDIO_INT8_MAX_DROP" in caplog.text and "not model.int8.onnx" in caplog.text


@pytest.mark.trains
def test_an_int8_graph_of_other_weights_is_never_served(models_dir, quantized, monkeypatch, caplog, tmp_path):
    """An int8 graph whose classes are rolled one place (the same backbone, another head) beside model.onnx."""
    from safetensors.torch import load_file, save_file

    folder = shutil.copytree(quantized, models_dir / "beans-stale-int8")
    other = shutil.copytree(quantized, tmp_path / "other")
    weights = load_file(other / "model.safetensors")
    for name in ("classifier.weight", "classifier.bias"):
        weights[name] = weights[name].roll(1, dims=0).contiguous()
    save_file(weights, other / "model.safetensors", metadata={"format": "pt"})
    assert training_main(["export-onnx", "--checkpoint", str(other), "--quantize", "int8"]) == 0
    assert read_metrics(other)["inference"][INT8_RECORD]["num_examples"] == 133  # all of --data-dir's validation
    shutil.copy(other / INT8_ONNX_FILE, folder / INT8_ONNX_FILE)
    monkeypatch.setenv("STUDIO_RUNTIME", "onnx-int8")
    monkeypatch.setenv("STUDIO_INT8_MAX_DROP", "1")
    with caplog.at_level(logging.WARNING, logger="studio"):
        session = open_session(served_model(beans.MODEL)[1])
    pixels = check_pixels(folder)
    assert np.allclose(graph_logits(session, pixels), graph_logits(open_graph(folder / ONNX_FILE), pixels))
    assert "other weights" in caplog.text


@pytest.mark.trains
def test_export_onnx_without_quantize_drops_a_stale_int8_graph(quantized, tmp_path):
    folder = shutil.copytree(quantized, tmp_path / "again")
    assert training_main(["export-onnx", "--checkpoint", str(folder)]) == 0
    assert not (folder / INT8_ONNX_FILE).exists() and INT8_RECORD not in read_metrics(folder)["inference"]


def test_quantize_needs_the_float_graph(tmp_path, beans_dir, mobilenet_dir, capsys):
    argv = ["--name", "x", "--data_dir", str(beans_dir), "--base_model", str(mobilenet_dir), "--onnx", "false",
            "--quantize", "int8", "--models_dir", str(tmp_path)]
    capsys.readouterr()
    assert training_main(["image", *argv]) == 2
    assert capsys.readouterr().err.strip() == "error: --quantize int8 quantizes model.onnx: it needs --onnx true"


@pytest.mark.trains
def test_quantize_without_images_to_check_on_is_one_line(quantized, tmp_path, capsys):
    folder = shutil.copytree(quantized, tmp_path / "nodata")
    metrics = read_metrics(folder)
    metrics["dataset"] = "beans"  # a Hub id: nothing local to calibrate or check on
    (folder / "metrics.json").write_text(json.dumps(metrics), encoding="utf-8")
    capsys.readouterr()
    assert training_main(["export-onnx", "--checkpoint", str(folder), "--quantize", "int8"]) == 2
    error = capsys.readouterr().err.strip()
    assert error.startswith("error: --quantize int8 needs") and "\n" not in error
