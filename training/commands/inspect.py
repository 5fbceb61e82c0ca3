"""`python -m training inspect --model models/<name>`: the data behind a checkpoint's mistakes.

Prints two tables and writes them (inspect.md, next to the checkpoint's files):
- the suspect labels of its training data (label_issues.json, written by a run with
  `--eval-protocol kfold`: out-of-fold probabilities ranked by cleanlab), most suspect first;
- the evaluation split's top losses (top_losses.json; a checkpoint trained without it, or whose
  file is gone, has them computed now on its validation split, read from the data folder the run
  used or from --data-dir).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from contract.checkpoint import EVAL_SPLIT, LABEL_ISSUES_FILE, TOP_LOSSES_FILE, load_metrics
from training.commands.evaluate import EVALUATION_TASKS, evaluated_task
from training.commands.parser import parse_args
from training.errors import UserError
from training.flow.scoring import evaluate_split
from training.outputs.label_issues import losses_record, read_json, table, write_json

INSPECT_FILE = "inspect.md"


@dataclass(frozen=True)
class InspectArgs:
    model: str = field(metadata={"help": "Checkpoint folder (e.g. models/beans)."})
    top: int = field(default=20, metadata={"help": "Rows of each table."})
    data_dir: str | None = field(
        default=None,
        metadata={"help": "Data folder for computing top losses when the checkpoint has no top_losses.json "
                          "(default: the folder the run was trained on, from metrics.json)."})
    max_samples: int | None = field(default=None, metadata={"help": "Score at most this many examples."})

    def __post_init__(self):
        if self.top < 1:
            raise UserError(f"--top must be at least 1, got {self.top}")


def evaluation_losses(checkpoint: Path, data_dir: Path, max_samples: int | None) -> dict[str, Any]:
    """top_losses.json's content for the validation split of `data_dir`, scored now."""
    if not data_dir.exists():
        raise UserError(f"data folder not found: {data_dir} (give --data-dir)")
    task = EVALUATION_TASKS[evaluated_task(checkpoint)](checkpoint, data_dir, EVAL_SPLIT, max_samples, 0)
    split = task.data.splits[EVAL_SPLIT]
    if not len(split):
        raise UserError(f"the '{EVAL_SPLIT}' split of {data_dir} has no usable examples")
    scored = evaluate_split(task, EVAL_SPLIT, task.inference_batch_size or 16)
    return losses_record(scored["probabilities"], split.labels, split.items, task.data.label_names)


def inspect_checkpoint(args: InspectArgs) -> tuple[list[dict] | None, dict[str, Any]]:
    """(label issues or None when the run had no k-fold, top losses record); writes top_losses.json
    when it had to be computed."""
    checkpoint = Path(args.model).expanduser()
    if not (checkpoint / "metrics.json").is_file():
        raise UserError(f"not a checkpoint folder (no metrics.json): {checkpoint}")
    issues = read_json(checkpoint / LABEL_ISSUES_FILE) if (checkpoint / LABEL_ISSUES_FILE).is_file() else None
    if (checkpoint / TOP_LOSSES_FILE).is_file():
        return issues, read_json(checkpoint / TOP_LOSSES_FILE)
    data_dir = args.data_dir or load_metrics(checkpoint).get("dataset")
    if not data_dir:
        raise UserError("the checkpoint does not say which data it was trained on: give --data-dir")
    record = evaluation_losses(checkpoint, Path(data_dir).expanduser(), args.max_samples)
    write_json(checkpoint / TOP_LOSSES_FILE, record)
    return issues, record


def report(issues: list[dict] | None, losses: dict[str, Any], top: int) -> str:
    parts = ["## Suspect labels (out-of-fold, cleanlab)", ""]
    if issues is None:
        parts.append("None computed: train with `--eval-protocol kfold` to rank the training labels.")
    else:
        parts += [f"{len(issues)} suspect labels, most suspect first (score: out-of-fold probability of the "
                  "given label).", "", table(issues, ["given", "suggested", "score"], top)]
    examples = losses["examples"]
    wrong = sum(e["given"] != e["predicted"] for e in examples)
    parts += ["", f"## Top losses ({losses['split']}: {len(examples)} examples, {wrong} answered wrong)", "",
              table(examples, ["given", "predicted", "probability", "loss"], top)]
    return "\n".join(parts) + "\n"


def main(argv: list[str]) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    (args,) = parse_args((InspectArgs,), argv, prog="python -m training inspect")
    issues, losses = inspect_checkpoint(args)
    text = report(issues, losses, args.top)
    print(text, end="")
    path = Path(args.model).expanduser() / INSPECT_FILE
    path.write_text(text, encoding="utf-8")
    print(f"written to {path}")
    return 0
