"""Image adapter and the `python -m training image` command.

Data: a Hub dataset id (default `beans`) or a local image folder `<data-dir>/<split>/<class>/<file>`.
Images are decoded once, already shrunk towards the model's input size (JPEG draft mode decodes a
500 px leaf at 250 px, ~4x less work), and kept in memory; a file that cannot be decoded is skipped
and counted. Train-time augmentation (`--augment`: random resized crop, flips, small rotations, colour
jitter) is plain PIL; the base model's own image processor does resizing and normalisation, with the
geometry of `--image-size` / `--resize-mode` written into it, so the saved processor (what the app's
pipeline loads) preprocesses exactly as training did. `--tta` averages the probabilities of mirrored views
at evaluation and records them in config.json (contract.checkpoint.TTA_CONFIG_KEY) for the app.
"""

from __future__ import annotations

import io
import logging
import math
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch
from PIL import Image, ImageEnhance

from contract.checkpoint import IMAGE_CLASSIFICATION, TTA_CONFIG_KEY, TTA_VIEWS, canonical_split
from contract.errors import first_line
from contract.images import (
    VIEWS,
    check_size,
    open_rgb,
    processor_side,
    shrunk_rgb,
    size_fields,
)
from training.args import TrainArgs, args_dict, parse_args
from training.data import SplitData, TaskData, TrainingTask, label_maps, take_subset
from training.errors import UserError
from training.pretrained import check_model_ref, load_pretrained
from training.run import run_training

log = logging.getLogger("training")
TASK = IMAGE_CLASSIFICATION
CROP_RATIO = (3 / 4, 4 / 3)
AUGMENTATIONS = ("crop", "hflip", "vflip", "rot90", "rotate", "color")
# Test-time views by name (contract.checkpoint.TTA_VIEWS lists which --tta uses which).
# On a CPU, small no-grad batches keep the conv activations in cache (measured: docs/RESULTS.md, serving
# settings). On a GPU the usual --eval_batch_size is used.
CPU_INFERENCE_BATCH = 4


@dataclass
class ImageDataArgs:
    dataset: str = field(
        default="beans", metadata={"help": "Hub dataset id (used when --data-dir is not given)."}
    )
    data_dir: str | None = field(
        default=None,
        metadata={"help": "Local image folder: <data-dir>/<split>/<class>/<image> (train, validation, test...)."},
    )
    image_size: int | None = field(
        default=None, metadata={"help": "Side of the square model input in pixels; unset = the base model's own."}
    )
    resize_mode: str = field(
        default="crop",
        metadata={"help": "crop = the processor's resize + centre crop (cuts the border off); whole = resize the "
                  "whole image to a square.", "choices": ["crop", "whole"]},
    )
    augment: str = field(
        default="crop,hflip",
        metadata={"help": f"Training-image augmentations, comma-separated, of {', '.join(AUGMENTATIONS)}; "
                  "'none' for none. head and last-n cache what the frozen layers compute: they train on the "
                  "flips and the quarter turn (rot90) listed here as extra views of each training image and "
                  "ignore the random ones."},
    )
    crop_min_scale: float = field(default=0.5, metadata={"help": "augment crop: smallest share of the area kept."})
    rotate_degrees: float = field(default=15.0, metadata={"help": "augment rotate: largest angle either way."})
    color_jitter: float = field(
        default=0.2, metadata={"help": "augment color: brightness, contrast and saturation vary by up to this share."}
    )
    tta: str = field(
        default="none",
        metadata={"help": "Test-time augmentation: average the probabilities of the image and its mirror "
                  "(hflip) or its two mirrors (flips); recorded in config.json for the app.",
                  "choices": list(TTA_VIEWS)},
    )

    def __post_init__(self):
        unknown = set(augmentations(self.augment)) - set(AUGMENTATIONS)
        if unknown:
            raise UserError(f"--augment: unknown {sorted(unknown)}; choose among {', '.join(AUGMENTATIONS)} or none")
        if self.image_size is not None and self.image_size < 16:
            raise UserError(f"--image-size must be at least 16, got {self.image_size}")
        if not 0 < self.crop_min_scale <= 1 or not 0 <= self.color_jitter < 1 or not 0 <= self.rotate_degrees <= 45:
            raise UserError("--crop-min-scale must be in (0, 1], --color-jitter in [0, 1), --rotate-degrees in [0, 45]")


def augmentations(value: str) -> list[str]:
    return [] if value.strip().lower() == "none" else [name.strip().lower() for name in value.split(",") if name.strip()]


@dataclass
class ImageModelArgs:
    base_model: str = field(
        default="google/vit-base-patch16-224-in21k",
        metadata={"help": "Pretrained model: Hub id or local folder (any AutoModelForImageClassification)."},
    )


# ---------------------------------------------------------------- decoding


MAX_TRAIN_IMAGE_PIXELS = 100_000_000  # a decompression bomb in a data set is skipped, not decoded


def open_image(source: Any, min_side: int) -> Image.Image:
    """A path/file/PIL image -> RGB, shrunk towards `min_side`: the app's own decoding (contract.images)."""
    if isinstance(source, Image.Image):
        check_size(source.size, MAX_TRAIN_IMAGE_PIXELS)
        return shrunk_rgb(source, min_side)
    return open_rgb(source, MAX_TRAIN_IMAGE_PIXELS, min_side)


def decode_images(sources: list[tuple[Any, int, str]], min_side: int) -> SplitData:
    """(source, label, display name) triples -> SplitData of RGB images; unreadable ones skipped and counted."""
    images, labels, items, skipped = [], [], [], 0
    for source, label, name in sources:
        try:
            images.append(open_image(source, min_side))
            labels.append(label)
            items.append({"path": name})
        except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as error:
            skipped += 1
            log.warning("skipped unreadable image %s: %s", name, error)
    return SplitData(images, labels, skipped, items)


# ---------------------------------------------------------------- local folder


def sub_folders(path: Path) -> list[Path]:
    return sorted(p for p in path.iterdir() if p.is_dir() and not p.name.startswith("."))


def list_split(split_dir: Path) -> dict[str, list[Path]]:
    """{class name: its files} for one split folder (hidden files ignored, empty classes dropped)."""
    classes = {}
    for class_dir in sub_folders(split_dir):
        files = sorted(p for p in class_dir.iterdir() if p.is_file() and not p.name.startswith("."))
        if files:
            classes[class_dir.name] = files
    return classes


def find_splits(data_dir: Path) -> dict[str, Path]:
    """{canonical split name: folder}; a missing folder is one clear error line."""
    if not data_dir.is_dir():
        raise UserError(f"data folder not found: {data_dir}")
    splits = {canonical_split(p.name): p for p in sub_folders(data_dir)}
    if not splits:
        raise UserError(f"{data_dir} has no split folders (expected {data_dir}/train/<class>/<image>)")
    return splits


def split_sources(split_dir: Path, label_names: list[str], require_all: bool) -> list[tuple[Path, int, str]]:
    """(file, label id, name) of one split folder, ids as in `label_names`; other classes are an error."""
    classes = list_split(split_dir)
    if not classes:
        raise UserError(f"no images in {split_dir} (expected {split_dir}/<class>/<image>)")
    unknown = sorted(set(classes) - set(label_names))
    missing = sorted(set(label_names) - set(classes)) if require_all else []
    if unknown or missing:
        raise UserError(
            f"classes of split '{split_dir.name}' {sorted(classes)} do not match the labels {sorted(label_names)}"
        )
    # named relative to the data folder: label_issues.json and log lines never show the server's paths
    return [(path, label_names.index(name), f"{split_dir.name}/{name}/{path.name}")
            for name, files in classes.items() for path in files]


def plan_folder(data_dir: Path) -> tuple[list[str], dict[str, list[tuple[Path, int, str]]]]:
    """Label names (train's class folders) and every split's files; checked before anything is decoded."""
    splits = find_splits(data_dir)
    for required in ("train", "validation"):
        if required not in splits:
            raise UserError(f"{data_dir} has no {required}/ folder (found: {', '.join(sorted(splits))})")
    label_names = sorted(list_split(splits["train"]))
    if not label_names:
        raise UserError(f"no images in {splits['train']} (expected {splits['train']}/<class>/<image>)")
    if len(label_names) < 2:
        raise UserError(f"{splits['train']} needs at least 2 class folders with images, found {label_names}")
    return label_names, {name: split_sources(path, label_names, require_all=True) for name, path in splits.items()}


def decode_planned(plan: dict[str, list], args: TrainArgs, min_side: int) -> dict[str, SplitData]:
    limits = {"train": args.max_train_samples}
    return {
        name: decode_images(take_subset(sources, limits.get(name, args.max_eval_samples), args.seed), min_side)
        for name, sources in plan.items()
    }


# ---------------------------------------------------------------- Hub dataset


def hub_columns(features: Any) -> tuple[str, str]:
    """The image column and the ClassLabel column of a Hub dataset."""
    from datasets import ClassLabel
    from datasets import Image as ImageFeature

    image = next((name for name, f in features.items() if isinstance(f, ImageFeature)), None)
    label = next((name for name, f in features.items() if isinstance(f, ClassLabel)), None)
    if image is None or label is None:
        raise UserError(f"the dataset needs an Image column and a ClassLabel column, it has {list(features)}")
    return image, label


def load_hub(dataset_id: str, args: TrainArgs, min_side: int) -> TaskData:
    import datasets

    try:
        dataset = datasets.load_dataset(dataset_id)
    except Exception as error:  # offline, unknown id, bad files: many exception types, one line for the user
        raise UserError(f"cannot load dataset {dataset_id!r}: {first_line(error)}") from None
    image_column, label_column = hub_columns(dataset["train"].features if "train" in dataset else {})
    label_names = list(dataset["train"].features[label_column].names)
    loaded = {}
    for split_name, split in dataset.items():
        split = split.cast_column(image_column, datasets.Image(decode=False))  # we decode (and skip) ourselves
        limit = args.max_train_samples if split_name == "train" else args.max_eval_samples
        rows = take_subset(range(len(split)), limit, args.seed)
        sources = []
        for index in rows:
            item = split[index]
            encoded = item[image_column] or {}
            data = io.BytesIO(encoded["bytes"]) if encoded.get("bytes") else encoded.get("path")
            sources.append((data, item[label_column], f"{split_name}[{index}]"))
        loaded[canonical_split(split_name)] = decode_images(sources, min_side)
    return TaskData(loaded, label_names, dataset_id)


# ---------------------------------------------------------------- model, encode, collate


def inference_batch_size() -> int | None:
    return None if torch.cuda.is_available() else CPU_INFERENCE_BATCH


def random_resized_crop(image: Image.Image, rng: random.Random, min_scale: float) -> Image.Image:
    """A crop of min_scale-100 % of the area with aspect 3:4..4:3, like torchvision's, in plain PIL."""
    width, height = image.size
    for _ in range(10):
        area = width * height * rng.uniform(min_scale, 1.0)
        ratio = math.exp(rng.uniform(math.log(CROP_RATIO[0]), math.log(CROP_RATIO[1])))
        crop_w, crop_h = round(math.sqrt(area * ratio)), round(math.sqrt(area / ratio))
        if 0 < crop_w <= width and 0 < crop_h <= height:
            left, top = rng.randint(0, width - crop_w), rng.randint(0, height - crop_h)
            return image.crop((left, top, left + crop_w, top + crop_h))
    return image


def random_rotation(image: Image.Image, rng: random.Random, degrees: float) -> Image.Image:
    """Rotated by up to `degrees` either way, then cropped to the largest upright centred box that has no
    empty corners (same aspect ratio)."""
    angle = rng.uniform(-degrees, degrees)
    width, height = image.size
    cos, sin = math.cos(math.radians(abs(angle))), math.sin(math.radians(abs(angle)))
    scale = min(width / (width * cos + height * sin), height / (width * sin + height * cos))
    rotated = image.rotate(angle, resample=Image.Resampling.BILINEAR)
    keep_w, keep_h = width * scale, height * scale
    left, top = (width - keep_w) / 2, (height - keep_h) / 2
    return rotated.crop((round(left), round(top), round(left + keep_w), round(top + keep_h)))


def colour_jitter(image: Image.Image, rng: random.Random, strength: float) -> Image.Image:
    for enhancer in (ImageEnhance.Brightness, ImageEnhance.Contrast, ImageEnhance.Color):
        image = enhancer(image).enhance(rng.uniform(1 - strength, 1 + strength))
    return image


def augment(image: Image.Image, rng: random.Random, args: ImageDataArgs) -> Image.Image:
    """The --augment operations, in a fixed order: crop, flips and quarter turn, rotation, colour."""
    chosen = augmentations(args.augment)
    if "crop" in chosen:
        image = random_resized_crop(image, rng, args.crop_min_scale)
    for name in ("hflip", "vflip", "rot90"):
        if name in chosen and rng.random() < 0.5:
            image = VIEWS[name](image)
    if "rotate" in chosen and args.rotate_degrees:
        image = random_rotation(image, rng, args.rotate_degrees)
    if "color" in chosen and args.color_jitter:
        image = colour_jitter(image, rng, args.color_jitter)
    return image


def make_encode(processor: Any, args: ImageDataArgs | None = None):
    """encode(image, train) -> {"pixel_values": tensor[C, H, W]} with the (geometry-set) processor;
    train=True augments as `args` says (never, without args)."""

    def encode(image: Image.Image, train: bool) -> dict[str, Any]:
        if train and args is not None:
            image = augment(image, random, args)  # Trainer seeds `random` (set_seed)
        return {"pixel_values": processor(images=image, return_tensors="pt")["pixel_values"][0]}

    return encode


def set_geometry(processor: Any, image_size: int | None, resize_mode: str) -> dict[str, Any]:
    """Write the input geometry into the processor (saved with the checkpoint, loaded by the app's pipeline)
    and return it for metrics.json. whole: resize the whole image to a square, no crop. crop: the
    processor's own resize + centre crop, scaled to `image_size` when given."""
    side = image_size or processor_side(processor)
    crops = bool(getattr(processor, "do_center_crop", False))
    if resize_mode == "whole" or (image_size and not crops):
        processor.size = {"height": side, "width": side}
        if crops:
            processor.do_center_crop = False
    elif image_size:
        resize = size_fields(processor.size).get("shortest_edge") or side
        ratio = resize / processor_side(processor)
        processor.size = {"shortest_edge": round(side * ratio)}
        processor.crop_size = {"height": side, "width": side}
    return {"image_size": side, "resize_mode": resize_mode if crops else "whole"}


def tta_views(tta: str) -> tuple:
    return tuple(VIEWS[name] for name in TTA_VIEWS[tta])


def build_task(train_args: TrainArgs, data_args: ImageDataArgs, model_args: ImageModelArgs) -> TrainingTask:
    from transformers import (
        AutoImageProcessor,
        AutoModelForImageClassification,
        default_data_collator,
        set_seed,
    )

    set_seed(train_args.seed)
    ref = check_model_ref(model_args.base_model)
    data_dir = Path(data_args.data_dir).expanduser() if data_args.data_dir else None
    label_names, plan = plan_folder(data_dir) if data_dir else (None, None)  # bad folders fail fast
    processor = load_pretrained(AutoImageProcessor, ref)
    geometry = set_geometry(processor, data_args.image_size, data_args.resize_mode)
    if data_dir:
        data = TaskData(decode_planned(plan, train_args, processor_side(processor)), label_names, str(data_dir))
    else:
        data = load_hub(data_args.dataset, train_args, processor_side(processor))

    def fresh_model():
        return load_pretrained(
            AutoModelForImageClassification, ref, ignore_mismatched_sizes=True, use_safetensors=True,
            **label_maps(data.label_names),
        )

    model = fresh_model()
    setattr(model.config, TTA_CONFIG_KEY, list(TTA_VIEWS[data_args.tta]))
    return TrainingTask(
        task=TASK, data=data, model=model, processor=processor, encode=make_encode(processor, data_args),
        collate=default_data_collator, base_model=model_args.base_model,
        inference_batch_size=inference_batch_size(), fresh_model=fresh_model, tta_views=tta_views(data_args.tta),
        feature_views=tuple(VIEWS[name] for name in VIEWS if name in augmentations(data_args.augment)),
        inference={**geometry, "tta": data_args.tta},
    )


def evaluation_task(checkpoint: Path, data_dir: Path, split: str, max_examples: int | None, seed: int) -> TrainingTask:
    """A checkpoint and one split of a local image folder, labelled with the checkpoint's own labels."""
    from transformers import AutoImageProcessor, AutoModelForImageClassification, default_data_collator

    processor = load_pretrained(AutoImageProcessor, str(checkpoint))
    model = load_pretrained(AutoModelForImageClassification, str(checkpoint), use_safetensors=True)
    label_names = [model.config.id2label[i] for i in range(model.config.num_labels)]
    splits = find_splits(data_dir)
    if canonical_split(split) not in splits:
        raise UserError(f"{data_dir} has no '{split}' split (found: {', '.join(sorted(splits))})")
    sources = split_sources(splits[canonical_split(split)], label_names, require_all=False)
    loaded = decode_images(take_subset(sources, max_examples, seed), processor_side(processor))
    data = TaskData({canonical_split(split): loaded}, label_names, str(data_dir))
    views = tuple(VIEWS[name] for name in getattr(model.config, TTA_CONFIG_KEY, None) or () if name in VIEWS)
    return TrainingTask(TASK, data, model, processor, make_encode(processor), default_data_collator, str(checkpoint),
                        inference_batch_size=inference_batch_size(), tta_views=views)


def main(argv: list[str]) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    train_args, data_args, model_args = parse_args(
        (TrainArgs, ImageDataArgs, ImageModelArgs), argv, prog="python -m training image"
    )
    task = build_task(train_args, data_args, model_args)
    run_training(task, train_args, args_dict(train_args, data_args, model_args))
    return 0
