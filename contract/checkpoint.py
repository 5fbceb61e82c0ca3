"""The checkpoint folder: what `training` writes and the app, `evaluate` and `push` read.

    <models_dir>/<name>/
      config.json, model.safetensors   save_pretrained(safe_serialization=True), with id2label/label2id
      preprocessor_config.json | tokenizer files
      metrics.json                     the keys below
      confusion_matrix.png             on the validation split
      README.md                        the model card

A checkpoint is built in `<models_dir>/.<name>.tmp-<pid>/` and renamed into place in one step
(`write_atomically`), so a reader never sees half of one. Folders whose name starts with "." are never
checkpoints: they are work in progress (`.tmp-`), a replaced checkpoint being removed (`.old-`) or
Trainer's resumable runs (`.runs/`).

metrics.json (`write_metrics` refuses a dict without the REQUIRED_METRICS keys):

    task         "image-classification" | "text-classification" (required)
    name         the checkpoint's folder name (required)
    label_names  class names, index = class id (required)
    splits       {split: {accuracy, f1_macro, loss, num_examples, confusion_matrix}}: validation first, then
                 test, holdout (--holdout-fraction) ... (required)
    kfold        --eval-protocol kfold only: {folds, num_examples, splits (pooled), accuracy_mean, accuracy_std,
                 f1_macro_mean, f1_macro_std, runtime_s, per_fold: [{fold, accuracy, f1_macro, num_examples,
                 runtime_s}]}
    inference    image checkpoints: {image_size, resize_mode (crop | whole), tta} as trained (the saved
                 preprocessor_config.json and config.json's TTA_CONFIG_KEY already apply them); onnx: {file,
                 opset, checked_examples, max_abs_logit_diff, onnxruntime} when ONNX_FILE was written; onnx_int8:
                 {file, method, split, accuracy, float_accuracy, accuracy_drop, agreement, num_examples, size_mb,
                 float_size_mb, ms_per_image, float_ms_per_image, check_max_prob_diff, ...} when --quantize int8
                 wrote contract.onnx_graph.INT8_ONNX_FILE
    base_model   Hub id or local folder the model was fine-tuned from
    dataset      Hub dataset id or local folder
    strategy     one of contract.runs.STRATEGY_NAMES
    skipped      {split: unreadable examples skipped}
    train        {runtime_s, epochs, learning_rate, num_examples, samples_per_second, ...}
    args         every training argument used
    versions     {python, torch, transformers, datasets}
    created      UTC time, ISO 8601
    calibration  {split, low_confidence_below, accuracy_below, accuracy_above, ...}: the top probability under
                 which the least confident tenth of validation answers fall, and how often they were right
    languages    text checkpoints: ISO 639-1 codes of the training texts
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

IMAGE_CLASSIFICATION = "image-classification"
TEXT_CLASSIFICATION = "text-classification"
TRAIN_SPLIT, EVAL_SPLIT, TEST_SPLIT = "train", "validation", "test"  # every checkpoint is evaluated on EVAL_SPLIT
DATA_SPLITS = (TRAIN_SPLIT, EVAL_SPLIT, TEST_SPLIT)  # the splits a data set's folders or files may hold
HOLDOUT_SPLIT = "holdout"  # carved from train by --holdout-fraction: never trained or selected on
# Other names a data set may give its splits (folder or file names), mapped to the names metrics.json uses.
SPLIT_ALIASES = {"val": EVAL_SPLIT, "valid": EVAL_SPLIT, "dev": EVAL_SPLIT, "eval": EVAL_SPLIT}
# config.json key of an image checkpoint: views whose probabilities the app averages with the image's own
# ("hflip": the mirror image; "flips": the horizontal and the vertical mirror). Absent = none.
TTA_CONFIG_KEY = "test_time_augmentation"
TTA_VIEWS = {"none": (), "hflip": ("hflip",), "flips": ("hflip", "vflip")}

CONFIG_FILE = "config.json"
METRICS_FILE = "metrics.json"
CONFUSION_MATRIX_FILE = "confusion_matrix.png"
CARD_FILE = "README.md"
# Optional, beside the files above (training/outputs/label_issues.py writes them; `inspect` and the app's
# label review read them): the suspect labels of a k-fold run, the evaluation split's examples by loss.
LABEL_ISSUES_FILE = "label_issues.json"
TOP_LOSSES_FILE = "top_losses.json"
# Optional: the image classifier as an ONNX graph, checked against the safetensors weights at export
# (metrics.json inference.onnx) and again when the app loads it; the app serves it with ONNX Runtime.
ONNX_FILE = "model.onnx"
ONNX_INPUT = "pixel_values"  # the graph's one input, named as the model's forward argument
ONNX_MAX_ABS_DIFF = 1e-3  # largest logit difference from torch accepted (measured on MobileNetV2: ~2e-6)
WEIGHT_FILES = ("model.safetensors", "model.safetensors.index.json")

REQUIRED_METRICS = ("task", "name", "label_names", "splits")


def config_label_names(config: Any) -> list[str]:
    """Class names of a loaded model config, index = class id (its id2label)."""
    return [config.id2label[i] for i in sorted(config.id2label)]


def checkpoint_label_names(metrics: dict[str, Any], config: Any = None) -> list[str]:
    """A checkpoint's class names: metrics.json's, else those of its loaded `config` (when given), else []."""
    names = metrics.get("label_names")
    if names:
        return list(names)
    return config_label_names(config) if config is not None else []


def canonical_split(name: str) -> str:
    """A split's name as metrics.json writes it: lower case, aliases resolved ("Dev" -> "validation");
    whether it is one of DATA_SPLITS is the caller's question."""
    return SPLIT_ALIASES.get(name.lower(), name.lower())


def is_checkpoint(folder: Path) -> bool:
    """A loadable checkpoint: config.json + safetensors weights, in a folder that is not a dot-folder."""
    folder = Path(folder)
    return (not folder.name.startswith(".") and (folder / CONFIG_FILE).is_file()
            and any((folder / name).is_file() for name in WEIGHT_FILES))


def load_metrics(folder: Path) -> dict[str, Any]:
    """metrics.json as a dict; OSError when missing, ValueError when it is not a JSON object."""
    metrics = json.loads((Path(folder) / METRICS_FILE).read_text(encoding="utf-8"))
    if not isinstance(metrics, dict):
        raise ValueError(f"{METRICS_FILE} is not a JSON object")
    return metrics


def read_metrics(folder: Path) -> dict[str, Any]:
    """metrics.json as a dict, or {} when it is missing or unreadable (a checkpoint trained elsewhere)."""
    try:
        return load_metrics(folder)
    except (OSError, ValueError):
        return {}


def write_metrics(folder: Path, metrics: dict[str, Any]) -> Path:
    missing = [key for key in REQUIRED_METRICS if key not in metrics]
    if missing:
        raise ValueError(f"{METRICS_FILE} needs {', '.join(missing)}")
    path = Path(folder) / METRICS_FILE
    path.write_text(json.dumps(metrics, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def split_accuracy(metrics: dict[str, Any], split: str) -> float | None:
    return metrics.get("splits", {}).get(split, {}).get("accuracy")


def best_accuracy(metrics: dict[str, Any]) -> float:
    """What ranks checkpoints of one task: validation accuracy, else test, else 0."""
    return split_accuracy(metrics, "validation") or split_accuracy(metrics, "test") or 0.0


TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json", "vocab.txt", "vocab.json")


@dataclass(frozen=True)
class ArchitectureRule:
    """A model class whose name ends with `suffix` serves `tasks`, if the checkpoint has the `needs` inputs."""

    suffix: str
    tasks: tuple[str, ...]
    needs: frozenset[str] = frozenset()


def rule(suffix: str, *tasks: str, needs: tuple[str, ...] = ()) -> ArchitectureRule:
    return ArchitectureRule(suffix, tasks, frozenset(needs))


# First match wins: the same class suffix serves different tasks for audio, image or text checkpoints.
ARCHITECTURE_RULES = (
    rule("ForSequenceClassification", "audio-classification", needs=("audio",)),
    rule("ForSequenceClassification", "text-classification"),
    rule("ForAudioClassification", "audio-classification"),
    rule("ForTokenClassification", "token-classification"),
    rule("ForMaskedLM", "fill-mask"),
    rule("ForCausalLM", "text-generation"),
    rule("LMHeadModel", "text-generation"),
    rule("ForImageClassification", "image-classification"),
    rule("ForObjectDetection", "object-detection"),
    rule("ForSemanticSegmentation", "image-segmentation"),
    rule("ForUniversalSegmentation", "image-segmentation"),
    rule("ForInstanceSegmentation", "image-segmentation"),
    rule("ForDepthEstimation", "depth-estimation"),
    rule("ForCTC", "automatic-speech-recognition"),
    rule("ForSpeechSeq2Seq", "automatic-speech-recognition"),
    rule("ForConditionalGeneration", "automatic-speech-recognition", needs=("audio",)),
    rule("ForConditionalGeneration", "image-text-to-text", needs=("image",)),
    rule("ForImageTextToText", "image-text-to-text"),
    rule("ForVision2Seq", "image-text-to-text"),
    rule("Model", "zero-shot-image-classification", needs=("image", "text")),   # CLIP, SigLIP
    rule("Model", "feature-extraction", needs=("text",)),                       # BERT, MiniLM
)


def architecture_tasks(architecture: str, modalities: frozenset[str]) -> tuple[str, ...]:
    for candidate in ARCHITECTURE_RULES:
        if architecture.endswith(candidate.suffix) and candidate.needs <= modalities:
            return candidate.tasks
    return ()


def read_json(path: Path) -> dict[str, Any]:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def modalities(folder: Path) -> frozenset[str]:
    """Which inputs the checkpoint's preprocessing reads: "audio", "image" and/or "text"."""
    processors = [read_json(folder / "preprocessor_config.json")]
    processors += [value for value in read_json(folder / "processor_config.json").values() if isinstance(value, dict)]
    found = set()
    if any("sampling_rate" in processor for processor in processors):
        found.add("audio")
    if any("image_processor_type" in processor or "image_mean" in processor for processor in processors):
        found.add("image")
    if any((folder / name).is_file() for name in TOKENIZER_FILES):
        found.add("text")
    return frozenset(found)


def is_nli(model_config: dict[str, Any]) -> bool:
    """An entailment label: the zero-shot-classification pipeline can use this text classifier."""
    labels = [*(model_config.get("label2id") or {}), *(model_config.get("id2label") or {}).values()]
    return any(str(label).lower().startswith("entail") for label in labels)


def architectures(folder: Path) -> list[str]:
    found = read_json(Path(folder) / CONFIG_FILE).get("architectures")
    return [name for name in found if isinstance(name, str)] if isinstance(found, list) else []


def checkpoint_tasks(folder: Path, metrics: dict[str, Any] | None = None) -> tuple[str, ...]:
    """The pipeline tasks a checkpoint serves: metrics.json's "task", else what config.json's
    `architectures` and the preprocessing files say (empty when neither tells)."""
    folder = Path(folder)
    trained_for = (read_metrics(folder) if metrics is None else metrics).get("task")
    if isinstance(trained_for, str) and trained_for:
        tasks: tuple[str, ...] = (trained_for,)
    else:
        tasks = architecture_tasks((architectures(folder) or [""])[0], modalities(folder))
    if TEXT_CLASSIFICATION in tasks and is_nli(read_json(folder / CONFIG_FILE)):
        tasks = (*tasks, "zero-shot-classification")
    return tasks


def checkpoint_task(folder: Path, metrics: dict[str, Any] | None = None) -> str | None:
    """The checkpoint's main task (see `checkpoint_tasks`), None when unknown."""
    return next(iter(checkpoint_tasks(folder, metrics)), None)




def list_checkpoints(root: Path) -> list[Path]:
    """Every checkpoint folder directly in `root`, by name; dot-folders (work in progress) never."""
    root = Path(root)
    if not root.is_dir():
        return []
    return sorted(folder for folder in root.iterdir() if folder.is_dir() and is_checkpoint(folder))


def checkpoint_version(folder: Path) -> int | None:
    """When a checkpoint's files last changed (a checkpoint retrained under the same name is a new
    version); None when `folder` is not a folder (a Hub id)."""
    folder = Path(folder)
    if not folder.is_dir():
        return None
    files = [folder / CONFIG_FILE, *(folder / name for name in WEIGHT_FILES)]
    return max((path.stat().st_mtime_ns for path in files if path.is_file()), default=0)


# ---------------------------------------------------------------- atomic writes


def temp_folder(target: Path, pid: int | None = None) -> Path:
    return target.with_name(f".{target.name}.tmp-{pid or os.getpid()}")


def retired_folder(target: Path, pid: int | None = None) -> Path:
    return target.with_name(f".{target.name}.old-{pid or os.getpid()}")


def write_atomically(target: Path, write_files: Callable[[Path], None]) -> Path:
    """Build `target` in a temp folder with `write_files(folder)` and rename it into place when complete.

    An existing `target` is replaced only then. A leftover of a killed writer is cleaned up first.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    clean_leftovers(target.parent)
    temp = temp_folder(target)
    shutil.rmtree(temp, ignore_errors=True)
    temp.mkdir()
    try:
        write_files(temp)
        if target.exists():
            retired = retired_folder(target)
            target.rename(retired)
            temp.rename(target)
            shutil.rmtree(retired, ignore_errors=True)
        else:
            temp.rename(target)
    finally:
        shutil.rmtree(temp, ignore_errors=True)  # only still there if something failed
    return target


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def leftover_of(folder: Path) -> tuple[str, str, int] | None:
    """(checkpoint name, "tmp" | "old", pid) for `.<name>.tmp-<pid>` / `.<name>.old-<pid>`, else None."""
    stem, dot, kind_pid = folder.name[1:].rpartition(".")
    kind, _dash, pid = kind_pid.partition("-")
    if not folder.name.startswith(".") or not dot or kind not in ("tmp", "old") or not pid.isdigit() or not stem:
        return None
    return stem, kind, int(pid)


def clean_leftovers(root: Path) -> list[Path]:
    """Remove what writers killed mid-save left in `root`; returns what was removed or restored.

    `.<name>.tmp-<pid>` of a dead process is half a checkpoint: removed. `.<name>.old-<pid>` of a dead
    process is the previous checkpoint, retired a moment before the new one was renamed in: restored
    when `<name>` is missing (the kill fell between the two renames), else removed. Folders of a live
    process are another writer's work in progress and are left alone.
    """
    root = Path(root)
    handled = []
    for folder in sorted(root.iterdir()) if root.is_dir() else []:
        parsed = leftover_of(folder)
        if parsed is None or not folder.is_dir() or process_alive(parsed[2]):
            continue
        name, kind, _pid = parsed
        if kind == "old" and not (root / name).exists():
            folder.rename(root / name)
        else:
            shutil.rmtree(folder, ignore_errors=True)
        handled.append(folder)
    return handled
