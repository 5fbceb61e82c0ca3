"""Issue 18's attacks on a shared studio, replayed against the real server: what each costs.

    flock /tmp/cpu.lock .venv/bin/python -m bench.sharing [--train] [--only NAME ...]

Serves the app in this process (tiny operator models, an empty models folder of its own) and replays
each attack through gradio_client, reporting the server's peak RSS above its idle level (sampled every
5 ms), the training process tree's peak RSS (with --train), the models folder's growth on disk, the
wall time, and what the visitor was told. Writes bench/results/sharing.json.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import random
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
RESULTS = REPO_ROOT / "bench" / "results" / "sharing.json"
START_EXTRA = ("", False)  # /train_start's label names and k-fold box (none before issues 19 and 20)


class Peak:
    """Peak RSS of this process (the server) and, optionally, of its children (training), in MiB."""

    def __init__(self, children: bool = False):
        import psutil

        self.process, self.children = psutil.Process(), children
        self.start = self.process.memory_info().rss
        self.peak, self.child_peak = self.start, 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.sample, daemon=True)

    def sample(self) -> None:
        import psutil

        while not self.stop.wait(0.005):
            self.peak = max(self.peak, self.process.memory_info().rss)
            if self.children:
                total = 0
                for child in self.process.children(recursive=True):
                    try:
                        total += child.memory_info().rss
                    except psutil.Error:
                        continue
                self.child_peak = max(self.child_peak, total)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()


def folder_mib(folder: Path) -> float:
    total = 0
    for base, _dirs, files in os.walk(folder):
        for name in files:
            with contextlib.suppress(OSError):
                total += os.lstat(os.path.join(base, name)).st_size
    return total / 2**20


def png_bytes(size=(8, 8), colour=(0, 0, 0)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


def write_zip(path: Path, members: dict[str, bytes], method=zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def attack_files(root: Path) -> dict[str, Path]:
    rng = random.Random(0)
    tiny = png_bytes()
    files = {}
    files["deep_zip"] = write_zip(root / "deep.zip", {"a/" * 1500 + f"{c}/x.png": tiny for c in ("one", "two")})
    files["nested_zip"] = write_zip(root / "nested.zip", {f"{c}/" + f"{i}/a/b/c/d/e/f/g/h/" + "x.png": tiny
                                                          for c in ("one", "two") for i in range(1000)})
    filler = b"".join(bytes((1 << 20) - 12_000) + rng.randbytes(12_000) for _ in range(1))
    files["zero_photos"] = write_zip(root / "zeros.zip", {f"{c}/{i}.png": filler for c in ("one", "two") for i in range(50)})
    files["classes_150"] = write_zip(root / "classes.zip", {f"c{k}/{i}.png": png_bytes((8, 8), (k, i, 0))
                                                            for k in range(150) for i in range(4)})
    files["two_colours"] = write_zip(root / "two.zip", {f"{split}/{name}/{i}.png": png_bytes((16, 16), colour)
                                                        for split in ("train", "validation")
                                                        for name, colour in (("=HYPERLINK(\"x\")", (250, 0, 0)),
                                                                             ("calm", (0, 0, 250))) for i in range(4)})
    text = root / "ten_mb.txt"
    text.write_text(("great movie, truly wonderful. " * 350_000)[:10_000_000])
    files["text_10mb"] = text
    return files


def explore(client, path: Path):
    from gradio_client import handle_file

    return client.predict("upload", handle_file(str(path)), None, "", None, None, "", api_name="/train_explore")


def jobs_module():
    """The Train tab's job runner (studio.train.jobs; studio.train_jobs before issue 17's move)."""
    try:
        from studio.train import jobs
    except ImportError:
        from studio import train_jobs as jobs
    return jobs


def outcome(call) -> str:
    try:
        said = call()
        if isinstance(said, str):  # what a training job ended with
            return said
        blocked = isinstance(said, tuple) and len(said) > 1 and "⛔" in str(said[1])  # explore: a blocking problem
        return "blocked: " + str(said[1]).split("⛔")[1].splitlines()[0][:140] if blocked else "accepted"
    except Exception as error:  # the refusal text is what we report
        return "refused: " + str(error).splitlines()[0][:140]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--train", action="store_true", help="also replay the training attacks (minutes)")
    parser.add_argument("--only", nargs="*", help="attack names to run")
    parser.add_argument("--label", default="", help="a label for this run in the results file (before/after)")
    args = parser.parse_args(argv)

    os.environ.update(HF_HUB_OFFLINE="1", GRADIO_ANALYTICS_ENABLED="False", STUDIO_LANG="en", OMP_NUM_THREADS="1")
    work = Path(tempfile.mkdtemp(prefix="bench-sharing-"))
    models = work / "models"
    models.mkdir()
    sys.path.insert(0, str(REPO_ROOT))
    from tests.support.tiny import LEAF_CLASSES, make_tiny_bert_classifier, make_tiny_vit

    vit = make_tiny_vit(work / "tiny-vit", labels=LEAF_CLASSES)
    bert = make_tiny_bert_classifier(work / "tiny-bert")
    shared = Path(os.environ.get("STUDIO_ASSETS", REPO_ROOT.parent / "shared"))
    mobilenet = shared / "models" / "mobilenet_v2_imagenet"
    os.environ.update(STUDIO_MODELS_DIR=str(models), STUDIO_SENTIMENT_MODEL=str(bert), STUDIO_EXAMPLES_DIR=str(work),
                      STUDIO_BASE_MODELS=f"tiny-vit={vit}" + (f",mobilenet={mobilenet}" if mobilenet.is_dir() else ""))
    from gradio_client import Client

    import app

    demo = app.build_demo()
    demo.launch(prevent_thread_lock=True, server_name="127.0.0.1", quiet=True, **app.launch_kwargs())
    url = demo.local_url
    (work / "files").mkdir()
    files = attack_files(work / "files")
    rows = []

    def replay(name: str, call, children: bool = False) -> None:
        if args.only and name not in args.only:
            return
        before = folder_mib(models)
        started = time.perf_counter()
        with Peak(children) as peak:
            said = call()
        rows.append({"attack": name, "server_peak_mib": round((peak.peak - peak.start) / 2**20),
                     "training_peak_mib": round(peak.child_peak / 2**20) if children else None,
                     "disk_mib": round(folder_mib(models) - before, 1), "seconds": round(time.perf_counter() - started, 2),
                     "outcome": said})
        print(json.dumps(rows[-1]), flush=True)

    client = Client(url, verbose=False)
    replay("text_10mb_predict", lambda: outcome(lambda: client.predict(files["text_10mb"].read_text(), "",
                                                                       api_name="/predict_sentiment")))
    replay("text_10mb_explain", lambda: outcome(lambda: client.predict(files["text_10mb"].read_text(), "",
                                                                       api_name="/explain_sentiment")))
    replay("deep_zip", lambda: outcome(lambda: explore(client, files["deep_zip"])))
    replay("nested_zip", lambda: outcome(lambda: explore(client, files["nested_zip"])))
    replay("zero_photos_x3", lambda: "; ".join(outcome(lambda: explore(Client(url, verbose=False), files["zero_photos"]))
                                               for _ in range(3)))
    replay("classes_150", lambda: outcome(lambda: explore(client, files["classes_150"])))

    def thirty_starts() -> str:
        data_id = explore(client, files["two_colours"])[0]
        said = [outcome(lambda i=i: client.predict(data_id, "op:tiny-vit", "head", 1, None, f"spam-{i}", False, False,
                                                   *START_EXTRA, api_name="/train_start")) for i in range(30)]
        list_jobs, runner_for = jobs_module().list_jobs, jobs_module().runner_for

        runner = runner_for(models, 1800)
        for job in list_jobs(models):
            runner.cancel(job.id)
        return f"{said.count('accepted')} of 30 accepted"

    replay("thirty_starts", thirty_starts)
    if args.train:
        base = "op:mobilenet" if mobilenet.is_dir() else "op:tiny-vit"

        def train(path: Path, name: str) -> str:
            read_job = jobs_module().read_job

            data_id = explore(client, path)[0]
            job_id = client.predict(data_id, base, "head", 1, None, name, True, False, *START_EXTRA,
                                    api_name="/train_start")[0]
            while getattr(read_job(models, job_id), "status", None) not in ("done", "failed", "cancelled", "interrupted"):
                time.sleep(0.5)
            job = read_job(models, job_id)
            return f"{job.status}: " + str(job.message)[:100]

        replay("train_classes_150", lambda: outcome(lambda: train(files["classes_150"], "classes-150")), children=True)
        thin = {f"{c}/{i}.png": png_bytes((8940, 447), (i * 4, 0, 0)) for c in ("one", "two") for i in range(60)}
        files["thin_pngs"] = write_zip(work / "files" / "thin.zip", thin)
        replay("train_thin_pngs", lambda: outcome(lambda: train(files["thin_pngs"], "thin")), children=True)
    demo.close()
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    previous = json.loads(RESULTS.read_text()) if RESULTS.is_file() else {}
    previous[args.label or time.strftime("%Y-%m-%d %H:%M")] = rows
    RESULTS.write_text(json.dumps(previous, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
