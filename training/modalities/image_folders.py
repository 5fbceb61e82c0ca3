"""A local image folder `<data-dir>/<split>/<class>/<file>` (the rules: contract/image_folders.py): its
splits, its classes and their files, checked before anything is decoded."""

from __future__ import annotations

from pathlib import Path

from contract.image_folders import split_folders, visible_dirs, visible_files
from training.errors import UserError
from training.flow.args import TrainArgs
from training.flow.data import SplitData, take_subset
from training.modalities.image_decode import decode_images


def list_split(split_dir: Path) -> dict[str, list[Path]]:
    """{class name: its files} for one split folder (hidden files ignored, empty classes dropped)."""
    classes = {}
    for class_dir in visible_dirs(split_dir):
        files = visible_files(class_dir)
        if files:
            classes[class_dir.name] = files
    return classes


def find_splits(data_dir: Path) -> dict[str, Path]:
    """{canonical split name: folder}; a missing folder is one clear error line."""
    if not data_dir.is_dir():
        raise UserError(f"data folder not found: {data_dir}")
    splits = split_folders(data_dir)
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

