"""The playground's task table without the UI: every task's pre- and post-processing on the real output
of a real `transformers.pipeline` built on a tiny random model (tests/tiny_pipelines.py), and the
"use it in Python" snippet executed for real to reproduce that very output.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import numpy as np
import pytest
import soundfile
from PIL import Image

from studio import tasks
from studio.models import MODEL_CACHE, validate_model_ref
from studio.strings import STRINGS
from studio.tasks import TASKS, Call, InputError, Inputs, PipeInfo
from tests.tiny_pipelines import build_tiny_model

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
        assert set(task.inputs) <= set(tasks.INPUT_SLOTS) and task.output in tasks.OUTPUT_KINDS
        assert set(task.example) == set(task.inputs), f"{name}: one example per input"
        assert validate_model_ref(task.default_model) == task.default_model
        for lang in ("es", "en"):
            assert set(task.inputs.values()) <= STRINGS[lang].keys()


def test_playground_strings_exist_in_both_languages():
    keys = {lang: {k for k in STRINGS[lang] if k.startswith("playground.")} for lang in ("es", "en")}
    assert keys["es"] == keys["en"] and len(keys["es"]) > 30


def inputs_in(folder: Path, task: tasks.Task) -> Inputs:
    """The task's example inputs, with the media files written where its snippet reads them."""
    shutil.copy(tasks.example_value(task, "audio") or tasks.example_files()[tasks.EXAMPLE_AUDIO],
                folder / "mi_audio.wav")
    tasks.load_image(tasks.example_files()[tasks.EXAMPLE_IMAGE]).save(folder / "mi_imagen.jpg")
    text, text2 = TINY_TEXT.get(task.name, (tasks.example_value(task, "text"), tasks.example_value(task, "text2")))
    return Inputs(
        text=text or "", text2=text2 or "",
        image=tasks.load_image(folder / "mi_imagen.jpg") if "image" in task.inputs else None,
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
    "zero-shot-classification": lambda inputs, pipe: set(tasks.split_labels(inputs.text2)),
    "zero-shot-image-classification": lambda inputs, pipe: set(tasks.split_labels(inputs.text2)),
    "feature-extraction": lambda inputs, pipe: set(tasks.split_lines(inputs.text2)),
    "audio-classification": lambda inputs, pipe: set(pipe.model.config.id2label.values()),
}


@pytest.mark.parametrize("name", list(TASKS))
def test_task_on_a_real_pipeline_and_its_snippet_reproduces_it(name, tiny_root, tmp_path, monkeypatch):
    from transformers import pipeline

    task = TASKS[name]
    folder = build_tiny_model(task.pipeline_task, tiny_root)
    pipe = pipeline(task.pipeline_task, model=str(folder))
    inputs = inputs_in(tmp_path, task)
    call = task.prepare(inputs, tasks.pipe_info(pipe))
    code = tasks.snippet(task, str(folder), call)
    output = pipe(*call.args, **call.kwargs)
    value = task.render(output, inputs)

    CHECKS[task.output](value, inputs, pipe)
    if name in EXPECTED_LABELS:
        assert set(value) == EXPECTED_LABELS[name](inputs, pipe)
    assert f"pipeline({task.pipeline_task!r}, model={str(folder)!r})" in code

    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    exec(compile(code.replace("print(result)", ""), "snippet", "exec"), namespace)  # noqa: S102
    assert tasks.jsonable(namespace["result"]) == tasks.jsonable(output)


def test_every_task_refuses_empty_inputs_before_loading_anything():
    for name, task in TASKS.items():
        with pytest.raises(InputError):
            task.prepare(Inputs(), PipeInfo())
        assert name


@pytest.mark.parametrize(("text", "mask_token", "expected"), [
    ("a [MASK] day", "<mask>", "a <mask> day"),
    ("a <mask> day", "[MASK]", "a [MASK] day"),
    ("a [MASK] day", None, "a [MASK] day"),
])
def test_mask_spellings_become_the_models_token(text, mask_token, expected):
    assert tasks.with_mask_token(text, mask_token) == expected


def test_text_without_mask_is_refused_naming_the_token():
    with pytest.raises(InputError) as refused:
        tasks.with_mask_token("no hidden word here", "<mask>")
    assert refused.value.key == "playground.error.no_mask" and "<mask>" in refused.value.message("en")


@pytest.mark.parametrize(("raw", "labels"), [
    ("a, b,c", ["a", "b", "c"]),
    ("cat\ndog, cat\n\n", ["cat", "dog"]),
    (" , ,", []),
])
def test_split_labels(raw, labels):
    assert tasks.split_labels(raw) == labels


@pytest.mark.parametrize(("spans", "segments"), [
    ([], [("Ana vive en Lima", None)]),
    ([(0, 3, "PER"), (12, 16, "LOC")], [("Ana", "PER"), (" vive en ", None), ("Lima", "LOC")]),
    ([(12, 16, "LOC"), (0, 3, "PER"), (1, 5, "X")], [("Ana", "PER"), (" vive en ", None), ("Lima", "LOC")]),
])
def test_spans_to_segments(spans, segments):
    assert tasks.spans_to_segments("Ana vive en Lima", spans) == segments


@pytest.mark.parametrize(("answer", "segments"), [
    (" Bogotá.", [("Clara vive en ", None), ("Bogotá", "answer"), (" desde 2019.", None)]),
    ("clara", [("Clara", "answer"), (" vive en Bogotá desde 2019.", None)]),
    ("Medellín", [("Medellín", "answer")]),
    ("", [("—", "answer")]),
])
def test_answer_is_highlighted_in_the_context(answer, segments):
    assert tasks.answer_segments("Clara vive en Bogotá desde 2019.", answer) == segments


@pytest.mark.parametrize(("output", "text"), [
    ([{"generated_text": " hola "}], "hola"),
    ([{"generated_text": [{"role": "user", "content": "q"}, {"role": "assistant", "content": "r"}]}], "r"),
    ([{"generated_text": {"role": "assistant", "content": "r2"}}], "r2"),
])
def test_generated_text_from_prompt_or_chat(output, text):
    assert tasks.generated_text(output) == text


@pytest.mark.parametrize(("entity", "label"), [
    ({"entity": "B-PER"}, "PER"), ({"entity": "I-LOC"}, "LOC"), ({"entity_group": "ORG"}, "ORG"), ({"entity": "O"}, "O"),
])
def test_entity_label(entity, label):
    assert tasks.entity_label(entity) == label


def test_unreadable_image_and_audio_are_input_errors(tmp_path):
    bogus = tmp_path / "bogus.png"
    bogus.write_text("not an image")
    with pytest.raises(InputError) as bad_image:
        tasks.load_image(bogus)
    with pytest.raises(InputError) as bad_audio:
        tasks.load_audio(bogus, 16000)
    assert (bad_image.value.key, bad_audio.value.key) == ("playground.error.bad_image", "playground.error.bad_audio")
    assert tasks.load_image(None) is None


def test_audio_is_decoded_to_mono_and_resampled(tmp_path):
    seconds = np.arange(44100) / 44100
    stereo = np.stack([np.sin(2 * np.pi * 440 * seconds), np.zeros_like(seconds)], axis=1).astype(np.float32)
    soundfile.write(tmp_path / "stereo.flac", stereo, 44100)
    samples = tasks.load_audio(tmp_path / "stereo.flac", 16000)
    assert samples.dtype == np.float32 and samples.shape == (16000,)
    assert 0.3 < np.abs(samples).max() < 0.6   # the two channels averaged


def test_jsonable_summarises_images_tensors_and_long_lists():
    import torch

    value = tasks.jsonable({"depth": Image.new("L", (4, 3)), "t": torch.zeros(2, 5), "xs": list(range(20)),
                            "score": 0.123456})
    assert value["depth"] == "<PIL.Image 4x3 L>" and value["t"] == "<Tensor shape=(2, 5)>"
    assert value["xs"][-1] == "… 8 more" and len(value["xs"]) == 13 and value["score"] == 0.1235


def test_snippet_names_the_image_variable_and_passes_kwargs():
    task = TASKS["zero-shot-image-classification"]
    code = tasks.snippet(task, "openai/clip-vit-base-patch32",
                         Call((Image.new("RGB", (2, 2)),), {"candidate_labels": ["a", "b"]}))
    assert "result = pipe(image, candidate_labels=['a', 'b'])" in code and "Image.open(" in code
    compile(code, "snippet", "exec")


def test_run_loads_a_local_checkpoint_once_then_reuses_it(tiny_root, monkeypatch):
    build_tiny_model("text-classification", tiny_root)
    monkeypatch.setenv("STUDIO_MODELS_DIR", str(tiny_root))
    MODEL_CACHE.clear()
    first = tasks.run("text-classification", "text-classification", Inputs("great movie"))
    loads = MODEL_CACHE.loads
    second = tasks.run("text-classification", "text-classification", Inputs("awful movie"))
    assert not first.cached and first.load_seconds > 0
    assert second.cached and second.load_seconds == 0.0 and MODEL_CACHE.loads == loads
    assert set(second.value) == {"negative", "positive"} and second.model_ref == str(tiny_root / "text-classification")
    assert os.path.basename(second.model_ref) in second.code


@pytest.mark.slow
def test_sentence_similarity_with_a_real_pretrained_model(minilm_dir, monkeypatch):
    """all-MiniLM-L6-v2 (a real sentence encoder): the paraphrase ranks above the unrelated sentences."""
    monkeypatch.setenv("STUDIO_MODELS_DIR", str(minilm_dir.parent))
    task = TASKS["feature-extraction"]
    result = tasks.run(task.name, minilm_dir.name, Inputs(task.example["text"], task.example["text2"]))
    ranking = sorted(result.value, key=result.value.get, reverse=True)
    assert ranking[0] == "A kitten is napping on the couch."
    assert result.value[ranking[0]] > result.value["The stock market fell today."] + 0.2


@pytest.mark.slow
def test_image_classification_with_a_real_pretrained_model(mobilenet_dir, monkeypatch):
    """The real ImageNet MobileNetV2 from ../shared answers with 5 of its 1000 ImageNet labels."""
    monkeypatch.setenv("STUDIO_MODELS_DIR", str(mobilenet_dir.parent))
    image = tasks.load_image(tasks.example_files()[tasks.EXAMPLE_IMAGE])
    result = tasks.run("image-classification", mobilenet_dir.name, Inputs(image=image))
    imagenet = set(json.loads((mobilenet_dir / "config.json").read_text())["id2label"].values())
    assert len(result.value) == 5 and set(result.value) <= imagenet
    assert 0 < sum(result.value.values()) <= 1.0001
