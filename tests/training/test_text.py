"""training/modalities/text.py: reading text files, numbering labels, and the `text` and `evaluate` commands run
for real on a tiny BERT (tests/support/tiny.py), in seconds."""

from __future__ import annotations

import csv
import json
import os
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file

from studio.sentiment.predict import TRAIN_COMMAND
from tests.conftest import REPO_ROOT
from tests.support.tiny import make_sentiment_files, make_tiny_bert_classifier
from tests.support.train_helpers import cli
from training.__main__ import main as training_main
from training.commands import text as text_command
from training.commands.parser import parse_args
from training.errors import UserError
from training.flow.args import TrainArgs
from training.modalities import text_args, text_data

# Settings under which the tiny random BERT learns tests/support/tiny.py's sentiment files (validation 1.0).
LEARNS = ["--strategy", "full", "--epochs", "10", "--learning-rate", "3e-3", "--train-batch-size", "8"]


def write_table(path: Path, rows: list[list], delimiter: str = "\t") -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


@pytest.fixture(scope="module")
def base_model(tmp_path_factory) -> Path:
    return make_tiny_bert_classifier(tmp_path_factory.mktemp("base") / "tiny-bert")


@pytest.fixture
def sentiment_dir(tmp_path) -> Path:
    return make_sentiment_files(tmp_path / "sst2-like")


# ---------------------------------------------------------------- pure functions


def test_read_rows_of_every_format_counts_unreadable_rows(tmp_path):
    (tmp_path / "a.tsv").write_bytes(b"sentence\tlabel\nbueno\t1\n" + b"caf\xe9 malo\t0\n" + b"ok\t1\n")
    (tmp_path / "b.csv").write_text('text,label\n"good, really",pos\n', encoding="utf-8")
    (tmp_path / "c.jsonl").write_text('{"text": "yes", "label": 1}\n{broken\n\n{"text": "no", "label": 0}\n')
    (tmp_path / "d.json").write_text(json.dumps([{"text": "sí", "label": "pos"}, 3]))
    assert text_data.read_rows(tmp_path / "a.tsv") == ([{"sentence": "bueno", "label": "1"},
                                                   {"sentence": "ok", "label": "1"}], ["sentence", "label"], 1)
    assert text_data.read_rows(tmp_path / "b.csv") == ([{"text": "good, really", "label": "pos"}], ["text", "label"], 0)
    assert text_data.read_rows(tmp_path / "c.jsonl")[1:] == (["text", "label"], 1)
    assert text_data.read_rows(tmp_path / "d.json") == ([{"text": "sí", "label": "pos"}], ["text", "label"], 1)


def test_find_files_maps_names_to_splits(tmp_path):
    for name in ("train.tsv", "dev.tsv", "test.jsonl", "notes.txt", "extra.csv"):
        (tmp_path / name).write_text("x")
    assert text_data.find_files(tmp_path) == {
        "train": tmp_path / "train.tsv", "validation": tmp_path / "dev.tsv", "test": tmp_path / "test.jsonl"}
    (tmp_path / "validation.csv").write_text("x")
    with pytest.raises(UserError, match="two files for the 'validation' split"):
        text_data.find_files(tmp_path)
    (tmp_path / "train.tsv").unlink()
    (tmp_path / "validation.csv").unlink()
    with pytest.raises(UserError, match="no train file"):
        text_data.find_files(tmp_path)
    assert set(text_data.find_files(tmp_path, need_train=False)) == {"validation", "test"}


def test_rows_to_examples_skips_empty_texts_and_missing_labels():
    args = text_args.TextDataArgs(text_column="s1", text_pair_column="s2", label_column="y")
    rows = [{"s1": " a ", "s2": "b", "y": "1"}, {"s1": "  ", "s2": "b", "y": 1}, {"s1": "a", "s2": "", "y": 0},
            {"s1": "a", "s2": "b", "y": -1}, {"s1": "a", "s2": "b", "y": ""}, {"s1": "c", "s2": "d", "y": 2.0},
            {"s1": "e", "s2": "f", "y": " neutral "}, {"s2": "no s1", "y": 1}]
    examples, labels, skipped = text_data.rows_to_examples(rows, args)
    assert examples == [("a", "b"), ("c", "d"), ("e", "f")]
    assert labels == [1, 2, "neutral"] and skipped == 5


@pytest.mark.parametrize(
    ("raw", "given", "known", "names", "ids"),
    [
        ({"train": [0, 1, 1], "validation": [1]}, None, None, ["0", "1"], {"train": [0, 1, 1], "validation": [1]}),
        ({"train": [0, 2]}, ["neg", "neu", "pos"], None, ["neg", "neu", "pos"], {"train": [0, 2]}),
        ({"train": [1, 0]}, None, ["not_equivalent", "equivalent"], ["not_equivalent", "equivalent"],
         {"train": [1, 0]}),
        ({"train": ["pos", "neg"], "test": ["neg"]}, None, None, ["neg", "pos"], {"train": [1, 0], "test": [0]}),
        ({"train": ["pos", "neg"]}, ["pos", "neg"], None, ["pos", "neg"], {"train": [0, 1]}),
    ],
    ids=["ints", "ints-named", "classlabel", "strings-sorted", "strings-ordered"],
)
def test_number_labels(raw, given, known, names, ids):
    assert text_data.number_labels(raw, given, known) == (names, ids)


@pytest.mark.parametrize(
    ("raw", "given", "message"),
    [
        ({"train": [0, 1, 5]}, ["neg", "pos"], "label 5 in train has no name"),
        ({"train": ["pos", "neg"], "validation": ["neutral"]}, None, "unknown label 'neutral' in validation"),
        ({"train": ["pos", "meh"]}, ["pos", "neg"], "unknown label 'meh' in train: not among the labels of --label-names"),
    ],
)
def test_number_labels_refuses_labels_without_a_name(raw, given, message):
    with pytest.raises(UserError, match=message):
        text_data.number_labels(raw, given)


@pytest.mark.parametrize("value", ["a,,b", "a,a", ""])
def test_bad_label_names(value):
    with pytest.raises(UserError, match="--label-names"):
        text_data.parse_label_names(value)


def test_documented_commands_parse():
    """The command the sentiment tab shows and the MRPC command of the docstring are valid arguments."""
    mrpc = text_command.__doc__.split("one command:")[1].replace("\\\n", " ")
    for command in (TRAIN_COMMAND, mrpc):
        words = shlex.split(command)
        assert words[:4] == ["python", "-m", "training", "text"]
        train, data, model = parse_args((TrainArgs, text_args.TextDataArgs, text_args.TextModelArgs), words[4:])
        assert train.name and model.base_model
    assert data.text_pair_column == "sentence2" and data.dataset_config == "mrpc" and train.strategy == "full"


# ---------------------------------------------------------------- the commands, for real


@pytest.mark.trains
@pytest.mark.serves
def test_full_fine_tuning_writes_a_complete_checkpoint_and_evaluate_reads_it(base_model, sentiment_dir, tmp_path):
    # one empty text, one missing label and one non-UTF-8 row in train: skipped and counted
    with open(sentiment_dir / "train.tsv", "ab") as handle:
        handle.write(b"   \t1\nno label here\t\n" + "mala película".encode("latin-1") + b"\t0\n")
    models = tmp_path / "models"
    result = cli("text", "--data-dir", str(sentiment_dir), "--base-model", str(base_model), "--name", "tiny-full",
                     "--models-dir", str(models), "--label-names", "negative,positive", "--group-by-length",
                     "--max-length", "16", "--languages", "en,es", *LEARNS)
    assert result.returncode == 0, result.stderr[-2000:]
    checkpoint = models / "tiny-full"
    for name in ("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json", "metrics.json",
                 "confusion_matrix.png", "README.md"):
        assert (checkpoint / name).is_file(), name
    assert not list(models.glob(".tiny-full.tmp-*")) and not (models / ".runs" / "tiny-full").exists()
    metrics = json.loads((checkpoint / "metrics.json").read_text())
    assert metrics["task"] == "text-classification" and metrics["strategy"] == "full"
    assert metrics["label_names"] == ["negative", "positive"]
    assert metrics["skipped"] == {"train": 3, "validation": 0}
    assert metrics["train"]["num_examples"] == 24
    assert metrics["args"]["group_by_length"] is True and metrics["args"]["max_length"] == 16
    validation = metrics["splits"]["validation"]
    assert validation["num_examples"] == 8 and validation["accuracy"] >= 0.75
    assert sum(map(sum, validation["confusion_matrix"])) == 8
    config = json.loads((checkpoint / "config.json").read_text())
    assert config["id2label"] == {"0": "negative", "1": "positive"}
    # what the app needs to be honest: the languages it reads, and what "low confidence" means for it
    assert metrics["languages"] == ["en", "es"] and "language:\n- en\n- es" in (checkpoint / "README.md").read_text()
    calibration = metrics["calibration"]
    assert calibration["split"] == "validation" and calibration["examples"] == 8 and "calibration" not in validation
    assert 0.0 <= calibration["low_confidence_below"] <= 1.0

    # `evaluate` on the same split of the local files gives the same accuracy as training reported
    result = cli("evaluate", "--model", str(checkpoint), "--data-dir", str(sentiment_dir), "--split", "dev")
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads((checkpoint / "eval-validation.json").read_text())
    assert report["task"] == "text-classification" and report["metrics"]["num_examples"] == 8
    assert report["metrics"]["accuracy"] == pytest.approx(validation["accuracy"])
    assert report["metrics"]["confusion_matrix"] == validation["confusion_matrix"]


@pytest.mark.serves
@pytest.mark.trains
def test_head_strategy_on_sentence_pairs_with_string_labels_trains_only_the_classifier(base_model, tmp_path):
    data = tmp_path / "pairs"
    data.mkdir()
    pairs = [["he said it was fine", "he said that it was fine", "equivalent"],
             ["a great movie", "worst experience ever", "not_equivalent"]] * 6
    write_table(data / "train.csv", [["s1", "s2", "meaning"], *pairs], ",")
    write_table(data / "validation.csv", [["s1", "s2", "meaning"], *pairs[:4]], ",")
    write_table(data / "test.csv", [["s1", "s2", "meaning"], *pairs[:2]], ",")
    models = tmp_path / "models"
    result = cli("text", "--data-dir", str(data), "--base-model", str(base_model), "--name", "pairs-head",
                     "--models-dir", str(models), "--text-column", "s1", "--text-pair-column", "s2",
                     "--label-column", "meaning", "--epochs", "2")
    assert result.returncode == 0, result.stderr[-2000:]
    metrics = json.loads((models / "pairs-head" / "metrics.json").read_text())
    assert metrics["label_names"] == ["equivalent", "not_equivalent"]
    assert set(metrics["splits"]) == {"validation", "test"} and metrics["splits"]["test"]["num_examples"] == 2
    before, after = load_file(base_model / "model.safetensors"), load_file(models / "pairs-head" / "model.safetensors")
    backbone = [name for name in before if not name.startswith("classifier.")]
    assert backbone and all(torch.equal(before[name], after[name]) for name in backbone)
    assert after["classifier.weight"].shape == (2, 32)


@pytest.mark.serves
@pytest.mark.trains
def test_interrupted_training_resumes_from_its_last_checkpoint(base_model, sentiment_dir, tmp_path):
    models = tmp_path / "models"
    args = ["text", "--data-dir", str(sentiment_dir), "--base-model", str(base_model), "--name", "tiny-resume",
            "--models-dir", str(models), "--strategy", "full", "--epochs", "40", "--train-batch-size", "8"]
    # 40 epochs: an idle machine once finished all 5 of an earlier version in the 0.1 s before the interrupt
    process = subprocess.Popen([sys.executable, "-m", "training", *args], cwd=REPO_ROOT, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    run_dir = models / ".runs" / "tiny-resume"
    deadline = time.monotonic() + 180
    while not list(run_dir.glob("checkpoint-*/trainer_state.json")) and process.poll() is None:
        assert time.monotonic() < deadline, "no Trainer checkpoint appeared"
        time.sleep(0.05)
    time.sleep(0.1)  # trainer_state.json is written last: let that finish
    process.send_signal(signal.SIGINT)
    _out, err = process.communicate(timeout=180)  # a bound, not a target: a loaded CPU takes its time
    assert process.returncode == 130, err[-2000:]
    assert "--resume" in err.strip().splitlines()[-1]
    assert not (models / "tiny-resume").exists()  # no half checkpoint published
    # the newest COMPLETE checkpoint (trainer_state.json written last); one being saved at the
    # interrupt may be half-written and must not be resumed from
    saved = max(int(p.parent.name.split("-")[1]) for p in run_dir.glob("checkpoint-*/trainer_state.json"))

    result = cli(*args, "--resume")
    assert result.returncode == 0, result.stderr[-2000:]
    metrics = json.loads((models / "tiny-resume" / "metrics.json").read_text())
    assert metrics["train"]["resumed_from_step"] >= saved > 0
    assert metrics["train"]["global_step"] == 40 * 3  # 24 examples / 8 per step, 40 epochs


@pytest.mark.trains
@pytest.mark.serves
def test_bad_data_is_one_line_and_exit_2_from_the_command_line(base_model, tmp_path):
    data = make_sentiment_files(tmp_path / "data")
    result = cli("text", "--data-dir", str(data), "--base-model", str(base_model), "--name", "x",
                     "--text-column", "review", "--models-dir", str(tmp_path / "models"))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "error: train.tsv has no column 'review' (columns: sentence, label); set --text-column"]


def one_class(root: Path) -> Path:
    make_sentiment_files(root)
    write_table(root / "train.tsv", [["sentence", "label"], ["good", 1], ["great", 1]])
    return root


def unknown_label(root: Path) -> Path:
    make_sentiment_files(root)
    write_table(root / "dev.tsv", [["sentence", "label"], ["good", "positive"], ["bad", "negative"]])
    write_table(root / "train.tsv", [["sentence", "label"], ["good", "positive"], ["meh", "neutral"]])
    return root


def empty_texts(root: Path) -> Path:
    make_sentiment_files(root)
    write_table(root / "train.tsv", [["sentence", "label"], ["  ", 1], ["", 0]])
    return root


def empty_file(root: Path) -> Path:
    make_sentiment_files(root)
    (root / "dev.tsv").write_text("")
    return root


def no_validation(root: Path) -> Path:
    make_sentiment_files(root)
    (root / "dev.tsv").unlink()
    return root


def one_based_ids(root: Path) -> Path:
    """Issue 9: int labels 1..8 without --label-names trained a 9-class model with an empty class 0."""
    make_sentiment_files(root)
    write_table(root / "train.tsv", [["sentence", "label"], *[[f"text {i}", i] for i in range(1, 9)]])
    return root


def ids_and_names(root: Path) -> Path:
    make_sentiment_files(root)
    write_table(root / "train.tsv", [["sentence", "label"], ["good", "positive"], ["bad", 0], ["fine", 1]])
    return root


def binary_table(root: Path) -> Path:
    make_sentiment_files(root)
    (root / "train.tsv").write_bytes(bytes(range(256)) * 40)
    return root


def binary_header(root: Path) -> Path:
    make_sentiment_files(root)
    (root / "train.tsv").write_bytes(b"\x89PNG\r\x1a\xff\xfe\tlabel\nok\t1\n")
    return root


def huge_field(root: Path) -> Path:
    make_sentiment_files(root)
    (root / "train.tsv").write_text("sentence\tlabel\n" + "a" * 140_000 + "\t1\nb\t0\n")
    return root


BAD_DATA = [
    (one_based_ids, [], "int labels must be the class ids 0..N-1, train has 1, 2, 3, 4, 5, 6, ..."),
    (ids_and_names, [], "the labels mix ids and names"),
    (binary_table, [], "train.tsv is a binary file, not a CSV/TSV/JSON text table"),
    (binary_header, [], "train.tsv is not a UTF-8 text table: its header row is unreadable"),
    (huge_field, [], "train.tsv line 1: field larger than field limit (131072)"),
    (one_class, [], "column 'label' of train has one class only ('1')"),
    (unknown_label, ["--label-names", "negative,positive"], "unknown label 'neutral' in train"),
    (make_sentiment_files, ["--label-names", "positive"], "label 1 in "),
    (make_sentiment_files, ["--label-column", "stars"], "no column 'stars'"),
    (empty_texts, [], "'train' split has no usable examples (2 skipped)"),
    (empty_file, [], "dev.tsv is empty"),
    (no_validation, [], "no 'validation' split"),
    (lambda root: root, [], "data folder not found"),
    (make_sentiment_files, ["--max-length", "2"], "--max-length must be at least 8"),
]


@pytest.mark.parametrize(("build", "extra", "message"), BAD_DATA, ids=[m for *_, m in BAD_DATA])
def test_bad_data_is_a_user_error_before_any_training(build, extra, message, base_model, tmp_path, capsys):
    data = build(tmp_path / "data")
    code = training_main(["text", "--data-dir", str(data), "--base-model", str(base_model), "--name", "bad",
                          "--models-dir", str(tmp_path / "models"), *extra])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and message in err[0], err
    assert not (tmp_path / "models" / "bad").exists()


def test_evaluate_refuses_a_split_the_folder_does_not_have(base_model, sentiment_dir, tmp_path, capsys):
    code = training_main(["evaluate", "--model", str(base_model), "--data-dir", str(sentiment_dir), "--split", "test"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and err == [f"error: {sentiment_dir} has no 'test' file (found: train, validation)"]


def test_hub_dataset_ids_are_validated_and_offline_failure_is_one_line(base_model, tmp_path, capsys):
    assert os.environ["HF_HUB_OFFLINE"] == "1"
    for dataset, message in (("../etc/passwd", "not a Hub dataset id"), ("stanfordnlp/sst2", "cannot load dataset")):
        code = training_main(["text", "--dataset", dataset, "--base-model", str(base_model), "--name", "hub",
                              "--models-dir", str(tmp_path)])
        err = capsys.readouterr().err.strip().splitlines()
        assert code == 2 and len(err) == 1 and message in err[0], err


@pytest.mark.trains
def test_head_strategy_works_when_the_classifier_reads_the_whole_sequence(tmp_path, sentiment_dir, capsys):
    """RoBERTa's head takes [batch, tokens, hidden] (the paraphrase course model is distilroberta):
    features of batches padded to different lengths must still be cached and trained."""
    from transformers import RobertaConfig, RobertaForSequenceClassification

    from tests.support.tiny import make_tiny_tokenizer

    base = tmp_path / "tiny-roberta"
    tokenizer = make_tiny_tokenizer(base)
    config = RobertaConfig(vocab_size=len(tokenizer), hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
                           intermediate_size=64, max_position_embeddings=130, pad_token_id=tokenizer.pad_token_id)
    RobertaForSequenceClassification(config).save_pretrained(base)
    code = training_main(["text", "--data-dir", str(sentiment_dir), "--base-model", str(base), "--name", "rob",
                          "--models-dir", str(tmp_path / "models"), "--eval-batch-size", "3", "--epochs", "1",
                          "--strategy", "head"])
    assert code == 0, capsys.readouterr().err[-2000:]
    metrics = json.loads((tmp_path / "models" / "rob" / "metrics.json").read_text())
    assert metrics["strategy"] == "head" and metrics["splits"]["validation"]["num_examples"] == 8


def test_hub_layout_dataset_with_classlabel_pairs_and_hidden_test_labels(tmp_path, monkeypatch):
    """`load_dataset(id)` reads a folder named like the id when one exists (here: the GLUE MRPC shape):
    ClassLabel names become the label names, the -1 labels of the test split leave it out."""
    from datasets import ClassLabel, Dataset, Features, Value

    features = Features({"sentence1": Value("string"), "sentence2": Value("string"),
                         "label": ClassLabel(names=["not_equivalent", "equivalent"]), "idx": Value("int32")})
    folder = tmp_path / "nyu-mll" / "glue"
    folder.mkdir(parents=True)
    rows = {"train": [("a", "a too", 1), ("b", "c", 0), ("d", "", 1)], "validation": [("e", "e too", 1), ("f", "g", 0)],
            "test": [("h", "i", -1)]}
    for split, items in rows.items():
        columns = {"sentence1": [r[0] for r in items], "sentence2": [r[1] for r in items],
                   "label": [r[2] for r in items], "idx": list(range(len(items)))}
        Dataset.from_dict(columns, features=features).to_parquet(str(folder / f"{split}.parquet"))
    monkeypatch.chdir(tmp_path)
    args = text_args.TextDataArgs(dataset="nyu-mll/glue", text_column="sentence1", text_pair_column="sentence2")
    (train_args,) = parse_args((TrainArgs,), ["--name", "mrpc"])
    data = text_data.load_text_data(train_args, args)
    assert data.label_names == ["not_equivalent", "equivalent"] and data.source == "nyu-mll/glue"
    assert set(data.splits) == {"train", "validation"}  # test has no labels: left out
    train = data.splits["train"]  # shortest first (less padding per batch)
    assert list(zip(train.examples, train.labels, strict=True)) == [(("b", "c"), 0), (("a", "a too"), 1)]
    assert data.splits["train"].skipped == 1


def test_a_yaml_config_gives_the_same_arguments_as_flags(tmp_path):
    flags = ["--name", "mrpc", "--dataset", "nyu-mll/glue", "--dataset_config", "mrpc", "--text_column", "sentence1",
             "--text_pair_column", "sentence2", "--max_length", "96", "--group_by_length", "--base_model", "distilroberta-base"]
    config = tmp_path / "mrpc.yaml"
    config.write_text("name: mrpc\ndataset: nyu-mll/glue\ndataset_config: mrpc\ntext_column: sentence1\n"
                      "text_pair_column: sentence2\nmax_length: 96\ngroup_by_length: true\nbase_model: distilroberta-base\n")
    types = (TrainArgs, text_args.TextDataArgs, text_args.TextModelArgs)
    assert parse_args(types, flags) == parse_args(types, [str(config)])


@pytest.mark.parametrize(("value", "expected"), [(" a ", "a"), ("  \t", None), ("", None), (None, None), (3, None)])
def test_stripped_or_none(value, expected):
    assert text_data.stripped_or_none(value) == expected


def test_lone_surrogates_are_skipped_and_counted(tmp_path):
    """Issue 9: a JSON "\\ud800" escape reached the tokenizer and crashed the run with a TypeError."""
    data = make_sentiment_files(tmp_path / "data")
    (data / "train.tsv").unlink()
    rows = [{"sentence": "good \ud800 film", "label": 1}, {"sentence": "great", "label": 1},
            {"sentence": "bad", "label": 0}, {"sentence": "awful", "label": 0}]
    (data / "train.jsonl").write_text("\n".join(json.dumps(row) for row in rows), encoding="utf-8")
    rows_read, _columns, unreadable = text_data.read_rows(data / "train.jsonl")
    assert unreadable == 1 and [row["sentence"] for row in rows_read] == ["great", "bad", "awful"]


@pytest.mark.parametrize("base", ["ab\x00cd", "a" * 5000, "owner/" + "a" * 5000])
def test_unusable_model_ids_are_one_short_line(base, tmp_path, capsys):
    data = make_sentiment_files(tmp_path / "data")
    code = training_main(["text", "--data-dir", str(data), "--base-model", base, "--name", "m",
                          "--models-dir", str(tmp_path / "models")])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and "not a Hub model id" in err[0] and len(err[0]) < 200, err


@pytest.mark.parametrize("name", ["evil\n", "ok\nrm", "a/b", ".hidden"])
def test_names_that_are_not_plain_folder_names_are_refused(name, tmp_path, capsys):
    data = make_sentiment_files(tmp_path / "data")
    code = training_main(["text", "--data-dir", str(data), "--base-model", "x/y", "--name", name,
                          "--models-dir", str(tmp_path / "models")])
    assert code == 2 and "--name must be a plain folder name" in capsys.readouterr().err
    assert not (tmp_path / "models").exists()


def test_yaml_syntax_error_is_one_line(tmp_path, capsys):
    config = tmp_path / "run.yaml"
    config.write_text("name: x\nepochs: [1,\n")
    code = training_main(["text", str(config)])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and "YAML syntax error at line 3" in err[0], err


def test_unwritable_models_folder_fails_before_training(base_model, tmp_path, capsys):
    data = make_sentiment_files(tmp_path / "data")
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the models folder should be")
    code = training_main(["text", "--data-dir", str(data), "--base-model", str(base_model), "--name", "m",
                          "--models-dir", str(blocker / "models"), "--epochs", "1"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and err[0].startswith("error: cannot write to the models folder"), err
