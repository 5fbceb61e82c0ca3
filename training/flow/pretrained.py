"""The pretrained model: a reference checked before any lookup, loaded safely, and its parts found
(the classifier, the backbone's blocks, the model's own forward from a block to the logits)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import torch
from torch import nn

from contract.errors import first_line
from contract.hub_ids import is_hub_id, is_lookup_safe, shown_ref
from training.errors import UserError

# Where the classifier sits in common AutoModelFor...Classification models (first match wins).
CLASSIFIER_ATTRIBUTES = ("classifier", "score", "fc", "head", "heads")


def check_model_ref(ref: str) -> str:
    """A base model reference that may be loaded: an existing local folder, or a Hub id 'owner/name'."""
    ref = (ref or "").strip()
    if not is_lookup_safe(ref):
        raise UserError(f"not a Hub model id ('owner/name') nor a local folder: '{shown_ref(ref)}'")
    path = Path(ref).expanduser()
    if path.is_dir():
        if not (path / "config.json").is_file():
            raise UserError(f"model folder has no config.json: {path}")
        return str(path.resolve())
    if ref.startswith((".", "/", "~")) or ref.count("/") > 1 or path.exists():
        raise UserError(f"model folder not found: {ref}")
    if not is_hub_id(ref):
        raise UserError(f"not a Hub model id ('owner/name') nor a local folder: {ref!r}")
    return ref


def load_pretrained(loader: Callable[..., Any], ref: str, **kwargs: Any) -> Any:
    """`loader.from_pretrained(ref)` with safe defaults; a failure becomes one UserError line."""
    try:
        return loader.from_pretrained(ref, trust_remote_code=False, **kwargs)
    except (OSError, ValueError, KeyError) as error:
        raise UserError(f"cannot load {ref!r} with {loader.__name__}: {first_line(error)}") from None


def find_classifier(model: nn.Module) -> tuple[str, nn.Module]:
    """The classification head module of `model` and its attribute name."""
    for name in CLASSIFIER_ATTRIBUTES:
        module = getattr(model, name, None)
        if isinstance(module, nn.Module):
            return name, module
    raise UserError(
        f"strategy 'head' cannot find the classifier of {type(model).__name__} "
        f"(looked for {', '.join(CLASSIFIER_ATTRIBUTES)}); use --strategy full"
    )


def backbone_blocks(model: nn.Module) -> nn.ModuleList:
    """The backbone's repeated blocks: the longest nn.ModuleList in the model (MobileNetV2 `layer`,
    BERT/ViT encoder layers)."""
    lists = [module for module in model.modules() if isinstance(module, nn.ModuleList) and len(module) > 1]
    if not lists:
        raise UserError(f"strategy 'last-n' finds no list of blocks in {type(model).__name__}; use --strategy full")
    return max(lists, key=len)


def mobilenet_v2_tail(model: nn.Module, start: int) -> Callable[[torch.Tensor], torch.Tensor]:
    """MobileNetV2ForImageClassification.forward from the input of block `start` to the logits."""
    backbone = model.mobilenet_v2

    def run(hidden: torch.Tensor) -> torch.Tensor:
        for block in backbone.layer[start:]:
            hidden = block(hidden)
        pooled = torch.flatten(backbone.pooler(backbone.conv_1x1(hidden)), start_dim=1)
        return model.classifier(model.dropout(pooled))

    return run


# By config.model_type: the backbone's list of blocks and the model's own forward from a block's input to
# the logits. With it, `last-n` computes the frozen blocks once per example and view (like `head`).
TAILS: dict[str, tuple[str, Callable[[nn.Module, int], Callable[[torch.Tensor], torch.Tensor]]]] = {
    "mobilenet_v2": ("mobilenet_v2.layer", mobilenet_v2_tail),
}


def cached_tail(model: nn.Module, count: int) -> tuple[str, Callable[[torch.Tensor], torch.Tensor]] | None:
    """(the block whose inputs are cached, the run from them to the logits) for training the last `count`
    blocks on cached activations; None where the architecture is not in TAILS (or nothing is cached)."""
    known = TAILS.get(getattr(getattr(model, "config", None), "model_type", ""))
    if known is None or count < 1:
        return None
    blocks_name, tail = known
    start = max(0, len(model.get_submodule(blocks_name)) - count)
    return f"{blocks_name}.{start}", tail(model, start)
