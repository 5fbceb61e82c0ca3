"""Real k-fold runs write label_issues.json and top_losses.json; `python -m training inspect` reads them.

Tiny models and data (tests/support/tiny.py): the image folder holds noisy solid colours, one colour per class,
with two files put in another class's folder on purpose: the folds' models, which never trained on
them, see their colour and contradict their label.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from contract.checkpoint import LABEL_ISSUES_FILE, TOP_LOSSES_FILE
from tests.support.tiny import (
    make_image_folder,
    make_sentiment_files,
    make_tiny_bert_classifier,
    make_tiny_vit,
)
from training.__main__ import main as cli
from training.commands import image, text

pytestmark = pytest.mark.usefixtures("one_torch_thread")
PLANTED = {"train/bean_rust/angular_leaf_spot_train.0.png": "angular_leaf_spot",
           "train/healthy/bean_rust_train.1.png": "bean_rust"}


@pytest.fixture(scope="module")
def image_run(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("label-issues")
    data = make_image_folder(root / "data", per_split={"train": 12, "validation": 4}, size=40)
    for planted, truth in PLANTED.items():  # a file of class `truth` filed under another class
        shutil.move(data / "train" / truth / Path(planted).name, data / planted)
    vit = make_tiny_vit(root / "vit")  # solid colours are separable on its frozen random features
    argv = ["--name", "noisy", "--data_dir", str(data), "--base_model", str(vit), "--models_dir",
            str(root / "models"), "--strategy", "head", "--train_batch_size", "8", "--eval_protocol", "kfold",
            "--folds", "3"]
    assert image.main(argv) == 0
    return root / "models" / "noisy"


@pytest.mark.trains
def test_kfold_image_run_ranks_the_planted_wrong_labels_first(image_run):
    issues = json.loads((image_run / LABEL_ISSUES_FILE).read_text())
    assert {issue["path"] for issue in issues[:3]} >= set(PLANTED)
    for issue in issues:
        if issue["path"] in PLANTED:
            assert issue["given"] != PLANTED[issue["path"]] and issue["suggested"] == PLANTED[issue["path"]]
    assert all(not Path(issue["path"]).is_absolute() for issue in issues)  # never the server's paths
    metrics = json.loads((image_run / "metrics.json").read_text())
    assert metrics["label_issues"]["count"] == len(issues) and metrics["label_issues"]["examples"] == 36 + 12
    assert metrics["label_issues"]["top"] == issues[:5]
    assert "probabilities" not in metrics["splits"]["validation"]
    assert "**Suspect labels:**" in (image_run / "README.md").read_text()


@pytest.mark.trains
def test_top_losses_cover_the_validation_split_and_match_its_confusion_matrix(image_run):
    losses = json.loads((image_run / TOP_LOSSES_FILE).read_text())
    metrics = json.loads((image_run / "metrics.json").read_text())
    names = metrics["label_names"]
    assert losses["split"] == "validation" and losses["label_names"] == names and len(losses["examples"]) == 12
    assert all(e["path"].startswith("validation/") for e in losses["examples"])
    assert [e["loss"] for e in losses["examples"]] == sorted((e["loss"] for e in losses["examples"]), reverse=True)
    matrix = [[0] * len(names) for _ in names]
    for e in losses["examples"]:
        matrix[names.index(e["given"])][names.index(e["predicted"])] += 1
    assert matrix == metrics["splits"]["validation"]["confusion_matrix"]


@pytest.mark.trains
def test_inspect_prints_and_writes_both_tables(image_run, capsys):
    assert cli(["inspect", "--model", str(image_run), "--top", "3"]) == 0
    printed = capsys.readouterr().out
    assert "Suspect labels" in printed and "Top losses (validation: 12 examples" in printed
    first = json.loads((image_run / LABEL_ISSUES_FILE).read_text())[0]["path"]
    assert first in printed and (image_run / "inspect.md").read_text() in printed


@pytest.mark.trains
def test_inspect_computes_top_losses_for_a_checkpoint_without_them(image_run, tmp_path, capsys):
    copy = tmp_path / "old-run"
    shutil.copytree(image_run, copy)
    (copy / TOP_LOSSES_FILE).unlink()
    (copy / LABEL_ISSUES_FILE).unlink()
    assert cli(["inspect", "--model", str(copy)]) == 0
    assert "train with `--eval-protocol kfold`" in capsys.readouterr().out
    assert json.loads((copy / TOP_LOSSES_FILE).read_text()) == json.loads((image_run / TOP_LOSSES_FILE).read_text())


def test_inspect_refuses_a_folder_that_is_not_a_checkpoint(tmp_path, capsys):
    assert cli(["inspect", "--model", str(tmp_path)]) == 2
    assert "not a checkpoint folder" in capsys.readouterr().err


@pytest.mark.trains
def test_kfold_text_run_describes_rows_by_split_and_number(tmp_path):
    data = make_sentiment_files(tmp_path / "data", rows_per_class=12)
    base = make_tiny_bert_classifier(tmp_path / "bert")
    argv = ["--name", "texts", "--data_dir", str(data), "--base_model", str(base), "--models_dir",
            str(tmp_path / "models"), "--text_column", "sentence", "--label_column", "label", "--label_names",
            "negative,positive", "--strategy", "full", "--epochs", "3", "--learning_rate", "3e-3",
            "--train_batch_size", "8", "--group_by_length", "--max_length", "16", "--eval_protocol", "kfold",
            "--folds", "3"]  # batches grouped by length: predictions come back in the sampler's order
    assert text.main(argv) == 0
    checkpoint = tmp_path / "models" / "texts"
    losses = json.loads((checkpoint / TOP_LOSSES_FILE).read_text())["examples"]
    rows = (data / "dev.tsv").read_text().splitlines()[1:]
    assert len(losses) == len(rows)
    for example in losses:
        assert example["split"] == "validation" and rows[example["row"] - 1].split("\t")[0] == example["text"]
    issues = json.loads((checkpoint / LABEL_ISSUES_FILE).read_text())
    train_rows = (data / "train.tsv").read_text().splitlines()[1:]
    for issue in issues:
        source = train_rows if issue["split"] == "train" else rows
        sentence, label = source[issue["row"] - 1].split("\t")
        assert sentence == issue["text"] and issue["given"] == ("negative", "positive")[int(label)]
