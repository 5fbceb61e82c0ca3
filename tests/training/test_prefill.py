"""Batch across jobs (training/prefill.py): two learners' waiting head runs on one backbone have their
features prepared in one process; each run then trains on those rows and computes none of its own."""

from __future__ import annotations

import pytest

from tests.support.tiny import make_image_folder, make_tiny_vit
from training.__main__ import main
from training.commands.prefill import prefill

pytestmark = pytest.mark.trains


def test_two_waiting_runs_find_every_feature_prepared(tmp_path, monkeypatch):
    cache = tmp_path / "features"
    monkeypatch.setenv("STUDIO_FEATURE_CACHE", str(cache))
    vit = make_tiny_vit(tmp_path / "vit")
    argvs = []
    for learner in range(2):
        data = make_image_folder(tmp_path / f"learner-{learner}", per_split={"train": 3, "validation": 2}, size=16,
                                 seed=learner)
        argvs.append(["image", "--data-dir", str(data), "--base-model", str(vit), "--strategy", "head",
                      "--epochs", "1", "--name", f"mine-{learner}", "--models-dir", str(tmp_path / "models")])
    other = ["image", "--data-dir", str(tmp_path / "learner-0"), "--base-model", str(vit), "--strategy", "full",
             "--name", "full"]
    assert prefill([*argvs, other, ["image", "--data-dir", str(tmp_path / "missing")]]) == 2  # head runs only
    prepared = {path.name for path in cache.glob("*/*.npy")}
    assert len(prepared) >= 2 * 3 * (3 + 2)  # both learners: every example of train and validation
    for argv in argvs:
        assert main(argv) == 0
    assert {path.name for path in cache.glob("*/*.npy")} == prepared  # not one row computed by the runs
