"""The text adapter: a base model, its tokenizer and a text data set made into a TrainingTask
(training/flow/data.py).

Data: a Hub dataset id (default `stanfordnlp/sst2`) or local files in `--data-dir` named after their
split (train / validation|dev / test, as .csv, .tsv, .json or .jsonl): read by text_data.py.
Texts are tokenized on access with truncation to `--max-length`; batches are padded dynamically.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from contract.checkpoint import TEXT_CLASSIFICATION, canonical_split, config_label_names, read_metrics
from contract.tokens import token_limit
from training.errors import UserError
from training.flow.args import TrainArgs
from training.flow.data import SplitData, TaskData, TrainingTask, check_labels, label_maps, take_subset
from training.flow.pretrained import check_model_ref, load_pretrained
from training.modalities.languages import detected_languages
from training.modalities.text_args import TextDataArgs, TextModelArgs
from training.modalities.text_data import EvalLimits, load_text_data
from training.outputs.card import DATASET_NOTES, dataset_id

log = logging.getLogger("training")
TASK = TEXT_CLASSIFICATION


# ---------------------------------------------------------------- tokenizer, model, task


def length_from_data(tokenizer: Any, split: SplitData, seed: int, quantile: float = 99, sample: int = 4000) -> int:
    """The `quantile`th percentile of the token lengths of (a seeded sample of) `split`, at least 8."""
    examples = take_subset(split.examples, sample, seed)
    lengths = [len(tokenizer(*(e if isinstance(e, tuple) else (e,)))["input_ids"]) for e in examples]
    return max(8, int(np.ceil(np.percentile(lengths, quantile))))


def make_encode(tokenizer: Any, max_length: int):
    """encode(text or (text, pair), train) -> token ids, truncated; padding is left to the collator."""

    def encode(example: Any, train: bool) -> dict[str, Any]:
        text, pair = example if isinstance(example, tuple) else (example, None)
        return dict(tokenizer(text, pair, truncation=True, max_length=max_length))

    return encode


def text_task(model: Any, tokenizer: Any, data: TaskData, max_length: int, base_model: str,
              **more: Any) -> TrainingTask:
    """The task of `model` reading `data` through `tokenizer`, texts cut at `max_length` tokens (or the model's
    limit); `more`: TrainingTask's optional fields."""
    from transformers import DataCollatorWithPadding

    return TrainingTask(
        task=TASK, data=data, model=model, processor=tokenizer,
        encode=make_encode(tokenizer, token_limit(tokenizer, getattr(model, "config", None), max_length)),
        collate=DataCollatorWithPadding(tokenizer), base_model=base_model, **more,
    )


def training_languages(data_args: TextDataArgs, source: str, train: SplitData) -> list[str]:
    """--languages, else the known language of a course data set (training.outputs.card.DATASET_NOTES), else the
    languages detected on the training texts (training.modalities.languages; [] when too few can be told)."""
    if data_args.languages:
        return [code.strip() for code in data_args.languages.split(",")]
    known = DATASET_NOTES.get(dataset_id(source) or "", (None,))[0]
    return [known] if known else detected_languages(train.examples)


def build_task(train_args: TrainArgs, data_args: TextDataArgs, model_args: TextModelArgs) -> TrainingTask:
    from transformers import AutoModelForSequenceClassification, AutoTokenizer, set_seed

    set_seed(train_args.seed)
    ref = check_model_ref(model_args.base_model)
    data = load_text_data(train_args, data_args)
    check_labels(data)  # bad data is reported before the (slow) model load
    tokenizer = load_pretrained(AutoTokenizer, ref)
    add_pad_token = tokenizer.pad_token is None  # GPT-style tokenizers: dynamic padding needs a pad token
    if add_pad_token:
        tokenizer.pad_token = tokenizer.eos_token

    def fresh_model():
        model = load_pretrained(
            AutoModelForSequenceClassification, ref, ignore_mismatched_sizes=True, use_safetensors=True,
            **label_maps(data.label_names),
        )
        if add_pad_token:
            model.config.pad_token_id = tokenizer.pad_token_id
        return model

    max_length = data_args.max_length or length_from_data(tokenizer, data.splits["train"], train_args.seed)
    if not data_args.max_length:
        log.warning("--max-length from the data: %d tokens (99th percentile of train)", max_length)
    return text_task(
        fresh_model(), tokenizer, data, max_length, model_args.base_model, fresh_model=fresh_model,
        languages=tuple(training_languages(data_args, data.source, data.splits["train"])),
        trainer_overrides={"train_sampling_strategy": "group_by_length"} if data_args.group_by_length else {},
        decided={"max_length": max_length},
    )


def evaluation_task(checkpoint: Path, data_dir: Path, split: str, max_examples: int | None, seed: int) -> TrainingTask:
    """A checkpoint and one split of local text files, read with the columns it was trained with."""
    from transformers import AutoConfig, AutoModelForSequenceClassification, AutoTokenizer

    config = load_pretrained(AutoConfig, str(checkpoint))
    label_names = config_label_names(config)
    trained_with = read_metrics(checkpoint).get("args", {})
    known = {name: trained_with[name] for name in TextDataArgs.__dataclass_fields__ if name in trained_with}
    data_args = TextDataArgs(**{**known, "data_dir": str(data_dir), "label_names": None})
    wanted = canonical_split(split)
    loaded = load_text_data(EvalLimits(max_examples, max_examples, seed), data_args, label_names, only=wanted)
    if wanted not in loaded.splits:
        raise UserError(f"the '{split}' file of {data_dir} has no labelled rows")
    data = replace(loaded, label_names=label_names)
    tokenizer = load_pretrained(AutoTokenizer, str(checkpoint))
    model = load_pretrained(AutoModelForSequenceClassification, str(checkpoint), use_safetensors=True)
    return text_task(model, tokenizer, data, data_args.max_length, str(checkpoint))
