"""The offline page (issue 30): a real MobileNetV2 with a head trained on real leaves and quantized to int8
by the real CLI, exported by `python -m training export-web`, opened from file:// in Chromium with every
network request aborted, on a phone-sized viewport; its answers against the bean tab's own (predict_leaf,
serving the same int8 graph) on 20 validation leaves."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from contract.checkpoint import EVAL_SPLIT
from studio.beans import predict as beans
from tests.conftest import ARTIFACTS, served_model
from training.__main__ import main as training_main

pytestmark = [pytest.mark.browser, pytest.mark.needs_assets, pytest.mark.trains,
              pytest.mark.usefixtures("one_torch_thread")]
PHONE = {"width": 390, "height": 844}
LEAVES = 20


@pytest.fixture(scope="module")
def trained(tmp_path_factory, beans_dir, mobilenet_dir) -> Path:
    root = tmp_path_factory.mktemp("offline")
    argv = ["image", "--name", "beans-field", "--data-dir", str(beans_dir), "--base-model", str(mobilenet_dir),
            "--strategy", "head", "--resize-mode", "whole", "--image-size", "224", "--epochs", "5", "--tta", "flips",
            "--max-train-samples", "120", "--max-eval-samples", "30", "--quantize", "int8", "--models-dir", str(root)]
    assert training_main(argv) == 0
    return root / "beans-field"


@pytest.fixture
def exported(trained, web_runtime, tmp_path) -> Path:
    output = tmp_path / "beans-field-web"
    assert training_main(["export-web", "--checkpoint", str(trained), "--output", str(output)]) == 0
    return output


def validation_leaves(beans_dir: Path) -> list[Path]:
    leaves = sorted((beans_dir / EVAL_SPLIT).glob("*/*.jpg"))
    return leaves[:: len(leaves) // LEAVES][:LEAVES]  # every class, in folder order


def server_answers(trained: Path, models_dir: Path, monkeypatch, leaves: list[Path]) -> list[dict[str, float]]:
    """What the bean tab answers, serving the int8 graph the page carries."""
    shutil.copytree(trained, models_dir / trained.name)
    monkeypatch.setenv("STUDIO_RUNTIME", "onnx-int8")
    monkeypatch.setenv("STUDIO_INT8_MAX_DROP", "1")
    classifier = served_model(beans.MODEL)[1]
    labels = classifier.model.config.num_labels
    return [beans.predict_leaf(classifier, leaf, top_k=labels).scores for leaf in leaves]


def test_the_page_answers_like_the_server_from_file_with_the_network_off(
        trained, exported, chromium_browser, beans_dir, models_dir, monkeypatch):
    leaves = validation_leaves(beans_dir)
    expected = server_answers(trained, models_dir, monkeypatch, leaves)
    labels = json.loads((trained / "metrics.json").read_text())["label_names"]

    context = chromium_browser.new_context(viewport=PHONE, locale="es-ES", service_workers="block")
    attempted = []

    def refuse(route):
        if route.request.url.startswith(("http:", "https:", "ws:", "wss:")):
            attempted.append(route.request.url)
            return route.abort()
        return route.continue_()

    context.route("**/*", refuse)
    page = context.new_page()
    page.set_default_timeout(120_000)
    page.goto((exported / "index.html").as_uri())
    page.wait_for_selector("body[data-ready=true]")
    assert page.text_content("#model") == "beans-field"
    found = []
    for leaf in leaves:
        page.evaluate("document.getElementById('answer').dataset.probabilities = ''")
        page.set_input_files("#pick", str(leaf))
        page.wait_for_function("document.getElementById('answer').dataset.probabilities")
        found.append(json.loads(page.eval_on_selector("#answer", "list => list.dataset.probabilities")))
    answer = page.locator("#answer").bounding_box()
    page.screenshot(path=str(ARTIFACTS / "offline_page_phone.png"))
    shown = page.text_content("#answer")
    context.close()

    assert attempted == []
    agree = sum(max(mine, key=mine.get) == labels[max(range(len(page_p)), key=page_p.__getitem__)]
                for mine, page_p in zip(expected, found, strict=True))
    gaps = [abs(mine[label] - page_p[i]) for mine, page_p in zip(expected, found, strict=True)
            for i, label in enumerate(labels)]
    assert agree >= 19, (agree, expected, found)
    assert sum(gaps) / len(gaps) <= 0.02, (max(gaps), expected, found)
    assert answer["y"] >= 0 and answer["y"] + answer["height"] <= PHONE["height"]  # the answer is in view
    assert "%" in shown and any(label.replace("_", " ") in shown for label in labels)
