"""`python -m bench.vision`: ImageNet MobileNetV2 -> beans on CPU, recipe by recipe, scored by k-fold.

Each recipe is the real `python -m training image ... --eval-protocol kfold` command in its own process
(bench.common.measured_training): stratified k-fold over train+validation (a fresh pretrained model per
fold), then the final run on train, scored on validation. Per recipe: `run_s`, what one run of the recipe
costs on its own (the final run, or the first fold if longer: `head` and `last-n` compute the output of
the frozen layers there and the later folds and the final run reuse it, so the final run's `train_s` alone
would flatter them),
training images per second, the process's peak memory, k-fold accuracy and macro-F1 (mean ± std),
validation accuracy, and, with --holdout-fraction, the held-out split's accuracy. The course's chapter-3
recipe is the reference row. Prints a table and writes bench/results/vision.json.

    python -m bench.vision                                   # every recipe, 5 folds
    python -m bench.vision --recipes course head --folds 3   # some of them
"""

from __future__ import annotations

import argparse
import datetime as dt

from bench.common import assets_dir, machine, measured_training, print_table, write_results
from contract.recipes import with_recipe

# Each row: a named recipe of contract/recipes.py (what `--recipe` runs), or one with flags changed.
REFERENCE = "course"  # the course's chapter-3 Trainer settings: batch 8, lr 2e-4, 4 epochs, the processor's crop
RECIPES: dict[str, list[str]] = {
    REFERENCE: ["--recipe", "course"],
    "head-224": ["--recipe", "fast", "--image_size", "224", "--select_best", "true"],
    "head": ["--recipe", "fast"],  # the default recipe
    "last-n": ["--recipe", "best"],  # the last 3 blocks fine-tuned on the cached output of the frozen ones
    # the same flags with every block run every step, on randomly flipped/turned images: what the cache saves
    "last-n-uncached": ["--recipe", "best", "--no_cache_frozen"],
    "probe-then-full": ["--recipe", "course", "--strategy", "probe-then-full", "--resize_mode", "whole", "--epochs",
                        "3", "--train_batch_size", "16", "--augment", "hflip,vflip,rotate,color",
                        "--lr_scheduler_type", "cosine", "--label_smoothing", "0.1", "--tta", "flips"],
}
COLUMNS = ["recipe", "strategy", "epochs", "run_s", "train_s", "images_per_s", "peak_rss_mib", "kfold_accuracy",
           "kfold_f1_macro", "kfold_s", "val_accuracy", "holdout_accuracy"]


def row(recipe: str, metrics: dict) -> dict:
    train, kfold = metrics["train"], metrics["kfold"]
    run_s = max(train["runtime_s"], kfold["per_fold"][0]["runtime_s"])
    holdout = metrics["splits"].get("holdout", {})
    return {
        "recipe": recipe,
        "strategy": metrics["strategy"],
        "epochs": train["epochs"],
        # What one run of the recipe costs: the final run, or the first fold when that was longer (head and
        # last-n compute the frozen layers' output there; the later folds and the final run reuse it).
        "run_s": run_s,
        "train_s": train["runtime_s"],  # the final run, after the k-fold
        "wall_s": metrics["wall_s"],  # the whole process: loading, k folds, final run, checkpoint
        # training images (x epochs) per second of one run on its own (frozen-layer outputs included)
        "images_per_s": round(train["num_examples"] * train["epochs"] / run_s, 1),
        "peak_rss_mib": metrics["peak_rss_mib"],
        "kfold_accuracy": f"{kfold['accuracy_mean']:.4f} ± {kfold['accuracy_std']:.4f}",
        "kfold_f1_macro": f"{kfold['f1_macro_mean']:.4f} ± {kfold['f1_macro_std']:.4f}",
        "kfold_s": kfold["runtime_s"],
        "kfold": kfold,
        "val_accuracy": round(metrics["splits"]["validation"]["accuracy"], 4),
        "holdout_accuracy": round(holdout["accuracy"], 4) if holdout else None,
        "args": with_recipe("image", RECIPES[recipe], "mobilenet_v2"),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipes", nargs="+", default=list(RECIPES), choices=list(RECIPES))
    parser.add_argument("--folds", type=int, default=5, help="k of the k-fold over train+validation")
    parser.add_argument("--holdout-fraction", type=float, default=0.0,
                        help="also carve this share of train as a held-out split (scored, never trained on)")
    parser.add_argument("--threads", type=int, default=None,
                        help="torch threads per run (default: one per core; 1 is faster on a busy shared CPU)")
    options = parser.parse_args(argv)
    assets = assets_dir()
    common = ["--data_dir", str(assets / "data" / "beans"),
              "--base_model", str(assets / "models" / "mobilenet_v2_imagenet"),
              "--eval_protocol", "kfold", "--folds", str(options.folds),
              "--holdout_fraction", str(options.holdout_fraction)]
    rows = []
    for recipe in options.recipes:
        print(f"training {recipe} ...", flush=True)
        rows.append(row(recipe, measured_training("image", [*common, *RECIPES[recipe]], options.threads)))
        done = rows[-1]  # a long run (the course row is most of an hour) shows each row as it ends
        print(f"  {recipe}: {done['kfold_accuracy']} in {done['run_s']} s one run, {done['wall_s']} s wall", flush=True)
    print_table(rows, COLUMNS)
    path = write_results("vision", {
        "benchmark": f"MobileNetV2 (ImageNet) -> beans, CPU, {options.folds}-fold over train+validation",
        "reference": REFERENCE,
        "memory": "peak_rss_mib = resource.getrusage(RUSAGE_SELF).ru_maxrss of each training process",
        "created": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "machine": machine(options.threads),
        "runs": rows,
    })
    print(f"written to {path}")


if __name__ == "__main__":
    main()
