"""The playground tab served for real (serve_app) and driven through gradio_client: tiny local checkpoints
under a temporary STUDIO_MODELS_DIR, the pipeline cache, refusals and bad inputs (the server keeps serving).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from gradio_client import Client, handle_file
from gradio_client.exceptions import AppError

from studio import tasks
from studio.models import MODEL_CACHE
from tests.tiny_pipelines import build_tiny_model

TINY = ("text-classification", "token-classification", "fill-mask", "object-detection",
        "audio-classification", "text-generation")


@pytest.fixture(scope="module")
def models_dir(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("models")
    for task in TINY:
        build_tiny_model(task, root)
    return root


@pytest.fixture
def client(serve_app, models_dir) -> Client:
    url = serve_app({"STUDIO_MODELS_DIR": models_dir, "STUDIO_LANG": "en", "STUDIO_MAX_NEW_TOKENS": "4"})
    return Client(url, verbose=False)


def run(client: Client, task: str, model: str = "", text: str = "", text2: str = "", image=None, audio=None):
    """The /playground_run endpoint: (label, highlight, text, annotated, image, answered, code, raw)."""
    return client.predict(task, model, text, text2, image, audio, api_name="/playground_run")


def test_text_classification_then_a_cache_hit(client, models_dir):
    MODEL_CACHE.clear()
    label, highlight, _text, _annotated, _image, answered, code, raw = run(
        client, "text-classification", "text-classification", "a wonderful movie")
    assert {c["label"] for c in label["confidences"]} == {"negative", "positive"} and highlight is None
    assert "text-classification" in answered and "load:" in answered and "already in memory" not in answered
    assert f"pipeline('text-classification', model='{models_dir / 'text-classification'}')" in code
    assert "result = pipe('a wonderful movie', top_k=None)" in code
    assert {item["label"] for item in raw} == {"negative", "positive"}

    loads = MODEL_CACHE.loads
    again = run(client, "text-classification", "text-classification", "a boring movie")
    assert MODEL_CACHE.loads == loads and "already in memory" in again[5]


def test_ner_highlights_spans_of_the_input(client):
    _label, highlight, *_rest = run(client, "token-classification", "token-classification",
                                    "Ana vive en Lima")
    assert "".join(piece["token"] for piece in highlight) == "Ana vive en Lima"
    assert {piece["class_or_confidence"] for piece in highlight} <= {None, "PER", "LOC"}


def test_fill_mask_accepts_either_mask_spelling(client):
    label, *_rest, code, _raw = run(client, "fill-mask", "fill-mask", "this movie was <mask> .")
    assert len(label["confidences"]) == 5 and "[MASK]" in code


def test_object_detection_draws_on_the_uploaded_image(client):
    picture = tasks.example_files()[tasks.EXAMPLE_IMAGE]
    *_first, annotated, _image, answered, code, raw = run(client, "object-detection", "object-detection",
                                                         image=handle_file(picture))
    assert Path(annotated["image"]).is_file() and isinstance(annotated["annotations"], list)
    assert "Image.open(" in code and "threshold=0.5" in code and isinstance(raw, list)


def test_audio_classification_from_an_uploaded_file(client):
    sound = tasks.example_files()[tasks.EXAMPLE_AUDIO]
    label, *_rest = run(client, "audio-classification", "audio-classification", audio=handle_file(sound))
    assert label["confidences"] and all(0 <= c["confidence"] <= 1 for c in label["confidences"])


def test_text_generation_continues_the_prompt(client):
    _label, _highlight, text, *_rest = run(client, "text-generation", "text-generation", "this movie was")
    assert text.startswith("this movie was") and len(text) > len("this movie was")


def test_changing_task_shows_its_inputs_output_and_example(client):
    updates = client.predict("zero-shot-image-classification", api_name="/playground_task")
    _model, note, text, text2, image, audio, *outputs = updates
    assert "openai/clip-vit-base-patch32" in note
    assert [text["visible"], text2["visible"], image["visible"], audio["visible"]] == [False, True, True, False]
    assert text2["value"] and image["value"].endswith(".png")
    assert [output["visible"] for output in outputs] == [True, False, False, False, False]


REFUSALS = [
    ("url", "https://huggingface.co/gpt2", "URLs are not accepted"),
    ("path escape", "../../../etc", "Model reference refused"),
    ("folder outside models/", "/", "only folders inside"),
    ("offline hub id", "distilbert/distilbert-base-uncased-finetuned-sst-2-english", "HF_HUB_OFFLINE"),
    ("offline default model", "", "HF_HUB_OFFLINE"),
    ("wrong architecture", "object-detection", "Could not load"),
]


@pytest.mark.parametrize(("case", "model", "message"), REFUSALS, ids=[r[0] for r in REFUSALS])
def test_refusals_are_clear_and_fast(client, case, model, message):
    start = time.perf_counter()
    with pytest.raises(AppError, match=message):
        run(client, "text-classification", model, "some text")
    assert time.perf_counter() - start < 2.0 or case == "wrong architecture"


BAD_INPUTS = [
    ("empty text", dict(task="text-classification", text="  "), "Type a text first"),
    ("no mask", dict(task="fill-mask", text="no hidden word"), "must contain the hidden word"),
    ("no labels", dict(task="zero-shot-classification", text="a text", text2=" , "), "candidate label"),
    ("no image", dict(task="object-detection"), "Upload an image"),
    ("no audio", dict(task="audio-classification"), "Upload or record"),
    ("unknown task", dict(task="made-up-task", text="x"), None),
]


@pytest.mark.parametrize(("case", "call", "message"), BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_bad_inputs_are_errors_and_the_server_keeps_serving(client, case, call, message):
    model = call["task"] if call["task"] in TINY else ""
    with pytest.raises(AppError) as error:
        run(client, call["task"], model, call.get("text", ""), call.get("text2", ""))
    assert message is None or message in str(error.value)
    label, *_rest = run(client, "text-classification", "text-classification", "still alive")
    assert label["confidences"]


def test_unreadable_image_and_audio_files(client, tmp_path):
    bogus = tmp_path / "photo.png"
    bogus.write_bytes(b"this is not a picture")
    with pytest.raises(AppError):
        run(client, "object-detection", "object-detection", image=handle_file(str(bogus)))
    noise = tmp_path / "sound.wav"
    noise.write_bytes(b"RIFF....WAVEfmt nonsense")
    with pytest.raises(AppError, match="Could not read the audio"):
        run(client, "audio-classification", "audio-classification", audio=handle_file(str(noise)))
    assert run(client, "text-classification", "text-classification", "still alive")[0]["confidences"]
