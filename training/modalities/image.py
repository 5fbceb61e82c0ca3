"""The image adapter: a base model, its processor and an image data set (a local folder or a Hub dataset)
made into a TrainingTask (training/flow/data.py).

The processor does resizing and normalisation with the geometry of `--image-size` / `--resize-mode`
(image_geometry.py); `encode` augments training images (image_augment.py). `--tta` averages the
probabilities of mirrored views at evaluation and records them in config.json
(contract.checkpoint.TTA_CONFIG_KEY) for the app; `evaluation_task` reads them back from there.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import torch
from PIL import Image

from contract.checkpoint import (
    IMAGE_CLASSIFICATION,
    TTA_CONFIG_KEY,
    TTA_VIEWS,
    canonical_split,
    config_label_names,
)
from contract.images import VIEWS, config_views, processor_side
from training.errors import UserError
from training.flow.args import TrainArgs
from training.flow.data import TaskData, TrainingTask, label_maps, take_subset
from training.flow.pretrained import check_model_ref, load_pretrained
from training.modalities.image_args import ImageDataArgs, ImageModelArgs, augmentations
from training.modalities.image_augment import augment
from training.modalities.image_decode import decode_images
from training.modalities.image_folders import decode_planned, find_splits, plan_folder, split_sources
from training.modalities.image_geometry import set_geometry
from training.modalities.image_hub import load_hub

TASK = IMAGE_CLASSIFICATION
# On a CPU, small no-grad batches keep the conv activations in cache (measured: docs/RESULTS.md, serving
# settings). On a GPU the usual --eval_batch_size is used.
CPU_INFERENCE_BATCH = 4


def inference_batch_size() -> int | None:
    return None if torch.cuda.is_available() else CPU_INFERENCE_BATCH


def make_encode(processor: Any, args: ImageDataArgs | None = None):
    """encode(image, train) -> {"pixel_values": tensor[C, H, W]} with the (geometry-set) processor;
    train=True augments as `args` says (never, without args)."""

    def encode(image: Image.Image, train: bool) -> dict[str, Any]:
        if train and args is not None:
            image = augment(image, random, args)  # Trainer seeds `random` (set_seed)
        return {"pixel_values": processor(images=image, return_tensors="pt")["pixel_values"][0]}

    return encode


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
    setattr(model.config, TTA_CONFIG_KEY, list(TTA_VIEWS[data_args.tta]))  # saved: the app averages them too
    return TrainingTask(
        task=TASK, data=data, model=model, processor=processor, encode=make_encode(processor, data_args),
        collate=default_data_collator, base_model=model_args.base_model,
        inference_batch_size=inference_batch_size(), fresh_model=fresh_model, tta_views=config_views(model.config),
        feature_views=tuple(VIEWS[name] for name in VIEWS if name in augmentations(data_args.augment)),
        inference={**geometry, "tta": data_args.tta},
    )


def evaluation_task(checkpoint: Path, data_dir: Path, split: str, max_examples: int | None, seed: int) -> TrainingTask:
    """A checkpoint and one split of a local image folder, labelled with the checkpoint's own labels."""
    from transformers import AutoImageProcessor, AutoModelForImageClassification, default_data_collator

    processor = load_pretrained(AutoImageProcessor, str(checkpoint))
    model = load_pretrained(AutoModelForImageClassification, str(checkpoint), use_safetensors=True)
    label_names = config_label_names(model.config)
    splits = find_splits(data_dir)
    if canonical_split(split) not in splits:
        raise UserError(f"{data_dir} has no '{split}' split (found: {', '.join(sorted(splits))})")
    sources = split_sources(splits[canonical_split(split)], label_names, require_all=False)
    loaded = decode_images(take_subset(sources, max_examples, seed), processor_side(processor))
    data = TaskData({canonical_split(split): loaded}, label_names, str(data_dir))
    return TrainingTask(TASK, data, model, processor, make_encode(processor), default_data_collator, str(checkpoint),
                        inference_batch_size=inference_batch_size(), tta_views=config_views(model.config))

