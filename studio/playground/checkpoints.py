"""Local checkpoints (folders in STUDIO_MODELS_DIR) as the playground lists and names them.

A checkpoint's pipeline tasks come from its metrics.json "task" (written by `training`), else from the
class in its config.json `architectures` through ARCHITECTURE_RULES. Users see a checkpoint as
`models/<name>`, never as a server path.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studio import config
from studio.models import is_checkpoint, read_metrics

SHOWN_PREFIX = "models/"
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


def checkpoint_tasks(folder: Path) -> tuple[str, ...]:
    """The pipeline tasks a checkpoint serves (empty when neither metrics.json nor config.json tell)."""
    model_config = read_json(folder / "config.json")
    trained_for = read_metrics(folder).get("task")
    architectures = model_config.get("architectures") or [""]
    tasks = (trained_for,) if trained_for else architecture_tasks(str(architectures[0]), modalities(folder))
    if "text-classification" in tasks and is_nli(model_config):
        tasks = (*tasks, "zero-shot-classification")
    return tasks


def shown_name(folder: Path) -> str:
    """`models/<name>` for a folder inside the models folder (whatever STUDIO_MODELS_DIR is)."""
    return SHOWN_PREFIX + folder.resolve().relative_to(config.models_dir()).as_posix()


def local_models(pipeline_task: str) -> list[str]:
    """Shown names of the checkpoints in the models folder that serve `pipeline_task`, by name.

    Dot-folders are skipped: `training` writes a checkpoint into one and renames it when complete.
    """
    root = config.models_dir()
    folders = sorted(root.iterdir()) if root.is_dir() else []
    return [shown_name(folder) for folder in folders
            if not folder.name.startswith(".") and is_checkpoint(folder) and pipeline_task in checkpoint_tasks(folder)]


def local_folder(model: str) -> Path | None:
    """The folder inside the models folder that `model` names ('<name>', 'models/<name>' or its path), or None."""
    root = config.models_dir()
    path = Path(model).expanduser()
    candidates = [path] if path.is_absolute() else [root / model, root / model.removeprefix(SHOWN_PREFIX)]
    for candidate in candidates:
        folder = candidate.resolve()
        if folder.is_dir() and root in folder.parents:
            return folder
    return None
