"""studio.answers.explain: the heatmap and word scores point at what a tiny trained model really uses."""

from __future__ import annotations

import threading

import numpy as np
import pytest
import torch
from PIL import Image

from studio.answers.explain import (
    INTERNAL_BATCH,
    crop_box,
    explain_image,
    explain_text,
    overlay,
    positive_evidence_map,
)
from studio.serving.service import tokenizer_lock
from tests.support.tiny import make_tiny_mobilenet
from tests.support.tiny_trained import (
    IMAGE_SIZE,
    KEYWORD,
    keyword_sentences,
    patch_dataset,
    patch_image,
    train_keyword_classifier,
    train_patch_classifier,
    with_centre_crop,
)

QUADRANT = IMAGE_SIZE // 2
pytestmark = pytest.mark.usefixtures("one_torch_thread")  # the module's classifiers train on one thread too


@pytest.fixture(scope="module")
def patch_folder(tmp_path_factory):
    return train_patch_classifier(tmp_path_factory.mktemp("patch") / "vit")


@pytest.fixture(scope="module")
def patch_pipe(patch_folder):
    from transformers import pipeline

    return pipeline("image-classification", model=str(patch_folder))


@pytest.fixture(scope="module")
def cropping_pipe(patch_folder, tmp_path_factory):
    from transformers import pipeline

    folder = with_centre_crop(patch_folder, tmp_path_factory.mktemp("crop") / "vit")
    return pipeline("image-classification", model=str(folder))


@pytest.fixture(scope="module")
def keyword_pipe(tmp_path_factory):
    from transformers import pipeline

    folder = train_keyword_classifier(tmp_path_factory.mktemp("keyword") / "bert")
    return pipeline("text-classification", model=str(folder))


def patch_images(count: int = 6) -> list[Image.Image]:
    images, labels = patch_dataset(2 * count, seed=1)
    return [image for image, label in zip(images, labels, strict=True) if label]


def share(heatmap: np.ndarray, left: int, top: int, right: int, bottom: int) -> float:
    return float(heatmap[top:bottom, left:right].sum() / heatmap.sum())


def parameters_state(model) -> list[tuple[bool, bool]]:
    return [(p.requires_grad, p.grad is None) for p in model.parameters()]


# ---- images ----------------------------------------------------------------------------------------


def test_heatmap_lies_on_the_patch_the_model_learned(patch_pipe):
    assert all(patch_pipe(image)[0]["label"] == "patch" for image in patch_images())  # the model works
    for image in patch_images():
        explanation = explain_image(patch_pipe, image)
        assert explanation.label == "patch"
        assert explanation.heatmap.shape == (IMAGE_SIZE, IMAGE_SIZE)
        # The quadrant is a quarter of the image; the patch only ever appears there.
        assert share(explanation.heatmap, 0, 0, QUADRANT, QUADRANT) > 0.5


@pytest.mark.parametrize("tall", [False, True], ids=["wide", "tall"])
def test_heatmap_maps_back_through_a_centre_crop(cropping_pipe, tall):
    # 64 x 40 -> resized 51 x 32 -> crop 32 x 32 from x = 9: the crop is photo x 11.3 .. 51.5 (x 1.25).
    wide = patch_image(size=(64, 40), patch_at=(15, 5), side=10, rng=np.random.default_rng(3))
    wide.paste((255, 255, 255), (0, 25, 10, 35))  # a second patch the crop cuts away
    photo = wide.transpose(Image.Transpose.TRANSPOSE) if tall else wide
    heatmap = explain_image(cropping_pipe, photo).heatmap
    assert heatmap.dtype == np.float32 and heatmap.shape == (photo.height, photo.width)
    assert heatmap.min() >= 0 and 0.5 < heatmap.max() <= 1
    heatmap = heatmap.T if tall else heatmap
    assert not heatmap[:, :11].any() and not heatmap[:, 52:].any()
    # The crop's top-left quadrant, where the model saw the patch, in photo pixels.
    assert share(heatmap, 11, 0, 32, 20) > 0.5


def test_heatmap_shows_positive_evidence_smoothly():
    attributions = torch.zeros(64, 64)
    attributions[8:20, 8:20] = 1.0  # pushed towards the class
    attributions[40:52, 40:52] = -3.0  # pushed away from it
    attributions[30, 5] = 0.2  # a lone speck
    heatmap = positive_evidence_map(attributions).numpy()
    assert heatmap.shape == (64, 64) and heatmap.min() >= 0 and heatmap.max() == pytest.approx(1.0)
    assert heatmap[14, 14] == pytest.approx(1.0) and not heatmap[40:52, 40:52].any()
    assert heatmap[30, 5] < 0.1 and heatmap[8, 20] > 0.2  # blurred: specks fade, blobs spread
    assert not positive_evidence_map(-attributions.abs()).any()

def ramp_photo(width: int, height: int) -> Image.Image:
    """Red = x and green = y, in photo pixels (both sides at most 256)."""
    x, y = np.meshgrid(np.arange(width), np.arange(height))
    return Image.fromarray(np.stack([x, y, np.zeros_like(x)], axis=-1).astype(np.uint8), mode="RGB")


def processors():
    from transformers import MobileNetV2ImageProcessor, ViTImageProcessor

    cropping = MobileNetV2ImageProcessor(size={"shortest_edge": 128}, crop_size={"height": 112, "width": 112})
    return {
        "crop-wide": (cropping, (256, 160)),
        "crop-tall": (cropping, (160, 256)),
        "crop-square": (cropping, (200, 200)),
        "stretch": (ViTImageProcessor(size={"height": 96, "width": 112}), (256, 160)),
    }


@pytest.mark.parametrize("case", list(processors()))
def test_crop_box_is_where_the_processor_takes_its_pixels(case):
    processor, size = processors()[case]
    pixels = processor(images=ramp_photo(*size), do_rescale=False, do_normalize=False, return_tensors="np")
    pixels = pixels["pixel_values"][0]  # 3 x h x w; red / green = the photo x / y each pixel came from
    height, width = pixels.shape[1:]
    left, top, right, bottom = crop_box(processor, size, (height, width))
    half_x, half_y = (right - left) / width / 2, (bottom - top) / height / 2  # half a model pixel
    assert pixels[0, :, 0].mean() == pytest.approx(left + half_x - 0.5, abs=1.0)
    assert pixels[0, :, -1].mean() == pytest.approx(right - half_x - 0.5, abs=1.0)
    assert pixels[1, 0, :].mean() == pytest.approx(top + half_y - 0.5, abs=1.0)
    assert pixels[1, -1, :].mean() == pytest.approx(bottom - half_y - 0.5, abs=1.0)


def test_explain_image_runs_on_mobilenet(tmp_path):
    from transformers import pipeline

    pipe = pipeline("image-classification", model=str(make_tiny_mobilenet(tmp_path / "mobilenet")))
    photo = patch_image(size=(48, 36))
    explanation = explain_image(pipe, photo, label="b", steps=4)
    assert explanation.label == "b" and explanation.seconds > 0
    assert explanation.heatmap.shape == (36, 48)
    assert explanation.heatmap.min() >= 0 and explanation.heatmap.max() <= 1


def test_explain_image_leaves_the_model_clean_and_batches_steps(patch_pipe):
    model = patch_pipe.model
    before = parameters_state(model)
    batch_sizes = []
    model.train()
    hook = model.register_forward_pre_hook(
        lambda module, args, kwargs: batch_sizes.append(kwargs["pixel_values"].shape[0]), with_kwargs=True
    )
    try:
        explain_image(patch_pipe, patch_images(1)[0], steps=24)
    finally:
        hook.remove()
    assert not model.training
    assert parameters_state(model) == before and all(p.grad is None for p in model.parameters())
    assert max(batch_sizes) <= INTERNAL_BATCH < 24 and sum(batch_sizes) >= 24


def test_explain_rejects_an_unknown_label_or_step_count(patch_pipe, keyword_pipe):
    with pytest.raises(ValueError, match="unknown label"):
        explain_image(patch_pipe, patch_images(1)[0], label="cat")
    with pytest.raises(ValueError, match="unknown label"):
        explain_text(keyword_pipe, "a film", label="neutral")
    with pytest.raises(ValueError, match="steps"):
        explain_text(keyword_pipe, "a film", steps=1)


def test_overlay_blends_a_colour_map_over_the_photo():
    photo = patch_image(size=(48, 30), patch_at=(2, 2))
    heatmap = np.zeros((30, 48), dtype=np.float32)
    heatmap[:15, :24] = 1.0
    blended = overlay(photo, heatmap, 0.6)
    assert blended.mode == "RGB" and blended.size == photo.size
    assert np.array_equal(np.asarray(overlay(photo, heatmap, 0.0)), np.asarray(photo))
    full = np.asarray(overlay(photo, heatmap, 1.0)).astype(int)
    assert (full[:15, :24].sum(axis=-1) > full[15:, 24:].sum(axis=-1).max()).all()  # hot is brighter
    assert not np.array_equal(np.asarray(blended), np.asarray(photo))
    with pytest.raises(ValueError):
        overlay(photo, heatmap.T, 0.5)


# ---- text ------------------------------------------------------------------------------------------


def positive_sentences(count: int = 6) -> list[str]:
    texts, labels = keyword_sentences(2 * count, seed=7)
    return [text for text, label in zip(texts, labels, strict=True) if label]


def test_keyword_gets_the_top_attribution(keyword_pipe):
    for text in positive_sentences():
        assert keyword_pipe(text)[0]["label"] == "positive"  # the model works
        explanation = explain_text(keyword_pipe, text)
        assert explanation.label == "positive"
        assert max(explanation.words, key=lambda pair: pair[1])[0] == KEYWORD
        assert all(-1 <= score <= 1 for _, score in explanation.words)


def test_keyword_pushes_away_from_the_other_label(keyword_pipe):
    explanation = explain_text(keyword_pipe, positive_sentences(1)[0], label="negative")
    assert explanation.label == "negative"
    word, score = min(explanation.words, key=lambda pair: pair[1])
    assert word == KEYWORD and score == pytest.approx(-1.0)


def test_words_are_the_text_as_written(keyword_pipe):
    text = "  The QUIETNESS,  was Excellent!\tso loud"
    assert len(keyword_pipe.tokenizer.tokenize("quietness")) >= 2  # a word cut into subwords
    explanation = explain_text(keyword_pipe, text)
    assert [word for word, _ in explanation.words] == ["The", "QUIETNESS", ",", "was", "Excellent", "!", "so", "loud"]
    assert "".join(piece for piece, _ in explanation.highlighted()) == text
    spans = zip(explanation.words, explanation.spans, strict=True)
    assert all(text[start:end] == word for (word, _), (start, end) in spans)
    assert not explanation.truncated


def test_text_past_the_token_limit_is_marked_unread(keyword_pipe):
    text = " ".join(["the movie was slow"] * 30) + " excellent"
    explanation = explain_text(keyword_pipe, text)
    assert explanation.truncated
    assert len(explanation.words) <= keyword_pipe.tokenizer.model_max_length - 2
    pieces = explanation.highlighted()
    assert "".join(piece for piece, _ in pieces) == text
    assert pieces[-1][1] is None and pieces[-1][0].endswith(KEYWORD)


def test_explain_text_leaves_the_model_clean(keyword_pipe):
    model = keyword_pipe.model
    before = parameters_state(model)
    model.train()
    explain_text(keyword_pipe, positive_sentences(1)[0])
    assert not model.training
    assert parameters_state(model) == before and all(p.grad is None for p in model.parameters())


def test_explain_text_waits_for_the_shared_tokenizer(keyword_pipe):
    done = threading.Event()
    worker = threading.Thread(target=lambda: (explain_text(keyword_pipe, "excellent plot"), done.set()))
    with tokenizer_lock(keyword_pipe.tokenizer):
        worker.start()
        assert not done.wait(0.5)
    worker.join(timeout=60)
    assert done.is_set()

