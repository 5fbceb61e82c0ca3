"""`python -m bench.label_noise`: does k-fold + cleanlab find labels that are wrong on purpose?

1. **Planted noise (beans).** A copy of data/beans made of symbolic links (nothing is copied) in which
   5 % of the training files, drawn with a seed, sit in another class's folder. The image recipe
   (`--recipe`-like flags of the fast recipe, `--eval-protocol kfold`) is trained on it in its own
   process; recall = the share of flipped files among the first 1.5 x (number flipped) entries of its
   label_issues.json. Then the same recipe on the noisy copy without those first entries, and on the
   clean data: their k-fold accuracies (each scored against the labels of its own data, flipped ones
   included for the noisy run).
2. **Real data.** How many label issues the clean beans run and a text run on sst2-sentences (MiniLM,
   head, a subset) find, and their first 10 entries, to be looked at by a person.

Each training run is `python -m training <image|text> ...` in a subprocess, with the checkpoint kept
in a temporary folder until its files are read. Prints the figures, writes bench/results/label_noise.json.

    python -m bench.label_noise                      # everything (about 6 CPU minutes on 2 cores)
    python -m bench.label_noise --parts noise        # only the planted-noise part
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import REPO_ROOT, assets_dir, machine, write_results

# The README's fast image recipe (see docs/RESULTS.md): frozen MobileNetV2 at 384 px, the head trained on the
# features of the leaf and its two mirror images, scored on the average of the three.
FAST_IMAGE = ["--strategy", "head", "--resize_mode", "whole", "--image_size", "384", "--augment", "hflip,vflip",
              "--no_select_best", "--tta", "flips"]
# MiniLM's frozen sentence features and a trained head: the cheapest text recipe that gives k-fold probabilities
HEAD_TEXT = ["--strategy", "head", "--epochs", "10", "--learning_rate", "5e-3", "--text_column", "sentence",
             "--label_column", "label", "--label_names", "negative,positive", "--max_length", "0"]
NOISE_SHARE = 0.05
WINDOW = 1.5  # recall is counted among the first WINDOW x (number flipped) label issues
SHOWN = 10


def link_tree(source: Path, target: Path, moves: dict[str, str], excluded: set[str]) -> None:
    """target/<split>/<class>/<file> -> source's file, as symbolic links; a file listed in `moves`
    ("train/<class>/<file>" -> "<other class>") goes to the other class's folder, one in `excluded`
    (by the path it has in the target) is left out."""
    for path in sorted(source.glob("*/*/*")):
        relative = path.relative_to(source).as_posix()
        split, label, name = relative.split("/")
        placed = f"{split}/{moves.get(relative, label)}/{name}"
        if placed in excluded:
            continue
        (target / placed).parent.mkdir(parents=True, exist_ok=True)
        (target / placed).symlink_to(path.resolve())


def flipped_labels(beans: Path, share: float, seed: int) -> dict[str, str]:
    """{"train/<class>/<file>": the other class it is moved to} for `share` of the training files."""
    rng = random.Random(seed)
    files = sorted(p.relative_to(beans).as_posix() for p in beans.glob("train/*/*"))
    classes = sorted(p.name for p in (beans / "train").iterdir() if p.is_dir())
    chosen = rng.sample(files, round(share * len(files)))
    return {f: rng.choice([c for c in classes if c != f.split("/")[1]]) for f in chosen}


def train(command: str, argv: list[str], models_dir: Path, name: str, threads: int) -> dict[str, Any]:
    """One `python -m training` run in its own process; its metrics.json, label_issues.json and wall time."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "OMP_NUM_THREADS": str(threads)}
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "training", command, "--name", name,
                             "--models_dir", str(models_dir), *argv],
                            cwd=REPO_ROOT, capture_output=True, text=True, env=env)
    wall = round(time.perf_counter() - started, 1)
    if result.returncode != 0:
        sys.exit(f"training failed ({result.returncode}):\n{result.stderr[-3000:]}")
    folder = models_dir / name
    metrics = json.loads((folder / "metrics.json").read_text(encoding="utf-8"))
    issues = json.loads((folder / "label_issues.json").read_text(encoding="utf-8"))
    print(f"  {name}: k-fold {metrics['kfold']['accuracy_mean']:.4f} ± {metrics['kfold']['accuracy_std']:.4f}, "
          f"{len(issues)} label issues, {wall} s", flush=True)
    return {"metrics": metrics, "issues": issues, "wall_s": wall}


def kfold(run: dict) -> dict[str, Any]:
    found = run["metrics"]["kfold"]
    return {"accuracy_mean": found["accuracy_mean"], "accuracy_std": found["accuracy_std"],
            "examples": found["num_examples"], "label_issues": len(run["issues"]), "wall_s": run["wall_s"]}


def planted_noise(assets: Path, work: Path, folds: int, seed: int, threads: int, image_args: list[str]) -> dict:
    beans = assets / "data" / "beans"
    moves = flipped_labels(beans, NOISE_SHARE, seed)
    flipped = {f"train/{to}/{path.split('/')[2]}" for path, to in moves.items()}
    noisy = work / "beans-noisy"
    link_tree(beans, noisy, moves, set())
    common = ["--base_model", str(assets / "models" / "mobilenet_v2_imagenet"), "--eval_protocol", "kfold",
              "--folds", str(folds), "--seed", str(seed), *image_args]
    print(f"noisy beans: {len(flipped)} of {len(list(beans.glob('train/*/*')))} training labels flipped", flush=True)
    runs = {"noisy": train("image", ["--data_dir", str(noisy), *common], work / "models", "noisy", threads)}
    window = round(WINDOW * len(flipped))
    top = [issue["path"] for issue in runs["noisy"]["issues"][:window]]
    found = flipped & set(top)
    anywhere = flipped & {issue["path"] for issue in runs["noisy"]["issues"]}
    cleaned = work / "beans-noisy-cleaned"
    link_tree(beans, cleaned, moves, set(top))
    runs["top_excluded"] = train("image", ["--data_dir", str(cleaned), *common], work / "models", "cleaned", threads)
    runs["clean"] = train("image", ["--data_dir", str(beans), *common], work / "models", "clean", threads)
    return {
        "flipped": len(flipped), "window": window, "flipped_in_window": len(found),
        "recall_at_window": round(len(found) / len(flipped), 4),
        "flipped_among_all_issues": len(anywhere), "recall_all_issues": round(len(anywhere) / len(flipped), 4),
        "precision_at_window": round(len(found) / max(1, len(top)), 4),
        "missed": sorted(flipped - found),
        "kfold": {name: kfold(run) for name, run in runs.items()},
        "clean_top": runs["clean"]["issues"][:SHOWN],
        "clean_issues": len(runs["clean"]["issues"]),
    }


def minilm_dir() -> Path:
    from bench.text import minilm_dir as found

    return found()


def text_issues(assets: Path, work: Path, folds: int, seed: int, threads: int, samples: int) -> dict:
    data = assets / "data" / "sst2-sentences"
    argv = ["--data_dir", str(data), "--base_model", str(minilm_dir()), "--eval_protocol", "kfold",
            "--folds", str(folds), "--seed", str(seed), "--max_train_samples", str(samples), *HEAD_TEXT]
    print(f"sst2-sentences: MiniLM head, {samples} training rows + dev", flush=True)
    run = train("text", argv, work / "models", "sst2", threads)
    return {"train_rows": samples, "kfold": kfold(run), "issues": len(run["issues"]), "top": run["issues"][:SHOWN]}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parts", nargs="+", default=["noise", "text"], choices=["noise", "text"])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0, help="which labels are flipped, and the folds")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--text-samples", type=int, default=4000, help="sst2-sentences training rows used")
    options = parser.parse_args(argv)
    assets = assets_dir()
    payload: dict[str, Any] = {
        "benchmark": "label issues from k-fold out-of-fold probabilities (cleanlab)",
        "created": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), "machine": machine(options.threads),
        "image_recipe": FAST_IMAGE, "text_recipe": HEAD_TEXT, "folds": options.folds, "seed": options.seed,
    }
    with tempfile.TemporaryDirectory(prefix="bench-noise-") as work:
        if "noise" in options.parts:
            found = payload["beans"] = planted_noise(assets, Path(work), options.folds, options.seed,
                                                     options.threads, FAST_IMAGE)
            print(f"recall of flipped labels in the first {found['window']} issues: {found['recall_at_window']} "
                  f"({found['flipped_in_window']}/{found['flipped']}); anywhere in the list: "
                  f"{found['recall_all_issues']}", flush=True)
            for name, row in found["kfold"].items():
                print(f"  k-fold {name}: {row['accuracy_mean']:.4f} ± {row['accuracy_std']:.4f} "
                      f"({row['examples']} examples, {row['label_issues']} issues)")
        if "text" in options.parts:
            found = payload["sst2"] = text_issues(assets, Path(work), options.folds, options.seed, options.threads,
                                                  options.text_samples)
            print(f"sst2-sentences: {found['issues']} label issues among {found['kfold']['examples']} rows")
    print(f"written to {write_results('label_noise', payload)}")


if __name__ == "__main__":
    main()
