"""Why this answer: attributions for the image and text classifiers, free of UI.

`explain_image` gives a heatmap over the photo of what drove a class, `overlay` blends it over the photo,
`explain_text` gives a score per word. Both use Captum's Integrated Gradients, run only when the user asks
(an Explain button), and are safe next to concurrent predictions on the same shared pipeline: they put no
hooks on the model, change no parameter flags and leave it in eval mode with no gradients.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageOps

from contract.images import size_fields
from contract.tokens import token_limit
from studio.serving.service import tokenizer_lock

INTERNAL_BATCH = 8  # interpolation steps per forward/backward pass: bounds memory whatever `steps` is
COLORMAP = "inferno"
BASELINE_BLUR = 8  # the image baseline's blur sigma is its shorter side / this


@dataclass(frozen=True)
class ImageExplanation:
    label: str
    heatmap: np.ndarray  # float32, H x W of the photo as the pipeline sees it, in [0, 1]
    seconds: float


@dataclass(frozen=True)
class TextExplanation:
    label: str
    text: str
    words: list[tuple[str, float]]  # each word as written in `text`, score in [-1, 1]; > 0 pushes to `label`
    spans: list[tuple[int, int]]  # each word's [start, end) in `text`
    truncated: bool  # the model read only the start of `text`; the rest has no score
    seconds: float

    def highlighted(self) -> list[tuple[str, float | None]]:
        """`text` cut into words (with scores) and the gaps between them (None), for gr.HighlightedText."""
        pieces: list[tuple[str, float | None]] = []
        position = 0
        for (word, score), (start, end) in zip(self.words, self.spans, strict=True):
            if start > position:
                pieces.append((self.text[position:start], None))
            pieces.append((word, score))
            position = end
        if position < len(self.text):
            pieces.append((self.text[position:], None))
        return pieces


def _check_steps(steps: int) -> None:
    if not 2 <= steps <= 512:
        raise ValueError(f"steps must be between 2 and 512, got {steps}")


def _target(model, label: str | None, logits: Callable) -> tuple[int, str]:
    """The class index to explain and its name: `label`, or the top class of `logits()` (run only then)."""
    import torch

    id2label = model.config.id2label
    if label is None:
        with torch.no_grad():
            index = int(logits().argmax(dim=-1)[0])
        return index, str(id2label.get(index, index))
    for index, name in id2label.items():
        if str(name) == label:
            return int(index), label
    raise ValueError(f"unknown label {label!r}; the model's labels are {sorted(map(str, id2label.values()))}")


def _attribute(forward, inputs, baselines, target: int, steps: int, model, extra=None):
    """Integrated Gradients of `forward`'s logit `target` w.r.t. `inputs`, in internal batches.

    Gradients are taken with torch.autograd.grad on the inputs, so parameters collect none; the
    zero_grad only guards against a model that already held some.
    """
    import torch
    from captum.attr import IntegratedGradients

    try:
        with torch.enable_grad():
            return IntegratedGradients(forward).attribute(
                inputs, baselines=baselines, target=target, additional_forward_args=extra,
                n_steps=steps, internal_batch_size=INTERNAL_BATCH,
            ).detach()
    finally:
        model.zero_grad(set_to_none=True)


# ---- images ----------------------------------------------------------------------------------------


def pipeline_view(image: Image.Image) -> Image.Image:
    """The photo as the image-classification pipeline reads it (transformers' load_image)."""
    if not isinstance(image, Image.Image):
        raise TypeError(f"expected a PIL image, got {type(image).__name__}")
    return ImageOps.exif_transpose(image).convert("RGB")


def explain_image(pipe, image: Image.Image, label: str | None = None, steps: int = 24) -> ImageExplanation:
    """A heatmap over `image` of the pixels that pushed the model towards `label` (default: its top class).

    `pipe` is a transformers image-classification pipeline. The heatmap has the photo's size (after its
    EXIF orientation, as the pipeline sees it); what the processor crops away is 0.
    """
    # Integrated Gradients on pixel_values works on any architecture unchanged (Grad-CAM needs a conv
    # layer, which ViT lacks, or a per-model token-grid reshape) and, unlike Captum's layer methods,
    # needs no module hooks, which would also catch predictions running concurrently on the shared model.
    # The baseline is the photo blurred, not black: against black, dark pixels (a dark leaf spot) could
    # never matter; against the blur, what matters is the detail the model used.
    _check_steps(steps)
    started = time.perf_counter()
    model, processor = pipe.model, pipe.image_processor
    photo = pipeline_view(image)
    pixels = processor(images=photo, return_tensors="pt")["pixel_values"].to(model.device, model.dtype)
    blurred = _gaussian_blur(pixels, sigma=min(pixels.shape[-2:]) / BASELINE_BLUR)
    model.eval()
    index, name = _target(model, label, lambda: model(pixel_values=pixels).logits)
    attributions = _attribute(lambda x: model(pixel_values=x).logits, pixels, blurred, index, steps, model)
    saliency = positive_evidence_map(attributions[0].sum(dim=0))
    heatmap = _onto_photo(saliency.cpu().numpy(), processor, photo.size)
    return ImageExplanation(name, heatmap, time.perf_counter() - started)


def positive_evidence_map(attributions):
    """Signed pixel attributions (an H x W tensor) as a smooth map in [0, 1] of what pushed towards the class.

    Single-pixel IG is speckled, with signs that flip between neighbours; blurring the signed map first
    cancels that noise and keeps the regions whose net effect pushed towards the class. All 0 when
    nothing did (e.g. explaining a class the photo argues against).
    """
    smooth = _gaussian_blur(attributions.float(), sigma=max(1.0, min(attributions.shape) / 32))
    positive = smooth.clamp(min=0)
    # Scaled to a high percentile, not the max, so a few hot pixels (often at the borders) do not
    # leave the rest of the map too faint to see.
    peak = float(positive.flatten().quantile(0.99)) or float(positive.max())
    return (positive / peak).clamp(max=1.0) if peak > 0 else positive


def _gaussian_blur(values, sigma: float):
    """Each H x W plane of `values` (shape ... x H x W) blurred, edges repeated outwards."""
    import torch
    import torch.nn.functional as F

    radius = max(1, round(3 * sigma))
    offsets = torch.arange(-radius, radius + 1, dtype=torch.float32)
    kernel = torch.exp(-(offsets**2) / (2 * sigma**2))
    kernel = (kernel / kernel.sum()).to(values.dtype)
    grid = values.reshape(-1, 1, *values.shape[-2:])
    grid = F.conv2d(F.pad(grid, (radius, radius, 0, 0), mode="replicate"), kernel.view(1, 1, 1, -1))
    grid = F.conv2d(F.pad(grid, (0, 0, radius, radius), mode="replicate"), kernel.view(1, 1, -1, 1))
    return grid.reshape(values.shape)


def _resized_shape(processor, height: int, width: int) -> tuple[int, int] | None:
    """(height, width) after the processor's resize; None for a resize rule we do not model."""
    if not getattr(processor, "do_resize", False):
        return height, width
    size = size_fields(getattr(processor, "size", None))
    fixed_h, fixed_w = size.get("height"), size.get("width")
    shortest, longest = size.get("shortest_edge"), size.get("longest_edge")
    if fixed_h and fixed_w:
        return int(fixed_h), int(fixed_w)
    if shortest and longest:
        from transformers.image_transforms import get_size_with_aspect_ratio

        return tuple(get_size_with_aspect_ratio((height, width), shortest, longest))
    if shortest:  # as transformers' get_resize_output_image_size(default_to_square=False)
        short, long = sorted((height, width))
        new_long = int(shortest * long / short)
        return (shortest, new_long) if height <= width else (new_long, shortest)
    return None


def crop_box(processor, photo_size: tuple[int, int], model_shape: tuple[int, int]) -> tuple[float, ...]:
    """Where the model's input (model_shape = height, width) lies on the photo, in photo pixels:
    (left, top, right, bottom), possibly beyond the photo where the processor pads.

    Follows the processor's resize then centre crop; a processor this does not know is taken to
    stretch the whole photo (the box is the photo).
    """
    width, height = photo_size
    whole = (0.0, 0.0, float(width), float(height))
    resized = _resized_shape(processor, height, width)
    if resized is None:
        return whole
    crop_h, crop_w = resized
    if getattr(processor, "do_center_crop", False):
        crop = size_fields(getattr(processor, "crop_size", None))
        crop_h, crop_w = crop.get("height"), crop.get("width")
    if (crop_h, crop_w) != tuple(model_shape):
        return whole
    # transformers' center_crop starts at (resized - crop) // 2, also when it pads (negative offset).
    top, left = (resized[0] - crop_h) // 2, (resized[1] - crop_w) // 2
    scale_y, scale_x = height / resized[0], width / resized[1]
    return (left * scale_x, top * scale_y, (left + crop_w) * scale_x, (top + crop_h) * scale_y)


def _onto_photo(saliency: np.ndarray, processor, photo_size: tuple[int, int]) -> np.ndarray:
    """The model-input-sized map placed where that input came from on the photo; 0 elsewhere."""
    width, height = photo_size
    left, top, right, bottom = (round(v) for v in crop_box(processor, photo_size, saliency.shape))
    canvas = np.zeros((height, width), dtype=np.float32)
    if right <= left or bottom <= top:
        return canvas
    stretched = Image.fromarray(saliency.astype(np.float32), mode="F").resize(
        (right - left, bottom - top), Image.Resampling.BILINEAR
    )
    patch = np.asarray(stretched, dtype=np.float32)
    y0, x0 = max(top, 0), max(left, 0)
    y1, x1 = min(bottom, height), min(right, width)
    if y1 > y0 and x1 > x0:
        canvas[y0:y1, x0:x1] = patch[y0 - top : y1 - top, x0 - left : x1 - left]
    return np.clip(canvas, 0.0, 1.0)


def overlay(image: Image.Image, heatmap: np.ndarray, opacity: float) -> Image.Image:
    """`heatmap` (from explain_image on this image) as a colour map over the photo; `opacity` 0 = photo only."""
    from matplotlib import colormaps

    photo = pipeline_view(image)
    if heatmap.shape != (photo.height, photo.width):
        raise ValueError(f"heatmap is {heatmap.shape[::-1]} but the image is {photo.size}")
    opacity = min(max(float(opacity), 0.0), 1.0)
    if opacity == 0.0:
        return photo
    colours = colormaps[COLORMAP](np.clip(heatmap, 0.0, 1.0))[..., :3]
    coloured = Image.fromarray((colours * 255).round().astype(np.uint8), mode="RGB")
    return Image.blend(photo, coloured, opacity)


# ---- text ------------------------------------------------------------------------------------------


def explain_text(pipe, text: str, label: str | None = None, steps: int = 24) -> TextExplanation:
    """A score in [-1, 1] for each word of `text`: how much it pushed the model towards `label`
    (default: its top class). `pipe` is a transformers text-classification pipeline with a fast tokenizer.
    """
    import torch

    # Integrated Gradients on the word embeddings (the input embedding layer's output) from an all-[PAD]
    # baseline, which is what captum's LayerIntegratedGradients on get_input_embeddings() computes; fed
    # as inputs_embeds because that layer method hooks the shared model, and the hook would also catch
    # a concurrent prediction.
    _check_steps(steps)
    started = time.perf_counter()
    model, tokenizer = pipe.model, pipe.tokenizer
    if not getattr(tokenizer, "is_fast", False):
        raise ValueError("explain_text needs a fast tokenizer (for word offsets)")
    encoded, word_ids = _encode(tokenizer, text, token_limit(tokenizer, model.config))
    ids = encoded["input_ids"].to(model.device)
    mask = encoded["attention_mask"].to(model.device)
    special = encoded["special_tokens_mask"].bool().to(model.device)
    pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else (tokenizer.unk_token_id or 0)
    embed = model.get_input_embeddings()
    model.eval()
    with torch.no_grad():
        embeds = embed(ids)
        baseline = embed(torch.where(special, ids, torch.full_like(ids, pad_id)))
    index, name = _target(model, label, lambda: model(inputs_embeds=embeds, attention_mask=mask).logits)

    def forward(inputs_embeds, attention_mask):
        return model(inputs_embeds=inputs_embeds, attention_mask=attention_mask).logits

    attributions = _attribute(forward, embeds, baseline, index, steps, model, extra=(mask,))
    token_scores = attributions[0].float().sum(dim=-1).tolist()
    words, spans = _word_scores(text, token_scores, word_ids, encoded["offset_mapping"][0].tolist())
    truncated = bool(text[spans[-1][1] :].strip()) if spans else bool(text.strip())
    return TextExplanation(name, text, words, spans, truncated, time.perf_counter() - started)


def _encode(tokenizer, text: str, limit: int):
    """Model inputs with character offsets, and each token's word index (None for special tokens)."""
    with tokenizer_lock(tokenizer):
        encoded = tokenizer(
            text, truncation=True, max_length=limit, padding=False, return_tensors="pt",
            return_offsets_mapping=True, return_special_tokens_mask=True, return_attention_mask=True,
        )
    return encoded, encoded.word_ids(0)


def _word_scores(text: str, token_scores: list[float], word_ids: list, offsets: list) -> tuple[list, list]:
    """Sum the token scores of each word, scale them into [-1, 1]; words in text order."""
    totals: dict[int, float] = {}
    bounds: dict[int, list[int]] = {}
    for score, word, (start, end) in zip(token_scores, word_ids, offsets, strict=True):
        if word is None or end <= start:
            continue
        totals[word] = totals.get(word, 0.0) + score
        span = bounds.setdefault(word, [start, end])
        span[0], span[1] = min(span[0], start), max(span[1], end)
    order = sorted(totals, key=lambda word: bounds[word][0])
    peak = max((abs(totals[word]) for word in order), default=0.0) or 1.0
    words = [(text[bounds[w][0] : bounds[w][1]], max(-1.0, min(1.0, totals[w] / peak))) for w in order]
    return words, [tuple(bounds[w]) for w in order]
