"""contract/offline_page.py: the folder export-web writes, and the one-line refusals of what it cannot build."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from contract.offline_page import (
    PROCESSOR_FILE,
    OfflinePageError,
    build_offline_page,
    read_preprocessing,
)
from tests.support.tiny_offline import tiny_onnx_checkpoint
from training.__main__ import main as training_main

PAGE = {"index.html", "page.js", "resample.js", "sw.js", "manifest.webmanifest", "icon.svg", "model-info.js",
        "model.js", "ort.wasm.min.js", "ort-glue.js", "ort-wasm.js"}


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory) -> Path:
    return tiny_onnx_checkpoint(tmp_path_factory.mktemp("offline") / "leaves")


def window_value(path: Path) -> object:
    """The JSON a `window.NAME = ...;` script assigns."""
    return json.loads(path.read_text(encoding="utf-8").split(" = ", 1)[1].rstrip().rstrip(";"))


def test_the_folder_holds_the_page_the_graph_and_the_preprocessing_as_data(checkpoint, web_runtime, tmp_path):
    page = build_offline_page(checkpoint, tmp_path / "page", {"es": ["Mancha", "Roya", "Sana"]})
    assert {path.name for path in page.iterdir()} == PAGE
    info = window_value(page / "model-info.js")
    assert info["preprocessing"] == json.loads(json.dumps(read_preprocessing(checkpoint).to_json()))
    assert info["labels"] == ["angular_leaf_spot", "bean_rust", "healthy"]
    assert info["labels_shown"]["es"] == ["Mancha", "Roya", "Sana"]
    assert info["labels_shown"]["en"] == ["angular leaf spot", "bean rust", "healthy"]
    assert info["score"] == {"accuracy": 0.5, "count": 12} and info["graph"] == "model.onnx"
    import base64
    assert base64.b64decode(window_value(page / "model.js")) == (checkpoint / "model.onnx").read_bytes()


def test_a_second_export_replaces_the_first(checkpoint, web_runtime, tmp_path):
    (tmp_path / "page").mkdir()
    (tmp_path / "page" / "stale.txt").write_text("old")
    build_offline_page(checkpoint, tmp_path / "page")
    assert not (tmp_path / "page" / "stale.txt").exists()
    assert [path.name for path in tmp_path.iterdir()] == ["page"]  # no work folder left behind


@pytest.mark.parametrize(("break_it", "key"), [
    (lambda folder: (folder / "model.onnx").unlink(), "offline.no_graph"),
    (lambda folder: (folder / PROCESSOR_FILE).unlink(), "offline.no_processor"),
    (lambda folder: (folder / "metrics.json").write_text('{"task": "text-classification", "label_names": ["a"], '
                                                          '"name": "x", "splits": {}}'), "offline.not_image"),
    (lambda folder: (folder / PROCESSOR_FILE).write_text('{"resample": 0}'), "offline.unsupported"),
])
def test_what_the_page_cannot_run_is_refused_by_name(checkpoint, tmp_path, break_it, key):
    folder = shutil.copytree(checkpoint, tmp_path / "broken")
    break_it(folder)
    with pytest.raises(OfflinePageError) as refused:
        build_offline_page(folder, tmp_path / "page")
    assert refused.value.key == key and not (tmp_path / "page").exists()


def test_the_cli_says_in_one_line_how_to_install_a_missing_runtime(checkpoint, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("STUDIO_WEB_RUNTIME", str(tmp_path))
    assert training_main(["export-web", "--checkpoint", str(checkpoint), "--output", str(tmp_path / "page")]) == 2
    error = capsys.readouterr().err.strip()
    assert len(error.splitlines()) == 1 and "npm ci --prefix web" in error


def test_the_cli_writes_the_page_beside_the_checkpoint_by_default(checkpoint, web_runtime, tmp_path, capsys):
    folder = shutil.copytree(checkpoint, tmp_path / "leaves")
    assert training_main(["export-web", "--checkpoint", str(folder)]) == 0
    assert (tmp_path / "leaves-web" / "index.html").is_file()
    assert "leaves-web" in capsys.readouterr().out
