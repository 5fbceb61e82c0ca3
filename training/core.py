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
    optional: inference_batch_size (no-grad passes), trainer_overrides (extra TrainingArguments for `full`),
              fresh_model() (a new copy of the pretrained model: needed by --eval-protocol kfold),
              tta_views (extra views of an example whose probabilities are averaged at evaluation)

For `python -m training evaluate`, an adapter module also provides
`evaluation_task(checkpoint, data_dir, split, max_examples, seed) -> TrainingTask` (one split).

Strategies live in the STRATEGIES table (`head`, `full`, `last-n`, `probe-then-full`). `head`, and `last-n` for
the architectures in TAILS, run the frozen part of the model once per example and fixed view and train on
its cached output (task.feature_cache). Evaluation you can
trust without a test set: `--holdout-fraction` carves a stratified `holdout` split out of train, and
`--eval-protocol kfold` runs the strategy on stratified folds of train+validation (fresh model each fold)
before the final run, recording mean +- std. The checkpoint contract (files, metrics.json schema, atomic
write) is contract/checkpoint.py.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import os
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from contract.checkpoint import (
    CONFUSION_MATRIX_FILE,
    EVAL_SPLIT,
    HOLDOUT_SPLIT,
    IMAGE_CLASSIFICATION,
    TRAIN_SPLIT,
    clean_leftovers,
    write_atomically,
    write_metrics,
)
from contract.errors import first_line
from contract.hub_ids import is_hub_id, shown_ref
from contract.tables import kfold_line, splits_table
from training.args import TrainArgs
from training.errors import UserError
from training.export import frozen_part_graph
from training.metrics import (
    classification_metrics,
    confidence_calibration,
    plot_confusion_matrix,
    trainer_metrics,
)
from training.progress import progress_callbacks

log = logging.getLogger("training")
MAX_REF_CHARS = 1000  # longer model references are refused before any file system lookup

# Where the classifier sits in common AutoModelFor...Classification models (first match wins).
CLASSIFIER_ATTRIBUTES = ("classifier", "score", "fc", "head", "heads")
# Names a local data set may give its splits, mapped to the names metrics.json uses.
SPLIT_ALIASES = {"val": "validation", "valid": "validation", "dev": "validation", "eval": "validation"}
FOLD_SPLIT = "fold"  # inside --eval-protocol kfold: the fold being scored


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
    fresh_model: Callable[[], nn.Module] | None = None  # a new pretrained model, for each k-fold run
    tta_views: tuple[Callable[[Any], Any], ...] = ()  # evaluation averages the example and these views of it
    feature_views: tuple[Callable[[Any], Any], ...] = ()  # cached strategies also train on these views of train
    inference: dict[str, Any] = field(default_factory=dict)  # how the app must preprocess (metrics.json)
    languages: list[str] = field(default_factory=list)  # text: the training texts' languages (metrics.json)
    # Inputs of a module (the classifier, a block) of the *pretrained* model, by (id(example), view, module
    # name): computed once per run and shared by every k-fold run and the final run (examples stay alive in
    # `data` the whole run).
    feature_cache: dict[tuple[int, Any, str], torch.Tensor] = field(default_factory=dict)
    # By module name: the pretrained model up to that module on ONNX Runtime (None: torch runs it), made
    # once per run, like the cache
    frozen_graphs: dict[str, Callable[[dict[str, torch.Tensor]], torch.Tensor] | None] = field(default_factory=dict)

    def view(self, index: int) -> Callable[[Any], Any] | None:
        """View 0 is the example itself; 1.. are tta_views."""
        return self.tta_views[index - 1] if index else None


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


def subset(split: SplitData, indices: Sequence[int], skipped: int = 0) -> SplitData:
    return SplitData([split.examples[i] for i in indices], [split.labels[i] for i in indices], skipped)


def concatenated(*splits: SplitData) -> SplitData:
    return SplitData([e for s in splits for e in s.examples], [label for s in splits for label in s.labels])


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

    def __init__(self, split: SplitData, encode: Callable[[Any, bool], dict], train: bool,
                 view: Callable[[Any], Any] | None = None):
        self.split, self.encode, self.train, self.view = split, encode, train, view

    def __len__(self) -> int:
        return len(self.split)

    def __getitem__(self, index: int) -> dict[str, Any]:
        example = self.split.examples[index]
        example = self.view(example) if self.view else example
        return {**self.encode(example, self.train), "labels": self.split.labels[index]}


class FeatureDataset(torch.utils.data.Dataset):
    """Cached classifier inputs (one row per example) and labels: what the `head` strategy trains on."""

    def __init__(self, features: torch.Tensor, labels: Sequence[int]):
        self.features, self.labels = features, torch.as_tensor(list(labels), dtype=torch.long)

    def __len__(self) -> int:
        return len(self.labels)

    def __getitem__(self, index: int) -> dict[str, torch.Tensor]:
        return {"features": self.features[index], "labels": self.labels[index]}


class OnCachedInputs(nn.Module):
    """What Trainer trains when the frozen part of the model is cached: `run(cached inputs) -> logits`,
    with `trained` (the model's own modules, shared, not copied: training here trains them inside the
    full model too) registered so Trainer finds, saves and reloads their weights."""

    config = None  # Trainer's label smoother looks for config.problem_type

    def __init__(self, trained: nn.Module, run: Callable[[torch.Tensor], torch.Tensor]):
        super().__init__()
        self.trained, self.run = trained, run

    def forward(self, features: torch.Tensor, labels: torch.Tensor | None = None):
        from transformers.modeling_outputs import SequenceClassifierOutput

        logits = self.run(features)
        loss = nn.functional.cross_entropy(logits, labels) if labels is not None else None
        return SequenceClassifierOutput(loss=loss, logits=logits)


def extract_features(task: TrainingTask, split: SplitData, batch_size: int,
                     view: Callable[[Any], Any] | None = None, where: str | None = None) -> torch.Tensor:
    """What the module `where` (default: the classifier) of the pretrained model receives for each example
    of `split` (seen through `view`), computed once per example, view and module (task.feature_cache)."""
    where = where or find_classifier(task.model)[0]
    missing = [i for i, example in enumerate(split.examples) if (id(example), view, where) not in task.feature_cache]
    if missing:
        rows = run_to(task, where, subset(split, missing), batch_size, view)
        task.feature_cache.update({(id(split.examples[i]), view, where): row
                                   for i, row in zip(missing, rows, strict=True)})
    return torch.stack([task.feature_cache[(id(example), view, where)] for example in split.examples])


def prefetched(items):
    """Yield from `items`, producing the next one in a thread meanwhile (ONNX Runtime releases the GIL)."""
    from concurrent.futures import ThreadPoolExecutor

    iterator = iter(items)
    with ThreadPoolExecutor(1) as pool:
        pending = pool.submit(next, iterator, None)
        while (item := pending.result()) is not None:
            pending = pool.submit(next, iterator, None)
            yield item


@torch.no_grad()
def run_to(task: TrainingTask, where: str, split: SplitData, batch_size: int, view: Callable | None) -> torch.Tensor:
    """Run the frozen model once over `split` and capture what its module `where` receives (a pre-hook)."""
    device = next(task.model.parameters()).device
    task.model.eval()
    loader = torch.utils.data.DataLoader(
        EncodedDataset(split, task.encode, train=False, view=view), batch_size=batch_size, collate_fn=task.collate
    )
    batches = ({key: value.to(device) for key, value in batch.items() if key != "labels"} for batch in loader)
    first = next(batches)
    if device.type == "cpu" and where not in task.frozen_graphs:
        task.frozen_graphs[where] = frozen_part_graph(task.model, where, first, torch.get_num_threads())
    graph = task.frozen_graphs.get(where)
    if graph is not None:
        return torch.cat([graph(batch) for batch in prefetched(itertools.chain([first], batches))])
    captured: list[torch.Tensor] = []
    # RoBERTa-style text heads receive the whole sequence [batch, tokens, hidden] and read token 0 only:
    # keep that token, so batches padded to different lengths concatenate (and the head still works).
    first_token = where == find_classifier(task.model)[0]
    hook = task.model.get_submodule(where).register_forward_pre_hook(
        lambda _module, inputs: captured.append(
            (inputs[0][:, :1] if first_token and inputs[0].dim() == 3 else inputs[0]).detach().cpu())
    )
    try:
        for batch in itertools.chain([first], batches):
            task.model(**batch)
    finally:
        hook.remove()
    return torch.cat(captured)


def softmax(logits: np.ndarray) -> np.ndarray:
    shifted = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return shifted / shifted.sum(axis=-1, keepdims=True)


def scored_views(predict: Callable[[int], tuple[np.ndarray, np.ndarray]], views: int, num_labels: int) -> dict:
    """accuracy, macro-F1, confusion matrix and cross-entropy of the probabilities averaged over view
    0 (the example itself) and views 1..`views` (test-time augmentation); predict(view) -> (logits, labels)
    (Trainer may batch examples in its own order, e.g. grouped by length: the same order for every view)."""
    predictions = [predict(view) for view in range(views + 1)]
    labels = np.asarray(predictions[0][1])
    if any(not np.array_equal(labels, found) for _logits, found in predictions):
        raise RuntimeError("test-time views were predicted in different orders")
    probabilities = np.mean([softmax(np.asarray(logits, dtype=np.float64)) for logits, _ in predictions], axis=0)
    found = classification_metrics(probabilities, labels, num_labels)
    loss = -np.mean(np.log(np.clip(probabilities[np.arange(len(labels)), labels], 1e-12, None)))
    return {**found, "loss": round(float(loss), 6), "num_examples": len(labels),
            "calibration": confidence_calibration(probabilities, labels)}


@torch.no_grad()
def predict_logits(task: TrainingTask, split: SplitData, batch_size: int, view: int = 0) -> np.ndarray:
    """Logits of `task.model` (as it is) for every example of `split`, without Trainer."""
    device = next(task.model.parameters()).device
    task.model.eval()
    loader = torch.utils.data.DataLoader(
        EncodedDataset(split, task.encode, train=False, view=task.view(view)), batch_size=batch_size,
        collate_fn=task.collate,
    )
    found = []
    for batch in loader:
        batch.pop("labels")
        found.append(task.model(**{key: value.to(device) for key, value in batch.items()}).logits.float().cpu())
    return torch.cat(found).numpy()


def evaluate_split(task: TrainingTask, split_name: str, batch_size: int) -> dict[str, Any]:
    """accuracy, macro-F1, loss, confusion matrix of `task.model` (as it is) on one split of task.data,
    averaged over the task's test-time views."""
    split = task.data.splits[split_name]
    return scored_views(lambda view: (predict_logits(task, split, batch_size, view), split.labels),
                        len(task.tta_views), len(task.data.label_names))


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


def training_arguments(args: TrainArgs, epochs: float, learning_rate: float, warmup: float = 0.0, **overrides: Any):
    """TrainingArguments of one run; `warmup` is the strategy's warm-up share when --warmup-ratio is unset."""
    from transformers import TrainingArguments

    values = dict(
        output_dir=str(args.run_dir),
        num_train_epochs=epochs,
        learning_rate=learning_rate,
        lr_scheduler_type=args.lr_scheduler_type,
        warmup_steps=warmup if args.warmup_ratio is None else args.warmup_ratio,  # < 1: a share of the steps
        label_smoothing_factor=args.label_smoothing,
        per_device_train_batch_size=args.train_batch_size,
        per_device_eval_batch_size=args.eval_batch_size,
        weight_decay=args.weight_decay,
        seed=args.seed,
        eval_strategy="epoch" if args.select_best else "no",
        save_strategy="epoch",
        logging_strategy="epoch",
        save_total_limit=2,
        load_best_model_at_end=args.select_best,
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


def evaluate_with_trainer(trainer, task: TrainingTask, dataset: Callable[[str, int], Any]) -> dict[str, Any]:
    """Every evaluation split scored with trainer.predict on dataset(split, view), views averaged."""
    def predict(name: str, view: int) -> tuple[np.ndarray, np.ndarray]:
        found = trainer.predict(dataset(name, view))
        return found.predictions, found.label_ids

    num_labels = len(task.data.label_names)
    return {name: scored_views(lambda view, name=name: predict(name, view), len(task.tta_views), num_labels)
            for name in task.data.eval_splits()}


def train_on_cached(task: TrainingTask, args: TrainArgs, epochs: float, learning_rate: float, where: str,
                    trained: nn.Module, run: Callable[[torch.Tensor], torch.Tensor], warmup: float = 0.0) -> dict:
    """Train the trainable weights of `trained` through `run` on what the frozen model's module `where`
    receives, computed once per example and fixed view (each view of train is one more training example)."""
    from transformers import Trainer, default_data_collator

    started = time.perf_counter()
    batch_size = task.inference_batch_size or args.eval_batch_size

    def features(name: str, view: int = 0) -> FeatureDataset:
        split = task.data.splits[name]
        return FeatureDataset(extract_features(task, split, batch_size, task.view(view), where), split.labels)

    if not args.onnx:
        task.frozen_graphs.setdefault(where, None)  # torch runs the frozen layers
    train = task.data.splits[TRAIN_SPLIT]
    train_views = (None, *task.feature_views)
    cached = {name: features(name) for name in task.data.splits}
    cached[TRAIN_SPLIT] = FeatureDataset(torch.cat([extract_features(task, train, batch_size, view, where)
                                                    for view in train_views]), train.labels * len(train_views))
    feature_seconds = time.perf_counter() - started
    runtime = "onnxruntime" if task.frozen_graphs.get(where) else "torch"
    log.warning("features of %d examples (%d views of train) ready in %.1fs on %s",
                sum(map(len, cached.values())), len(train_views), feature_seconds, runtime)
    steady_batch_norm(trained)
    trainer = Trainer(
        model=OnCachedInputs(trained, run),
        args=training_arguments(args, epochs, learning_rate, warmup=warmup),
        train_dataset=cached[TRAIN_SPLIT],
        eval_dataset=cached[EVAL_SPLIT],
        data_collator=default_data_collator,
        compute_metrics=trainer_metrics(len(task.data.label_names)),
        callbacks=progress_callbacks(args.progress_file),
    )
    stats = fit(trainer, args)  # load_best_model_at_end restores the best weights, in place
    splits = evaluate_with_trainer(trainer, task, features)
    return {"splits": splits, "train": {**stats, "feature_extraction_s": round(feature_seconds, 2),
                                        "feature_runtime": runtime}}


def train_head(task: TrainingTask, args: TrainArgs, epochs: float, learning_rate: float) -> dict[str, Any]:
    """Freeze everything, cache classifier inputs once per split, train the classifier alone."""
    for parameter in task.model.parameters():
        parameter.requires_grad_(False)
    name, head = find_classifier(task.model)
    for parameter in head.parameters():
        parameter.requires_grad_(True)
    return train_on_cached(task, args, epochs, learning_rate, name, head, lambda features: head(features))


def mobilenet_v2_tail(model: nn.Module, start: int) -> Callable[[torch.Tensor], torch.Tensor]:
    """MobileNetV2ForImageClassification.forward from the input of block `start` to the logits."""
    backbone = model.mobilenet_v2

    def run(hidden: torch.Tensor) -> torch.Tensor:
        for block in backbone.layer[start:]:
            hidden = block(hidden)
        pooled = torch.flatten(backbone.pooler(backbone.conv_1x1(hidden)), start_dim=1)
        return model.classifier(model.dropout(pooled))

    return run


# By config.model_type: the backbone's list of blocks and the model's own forward from a block's input to
# the logits. With it, `last-n` computes the frozen blocks once per example and view (like `head`).
TAILS: dict[str, tuple[str, Callable[[nn.Module, int], Callable[[torch.Tensor], torch.Tensor]]]] = {
    "mobilenet_v2": ("mobilenet_v2.layer", mobilenet_v2_tail),
}


def cached_tail(model: nn.Module, count: int) -> tuple[str, Callable[[torch.Tensor], torch.Tensor]] | None:
    """(the block whose inputs are cached, the run from them to the logits) for training the last `count`
    blocks on cached activations; None where the architecture is not in TAILS (or nothing is cached)."""
    known = TAILS.get(getattr(getattr(model, "config", None), "model_type", ""))
    if known is None or count < 1:
        return None
    blocks_name, tail = known
    start = max(0, len(model.get_submodule(blocks_name)) - count)
    return f"{blocks_name}.{start}", tail(model, start)


def backbone_blocks(model: nn.Module) -> nn.ModuleList:
    """The backbone's repeated blocks: the longest nn.ModuleList in the model (MobileNetV2 `layer`,
    BERT/ViT encoder layers)."""
    lists = [module for module in model.modules() if isinstance(module, nn.ModuleList) and len(module) > 1]
    if not lists:
        raise UserError(f"strategy 'last-n' finds no list of blocks in {type(model).__name__}; use --strategy full")
    return max(lists, key=len)


def unfreeze_all(model: nn.Module) -> None:
    for parameter in model.parameters():
        parameter.requires_grad_(True)


def unfreeze_last(model: nn.Module, count: int) -> None:
    """Train the last `count` blocks and everything registered after them (final norm, pooler, head);
    batch-norm layers of the frozen part keep their pretrained statistics (always in eval mode)."""
    blocks = backbone_blocks(model)
    first_trained = {id(p) for p in blocks[max(0, len(blocks) - count)].parameters()} if count else set()
    trainable = False
    for parameter in model.parameters():  # registration order follows the forward pass
        trainable = trainable or id(parameter) in first_trained
        parameter.requires_grad_(trainable)
    _name, head = find_classifier(model)
    for parameter in head.parameters():
        parameter.requires_grad_(True)
    for module in model.modules():
        if isinstance(module, nn.modules.batchnorm._BatchNorm) and not any(p.requires_grad for p in module.parameters()):
            module.register_forward_pre_hook(keep_statistics)


def steady_batch_norm(model: nn.Module) -> None:
    """Trained batch-norm layers average their running statistics over ~10 batches (PyTorch's default).
    transformers' MobileNetV2 sets momentum 0.997, a TensorFlow decay read as PyTorch's momentum: its
    running statistics, used at evaluation, would be those of the last training batch alone."""
    for module in model.modules():
        if isinstance(module, nn.modules.batchnorm._BatchNorm) and any(p.requires_grad for p in module.parameters()):
            module.momentum = 0.1


def keep_statistics(layer: nn.Module, _inputs: Any) -> None:
    """Forward pre-hook of a frozen batch-norm layer: normalise with its pretrained statistics, never update them."""
    layer.train(False)


def fine_tune(task: TrainingTask, args: TrainArgs, epochs: float, learning_rate: float,
              trainable: Callable[[nn.Module], None]) -> dict[str, Any]:
    """Train the weights `trainable(model)` leaves trainable; encode(train=True) augments training examples."""
    trainable(task.model)
    steady_batch_norm(task.model)

    def dataset(name: str, view: int = 0, train: bool = False) -> EncodedDataset:
        return EncodedDataset(task.data.splits[name], task.encode, train=train, view=task.view(view))

    trainer = checkpoint_safe_trainer(
        model=task.model,
        args=training_arguments(args, epochs, learning_rate, warmup=0.1, **task.trainer_overrides),
        train_dataset=dataset(TRAIN_SPLIT, train=True),
        eval_dataset=dataset(EVAL_SPLIT),
        data_collator=task.collate,
        compute_metrics=trainer_metrics(len(task.data.label_names)),
        callbacks=progress_callbacks(args.progress_file),
    )
    stats = fit(trainer, args)
    return {"splits": evaluate_with_trainer(trainer, task, dataset), "train": stats}


def train_full(task: TrainingTask, args: TrainArgs, epochs: float, learning_rate: float) -> dict[str, Any]:
    """Fine-tune every weight."""
    return fine_tune(task, args, epochs, learning_rate, unfreeze_all)


def train_last_n(task: TrainingTask, args: TrainArgs, epochs: float, learning_rate: float) -> dict[str, Any]:
    """Fine-tune the last --unfreeze-last blocks of the backbone and the classifier. The frozen blocks give
    the same output every epoch: where the model can be split (TAILS) they run once per example and fixed
    view (the flips of --augment, as extra training examples; random augmentations are not used)."""
    split = cached_tail(task.model, args.unfreeze_last) if args.cache_frozen else None
    if split is None:
        return fine_tune(task, args, epochs, learning_rate, lambda model: unfreeze_last(model, args.unfreeze_last))
    unfreeze_last(task.model, args.unfreeze_last)
    where, run = split
    return train_on_cached(task, args, epochs, learning_rate, where, task.model, run, warmup=0.1)


def train_probe_then_full(task: TrainingTask, args: TrainArgs, epochs: float, learning_rate: float) -> dict[str, Any]:
    """A linear probe first (`head`, its own epochs and learning rate), then every weight from that head:
    the new classifier no longer sends random gradients through the pretrained backbone."""
    head = STRATEGIES["head"]
    probe = train_head(task, replace(args, resume=False, push_to_hub=False), args.probe_epochs or head.default_epochs,
                       head.default_learning_rate)
    remove_run_dir(args)  # the head's Trainer checkpoints are not the full run's
    result = train_full(task, args, epochs, learning_rate)
    probe_summary = {"epochs": args.probe_epochs or head.default_epochs, "learning_rate": head.default_learning_rate,
                     "validation_accuracy": probe["splits"][EVAL_SPLIT]["accuracy"], **probe["train"]}
    return {"splits": result["splits"], "train": {**result["train"], "probe": probe_summary}}


STRATEGIES: dict[str, Strategy] = {
    "head": Strategy(train_head, default_epochs=10, default_learning_rate=5e-3),
    "full": Strategy(train_full, default_epochs=3, default_learning_rate=5e-5),
    "last-n": Strategy(train_last_n, default_epochs=5, default_learning_rate=1e-4),
    "probe-then-full": Strategy(train_probe_then_full, default_epochs=3, default_learning_rate=5e-5),
}


# ---------------------------------------------------------------- k-fold


def fold_task(task: TrainingTask, pool: SplitData, train: Sequence[int], scored: Sequence[int],
              args: TrainArgs) -> tuple[TrainingTask, str]:
    """One fold: a fresh model, trained on `train`, scored on `scored`; (task, name of the scored split).

    With --select-best a validation part is carved from the fold's own training part, in the same
    proportion as validation to train+validation, so the scored fold never picks the epoch.
    """
    fold_train = subset(pool, train)
    if args.select_best:
        share = len(task.data.splits[EVAL_SPLIT]) / len(pool)
        kept, carved = stratified_split(fold_train, share, args.seed, "--select-best under --eval-protocol kfold")
        splits = {TRAIN_SPLIT: subset(fold_train, kept), EVAL_SPLIT: subset(fold_train, carved),
                  FOLD_SPLIT: subset(pool, scored)}
    else:
        splits = {TRAIN_SPLIT: fold_train, EVAL_SPLIT: subset(pool, scored)}
    data = TaskData(splits, task.data.label_names, task.data.source)
    return replace(task, data=data, model=task.fresh_model()), FOLD_SPLIT if args.select_best else EVAL_SPLIT


def mean_std(values: Sequence[float]) -> tuple[float, float]:
    return round(float(np.mean(values)), 4), round(float(np.std(values)), 4)


def cross_validate(task: TrainingTask, args: TrainArgs, strategy: Strategy, epochs: float,
                   learning_rate: float) -> dict[str, Any]:
    """Stratified k-fold over train+validation (a holdout split stays out): the strategy on each fold,
    a fresh pretrained model each time; accuracy and macro-F1 per fold, their mean and std."""
    from sklearn.model_selection import StratifiedKFold

    if task.fresh_model is None:
        raise UserError("--eval-protocol kfold: this adapter cannot load a fresh model for each fold")
    pool = concatenated(task.data.splits[TRAIN_SPLIT], task.data.splits[EVAL_SPLIT])
    counts = np.bincount(pool.labels)
    if counts[counts > 0].min() < args.folds:
        raise UserError(f"--folds {args.folds}: a class of train+validation has only {counts[counts > 0].min()} examples")
    folder = StratifiedKFold(args.folds, shuffle=True, random_state=args.seed)
    started, per_fold = time.perf_counter(), []
    for number, (train, scored) in enumerate(folder.split(np.zeros(len(pool)), pool.labels), 1):
        fold_started = time.perf_counter()
        one, split_name = fold_task(task, pool, train, scored, args)
        # the fold's own run folder; the name is cut so that a name at the length limit still fits
        fold_args = replace(args, name=f"{args.name[:80]}.fold{number}", resume=False, push_to_hub=False,
                            progress_file=None)  # a --progress-file watcher follows the final run
        found = strategy.train(one, fold_args, epochs, learning_rate)["splits"][split_name]
        remove_run_dir(fold_args)
        per_fold.append({"fold": number, "accuracy": round(found["accuracy"], 4), "f1_macro": round(found["f1_macro"], 4),
                         "num_examples": found["num_examples"], "runtime_s": round(time.perf_counter() - fold_started, 2)})
        log.warning("fold %d/%d: accuracy %.4f", number, args.folds, found["accuracy"])
    accuracy, f1_macro = mean_std([f["accuracy"] for f in per_fold]), mean_std([f["f1_macro"] for f in per_fold])
    return {"folds": args.folds, "num_examples": len(pool), "splits": [TRAIN_SPLIT, EVAL_SPLIT],
            "accuracy_mean": accuracy[0], "accuracy_std": accuracy[1],
            "f1_macro_mean": f1_macro[0], "f1_macro_std": f1_macro[1],
            "runtime_s": round(time.perf_counter() - started, 2), "per_fold": per_fold}


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


def onnx_sample(task: TrainingTask, count: int = 4) -> torch.Tensor | None:
    """Model inputs of a few validation images (as the app will feed them) to check the ONNX export on."""
    if task.task != IMAGE_CLASSIFICATION:
        return None
    split = task.data.splits[EVAL_SPLIT]
    batch = task.collate([{**task.encode(split.examples[i], False), "labels": split.labels[i]}
                          for i in range(min(count, len(split)))])
    return batch["pixel_values"]


def write_checkpoint_files(folder: Path, model: nn.Module, processor: Any, metrics: dict[str, Any],
                           onnx_inputs: torch.Tensor | None = None) -> None:
    """Everything the contract lists, into `folder` (a temp folder: see `atomic_folder`); with
    `onnx_inputs`, also model.onnx, checked on them (training/export.py)."""
    from training.card import write_model_card

    model.save_pretrained(folder, safe_serialization=True)
    if processor is not None:
        processor.save_pretrained(folder)
    if onnx_inputs is not None:
        from training.export import export_image_classifier

        record = export_image_classifier(model, onnx_inputs, folder)
        if record:
            metrics["inference"] = {**metrics.get("inference", {}), "onnx": record}
    write_metrics(folder, metrics)
    validation = metrics["splits"][EVAL_SPLIT]
    plot_confusion_matrix(validation["confusion_matrix"], metrics["label_names"], folder / CONFUSION_MATRIX_FILE,
                          f"{metrics['name']} · {EVAL_SPLIT} · accuracy {validation['accuracy']:.1%}")
    write_model_card(folder, metrics)


def save_checkpoint(target: Path, model: nn.Module, processor: Any, metrics: dict[str, Any],
                    onnx_inputs: torch.Tensor | None = None) -> Path:
    """Write models/<name>/ atomically: built in models/.<name>.tmp-<pid>/, renamed when complete.

    A failed write (disk full, read-only folder) is one line; the previous checkpoint is left as it was.
    """
    try:
        return write_atomically(target, lambda folder: write_checkpoint_files(folder, model, processor, metrics,
                                                                              onnx_inputs))
    except OSError as error:
        raise UserError(f"could not write the checkpoint {target.name!r}: {error.strerror or first_line(error)} "
                        "(any previous checkpoint of that name is unchanged)") from None



# ---------------------------------------------------------------- the flow


def remove_run_dir(args: TrainArgs) -> None:
    shutil.rmtree(args.run_dir, ignore_errors=True)
    if args.run_dir.parent.is_dir() and not any(args.run_dir.parent.iterdir()):
        args.run_dir.parent.rmdir()


def is_main_process() -> bool:
    """False in the other processes of `accelerate launch` / torchrun (they set RANK); True otherwise."""
    return int(os.environ.get("RANK", "0")) == 0


def run_training(task: TrainingTask, args: TrainArgs, all_args: dict[str, Any]) -> Path:
    """Train `task.model` with `args.strategy`, evaluate every split, write models/<name>/; return it."""
    check_labels(task.data)
    if args.holdout_fraction:
        task.data = carve_holdout(task.data, args.holdout_fraction, args.seed)
    clean_leftovers(Path(args.models_dir))  # what a run killed mid-save left behind
    strategy = STRATEGIES[args.strategy]
    epochs = args.epochs or strategy.default_epochs
    learning_rate = args.learning_rate or strategy.default_learning_rate
    if not args.resume:
        remove_run_dir(args)  # stale checkpoints of an older run would confuse a later --resume
    kfold = cross_validate(task, args, strategy, epochs, learning_rate) if args.eval_protocol == "kfold" else None
    started = time.perf_counter()
    result = strategy.train(task, args, epochs, learning_rate)
    runtime = time.perf_counter() - started
    train_examples = len(task.data.splits[TRAIN_SPLIT])
    calibrations = {name: found.pop("calibration", None) for name, found in result["splits"].items()}
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
        **({"kfold": kfold} if kfold else {}),
        **({"inference": task.inference} if task.inference else {}),
        **({"calibration": {"split": EVAL_SPLIT, **calibrations[EVAL_SPLIT]}} if calibrations.get(EVAL_SPLIT) else {}),
        **({"languages": task.languages} if task.languages else {}),
        "versions": versions(),
        "created": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    task.model.to("cpu")
    if not is_main_process():  # under `accelerate launch`, every process trained; one writes
        return args.output_dir
    onnx_inputs = onnx_sample(task) if args.onnx else None
    path = save_checkpoint(args.output_dir, task.model, task.processor, metrics, onnx_inputs)
    remove_run_dir(args)  # the run is complete: nothing left to resume
    print_summary(metrics, path)
    if args.push_to_hub:
        from training.hub import push_checkpoint

        info = push_checkpoint(path, args.hub_repo_id, private=args.hub_private)
        print(f"pushed to {info.repo_url}")
    return path


def print_summary(metrics: dict[str, Any], path: Path) -> None:
    print(splits_table(metrics["splits"]))
    if metrics.get("kfold"):
        print(kfold_line(metrics["kfold"]))
    skipped = sum(metrics.get("skipped", {}).values())
    if skipped:
        print(f"skipped {skipped} unreadable files: {metrics['skipped']}")
    print(f"checkpoint written to {path} ({metrics['train']['runtime_s']}s)")
