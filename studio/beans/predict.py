"""The bean-leaf tab's logic, without Gradio: which model, the photo as training decoded it, top-3 classes.

The tab loads a checkpoint's model and image processor (no pipeline: studio/serving/service.py) and runs
the forward pass itself, shared by the requests that arrive together (`loaded.batcher`), on ONNX Runtime
when the checkpoint has a graph that agrees with its weights (`loaded.session`, checked at load).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from contract.checkpoint import IMAGE_CLASSIFICATION, ONNX_INPUT, checkpoint_label_names
from contract.images import VIEWS, open_rgb
from contract.preprocessing import Preprocessing, preprocessing_from
from studio import config
from studio.answers.confidence import MIN_IMAGE_SIDE
from studio.errors import StudioError
from studio.serving.models import ModelChoice
from studio.serving.service import ModelService

HUB_DEFAULT = "nateraw/vit-base-beans"  # public ViT fine-tuned on beans, for users who are online
TOP_K = 3
# Images per forward pass: this conv net gains nothing from bigger batches on a CPU, a transformer
# would (measured: docs/RESULTS.md, serving).
MAX_BATCH = 2
# Kept in sync with training/flow/args.py + training/modalities/image.py: tests/studio/beans/test_predict.py parses it with their parser.
TRAIN_COMMAND = (
    "python -m training image --data-dir ../shared/data/beans "
    "--base-model ../shared/models/mobilenet_v2_imagenet --strategy last-n --unfreeze-last 3 --resize-mode whole "
    "--image-size 320 --augment hflip,vflip,rot90 --epochs 3 --learning-rate 1e-3 --lr-scheduler-type cosine "
    "--label-smoothing 0.1 --no-select-best --tta flips --name beans-mobilenet-last3"
)


@dataclass(frozen=True)
class Leaf:
    picture: Image.Image       # the upload as the model saw it: upright, shrunk towards its input size
    scores: dict[str, float]   # the top classes, most likely first


def preprocessing(classifier) -> Preprocessing:
    """The checkpoint's decoding side and test-time views as data: the one definition the offline page
    exported by `export-web` carries too (contract/preprocessing.py)."""
    return preprocessing_from(classifier.image_processor.to_dict(), classifier.model.config.to_dict())


def predict_leaf(classifier, upload: str | Path | Image.Image, top_k: int = TOP_K) -> Leaf:
    """The `top_k` most likely classes of an upload with their probabilities: what
    `pipeline(image, top_k=top_k)` would answer, with the forward pass shared by concurrent requests.

    A file is decoded as training decoded it (shrunk towards the model's input size) and refused when
    too small; a picture already decoded is taken as it is. With the checkpoint's test-time views, the
    probabilities of the picture and its views are averaged, as training evaluated it."""
    steps = preprocessing(classifier)
    picture = upload
    if not isinstance(picture, Image.Image):
        picture = open_rgb(upload, config.max_image_pixels(), steps.min_side)
        if min(picture.size) < MIN_IMAGE_SIDE:
            raise StudioError("app.image.too_small", size=f"{picture.width}×{picture.height}", min=MIN_IMAGE_SIDE)
    pictures = [picture, *(VIEWS[name](picture) for name in steps.views)]
    pixels = [classifier.image_processor(view, return_tensors="pt")["pixel_values"][0] for view in pictures]
    rows = classifier.batcher.submit_all(pixels)
    probabilities = [sum(column) / len(rows) for column in zip(*rows, strict=True)]
    ranked = sorted(enumerate(probabilities), key=lambda pair: -pair[1])[:top_k]
    id2label = classifier.model.config.id2label
    return Leaf(picture, {str(id2label.get(i, i)): float(p) for i, p in ranked})


def forward_pass(classifier, pixel_batch: list) -> list[list[float]]:
    """Class probabilities of each input: one pass per input shape (a processor without a crop can give
    several), on the checked ONNX graph or torch; softmax as the image-classification pipeline applies
    it (sigmoid for one or several independent labels)."""
    import torch

    model, session = classifier.model, classifier.session
    rows: list = [None] * len(pixel_batch)
    shapes: dict[tuple, list[int]] = {}
    for index, pixels in enumerate(pixel_batch):
        shapes.setdefault(tuple(pixels.shape), []).append(index)
    independent = model.config.num_labels == 1 or model.config.problem_type == "multi_label_classification"
    with torch.inference_mode():
        for indices in shapes.values():
            batch = torch.stack([pixel_batch[i] for i in indices]).to(model.dtype)
            if session is None:
                logits = model(pixel_values=batch).logits.float()
            else:
                logits = torch.from_numpy(session.run(None, {ONNX_INPUT: batch.float().numpy()})[0])
            scores = logits.sigmoid() if independent else logits.softmax(dim=-1)
            for index, row in zip(indices, scores.tolist(), strict=True):
                rows[index] = row
    return rows


def label_names(choice: ModelChoice, classifier=None) -> list[str]:
    """Class names from metrics.json, else from the loaded model's config."""
    return checkpoint_label_names(choice.metrics, classifier.model.config if classifier is not None else None)


MODEL = ModelService("beans", IMAGE_CLASSIFICATION, HUB_DEFAULT, TRAIN_COMMAND, forward=forward_pass, max_batch=MAX_BATCH)
