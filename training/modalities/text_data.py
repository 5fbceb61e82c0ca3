"""Text data sets for `python -m training text`: local files or a Hub dataset -> TaskData.

Local files in `--data-dir` are named after their split (train / validation|dev / test, as .csv, .tsv,
.json or .jsonl) and read through contract.tables.read_table. One text column, or two for sentence pairs
(`--text-pair-column`), and a label column of ints or strings, numbered into class ids. Rows with an empty
text, no label (empty or -1, as in GLUE test splits) or bytes that are not UTF-8 are skipped and counted.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from contract.checkpoint import DATA_SPLITS, canonical_split
from contract.errors import first_line
from contract.hub_ids import is_hub_id
from contract.tables import TableError, read_table
from training.errors import UserError
from training.flow.data import SplitData, TaskData, take_subset
from training.modalities.text_args import TextDataArgs
from training.outputs.label_issues import text_item

log = logging.getLogger("training")
DATA_SUFFIXES = (".csv", ".tsv", ".json", ".jsonl")
INT_LABEL = re.compile(r"^-?\d+$")
UNLABELED = -1  # GLUE/Hub test splits mark hidden labels as -1
# contract.tables.TableError keys, as the CLI says them (the app has its own strings).
TABLE_MESSAGES = {
    "table.binary": "{file} is a binary file, not a CSV/TSV/JSON text table",
    "table.header": "{file} is not a UTF-8 text table: its header row is unreadable",
    "table.empty": "{path} is empty (expected a header row)",
    "table.json": "{path} is not valid JSON: {error}",
    "table.field_too_long": "{file} line {line}: {error}",
    "table.parse": "{file} line {line}: {error}",
    "table.format": "{file}: not a .csv, .tsv, .json or .jsonl file",
}


@dataclass(frozen=True)
class EvalLimits:
    """The subset arguments load_text_data reads, for an evaluation run."""

    max_train_samples: int | None
    max_eval_samples: int | None
    seed: int

# ---------------------------------------------------------------- reading rows


def read_rows(path: Path) -> tuple[list[dict[str, Any]], list[str], int]:
    """Rows of a CSV/TSV (header row) or JSON/JSON-lines file, its columns, and how many rows were
    unreadable (bytes that are not UTF-8, broken JSON lines)."""
    try:
        table = read_table(path)
    except TableError as error:
        raise UserError(TABLE_MESSAGES[error.key].format(path=path, **error.fields)) from None
    return table.rows, table.columns, table.unreadable


def find_files(data_dir: Path, need_train: bool = True) -> dict[str, Path]:
    """{split: file} from file names: train, validation|dev|val|valid|eval, test."""
    if not data_dir.is_dir():
        raise UserError(f"data folder not found: {data_dir}")
    found: dict[str, Path] = {}
    for path in sorted(data_dir.iterdir()):
        split = canonical_split(path.stem)
        if not path.is_file() or path.suffix.lower() not in DATA_SUFFIXES or split not in DATA_SPLITS:
            continue
        if split in found:
            raise UserError(f"two files for the '{split}' split in {data_dir}: {found[split].name}, {path.name}")
        found[split] = path
    if need_train and "train" not in found:
        raise UserError(f"{data_dir} has no train file (train.csv, train.tsv, train.json or train.jsonl)")
    return {split: found[split] for split in DATA_SPLITS if split in found}


def check_columns(columns: list[str], data: TextDataArgs, origin: str) -> None:
    wanted = {"--text-column": data.text_column, "--label-column": data.label_column}
    if data.text_pair_column:
        wanted["--text-pair-column"] = data.text_pair_column
    for flag, column in wanted.items():
        if column not in columns:
            raise UserError(f"{origin} has no column {column!r} (columns: {', '.join(map(str, columns))}); set {flag}")


def clean_label(value: Any) -> int | str | None:
    """An int label, a string label, or None for a missing one (empty, -1)."""
    if isinstance(value, bool) or value is None:
        return None if value is None else int(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return None if value == UNLABELED else value
    value = str(value).strip()
    if INT_LABEL.match(value):
        return None if int(value) == UNLABELED else int(value)
    return value or None


def stripped_or_none(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def rows_to_examples(rows: list[dict[str, Any]], data: TextDataArgs,
                     numbers: list[int] | None = None) -> tuple[list[Any], list[int | str], int]:
    """(texts or (text, pair) tuples, raw labels, rows skipped for an empty text or a missing label);
    `numbers`, when given, receives the 1-based number of each row kept."""
    examples, labels = [], []
    for number, row in enumerate(rows, 1):
        text, label = stripped_or_none(row.get(data.text_column)), clean_label(row.get(data.label_column))
        pair = stripped_or_none(row.get(data.text_pair_column)) if data.text_pair_column else None
        if text is None or label is None or (data.text_pair_column and pair is None):
            continue
        examples.append((text, pair) if data.text_pair_column else text)
        labels.append(label)
        if numbers is not None:
            numbers.append(number)
    return examples, labels, len(rows) - len(examples)


# ---------------------------------------------------------------- labels


def parse_label_names(value: str | None) -> list[str] | None:
    if value is None:
        return None
    names = [name.strip() for name in value.split(",")]
    if any(not name for name in names) or len(set(names)) != len(names):
        raise UserError(f"--label-names must be distinct, non-empty, comma-separated names: {value!r}")
    return names


def id_names(train_ids: list[int]) -> list[str]:
    """"0", "1", ... for int labels without names; they must be the ids 0..N-1, each used in train, or the
    model would get classes nobody meant (labels 1..8 would train a 9-class model with an empty class 0)."""
    found = sorted(set(train_ids))
    if len(found) < 2:  # no data or one class: check_labels / load_text_data say so
        return [str(i) for i in range(max(found, default=0) + 1)]
    if found != list(range(len(found))):
        shown = ", ".join(map(str, found[:6])) + (", ..." if len(found) > 6 else "")
        raise UserError(f"int labels must be the class ids 0..N-1, train has {shown}: "
                        "renumber them or name the classes with --label-names")
    return [str(i) for i in found]


def number_labels(
    raw: dict[str, list[int | str]], given_names: list[str] | None, known_names: list[str] | None = None
) -> tuple[list[str], dict[str, list[int]]]:
    """Label names and each split's labels as ids.

    Int labels are ids: named by --label-names, else the dataset's ClassLabel names, else "0", "1"...
    (then train must use exactly the ids 0..N-1). Ids and names mixed in one column are refused.
    String labels are names: ids follow --label-names, else the sorted names found in train.
    A label outside the names is an error, never a silently wrong model.
    """
    values = [value for labels in raw.values() for value in labels]
    numbers = [value for value in values if isinstance(value, int)]
    if numbers and len(numbers) < len(values):
        text = next(value for value in values if not isinstance(value, int))
        raise UserError(f"the labels mix ids and names ({numbers[0]} and {text!r}): use one or the other")
    if numbers:
        names = given_names or known_names or id_names(raw.get("train") or numbers)
        for split, labels in raw.items():
            bad = sorted({value for value in labels if not 0 <= value < len(names)})
            if bad:
                raise UserError(f"label {bad[0]} in {split} has no name: the labels are {names} (ids 0..{len(names) - 1})")
        return names, {split: list(labels) for split, labels in raw.items()}
    raw = {split: [str(value) for value in labels] for split, labels in raw.items()}
    names = given_names or sorted(set(raw.get("train", [])))
    index = {name: i for i, name in enumerate(names)}
    for split, labels in raw.items():
        unknown = sorted(set(labels) - set(index))
        if unknown:
            where = "--label-names" if given_names else "train"
            raise UserError(f"unknown label {unknown[0]!r} in {split}: not among the labels of {where} {names}")
    return names, {split: [index[value] for value in labels] for split, labels in raw.items()}


# ---------------------------------------------------------------- data sets


def load_local(data_dir: Path, data: TextDataArgs, only: str | None = None) -> dict[str, tuple[list[dict], int]]:
    """{split: (rows, unreadable rows)} for every split file in `data_dir` (or just `only`), columns checked."""
    files = find_files(data_dir, need_train=only is None)
    if only is not None:
        if only not in files:
            raise UserError(f"{data_dir} has no '{only}' file (found: {', '.join(sorted(files)) or 'none'})")
        files = {only: files[only]}
    loaded = {}
    for split, path in files.items():
        rows, columns, unreadable = read_rows(path)
        if unreadable:
            log.warning("skipped %d rows of %s that are not UTF-8 or not valid", unreadable, path.name)
        check_columns(columns, data, path.name)
        loaded[split] = (rows, unreadable)
    return loaded


def load_hub(data: TextDataArgs) -> tuple[dict[str, tuple[list[dict[str, Any]], int]], list[str] | None]:
    """{split: (rows, 0)} of a Hub dataset, and its ClassLabel names if the label column has them."""
    import datasets

    if not is_hub_id(data.dataset):
        raise UserError(f"not a Hub dataset id ('owner/name'): {data.dataset!r}; for local files use --data-dir")
    try:
        dataset = datasets.load_dataset(data.dataset, data.dataset_config)
    except Exception as error:  # offline, unknown id or config, bad files: one line for the user
        raise UserError(f"cannot load dataset {data.dataset!r}: {first_line(error)}") from None
    loaded, names = {}, None
    for split_name, split in dataset.items():
        check_columns(list(split.column_names), data, f"{data.dataset} [{split_name}]")
        feature = split.features[data.label_column]
        names = list(feature.names) if isinstance(feature, datasets.ClassLabel) else names
        columns = [c for c in (data.text_column, data.text_pair_column, data.label_column) if c]
        loaded[canonical_split(split_name)] = (split.select_columns(columns).to_list(), 0)
    return loaded, names


def characters(example: str | tuple[str, str]) -> int:
    return sum(map(len, example)) if isinstance(example, tuple) else len(example)


def load_text_data(
    limits: Any, data: TextDataArgs, given_names: list[str] | None = None, only: str | None = None
) -> TaskData:
    """Every split (or just `only`) as SplitData, ids numbered as in the returned label names, subsets
    drawn as `limits` (TrainArgs or EvalLimits) says."""
    if data.data_dir:
        source = str(Path(data.data_dir).expanduser())
        loaded, known = load_local(Path(source), data, only), None
    else:
        source = data.dataset  # a Hub id, as the model card links it (the config is in metrics' args)
        loaded, known = load_hub(data)
    examples, raw_labels, skipped, numbers = {}, {}, {}, {}
    for split, (rows, unreadable) in loaded.items():
        numbers[split] = []
        examples[split], raw_labels[split], empty = rows_to_examples(rows, data, numbers[split])
        if not examples[split] and split not in ("train", "validation") and rows:
            log.warning("split '%s' has no labelled rows: left out", split)
            del examples[split], raw_labels[split]
            continue
        skipped[split] = unreadable + empty
        if empty:
            log.warning("skipped %d rows of '%s' with an empty text or no label", empty, split)
    names, labels = number_labels(raw_labels, given_names or parse_label_names(data.label_names), known)
    classes = sorted(set(labels.get("train", [])))
    if len(classes) == 1:
        raise UserError(f"column {data.label_column!r} of train has one class only ({names[classes[0]]!r}): "
                        "a classifier needs at least 2")
    splits = {}
    for split in examples:
        limit = limits.max_train_samples if split == "train" else limits.max_eval_samples
        chosen = take_subset(range(len(labels[split])), limit, limits.seed)
        # Shortest first: batches of similar length need far less padding when features are cached
        # (`head`) and splits evaluated (docs/RESULTS.md); training order is the Trainer's own shuffle.
        chosen.sort(key=lambda i: characters(examples[split][i]))
        splits[split] = SplitData([examples[split][i] for i in chosen], [labels[split][i] for i in chosen],
                                  skipped[split],
                                  [text_item(numbers[split][i], examples[split][i], split) for i in chosen])
    return TaskData(splits, names, source)
