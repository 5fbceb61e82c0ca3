"""Batch across jobs: the frozen features of several waiting `image` runs on one backbone, in one process.

The warm worker (training/worker.py) runs this before a group of waiting `head` jobs on the same base model:
each job's own data and input geometry (its task, as `python -m training image` builds it), one frozen
graph of the backbone shared by all of them (exported and checked once, instead of once per job), every
row written to the shared feature cache (training/flow/shared_features.py). Each job then finds its rows there
and trains only its head. A job this cannot prepare (bad data, another strategy) is skipped here: it reports
its own problem when it runs.
"""

from __future__ import annotations

import logging

from contract.checkpoint import TRAIN_SPLIT
from training.commands.parser import parse_args
from training.commands.recipes import recipe_applied
from training.flow.args import TrainArgs
from training.flow.data import carve_holdout
from training.flow.features import FeatureCache, extract_features
from training.flow.pretrained import find_classifier
from training.flow.shared_features import SharedFeatures, identity_of
from training.modalities.image import build_task
from training.modalities.image_args import ImageDataArgs, ImageModelArgs

log = logging.getLogger("training")


def prefill(argvs: list[list[str]]) -> int:
    """Fill the feature cache for every `image ... --strategy head` argv (the CLI's, recipe included);
    returns how many jobs were prepared."""
    if SharedFeatures.from_env() is None:
        return 0
    graphs: dict[tuple, dict] = {}
    prepared = 0
    for argv in argvs:
        try:
            with recipe_applied("image", argv[1:]) as expanded:
                train_args, data_args, model_args = parse_args((TrainArgs, ImageDataArgs, ImageModelArgs), expanded,
                                                               prog="python -m training image", kind="image")
            if argv[0] != "image" or train_args.strategy != "head" or train_args.eval_protocol == "kfold":
                continue
            task = build_task(train_args, data_args, model_args)
        except (Exception, SystemExit) as error:  # the job itself reports it, in its own words
            log.warning("prefill: skipped a job (%s)", type(error).__name__)
            continue
        if train_args.holdout_fraction:
            task.data = carve_holdout(task.data, train_args.holdout_fraction, train_args.seed)
        where = find_classifier(task.model)[0]
        # one graph per backbone and geometry: the same frozen layers for every job of the group
        cache = FeatureCache(graphs=graphs.setdefault((identity_of(task.base_model), repr(task.inference)), {}))
        if not train_args.onnx:
            cache.graphs.setdefault(where, None)
        batch_size = task.inference_batch_size or train_args.eval_batch_size
        for name, split in task.data.splits.items():  # what train_on_cached and its evaluation will ask for
            views = (None, *task.feature_views) if name == TRAIN_SPLIT else (None, *task.tta_views)
            for view in views:
                extract_features(task, cache, split, batch_size, view, where)
        prepared += 1
    return prepared
