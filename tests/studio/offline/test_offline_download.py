"""The "Descargar para usar sin conexión" buttons through the real server (gradio_client): the bean tab's
model as the offline page's zip, its labels in the visitor's language; a visitor never downloads a run
that is not theirs; a server without the JavaScript runtime says so in one sentence."""

from __future__ import annotations

import json
import zipfile

import pytest
from gradio_client import Client
from gradio_client.exceptions import AppError

from tests.support.tiny_offline import tiny_onnx_checkpoint

pytestmark = pytest.mark.serves


@pytest.fixture
def leaves(models_dir, web_runtime):
    return tiny_onnx_checkpoint(models_dir / "leaves")


def test_the_bean_tab_hands_out_its_model_as_a_page_with_spanish_labels(serve_app, leaves, tmp_path):
    client = Client(serve_app({"STUDIO_LANG": "es"}), verbose=False)
    archive = client.predict("", api_name="/beans_offline")
    with zipfile.ZipFile(archive) as page:
        names = set(page.namelist())
        info = json.loads(page.read("leaves-offline/model-info.js").decode().split(" = ", 1)[1].rstrip().rstrip(";"))
    assert {"leaves-offline/index.html", "leaves-offline/model.js", "leaves-offline/ort-wasm.js"} <= names
    assert info["name"] == "leaves" and "Roya del frijol" in info["labels_shown"]["es"]
    assert "Bean rust" in info["labels_shown"]["en"]


def test_a_visitor_downloads_only_their_own_runs_from_the_train_tab(serve_app, leaves):
    client = Client(serve_app(), verbose=False)
    with pytest.raises(AppError, match="Elige un modelo de la lista"):
        client.predict("leaves", api_name="/train_offline")  # the operator's checkpoint, not this visitor's
    with pytest.raises(AppError, match="Elige un modelo de la lista"):
        client.predict("../leaves", api_name="/train_offline")


def test_without_the_runtime_the_button_says_how_to_install_it(serve_app, leaves, tmp_path):
    client = Client(serve_app({"STUDIO_WEB_RUNTIME": str(tmp_path)}), verbose=False)
    with pytest.raises(AppError, match="npm ci --prefix web"):
        client.predict("", api_name="/beans_offline")
