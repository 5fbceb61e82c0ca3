"""An image data set from the Hub (`--dataset`, default beans): its Image and ClassLabel columns, decoded
by us (training/modalities/image_decode.py), not by `datasets`."""

from __future__ import annotations

import io
from typing import Any

from contract.checkpoint import canonical_split
from contract.errors import first_line
from training.errors import UserError
from training.flow.args import TrainArgs
from training.flow.data import TaskData, take_subset
from training.modalities.image_decode import decode_images


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

