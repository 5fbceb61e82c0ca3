"""The playground's tiny models (tests/support/tiny_pipelines.py) load offline into the real `transformers.pipeline`
and give the shapes the playground renders; the tasks transformers 5 removed run on text-generation."""

from __future__ import annotations

import numbers

import pytest
from PIL import Image

from tests.support.tiny_pipelines import (
    MODEL_ONLY_BUILDERS,
    REMOVED_TASKS,
    TINY_TASKS,
    build_tiny_model,
    example_input,
    example_kwargs,
)


def _is_score(value) -> bool:
    return isinstance(value, numbers.Real) and 0.0 <= float(value) <= 1.0


def check_labels_scores(out, task):
    assert isinstance(out, list) and out
    for item in out:
        assert isinstance(item["label"], str) and _is_score(item["score"])


def check_token_classification(out, task):
    assert isinstance(out, list) and out
    for item in out:
        assert {"entity", "score", "index", "word", "start", "end"} <= item.keys()
        assert _is_score(item["score"]) and item["start"] < item["end"]


def check_fill_mask(out, task):
    assert len(out) == 5   # top_k defaults to 5
    for item in out:
        assert _is_score(item["score"]) and isinstance(item["token_str"], str)
        assert isinstance(item["token"], int) and "[MASK]" not in item["sequence"]


def check_feature_extraction(out, task):
    # [batch=1][tokens][hidden] nested lists of floats
    assert len(out) == 1 and len(out[0]) >= 3
    assert all(len(vector) == 32 for vector in out[0])


def check_zero_shot(out, task):
    labels = example_kwargs(task)["candidate_labels"]
    if isinstance(out, dict):   # zero-shot-classification: one dict, labels sorted by score
        assert sorted(out["labels"]) == sorted(labels) and abs(sum(out["scores"]) - 1) < 1e-4
        return
    assert sorted(item["label"] for item in out) == sorted(labels)   # zero-shot-image: list of dicts
    assert abs(sum(item["score"] for item in out) - 1) < 1e-4


def check_generated_text(out, task):
    assert isinstance(out, list) and len(out) == 1
    assert isinstance(out[0]["generated_text"], str)


def check_boxes(out, task):
    assert isinstance(out, list) and len(out) == 5   # one per YOLOS detection token at threshold 0
    for item in out:
        assert _is_score(item["score"]) and isinstance(item["label"], str)
        box = item["box"]
        assert set(box) == {"xmin", "ymin", "xmax", "ymax"} and all(isinstance(v, int) for v in box.values())
        assert box["xmin"] <= box["xmax"] and box["ymin"] <= box["ymax"]


def check_masks(out, task):
    image = example_input(task)
    assert isinstance(out, list) and out
    for item in out:
        assert isinstance(item["label"], str) and item["score"] is None   # semantic segmentation: no score
        assert isinstance(item["mask"], Image.Image) and item["mask"].mode == "L"
        assert item["mask"].size == image.size


def check_depth(out, task):
    image = example_input(task)
    assert isinstance(out["depth"], Image.Image) and out["depth"].size == image.size
    assert tuple(out["predicted_depth"].shape) == (image.height, image.width)


def check_caption(out, task):
    check_generated_text(out, task)
    assert out[0]["input_text"] == example_kwargs(task)["text"]
    assert out[0]["generated_text"].startswith(out[0]["input_text"])


def check_transcript(out, task):
    assert set(out) == {"text"} and isinstance(out["text"], str)


CHECKS = {
    "text-classification": check_labels_scores,
    "token-classification": check_token_classification,
    "fill-mask": check_fill_mask,
    "feature-extraction": check_feature_extraction,
    "zero-shot-classification": check_zero_shot,
    "text-generation": check_generated_text,
    "image-classification": check_labels_scores,
    "object-detection": check_boxes,
    "image-segmentation": check_masks,
    "zero-shot-image-classification": check_zero_shot,
    "image-text-to-text": check_caption,
    "depth-estimation": check_depth,
    "automatic-speech-recognition": check_transcript,
    "audio-classification": check_labels_scores,
}


@pytest.fixture(scope="module")
def tiny_root(tmp_path_factory):
    return tmp_path_factory.mktemp("tiny-pipelines")


def test_every_tiny_task_has_a_check():
    assert set(TINY_TASKS) == set(CHECKS)
    assert not set(TINY_TASKS) & set(REMOVED_TASKS)
    assert set(MODEL_ONLY_BUILDERS) <= set(REMOVED_TASKS)


@pytest.mark.parametrize("task", TINY_TASKS)
def test_pipeline_runs_offline_on_tiny_model(task, tiny_root):
    from transformers import pipeline

    folder = build_tiny_model(task, tiny_root)
    assert list(folder.glob("*.safetensors")) and not list(folder.glob("*.bin"))
    pipe = pipeline(task, model=str(folder))
    out = pipe(example_input(task), **example_kwargs(task))
    CHECKS[task](out, task)


def test_build_is_cached_per_root(tiny_root):
    first = build_tiny_model("text-classification", tiny_root)
    stamp = (first / "config.json").stat().st_mtime_ns
    assert build_tiny_model("text-classification", tiny_root) == first
    assert (first / "config.json").stat().st_mtime_ns == stamp


def test_image_to_text_is_refused_with_its_new_name(tmp_path):
    with pytest.raises(ValueError, match="image-text-to-text"):
        build_tiny_model("image-to-text", tmp_path)


def test_question_answering_model_runs_without_a_pipeline(tiny_root):
    import torch
    from transformers import AutoModelForQuestionAnswering, AutoTokenizer

    folder = build_tiny_model("question-answering", tiny_root)
    tokenizer = AutoTokenizer.from_pretrained(folder)
    model = AutoModelForQuestionAnswering.from_pretrained(folder)
    qa = example_input("question-answering")
    inputs = tokenizer(qa["question"], qa["context"], return_tensors="pt")
    with torch.no_grad():
        out = model(**inputs)
    assert out.start_logits.shape == out.end_logits.shape == inputs["input_ids"].shape


@pytest.mark.parametrize("task", ["summarization", "translation"])
def test_seq2seq_model_generates_without_a_pipeline(task, tiny_root):
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    folder = build_tiny_model(task, tiny_root)
    tokenizer = AutoTokenizer.from_pretrained(folder)
    model = AutoModelForSeq2SeqLM.from_pretrained(folder)
    inputs = tokenizer(example_input(task), return_tensors="pt")
    generated = model.generate(**inputs, max_new_tokens=5, do_sample=False)
    assert generated.shape[0] == 1 and 1 < generated.shape[1] <= 6
    assert isinstance(tokenizer.decode(generated[0], skip_special_tokens=True), str)


@pytest.mark.parametrize(("task", "asked_as"), [
    ("question-answering", "question-answering"), ("summarization", "summarization"),
    ("translation", "translation_en_to_fr"),
])
def test_the_playground_runs_the_tasks_transformers_5_removed_on_text_generation(task, asked_as, tiny_root):
    """transformers 5 has no pipeline for these (REMOVED_TASKS), so the playground's table never asks for one."""
    from transformers import pipeline

    from studio.playground.table import get_task

    assert get_task(task).pipeline_task == "text-generation"
    with pytest.raises(KeyError, match="removed from transformers"):
        pipeline(asked_as, model=str(build_tiny_model(task, tiny_root)))
