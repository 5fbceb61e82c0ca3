"""An image checkpoint as a folder that classifies photos in a browser with no server: `export-web`.

    index.html  page.js  resample.js  sw.js  manifest.webmanifest  icon.svg   offline_page_files/, as they are
    model-info.js   window.OFFLINE_MODEL: name, labels, score, contract.preprocessing's JSON, graph input
    model.js        the int8 graph (the float one when there is none), base64
    ort.wasm.min.js ort-glue.js ort-wasm.js   ONNX Runtime Web (npm onnxruntime-web, web/package.json): its
                    classic script, the source of its glue module and its wasm (gzipped, base64)

Everything is a classic <script>, because a page opened from file:// may not fetch() or import files:
it opens from file://, any static host (where sw.js makes it work offline and installable) or a phone's
downloads. The CLI (training/commands/export_web.py) and the app's download buttons both call `build_offline_page`; the
runtime comes from web/node_modules (`npm ci` in web/, run by `make`), or from STUDIO_WEB_RUNTIME.
"""

from __future__ import annotations

import base64
import gzip
import json
import os
import shutil
import tempfile
from pathlib import Path

from contract.checkpoint import (
    CONFIG_FILE,
    EVAL_SPLIT,
    IMAGE_CLASSIFICATION,
    ONNX_FILE,
    ONNX_INPUT,
    load_metrics,
)
from contract.errors import KeyedError
from contract.onnx_graph import INT8_ONNX_FILE
from contract.paths import REPO_ROOT
from contract.preprocessing import Preprocessing, preprocessing_from

PAGE_FILES = Path(__file__).resolve().parent / "offline_page_files"
RUNTIME_DIR = REPO_ROOT / "web" / "node_modules" / "onnxruntime-web" / "dist"
RUNTIME_SCRIPT = "ort.wasm.min.js"       # the CPU (wasm) build as a classic script: window.ort
RUNTIME_GLUE = "ort-wasm-simd-threaded.mjs"
RUNTIME_WASM = "ort-wasm-simd-threaded.wasm"
RUNTIME_FILES = (RUNTIME_SCRIPT, RUNTIME_GLUE, RUNTIME_WASM)
PROCESSOR_FILE = "preprocessor_config.json"
MAX_GRAPH_BYTES = 100_000_000  # a page a phone can hold; MobileNetV2 int8 is 2.6 MB


class OfflinePageError(KeyedError):
    """A checkpoint or a machine the page cannot be built from; `key` is a studio.strings key."""


def read_preprocessing(checkpoint: Path) -> Preprocessing:
    """contract.preprocessing's steps of a checkpoint folder, from its processor's and model's config files."""
    if not (checkpoint / PROCESSOR_FILE).is_file():
        raise OfflinePageError("offline.no_processor")
    read = lambda name: json.loads((checkpoint / name).read_text(encoding="utf-8"))  # noqa: E731
    return preprocessing_from(read(PROCESSOR_FILE), read(CONFIG_FILE))


def runtime_dir() -> Path:
    return Path(os.environ.get("STUDIO_WEB_RUNTIME") or RUNTIME_DIR)


def check_runtime(folder: Path) -> None:
    missing = [name for name in RUNTIME_FILES if not (folder / name).is_file()]
    if missing:
        raise OfflinePageError("offline.no_runtime", folder=str(folder))


def graph_file(checkpoint: Path) -> Path:
    """The int8 graph when training wrote one, else the float one (OfflinePageError when neither)."""
    for name in (INT8_ONNX_FILE, ONNX_FILE):
        if (checkpoint / name).is_file():
            if (checkpoint / name).stat().st_size > MAX_GRAPH_BYTES:
                raise OfflinePageError("offline.too_big", size_mb=round((checkpoint / name).stat().st_size / 1e6))
            return checkpoint / name
    raise OfflinePageError("offline.no_graph")


def model_info(checkpoint: Path, labels_shown: dict[str, list[str]] | None = None) -> dict:
    """What the page shows and needs besides the graph: window.OFFLINE_MODEL."""
    try:
        metrics = load_metrics(checkpoint)
    except (OSError, ValueError) as error:
        raise OfflinePageError("offline.not_checkpoint") from error
    if metrics.get("task") != IMAGE_CLASSIFICATION:
        raise OfflinePageError("offline.not_image", task=str(metrics.get("task")))
    steps = read_preprocessing(checkpoint)
    if steps.unported:
        raise OfflinePageError("offline.unsupported", what=", ".join(steps.unported))
    labels = [str(name) for name in metrics["label_names"]]
    plain = [name.replace("_", " ") for name in labels]
    config = json.loads((checkpoint / CONFIG_FILE).read_text(encoding="utf-8"))
    independent = len(labels) == 1 or config.get("problem_type") == "multi_label_classification"
    split = metrics.get("splits", {}).get(EVAL_SPLIT) or {}
    score = {"accuracy": split["accuracy"], "count": split.get("num_examples")} if "accuracy" in split else None
    return {"name": str(metrics.get("name") or checkpoint.name), "labels": labels,
            "labels_shown": {"es": plain, "en": plain, **(labels_shown or {})}, "score": score,
            "scores": "sigmoid" if independent else "softmax", "input": ONNX_INPUT,
            "graph": graph_file(checkpoint).name, "preprocessing": steps.to_json()}


def script(variable: str, value: object) -> str:
    return f"window.{variable} = {json.dumps(value, ensure_ascii=False)};\n"


def build_offline_page(checkpoint: str | Path, output: str | Path,
                       labels_shown: dict[str, list[str]] | None = None) -> Path:
    """Write the page for `checkpoint` into `output` (replaced in one step when it exists) and return it.

    `labels_shown`: the class names per language ({"es": [...], "en": [...]}, index = class id); the
    label names with spaces for underscores otherwise."""
    checkpoint, output = Path(checkpoint), Path(output)
    info = model_info(checkpoint, labels_shown)
    runtime = runtime_dir()
    check_runtime(runtime)
    output.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{output.name}.tmp-", dir=output.parent))
    work.chmod(0o755)  # a folder to share, not a private temp dir
    try:
        for page_file in PAGE_FILES.iterdir():
            shutil.copyfile(page_file, work / page_file.name)
        shutil.copyfile(runtime / RUNTIME_SCRIPT, work / RUNTIME_SCRIPT)
        (work / "model-info.js").write_text(script("OFFLINE_MODEL", info), encoding="utf-8")
        (work / "ort-glue.js").write_text(
            script("ORT_GLUE_SOURCE", (runtime / RUNTIME_GLUE).read_text(encoding="utf-8")), encoding="utf-8")
        wasm = gzip.compress((runtime / RUNTIME_WASM).read_bytes(), compresslevel=9, mtime=0)
        (work / "ort-wasm.js").write_text(script("ORT_WASM_GZIP_BASE64", base64.b64encode(wasm).decode()))
        graph = (checkpoint / info["graph"]).read_bytes()
        (work / "model.js").write_text(script("OFFLINE_MODEL_BASE64", base64.b64encode(graph).decode()))
        if output.exists():
            shutil.rmtree(output)
        work.rename(output)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return output


def folder_size(folder: Path) -> int:
    return sum(path.stat().st_size for path in Path(folder).rglob("*") if path.is_file())
