"""Frozen features computed once (training/feature_cache.py): a second run on the same base model and
images reads every row the first one wrote; another geometry or other weights compute their own; the
cache stays under its size, least recently used rows first."""

from __future__ import annotations

import json
import os

import pytest
import torch

from tests.support.tiny import make_image_folder, make_tiny_vit
from training.__main__ import main
from training.flow.shared_features import SharedFeatures, identity_of

pytestmark = pytest.mark.trains


def rows(folder) -> dict:
    return {path.name: path.stat().st_mtime for path in folder.glob("*/*.npy")}


def test_a_second_run_reads_the_first_runs_features_and_other_pictures_do_not(tmp_path, monkeypatch):
    cache = tmp_path / "features"
    monkeypatch.setenv("STUDIO_FEATURE_CACHE", str(cache))
    data = make_image_folder(tmp_path / "data", per_split={"train": 4, "validation": 2}, size=16)
    vit = make_tiny_vit(tmp_path / "vit")
    models = tmp_path / "models"

    def run(name: str, base=vit, images=data) -> dict:
        argv = ["image", "--data-dir", str(images), "--base-model", str(base), "--strategy", "head", "--epochs", "2",
                "--name", name, "--models-dir", str(models)]
        assert main(argv) == 0
        return json.loads((models / name / "metrics.json").read_text())

    first = run("first")
    written = rows(cache)
    # every example and view of train, validation: one row each (3 classes x (4 train x views + 2 validation))
    assert len(written) >= 3 * (4 + 2)
    for path in cache.glob("*/*.npy"):
        os.utime(path, (1, 1))  # so a read shows as a newer time
    copy = tmp_path / "vit-copy"  # the same weights in another folder: the same model
    copy.mkdir()
    for path in vit.iterdir():
        (copy / path.name).write_bytes(path.read_bytes())
    second = run("second", copy)
    after = rows(cache)
    assert set(after) == set(written)  # not one row computed again
    assert all(mtime > 1 for mtime in after.values())  # every one read
    assert second["splits"]["validation"]["accuracy"] == first["splits"]["validation"]["accuracy"]

    others = make_image_folder(tmp_path / "others", per_split={"train": 4, "validation": 2}, size=16, seed=7)
    run("others", vit, others)  # other pictures: other inputs, rows of their own
    assert len(rows(cache)) >= 2 * len(written)


def test_the_same_weights_elsewhere_are_one_model_and_other_weights_another(tmp_path):
    vit = make_tiny_vit(tmp_path / "vit")
    copy = tmp_path / "copy"
    copy.mkdir()
    for path in vit.iterdir():
        (copy / path.name).write_bytes(path.read_bytes())
    other = make_tiny_vit(tmp_path / "other")  # random weights of its own
    assert identity_of(str(vit)) == identity_of(str(copy)) != identity_of(str(other))
    assert identity_of("google/vit-base-patch16-224-in21k") is None  # no local folder: nothing shared


def test_the_cache_keeps_its_size_dropping_the_least_recently_used(tmp_path):
    row = torch.zeros(1000)  # 4000 bytes of data, a little more on disk
    cache = SharedFeatures(tmp_path / "cache", max_bytes=5 * 4200)
    for number in range(8):
        cache.put(f"{number:02d}" + "0" * 62, row)
        os.utime(cache.path(f"{number:02d}" + "0" * 62), (100 + number, 100 + number))
    assert cache.get("00" + "0" * 62) is not None  # read now: the most recent
    cache.trim()
    kept = sorted(path.name[:2] for path in (tmp_path / "cache").glob("*/*.npy"))
    assert "00" in kept and "01" not in kept and "07" in kept
    assert sum(path.stat().st_size for path in (tmp_path / "cache").glob("*/*.npy")) <= 5 * 4200
    (tmp_path / "cache" / "07" / ("07" + "0" * 62 + ".npy")).write_bytes(b"\x80\x04not a row")  # planted
    assert cache.get("07" + "0" * 62) is None
