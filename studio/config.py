"""Every setting the app reads from the environment, in one place.

The app reads these when a tab is built or a model is resolved, never at import time, so tests and
Spaces can set them before `build_demo()`.
"""

from __future__ import annotations

import os
from pathlib import Path

from contract.paths import assets_dir, models_dir  # noqa: F401  (shared with `training`)


def language() -> str:
    """UI language: `es` (the course's) or `en`."""
    lang = os.environ.get("STUDIO_LANG", "es").lower()[:2]
    return lang if lang in ("es", "en") else "es"


def model_variable(tab: str) -> str:
    """The variable naming a tab's model: `beans` -> STUDIO_BEANS_MODEL, `sentiment` -> STUDIO_SENTIMENT_MODEL."""
    return f"STUDIO_{tab.upper()}_MODEL"


def model_override(tab: str) -> str | None:
    """The model the operator set for a tab (`model_variable(tab)`: a checkpoint folder or name, or a Hub id)."""
    return os.environ.get(model_variable(tab)) or None


def max_file_size() -> str:
    """Cap of an image, audio or CSV to answer (checked by our code, with the visitor's-language message)."""
    return os.environ.get("STUDIO_MAX_FILE_SIZE", "10mb")


def train_max_upload() -> str:
    """Cap of a training-data upload in the Train tab (a zip of photos, a CSV), separate from the image cap."""
    return os.environ.get("STUDIO_TRAIN_MAX_UPLOAD", "200mb")


SIZE_UNITS = {"kb": 1024, "mb": 1024**2, "gb": 1024**3, "b": 1}


def size_bytes(value: str) -> int:
    """'10mb' / '200 MB' / '1gb' / '5000' -> bytes, as Gradio reads max_file_size."""
    text = str(value).strip().lower().replace(" ", "")
    for unit, factor in SIZE_UNITS.items():
        if text.endswith(unit):
            return int(float(text[: -len(unit)]) * factor)
    return int(float(text))


def upload_cap() -> int:
    """What the upload route accepts at all (`launch(max_file_size=...)`, and studio/http_limits.py from the
    request's header, in the visitor's language): the largest file any tab accepts, no more."""
    return max(size_bytes(max_file_size()), size_bytes(train_max_upload()) if training_enabled() else 0)


# ---------------------------------------------------------------- request budgets (issue 28)


def max_body() -> int:
    """Bytes of one API request's body (JSON: texts, labels, numbers), uploads and MCP calls aside."""
    return size_bytes(os.environ.get("STUDIO_MAX_BODY", "2mb"))


def mcp_max_body() -> int:
    """Bytes of one MCP call: an image as a data: URL (base64, 4/3 of the file) of max_file_size, plus 1 MB."""
    return size_bytes(max_file_size()) * 4 // 3 + 2**20


def upload_quota() -> int:
    """Bytes one client may upload per hour, all files together (STUDIO_UPLOAD_QUOTA): twice upload_cap()."""
    value = os.environ.get("STUDIO_UPLOAD_QUOTA")
    return size_bytes(value) if value else 2 * upload_cap()


def uploads_in_flight() -> int:
    """Bytes of the uploads streaming to disk at once, all clients together, as their headers declare them
    (STUDIO_UPLOADS_IN_FLIGHT): twice upload_cap(); one more is told "busy" at once."""
    value = os.environ.get("STUDIO_UPLOADS_IN_FLIGHT")
    return size_bytes(value) if value else 2 * upload_cap()


def url_deadline_s() -> float:
    """Seconds a file given as a URL may take to download, whole (a slow URL holds an event's slot)."""
    return float(os.environ.get("STUDIO_URL_DEADLINE", "10"))


def max_wait_s() -> float:
    """A costly request (an explanation, a playground run) whose answer would take longer than this, the wait
    for the ones ahead included, is refused at once with the expected wait (STUDIO_MAX_WAIT;
    studio/serving/admission.py)."""
    return float(os.environ.get("STUDIO_MAX_WAIT", "10"))


def hub_offline() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "0").lower() in ("1", "true", "yes", "on")


def cache_size() -> int:
    """How many loaded models/pipelines stay in memory (least recently used evicted)."""
    return max(1, int(os.environ.get("STUDIO_CACHE_SIZE", "4")))


def max_model_mb() -> float:
    """Playground: Hub models whose weights are bigger than this are refused before any download."""
    return float(os.environ.get("STUDIO_MAX_MODEL_MB", "2000"))


def max_model_params() -> float:
    """Playground: Hub models with more parameters than this (in millions) are refused before download."""
    return float(os.environ.get("STUDIO_MAX_MODEL_PARAMS_M", "800"))


def hub_timeout() -> float:
    """Seconds the playground waits for the Hub's model lookup before saying it is unreachable."""
    return float(os.environ.get("STUDIO_HUB_TIMEOUT", "5"))


def examples_dir() -> Path | None:
    """Bean tab: a folder of example leaf images (STUDIO_EXAMPLES_DIR); None = use the beans validation split."""
    folder = os.environ.get("STUDIO_EXAMPLES_DIR")
    return Path(folder).expanduser().resolve() if folder else None


def max_image_pixels() -> int:
    """Uploaded images with more pixels than this (width x height) are refused before decoding."""
    return int(os.environ.get("STUDIO_MAX_IMAGE_PIXELS", str(40_000_000)))


def torch_threads() -> int:
    """Threads one forward pass may use (STUDIO_TORCH_THREADS): by default half the cores this process
    may run on, the other half decoding uploads and serving HTTP (why: docs/RESULTS.md, serving)."""
    value = os.environ.get("STUDIO_TORCH_THREADS")
    return max(1, int(value)) if value else max(1, len(os.sched_getaffinity(0)) // 2)


RUNTIMES = ("onnx", "onnx-int8", "torch")


def inference_runtime() -> str:
    """STUDIO_RUNTIME: `onnx` (default) serves an image checkpoint's model.onnx with ONNX Runtime when it
    has one and it agrees with the weights; `onnx-int8` serves its model.int8.onnx instead when its recorded
    accuracy drop is within int8_max_drop() (else model.onnx, the reason logged); `torch` always uses torch."""
    value = os.environ.get("STUDIO_RUNTIME", "onnx").strip().lower()
    return value if value in RUNTIMES else "onnx"


def int8_max_drop() -> float:
    """STUDIO_INT8_MAX_DROP: the largest validation-accuracy drop (a fraction: 0.01 = one point) from
    model.onnx to model.int8.onnx, as metrics.json records it, for which the int8 graph is served."""
    from contract.onnx_graph import INT8_MAX_ACCURACY_DROP

    return float(os.environ.get("STUDIO_INT8_MAX_DROP", str(INT8_MAX_ACCURACY_DROP)))


def max_queue() -> int:
    """Requests waiting in the queue, all events together (STUDIO_MAX_QUEUE); one more is answered
    "busy, try again" at once instead of waiting for minutes."""
    return max(1, int(os.environ.get("STUDIO_MAX_QUEUE", "64")))


def max_audio_seconds() -> float:
    """Playground: longer audio (read from the file's header) is refused before decoding."""
    return float(os.environ.get("STUDIO_MAX_AUDIO_SECONDS", "60"))


def max_new_tokens() -> int:
    """Playground: how many tokens the generating tasks may write (fewer = faster on a CPU)."""
    return max(1, int(os.environ.get("STUDIO_MAX_NEW_TOKENS", "60")))


# ---------------------------------------------------------------- the Train tab (studio/train/)


def training_enabled() -> bool:
    """STUDIO_TRAINING=off hides the Train tab (e.g. a public Space)."""
    return os.environ.get("STUDIO_TRAINING", "on").lower() not in ("0", "off", "false", "no")


def named_paths(variable: str) -> dict[str, str]:
    """`name=/path,other=/path` (or `owner/model` values) from `variable`, as {name: value}."""
    found = {}
    for item in os.environ.get(variable, "").split(","):
        name, _eq, value = item.partition("=")
        if name.strip() and value.strip():
            found[name.strip()] = value.strip()
    return found


def train_data_dirs() -> dict[str, Path]:
    """Data folders the operator offers in the Train tab: STUDIO_TRAIN_DATA_DIRS=beans=/data/beans,..."""
    return {name: Path(value).expanduser().resolve() for name, value in named_paths("STUDIO_TRAIN_DATA_DIRS").items()}


def base_models() -> dict[str, str]:
    """Base models the operator offers in the Train tab: STUDIO_BASE_MODELS=mobilenet=/models/mnv2,vit=owner/id."""
    return named_paths("STUDIO_BASE_MODELS")


def train_limit(variable: str, default: float) -> float:
    try:
        return float(os.environ.get(variable, default))
    except ValueError:
        return default


def train_max_unzipped_mb() -> float:
    """An uploaded zip may hold at most this many MB once extracted (checked before extracting)."""
    return train_limit("STUDIO_TRAIN_MAX_UNZIPPED_MB", 500)


def train_max_files() -> int:
    """An uploaded zip may hold at most this many files."""
    return int(train_limit("STUDIO_TRAIN_MAX_FILES", 5000))


def train_max_ratio() -> float:
    """A zip whose uncompressed size is more than this many times its compressed size is refused (a bomb)."""
    return train_limit("STUDIO_TRAIN_MAX_RATIO", 100)


def train_max_epochs() -> float:
    return train_limit("STUDIO_TRAIN_MAX_EPOCHS", 20)


def train_max_minutes() -> float:
    """A training job running longer than this is stopped (what it saved so far is kept)."""
    return train_limit("STUDIO_TRAIN_MAX_MINUTES", 30)


# ---------------------------------------------------------------- a shared studio (issue 18: studio/visitors.py)


def visitor_max_jobs() -> int:
    """Training jobs one visitor may have running or waiting at once (1 running + 1 queued)."""
    return max(1, int(train_limit("STUDIO_VISITOR_MAX_JOBS", 2)))


def train_max_queue() -> int:
    """Training jobs waiting, all visitors together (a class of 40 fits); one more is refused with "come back later"."""
    return max(1, int(train_limit("STUDIO_TRAIN_MAX_QUEUE", 40)))


def train_max_per_source() -> int:
    """Training jobs running or waiting from one source (studio/visitors.py source_of: a login, else the
    network address), so one person's many sessions cannot hold the queue. A class behind one school NAT
    without logins needs it raised to the class size."""
    return max(1, int(train_limit("STUDIO_TRAIN_MAX_PER_SOURCE", 4)))


def trusted_proxies() -> int:
    """Proxies in front of the server that append the client's address to X-Forwarded-For: the address
    that many entries from the right is the client's (entries further left are whatever the client sent).
    Default 1 on a Hugging Face Space (SPACE_ID is set: its proxy), else 0 (the connection's own address)."""
    return max(0, int(train_limit("STUDIO_TRUSTED_PROXIES", 1 if os.environ.get("SPACE_ID") else 0)))


def train_cores() -> int:
    """The cores training jobs may keep busy at once, all jobs together: the cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def train_workers() -> int:
    """Training jobs run at once by the warm worker (STUDIO_TRAIN_WORKERS): by default one per core (a job
    that asks for several threads takes that many cores: studio/train/jobs.py's job_threads)."""
    return max(1, int(train_limit("STUDIO_TRAIN_WORKERS", train_cores())))


def train_executor() -> str:
    """`worker` (default): jobs run in the warm training worker (training/worker.py), forked from a process
    that has torch, transformers and the base models loaded; `process`: a new `python -m training` per job."""
    value = os.environ.get("STUDIO_TRAIN_EXECUTOR", "worker").strip().lower()
    return value if value in ("worker", "process") else "worker"


def visitor_disk_mb() -> float:
    """Disk one visitor's drafts, jobs and runs may use together."""
    return train_limit("STUDIO_VISITOR_DISK_MB", 1000)


def visitors_disk_mb() -> float:
    """Disk all visitors' drafts, jobs and runs may use together."""
    return train_limit("STUDIO_VISITORS_DISK_MB", 20000)


def draft_max_hours() -> float:
    """Explored data that was never trained on is removed after this long (checked while the server runs)."""
    return train_limit("STUDIO_DRAFT_HOURS", 6)


def visitor_run_days() -> float:
    """A visitor's runs (and their jobs' data) are removed this long after they were written."""
    return train_limit("STUDIO_VISITOR_RUN_DAYS", 7)


def sweep_seconds() -> float:
    """How often the server removes expired drafts and visitors' runs."""
    return max(1.0, train_limit("STUDIO_SWEEP_SECONDS", 300))


def train_max_depth() -> int:
    """Folders inside an uploaded zip may nest at most this deep."""
    return max(1, int(train_limit("STUDIO_TRAIN_MAX_DEPTH", 8)))


def train_max_folders() -> int:
    """An uploaded zip may hold at most this many distinct folders."""
    return max(1, int(train_limit("STUDIO_TRAIN_MAX_FOLDERS", 1000)))


def train_max_classes() -> int:
    """Classes a data set may have in the Train tab (the confusion matrix and the head grow with them)."""
    return max(2, int(train_limit("STUDIO_TRAIN_MAX_CLASSES", 100)))


def train_memory_mb() -> float:
    """Address space the training process may map (RLIMIT_AS); 0 = no limit. Past it, it fails with MemoryError."""
    return train_limit("STUDIO_TRAIN_MEMORY_MB", 8000)
