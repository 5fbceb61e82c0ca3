"""`python -m bench.quantize`: model.onnx against model.int8.onnx on the bean recipes, side by side.

Each recipe is trained once, in its own process, with `--quantize int8` (bench.common.measured_training):
the float graph is exported and checked as always, then quantized by ONNX Runtime (static QDQ, calibrated
on 64 training leaves) and both graphs are run on every validation leaf with the recipe's test-time views,
one thread and one picture per pass, timed in turn on the same pictures (training/outputs/quantize.py). Per recipe:
file sizes, validation accuracy of each graph, how often they agree, CPU ms per picture. Prints a table
and writes bench/results/quantize.json.

    python -m bench.quantize                        # the fast and the best recipe
    python -m bench.quantize --recipes fast --threads 1
"""

from __future__ import annotations

import argparse
import datetime as dt

from bench.common import assets_dir, machine, measured_training, print_table, write_results
from contract.onnx_graph import INT8_RECORD

RECIPES = {"fast": ["--recipe", "fast"], "best": ["--recipe", "best"]}
COLUMNS = ["recipe", "float_mb", "int8_mb", "float_ms", "int8_ms", "float_accuracy", "int8_accuracy", "drop",
           "agreement", "examples"]


def row(recipe: str, metrics: dict) -> dict:
    int8 = metrics["inference"][INT8_RECORD]
    return {
        "recipe": recipe,
        "float_mb": int8["float_size_mb"], "int8_mb": int8["size_mb"],
        "float_ms": int8["float_ms_per_image"], "int8_ms": int8["ms_per_image"],
        "float_accuracy": int8["float_accuracy"], "int8_accuracy": int8["accuracy"],
        "drop": int8["accuracy_drop"], "agreement": int8["agreement"], "examples": int8["num_examples"],
        "timed_pictures": int8["timed_pictures"], "check_max_prob_diff": int8["check_max_prob_diff"],
        "quantize_s": int8["quantize_s"], "train_s": metrics["train"]["runtime_s"], "args": RECIPES[recipe],
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipes", nargs="+", default=list(RECIPES), choices=list(RECIPES))
    parser.add_argument("--threads", type=int, default=None, help="torch threads of each training process")
    options = parser.parse_args(argv)
    assets = assets_dir()
    common = ["--data_dir", str(assets / "data" / "beans"),
              "--base_model", str(assets / "models" / "mobilenet_v2_imagenet"), "--quantize", "int8"]
    rows = []
    for recipe in options.recipes:
        print(f"training {recipe} ...", flush=True)
        rows.append(row(recipe, measured_training("image", [*common, *RECIPES[recipe]], options.threads)))
    print_table(rows, COLUMNS)
    path = write_results("quantize", {
        "benchmark": "MobileNetV2 (ImageNet) -> beans: model.onnx vs model.int8.onnx (ONNX Runtime static QDQ), "
                     "validation split, CPU ms per picture on one thread",
        "created": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "machine": machine(options.threads),
        "runs": rows,
    })
    print(f"written to {path}")


if __name__ == "__main__":
    main()
