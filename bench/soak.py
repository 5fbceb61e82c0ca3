"""`python -m bench.soak`: every request bounded under load (issue 28), the real app on 127.0.0.1 only.

1. Mixed load: `--clients` HTTP clients (one visitor each) call classify, explain, sentiment, a 16-line
   batch and the playground, in turns, for `--seconds`, while `python -m training image` trains the bean
   fast recipe beside the server (`--no-train`: without). Errors, refusals ("try again in about N s", not
   errors: an answer in the user's language), p50/p95 per endpoint, server RSS at start, peak, and
   `--settle` seconds after the load.
2. `--rounds` rounds of `--sessions` distinct-session explanations at once (a client refused with a wait
   retries after it, as a visitor would): RSS after each round, growth over the rounds.

Targets (issue 28): 0 errors, classify p95 <= 1 s, explain p95 <= 10 s or refused with a wait, RSS back
within 300 MB of the start after the settle, growth <= 300 MB over 12 rounds of 12. Checkpoints as
bench.serve (`--tiny`: tiny random models). Results: bench/results/soak.json. Numbers taken on a busy
machine carry its load: the JSON records the load average.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench.common import REPO_ROOT, RESULTS_DIR, assets_dir, machine, print_table, write_results
from bench.serve import (
    SENTENCES,
    HttpClient,
    leaf_images,
    percentile,
    real_checkpoints,
    start,
    stop,
    tiny_checkpoints,
)

WAIT = re.compile(r"try again in about (\d+) s")
MIX = ("classify", "classify", "sentiment", "classify", "batch", "explain", "sentiment", "playground")
COLUMNS = ["endpoint", "requests", "errors", "refused", "p50_ms", "p95_ms"]


def calls(images: list[str], playground_model: str) -> dict:
    """endpoint -> (api_name, args(i))."""
    def image(i: int) -> dict:
        return {"path": images[i % len(images)], "meta": {"_type": "gradio.FileData"}}

    return {
        "classify": ("/classify_leaf", lambda i: [image(i), ""]),
        "explain": ("/explain_leaf", lambda i: [image(i), "", 0.5]),
        "sentiment": ("/predict_sentiment", lambda i: [f"{SENTENCES[i % len(SENTENCES)]} ({i})", ""]),
        "batch": ("/predict_sentiment_batch",
                  lambda i: ["\n".join(f"{SENTENCES[(i + k) % len(SENTENCES)]} ({k})" for k in range(16)), ""]),
        "playground": ("/playground_run", lambda i: ["text-classification", playground_model,
                                                     SENTENCES[i % len(SENTENCES)], "", None, None]),
    }


class RssSampler:
    def __init__(self, server):
        self.server, self.peak, self.stop = server, 0, threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def now_mib(self) -> float:
        return self.server.stats.memory_info().rss / 2**20

    def run(self) -> None:
        while not self.stop.wait(0.5):
            self.peak = max(self.peak, self.now_mib())


def mixed_load(server, endpoints: dict, clients: int, seconds: float) -> list[dict]:
    results = {name: {"latencies": [], "errors": [], "refused": 0} for name in endpoints}
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def work(worker: int) -> None:
        client, count = HttpClient(server.url), 0
        while time.monotonic() < deadline:
            name = MIX[(worker + count) % len(MIX)]
            api_name, make_args = endpoints[name]
            started = time.perf_counter()
            try:
                client.predict(*make_args(worker * 1000 + count), api_name=api_name)
                with lock:
                    results[name]["latencies"].append(time.perf_counter() - started)
            except Exception as error:  # counted: errors and refusals are results here
                with lock:
                    if WAIT.search(str(error)):
                        results[name]["refused"] += 1
                    else:
                        results[name]["errors"].append(f"{type(error).__name__}: {error}"[:160])
            count += 1
        client.close()

    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(work, range(clients)))
    rows = []
    for name, found in results.items():
        times = found["latencies"]
        rows.append({"endpoint": name, "requests": len(times), "errors": len(found["errors"]),
                     "refused": found["refused"], "p50_ms": round(percentile(times, 0.5) * 1000) if times else None,
                     "p95_ms": round(percentile(times, 0.95) * 1000) if times else None,
                     "error_examples": found["errors"][:3]})
    return rows


def explain_rounds(server, image: dict, rounds: int, sessions: int) -> list[float]:
    """RSS (MiB) after each round of `sessions` new visitors explaining at once."""
    def visitor(_n: int) -> None:
        client = HttpClient(server.url)
        for _attempt in range(30):
            try:
                client.predict(image, "", 0.5, api_name="/explain_leaf")
                break
            except RuntimeError as error:
                wait = WAIT.search(str(error))
                if not wait:
                    raise
                time.sleep(int(wait.group(1)))
        client.close()

    after = []
    for number in range(rounds):
        with ThreadPoolExecutor(sessions) as pool:
            list(pool.map(visitor, range(sessions)))
        after.append(round(server.stats.memory_info().rss / 2**20))
        print(f"  explain round {number + 1}/{rounds}: RSS {after[-1]} MiB", flush=True)
    return after


def training_job(models_dir: Path) -> subprocess.Popen:
    assets = assets_dir()
    argv = ["nice", "-n", "10", sys.executable, "-m", "training", "image",
            "--data-dir", str(assets / "data" / "beans"), "--base-model", str(assets / "models" / "mobilenet_v2_imagenet"),
            "--recipe", "fast", "--name", "soak-train", "--models-dir", str(models_dir)]
    return subprocess.Popen(argv, cwd=REPO_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={"OMP_NUM_THREADS": "1", "HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin"})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=40)
    parser.add_argument("--seconds", type=float, default=300, help="length of the mixed load")
    parser.add_argument("--settle", type=float, default=120, help="seconds after the load before RSS is read again")
    parser.add_argument("--rounds", type=int, default=12)
    parser.add_argument("--sessions", type=int, default=12)
    parser.add_argument("--no-train", action="store_true", help="no training job beside the server")
    parser.add_argument("--tiny", action="store_true", help="tiny random models (no training, not the real cost)")
    parser.add_argument("--models-dir", type=Path, default=RESULTS_DIR / "models")
    options = parser.parse_args()
    options.models_dir.mkdir(parents=True, exist_ok=True)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    beans, sentiment = (tiny_checkpoints if options.tiny else real_checkpoints)(options.models_dir)
    images = leaf_images()
    server = start("soak", ["app.py"], {"STUDIO_BEANS_MODEL": str(beans), "STUDIO_SENTIMENT_MODEL": str(sentiment),
                                        "STUDIO_MODELS_DIR": str(options.models_dir), "STUDIO_LANG": "en",
                                        "STUDIO_BOOTSTRAP": "off"}, RESULTS_DIR)
    endpoints = calls(images, sentiment.name)
    try:
        warm = HttpClient(server.url)
        for api_name, make_args in endpoints.values():
            warm.predict(*make_args(0), api_name=api_name)
        warm.close()
        sampler = RssSampler(server)
        start_mib = sampler.now_mib()
        sampler.thread.start()
        with tempfile.TemporaryDirectory(prefix="soak-train-") as train_dir:
            job = None if options.no_train else training_job(Path(train_dir))
            rows = mixed_load(server, endpoints, options.clients, options.seconds)
            job_ended = job.poll() if job else None
            if job and job_ended is None:
                job.terminate()
                job.wait()
        sampler.stop.set()
        print(f"load over; settling {options.settle:g} s", flush=True)
        time.sleep(options.settle)
        settled_mib = sampler.now_mib()
        rounds = explain_rounds(server, endpoints["explain"][1](0)[0], options.rounds, options.sessions)
        before_rounds = settled_mib
    finally:
        stop(server)
    print_table(rows, COLUMNS)
    memory = {"rss_start_mib": round(start_mib), "rss_peak_mib": round(max(sampler.peak, start_mib)),
              "rss_settled_mib": round(settled_mib), "settle_s": options.settle,
              "rss_after_rounds_mib": rounds, "rounds_growth_mib": round(rounds[-1] - before_rounds) if rounds else None}
    print(memory)
    path = write_results("soak", {
        "benchmark": "every request bounded under load (issue 28)",
        "created": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), "machine": machine(),
        "tiny": options.tiny, "clients": options.clients, "seconds": options.seconds,
        "training_job": not options.no_train, "rounds": options.rounds, "sessions": options.sessions,
        "rows": rows, "memory": memory,
    })
    print(f"written to {path}")


if __name__ == "__main__":
    main()
