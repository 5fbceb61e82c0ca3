"""Frozen features: what a module of the pretrained model receives, computed once per example and view.

`head` (the classifier's inputs) and cached `last-n` (a block's inputs) train on these instead of running
the frozen layers every step (with STUDIO_FEATURE_CACHE set, shared on disk between runs too:
training/flow/shared_features.py, keyed by the base model's content, the module and the encoded input); the frozen part runs on ONNX Runtime where it exports (training/outputs/onnx.py),
the next batch encoded in a thread meanwhile. `OnCachedInputs` is what Trainer then trains.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import torch
from torch import nn

from training.flow.data import EncodedDataset, SplitData, TrainingTask, subset
from training.flow.frozen_graph import FrozenGraph, frozen_part_graph
from training.flow.pretrained import find_classifier
from training.flow.shared_features import SharedFeatures, identity_of, input_key


@dataclass
class FeatureCache:
    """What modules of the *pretrained* model receive, computed once per run: `rows` by (id(example), view,
    module name) (examples stay alive in the task's data the whole run), and `graphs` by module name: the
    model up to that module on ONNX Runtime, or None where torch runs it."""

    rows: dict[tuple[int, Any, str], torch.Tensor] = field(default_factory=dict)
    graphs: dict[str, FrozenGraph | None] = field(default_factory=dict)


class FeatureDataset(torch.utils.data.Dataset):
    """Cached classifier inputs (one row per example) and labels: what the `head` strategy trains on."""

    def __init__(self, features: torch.Tensor, labels: Sequence[int]):
        self.features, self.labels = features, torch.as_tensor(list(labels), dtype=torch.long)

    def __len__(self) -> int:
        return len(self.labels)

    def __getitem__(self, index: int) -> dict[str, torch.Tensor]:
        return {"features": self.features[index], "labels": self.labels[index]}


class OnCachedInputs(nn.Module):
    """What Trainer trains when the frozen part of the model is cached: `run(cached inputs) -> logits`,
    with `trained` (the model's own modules, shared, not copied: training here trains them inside the
    full model too) registered so Trainer finds, saves and reloads their weights."""

    config = None  # Trainer's label smoother looks for config.problem_type

    def __init__(self, trained: nn.Module, run: Callable[[torch.Tensor], torch.Tensor]):
        super().__init__()
        self.trained, self.run = trained, run

    def forward(self, features: torch.Tensor, labels: torch.Tensor | None = None):
        from transformers.modeling_outputs import SequenceClassifierOutput

        logits = self.run(features)
        loss = nn.functional.cross_entropy(logits, labels) if labels is not None else None
        return SequenceClassifierOutput(loss=loss, logits=logits)


def extract_features(task: TrainingTask, cache: FeatureCache, split: SplitData, batch_size: int,
                     view: Callable[[Any], Any] | None = None, where: str | None = None) -> torch.Tensor:
    """What the module `where` (default: the classifier) of the pretrained model receives for each example
    of `split` (seen through `view`), computed once per example, view and module (`cache`)."""
    where = where or find_classifier(task.model)[0]
    missing = [i for i, example in enumerate(split.examples) if (id(example), view, where) not in cache.rows]
    shared = SharedFeatures.from_env()
    identity = identity_of(task.base_model) if shared and missing else None
    keys = {}
    if identity:  # rows another run (or visitor) computed already, on disk
        encoded = EncodedDataset(subset(split, missing), task.encode, train=False, view=view)
        keys = {i: input_key(identity, where, encoded[n]) for n, i in enumerate(missing)}
        for i in missing:
            row = shared.get(keys[i])
            if row is not None:
                cache.rows[(id(split.examples[i]), view, where)] = row
        missing = [i for i in missing if (id(split.examples[i]), view, where) not in cache.rows]
    if missing:
        rows = run_to(task, cache, where, subset(split, missing), batch_size, view)
        cache.rows.update({(id(split.examples[i]), view, where): row for i, row in zip(missing, rows, strict=True)})
        for i, row in zip(missing, rows, strict=True) if keys else ():
            shared.put(keys[i], row)
        if keys:
            shared.trim()
    return torch.stack([cache.rows[(id(example), view, where)] for example in split.examples])


def prefetched(items):
    """Yield from `items`, producing the next one in a thread meanwhile (ONNX Runtime releases the GIL)."""
    from concurrent.futures import ThreadPoolExecutor

    iterator = iter(items)
    with ThreadPoolExecutor(1) as pool:
        pending = pool.submit(next, iterator, None)
        while (item := pending.result()) is not None:
            pending = pool.submit(next, iterator, None)
            yield item


@torch.no_grad()
def run_to(task: TrainingTask, cache: FeatureCache, where: str, split: SplitData, batch_size: int,
           view: Callable | None) -> torch.Tensor:
    """Run the frozen model once over `split` and capture what its module `where` receives (a pre-hook)."""
    device = next(task.model.parameters()).device
    task.model.eval()
    loader = torch.utils.data.DataLoader(
        EncodedDataset(split, task.encode, train=False, view=view), batch_size=batch_size, collate_fn=task.collate
    )
    batches = ({key: value.to(device) for key, value in batch.items() if key != "labels"} for batch in loader)
    first = next(batches)
    if device.type == "cpu" and where not in cache.graphs:
        cache.graphs[where] = frozen_part_graph(task.model, where, first, torch.get_num_threads())
    graph = cache.graphs.get(where)
    if graph is not None:
        return torch.cat([graph(batch) for batch in prefetched(itertools.chain([first], batches))])
    captured: list[torch.Tensor] = []
    # RoBERTa-style text heads receive the whole sequence [batch, tokens, hidden] and read token 0 only:
    # keep that token, so batches padded to different lengths concatenate (and the head still works).
    first_token = where == find_classifier(task.model)[0]
    hook = task.model.get_submodule(where).register_forward_pre_hook(
        lambda _module, inputs: captured.append(
            (inputs[0][:, :1] if first_token and inputs[0].dim() == 3 else inputs[0]).detach().cpu())
    )
    try:
        for batch in itertools.chain([first], batches):
            task.model(**batch)
    finally:
        hook.remove()
    return torch.cat(captured)
