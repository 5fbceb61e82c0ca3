"""What an adapter hands the training flow: examples by split, their labels, the model and how to encode.

An adapter (training/modalities/: image.py, text.py) loads its data and model and builds a `TrainingTask`;
`training.flow.run.run_training(task, train_args, all_args)` does the rest. What an adapter provides:

    TaskData        splits of raw examples (whatever `encode` accepts: PIL images, sentences...) + int
                    labels, label names, skipped counts, where the data came from
    model           an AutoModelFor...Classification with id2label/label2id set for those labels
    processor       saved next to the model (image processor, tokenizer)
    encode(example, train) -> dict of model inputs for ONE example (train=True: augment)
    collate(list of encoded dicts, each with "labels") -> batch dict (stacking / dynamic padding)
    optional: inference_batch_size (no-grad passes), trainer_overrides (extra TrainingArguments for `full`),
              fresh_model() (a new copy of the pretrained model: needed by --eval-protocol kfold),
              tta_views (extra views of an example whose probabilities are averaged at evaluation)

For `python -m training evaluate`, an adapter module also provides
`evaluation_task(checkpoint, data_dir, split, max_examples, seed) -> TrainingTask` (one split).
Also here: subsets, the stratified `holdout` split (--holdout-fraction), label checks, and the dataset
Trainer reads (examples encoded on access).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch
from torch import nn

from contract.checkpoint import EVAL_SPLIT, HOLDOUT_SPLIT, TRAIN_SPLIT
from contract.errors import first_line
from training.errors import UserError


@dataclass
class SplitData:
    """One split: raw examples (adapter-specific), their integer labels, how many were skipped."""

    examples: Sequence[Any]
    labels: list[int]
    skipped: int = 0
    # What each example is, for label_issues.json / top_losses.json (training/outputs/label_issues.py): {"path"}
    # of an image file (relative to the data folder), {"split", "row", "text"} of a text row; may be empty.
    items: list[dict[str, Any]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.labels)


@dataclass(frozen=True)
class TaskData:
    """Every split found (must include train and validation), the label names, the data source."""

    splits: dict[str, SplitData]
    label_names: list[str]
    source: str

    def eval_splits(self) -> list[str]:
        """validation first, then every further split (test, ...), train excluded."""
        rest = sorted(name for name in self.splits if name not in (TRAIN_SPLIT, EVAL_SPLIT))
        return [EVAL_SPLIT, *rest]


@dataclass(frozen=True)
class TrainingTask:
    """What an adapter hands the flow, built once and read (see the module docstring); a new data split
    or model is a new task (`dataclasses.replace`)."""

    task: str                                   # "image-classification" | "text-classification"
    data: TaskData
    model: nn.Module
    processor: Any
    encode: Callable[[Any, bool], dict[str, Any]]
    collate: Callable[[list[dict[str, Any]]], dict[str, Any]]
    base_model: str
    inference_batch_size: int | None = None  # no-grad passes (head features, evaluate); default: --eval_batch_size
    trainer_overrides: Mapping[str, Any] = field(default_factory=dict)  # extra TrainingArguments for `full`
    fresh_model: Callable[[], nn.Module] | None = None  # a new pretrained model, for each k-fold run
    tta_views: tuple[Callable[[Any], Any], ...] = ()  # evaluation averages the example and these views of it
    feature_views: tuple[Callable[[Any], Any], ...] = ()  # cached strategies also train on these views of train
    inference: Mapping[str, Any] = field(default_factory=dict)  # how the app must preprocess (metrics.json)
    languages: tuple[str, ...] = ()  # text: the training texts' languages (metrics.json)
    decided: Mapping[str, Any] = field(default_factory=dict)  # arguments the adapter set from the data
                                                               # (text: --max-length 0 -> tokens), for metrics.json

    def view(self, index: int) -> Callable[[Any], Any] | None:
        """View 0 is the example itself; 1.. are tta_views."""
        return self.tta_views[index - 1] if index else None


def take_subset(items: Sequence[Any], limit: int | None, seed: int) -> list[Any]:
    """At most `limit` items, drawn with a fixed seed (all of them, in order, when limit is None)."""
    if limit is None or limit >= len(items):
        return list(items)
    order = np.random.default_rng(seed).permutation(len(items))[:limit]
    return [items[i] for i in sorted(order)]


def subset(split: SplitData, indices: Sequence[int], skipped: int = 0) -> SplitData:
    return SplitData([split.examples[i] for i in indices], [split.labels[i] for i in indices], skipped,
                     [split.items[i] for i in indices] if split.items else [])


def concatenated(*splits: SplitData) -> SplitData:
    items = [item for s in splits for item in s.items] if all(s.items for s in splits) else []
    return SplitData([e for s in splits for e in s.examples], [label for s in splits for label in s.labels],
                     items=items)


def stratified_split(split: SplitData, fraction: float, seed: int, flag: str) -> tuple[list[int], list[int]]:
    """(kept, carved) indices: `fraction` of `split` carved out with every class in proportion."""
    from sklearn.model_selection import train_test_split

    try:
        kept, carved = train_test_split(range(len(split)), test_size=fraction, stratify=split.labels,
                                        random_state=seed)
    except ValueError as error:  # too few examples of a class for this fraction
        raise UserError(f"{flag} {fraction}: cannot split {len(split)} examples by class ({first_line(error)})") from None
    return sorted(kept), sorted(carved)


def carve_holdout(data: TaskData, fraction: float, seed: int) -> TaskData:
    """A stratified `holdout` split carved out of train (never trained on, never selected on)."""
    train = data.splits[TRAIN_SPLIT]
    kept, carved = stratified_split(train, fraction, seed, "--holdout-fraction")
    splits = {**data.splits, TRAIN_SPLIT: subset(train, kept, train.skipped), HOLDOUT_SPLIT: subset(train, carved)}
    return TaskData(splits, data.label_names, data.source)


def label_maps(label_names: Sequence[str]) -> dict[str, dict]:
    """id2label/label2id kwargs for `from_pretrained` (ids are positions in label_names)."""
    return {
        "num_labels": len(label_names),
        "id2label": dict(enumerate(label_names)),
        "label2id": {name: i for i, name in enumerate(label_names)},
    }


def check_labels(data: TaskData) -> None:
    """Raise UserError unless train and validation exist, are non-empty and train has >= 2 classes."""
    for split in (TRAIN_SPLIT, EVAL_SPLIT):
        if split not in data.splits:
            raise UserError(f"the data set has no '{split}' split (found: {', '.join(sorted(data.splits)) or 'none'})")
        if len(data.splits[split]) == 0:
            raise UserError(f"the '{split}' split has no usable examples ({data.splits[split].skipped} skipped)")
    if len(data.label_names) < 2 or len(set(data.splits[TRAIN_SPLIT].labels)) < 2:
        raise UserError(f"a classifier needs at least 2 classes in train, found {sorted(set(data.label_names))}")


class EncodedDataset(torch.utils.data.Dataset):
    """Raw examples encoded on access (so train-time augmentation differs every epoch)."""

    def __init__(self, split: SplitData, encode: Callable[[Any, bool], dict], train: bool,
                 view: Callable[[Any], Any] | None = None):
        self.split, self.encode, self.train, self.view = split, encode, train, view

    def __len__(self) -> int:
        return len(self.split)

    def __getitem__(self, index: int) -> dict[str, Any]:
        example = self.split.examples[index]
        example = self.view(example) if self.view else example
        return {**self.encode(example, self.train), "labels": self.split.labels[index]}
