"""Arguments shared by every training command, and the one parser all commands use.

Each command declares its own @dataclasses (data, model) next to its adapter and parses them together
with `TrainArgs`: `parse_args((TrainArgs, ImageDataArgs, ...), argv)`. The same fields work as CLI
flags (`--epochs 3`) or as keys of a JSON/YAML file given as the only argument (`run.yaml`).
"""

from __future__ import annotations

import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from contract.errors import first_line
from contract.paths import models_dir
from contract.runs import STRATEGY_NAMES, is_run_name, run_folder
from training.errors import UserError
from training.quantize import QUANTIZE_CHOICES

CONFIG_SUFFIXES = (".json", ".yaml", ".yml")


def default_models_dir() -> str:
    return str(models_dir())


@dataclass
class TrainArgs:
    """How to train, whatever the modality (image, text)."""

    name: str = field(metadata={"help": "Checkpoint name: the model is written to <models-dir>/<name>/."})
    recipe: str | None = field(
        default=None,
        metadata={"help": "A named row of flags (contract/recipes.py), under the flags given here: image fast "
                  "(the default), best, course; text fast (the default), best; none = the bare defaults below. "
                  "With --strategy and no --recipe, that strategy's row (or none)."},
    )
    strategy: str = field(
        default="head",
        metadata={
            "help": "head = freeze the pretrained backbone and train only the new classifier (fast); "
            "full = fine-tune every weight; last-n = fine-tune the last --unfreeze-last blocks and the "
            "classifier; probe-then-full = head first, then every weight from that head.",
            "choices": list(STRATEGY_NAMES),
        },
    )
    epochs: float | None = field(
        default=None,
        metadata={"help": "Training epochs; unset = the strategy's own (head 10, full 3, last-n 5, "
                  "probe-then-full 3 after the head's)."},
    )
    learning_rate: float | None = field(
        default=None,
        metadata={"help": "Peak learning rate; unset = the strategy's own (head 5e-3, full 5e-5, last-n 1e-4, "
                  "probe-then-full 5e-5 after the head's 5e-3)."},
    )
    unfreeze_last: int = field(
        default=2, metadata={"help": "last-n: how many of the backbone's last blocks to fine-tune."}
    )
    cache_frozen: bool = field(
        default=True,
        metadata={"help": "last-n: run the frozen blocks once per image and fixed view and train the last blocks "
                  "on their cached output (MobileNetV2; other models always run every block every step)."},
    )
    probe_epochs: float | None = field(
        default=None, metadata={"help": "probe-then-full: epochs of the head stage; unset = head's own (10)."}
    )
    lr_scheduler_type: str = field(
        default="linear",
        metadata={"help": "Learning-rate schedule after warm-up.", "choices": ["linear", "cosine", "constant"]},
    )
    warmup_ratio: float | None = field(
        default=None, metadata={"help": "Share of the steps spent warming up; unset = 0 for head, else 0.1."}
    )
    label_smoothing: float = field(default=0.0, metadata={"help": "Label smoothing of the training loss (0-1)."})
    select_best: bool = field(
        default=True,
        metadata={"help": "Keep the epoch with the best validation accuracy (else the last epoch). Under k-fold "
                  "each fold selects on a validation part carved from its own training part."},
    )
    eval_protocol: str = field(
        default="split",
        metadata={"help": "split = train on train, score validation (and test...); kfold = also run stratified "
                  "k-fold over train+validation first and record mean +- std (metrics.json 'kfold').",
                  "choices": ["split", "kfold"]},
    )
    folds: int = field(default=5, metadata={"help": "k of --eval-protocol kfold."})
    holdout_fraction: float = field(
        default=0.0,
        metadata={"help": "Carve this stratified share of train into a 'holdout' split that is never trained "
                  "on nor selected on (for data sets without a test split)."},
    )
    train_batch_size: int = field(default=32, metadata={"help": "Examples per training step."})
    eval_batch_size: int = field(
        default=16, metadata={"help": "Examples per evaluation batch."}
    )
    weight_decay: float = field(default=0.0, metadata={"help": "AdamW weight decay."})
    seed: int = field(default=42, metadata={"help": "Random seed (subsets, head init, shuffling)."})
    max_train_samples: int | None = field(
        default=None, metadata={"help": "Use at most this many training examples (quick runs)."}
    )
    max_eval_samples: int | None = field(
        default=None, metadata={"help": "Use at most this many examples of each evaluation split."}
    )
    resume: bool = field(
        default=False,
        metadata={"help": "Continue from the last Trainer checkpoint in <models-dir>/.runs/<name>/."},
    )
    models_dir: str = field(
        default_factory=default_models_dir,
        metadata={"help": "Folder that holds the checkpoints (default: $STUDIO_MODELS_DIR or models/)."},
    )
    push_to_hub: bool = field(
        default=False,
        metadata={"help": "After training, upload the checkpoint and its model card to the Hub "
                  "(token: HF_TOKEN or `hf auth login`)."},
    )
    hub_repo_id: str | None = field(default=None, metadata={"help": "owner/name of the Hub model repo for --push-to-hub."})
    hub_private: bool = field(default=False, metadata={"help": "Create that Hub repo as private."})
    onnx: bool = field(
        default=True,
        metadata={"help": "Image models: also write model.onnx, checked against the trained weights; the app "
                  "serves it with ONNX Runtime (a third of torch's CPU time per image). head and last-n also run "
                  "the frozen layers on ONNX Runtime (checked against torch); false: torch throughout."},
    )
    quantize: str = field(
        default="none",
        metadata={"help": "Image models: int8 also writes model.int8.onnx (ONNX Runtime static quantization, "
                  "calibrated on training images), checked against model.onnx on validation; metrics.json records "
                  "both graphs' accuracy, size and CPU time per image (served with STUDIO_RUNTIME=onnx-int8).",
                  "choices": list(QUANTIZE_CHOICES)},
    )
    progress_file: str | None = field(
        default=None, metadata={"help": "Append one JSON line per training event (steps, losses, evaluations) "
                                "to this file, for a watcher such as the app's Train tab."},
    )

    def __post_init__(self):
        if self.push_to_hub:  # checked now, so a long run does not fail at the very end
            from training.hub import require_push_ready

            require_push_ready(self.hub_repo_id)
        if not is_run_name(self.name):
            raise UserError(f"--name must be a plain folder name (letters, digits, _ . -): {self.name!r}")
        for flag in ("train_batch_size", "eval_batch_size"):
            if getattr(self, flag) < 1:
                raise UserError(f"--{flag} must be at least 1")
        for flag in ("epochs", "learning_rate", "max_train_samples", "max_eval_samples", "probe_epochs"):
            value = getattr(self, flag)
            if value is not None and value <= 0:
                raise UserError(f"--{flag} must be positive, got {value}")
        for flag in ("warmup_ratio", "label_smoothing", "holdout_fraction"):
            value = getattr(self, flag)
            if value is not None and not 0 <= value < 1:
                raise UserError(f"--{flag} must be in [0, 1), got {value}")
        if self.quantize == "int8" and not self.onnx:
            raise UserError("--quantize int8 quantizes model.onnx: it needs --onnx true")
        if self.folds < 2:
            raise UserError(f"--folds must be at least 2, got {self.folds}")
        if self.unfreeze_last < 0:
            raise UserError(f"--unfreeze_last must be 0 or more, got {self.unfreeze_last}")
        require_writable(Path(self.models_dir))

    @property
    def output_dir(self) -> Path:
        return Path(self.models_dir) / self.name

    @property
    def run_dir(self) -> Path:
        """Trainer's own checkpoint-N folders (what --resume continues from)."""
        return run_folder(self.models_dir, self.name)


def require_writable(folder: Path) -> None:
    """Fail before training, not after it, when the models folder cannot be written."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as error:
        raise UserError(f"cannot write to the models folder {folder}: {error.strerror or first_line(error)}") from None


def parse_args(dataclass_types: tuple[type, ...], argv: list[str], prog: str | None = None) -> tuple[Any, ...]:
    """Parse CLI flags, or a single JSON/YAML config file path, into instances of `dataclass_types`."""
    import yaml
    from transformers import HfArgumentParser

    parser = HfArgumentParser(dataclass_types, prog=prog)
    if len(argv) == 1 and argv[0].lower().endswith(CONFIG_SUFFIXES):
        path = Path(argv[0])
        if not path.is_file():
            raise UserError(f"config file not found: {path}")
        read = parser.parse_json_file if path.suffix.lower() == ".json" else parser.parse_yaml_file
        try:
            return tuple(read(path))
        except UserError:
            raise
        except (ValueError, TypeError, yaml.YAMLError) as error:  # unknown keys, wrong types, bad syntax
            raise UserError(f"bad config file {path}: {config_error(error)}") from None
    return tuple(parser.parse_args_into_dataclasses(args=argv, look_for_args_file=False))


def config_error(error: Exception) -> str:
    """One line about a config file that cannot be read: YAML's problem and where, else the first line."""
    import yaml

    if isinstance(error, yaml.MarkedYAMLError) and error.problem_mark is not None:
        return f"YAML syntax error at line {error.problem_mark.line + 1}: {error.problem}"
    return first_line(error)


def args_dict(*instances: Any) -> dict[str, Any]:
    """Every dataclass argument used, merged into one JSON-friendly dict (for metrics.json)."""
    merged: dict[str, Any] = {}
    for instance in instances:
        merged.update(asdict(instance))
    return merged
