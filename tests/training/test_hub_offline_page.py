"""A push to the Hub (tests/fake_hub.py, asserted server-side) carries the offline page under offline/ and
a card that links to it; a Space deployed from here carries the page's runtime (a Space has no npm)."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from contract.offline_page import RUNTIME_DIR, RUNTIME_FILES
from contract.paths import REPO_ROOT
from tests.support.fake_hub import TOKEN
from tests.support.tiny_offline import tiny_onnx_checkpoint
from training.__main__ import main
from training.outputs.web import runtime_operations

pytestmark = pytest.mark.serves  # the fake Hub is an HTTP server


def test_a_pushed_image_model_carries_its_offline_page_and_the_card_links_it(hub, web_runtime, tmp_path):  # noqa: F811
    checkpoint = tiny_onnx_checkpoint(tmp_path / "leaves")
    assert main(["push", str(checkpoint), "--repo-id", "student/leaves"]) == 0
    repo = hub.repo("model", "student/leaves")
    assert len(repo.commits) == 1
    assert {"offline/index.html", "offline/model.js", "offline/model-info.js", "offline/ort-wasm.js"} <= set(repo.files)
    graph = repo.files["offline/model.js"].decode().split('"')[1]
    assert base64.b64decode(graph) == (checkpoint / "model.onnx").read_bytes()
    card = repo.files["README.md"].decode()
    assert "https://huggingface.co/student/leaves/tree/main/offline" in card and TOKEN not in card


def test_a_space_gets_the_runtime_at_the_path_the_app_reads(web_runtime):
    paths = {operation.path_in_repo for operation in runtime_operations(REPO_ROOT)}
    assert paths == {(RUNTIME_DIR / name).relative_to(REPO_ROOT).as_posix() for name in RUNTIME_FILES}


def test_without_the_runtime_a_space_is_deployed_without_it(tmp_path: Path):
    assert runtime_operations(tmp_path) == []
