"""Look at a data set before training on it, as the course does: splits, labels, counts, samples, problems.

Pure functions, no Gradio. Image data is a folder of `<split>/<class>/<image>` or `<class>/<image>`
(everything is then train); text data is one CSV/TSV/JSON-lines file. A missing validation split is
carved from train (a fixed 20 % of each class, seed 42) and the report says so. `stage_*` writes what
`python -m training` reads into the job's own folder: symlinks to the checked images, or the rows as
JSON lines; nothing is written anywhere else.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image

from contract.checkpoint import DATA_SPLITS, canonical_split
from contract.image_folders import IMAGE_SUFFIXES, is_clutter, split_folders, visible_dirs
from contract.images import ImageInputError, check_size
from contract.tables import TABLE_SUFFIXES, TEXT_COLUMN_NAMES, Table, TableError
from contract.tables import read_table as read_contract_table
from studio.train.zip_intake import DataError

VALIDATION_FRACTION, CARVE_SEED = 0.2, 42
# Label column names in English and in Spanish (a Spanish spreadsheet says etiqueta); text: TEXT_COLUMN_NAMES.
LABEL_GUESSES = ("label", "labels", "sentiment", "class", "category", "target", "etiqueta", "etiquetas",
                 "sentimiento", "clase", "categoría")
SAMPLES_PER_CLASS = 4
SKIPPED_KEYS = {"not_image": "train.data.skipped_not_image", "too_large": "train.data.skipped_too_large",
                "corrupt": "train.data.skipped_corrupt"}  # why an image was left out (image_problem)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data: a string key (studio/train/strings.py), its fields, and whether it stops training."""

    key: str
    fields: dict[str, Any] = field(default_factory=dict)
    blocking: bool = False


@dataclass
class DataReport:
    """What was found: {split: {label: examples}} (image paths or text rows), label names, problems."""

    kind: str                                  # "image" | "text"
    splits: dict[str, dict[str, list[Any]]]
    problems: list[Problem] = field(default_factory=list)
    carved: bool = False
    columns: list[str] = field(default_factory=list)   # text: the file's columns
    text_column: str = ""
    label_column: str = ""
    sizes_shown: dict[str, int] = field(default_factory=dict)  # a Hub dataset: split sizes from its card

    @property
    def label_names(self) -> list[str]:
        return sorted(self.splits.get("train", {}))

    @property
    def ok(self) -> bool:
        return not any(problem.blocking for problem in self.problems)

    def sizes(self) -> dict[str, int]:
        if self.sizes_shown:
            return dict(self.sizes_shown)
        return {split: sum(map(len, classes.values())) for split, classes in self.splits.items()}

    def counts(self) -> list[tuple[str, str, int]]:
        """(split, label, examples) for every split and label: the bar plot's rows."""
        return [(split, label, len(items)) for split, classes in self.splits.items()
                for label, items in sorted(classes.items())]

    def samples(self, per_class: int = SAMPLES_PER_CLASS) -> list[tuple[str, Any]]:
        """(label, example) for the first few training examples of each class."""
        return [(label, item) for label, items in sorted(self.splits.get("train", {}).items())
                for item in items[:per_class]]


# ---------------------------------------------------------------- checks shared by both kinds


def check_classes(report: DataReport) -> None:
    """Blocking problems: no training examples, one class, a class without validation examples."""
    train = report.splits.get("train", {})
    if not train:
        report.problems.append(Problem("train.data.empty", blocking=True))
    elif len(train) < 2:
        report.problems.append(Problem("train.data.one_class", {"label": next(iter(train))}, blocking=True))
    validation = report.splits.get("validation", {})
    missing = sorted(set(train) - set(validation))
    if validation and missing:
        report.problems.append(Problem("train.data.class_missing", {"split": "validation", "labels": ", ".join(missing)},
                                       blocking=True))
    unknown = sorted(label for split, classes in report.splits.items() if split != "train"
                     for label in classes if label not in train)
    if unknown:
        report.problems.append(Problem("train.data.unknown_labels", {"labels": ", ".join(sorted(set(unknown)))},
                                       blocking=True))


def carve_validation(report: DataReport, fraction: float = VALIDATION_FRACTION, seed: int = CARVE_SEED) -> None:
    """No validation split: move a fixed share of each training class into one (at least 1 per class)."""
    if "validation" in report.splits or not report.splits.get("train"):
        return
    rng = random.Random(seed)
    train, validation = {}, {}
    for label, items in sorted(report.splits["train"].items()):
        order = list(items)
        rng.shuffle(order)
        take = max(1, round(len(order) * fraction)) if len(order) >= 2 else 0
        train[label], validation[label] = order[take:], order[:take]
        if not take:
            report.problems.append(Problem("train.data.too_few", {"label": label, "count": len(order)}, blocking=True))
    report.splits["train"] = train
    report.splits["validation"] = {label: items for label, items in validation.items() if items}
    report.carved = True
    report.problems.append(Problem("train.data.carved", {"percent": round(fraction * 100), "seed": seed}))


# ---------------------------------------------------------------- image folders


def unwrap(root: Path) -> Path:
    """A zip often holds one folder around everything: look inside it."""
    while True:
        entries = [p for p in root.iterdir() if not is_clutter(p.name)]
        if len(entries) == 1 and entries[0].is_dir() and canonical_split(entries[0].name) not in DATA_SPLITS:
            root = entries[0]
        else:
            return root


def image_problem(path: Path, max_pixels: int) -> str | None:
    """Why an image file cannot be used ("not_image", "too_large", "corrupt"), from its header only."""
    if path.suffix.lower() not in IMAGE_SUFFIXES:
        return "not_image"
    try:
        with Image.open(path) as image:
            check_size(image.size, max_pixels)
            image.verify()
    except ImageInputError:
        return "too_large"
    except Image.DecompressionBombError:
        return "too_large"
    except Exception:  # PIL raises many types for a broken file: all mean "cannot use it"
        return "corrupt"
    return None


def class_files(class_dir: Path, max_pixels: int, bad: dict[str, list[str]]) -> list[Path]:
    """The usable images of one class folder; the others are recorded in `bad` by reason."""
    usable = []
    for path in sorted(p for p in class_dir.rglob("*") if p.is_file() and not is_clutter(p.name)):
        reason = image_problem(path, max_pixels)
        if reason:
            bad.setdefault(reason, []).append(f"{class_dir.name}/{path.name}")
        else:
            usable.append(path)
    return usable


def inspect_image_folder(root: Path, max_pixels: int) -> DataReport:
    """Splits, classes and usable images of `root`; problems found; validation carved when missing."""
    root = unwrap(Path(root))
    top = visible_dirs(root)
    split_dirs = split_folders(root)
    layout = split_dirs or ({"train": root} if top else {})
    report = DataReport("image", {})
    bad: dict[str, list[str]] = {}
    for split, folder in layout.items():
        classes = {}
        for class_dir in visible_dirs(folder):
            files = class_files(class_dir, max_pixels, bad)
            if files:
                classes[class_dir.name] = files
            else:
                report.problems.append(Problem("train.data.empty_class", {"split": split, "label": class_dir.name}))
        report.splits[split] = classes
    if split_dirs and "train" not in split_dirs:
        report.problems.append(Problem("train.data.no_train", {"found": ", ".join(sorted(split_dirs))}, blocking=True))
    for reason, names in sorted(bad.items()):
        report.problems.append(Problem(SKIPPED_KEYS[reason], {"count": len(names),
                                                                          "names": ", ".join(names[:5])}))
    carve_validation(report)
    check_classes(report)
    return report


def stage_image_data(report: DataReport, target: Path) -> Path:
    """`target/<split>/<class>/<file>` as symlinks to the checked images: what `--data-dir` reads."""
    for split, classes in report.splits.items():
        for label, files in classes.items():
            folder = Path(target) / split / label
            folder.mkdir(parents=True, exist_ok=True)
            for index, path in enumerate(files):
                (folder / f"{index:05d}{Path(path).suffix.lower()}").symlink_to(Path(path).resolve())
    return Path(target)


# ---------------------------------------------------------------- text files


def read_text_table(path: Path) -> Table:
    """Rows and columns of a CSV/TSV (header row; `;`, tab, `,` or `|` sniffed, a BOM dropped, Windows-1252
    read when not UTF-8) or JSON-lines / JSON-array file: contract.tables.read_table, in the tab's words."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise DataError("train.text.format", suffix=suffix or "?")
    try:
        table = read_contract_table(path, strict=True, sniff=True, windows_1252=True)
    except TableError as error:
        if error.key in ("table.encoding", "table.binary"):
            raise DataError("train.text.encoding") from None
        if error.key in ("table.empty", "table.header"):
            raise DataError("train.text.empty") from None
        raise DataError("train.text.unreadable", error=str(error.fields.get("error") or error.key)[:120]) from None
    if not table.columns or not table.rows:
        raise DataError("train.text.empty")
    return table


def guess_columns(columns: list[str]) -> tuple[str, str]:
    """The likely text and label columns (by name; else the first and the last column)."""
    lowered = {column.lower(): column for column in columns}
    text = next((lowered[name] for name in TEXT_COLUMN_NAMES if name in lowered), columns[0])
    label = next((lowered[name] for name in LABEL_GUESSES if name in lowered), columns[-1])
    return text, label


def cell(value: Any) -> str:
    return "" if value is None else str(value).strip()


def inspect_text_rows(rows: list[dict[str, Any]], columns: list[str], text_column: str, label_column: str) -> DataReport:
    """Rows grouped by label (train only: validation is carved), empty ones counted; problems found."""
    report = DataReport("text", {}, columns=columns, text_column=text_column, label_column=label_column)
    missing = [column for column in (text_column, label_column) if column not in columns]
    if missing:
        report.problems.append(Problem("train.text.no_column", {"columns": ", ".join(missing),
                                                                 "found": ", ".join(columns)}, blocking=True))
        return report
    by_label: dict[str, list[dict[str, Any]]] = {}
    empty = 0
    for row in rows:
        text, label = cell(row.get(text_column)), cell(row.get(label_column))
        if not text or not label or label == "-1":
            empty += 1
            continue
        by_label.setdefault(label, []).append({text_column: text, label_column: label})
    report.splits["train"] = by_label
    if empty:
        report.problems.append(Problem("train.text.skipped_rows", {"count": empty}))
    carve_validation(report)
    check_classes(report)
    return report


def inspect_text_file(path: Path, text_column: str = "", label_column: str = "") -> DataReport:
    table = read_text_table(path)
    guessed = guess_columns(table.columns)
    report = inspect_text_rows(table.rows, table.columns, text_column or guessed[0], label_column or guessed[1])
    if table.encoding == "cp1252":  # read, and said, so a wrong guess (garbled accents) is noticed
        report.problems.append(Problem("train.text.windows_1252", {}))
    return report


def stage_text_data(report: DataReport, target: Path) -> Path:
    """`target/<split>.jsonl`, one row per example: what `--data-dir` of `python -m training text` reads."""
    Path(target).mkdir(parents=True, exist_ok=True)
    for split, classes in report.splits.items():
        rows = [row for items in classes.values() for row in items]
        random.Random(CARVE_SEED).shuffle(rows)
        with (Path(target) / f"{split}.jsonl").open("w", encoding="utf-8") as handle:
            handle.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    return Path(target)

