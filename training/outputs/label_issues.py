"""Fix the data, not only the model: suspect labels, top losses and the confusion-matrix drill-down.

Pure functions over class probabilities (numpy arrays, one row per example), integer labels and one
*item* per example: a dict saying what the example is, {"path": ...} for an image file or
{"row": n, "text": ...} for a row of a text table. Nothing here trains or loads a model.

- `label_issues`: the examples whose given label is probably wrong, most suspect first, ranked by
  cleanlab (confident learning) from *out-of-fold* probabilities (k-fold: each example scored by a
  model that never saw it; in-sample probabilities would just repeat the labels back).
- `top_losses`: the examples of an evaluation split the model gets most wrong (cross-entropy).
- `confusion_cell`: the examples behind one cell (true, predicted) of the confusion matrix.

The JSON written into a checkpoint (LABEL_ISSUES_FILE, TOP_LOSSES_FILE) is built from these lists.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from contract.checkpoint import EVAL_SPLIT, LABEL_ISSUES_FILE

MAX_TEXT_CHARS = 300  # a text item is cut to this in the JSON files and tables (a row may be megabytes)
SUMMARY_TOP = 5  # entries of label_issues.json repeated in metrics.json and the model card
ROUND = 4


def text_item(row: int, text: Any, split: str | None = None) -> dict[str, Any]:
    """The item of a text example: its split, its row number (1-based, among the split file's data rows)
    and its text (a pair joined by ' || '), cut."""
    joined = " || ".join(text) if isinstance(text, tuple | list) else str(text)
    cut = joined if len(joined) <= MAX_TEXT_CHARS else joined[:MAX_TEXT_CHARS - 1] + "…"
    return {**({"split": split} if split else {}), "row": int(row), "text": cut}


def checked(probabilities: Any, labels: Sequence[int], items: Sequence[dict]) -> tuple[np.ndarray, np.ndarray]:
    probabilities = np.asarray(probabilities, dtype=np.float64)
    labels = np.asarray(labels, dtype=np.int64)
    if probabilities.ndim != 2 or len(probabilities) != len(labels) or len(labels) != len(items):
        raise ValueError(f"{probabilities.shape} probabilities, {len(labels)} labels and {len(items)} items "
                         "must describe the same examples")
    if len(labels) and (labels.min() < 0 or labels.max() >= probabilities.shape[1]):
        raise ValueError("a label is outside the probabilities' classes")
    return probabilities, labels


def entry(item: dict, given: int, suggested: int, score: float, label_names: Sequence[str], **more: Any) -> dict:
    return {**item, "given": label_names[given], "suggested": label_names[suggested],
            "score": round(float(score), ROUND), **more}


def flagged_indices(probabilities: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """The examples cleanlab flags, most suspect first (lowest self-confidence: the probability the model
    gives the label the example has): confident learning's estimate (prune_by_noise_rate) together with
    every example whose most probable class is not its label. Confident learning alone counts a wrong
    label that the model contradicts with less than its usual confidence for that class as clean; the
    union keeps those, and the ranking still puts the clearest contradictions first. With too few
    examples for confident learning (a class with under 2 examples) only the second part is used."""
    from cleanlab.filter import find_label_issues

    contradicted = probabilities.argmax(axis=1) != labels
    counts = np.bincount(labels, minlength=probabilities.shape[1])
    if len(labels) >= 2 * probabilities.shape[1] and counts.min() >= 2:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # cleanlab warns on small or very clean data sets
            contradicted |= find_label_issues(labels, probabilities, n_jobs=1)
    flagged = np.flatnonzero(contradicted)
    return flagged[np.argsort(probabilities[flagged, labels[flagged]], kind="stable")]


def label_issues(probabilities: Any, labels: Sequence[int], items: Sequence[dict],
                 label_names: Sequence[str]) -> list[dict[str, Any]]:
    """[{**item, "given", "suggested", "score", "suggested_probability"}], most suspect first.

    `score` is cleanlab's label quality (self-confidence, 0..1): the out-of-fold probability of the
    given label; the lower, the more likely the label is wrong. `suggested` is the most probable class.
    """
    probabilities, labels = checked(probabilities, labels, items)
    if not len(labels):
        return []
    suggested = probabilities.argmax(axis=1)
    return [entry(items[i], labels[i], suggested[i], probabilities[i, labels[i]], label_names,
                  suggested_probability=round(float(probabilities[i, suggested[i]]), ROUND))
            for i in flagged_indices(probabilities, labels)]


def losses(probabilities: np.ndarray, labels: np.ndarray) -> np.ndarray:
    return -np.log(np.clip(probabilities[np.arange(len(labels)), labels], 1e-12, None))


def top_losses(probabilities: Any, labels: Sequence[int], items: Sequence[dict], label_names: Sequence[str],
               limit: int | None = None) -> list[dict[str, Any]]:
    """Every example (or the first `limit`) by loss, highest first:
    [{**item, "given", "predicted", "probability" (of predicted), "given_probability", "loss"}]."""
    probabilities, labels = checked(probabilities, labels, items)
    predicted = probabilities.argmax(axis=1)
    found = losses(probabilities, labels)
    order = np.argsort(-found, kind="stable")[:limit]
    return [{**items[i], "given": label_names[labels[i]], "predicted": label_names[predicted[i]],
             "probability": round(float(probabilities[i, predicted[i]]), ROUND),
             "given_probability": round(float(probabilities[i, labels[i]]), ROUND),
             "loss": round(float(found[i]), ROUND)} for i in order]


def losses_record(probabilities: Any, labels: Sequence[int], items: Sequence[dict], label_names: Sequence[str],
                  split: str = EVAL_SPLIT) -> dict[str, Any]:
    """What TOP_LOSSES_FILE holds: every example of the evaluation split, highest loss first."""
    return {"split": split, "label_names": list(label_names),
            "examples": top_losses(probabilities, labels, items, label_names)}


def confusion_cell(examples: Sequence[dict], true: str, predicted: str) -> list[dict[str, Any]]:
    """The examples of a top_losses list in cell (true, predicted) of the confusion matrix, the most
    confident answers first (on the diagonal: the clearest right answers; off it: the worst mistakes)."""
    inside = [e for e in examples if e["given"] == true and e["predicted"] == predicted]
    return sorted(inside, key=lambda e: -e["probability"])


def confusion_counts(examples: Sequence[dict], label_names: Sequence[str]) -> list[list[int]]:
    """The confusion matrix (rows = true, columns = predicted) of a top_losses list."""
    index = {name: i for i, name in enumerate(label_names)}
    matrix = [[0] * len(label_names) for _ in label_names]
    for example in examples:
        matrix[index[example["given"]]][index[example["predicted"]]] += 1
    return matrix


def summary(issues: Sequence[dict], examples: int) -> dict[str, Any]:
    """What metrics.json and the model card say: how many suspect labels, the first few."""
    return {"count": len(issues), "examples": examples, "file": LABEL_ISSUES_FILE,
            "top": [dict(issue) for issue in issues[:SUMMARY_TOP]]}


def write_json(path: Path, value: Any) -> Path:
    path.write_text(json.dumps(value, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def describe(item: dict) -> str:
    """One cell for a table: the file name of an image, the row and text of a text example."""
    if "path" in item:
        return str(item["path"])
    text = item.get("text", "")
    return f"{item.get('split', 'row')} {item.get('row')}: {text[:80]}"


def table(rows: Sequence[dict], columns: Sequence[str], limit: int) -> str:
    """A plain Markdown table of the first `limit` rows: the item, then `columns`."""
    lines = ["| # | example | " + " | ".join(columns) + " |", "|---" * (len(columns) + 2) + "|"]
    for number, row in enumerate(rows[:limit], 1):
        cells = [describe(row).replace("|", "\\|"), *(str(row.get(c, "")).replace("|", "\\|") for c in columns)]
        lines.append(f"| {number} | " + " | ".join(cells) + " |")
    return "\n".join(lines)
