"""What `python -m training text` is asked about the data and the model (frozen: read, never changed)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from training.errors import UserError


@dataclass(frozen=True)
class TextDataArgs:
    dataset: str = field(
        default="stanfordnlp/sst2", metadata={"help": "Hub dataset id (used when --data-dir is not given)."}
    )
    dataset_config: str | None = field(
        default=None, metadata={"help": "Hub dataset configuration, e.g. 'mrpc' for nyu-mll/glue."}
    )
    data_dir: str | None = field(
        default=None,
        metadata={"help": "Local folder with train.{csv,tsv,json,jsonl} and validation (or dev), optional test."},
    )
    text_column: str = field(default="sentence", metadata={"help": "Column holding the text."})
    text_pair_column: str | None = field(
        default=None, metadata={"help": "Second text column, for sentence-pair tasks (paraphrase, NLI)."}
    )
    label_column: str = field(default="label", metadata={"help": "Column holding the label (int or name)."})
    label_names: str | None = field(
        default=None,
        metadata={"help": "Comma-separated names: for int labels, the name of 0, 1, ...; "
                  "for string labels, the allowed labels in this order."},
    )
    max_length: int = field(
        default=128,
        metadata={"help": "Tokens per text (pair) after truncation; 0 = from the data: the 99th percentile of "
                  "train's token lengths (metrics.json args records the value used)."},
    )
    group_by_length: bool = field(
        default=False, metadata={"help": "Batch texts of similar length together (less padding, faster)."}
    )

    languages: str | None = field(
        default=None,
        metadata={"help": "Comma-separated ISO 639-1 codes of the training texts (e.g. en, or es,en): recorded in "
                  "metrics.json, so the app warns about texts in other languages. Default: the known language "
                  "of a course data set (SST-2: en), else detected on the training texts (lingua)."},
    )

    def __post_init__(self):
        if self.languages is not None and not all(
                re.fullmatch(r"[a-z]{2}", code.strip()) for code in self.languages.split(",")):
            raise UserError(f"--languages must be two-letter codes separated by commas, got {self.languages!r}")
        if self.max_length != 0 and self.max_length < 8:
            raise UserError(f"--max-length must be at least 8 (or 0: from the data), got {self.max_length}")


@dataclass(frozen=True)
class TextModelArgs:
    base_model: str = field(
        default="distilbert-base-uncased",
        metadata={"help": "Pretrained model: Hub id or local folder (any AutoModelForSequenceClassification)."},
    )
