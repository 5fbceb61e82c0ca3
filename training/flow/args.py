"""`TrainArgs`: how to train, whatever the modality, as the command decided it (frozen: read, never changed).

The commands parse it (training/commands/parser.py) together with a modality's own arguments; the flow
reads it. Flags a recipe row sets get their help's "Unset: ..." sentence from contract/recipes.py.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from contract.errors import first_line
from contract.paths import models_dir
from contract.runs import DEFAULT_STRATEGY, STRATEGY_NAMES, is_run_name, run_folder
from training.errors import UserError
from training.outputs.hub import require_push_ready
from training.outputs.quantize import quantize_flag


def default_models_dir() -> str:
    return str(models_dir())


@dataclass(frozen=True)
class TrainArgs:
    """How to train, whatever the modality (image, text)."""

    name: str = field(metadata={"help": "Checkpoint name: the model is written to <models-dir>/<name>/."})
    recipe: str | None = field(
        default=None, metadata={"help": "Which recipe row ran (recorded in metrics.json args)."},
    )
    strategy: str = field(
        default=DEFAULT_STRATEGY,
        metadata={
            "help": "head = freeze the pretrained backbone and train only the new classifier (fast); "
            "full = fine-tune every weight; last-n = fine-tune the last --unfreeze-last blocks and the "
            "classifier; probe-then-full = head first, then every weight from that head.",
            "choices": list(STRATEGY_NAMES),
        },
    )
    epochs: float | None = field(
        default=None, metadata={"help": "Training epochs (probe-then-full: of the full stage)."},
    )
    learning_rate: float | None = field(
        default=None, metadata={"help": "Peak learning rate (probe-then-full: of the full stage)."},
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
        default=None, metadata={"help": "probe-then-full: epochs of the head stage; unset = head's own."}
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
    quantize: str = quantize_flag(
        "Image models: int8 also writes model.int8.onnx (ONNX Runtime static quantization, calibrated on training "
        "images), checked against model.onnx on validation; metrics.json records both graphs' accuracy, size and "
        "CPU time per image (served with STUDIO_RUNTIME=onnx-int8).")
    progress_file: str | None = field(
        default=None, metadata={"help": "Append one JSON line per training event (steps, losses, evaluations) "
                                "to this file, for a watcher such as the app's Train tab."},
    )

    def __post_init__(self):
        if self.push_to_hub:  # checked now, so a long run does not fail at the very end
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
