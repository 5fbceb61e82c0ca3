"""model.onnx: written and checked by training, served by the bean tab only while it agrees with the
weights, answering what torch answers (tiny random MobileNetV2s, real files, real ONNX Runtime)."""

from __future__ import annotations

import json
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image
from transformers import pipeline

from contract.checkpoint import ONNX_FILE, ONNX_MAX_ABS_DIFF, read_metrics
from contract.onnx_graph import graph_logits, open_graph
from studio.beans import predict as beans
from studio.serving.onnx import open_session
from studio.serving.service import load_checkpoint
from tests.conftest import served_model
from tests.support.tiny import LEAF_CLASSES, make_image_folder, make_tiny_bert_classifier, make_tiny_mobilenet
from training.__main__ import main as training_main
from training.commands import image

pytestmark = pytest.mark.usefixtures("one_torch_thread")


@pytest.fixture(scope="module")
def trained(tmp_path_factory) -> Path:
    """A tiny MobileNetV2 fine-tuned on tiny leaf folders by `python -m training image` (in-process)."""
    root = tmp_path_factory.mktemp("onnx")
    data = make_image_folder(root / "data", per_split={"train": 6, "validation": 3})
    torch.manual_seed(0)
    base = make_tiny_mobilenet(root / "base", labels=LEAF_CLASSES)
    argv = ["--name", "leaf-onnx", "--data_dir", str(data), "--base_model", str(base), "--strategy", "full",
            "--epochs", "1", "--train_batch_size", "6", "--learning_rate", "1e-3", "--models_dir", str(root / "models")]
    assert image.main(argv) == 0
    return root / "models" / "leaf-onnx"


def pictures() -> list[Image.Image]:
    rng = np.random.default_rng(1)
    return [Image.fromarray(rng.integers(0, 256, (40 + 9 * i, 52, 3), dtype=np.uint8)) for i in range(5)]


def torch_logits(folder: Path, pixel_values: torch.Tensor) -> np.ndarray:
    from transformers import AutoModelForImageClassification

    model = AutoModelForImageClassification.from_pretrained(folder).eval()
    with torch.inference_mode():
        return model(pixel_values=pixel_values).logits.numpy()


@pytest.mark.trains
def test_training_writes_a_graph_that_computes_the_saved_weights_logits(trained):
    from transformers import AutoImageProcessor

    record = read_metrics(trained)["inference"]["onnx"]
    assert record["file"] == ONNX_FILE and record["max_abs_logit_diff"] <= ONNX_MAX_ABS_DIFF
    pixels = AutoImageProcessor.from_pretrained(trained)(pictures(), return_tensors="pt")["pixel_values"]
    expected = torch_logits(trained, pixels)
    assert np.allclose(graph_logits(open_graph(trained / ONNX_FILE), pixels.numpy()), expected, rtol=1e-4, atol=1e-4)
    assert np.abs(expected).max() > 1e-3  # logits that are not all ~0: the comparison means something


@pytest.mark.trains
def test_the_bean_tab_serves_the_graph_and_answers_what_the_pipeline_answers(models_dir, trained):
    shutil.copytree(trained, models_dir / "leaf-onnx")
    classifier = served_model(beans.MODEL)[1]
    assert classifier.session is not None
    reference = pipeline("image-classification", model=beans.MODEL.resolve().ref)  # the tab loads none
    expected = [{r["label"]: r["score"] for r in reference(picture, top_k=3)} for picture in pictures()]
    with ThreadPoolExecutor(8) as pool:  # concurrent requests share passes through the one session
        got = list(pool.map(lambda picture: beans.predict_leaf(classifier, picture).scores, pictures() * 4))
    for answer, want in zip(got, expected * 4, strict=True):
        assert list(answer) == list(want)
        assert list(answer.values()) == pytest.approx(list(want.values()), abs=1e-4)


@pytest.mark.trains
def test_a_graph_of_other_weights_is_never_served(models_dir, trained, tmp_path):
    folder = shutil.copytree(trained, models_dir / "leaf-stale")
    other = make_tiny_mobilenet(tmp_path / "other", labels=LEAF_CLASSES)  # same shapes, other weights
    assert training_main(["export-onnx", "--checkpoint", str(other)]) == 0
    shutil.copy(other / ONNX_FILE, folder / ONNX_FILE)
    classifier = served_model(beans.MODEL)[1]
    assert classifier.session is None
    picture = pictures()[0]
    want = {r["label"]: r["score"] for r in pipeline("image-classification", model=str(folder))(picture, top_k=3)}
    assert beans.predict_leaf(classifier, picture).scores == pytest.approx(want, abs=1e-6)


@pytest.mark.trains
def test_studio_runtime_torch_turns_it_off(models_dir, trained, monkeypatch):
    shutil.copytree(trained, models_dir / "leaf-onnx")
    monkeypatch.setenv("STUDIO_RUNTIME", "torch")
    assert served_model(beans.MODEL)[1].session is None


@pytest.mark.trains
def test_export_onnx_adds_the_graph_to_an_older_checkpoint(trained, tmp_path):
    folder = shutil.copytree(trained, tmp_path / "older")
    (folder / ONNX_FILE).unlink()
    metrics = read_metrics(folder)
    del metrics["inference"]["onnx"]
    (folder / "metrics.json").write_text(json.dumps(metrics), encoding="utf-8")
    assert training_main(["export-onnx", "--checkpoint", str(folder)]) == 0
    assert (folder / ONNX_FILE).is_file()
    assert read_metrics(folder)["inference"]["onnx"]["max_abs_logit_diff"] <= ONNX_MAX_ABS_DIFF
    assert not list(tmp_path.glob(".export-*"))  # the scratch folder is gone


def test_export_onnx_refuses_what_it_cannot_export_in_one_line(tmp_path, capsys):
    text = make_tiny_bert_classifier(tmp_path / "sentiment")
    capsys.readouterr()
    for target in (text, tmp_path / "missing"):
        assert training_main(["export-onnx", "--checkpoint", str(target)]) == 2
        error = capsys.readouterr().err.strip()
        assert error.startswith("error: --checkpoint:") and "\n" not in error and not (target / ONNX_FILE).exists()


@pytest.mark.trains
def test_onnx_false_writes_no_graph(trained, tmp_path):
    data = trained.parent.parent / "data"
    base = trained.parent.parent / "base"
    argv = ["--name", "no-graph", "--data_dir", str(data), "--base_model", str(base), "--strategy", "head",
            "--epochs", "1", "--onnx", "false", "--models_dir", str(tmp_path)]
    assert image.main(argv) == 0
    assert not (tmp_path / "no-graph" / ONNX_FILE).exists()
    assert "onnx" not in read_metrics(tmp_path / "no-graph").get("inference", {})


@pytest.mark.trains
def test_a_hub_model_whose_repo_has_the_graph_is_served_by_it(trained):
    """A Space serves a pushed checkpoint by its Hub id: the graph comes from the Hub cache (offline here)."""
    from huggingface_hub import constants

    from contract.checkpoint import IMAGE_CLASSIFICATION

    def cache(repo_id: str, with_graph: bool) -> str:
        commit = "0" * 40
        cached = Path(constants.HF_HUB_CACHE) / f"models--{repo_id.replace('/', '--')}"
        shutil.copytree(trained, cached / "snapshots" / commit,
                        ignore=None if with_graph else shutil.ignore_patterns(ONNX_FILE))
        (cached / "refs").mkdir()
        (cached / "refs" / "main").write_text(commit)
        return repo_id

    suffix = trained.stat().st_ino
    repo_id = cache(f"student/leaf-onnx-{suffix}", True)
    classifier = load_checkpoint(beans.MODEL, repo_id)  # what the tab loads for a Hub id
    assert classifier.model.name_or_path == repo_id
    assert classifier.session is not None and open_session(classifier) is not None
    picture = pictures()[1]
    want = {r["label"]: r["score"] for r in pipeline(IMAGE_CLASSIFICATION, model=repo_id)(picture, top_k=3)}
    assert beans.predict_leaf(classifier, picture).scores == pytest.approx(want, abs=1e-4)
    without = load_checkpoint(beans.MODEL, cache(f"student/leaf-torch-{suffix}", False))
    assert without.session is None  # a repo without the graph: torch serves it
