"""Reviewing a run's data in the Train tab: its suspect labels, the examples behind a confusion-matrix
cell, and a new data folder with the visitor's decisions applied (for "retrain without the excluded /
with the relabelled"). No Gradio here.

A run trained with `--eval-protocol kfold` has label_issues.json (contract.checkpoint LABEL_ISSUES_FILE: items with
"path" relative to the data folder for images, "split" + "row" for texts) and top_losses.json (every
validation example with its prediction). A decision per suspect item: keep, relabel (to a label of the
run) or exclude. `revised_data` writes the run's data folder again with those decisions: image files
as symbolic links (nothing copied), text splits as JSON lines.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from contract.checkpoint import LABEL_ISSUES_FILE, TOP_LOSSES_FILE, load_metrics
from studio.errors import StudioError
from studio.train.jobstore import Job

DECISIONS = ("keep", "relabel", "exclude")
MAX_SHOWN = 60  # suspect items shown (and decided on) at most
TEXT_SUFFIX = ".jsonl"


class ReviewError(StudioError):
    """A review request that cannot be done (key "review.error.*")."""


@dataclass
class Review:
    """What the tab shows for one run."""

    run: str
    kind: str                                  # "image" | "text"
    label_names: list[str]
    data_dir: Path | None                      # the folder the run trained on, when it is still there
    issues: list[dict[str, Any]] | None        # None: the run had no k-fold
    examples: int                              # examples the k-fold scored
    losses: list[dict[str, Any]] = field(default_factory=list)  # validation examples, highest loss first


def read_json(path: Path, default: Any) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return default


def load_review(checkpoint: Path) -> Review:
    metrics = load_metrics(checkpoint)
    issues = read_json(checkpoint / LABEL_ISSUES_FILE, None)
    losses = read_json(checkpoint / TOP_LOSSES_FILE, {}).get("examples", [])
    dataset = metrics.get("dataset")
    data_dir = Path(dataset) if dataset and Path(dataset).is_dir() else None
    kind = "text" if metrics.get("task") == "text-classification" else "image"
    summary = metrics.get("label_issues") or {}
    return Review(checkpoint.name, kind, list(metrics.get("label_names") or []), data_dir,
                  issues[:MAX_SHOWN] if isinstance(issues, list) else None,
                  summary.get("examples") or (metrics.get("kfold") or {}).get("num_examples") or 0,
                  losses if isinstance(losses, list) else [])


def item_file(review: Review, item: dict[str, Any]) -> Path | None:
    """The image file of an item, when it is still inside the run's data folder."""
    if review.data_dir is None or "path" not in item:
        return None
    path = (review.data_dir / item["path"]).resolve(strict=False)
    root = review.data_dir.resolve()
    inside = path.is_relative_to(root) or (review.data_dir / item["path"]).is_symlink()
    return review.data_dir / item["path"] if inside and (review.data_dir / item["path"]).is_file() else None


def shown_name(review: Review, item: dict[str, Any]) -> str:
    """What the visitor recognises an example by: the name of the file they uploaded (the Train tab stages
    uploads as numbered links), a text row's split, number and text; never a server path."""
    if "path" not in item:
        return f"{item.get('split', '')} {item['row']}: {item['text'][:120]}"
    found = item_file(review, item)
    return (found.resolve() if found is not None else Path(item["path"])).name


def initial_decisions(issues: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every suspect item starts as "keep", with its suggested label ready for a relabel."""
    return [{"decision": "keep", "label": issue["suggested"]} for issue in issues]


MAX_NUMBERS_CHARS = 2_000  # '1, 3-5, ...': more than any list of the items shown (issue 28: a bound first)


def parse_numbers(text: str, count: int) -> list[int]:
    """'1, 3-5' -> [0, 2, 3, 4] (shown numbers are 1-based); anything else is the user's error. Each range
    is checked against `count` before it is walked, so '1-99999999999999' costs nothing."""
    chosen, bad = set(), []
    text = text or ""
    if len(text) > MAX_NUMBERS_CHARS:
        raise ReviewError("review.error.items", items=text[:40] + "…")
    for part in text.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        first, _, last = part.partition("-")
        try:
            numbers = range(int(first), int(last or first) + 1)
        except ValueError:
            bad.append(part)
            continue
        if not numbers or numbers[0] < 1 or numbers[-1] > count:
            bad.append(part)
            continue
        chosen.update(n - 1 for n in numbers)
    if bad or not chosen:
        raise ReviewError("review.error.items", items=", ".join(bad)[:80] or "—")
    return sorted(chosen)


def decide(decisions: list[dict[str, Any]], numbers: list[int], decision: str, label: str | None,
           label_names: list[str]) -> list[dict[str, Any]]:
    """The decisions with `numbers` set to `decision` (a relabel to `label`, else to each one's suggestion)."""
    if decision not in DECISIONS:
        raise ReviewError("review.error.items", items=str(decision)[:40])
    changed = [dict(one) for one in decisions]
    for number in numbers:
        changed[number]["decision"] = decision
        if decision == "relabel" and label in label_names:
            changed[number]["label"] = label
    return changed


def applied(issues: list[dict[str, Any]], decisions: list[dict[str, Any]]) -> tuple[dict[str, str | None], int, int]:
    """({item key: new label, or None to exclude}, excluded, relabelled); an item key is its path or
    "<split>:<row>"."""
    changes: dict[str, str | None] = {}
    for issue, decision in zip(issues, decisions, strict=False):
        if decision["decision"] == "exclude":
            changes[item_key(issue)] = None
        elif decision["decision"] == "relabel" and decision["label"] != issue["given"]:
            changes[item_key(issue)] = decision["label"]
    excluded = sum(1 for label in changes.values() if label is None)
    return changes, excluded, len(changes) - excluded


def item_key(item: dict[str, Any]) -> str:
    return item["path"] if "path" in item else f"{item.get('split', 'train')}:{item['row']}"


def revised_images(data_dir: Path, target: Path, changes: dict[str, str | None]) -> Path:
    """target/<split>/<class>/<file> as links to data_dir's files; excluded files left out, relabelled
    ones in their new class's folder."""
    for path in sorted(data_dir.glob("*/*/*")):
        relative = path.relative_to(data_dir).as_posix()
        split, label, name = relative.split("/")
        if relative in changes and changes[relative] is None:
            continue
        placed = target / split / (changes.get(relative) or label) / name
        placed.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(path.resolve(), placed)
    return target


def revised_texts(data_dir: Path, target: Path, changes: dict[str, str | None], label_column: str) -> Path:
    """target/<split>.jsonl: the run's JSON-lines splits with rows excluded or relabelled (row numbers
    count data rows from 1, as training/outputs/label_issues.py writes them)."""
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted(data_dir.glob(f"*{TEXT_SUFFIX}")):
        split = path.stem
        with path.open(encoding="utf-8") as source, (target / path.name).open("w", encoding="utf-8") as out:
            for number, line in enumerate(source, 1):
                key = f"{split}:{number}"
                if key in changes and changes[key] is None:
                    continue
                if key in changes:
                    row = json.loads(line)
                    row[label_column] = changes[key]
                    line = json.dumps(row, ensure_ascii=False) + "\n"
                out.write(line)
    return target


def revised_data(review: Review, decisions: list[dict[str, Any]], target: Path,
                 label_column: str = "label") -> tuple[Path, int, int]:
    """A new data folder with the decisions applied: (folder, excluded, relabelled)."""
    if review.data_dir is None or review.issues is None:
        raise ReviewError("review.error.no_data")
    changes, excluded, relabelled = applied(review.issues, decisions)
    if not changes:
        raise ReviewError("review.error.nothing")
    if review.kind == "image":
        revised_images(review.data_dir, target, changes)
    else:
        revised_texts(review.data_dir, target, changes, label_column)
    return target, excluded, relabelled


KFOLD_ARGS = ("--eval-protocol", "kfold", "--folds", "5")  # what the Train tab's cross-validation box adds


def with_kfold(job: Job, kfold: bool) -> Job:
    """The job, cross-validated when asked: k-fold accuracy, and label_issues.json for this review."""
    if not kfold or KFOLD_ARGS[0] in job.extra_args:
        return job
    return replace(job, extra_args=[*job.extra_args, *KFOLD_ARGS])
