"""`python -m bench.offline_page --checkpoint models/<name>`: the offline page beside the server, per photo.

Exports the checkpoint's page (contract/offline_page.py), opens it from file:// in Debian's Chromium with
every http(s) request aborted, classifies validation leaves one at a time and reads the time the page
itself shows (decode, preprocessing, the test-time views' pass on ONNX Runtime Web's single-threaded wasm);
the server's computation (studio/beans/predict.py predict_leaf's steps, from contract: bench imports no
studio) answers the same files on the same int8 graph and on the float one, one thread, timed the same way. Prints a table and writes bench/results/offline_page.json: folder and zip size,
ms per photo (the first, then the median of the rest), agreement and mean |Δp| with the server's int8 answer.

    python -m bench.offline_page --checkpoint models/beans --leaves 20
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from bench.common import assets_dir, machine, print_table, write_results
from contract.checkpoint import ONNX_FILE
from contract.offline_page import build_offline_page, folder_size
from contract.onnx_graph import INT8_ONNX_FILE

COLUMNS = ["where", "first_ms", "median_ms", "agreement", "mean_abs_dp"]
CHROMIUM = os.environ.get("STUDIO_CHROMIUM", "/usr/bin/chromium")


def page_answers(page: Path, leaves: list[Path]) -> tuple[list[list[float]], list[float]]:
    from playwright.sync_api import sync_playwright

    found, ms = [], []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"])
        context = browser.new_context(viewport={"width": 390, "height": 844}, service_workers="block")
        context.route("**/*", lambda route: route.abort() if route.request.url.startswith("http") else route.continue_())
        tab = context.new_page()
        tab.goto((page / "index.html").as_uri())
        tab.wait_for_selector("body[data-ready=true]", timeout=300_000)
        for leaf in leaves:
            tab.evaluate("document.getElementById('answer').dataset.probabilities = ''")
            tab.set_input_files("#pick", str(leaf))
            tab.wait_for_function("document.getElementById('answer').dataset.probabilities", timeout=300_000)
            found.append(json.loads(tab.eval_on_selector("#answer", "list => list.dataset.probabilities")))
            ms.append(float(tab.text_content("#status").split()[0]))
        browser.close()
    return found, ms


def server_answers(checkpoint: Path, graph: str, leaves: list[Path]) -> tuple[list[dict], list[float]]:
    """What the bean tab's predict_leaf computes (open_rgb at the preprocessing's side, the views, the
    checkpoint's processor, one ONNX Runtime pass, probabilities averaged), on one thread."""
    from transformers import AutoImageProcessor

    from contract.images import VIEWS, open_rgb
    from contract.offline_page import read_preprocessing
    from contract.onnx_graph import graph_logits, open_graph, softmax

    steps, processor = read_preprocessing(checkpoint), AutoImageProcessor.from_pretrained(checkpoint)
    session = open_graph(checkpoint / graph)
    labels = json.loads((checkpoint / "metrics.json").read_text())["label_names"]
    answers, ms = [], []
    for leaf in leaves:
        started = time.perf_counter()
        picture = open_rgb(leaf, 50_000_000, steps.min_side)
        pictures = [picture, *(VIEWS[name](picture) for name in steps.views)]
        probabilities = softmax(graph_logits(session, processor(pictures, return_tensors="np")["pixel_values"]))
        answers.append(dict(zip(labels, probabilities.mean(axis=0).tolist(), strict=True)))
        ms.append((time.perf_counter() - started) * 1000)
    return answers, ms


def row(where: str, ms: list[float], agreement: float | None = None, gap: float | None = None) -> dict:
    return {"where": where, "first_ms": round(ms[0]), "median_ms": round(statistics.median(ms[1:] or ms)),
            "agreement": agreement, "mean_abs_dp": gap}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.offline_page")
    parser.add_argument("--checkpoint", required=True, help="an image checkpoint with model.int8.onnx")
    parser.add_argument("--leaves", type=int, default=20)
    args = parser.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    checkpoint = Path(args.checkpoint).resolve()
    labels = json.loads((checkpoint / "metrics.json").read_text())["label_names"]
    leaves = sorted((assets_dir() / "data" / "beans" / "validation").glob("*/*.jpg"))
    leaves = leaves[:: max(1, len(leaves) // args.leaves)][: args.leaves]
    with tempfile.TemporaryDirectory() as scratch:
        page = build_offline_page(checkpoint, Path(scratch) / "page")
        size_mb = folder_size(page) / 1e6
        zip_mb = Path(shutil.make_archive(str(Path(scratch) / "page"), "zip", page)).stat().st_size / 1e6
        found, page_ms = page_answers(page, leaves)
    int8, int8_ms = server_answers(checkpoint, INT8_ONNX_FILE, leaves)
    _float, float_ms = server_answers(checkpoint, ONNX_FILE, leaves)
    agreement = sum(max(mine, key=mine.get) == labels[max(range(len(p)), key=p.__getitem__)]
                    for mine, p in zip(int8, found, strict=True)) / len(leaves)
    gaps = [abs(mine[label] - p[i]) for mine, p in zip(int8, found, strict=True) for i, label in enumerate(labels)]
    rows = [row("page (Chromium, wasm, 1 thread)", page_ms, round(agreement, 3), round(sum(gaps) / len(gaps), 4)),
            row("server int8 (as predict_leaf)", int8_ms), row("server float (as predict_leaf)", float_ms)]
    print(f"page folder {size_mb:.1f} MB, zipped {zip_mb:.1f} MB; {len(leaves)} leaves")
    print_table(rows, COLUMNS)
    path = write_results("offline_page", {"created": dt.datetime.now(dt.UTC).isoformat(), "machine": machine(1),
                                          "checkpoint": checkpoint.name, "folder_mb": round(size_mb, 2),
                                          "zip_mb": round(zip_mb, 2), "rows": rows})
    print(f"written {path}")


if __name__ == "__main__":
    main()
