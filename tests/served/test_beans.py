"""The bean tab served for real (serve_app) and called through gradio_client, like any API user."""

from __future__ import annotations

import re

import httpx
import pytest
from gradio_client import Client, handle_file
from gradio_client.exceptions import AppError
from PIL import Image

from tests.conftest import free_port
from tests.support.checkpoints import make_leaf_checkpoint
from tests.support.hostile_files import bad_text, bad_truncated, png_claiming_size, uint16_image
from tests.support.tiny import LEAF_CLASSES

API = "/classify_leaf"


@pytest.fixture
def models_dir(tmp_path):
    folder = tmp_path / "models"
    folder.mkdir()
    return folder


def serve(serve_app, models_dir, **env) -> Client:
    base = {"STUDIO_MODELS_DIR": models_dir, "STUDIO_BEANS_MODEL": "", "STUDIO_EXAMPLES_DIR": models_dir}
    return Client(serve_app({**base, **env}), verbose=False)


def classify(client: Client, path) -> tuple[dict, str, str]:
    return client.predict(handle_file(str(path)) if path else None, api_name=API)


def assert_good_prediction(result, checkpoint: str) -> None:
    label, answered, info = result
    confidences = label["confidences"]
    assert len(confidences) == 3
    assert abs(sum(c["confidence"] for c in confidences) - 1.0) < 1e-3
    assert {c["label"].split("(")[-1].rstrip(")") for c in confidences} == set(LEAF_CLASSES)
    assert label["label"] == confidences[0]["label"]
    assert checkpoint in answered and re.search(r"80[.,]0 ?%", answered)  # which checkpoint, and its accuracy
    assert "tiny-vit" in info


def tiny_image(folder) -> str:
    Image.new("RGB", (1, 1), (40, 180, 40)).save(folder / "dot.png")
    return folder / "dot.png"


def test_good_images_of_every_kind_then_bad_ones_then_good_again(serve_app, models_dir, tiny_vit, tmp_path):
    make_leaf_checkpoint(models_dir, "beans-tiny", 0.8, tiny_vit)
    client = serve(serve_app, models_dir, STUDIO_LANG="en", STUDIO_MAX_IMAGE_PIXELS=1_000_000)
    good = {
        "leaf.jpg": Image.new("RGB", (500, 500), (40, 180, 40)),
        "alpha.png": Image.new("RGBA", (64, 48), (200, 40, 40, 100)),
        "deep.png": uint16_image(40_000, side=40),
        "cmyk.jpg": Image.new("CMYK", (40, 40), (200, 0, 200, 0)),
        "gray.png": Image.new("L", (40, 40), 90),
    }
    for name, image in good.items():
        image.save(tmp_path / name)
        assert_good_prediction(classify(client, tmp_path / name), "beans-tiny")

    bad = [  # (file or None, words the English message must contain)
        (bad_text(tmp_path), "not an image"),
        (bad_truncated(tmp_path), "damaged"),
        (png_claiming_size(tmp_path / "bomb.png", 100_000, 100_000), "too large"),
        (png_claiming_size(tmp_path / "big.png", 2_000, 2_000), "2000×2000"),
        (None, "Upload an image first"),
        (tiny_image(tmp_path), "too small"),  # a 1×1 image was once answered "healthy 87 %"
    ]
    for path, words in bad:
        with pytest.raises(AppError, match=words):
            classify(client, path)
        assert_good_prediction(classify(client, tmp_path / "leaf.jpg"), "beans-tiny")  # still serving


def test_errors_speak_spanish_by_default(serve_app, models_dir, tiny_vit, tmp_path):
    make_leaf_checkpoint(models_dir, "beans-tiny", 0.8, tiny_vit)
    client = serve(serve_app, models_dir, STUDIO_LANG="es")
    with pytest.raises(AppError, match="no es una imagen"):
        classify(client, bad_text(tmp_path))
    with pytest.raises(AppError, match="Primero sube una imagen"):
        classify(client, None)


def test_no_model_tab_renders_and_says_how_to_train(serve_app, models_dir, tmp_path):
    from studio.beans.predict import TRAIN_COMMAND

    url = serve_app({"STUDIO_MODELS_DIR": models_dir, "STUDIO_BEANS_MODEL": "", "STUDIO_LANG": "es"})
    assert "Hojas de frijol" in httpx.get(f"{url.rstrip('/')}/config", timeout=30).text
    Image.new("RGB", (32, 32)).save(tmp_path / "leaf.png")
    client = Client(url, verbose=False)
    _picker, status, about, _matrix = client.predict("", api_name="/beans_status")  # what a page load shows
    assert TRAIN_COMMAND in status and TRAIN_COMMAND in about and str(models_dir) not in status
    for _ in range(2):  # the server keeps answering
        with pytest.raises(AppError) as caught:
            classify(client, tmp_path / "leaf.png")
        assert TRAIN_COMMAND in str(caught.value)


def test_a_model_that_fails_to_load_is_a_message_not_a_dead_app(serve_app, models_dir, tiny_vit, tmp_path):
    broken = make_leaf_checkpoint(models_dir, "beans-broken", 0.9, tiny_vit)
    (broken / "model.safetensors").write_bytes(b"not safetensors at all")
    client = serve(serve_app, models_dir, STUDIO_LANG="en")
    Image.new("RGB", (32, 32)).save(tmp_path / "leaf.png")
    with pytest.raises(AppError, match="Could not load the model beans-broken"):
        classify(client, tmp_path / "leaf.png")
    # a good checkpoint trained while the app runs is picked up on the next call: no restart
    (broken / "metrics.json").unlink()
    make_leaf_checkpoint(models_dir, "beans-fixed", 0.8, tiny_vit)
    assert_good_prediction(classify(client, tmp_path / "leaf.png"), "beans-fixed")


def test_bad_env_model_reference_is_reported(serve_app, models_dir, tmp_path):
    client = serve(serve_app, models_dir, STUDIO_LANG="en", STUDIO_BEANS_MODEL="https://example.com/model")
    Image.new("RGB", (32, 32)).save(tmp_path / "leaf.png")
    with pytest.raises(AppError, match="model configured in STUDIO_BEANS_MODEL is not valid"):
        classify(client, tmp_path / "leaf.png")


def test_upload_size_is_capped(serve_app, models_dir, tiny_vit, tmp_path):
    make_leaf_checkpoint(models_dir, "beans-tiny", 0.8, tiny_vit)
    # The upload route takes the largest file any tab accepts (here the Train tab's 40 KB), no more (issue 28)
    client = serve(serve_app, models_dir, STUDIO_MAX_FILE_SIZE="20kb", STUDIO_TRAIN_MAX_UPLOAD="40kb")
    Image.effect_noise((300, 300), 80).convert("RGB").save(tmp_path / "noisy.png")  # ~250 KB
    assert (tmp_path / "noisy.png").stat().st_size > 20_000
    with pytest.raises(ValueError, match="exceeds the maximum file size"):  # gradio_client reads the cap
        classify(client, tmp_path / "noisy.png")
    with open(tmp_path / "noisy.png", "rb") as handle:  # and the server enforces it on a raw upload
        response = httpx.post(f"{client.src.rstrip('/')}/gradio_api/upload", files={"files": handle}, timeout=30)
    assert response.status_code == 413, response.text[:200]
    Image.new("RGB", (32, 32)).save(tmp_path / "small.png")
    assert_good_prediction(classify(client, tmp_path / "small.png"), "beans-tiny")
    Image.effect_noise((100, 100), 80).convert("RGB").save(tmp_path / "middling.png")  # ~30 KB: past the image
    assert 20_000 < (tmp_path / "middling.png").stat().st_size < 40_000
    with pytest.raises(AppError, match=r"pesa \d+ KB y este servidor acepta como mucho 20 KB. Quien administra el servidor puede subir"):  # cap,
        classify(client, tmp_path / "middling.png")  # under the route's: our message, with who can raise it


def test_a_client_cannot_make_the_app_read_files_it_did_not_upload(serve_app, models_dir, tiny_vit, tmp_path):
    make_leaf_checkpoint(models_dir, "beans-tiny", 0.8, tiny_vit)
    url = serve_app({"STUDIO_MODELS_DIR": models_dir, "STUDIO_BEANS_MODEL": ""}).rstrip("/")
    secret = tmp_path / "server_side.png"  # a perfectly good image, but on the server's disk
    Image.new("RGB", (32, 32)).save(secret)
    payload = {"data": [{"path": str(secret), "meta": {"_type": "gradio.FileData"}}]}
    event = httpx.post(f"{url}/gradio_api/call/classify_leaf", json=payload, timeout=30).json()["event_id"]
    stream = httpx.get(f"{url}/gradio_api/call/classify_leaf/{event}", timeout=60).text
    assert "event: error" in stream and "confidences" not in stream


def test_the_image_input_takes_upload_webcam_and_clipboard(monkeypatch, tmp_path):
    import app

    monkeypatch.setenv("STUDIO_MODELS_DIR", str(tmp_path))
    config = app.build_demo().get_config_file()
    [image] = [c for c in config["components"] if c.get("props", {}).get("elem_id") == "beans-image"]
    assert image["props"]["sources"] == ["upload", "webcam", "clipboard"]
    [scores] = [c for c in config["components"] if c.get("props", {}).get("elem_id") == "beans-scores"]
    assert scores["props"]["num_top_classes"] == 3


def test_real_mobilenet_checkpoint_on_real_leaves(serve_app, models_dir, mobilenet_dir, beans_dir, tmp_path):
    """The real architecture and processor `training` starts from, on real 500×500 JPEGs (a random new
    head: this checks the serving path, not accuracy; training's own tests measure that)."""
    from transformers import AutoImageProcessor, AutoModelForImageClassification

    source = tmp_path / "mobilenet-beans"
    model = AutoModelForImageClassification.from_pretrained(
        mobilenet_dir, num_labels=3, id2label=dict(enumerate(LEAF_CLASSES)),
        label2id={name: i for i, name in enumerate(LEAF_CLASSES)}, ignore_mismatched_sizes=True,
    )
    model.save_pretrained(source)
    AutoImageProcessor.from_pretrained(mobilenet_dir).save_pretrained(source)
    make_leaf_checkpoint(models_dir, "beans-mobilenet-random-head", 0.8, source)
    client = serve(serve_app, models_dir, STUDIO_LANG="en")
    for name in LEAF_CLASSES:
        leaf = sorted((beans_dir / "validation" / name).glob("*.jpg"))[0]
        label, answered, info = classify(client, leaf)
        assert len(label["confidences"]) == 3 and "beans-mobilenet-random-head" in answered


def test_unreachable_hub_default_is_a_clear_message(serve_app, models_dir, online, tmp_path):
    """No local checkpoint and a Hub that doesn't answer: a clear message (how soon: bench/refusals.py)."""
    online(f"http://127.0.0.1:{free_port()}")  # nothing listens there
    client = serve(serve_app, models_dir, STUDIO_LANG="en")
    Image.new("RGB", (32, 32), (40, 180, 40)).save(tmp_path / "leaf.png")
    with pytest.raises(AppError, match="Could not reach the Hub to look nateraw/vit-base-beans up"):
        classify(client, tmp_path / "leaf.png")


def test_a_checkpoint_trained_while_the_app_runs_shows_on_the_next_page_load(serve_app, models_dir, tiny_vit):
    """The status lines are computed per page load, not once when the app was built."""
    client = Client(serve_app({"STUDIO_MODELS_DIR": models_dir, "STUDIO_LANG": "en"}), verbose=False)
    _picker, status, _about, _matrix = client.predict("", api_name="/beans_status")
    assert "No bean-leaf model" in status or "python -m training image" in status
    make_leaf_checkpoint(models_dir, "beans-new", 0.8, tiny_vit)
    _picker, status, about, matrix = client.predict("", api_name="/beans_status")
    assert "beans-new" in status and "80.0%" in status  # English
    assert "Bean rust (bean_rust)" in about


def test_the_model_picker_lists_checkpoints_and_answers_with_the_pick(serve_app, models_dir, tiny_vit, tmp_path):
    make_leaf_checkpoint(models_dir, "beans-best", 0.9, tiny_vit)
    make_leaf_checkpoint(models_dir, "beans-other", 0.6, tiny_vit)
    make_leaf_checkpoint(models_dir, "sentiment-x", 0.99, tiny_vit, task="text-classification")
    client = Client(serve_app({"STUDIO_MODELS_DIR": models_dir, "STUDIO_LANG": "en"}), verbose=False)
    status, _about, _matrix = client.predict("beans-other", api_name="/beans_model")
    assert "beans-other" in status and "60.0%" in status and "chosen by you" in status
    Image.new("RGB", (32, 32), (10, 200, 10)).save(tmp_path / "leaf.png")
    _scores, answered, _about = client.predict(handle_file(tmp_path / "leaf.png"), "beans-other", api_name=API)
    assert "beans-other" in answered
    _scores, answered, _about = client.predict(handle_file(tmp_path / "leaf.png"), api_name=API)  # automatic
    assert "beans-best" in answered
    with pytest.raises(AppError, match="no model “sentiment-x”"):
        client.predict(handle_file(tmp_path / "leaf.png"), "sentiment-x", api_name=API)
