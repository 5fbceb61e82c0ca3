"""The playground tab served for real (serve_app) and driven through gradio_client: tiny local checkpoints
under a temporary STUDIO_MODELS_DIR, the model list (per page load), the pipeline cache, refusals shown
next to the snippet (translated, no server path), bad inputs (the server keeps serving) and the API page.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from gradio_client import Client, handle_file
from gradio_client.exceptions import AppError
from PIL import Image

from studio.i18n import t
from studio.playground.media import EXAMPLE_AUDIO, EXAMPLE_IMAGE, example_files
from studio.playground.table import TASKS
from studio.serving.service import MODEL_CACHE
from tests.support.tiny_pipelines import build_tiny_model

TINY = ("text-classification", "token-classification", "fill-mask", "object-detection",
        "audio-classification", "text-generation")
DEFAULT_CHOICE = ["default (distilbert/distilbert-base-uncased-finetuned-sst-2-english)", ""]


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


def model_choices(client: Client, task: str = "text-classification") -> list:
    """What a freshly loaded page lists in the model dropdown (the page-load event, /playground_models)."""
    return client.predict(task, api_name="/playground_models")["choices"]


def test_text_classification_then_a_cache_hit(client, models_dir):
    MODEL_CACHE.clear()
    label, highlight, _text, _annotated, _image, answered, code, raw = run(
        client, "text-classification", "models/text-classification", "a wonderful movie")
    assert {c["label"] for c in label["confidences"]} == {"negative", "positive"} and highlight is None
    assert "**models/text-classification**" in answered and "load:" in answered
    assert "already in memory" not in answered
    assert "pipeline('text-classification', model='models/text-classification')" in code
    assert "result = pipe('a wonderful movie', top_k=None)" in code
    assert str(models_dir) not in answered + code
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
    picture = example_files()[EXAMPLE_IMAGE]
    *_first, annotated, _image, answered, code, raw = run(client, "object-detection", "object-detection",
                                                         image=handle_file(picture))
    assert Path(annotated["image"]).is_file() and isinstance(annotated["annotations"], list)
    assert "Image.open(" in code and "threshold=0.5" in code and isinstance(raw, list)


def test_audio_classification_from_an_uploaded_file(client):
    sound = example_files()[EXAMPLE_AUDIO]
    label, *_rest = run(client, "audio-classification", "audio-classification", audio=handle_file(sound))
    assert label["confidences"] and all(0 <= c["confidence"] <= 1 for c in label["confidences"])


def test_text_generation_continues_the_prompt(client):
    _label, _highlight, text, *_rest = run(client, "text-generation", "text-generation", "this movie was")
    assert text.startswith("this movie was") and len(text) > len("this movie was")


def test_changing_task_shows_its_inputs_output_description_and_example(client):
    updates = client.predict("zero-shot-image-classification", api_name="/playground_task")
    model, about, note, text, text2, image, audio, *outputs, heatmap, _note = updates  # (buttons are not values)
    assert about == t("playground.task.zero-shot-image-classification", lang="en")
    assert "openai/clip-vit-base-patch32" in note and model["value"] == ""
    assert model["choices"] == [["default (openai/clip-vit-base-patch32)", ""]]
    assert [text["visible"], text2["visible"], image["visible"], audio["visible"]] == [False, True, True, False]
    assert text2["value"] and image["value"].endswith(".png")
    assert [output["visible"] for output in outputs] == [True, False, False, False, False]
    assert not heatmap["visible"]  # the heatmap (and its button) is for image classification


def test_each_task_lists_the_local_checkpoints_that_fit_it(client):
    """The tiny checkpoints have no metrics.json: their config.json architecture says their task."""
    assert model_choices(client, "text-classification") == [DEFAULT_CHOICE, ["models/text-classification"] * 2]
    assert ["models/object-detection"] * 2 in model_choices(client, "object-detection")
    generation = model_choices(client, "summarization")   # prompted through text-generation
    assert generation[1:] == [["models/text-generation"] * 2]
    updates = client.predict("fill-mask", api_name="/playground_task")
    assert updates[0]["choices"][1:] == [["models/fill-mask"] * 2]


def test_the_model_list_is_read_on_every_page_load(serve_app, tmp_path, models_dir):
    """A checkpoint trained while the app runs appears in the next page; half-written ones never do."""
    root = tmp_path / "models"
    root.mkdir()
    client = Client(serve_app({"STUDIO_MODELS_DIR": root, "STUDIO_LANG": "en"}), verbose=False)
    listing = next(d for d in client.config["dependencies"] if d.get("api_name") == "playground_models")
    assert [event for _id, event in listing["targets"]] == ["load"]
    assert model_choices(client) == [DEFAULT_CHOICE]
    shutil.copytree(models_dir / "text-classification", root / ".sentiment-v2.tmp-42")
    assert model_choices(client) == [DEFAULT_CHOICE]
    (root / ".sentiment-v2.tmp-42").rename(root / "sentiment-v2")
    assert model_choices(client) == [DEFAULT_CHOICE, ["models/sentiment-v2"] * 2]


def test_offline_the_default_model_is_refused_naming_local_checkpoints_and_the_snippet_stays(client):
    label, *_outputs, answered, code, raw = run(client, "text-classification", "", "some text")
    assert "Offline" in answered and "Pick one of the local checkpoints: models/text-classification" in answered
    default = TASKS["text-classification"].default_model
    assert f"pipeline('text-classification', model='{default}')" in code
    assert "result = pipe('some text', top_k=None)" in code
    assert raw is None and not label


REFUSALS = [
    ("url", "https://huggingface.co/gpt2", "is not a model that can be loaded here"),
    ("path escape", "../../../etc", "is not a model that can be loaded here"),
    ("folder outside models/", "/", "is not a model that can be loaded here"),
    ("missing checkpoint", "models/nope", "There is no checkpoint models/nope"),
    ("offline hub id", "owner/some-model", "owner/some-model cannot be downloaded"),
    ("wrong architecture", "object-detection", "Could not load models/object-detection"),
]


@pytest.mark.parametrize(("case", "model", "message"), REFUSALS, ids=[r[0] for r in REFUSALS])
def test_refusals_are_clear_and_keep_the_snippet(client, models_dir, case, model, message):
    *_outputs, answered, code, _raw = run(client, "text-classification", model, "some text")  # timed: bench/refusals.py
    assert message in answered and answered.startswith("⚠️")
    assert "pipe('some text', top_k=None)" in code
    assert str(models_dir) not in answered + code


def test_refusals_are_in_the_page_language(serve_app, models_dir):
    client = Client(serve_app({"STUDIO_MODELS_DIR": models_dir, "STUDIO_LANG": "es"}), verbose=False)
    for model in ("", "/", "models/nope", str(models_dir / "object-detection")):
        *_outputs, answered, code, _raw = run(client, "text-classification", model, "un texto")
        assert answered.startswith("⚠️") and str(models_dir) not in answered + code
        assert not re.search(r"\b(the|could|not|only|folders|is|are|cannot)\b", answered), answered


BAD_INPUTS = [
    ("empty text", dict(task="text-classification", text="  "), "Type a text first"),
    ("no mask", dict(task="fill-mask", text="no hidden word"), "must contain the hidden word"),
    ("no labels", dict(task="zero-shot-classification", text="a text", text2=" , "), "candidate label"),
    ("no image", dict(task="object-detection"), "Upload an image"),
    ("no audio", dict(task="audio-classification"), "Upload or record"),
    ("unknown task", dict(task="made-up-task", text="x"), None),   # the dropdown itself refuses it
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


DEVELOPER_WORDING = re.compile(r"outputs?:|updates? for|components?|handler|docstring|gr\.|slot", re.IGNORECASE)
UNNAMED = re.compile(r"^(value|parameter|param)_\d+$")


def test_the_api_page_names_every_value_and_speaks_to_users(client):
    endpoints = client.view_api(return_format="dict", print_info=False)["named_endpoints"]
    playground = {name: info for name, info in endpoints.items() if name.startswith("/playground_")}
    assert set(playground) == {"/playground_models", "/playground_task", "/playground_run", "/playground_explain"}
    for name, info in playground.items():
        names = [p["label"] for p in info["parameters"]] + [p["parameter_name"] for p in info["parameters"]]
        names += [r["label"] for r in info["returns"]]
        assert names and not [n for n in names if UNNAMED.match(str(n))], (name, names)
        description = info.get("description", "")
        assert description and not DEVELOPER_WORDING.search(description), (name, description)
    run_returns = [r["label"] for r in playground["/playground_run"]["returns"]]
    assert len(set(run_returns)) == len(run_returns) == 8


def test_image_classification_explains_its_answer_with_a_heatmap(serve_app, tmp_path):
    root = tmp_path / "models"
    build_tiny_model("image-classification", root)
    client = Client(serve_app({"STUDIO_MODELS_DIR": root, "STUDIO_LANG": "en"}), verbose=False,
                    download_files=str(tmp_path))
    updates = client.predict("image-classification", api_name="/playground_task")
    assert updates[-2]["visible"] is True  # the heatmap (and its Explain button) shows for this task
    Image.new("RGB", (90, 60), (200, 30, 30)).save(tmp_path / "photo.png")
    photo = handle_file(str(tmp_path / "photo.png"))
    heatmap, note = client.predict("image-classification", "models/image-classification", photo,
                                   api_name="/playground_explain")
    with Image.open(heatmap) as shown:
        assert shown.size == (90, 60)
    assert "Areas that weighed most for" in note
    with pytest.raises(AppError, match="image-classification task"):
        client.predict("text-classification", "", photo, api_name="/playground_explain")
