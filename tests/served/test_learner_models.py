"""The learner's models through the real server (issue 29, items 1 and 3): "automatic" is the server's model
with the best honest score that knows every bean class, never a visitor's run they did not pick; the
"wrong answer" row follows the model that answers that visitor, their own run included."""

from __future__ import annotations

import json
import shutil

import pytest
from gradio_client import Client, handle_file
from PIL import Image

from contract.visitors import owner_id, owner_models_dir
from studio import visitors
from tests.support.checkpoints import scored_checkpoint as checkpoint
from tests.support.tiny import LEAF_CLASSES

pytestmark = [pytest.mark.serves, pytest.mark.usefixtures("one_torch_thread")]

OWN_LABELS = ("roya_del_fríjol", "sana")  # a learner's 2-class zip with accented folder names


@pytest.fixture
def served(serve_app, tmp_path):
    models = tmp_path / "models"
    checkpoint(models / "beans-validation", LEAF_CLASSES, validation=0.962)
    checkpoint(models / "beans-kfold", LEAF_CLASSES, validation=0.70, kfold=(0.967, 0.067))  # honest: 96.7
    checkpoint(models / "two-classes", ("bean_rust", "healthy"), validation=1.0)  # best, but not every class
    url = serve_app({"STUDIO_MODELS_DIR": models, "STUDIO_EXAMPLES_DIR": tmp_path / "none", "STUDIO_LANG": "es",
                     "STUDIO_BEANS_MODEL": "", "STUDIO_BOOTSTRAP": "off", "OMP_NUM_THREADS": "1"})
    key = visitors.new_key()  # signed with this server's secret (in its models dir): the key a browser keeps
    own = owner_models_dir(models, owner_id("v", key))
    own.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(checkpoint(tmp_path / "mine", OWN_LABELS, validation=0.667), own / "mine")
    client = Client(url, verbose=False)
    client.predict(key, api_name="/studio_visitor")
    leaf = tmp_path / "leaf.png"
    Image.new("RGB", (64, 64), (60, 160, 60)).save(leaf)
    return client, handle_file(str(leaf))


def test_automatic_is_the_best_honest_score_that_knows_every_class_not_the_learners_run(served):
    client, leaf = served
    picker, answered, *_ = client.predict("", api_name="/beans_status")
    shown = dict((value, label) for label, value in picker["choices"])
    assert picker["value"] == "" and "mine" in shown, picker  # offered to its owner, never preselected
    assert "66,7 % (validación)" in shown["mine"] and "tuyo" in shown["mine"]
    assert "96,7 % ± 6,7 % (validación cruzada)" in shown["beans-kfold"], shown
    assert "beans-kfold" in answered and "validación cruzada" in answered, answered
    _scores, said, _about = client.predict(leaf, "", api_name="/classify_leaf")
    assert "beans-kfold" in said and "mine" not in said, said
    scores, said, _about = client.predict(leaf, "mine", api_name="/classify_leaf")  # explicitly picked: theirs
    assert "mine" in said and len(scores["confidences"]) == 2, scores


def test_wrong_answer_offers_and_saves_the_labels_of_the_learners_own_model(served):
    client, leaf = served
    automatic = json.dumps(client.predict("", api_name="/beans_correction_labels"), ensure_ascii=False)
    assert "bean_rust" in automatic and "sana" not in automatic
    own = json.dumps(client.predict("mine", api_name="/beans_correction_labels"), ensure_ascii=False)
    assert "sana" in own and "roya_del_fríjol" in own and "angular_leaf_spot" not in own, own
    saved = client.predict(leaf, "mine", "sana", api_name="/beans_correction")
    assert "(1 de" in saved, saved
