"""Recipes and honest evaluation (issue 10): k-fold, holdout, image geometry, last-n, probe-then-full,
augmentation, schedules, test-time augmentation; real Trainer runs on tiny random models (seconds each)."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image
from safetensors.torch import load_file

from contract.checkpoint import TTA_CONFIG_KEY
from tests.support.tiny import (
    make_image_folder,
    make_sentiment_files,
    make_tiny_bert_classifier,
    make_tiny_mobilenet,
    make_tiny_vit,
)
from training.commands import image as image_command
from training.commands import text
from training.commands.parser import args_dict, parse_args
from training.errors import UserError
from training.flow.args import TrainArgs
from training.flow.data import SplitData, TaskData, TrainingTask, carve_holdout
from training.flow.features import FeatureCache, prefetched
from training.flow.kfold import FOLD_SPLIT, cross_validated
from training.flow.pretrained import cached_tail
from training.flow.run import run_training
from training.flow.scoring import scored_views
from training.flow.strategies import Strategy
from training.flow.trainer import training_arguments
from training.modalities import image, image_args, image_augment, image_geometry

pytestmark = pytest.mark.usefixtures("one_torch_thread")

KFOLD_KEYS = {"folds", "num_examples", "splits", "accuracy_mean", "accuracy_std", "f1_macro_mean", "f1_macro_std",
              "runtime_s", "per_fold"}


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("tiny-recipes")
    return {
        "data": make_image_folder(root / "data", per_split={"train": 10, "validation": 4}, size=40),
        "mobilenet": make_tiny_mobilenet(root / "mobilenet", labels=("x", "y", "z")),
    }


def train(tiny: dict[str, Path], models: Path, name: str, *extra: str) -> dict:
    argv = ["--name", name, "--data_dir", str(tiny["data"]), "--base_model", str(tiny["mobilenet"]),
            "--models_dir", str(models), "--train_batch_size", "8", *extra]
    assert image_command.main(argv) == 0
    return json.loads((models / name / "metrics.json").read_text())


@pytest.mark.trains
def test_kfold_and_holdout_are_recorded_and_printed(tiny, tmp_path, capsys):
    name = "kfold-" + "n" * 90  # the longest name allowed: the folds' run folders must still be valid
    metrics = train(tiny, tmp_path, name, "--strategy", "head", "--epochs", "3", "--eval_protocol", "kfold",
                    "--folds", "3", "--holdout_fraction", "0.2")
    kfold = metrics["kfold"]
    assert set(kfold) == KFOLD_KEYS and kfold["folds"] == 3 and len(kfold["per_fold"]) == 3
    # holdout: 20 % of train's 30 images, by class, never in the folds nor in training
    assert metrics["splits"]["holdout"]["num_examples"] == 6 and metrics["train"]["num_examples"] == 24
    assert sum(map(sum, metrics["splits"]["holdout"]["confusion_matrix"])) == 6
    assert [row.count(0) < 3 for row in metrics["splits"]["holdout"]["confusion_matrix"]]
    assert kfold["num_examples"] == 24 + 12 == sum(fold["num_examples"] for fold in kfold["per_fold"])
    assert kfold["accuracy_mean"] == pytest.approx(np.mean([f["accuracy"] for f in kfold["per_fold"]]), abs=1e-4)
    assert 0 <= kfold["accuracy_std"] <= 0.5 and list(metrics["splits"]) == ["validation", "holdout"]
    printed = capsys.readouterr().out
    assert "3-fold over train+validation (36 examples): accuracy" in printed and "holdout" in printed
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]  # no fold run folders left


def test_kfold_folds_are_stratified_and_score_examples_never_trained_on(monkeypatch):
    seen = []

    def fake_train(task, args, epochs, learning_rate, cache):
        train = {id(e) for e in task.data.splits["train"].examples}
        scored = task.data.splits[FOLD_SPLIT]
        assert train.isdisjoint(map(id, scored.examples))
        assert train.isdisjoint(map(id, task.data.splits["validation"].examples))  # selection part
        assert np.bincount(scored.labels).tolist() == [2, 2]  # stratified
        seen.append(len(scored))
        return {"splits": {FOLD_SPLIT: {"accuracy": 1.0, "f1_macro": 1.0, "num_examples": len(scored)}}}

    examples = [object() for _ in range(20)]
    data = TaskData({"train": SplitData(examples[:16], [0, 1] * 8),
                     "validation": SplitData(examples[16:], [0, 1, 0, 1])}, ["a", "b"], "x")
    task = TrainingTask("t", data, torch.nn.Linear(1, 1), None, None, None, "m",
                             fresh_model=lambda: torch.nn.Linear(1, 1))
    args = TrainArgs(name="k", folds=5, models_dir="/nonexistent")
    found, _out_of_fold = cross_validated(task, args, Strategy(fake_train, 1, 1), 1, 1, FeatureCache())
    assert seen == [4] * 5 and found["accuracy_mean"] == 1.0 and found["accuracy_std"] == 0.0


@pytest.mark.parametrize(("flags", "message"), [
    (["--folds", "1"], "--folds"), (["--holdout_fraction", "1.5"], "holdout_fraction"),
    (["--label_smoothing", "-0.1"], "label_smoothing"), (["--unfreeze_last", "-1"], "unfreeze_last"),
])
def test_bad_recipe_arguments_are_user_errors(flags, message):
    with pytest.raises(UserError, match=message):
        parse_args((TrainArgs,), ["--name", "x", *flags])


def test_holdout_needs_enough_examples_per_class():
    data = TaskData({"train": SplitData(list("abc"), [0, 1, 1]),
                     "validation": SplitData(list("d"), [0])}, ["a", "b"], "x")
    with pytest.raises(UserError, match="--holdout-fraction"):
        carve_holdout(data, 0.5, seed=0)


@pytest.mark.trains
def test_whole_geometry_is_saved_so_the_processor_reproduces_training_tensors(tiny, tmp_path):
    from transformers import AutoConfig, AutoImageProcessor

    metrics = train(tiny, tmp_path, "whole", "--strategy", "head", "--epochs", "1", "--image_size", "40",
                    "--resize_mode", "whole", "--tta", "flips")
    onnx = metrics["inference"].pop("onnx")  # the checked graph's record (tests/training/test_onnx.py)
    assert metrics["inference"] == {"image_size": 40, "resize_mode": "whole", "tta": "flips"} and onnx["file"]
    assert getattr(AutoConfig.from_pretrained(tmp_path / "whole"), TTA_CONFIG_KEY) == ["hflip", "vflip"]
    saved = AutoImageProcessor.from_pretrained(tmp_path / "whole")
    assert saved.do_center_crop is False and saved.size.height == saved.size.width == 40

    train_args, data_args, model_args = parse_args(
        (TrainArgs, image_args.ImageDataArgs, image_args.ImageModelArgs),
        ["--name", "x", "--data_dir", str(tiny["data"]), "--base_model", str(tiny["mobilenet"]),
         "--image_size", "40", "--resize_mode", "whole"])
    task = image.build_task(train_args, data_args, model_args)
    leaf = Image.fromarray(np.random.default_rng(0).integers(0, 255, (70, 50, 3), dtype=np.uint8))
    trained_on = task.encode(leaf, False)["pixel_values"]
    assert trained_on.shape == (3, 40, 40)  # the whole leaf, squashed to a square: nothing cropped
    assert torch.equal(saved(images=leaf, return_tensors="pt")["pixel_values"][0], trained_on)


def test_crop_geometry_scales_the_processors_resize_and_crop(tiny):
    from transformers import AutoImageProcessor

    processor = AutoImageProcessor.from_pretrained(tiny["mobilenet"])  # shortest edge 32, crop 32
    assert image_geometry.set_geometry(processor, 48, "crop") == {"image_size": 48, "resize_mode": "crop"}
    assert processor.do_center_crop and processor.size["shortest_edge"] == 48
    assert processor(images=Image.new("RGB", (90, 60)), return_tensors="pt")["pixel_values"].shape[-2:] == (48, 48)


def test_augmentations_are_pil_only_and_keep_rgb(tiny):
    args = image_args.ImageDataArgs(augment="crop,hflip,vflip,rot90,rotate,color", rotate_degrees=30, color_jitter=0.3)
    leaf = Image.new("RGB", (64, 48), (40, 180, 40))
    rng = random.Random(0)
    for _ in range(20):
        out = image_augment.augment(leaf, rng, args)
        assert out.mode == "RGB" and min(out.size) > 0
    rotated = image_augment.random_rotation(leaf, random.Random(1), 30)
    assert set(rotated.getdata()) == {(40, 180, 40)}  # cropped inside the rotated picture: no empty corners
    assert image_augment.augment(leaf, rng, image_args.ImageDataArgs(augment="none")) is leaf
    with pytest.raises(UserError, match="--augment"):
        image_args.ImageDataArgs(augment="crop,zoom")


def test_test_time_views_average_probabilities():
    logits = {0: np.array([[2.0, 0.0], [0.0, 1.0]]), 1: np.array([[0.0, 4.0], [0.0, 1.0]])}
    found = scored_views(lambda view: (logits[view], np.array([1, 1])), 1, 2)
    first = np.exp(2) / (1 + np.exp(2))  # view 0 says class 0 for the first example, view 1 says class 1
    assert found["confusion_matrix"] == [[0, 0], [0, 2]]
    assert found["loss"] == pytest.approx(-np.mean(np.log([(1 - first + np.exp(4) / (1 + np.exp(4))) / 2,
                                                            np.exp(1) / (1 + np.exp(1))])), abs=1e-5)


def backbone_changes(base: Path, tuned: Path) -> dict[str, bool]:
    before, after = load_file(base / "model.safetensors"), load_file(tuned / "model.safetensors")
    return {key: not torch.equal(before[key], after[key]) for key in after
            if not key.startswith("classifier") and after[key].is_floating_point()}


@pytest.mark.trains
def test_last_n_trains_only_the_last_blocks_and_keeps_frozen_batch_norm_statistics(tiny, tmp_path):
    metrics = train(tiny, tmp_path, "last", "--strategy", "last-n", "--unfreeze_last", "1", "--epochs", "2",
                    "--learning_rate", "1e-2", "--augment", "hflip,vflip,rotate,color", "--no_cache_frozen")
    assert metrics["strategy"] == "last-n"
    changed = backbone_changes(tiny["mobilenet"], tmp_path / "last")
    blocks = sorted({int(key.split(".")[2]) for key in changed if ".layer." in key})
    last = blocks[-1]
    assert any(flag for key, flag in changed.items() if f".layer.{last}." in key)  # the last block trained
    assert not any(flag for key, flag in changed.items() if f".layer.{last}." not in key and ".layer." in key)
    assert not any(flag for key, flag in changed.items() if "conv_stem" in key)  # running stats included


def test_the_mobilenet_tail_continues_the_models_own_forward(tiny, tmp_path):
    from transformers import AutoModelForImageClassification

    model = AutoModelForImageClassification.from_pretrained(tiny["mobilenet"]).eval()
    where, run = cached_tail(model, 3)
    captured = []
    model.get_submodule(where).register_forward_pre_hook(lambda _module, inputs: captured.append(inputs[0]))
    with torch.no_grad():
        expected = model(pixel_values=torch.randn(3, 3, 32, 32)).logits
        torch.testing.assert_close(run(captured[0]), expected)
    assert where == "mobilenet_v2.layer.13" and cached_tail(model, 0) is None
    vit = AutoModelForImageClassification.from_pretrained(make_tiny_vit(tmp_path / "vit"))
    assert cached_tail(vit, 1) is None  # no tail known: last-n runs every block every step, as before


@pytest.mark.trains
def test_cached_last_n_checkpoint_is_the_trained_model_with_only_the_last_blocks_changed(tiny, tmp_path, caplog):
    from transformers import AutoModelForImageClassification

    train_args, data_args, model_args = parse_args(
        (TrainArgs, image_args.ImageDataArgs, image_args.ImageModelArgs),
        ["--name", "cached", "--data_dir", str(tiny["data"]), "--base_model", str(tiny["mobilenet"]),
         "--models_dir", str(tmp_path), "--strategy", "last-n", "--unfreeze_last", "2", "--epochs", "2",
         "--learning_rate", "1e-2", "--augment", "crop,hflip,rot90", "--tta", "flips", "--train_batch_size", "8"])
    task = image.build_task(train_args, data_args, model_args)
    cache = FeatureCache()
    with caplog.at_level("WARNING", logger="training"):
        run_training(task, train_args, args_dict(train_args, data_args, model_args), cache)
    assert "(3 views of train)" in caplog.text  # the image, its mirror, its quarter turn; no random crops
    assert {where for _id, _view, where in cache.rows} == {"mobilenet_v2.layer.14"}  # frozen part, once
    # The saved checkpoint is a standard MobileNetV2 that answers exactly as the model trained in memory.
    saved = AutoModelForImageClassification.from_pretrained(tmp_path / "cached", use_safetensors=True).eval()
    pixels = torch.stack([task.encode(leaf, False)["pixel_values"] for leaf in task.data.splits["validation"].examples])
    with torch.no_grad():
        torch.testing.assert_close(saved(pixel_values=pixels).logits, task.model.eval()(pixel_values=pixels).logits)
    # ... and scored on the cached activations as the full forward pass scores it
    from training.commands.evaluate import EvaluateArgs, evaluate_checkpoint

    report = evaluate_checkpoint(EvaluateArgs(model=str(tmp_path / "cached"), data_dir=str(tiny["data"]),
                                              split="validation"))
    recorded = json.loads((tmp_path / "cached" / "metrics.json").read_text())["splits"]["validation"]
    assert report["metrics"]["loss"] == pytest.approx(recorded["loss"], abs=1e-4)
    changed = {key for key, flag in backbone_changes(tiny["mobilenet"], tmp_path / "cached").items() if flag}
    trained = ("mobilenet_v2.layer.14.", "mobilenet_v2.layer.15.", "mobilenet_v2.conv_1x1.")
    assert changed and all(key.startswith(trained) for key in changed)
    # Trained batch norms learnt their running statistics in train mode, frozen ones kept the pretrained ones.
    assert {"mobilenet_v2.layer.14.expand_1x1.normalization.running_mean",
            "mobilenet_v2.conv_1x1.normalization.running_var"} <= changed
    momenta = {name: module.momentum for name, module in task.model.named_modules()
               if isinstance(module, torch.nn.BatchNorm2d)}
    assert all(m == 0.1 for name, m in momenta.items() if name.startswith(trained))
    assert all(m == 0.997 for name, m in momenta.items() if not name.startswith(trained))


@pytest.mark.trains
def test_probe_then_full_trains_the_head_first_then_everything(tiny, tmp_path):
    metrics = train(tiny, tmp_path, "ptf", "--strategy", "probe-then-full", "--probe_epochs", "2", "--epochs", "1",
                    "--lr_scheduler_type", "cosine", "--warmup_ratio", "0.2", "--label_smoothing", "0.1",
                    "--no_select_best", "--tta", "hflip")
    probe = metrics["train"]["probe"]
    assert probe["epochs"] == 2 and 0 <= probe["validation_accuracy"] <= 1 and probe["feature_extraction_s"] >= 0
    assert any(backbone_changes(tiny["mobilenet"], tmp_path / "ptf").values())
    assert metrics["args"]["lr_scheduler_type"] == "cosine" and metrics["args"]["select_best"] is False


def test_schedule_smoothing_and_selection_reach_training_arguments(tmp_path):
    args = TrainArgs(name="x", models_dir=str(tmp_path), lr_scheduler_type="cosine", warmup_ratio=0.05,
                     label_smoothing=0.1, select_best=False)
    built = training_arguments(args, 2, 1e-3, warmup=0.1)
    assert (built.lr_scheduler_type, built.warmup_steps, built.label_smoothing_factor) == ("cosine", 0.05, 0.1)
    assert built.load_best_model_at_end is False and built.eval_strategy == "no"
    default = training_arguments(TrainArgs(name="x", models_dir=str(tmp_path)), 2, 1e-3, warmup=0.1)
    assert default.load_best_model_at_end and default.warmup_steps == 0.1


@pytest.mark.trains
def test_evaluate_applies_the_checkpoints_test_time_views(tiny, tmp_path):
    from training.commands.evaluate import EvaluateArgs, evaluate_checkpoint

    train(tiny, tmp_path, "tta", "--strategy", "head", "--epochs", "1", "--tta", "hflip")
    task = image.evaluation_task(tmp_path / "tta", tiny["data"], "validation", None, 0)
    assert len(task.tta_views) == 1
    report = evaluate_checkpoint(EvaluateArgs(model=str(tmp_path / "tta"), data_dir=str(tiny["data"]),
                                              split="validation"))
    recorded = json.loads((tmp_path / "tta" / "metrics.json").read_text())["splits"]["validation"]
    assert report["metrics"]["accuracy"] == pytest.approx(recorded["accuracy"])
    assert report["metrics"]["loss"] == pytest.approx(recorded["loss"], abs=1e-4)


@pytest.mark.trains
def test_text_kfold_with_the_head_strategy(tmp_path):
    base = make_tiny_bert_classifier(tmp_path / "bert")
    data = make_sentiment_files(tmp_path / "sst2-like", rows_per_class=9)
    argv = ["--name", "text-kfold", "--data_dir", str(data), "--base_model", str(base), "--models_dir",
            str(tmp_path / "models"), "--strategy", "head", "--epochs", "2", "--eval_protocol", "kfold",
            "--folds", "3", "--label_names", "negative,positive"]
    assert text.main(argv) == 0
    metrics = json.loads((tmp_path / "models" / "text-kfold" / "metrics.json").read_text())
    assert set(metrics["kfold"]) == KFOLD_KEYS and metrics["kfold"]["num_examples"] == 18 + 6


def test_recipe_arguments_round_trip_through_a_config_file(tmp_path):
    flags = ["--name", "r", "--strategy", "last-n", "--unfreeze_last", "3", "--eval_protocol", "kfold",
             "--folds", "4", "--no_select_best", "--image_size", "256", "--resize_mode", "whole", "--tta", "flips"]
    parsed = parse_args((TrainArgs, image_args.ImageDataArgs), flags)
    (tmp_path / "r.json").write_text(json.dumps(args_dict(*parsed)))
    assert parse_args((TrainArgs, image_args.ImageDataArgs), [str(tmp_path / "r.json")]) == parsed


@pytest.mark.trains
def test_max_length_from_the_data_is_recorded(tmp_path):
    base = make_tiny_bert_classifier(tmp_path / "bert")
    data = make_sentiment_files(tmp_path / "sst2-like", rows_per_class=6)
    argv = ["--name", "auto-length", "--data_dir", str(data), "--base_model", str(base), "--models_dir",
            str(tmp_path / "models"), "--strategy", "head", "--epochs", "1", "--max_length", "0",
            "--label_names", "negative,positive"]
    assert text.main(argv) == 0
    metrics = json.loads((tmp_path / "models" / "auto-length" / "metrics.json").read_text())
    # the longest tiny sentence is ~9 tokens with [CLS]/[SEP]: the 99th percentile, never below 8
    assert 8 <= metrics["args"]["max_length"] <= 12


@pytest.mark.trains
def test_head_trains_on_the_flips_of_augment_as_extra_cached_views(tiny, tmp_path, caplog):
    train_args, data_args, model_args = parse_args(
        (TrainArgs, image_args.ImageDataArgs, image_args.ImageModelArgs),
        ["--name", "views", "--data_dir", str(tiny["data"]), "--base_model", str(tiny["mobilenet"]),
         "--models_dir", str(tmp_path), "--augment", "crop,hflip,vflip,color", "--epochs", "1"])
    task = image.build_task(train_args, data_args, model_args)
    assert len(task.feature_views) == 2
    cache = FeatureCache()
    with caplog.at_level("WARNING", logger="training"):
        run_training(task, train_args, args_dict(train_args, data_args, model_args), cache)
    assert "(3 views of train)" in caplog.text
    assert len(cache.rows) == 30 * 3 + 12  # each train image in 3 views, validation once


@pytest.mark.parametrize("where", ["classifier", "mobilenet_v2.layer.13"])
def test_frozen_layers_on_onnx_runtime_give_torchs_features_and_leave_the_model_as_it_was(tiny, where):
    from transformers import AutoModelForImageClassification

    from training.flow.frozen_graph import frozen_part_graph

    model = AutoModelForImageClassification.from_pretrained(tiny["mobilenet"]).eval()
    before = {key: value.clone() for key, value in model.state_dict().items()}
    first, later = torch.randn(4, 3, 32, 32), torch.randn(3, 3, 32, 32)  # the last batch may be smaller
    graph = frozen_part_graph(model, where, {"pixel_values": first}, threads=1)
    assert graph is not None
    captured = []
    model.get_submodule(where).register_forward_pre_hook(lambda _module, inputs: captured.append(inputs[0]))
    with torch.no_grad():
        model(pixel_values=later)
    torch.testing.assert_close(graph({"pixel_values": later}), captured[0], atol=1e-4, rtol=1e-4)
    # the exporter puts the whole model in its wrapper's mode: still eval, so no statistics were updated
    assert not model.training and all(torch.equal(value, before[key]) for key, value in model.state_dict().items())


@pytest.mark.trains
def test_cached_strategies_record_which_runtime_ran_the_frozen_layers(tiny, tmp_path):
    image_run = train(tiny, tmp_path, "ort-head", "--strategy", "head", "--epochs", "1")
    assert image_run["train"]["feature_runtime"] == "onnxruntime"
    assert train(tiny, tmp_path, "torch-head", "--epochs", "1", "--onnx", "false")["train"]["feature_runtime"] == "torch"
    data = make_sentiment_files(tmp_path / "sst")
    bert = make_tiny_bert_classifier(tmp_path / "bert")
    argv = ["--name", "text-head", "--data_dir", str(data), "--base_model", str(bert), "--models_dir", str(tmp_path),
            "--strategy", "head", "--epochs", "1", "--label_names", "negative,positive"]
    assert text.main(argv) == 0
    text_run = json.loads((tmp_path / "text-head" / "metrics.json").read_text())
    assert text_run["train"]["feature_runtime"] == "torch"  # several inputs (ids, mask): torch runs them


def test_prefetched_keeps_order_and_raises_the_producers_error():
    assert list(prefetched(iter(range(7)))) == list(range(7)) and list(prefetched([])) == []

    def broken():
        yield {"batch": 1}
        raise OSError("disk gone")

    with pytest.raises(OSError, match="disk gone"):
        list(prefetched(broken()))
