"""A class at once (issue 27): N learners train their own bean model on one server, all clicking at once.

    flock /tmp/cpu.lock .venv/bin/python -m bench.classroom [--learners 30] [--executor worker|process]

Each learner has 2 of the 3 bean classes x 11 distinct photos of the beans train split (no photo shared by
two learners), zipped as class folders, and goes through the real server with gradio_client: a page
(/studio_visitor), /train_explore, /train_start (MobileNetV2, head: the fast recipe), then waits for their
job. Meanwhile one more client asks the bean tab (/classify_leaf) once a second. Printed per learner: the
seconds from the click to a finished model, refusals, and the model's accuracy on 20 held-out photos of its
classes (10 each, from the validation split); for the class: the bean tab's p50/p95, peak RSS of the server
and of its training processes. In the same run, first, the reference: one `python -m training image` of the
fast recipe on all N x 22 photos together (the compute floor). Results: bench/results/classroom.json.

Every learner here connects from 127.0.0.1, one source: the server runs with STUDIO_TRAIN_MAX_PER_SOURCE=N,
as a teacher whose class sits behind one school network would set it. `--executor process` measures the
previous way (a new `python -m training` per job) on the same server for comparison.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

import psutil

from bench.common import REPO_ROOT, assets_dir, machine, print_table, write_results
from bench.serve import percentile, start, stop

CLASSES = ("angular_leaf_spot", "bean_rust", "healthy")
PAIRS = list(itertools.combinations(CLASSES, 2))
PER_CLASS, HELD_OUT = 11, 10
HTTP_TIMEOUT_S = 300  # a busy 2-core machine answers slowly, never "timed out" as a refusal
COLUMNS = ["learner", "classes", "refused", "click_to_model_s", "status", "held_out_correct"]


def photos_for(learners: int) -> list[dict[str, list[Path]]]:
    """Each learner's 2 classes x PER_CLASS photos, distinct across learners (round-robin over class pairs)."""
    train = assets_dir() / "data" / "beans" / "train"
    pools = {name: iter(sorted((train / name).glob("*.jpg"))) for name in CLASSES}
    chosen = []
    for number in range(learners):
        pair = PAIRS[number % len(PAIRS)]
        chosen.append({name: list(itertools.islice(pools[name], PER_CLASS)) for name in pair})
        if any(len(photos) < PER_CLASS for photos in chosen[-1].values()):
            sys.exit(f"the beans train split has photos for {number} learners, not {learners}")
    return chosen


def held_out() -> dict[str, list[Path]]:
    validation = assets_dir() / "data" / "beans" / "validation"
    return {name: sorted((validation / name).glob("*.jpg"))[:HELD_OUT] for name in CLASSES}


def learner_zip(photos: dict[str, list[Path]], target: Path) -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as archive:
        for name, paths in photos.items():
            for path in paths:
                archive.write(path, f"{name}/{path.name}")
    return target


def reference_run(chosen: list[dict[str, list[Path]]], work: Path, base: Path) -> dict:
    """One CLI run of the fast recipe on every learner's photos together (validation: the held-out photos)."""
    data = work / "reference-data"
    for split, groups in (("train", chosen), ("validation", [held_out()])):
        for photos in groups:
            for name, paths in photos.items():
                (data / split / name).mkdir(parents=True, exist_ok=True)
                for path in paths:
                    with contextlib.suppress(FileExistsError):
                        (data / split / name / path.name).symlink_to(path)
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "OMP_NUM_THREADS": "1"}
    env.pop("STUDIO_FEATURE_CACHE", None)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "training", "image", "--data-dir", str(data), "--base-model", str(base),
                    "--name", "reference", "--models-dir", str(work / "reference-models")], cwd=REPO_ROOT, env=env,
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    metrics = json.loads((work / "reference-models" / "reference" / "metrics.json").read_text())
    return {"wall_s": round(wall, 1), "photos": sum(len(p) for photos in chosen for p in photos.values()),
            "validation_accuracy": metrics["splits"]["validation"]["accuracy"],
            "checkpoint": str(work / "reference-models" / "reference")}


class Peaks:
    """Peak RSS of the server process and of its training processes (its children), sampled every 0.2 s."""

    def __init__(self, pid: int):
        self.server, self.server_peak, self.training_peak = psutil.Process(pid), 0, 0
        self.done = threading.Event()
        self.thread = threading.Thread(target=self.sample, daemon=True)
        self.thread.start()

    def sample(self) -> None:
        while not self.done.wait(0.2):
            with contextlib.suppress(psutil.Error):
                self.server_peak = max(self.server_peak, self.server.memory_info().rss)
                total = 0
                for child in self.server.children(recursive=True):
                    with contextlib.suppress(psutil.Error):
                        total += child.memory_info().rss
                self.training_peak = max(self.training_peak, total)


def bean_latencies(url: str, leaf: Path, stop_event: threading.Event) -> list[float]:
    from gradio_client import Client, handle_file

    client, found = Client(url, verbose=False, httpx_kwargs={"timeout": HTTP_TIMEOUT_S}), []
    while not stop_event.is_set():
        started = time.perf_counter()
        with contextlib.suppress(Exception):
            client.predict(handle_file(str(leaf)), "", api_name="/classify_leaf")
            found.append(time.perf_counter() - started)
        stop_event.wait(max(0.0, 1.0 - (time.perf_counter() - started)))
    return found


def learner(url: str, number: int, zipped: Path, barrier: threading.Barrier, result: dict) -> None:
    from gradio_client import Client, handle_file

    try:
        client = Client(url, verbose=False, httpx_kwargs={"timeout": HTTP_TIMEOUT_S})
        client.predict(None, api_name="/studio_visitor")
        data_id = client.predict("upload", handle_file(str(zipped)), None, "", None, None, "",
                                 api_name="/train_explore")[0]
    except Exception as error:  # the page or the upload failed: no click
        result["refused"] = f"before the click: {type(error).__name__}: {str(error)[:150]}"
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait()  # the others still click together
        return
    try:
        barrier.wait()
        result["clicked"] = time.time()
        result["job_id"] = client.predict(data_id, "op:mobilenet", "head", None, None, f"my-beans-{number}", False,
                                          False, "", False, api_name="/train_start")[0]
    except Exception as error:  # a refusal: what the learner was told
        result["refused"] = str(error)[:200]


def wait_all(models: Path, results: list[dict], timeout_s: float) -> None:
    from studio.train.jobstore import read_job

    deadline = time.time() + timeout_s
    while time.time() < deadline:
        pending = [r for r in results if r.get("job_id") and "finished" not in r]
        for result in pending:
            job = read_job(models, result["job_id"])
            if job and job.status in ("done", "failed", "cancelled", "interrupted"):
                result.update(finished=job.finished, status=job.status, owner=job.owner)
        if not pending:
            return
        time.sleep(1)


def held_out_score(checkpoint: Path, photos: dict[str, list[Path]]) -> int:
    import torch
    from PIL import Image
    from transformers import AutoImageProcessor, AutoModelForImageClassification

    processor = AutoImageProcessor.from_pretrained(checkpoint)
    model = AutoModelForImageClassification.from_pretrained(checkpoint, use_safetensors=True).eval()
    correct = 0
    for name, paths in photos.items():
        for path in paths:
            with torch.inference_mode():
                logits = model(**processor(images=Image.open(path).convert("RGB"), return_tensors="pt")).logits
            correct += model.config.id2label[int(logits.argmax())] == name
    return correct


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=30)
    parser.add_argument("--executor", choices=["worker", "process"], default="worker")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds to wait for the class")
    args = parser.parse_args(argv)
    base = assets_dir() / "models" / "mobilenet_v2_imagenet"
    chosen = photos_for(args.learners)
    work = Path(tempfile.mkdtemp(prefix="bench-classroom-"))
    print(f"reference: one CLI run of the fast recipe on all {args.learners} x 22 photos ...", flush=True)
    reference = reference_run(chosen, work, base)
    print(f"  {reference['wall_s']} s", flush=True)
    models = work / "models"
    zips = [learner_zip(photos, work / f"learner-{n}.zip") for n, photos in enumerate(chosen)]
    server = start("classroom", ["app.py"], {
        "STUDIO_MODELS_DIR": str(models), "STUDIO_BEANS_MODEL": reference["checkpoint"], "STUDIO_LANG": "en",
        "STUDIO_BASE_MODELS": f"mobilenet={base}", "STUDIO_BOOTSTRAP": "off", "STUDIO_TRAIN_EXECUTOR": args.executor,
        "STUDIO_TRAIN_MAX_PER_SOURCE": str(args.learners), "STUDIO_TRAIN_MAX_QUEUE": str(max(40, args.learners)),
        "STUDIO_EXAMPLES_DIR": str(work / "none")}, work)
    peaks = Peaks(server.process.pid)
    results = [{"learner": n, "classes": "+".join(name[:5] for name in photos)} for n, photos in enumerate(chosen)]
    try:
        barrier = threading.Barrier(args.learners, timeout=1800)
        threads = [threading.Thread(target=learner, args=(server.url, n, zips[n], barrier, results[n]))
                   for n in range(args.learners)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        stop_beans = threading.Event()
        beans: list[float] = []
        bean_thread = threading.Thread(target=lambda: beans.extend(
            bean_latencies(server.url, held_out()["healthy"][0], stop_beans)), daemon=True)
        bean_thread.start()
        first_click = min((r["clicked"] for r in results if "clicked" in r), default=time.time())
        wait_all(models, results, args.timeout)
        class_s = max((r["finished"] for r in results if "finished" in r), default=time.time()) - first_click
        stop_beans.set()
        bean_thread.join(timeout=30)
    finally:
        peaks.done.set()
        stop(server)
    from contract.visitors import owner_models_dir

    for n, result in enumerate(results):
        result["refused"] = "yes" if "refused" in result else ""
        if "finished" in result:
            result["click_to_model_s"] = round(result["finished"] - result["clicked"], 1)
        if result.get("status") == "done":
            score = held_out_score(owner_models_dir(models, result["owner"]) / f"my-beans-{n}",
                                   {name: held_out()[name] for name in PAIRS[n % len(PAIRS)]})
            result["held_out_correct"] = f"{score}/{2 * HELD_OUT}"
    print_table(results, COLUMNS)
    finished = [r["click_to_model_s"] for r in results if "click_to_model_s" in r]
    summary = {
        "learners": args.learners, "executor": args.executor, "refused": sum(r["refused"] == "yes" for r in results),
        "done": sum(r.get("status") == "done" for r in results), "class_s": round(class_s, 1),
        "reference_s": reference["wall_s"], "class_over_reference": round(class_s / reference["wall_s"], 2),
        "median_click_to_model_s": round(statistics.median(finished), 1) if finished else None,
        "bean_p50_s": round(percentile(beans, 0.5), 3) if beans else None,
        "bean_p95_s": round(percentile(beans, 0.95), 3) if beans else None, "bean_requests": len(beans),
        "server_peak_rss_mib": round(peaks.server_peak / 2**20), "training_peak_rss_mib": round(peaks.training_peak / 2**20),
        "reference_validation_accuracy": reference["validation_accuracy"],
    }
    print(json.dumps(summary, indent=2))
    path = write_results(f"classroom-{args.executor}-{args.learners}", {
        "machine": machine(), "summary": summary, "learners": results, "reference": reference})
    print(f"results: {path.relative_to(REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
