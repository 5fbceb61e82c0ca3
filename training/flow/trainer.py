"""transformers' Trainer as the strategies use it: TrainingArguments from our arguments, a Trainer whose
checkpoint loads really load, fit with --resume, and the run folder of Trainer's own checkpoints."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path
from typing import Any

import torch
from torch import nn

from contract.runs import resumable_checkpoints
from training.flow.args import TrainArgs

log = logging.getLogger("training")


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
        # A watched run (--progress-file: the Train tab) is scored every epoch for its validation curve,
        # even when no epoch is selected on it.
        eval_strategy="epoch" if args.select_best or args.progress_file else "no",
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
    """The newest complete checkpoint-N of the run (contract.runs.resumable_checkpoints)."""
    complete = resumable_checkpoints(args.run_dir)
    return str(complete[-1]) if complete else None


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


def remove_run_dir(args: TrainArgs) -> None:
    shutil.rmtree(args.run_dir, ignore_errors=True)
    if args.run_dir.parent.is_dir() and not any(args.run_dir.parent.iterdir()):
        args.run_dir.parent.rmdir()
