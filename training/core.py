"""The shared training flow, whatever the modality: data -> model -> strategy -> Trainer -> checkpoint.

An adapter (training/image.py, training/text.py) loads its data and model and hands the core a
`TrainingTask`; `run_training(task, train_args, all_args)` does the rest and returns the checkpoint
folder. What an adapter provides:

    TaskData        splits of raw examples (whatever `encode` accepts: PIL images, sentences...) + int
                    labels, label names, skipped counts, where the data came from
    model           an AutoModelFor...Classification with id2label/label2id set for those labels
    processor       saved next to the model (image processor, tokenizer)
    encode(example, train) -> dict of model inputs for ONE example (train=True: augment)
    collate(list of encoded dicts, each with "labels") -> batch dict (stacking / dynamic padding)
    optional: inference_batch_size (no-grad passes), trainer_overrides (extra TrainingArguments for `full`)

For `python -m training evaluate`, an adapter module also provides
`evaluation_task(checkpoint, data_dir, split, max_examples, seed) -> TrainingTask` (one split).

Strategies live in the STRATEGIES table (`head`, `full`; add e.g. `last-n` there). The checkpoint
contract (files, metrics.json schema, atomic write) is contract/checkpoint.py.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from contract.checkpoint import (
    CONFUSION_MATRIX_FILE,
    EVAL_SPLIT,
    TRAIN_SPLIT,
    clean_leftovers,
    write_atomically,
    write_metrics,
)
from contract.errors import first_line
from contract.hub_ids import is_hub_id, shown_ref
from contract.tables import splits_table
from training.args import TrainArgs
from training.errors import UserError
from training.metrics import classification_metrics, plot_confusion_matrix, trainer_metrics

log = logging.getLogger("training")
MAX_REF_CHARS = 1000  # longer model references are refused before any file system lookup

# Where the classifier sits in common AutoModelFor...Classification models (first match wins).
CLASSIFIER_ATTRIBUTES = ("classifier", "score", "fc", "head", "heads")
# Names a local data set may give its splits, mapped to the names metrics.json uses.
SPLIT_ALIASES = {"val": "validation", "valid": "validation", "dev": "validation", "eval": "validation"}


@dataclass
class SplitData:
    """One split: raw examples (adapter-specific), their integer labels, how many were skipped."""

    examples: Sequence[Any]
    labels: list[int]
    skipped: int = 0

    def __len__(self) -> int:
        return len(self.labels)


@dataclass
class TaskData:
    """Every split found (must include train and validation), the label names, the data source."""

    splits: dict[str, SplitData]
    label_names: list[str]
    source: str

    def eval_splits(self) -> list[str]:
        """validation first, then every further split (test, ...), train excluded."""
        rest = sorted(name for name in self.splits if name not in (TRAIN_SPLIT, EVAL_SPLIT))
        return [EVAL_SPLIT, *rest]


@dataclass
class TrainingTask:
    """What an adapter hands the core: see the module docstring."""

    task: str                                   # "image-classification" | "text-classification"
    data: TaskData
    model: nn.Module
    processor: Any
    encode: Callable[[Any, bool], dict[str, Any]]
    collate: Callable[[list[dict[str, Any]]], dict[str, Any]]
    base_model: str
    inference_batch_size: int | None = None  # no-grad passes (head features, evaluate); default: --eval_batch_size
    trainer_overrides: dict[str, Any] = field(default_factory=dict)  # extra TrainingArguments for `full`


@dataclass(frozen=True)
class Strategy:
    train: Callable[..., dict[str, Any]]
    default_epochs: float
    default_learning_rate: float


# ---------------------------------------------------------------- small pure helpers


def canonical_split(name: str) -> str:
    return SPLIT_ALIASES.get(name.lower(), name.lower())


def take_subset(items: Sequence[Any], limit: int | None, seed: int) -> list[Any]:
    """At most `limit` items, drawn with a fixed seed (all of them, in order, when limit is None)."""
    if limit is None or limit >= len(items):
        return list(items)
    order = np.random.default_rng(seed).permutation(len(items))[:limit]
    return [items[i] for i in sorted(order)]


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


def find_classifier(model: nn.Module) -> tuple[str, nn.Module]:
    """The classification head module of `model` and its attribute name."""
    for name in CLASSIFIER_ATTRIBUTES:
        module = getattr(model, name, None)
        if isinstance(module, nn.Module):
            return name, module
    raise UserError(
        f"strategy 'head' cannot find the classifier of {type(model).__name__} "
        f"(looked for {', '.join(CLASSIFIER_ATTRIBUTES)}); use --strategy full"
    )


def check_model_ref(ref: str) -> str:
    """A base model reference that may be loaded: an existing local folder, or a Hub id 'owner/name'."""
    ref = (ref or "").strip()
    if len(ref) > MAX_REF_CHARS or not ref.isprintable():  # a NUL or 5,000 characters: no file system call
        raise UserError(f"not a Hub model id ('owner/name') nor a local folder: '{shown_ref(ref)}'")
    path = Path(ref).expanduser()
    if path.is_dir():
        if not (path / "config.json").is_file():
            raise UserError(f"model folder has no config.json: {path}")
        return str(path.resolve())
    if ref.startswith((".", "/", "~")) or ref.count("/") > 1 or path.exists():
        raise UserError(f"model folder not found: {ref}")
    if not is_hub_id(ref):
        raise UserError(f"not a Hub model id ('owner/name') nor a local folder: {ref!r}")
    return ref


def load_pretrained(loader: Callable[..., Any], ref: str, **kwargs: Any) -> Any:
    """`loader.from_pretrained(ref)` with safe defaults; a failure becomes one UserError line."""
    try:
        return loader.from_pretrained(ref, trust_remote_code=False, **kwargs)
    except (OSError, ValueError, KeyError) as error:
        raise UserError(f"cannot load {ref!r} with {loader.__name__}: {first_line(error)}") from None


# ---------------------------------------------------------------- datasets fed to Trainer


class EncodedDataset(torch.utils.data.Dataset):
    """Raw examples encoded on access (so train-time augmentation differs every epoch)."""

    def __init__(self, split: SplitData, encode: Callable[[Any, bool], dict], train: bool):
        self.split, self.encode, self.train = split, encode, train

    def __len__(self) -> int:
        return len(self.split)

    def __getitem__(self, index: int) -> dict[str, Any]:
        return {**self.encode(self.split.examples[index], self.train), "labels": self.split.labels[index]}


class FeatureDataset(torch.utils.data.Dataset):
    """Cached classifier inputs (one row per example) and labels: what the `head` strategy trains on."""

    def __init__(self, features: torch.Tensor, labels: Sequence[int]):
        self.features, self.labels = features, torch.as_tensor(list(labels), dtype=torch.long)

    def __len__(self) -> int:
        return len(self.labels)

    def __getitem__(self, index: int) -> dict[str, torch.Tensor]:
        return {"features": self.features[index], "labels": self.labels[index]}


class HeadOnly(nn.Module):
    """Wraps the model's own classifier module so Trainer trains it alone on cached features.

    The module is shared, not copied: training it here trains it inside the full model too.
    """

    def __init__(self, head: nn.Module):
        super().__init__()
        self.head = head

    def forward(self, features: torch.Tensor, labels: torch.Tensor | None = None):
        from transformers.modeling_outputs import SequenceClassifierOutput

        logits = self.head(features)
        loss = nn.functional.cross_entropy(logits, labels) if labels is not None else None
        return SequenceClassifierOutput(loss=loss, logits=logits)


@torch.no_grad()
def extract_features(task: TrainingTask, split: SplitData, batch_size: int) -> torch.Tensor:
    """Run the frozen model once over `split` and capture what its classifier receives (a pre-hook)."""
    _name, head = find_classifier(task.model)
    captured: list[torch.Tensor] = []
    # RoBERTa-style text heads receive the whole sequence [batch, tokens, hidden] and read token 0 only:
    # keep that token, so batches padded to different lengths concatenate (and the head still works).
    hook = head.register_forward_pre_hook(
        lambda _module, inputs: captured.append((inputs[0][:, :1] if inputs[0].dim() == 3 else inputs[0]).detach().cpu())
    )
    device = next(task.model.parameters()).device
    task.model.eval()
    try:
        loader = torch.utils.data.DataLoader(
            EncodedDataset(split, task.encode, train=False), batch_size=batch_size, collate_fn=task.collate
        )
        for batch in loader:
            batch.pop("labels", None)
            task.model(**{key: value.to(device) for key, value in batch.items()})
    finally:
        hook.remove()
    return torch.cat(captured)


@torch.no_grad()
def evaluate_split(task: TrainingTask, split_name: str, batch_size: int) -> dict[str, Any]:
    """accuracy, macro-F1, loss, confusion matrix of `task.model` (as it is) on one split of task.data."""
    split = task.data.splits[split_name]
    device = next(task.model.parameters()).device
    task.model.eval()
    loader = torch.utils.data.DataLoader(
        EncodedDataset(split, task.encode, train=False), batch_size=batch_size, collate_fn=task.collate
    )
    all_logits, total_loss = [], 0.0
    for batch in loader:
        labels = batch.pop("labels").to(device)
        logits = task.model(**{key: value.to(device) for key, value in batch.items()}).logits
        total_loss += float(nn.functional.cross_entropy(logits, labels, reduction="sum"))
        all_logits.append(logits.cpu())
    found = classification_metrics(torch.cat(all_logits).numpy(), np.asarray(split.labels), len(task.data.label_names))
    return {**found, "loss": round(total_loss / len(split), 6), "num_examples": len(split)}


def reload_weights(model: nn.Module, checkpoint: str) -> None:
    """Load a Trainer checkpoint-N folder into `model` through from_pretrained's key conversion."""
    loaded = type(model).from_pretrained(checkpoint, use_safetensors=True, trust_remote_code=False)
    model.load_state_dict(loaded.state_dict(), strict=True)


def checkpoint_safe_trainer(**kwargs: Any):
    """A Trainer whose checkpoint loads (--resume, best model at the end) really load the weights.

    transformers 5.24's Trainer reads checkpoint-N/model.safetensors with a raw, non-strict
    load_state_dict; save_pretrained writes the legacy key names, so for models whose v5 modules were
    renamed (ViT: vit.encoder.layer.* -> vit.layers.*) every backbone weight was silently skipped.
    """
    from transformers import PreTrainedModel, Trainer

    class CheckpointSafeTrainer(Trainer):
        def _load_from_checkpoint(self, resume_from_checkpoint, model=None):
            target = model if model is not None else self.model
            if isinstance(target, PreTrainedModel):
                reload_weights(target, resume_from_checkpoint)
            else:
                super()._load_from_checkpoint(resume_from_checkpoint, model)

        def _load_best_model(self):
            if isinstance(self.model, PreTrainedModel):
                reload_weights(self.model, self.state.best_model_checkpoint)
            else:
                super()._load_best_model()

    return CheckpointSafeTrainer(**kwargs)


# ---------------------------------------------------------------- strategies


def training_arguments(args: TrainArgs, epochs: float, learning_rate: float, **overrides: Any):
    from transformers import TrainingArguments

    values = dict(
        output_dir=str(args.run_dir),
        num_train_epochs=epochs,
        learning_rate=learning_rate,
        per_device_train_batch_size=args.train_batch_size,
        per_device_eval_batch_size=args.eval_batch_size,
        weight_decay=args.weight_decay,
        seed=args.seed,
        eval_strategy="epoch",
        save_strategy="epoch",
        logging_strategy="epoch",
        save_total_limit=2,
        load_best_model_at_end=True,
        metric_for_best_model="accuracy",
        greater_is_better=True,
        report_to="none",
        disable_tqdm=True,
        dataloader_num_workers=0,
        dataloader_pin_memory=torch.cuda.is_available(),
        remove_unused_columns=False,
    )
    values.update(overrides)
    return TrainingArguments(**values)


def last_checkpoint(args: TrainArgs) -> str | None:
    """The newest complete checkpoint-N of the run (Trainer writes trainer_state.json last).

    Not transformers' get_last_checkpoint: after a kill mid-save it returns the half-written folder.
    """
    complete = [p for p in args.run_dir.glob("checkpoint-*")
                if p.name.split("-")[-1].isdigit() and (p / "trainer_state.json").is_file()]
    return str(max(complete, key=lambda p: int(p.name.split("-")[-1]))) if complete else None


def fit(trainer, args: TrainArgs) -> dict[str, Any]:
    """trainer.train(), resuming from the last checkpoint when --resume; returns train stats."""
    resume_from = last_checkpoint(args) if args.resume else None
    if args.resume and resume_from:
        log.warning("resuming from %s", resume_from)
    elif args.resume:
        log.warning("--resume: no checkpoint in %s, starting from step 0", args.run_dir)
    output = trainer.train(resume_from_checkpoint=resume_from)
    resumed_step = int(Path(resume_from).name.split("-")[-1]) if resume_from else 0
    return {
        "samples_per_second": round(float(output.metrics.get("train_samples_per_second", 0.0)), 2),
        "global_step": int(output.global_step),
        "resumed_from_step": resumed_step,
    }


def evaluate_predictions(trainer, dataset, num_labels: int) -> dict[str, Any]:
    prediction = trainer.predict(dataset)
    found = classification_metrics(prediction.predictions, prediction.label_ids, num_labels)
    loss = prediction.metrics.get("test_loss")
    return {**found, "loss": None if loss is None else round(float(loss), 6), "num_examples": len(dataset)}


def train_head(task: TrainingTask, args: TrainArgs, epochs: float, learning_rate: float) -> dict[str, Any]:
    """Freeze everything, cache classifier inputs once per split, train the classifier alone."""
    from transformers import Trainer, default_data_collator

    started = time.perf_counter()
    for parameter in task.model.parameters():
        parameter.requires_grad_(False)
    batch_size = task.inference_batch_size or args.eval_batch_size
    features = {
        name: FeatureDataset(extract_features(task, split, batch_size), split.labels)
        for name, split in task.data.splits.items()
    }
    feature_seconds = time.perf_counter() - started
    log.warning("features of %d examples cached in %.1fs", sum(map(len, features.values())), feature_seconds)
    _name, head = find_classifier(task.model)
    for parameter in head.parameters():
        parameter.requires_grad_(True)
    num_labels = len(task.data.label_names)
    trainer = Trainer(
        model=HeadOnly(head),
        args=training_arguments(args, epochs, learning_rate),
        train_dataset=features[TRAIN_SPLIT],
        eval_dataset=features[EVAL_SPLIT],
        data_collator=default_data_collator,
        compute_metrics=trainer_metrics(num_labels),
    )
    stats = fit(trainer, args)  # load_best_model_at_end restores the best head, in place
    splits = {name: evaluate_predictions(trainer, features[name], num_labels) for name in task.data.eval_splits()}
    return {"splits": splits, "train": {**stats, "feature_extraction_s": round(feature_seconds, 2)}}


def train_full(task: TrainingTask, args: TrainArgs, epochs: float, learning_rate: float) -> dict[str, Any]:
    """Fine-tune every weight; the adapter's encode(train=True) augments training examples."""
    num_labels = len(task.data.label_names)
    for parameter in task.model.parameters():
        parameter.requires_grad_(True)

    def dataset(name: str, train: bool = False) -> EncodedDataset:
        return EncodedDataset(task.data.splits[name], task.encode, train=train)

    trainer = checkpoint_safe_trainer(
        model=task.model,
        args=training_arguments(args, epochs, learning_rate, warmup_steps=0.1, **task.trainer_overrides),
        train_dataset=dataset(TRAIN_SPLIT, train=True),
        eval_dataset=dataset(EVAL_SPLIT),
        data_collator=task.collate,
        compute_metrics=trainer_metrics(num_labels),
    )
    stats = fit(trainer, args)
    splits = {name: evaluate_predictions(trainer, dataset(name), num_labels) for name in task.data.eval_splits()}
    return {"splits": splits, "train": stats}


STRATEGIES: dict[str, Strategy] = {
    "head": Strategy(train_head, default_epochs=10, default_learning_rate=5e-3),
    "full": Strategy(train_full, default_epochs=3, default_learning_rate=5e-5),
}


# ---------------------------------------------------------------- checkpoint


def versions() -> dict[str, str]:
    import datasets
    import transformers

    return {
        "python": sys.version.split()[0],
        "torch": torch.__version__,
        "transformers": transformers.__version__,
        "datasets": datasets.__version__,
    }


def write_checkpoint_files(folder: Path, model: nn.Module, processor: Any, metrics: dict[str, Any]) -> None:
    """Everything the contract lists, into `folder` (a temp folder: see `atomic_folder`)."""
    from training.card import write_model_card

    model.save_pretrained(folder, safe_serialization=True)
    if processor is not None:
        processor.save_pretrained(folder)
    write_metrics(folder, metrics)
    validation = metrics["splits"][EVAL_SPLIT]
    plot_confusion_matrix(validation["confusion_matrix"], metrics["label_names"], folder / CONFUSION_MATRIX_FILE,
                          f"{metrics['name']} · {EVAL_SPLIT} · accuracy {validation['accuracy']:.1%}")
    write_model_card(folder, metrics)


def save_checkpoint(target: Path, model: nn.Module, processor: Any, metrics: dict[str, Any]) -> Path:
    """Write models/<name>/ atomically: built in models/.<name>.tmp-<pid>/, renamed when complete.

    A failed write (disk full, read-only folder) is one line; the previous checkpoint is left as it was.
    """
    try:
        return write_atomically(target, lambda folder: write_checkpoint_files(folder, model, processor, metrics))
    except OSError as error:
        raise UserError(f"could not write the checkpoint {target.name!r}: {error.strerror or first_line(error)} "
                        "(any previous checkpoint of that name is unchanged)") from None



# ---------------------------------------------------------------- the flow


def remove_run_dir(args: TrainArgs) -> None:
    shutil.rmtree(args.run_dir, ignore_errors=True)
    if args.run_dir.parent.is_dir() and not any(args.run_dir.parent.iterdir()):
        args.run_dir.parent.rmdir()


def run_training(task: TrainingTask, args: TrainArgs, all_args: dict[str, Any]) -> Path:
    """Train `task.model` with `args.strategy`, evaluate every split, write models/<name>/; return it."""
    check_labels(task.data)
    clean_leftovers(Path(args.models_dir))  # what a run killed mid-save left behind
    strategy = STRATEGIES[args.strategy]
    epochs = args.epochs or strategy.default_epochs
    learning_rate = args.learning_rate or strategy.default_learning_rate
    if not args.resume:
        remove_run_dir(args)  # stale checkpoints of an older run would confuse a later --resume
    started = time.perf_counter()
    result = strategy.train(task, args, epochs, learning_rate)
    runtime = time.perf_counter() - started
    train_examples = len(task.data.splits[TRAIN_SPLIT])
    metrics = {
        "task": task.task,
        "name": args.name,
        "base_model": task.base_model,
        "dataset": task.data.source,
        "strategy": args.strategy,
        "label_names": list(task.data.label_names),
        "splits": result["splits"],
        "skipped": {name: split.skipped for name, split in task.data.splits.items()},
        "train": {
            "runtime_s": round(runtime, 2),
            "epochs": epochs,
            "learning_rate": learning_rate,
            "num_examples": train_examples,
            **result["train"],
        },
        "args": {**all_args, "epochs": epochs, "learning_rate": learning_rate},
        "versions": versions(),
        "created": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    task.model.to("cpu")
    path = save_checkpoint(args.output_dir, task.model, task.processor, metrics)
    remove_run_dir(args)  # the run is complete: nothing left to resume
    print_summary(metrics, path)
    if args.push_to_hub:
        from training.hub import push_checkpoint

        info = push_checkpoint(path, args.hub_repo_id, private=args.hub_private)
        print(f"pushed to {info.repo_url}")
    return path


def print_summary(metrics: dict[str, Any], path: Path) -> None:
    print(splits_table(metrics["splits"]))
    skipped = sum(metrics.get("skipped", {}).values())
    if skipped:
        print(f"skipped {skipped} unreadable files: {metrics['skipped']}")
    print(f"checkpoint written to {path} ({metrics['train']['runtime_s']}s)")
