"""Shared by the benchmarks: where the assets are, one measured training run per process, table, JSON."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import contract.paths
from contract.checkpoint import load_metrics
from contract.paths import REPO_ROOT
from contract.tables import format_table

RESULTS_DIR = REPO_ROOT / "bench" / "results"


def assets_dir() -> Path:
    path = contract.paths.assets_dir()
    if not path.is_dir():
        sys.exit(f"shared assets not found at {path}; set STUDIO_ASSETS")
    return path


def measured_training(command: str, argv: list[str], threads: int | None = None) -> dict[str, Any]:
    """Run `python -m training <command> ...` in its own process, so its peak memory is its own.

    Returns the checkpoint's metrics.json plus wall_s (process wall time) and peak_rss_mib
    (ru_maxrss of that child process: resident set size, includes Python + torch themselves).
    threads: OMP_NUM_THREADS for that process (None: torch's default, one per core).
    """
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    if threads:
        env["OMP_NUM_THREADS"] = str(threads)
    with tempfile.TemporaryDirectory(prefix="bench-") as models_dir:
        name = "bench"
        code = (
            "import json, resource, sys; from training.__main__ import main; code = main(sys.argv[1:]); "
            "print('PEAK_RSS_KIB', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss); sys.exit(code)"
        )
        started = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-c", code, command, "--name", name, "--models_dir", models_dir, *argv],
            cwd=REPO_ROOT, capture_output=True, text=True, env=env,
        )
        wall = time.perf_counter() - started
        if result.returncode != 0:
            sys.exit(f"training failed ({result.returncode}):\n{result.stderr[-3000:]}")
        peak_kib = int(next(line.split()[1] for line in result.stdout.splitlines() if line.startswith("PEAK_RSS")))
        metrics = load_metrics(Path(models_dir) / name)
    return {**metrics, "wall_s": round(wall, 1), "peak_rss_mib": round(peak_kib / 1024, 1)}


def print_table(rows: list[dict[str, Any]], columns: list[str]) -> None:
    print(format_table(rows, columns))


def machine(threads: int | None = None) -> dict[str, Any]:
    import torch

    return {"platform": platform.platform(), "cpu_count": os.cpu_count(),
            "torch_threads": threads or torch.get_num_threads(),
            "python": platform.python_version(), "torch": torch.__version__,
            "load_average_1m": round(os.getloadavg()[0], 2)}


def write_results(name: str, payload: dict[str, Any]) -> Path:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"{name}.json"
    path.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return path
