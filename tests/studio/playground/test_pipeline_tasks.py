"""The playground without the UI (studio/playground/): every task's pre- and post-processing on the real
output of a real `transformers.pipeline` built on a tiny random model (tests/support/tiny_pipelines.py), the
"use it in Python" snippet executed for real to reproduce that very output, the local checkpoints each
task lists, and the translated refusals (never a server path).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
import soundfile
from PIL import Image

from contract.checkpoint import architecture_tasks, checkpoint_tasks, modalities
from studio.errors import RequestError
from studio.i18n import STRINGS
from studio.playground.calls import Call, PipeInfo, pipe_info
from studio.playground.checkpoints import local_models, shown_model
from studio.playground.inputs import (
    Inputs,
    PlaygroundInputError,
    load_audio,
    load_image,
    nonblank_lines,
    split_labels,
    with_mask_token,
)
from studio.playground.media import EXAMPLE_AUDIO, EXAMPLE_IMAGE, example_files, example_value
from studio.playground.render import (
    answer_segments,
    entity_label,
    generated_text,
    jsonable,
    spans_to_segments,
)
from studio.playground.run import make_request, run
from studio.playground.snippet import snippet
from studio.playground.table import INPUT_SLOTS, OUTPUT_KINDS, TASKS, Task
from studio.serving.models import validate_model_ref
from studio.serving.service import MODEL_CACHE
from tests.support.tiny_pipelines import build_tiny_model

# Tiny GPT-2/BLIP know ~64-128 positions: short texts for the prompted tasks (real models take the examples).
TINY_TEXT = {"question-answering": ("where?", "at home"), "summarization": ("a short text", ""),
             "translation": ("hola", "English")}


@pytest.fixture(scope="module")
def tiny_root(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("playground-models")


@pytest.fixture(autouse=True)
def few_new_tokens(monkeypatch):
    monkeypatch.setenv("STUDIO_MAX_NEW_TOKENS", "4")


def test_the_table_is_consistent():
    from transformers.pipelines import get_supported_tasks

    assert len(TASKS) >= 17
    for name, task in TASKS.items():
        assert task.name == name and task.pipeline_task in get_supported_tasks(), name
        assert set(task.inputs) <= set(INPUT_SLOTS) and task.output in OUTPUT_KINDS
        assert set(task.example) == set(task.inputs), f"{name}: one example per input"
        assert validate_model_ref(task.default_model) == task.default_model
        for lang in ("es", "en"):
            assert set(task.inputs.values()) <= STRINGS[lang].keys()


def test_tasks_are_built_by_keyword_only():
    fields = dict(name="x", pipeline_task="fill-mask", inputs={}, output="label", default_model="m", example={},
                  prepare=TASKS["fill-mask"].prepare, render=TASKS["fill-mask"].render, description_key="k")
    assert Task(**fields).name == "x"
    with pytest.raises(TypeError):
        Task(*fields.values())


def test_every_task_has_a_one_line_description_in_both_languages():
    for name, task in TASKS.items():
        assert task.description_key == f"playground.task.{name}"
        for lang in ("es", "en"):
            description = STRINGS[lang][task.description_key]
            assert description.strip() and "\n" not in description, (name, lang)
        assert STRINGS["es"][task.description_key] != STRINGS["en"][task.description_key]


def test_playground_strings_exist_in_both_languages():
    keys = {lang: {k for k in STRINGS[lang] if k.startswith("playground.")} for lang in ("es", "en")}
    assert keys["es"] == keys["en"] and len(keys["es"]) > 30


def inputs_in(folder: Path, task: Task) -> Inputs:
    """The task's example inputs, with the media files written where its snippet reads them."""
    shutil.copy(example_files()[EXAMPLE_AUDIO], folder / "mi_audio.wav")
    load_image(example_files()[EXAMPLE_IMAGE]).save(folder / "mi_imagen.jpg")
    text, text2 = TINY_TEXT.get(task.name, (example_value(task.example, "text"),
                                            example_value(task.example, "text2")))
    return Inputs(
        text=text or "", text2=text2 or "",
        image=load_image(folder / "mi_imagen.jpg") if "image" in task.inputs else None,
        audio=str(folder / "mi_audio.wav") if "audio" in task.inputs else None,
    )


def check_label(value, inputs, pipe):
    assert value and all(isinstance(k, str) and 0.0 <= v <= 1.0 for k, v in value.items())


def check_highlight(value, inputs, pipe):
    text = "".join(piece for piece, _label in value)
    assert text in (inputs.text, inputs.text2) or len(value) == 1   # QA: an answer not found in the context
    assert all(label is None or isinstance(label, str) for _piece, label in value)


def check_text(value, inputs, pipe):
    assert isinstance(value, str) and value


def check_annotated(value, inputs, pipe):
    image, annotations = value
    assert image is inputs.image
    for area, label in annotations:
        assert isinstance(label, str)
        if isinstance(area, tuple):
            xmin, ymin, xmax, ymax = area
            assert 0 <= xmin <= xmax <= image.width and 0 <= ymin <= ymax <= image.height
        else:
            assert area.shape == (image.height, image.width) and 0.0 <= area.min() <= area.max() <= 1.0


def check_image(value, inputs, pipe):
    assert isinstance(value, Image.Image) and value.size == inputs.image.size


CHECKS = {"label": check_label, "highlight": check_highlight, "text": check_text,
          "annotated": check_annotated, "image": check_image}

# What each task's rendered value must say beyond its kind, given the tiny models' labels.
EXPECTED_LABELS = {
    "text-classification": lambda inputs, pipe: set(pipe.model.config.id2label.values()),
    "zero-shot-classification": lambda inputs, pipe: set(split_labels(inputs.text2)),
    "zero-shot-image-classification": lambda inputs, pipe: set(split_labels(inputs.text2)),
    "feature-extraction": lambda inputs, pipe: set(nonblank_lines(inputs.text2)),
    "audio-classification": lambda inputs, pipe: set(pipe.model.config.id2label.values()),
}


@pytest.mark.parametrize("name", list(TASKS))
def test_task_on_a_real_pipeline_and_its_snippet_reproduces_it(name, tiny_root, tmp_path, monkeypatch):
    from transformers import pipeline

    task = TASKS[name]
    folder = build_tiny_model(task.pipeline_task, tiny_root)
    pipe = pipeline(task.pipeline_task, model=str(folder))
    inputs = inputs_in(tmp_path, task)
    call = task.prepare(inputs, pipe_info(pipe))
    code = snippet(task.pipeline_task, str(folder), call)
    output = pipe(*call.args, **call.kwargs)
    value = task.render(output, inputs)

    CHECKS[task.output](value, inputs, pipe)
    if name in EXPECTED_LABELS:
        assert set(value) == EXPECTED_LABELS[name](inputs, pipe)
    assert f"pipeline({task.pipeline_task!r}, model={str(folder)!r})" in code

    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    exec(compile(code.replace("print(result)", ""), "snippet", "exec"), namespace)  # noqa: S102
    assert jsonable(namespace["result"]) == jsonable(output)


def test_every_task_refuses_empty_inputs_before_loading_anything():
    for name, task in TASKS.items():
        with pytest.raises(PlaygroundInputError):
            task.prepare(Inputs(), PipeInfo())
        assert name


@pytest.mark.parametrize(("text", "mask_token", "expected"), [
    ("a [MASK] day", "<mask>", "a <mask> day"),
    ("a <mask> day", "[MASK]", "a [MASK] day"),
    ("a [MASK] day", None, "a [MASK] day"),
    ("a <mask> day", None, "a <mask> day"),   # no model yet: kept as written (the snippet shows it so)
])
def test_mask_spellings_become_the_models_token(text, mask_token, expected):
    assert with_mask_token(text, mask_token) == expected


@pytest.mark.parametrize("mask_token", ["<mask>", None])
def test_text_without_mask_is_refused_naming_the_token(mask_token):
    with pytest.raises(PlaygroundInputError) as refused:
        with_mask_token("no hidden word here", mask_token)
    assert refused.value.key == "playground.error.no_mask"
    assert (mask_token or "[MASK]") in refused.value.message("en")


@pytest.mark.parametrize(("raw", "labels"), [
    ("a, b,c", ["a", "b", "c"]),
    ("cat\ndog, cat\n\n", ["cat", "dog"]),
    (" , ,", []),
])
def test_split_labels(raw, labels):
    assert split_labels(raw) == labels


def test_more_than_twenty_labels_are_refused_before_any_model():
    from studio.playground.inputs import PlaygroundInputError, check_sizes

    with pytest.raises(PlaygroundInputError) as refused:
        split_labels(", ".join(f"label{n}" for n in range(6000)))
    assert refused.value.fields == {"count": 6000, "max": 20}
    with pytest.raises(PlaygroundInputError):
        check_sizes("short", "x" * 60_000)


def test_nonblank_lines():
    assert nonblank_lines(" one \n\n  \ntwo, three\n") == ["one", "two, three"]


@pytest.mark.parametrize(("spans", "segments"), [
    ([], [("Ana vive en Lima", None)]),
    ([(0, 3, "PER"), (12, 16, "LOC")], [("Ana", "PER"), (" vive en ", None), ("Lima", "LOC")]),
    ([(12, 16, "LOC"), (0, 3, "PER"), (1, 5, "X")], [("Ana", "PER"), (" vive en ", None), ("Lima", "LOC")]),
])
def test_spans_to_segments(spans, segments):
    assert spans_to_segments("Ana vive en Lima", spans) == segments


@pytest.mark.parametrize(("answer", "segments"), [
    (" Bogotá.", [("Clara vive en ", None), ("Bogotá", "answer"), (" desde 2019.", None)]),
    ("clara", [("Clara", "answer"), (" vive en Bogotá desde 2019.", None)]),
    ("Medellín", [("Medellín", "answer")]),
    ("", [("—", "answer")]),
])
def test_answer_is_highlighted_in_the_context(answer, segments):
    assert answer_segments("Clara vive en Bogotá desde 2019.", answer) == segments


@pytest.mark.parametrize(("output", "text"), [
    ([{"generated_text": " hola "}], "hola"),
    ([{"generated_text": [{"role": "user", "content": "q"}, {"role": "assistant", "content": "r"}]}], "r"),
    ([{"generated_text": {"role": "assistant", "content": "r2"}}], "r2"),
])
def test_generated_text_from_prompt_or_chat(output, text):
    assert generated_text(output) == text


@pytest.mark.parametrize(("entity", "label"), [
    ({"entity": "B-PER"}, "PER"), ({"entity": "I-LOC"}, "LOC"), ({"entity_group": "ORG"}, "ORG"), ({"entity": "O"}, "O"),
])
def test_entity_label(entity, label):
    assert entity_label(entity) == label


def test_unreadable_image_and_audio_are_input_errors(tmp_path):
    bogus = tmp_path / "bogus.png"
    bogus.write_text("not an image")
    with pytest.raises(PlaygroundInputError) as bad_image:
        load_image(bogus)
    with pytest.raises(PlaygroundInputError) as bad_audio:
        load_audio(bogus, 16000)
    assert (bad_image.value.key, bad_audio.value.key) == ("app.image.not_image", "playground.error.bad_audio")
    assert load_image(None) is None


def test_audio_is_decoded_to_mono_and_resampled(tmp_path):
    seconds = np.arange(44100) / 44100
    stereo = np.stack([np.sin(2 * np.pi * 440 * seconds), np.zeros_like(seconds)], axis=1).astype(np.float32)
    soundfile.write(tmp_path / "stereo.flac", stereo, 44100)
    samples = load_audio(tmp_path / "stereo.flac", 16000)
    assert samples.dtype == np.float32 and samples.shape == (16000,)
    assert 0.3 < np.abs(samples).max() < 0.6   # the two channels averaged


def test_jsonable_summarises_images_tensors_and_long_lists():
    import torch

    value = jsonable({"depth": Image.new("L", (4, 3)), "t": torch.zeros(2, 5), "xs": list(range(20)),
                      "score": 0.123456})
    assert value["depth"] == "<PIL.Image 4x3 L>" and value["t"] == "<Tensor shape=(2, 5)>"
    assert value["xs"][-1] == "… 8 more" and len(value["xs"]) == 13 and value["score"] == 0.1235


def test_snippet_names_the_image_variable_and_passes_kwargs():
    code = snippet("zero-shot-image-classification", "openai/clip-vit-base-patch32",
                   Call((Image.new("RGB", (2, 2)),), {"candidate_labels": ["a", "b"]}))
    assert "result = pipe(image, candidate_labels=['a', 'b'])" in code and "Image.open(" in code
    compile(code, "snippet", "exec")


# ---------------------------------------------------------------- local checkpoints

@pytest.mark.parametrize(("architecture", "found", "tasks"), [
    ("BertForSequenceClassification", {"text"}, ("text-classification",)),
    ("Wav2Vec2ForSequenceClassification", {"audio"}, ("audio-classification",)),
    ("ASTForAudioClassification", {"audio"}, ("audio-classification",)),
    ("BertForTokenClassification", {"text"}, ("token-classification",)),
    ("RobertaForMaskedLM", {"text"}, ("fill-mask",)),
    ("Qwen2ForCausalLM", {"text"}, ("text-generation",)),
    ("GPT2LMHeadModel", {"text"}, ("text-generation",)),
    ("MobileNetV2ForImageClassification", {"image"}, ("image-classification",)),
    ("YolosForObjectDetection", {"image"}, ("object-detection",)),
    ("SegformerForSemanticSegmentation", {"image"}, ("image-segmentation",)),
    ("DepthAnythingForDepthEstimation", {"image"}, ("depth-estimation",)),
    ("Wav2Vec2ForCTC", {"audio", "text"}, ("automatic-speech-recognition",)),
    ("WhisperForConditionalGeneration", {"audio", "text"}, ("automatic-speech-recognition",)),
    ("BlipForConditionalGeneration", {"image", "text"}, ("image-text-to-text",)),
    ("CLIPModel", {"image", "text"}, ("zero-shot-image-classification",)),
    ("BertModel", {"text"}, ("feature-extraction",)),
    ("ViTModel", {"image"}, ()),
    ("BartForConditionalGeneration", {"text"}, ()),   # transformers 5 has no seq2seq text pipeline
    ("", set(), ()),
])
def test_architecture_tells_the_task(architecture, found, tasks):
    assert architecture_tasks(architecture, frozenset(found)) == tasks


def test_every_tiny_checkpoint_is_recognised_without_metrics(tiny_root):
    """A checkpoint without metrics.json: its config.json class and its preprocessing files say the task."""
    from tests.support.tiny_pipelines import BUILDERS

    for pipeline_task in BUILDERS:
        folder = build_tiny_model(pipeline_task, tiny_root)
        assert not (folder / "metrics.json").exists()
        assert pipeline_task in checkpoint_tasks(folder), (pipeline_task, modalities(folder))


def write_metrics(folder: Path, task: str) -> None:
    (folder / "metrics.json").write_text(json.dumps({"task": task, "splits": {}}), encoding="utf-8")


@pytest.fixture
def models_dir(tmp_path, tiny_root, monkeypatch) -> Path:
    """A models folder like a user's: trained checkpoints (with metrics.json), bare ones, a half-written
    one (dot-folder), and a folder that is no checkpoint."""
    root = tmp_path / "models"
    root.mkdir()
    for task, name in (("text-classification", "sentiment-tiny"), ("zero-shot-classification", "nli-tiny"),
                       ("image-classification", "beans-tiny"), ("fill-mask", "mlm-tiny")):
        shutil.copytree(build_tiny_model(task, tiny_root), root / name)
    write_metrics(root / "sentiment-tiny", "text-classification")
    write_metrics(root / "beans-tiny", "image-classification")
    shutil.copytree(root / "sentiment-tiny", root / ".sentiment-new.tmp-123")
    (root / "notes").mkdir()
    monkeypatch.setenv("STUDIO_MODELS_DIR", str(root))
    return root


def test_local_models_lists_the_checkpoints_that_fit_each_task(models_dir):
    assert local_models("text-classification") == ["models/nli-tiny", "models/sentiment-tiny"]
    assert local_models("zero-shot-classification") == ["models/nli-tiny"]
    assert local_models("image-classification") == ["models/beans-tiny"]
    assert local_models("fill-mask") == ["models/mlm-tiny"]
    assert local_models("object-detection") == []


def test_local_models_sees_a_checkpoint_written_later(models_dir, tiny_root):
    assert local_models("token-classification") == []
    shutil.copytree(build_tiny_model("token-classification", tiny_root), models_dir / "ner-tiny")
    assert local_models("token-classification") == ["models/ner-tiny"]


def test_a_local_checkpoint_is_shown_as_models_slash_its_name(models_dir):
    for spelling in ("sentiment-tiny", "models/sentiment-tiny", str(models_dir / "sentiment-tiny")):
        assert shown_model(spelling) == "models/sentiment-tiny"
    assert shown_model("owner/hub-model") == "owner/hub-model"


# ---------------------------------------------------------------- running (load + run orchestration)

def test_run_loads_a_local_checkpoint_once_then_reuses_it(models_dir):
    MODEL_CACHE.clear()
    first = run(make_request("text-classification", "models/sentiment-tiny", Inputs("great movie")))
    loads = MODEL_CACHE.loads
    second = run(make_request("text-classification", "sentiment-tiny", Inputs("awful movie")))
    assert not first.cached and first.load_seconds > 0
    assert second.cached and second.load_seconds == 0.0 and MODEL_CACHE.loads == loads
    assert set(second.value) == {"negative", "positive"} and second.model_ref == str(models_dir / "sentiment-tiny")
    assert second.shown_model == "models/sentiment-tiny"
    assert "pipeline('text-classification', model='models/sentiment-tiny')" in second.code
    assert str(models_dir) not in second.code


def test_the_request_has_the_snippet_before_any_model_is_loaded(models_dir):
    request = make_request("fill-mask", "", Inputs("Transfer learning saves a lot of <mask>."))
    assert request.model == TASKS["fill-mask"].default_model
    assert request.code.splitlines()[2] == f"pipe = pipeline('fill-mask', model={request.model!r})"
    assert "pipe('Transfer learning saves a lot of <mask>.', top_k=5)" in request.code


def refusal(task: str, model: str, text: str = "some text") -> RequestError:
    with pytest.raises(RequestError) as refused:
        run(make_request(task, model, Inputs(text)))
    return refused.value


def test_offline_the_default_model_refusal_names_the_local_checkpoints(models_dir):
    refused = refusal("text-classification", "")
    assert refused.key == "playground.error.offline_pick_local"
    assert refused.fields["choices"] == "models/nli-tiny, models/sentiment-tiny"
    assert "models/sentiment-tiny" in refused.message("es") and "checkpoints locales" in refused.message("es")


def test_offline_without_a_fitting_checkpoint_the_hub_refusal_stays(models_dir):
    assert refusal("token-classification", "").key == "model.refuse.offline"


@pytest.mark.parametrize(("model", "key"), [
    ("https://huggingface.co/gpt2", "playground.error.bad_model"),
    ("../../../etc", "playground.error.bad_model"),
    ("/", "playground.error.bad_model"),
    ("notes", "playground.error.bad_model"),                      # a folder in models/ that is no checkpoint
    (".sentiment-new.tmp-123", "playground.error.bad_model"),     # still being written
    ("models/missing", "playground.error.no_checkpoint"),
])
def test_bad_model_references_are_translated_and_show_no_server_path(models_dir, model, key):
    refused = refusal("text-classification", model)
    assert refused.key == key
    for lang in ("es", "en"):
        message = refused.message(lang)
        assert str(models_dir) not in message and "/tmp" not in message
    assert refused.message("es") != refused.message("en") and "elige" in refused.message("es")


def test_a_checkpoint_for_another_task_is_a_load_refusal_without_the_exception_text(models_dir):
    refused = refusal("text-classification", "beans-tiny")
    assert refused.key == "playground.error.load" and refused.fields["model"] == "models/beans-tiny"
    assert str(models_dir) not in refused.message("es") and "No se pudo cargar" in refused.message("es")


def test_sentence_similarity_with_a_real_pretrained_model(minilm_dir, monkeypatch):
    """all-MiniLM-L6-v2 (a real sentence encoder): the paraphrase ranks above the unrelated sentences."""
    monkeypatch.setenv("STUDIO_MODELS_DIR", str(minilm_dir.parent))
    task = TASKS["feature-extraction"]
    result = run(make_request(task.name, minilm_dir.name, Inputs(task.example["text"], task.example["text2"])))
    ranking = sorted(result.value, key=result.value.get, reverse=True)
    assert ranking[0] == "A kitten is napping on the couch."
    assert result.value[ranking[0]] > result.value["The stock market fell today."] + 0.2


def test_image_classification_with_a_real_pretrained_model(mobilenet_dir, monkeypatch):
    """The real ImageNet MobileNetV2 from ../shared answers with 5 of its 1000 ImageNet labels."""
    monkeypatch.setenv("STUDIO_MODELS_DIR", str(mobilenet_dir.parent))
    assert f"models/{mobilenet_dir.name}" in local_models("image-classification")
    image = load_image(example_files()[EXAMPLE_IMAGE])
    result = run(make_request("image-classification", mobilenet_dir.name, Inputs(image=image)))
    imagenet = set(json.loads((mobilenet_dir / "config.json").read_text())["id2label"].values())
    assert len(result.value) == 5 and set(result.value) <= imagenet
    assert 0 < sum(result.value.values()) <= 1.0001
