"""`python -m bench.vision`: ImageNet MobileNetV2 -> beans on CPU, strategy `head` vs `full`.

Prints a table and writes bench/results/vision.json: wall time, training images/s, peak memory
(ru_maxrss of each training process), validation accuracy. `full` runs two epochs by default so it
finishes in minutes on a laptop CPU; change that with the flags.
"""

from __future__ import annotations

import argparse
import datetime as dt

from bench.common import assets_dir, machine, measured_training, print_table, write_results

COLUMNS = ["strategy", "train_images", "epochs", "wall_s", "train_s", "images_per_s", "peak_rss_mib",
           "val_accuracy", "val_f1_macro"]


def row(strategy: str, metrics: dict) -> dict:
    train = metrics["train"]
    validation = metrics["splits"]["validation"]
    return {
        "strategy": strategy,
        "train_images": train["num_examples"],
        "epochs": train["epochs"],
        "wall_s": metrics["wall_s"],
        "train_s": train["runtime_s"],
        # images through training per second of the whole strategy (feature extraction included for head)
        "images_per_s": round(train["num_examples"] * train["epochs"] / train["runtime_s"], 1),
        "feature_extraction_s": train.get("feature_extraction_s"),
        "peak_rss_mib": metrics["peak_rss_mib"],
        "val_accuracy": round(validation["accuracy"], 4),
        "val_f1_macro": round(validation["f1_macro"], 4),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strategies", nargs="+", default=["head", "full"])
    parser.add_argument("--head-epochs", default="10")
    parser.add_argument("--full-epochs", default="2")
    parser.add_argument("--full-train-samples", default="all", help="training subset for `full` ('all' = 1034)")
    parser.add_argument("--full-learning-rate", default="5e-4",
                        help="a CNN like MobileNetV2 wants more than the transformer default 5e-5")
    parser.add_argument("--threads", type=int, default=None,
                        help="torch threads per run (default: one per core; 1 is faster on a busy shared CPU)")
    options = parser.parse_args()
    assets = assets_dir()
    common = ["--data_dir", str(assets / "data" / "beans"),
              "--base_model", str(assets / "models" / "mobilenet_v2_imagenet")]
    extra = {
        "head": ["--strategy", "head", "--epochs", options.head_epochs],
        "full": ["--strategy", "full", "--epochs", options.full_epochs, "--learning_rate", options.full_learning_rate]
        + ([] if options.full_train_samples == "all" else ["--max_train_samples", options.full_train_samples]),
    }
    rows = []
    for strategy in options.strategies:
        print(f"training {strategy} ...", flush=True)
        rows.append(row(strategy, measured_training("image", [*common, *extra[strategy]], options.threads)))
    print_table(rows, COLUMNS)
    path = write_results("vision", {
        "benchmark": "MobileNetV2 (ImageNet) -> beans, CPU",
        "memory": "peak_rss_mib = resource.getrusage(RUSAGE_SELF).ru_maxrss of each training process",
        "created": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "machine": machine(options.threads),
        "runs": rows,
    })
    print(f"written to {path}")


if __name__ == "__main__":
    main()
