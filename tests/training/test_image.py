"""`python -m training image` end to end on tiny random models and tiny image folders (seconds each)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch
from PIL import Image
from safetensors.torch import load_file

from tests.conftest import REPO_ROOT
from tests.support.checkpoints import dead_pid
from tests.support.tiny import LEAF_CLASSES, make_image_folder, make_tiny_mobilenet, make_tiny_vit
from tests.support.train_helpers import ONE_THREAD_ENV, cli
from training.commands import image
from training.errors import UserError
from training.modalities import image_decode, image_folders

METRICS_KEYS = {"task", "name", "base_model", "dataset", "strategy", "label_names", "splits", "skipped",
                "train", "args", "versions", "created"}
SPLIT_KEYS = {"accuracy", "f1_macro", "loss", "num_examples", "confusion_matrix"}


# One torch thread for these tests (conftest.one_torch_thread) and their subprocesses.
pytestmark = pytest.mark.usefixtures("one_torch_thread")


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("tiny-image")
    return {
        "data": make_image_folder(root / "data", per_split={"train": 8, "validation": 4, "test": 3}),
        "vit": make_tiny_vit(root / "vit"),
        "mobilenet": make_tiny_mobilenet(root / "mobilenet"),
    }


def train(tiny: dict[str, Path], models: Path, name: str, *extra: str, model: str = "vit") -> Path:
    argv = ["--name", name, "--data_dir", str(tiny["data"]), "--base_model", str(tiny[model]),
            "--models_dir", str(models), "--train_batch_size", "8", *extra]
    assert image.main(argv) == 0
    return models / name



@pytest.mark.trains
@pytest.mark.parametrize(("strategy", "model", "epochs"), [("head", "vit", "8"), ("full", "mobilenet", "2")])
def test_each_strategy_writes_a_loadable_checkpoint(tiny, tmp_path, strategy, model, epochs):
    from transformers import AutoModelForImageClassification, pipeline

    path = train(tiny, tmp_path, f"tiny-{strategy}", "--strategy", strategy, "--epochs", epochs, model=model)

    assert {"config.json", "model.safetensors", "preprocessor_config.json", "metrics.json",
            "confusion_matrix.png", "README.md"} <= {p.name for p in path.iterdir()}
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"tiny-{strategy}"]  # no temp, no .runs left
    metrics = json.loads((path / "metrics.json").read_text())
    assert set(metrics) >= METRICS_KEYS and metrics["strategy"] == strategy
    assert metrics["task"] == "image-classification" and metrics["label_names"] == list(LEAF_CLASSES)
    assert set(metrics["splits"]) == {"validation", "test"}
    for split, count in (("validation", 12), ("test", 9)):
        assert set(metrics["splits"][split]) >= SPLIT_KEYS and metrics["splits"][split]["num_examples"] == count
        assert sum(map(sum, metrics["splits"][split]["confusion_matrix"])) == count
    assert metrics["skipped"] == {"train": 0, "validation": 0, "test": 0}
    assert metrics["train"]["num_examples"] == 24 and metrics["args"]["strategy"] == strategy
    assert "pipeline_tag: image-classification" in (path / "README.md").read_text()

    loaded = AutoModelForImageClassification.from_pretrained(path)
    assert loaded.config.id2label == dict(enumerate(LEAF_CLASSES))
    classify = pipeline("image-classification", model=str(path))
    leaf = next((tiny["data"] / "validation" / "healthy").iterdir())
    assert {p["label"] for p in classify(str(leaf), top_k=3)} == set(LEAF_CLASSES)

    base, tuned = load_file(tiny[model] / "model.safetensors"), load_file(path / "model.safetensors")
    backbone = [k for k in tuned if not k.startswith("classifier") and tuned[k].is_floating_point()
                and "running" not in k]
    changed = [k for k in backbone if not torch.equal(base[k], tuned[k])]
    assert (changed == []) if strategy == "head" else changed, "head freezes the backbone; full trains it"
    if strategy == "head":  # solid colours are separable on frozen random features
        assert metrics["splits"]["validation"]["accuracy"] >= 0.9


@pytest.mark.trains
def test_failed_run_leaves_old_checkpoint_intact_and_no_partial_folder(tiny, tmp_path, monkeypatch):
    path = train(tiny, tmp_path, "keep", "--epochs", "1")
    before = {p.name: p.read_bytes() for p in path.iterdir()}

    def broken_card(folder, metrics):
        (folder / "README.md").write_text("half a card")
        raise OSError("disk full")

    monkeypatch.setattr("training.outputs.save.write_model_card", broken_card)
    for name in ("keep", "fresh"):  # one line for the user (issue 9), not an OSError traceback
        with pytest.raises(UserError, match=f"could not write the checkpoint '{name}': disk full"):
            train(tiny, tmp_path, name, "--epochs", "1")
    assert {p.name: p.read_bytes() for p in path.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != ".runs") == ["keep"]


@pytest.mark.trains
def test_corrupt_files_are_skipped_and_counted(tiny, tmp_path):
    data = make_image_folder(tmp_path / "data", per_split={"train": 4, "validation": 2})
    (data / "train" / "healthy" / "notes.txt").write_text("not an image")
    good = next((data / "train" / "bean_rust").iterdir())
    (data / "train" / "bean_rust" / "truncated.png").write_bytes(good.read_bytes()[:60])
    (data / "validation" / "healthy" / "empty.jpg").write_bytes(b"")
    argv = ["--name", "skips", "--data_dir", str(data), "--base_model", str(tiny["vit"]),
            "--models_dir", str(tmp_path / "models"), "--epochs", "1"]
    assert image.main(argv) == 0
    metrics = json.loads((tmp_path / "models" / "skips" / "metrics.json").read_text())
    assert metrics["skipped"] == {"train": 2, "validation": 1}
    assert metrics["train"]["num_examples"] == 12 and metrics["splits"]["validation"]["num_examples"] == 6


def bad_data_cases(root: Path) -> dict[str, tuple[list[str], str]]:
    """name -> (extra CLI args, words the one error line must contain)."""
    one_class = make_image_folder(root / "one", classes=("healthy",), per_split={"train": 2, "validation": 1})
    empty = root / "empty"
    for split in ("train", "validation"):
        for name in ("a", "b"):
            (empty / split / name).mkdir(parents=True)
    mismatched = make_image_folder(root / "mismatch", per_split={"train": 2, "validation": 1})
    (mismatched / "validation" / "healthy").rename(mismatched / "validation" / "sick")
    unreadable = make_image_folder(root / "unreadable", per_split={"train": 2, "validation": 1})
    for file in (unreadable / "validation").rglob("*.png"):
        file.write_bytes(b"garbage")
    return {
        "one class": (["--data_dir", str(one_class)], "at least 2 class"),
        "no images": (["--data_dir", str(empty)], "no images"),
        "mismatched labels": (["--data_dir", str(mismatched)], "do not match"),
        "missing data dir": (["--data_dir", str(root / "nope")], "data folder not found"),
        "no usable examples": (["--data_dir", str(unreadable)], "no usable examples"),
    }


@pytest.mark.serves
@pytest.mark.trains
def test_bad_data_sets_exit_2_with_one_line(tiny, tmp_path, capsys):
    from training.__main__ import main as training_main

    cases = bad_data_cases(tmp_path)
    cases["missing model"] = (["--data_dir", str(tiny["data"]), "--base_model", str(tmp_path / "nomodel")],
                              "model folder not found")
    common = ["image", "--name", "bad", "--base_model", str(tiny["vit"]), "--models_dir", str(tmp_path / "models")]
    for name, (extra, words) in cases.items():
        assert training_main([*common, *extra]) == 2, name
        err = capsys.readouterr().err
        errors = [line for line in err.splitlines() if line.startswith("error:")]
        assert "Traceback" not in err and len(errors) == 1 and words in errors[0], f"{name}: {err}"
    assert not (tmp_path / "models" / "bad").exists()

    # The same through a real process: exit status 2 and a single line on stderr.
    extra, words = cases["mismatched labels"]
    result = cli(*common, *extra)
    assert result.returncode == 2 and result.stderr.strip().count("\n") == 0 and words in result.stderr


@pytest.mark.serves
@pytest.mark.trains
def test_resume_continues_from_the_last_checkpoint_after_a_kill(tiny, tmp_path):
    models = tmp_path / "models"
    args = ["image", "--name", "resumable", "--data_dir", str(tiny["data"]), "--base_model", str(tiny["vit"]),
            "--models_dir", str(models), "--strategy", "full", "--epochs", "6", "--train_batch_size", "8"]
    process = subprocess.Popen([sys.executable, "-m", "training", *args], cwd=REPO_ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
                               env=ONE_THREAD_ENV)
    run_dir = models / ".runs" / "resumable"
    deadline = time.monotonic() + 240
    try:
        while not list(run_dir.glob("checkpoint-*/trainer_state.json")):
            assert process.poll() is None and time.monotonic() < deadline, "no checkpoint before the run ended"
            time.sleep(0.05)
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    saved = sorted(int(p.parent.name.split("-")[1]) for p in run_dir.glob("checkpoint-*/trainer_state.json"))
    assert saved and not (models / "resumable").exists()
    # what a SIGKILL during the final save leaves: half a checkpoint in a hidden temp folder
    leftover = models / f".resumable.tmp-{dead_pid()}"
    shutil.copytree(tiny["vit"], leftover)

    result = cli(*args, "--resume")
    assert result.returncode == 0, result.stderr
    assert not leftover.exists()
    assert f"resuming from {run_dir / f'checkpoint-{saved[-1]}'}" in result.stderr
    train_stats = json.loads((models / "resumable" / "metrics.json").read_text())["train"]
    assert 0 < train_stats["resumed_from_step"] == saved[-1] < train_stats["global_step"] == 6 * 3


def test_image_decoding_shrinks_but_never_below_the_model_size(tmp_path):
    big = tmp_path / "big.jpg"
    Image.new("RGB", (1000, 600), (10, 200, 30)).save(big, quality=90)
    decoded = image_decode.open_image(big, min_side=224)
    assert decoded.mode == "RGB" and min(decoded.size) >= 224 and decoded.size[0] < 1000
    png = tmp_path / "big.png"
    Image.new("L", (900, 900)).save(png)
    assert image_decode.open_image(png, min_side=224).size == (225, 225)  # reduce(4): still >= 224
    with pytest.raises(UserError, match="no images"):
        image_folders.split_sources(tmp_path, list(LEAF_CLASSES), require_all=True)


@pytest.mark.trains
def test_dataset_argument_goes_through_datasets_load_dataset(tiny, tmp_path, capsys):
    """The Hub path (`--dataset id`) is datasets.load_dataset; a local folder id exercises it offline."""
    argv = ["--name", "via-datasets", "--dataset", str(tiny["data"]), "--base_model", str(tiny["vit"]),
            "--models_dir", str(tmp_path), "--epochs", "1", "--max_train_samples", "9"]
    assert image.main(argv) == 0
    metrics = json.loads((tmp_path / "via-datasets" / "metrics.json").read_text())
    assert metrics["label_names"] == list(LEAF_CLASSES) and metrics["train"]["num_examples"] == 9
    assert set(metrics["splits"]) == {"validation", "test"}

    from training.__main__ import main as training_main

    offline = ["image", "--name", "x", "--dataset", "no-such-owner/no-such-dataset", "--base_model",
               str(tiny["vit"]), "--models_dir", str(tmp_path)]
    assert training_main(offline) == 2
    errors = [line for line in capsys.readouterr().err.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "cannot load dataset 'no-such-owner/no-such-dataset'" in errors[0]


def test_elongated_images_are_skipped_and_counted(tmp_path):
    """Issue 9: training decodes through contract.images too; a 40000×1 strip is skipped, not resized."""
    strip = tmp_path / "strip.png"
    Image.new("L", (40_000, 1)).save(strip)
    leaf = tmp_path / "leaf.png"
    Image.new("RGB", (300, 200), (0, 120, 0)).save(leaf)
    sources = [(strip, 0, "strip.png"), (Image.new("RGB", (1, 5000)), 0, "hub-strip"), (leaf, 1, "leaf.png")]
    split = image_decode.decode_images(sources, min_side=224)
    assert split.skipped == 2 and split.labels == [1] and split.examples[0].size == (300, 200)
