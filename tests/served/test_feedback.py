"""Fixing the data through the real server (gradio_client): a wrong bean answer saved into the visitor's
own data and offered to them (only them) in the Train tab; a k-fold run from the Train tab with wrong
labels planted in its zip, reviewed, the planted ones excluded, retrained as a second run."""

from __future__ import annotations

import json
import shutil

import pytest
from gradio_client import Client, handle_file
from gradio_client.exceptions import AppError
from PIL import Image

from tests.support.tiny import make_image_folder
from tests.support.train_helpers import wait_for_job, zip_folder

pytestmark = pytest.mark.usefixtures("one_torch_thread")


def serve(serve_app, models_dir, tiny_vit) -> str:
    return serve_app({"STUDIO_MODELS_DIR": models_dir, "STUDIO_BEANS_MODEL": str(tiny_vit), "STUDIO_LANG": "en",
                      "STUDIO_BASE_MODELS": f"tiny-vit={tiny_vit}", "STUDIO_EXAMPLES_DIR": models_dir,
                      "OMP_NUM_THREADS": "1"})


def photo(tmp_path, name, colour):
    path = tmp_path / f"{name}.png"
    Image.new("RGB", (64, 64), colour).save(path)
    return handle_file(str(path))


def test_a_wrong_bean_answer_becomes_the_visitors_own_training_data(serve_app, models_dir, tiny_vit, tmp_path):
    url = serve(serve_app, models_dir, tiny_vit)
    client = Client(url, verbose=False)
    labels = client.predict("", api_name="/beans_correction_labels")
    assert {"healthy", "bean_rust"} <= set(json.dumps(labels).replace('"', " ").split())
    for number, (label, colour) in enumerate([("healthy", (30, 160, 40))] * 3 + [("bean_rust", (150, 80, 20))] * 3):
        saved = client.predict(photo(tmp_path, number, colour), "", label, api_name="/beans_correction")
        assert "beans-corrections" in saved and f"({number + 1} of" in saved
    with pytest.raises(AppError, match="right label"):
        client.predict(photo(tmp_path, "x", (0, 0, 0)), "", "=HYPERLINK(1)", api_name="/beans_correction")

    folders = json.dumps(client.predict(api_name="/train_own_folders"))
    assert "mine:beans-corrections" in folders and str(models_dir) not in folders
    data_id, summary, *_ = client.predict("folder", None, "mine:beans-corrections", "", None, None, "",
                                          api_name="/train_explore")
    assert "ready to train" in summary and data_id

    stranger = Client(url, verbose=False)  # another visitor: neither listed nor readable
    assert "mine:" not in json.dumps(stranger.predict(api_name="/train_own_folders"))
    with pytest.raises(AppError):
        stranger.predict("folder", None, "mine:beans-corrections", "", None, None, "", api_name="/train_explore")


PLANTED = ("train/bean_rust/healthy_train.0.png", "train/healthy/angular_leaf_spot_train.1.png")


@pytest.mark.trains
def test_review_a_kfold_run_exclude_the_planted_labels_and_retrain(serve_app, models_dir, tiny_vit, tmp_path):
    data = make_image_folder(tmp_path / "leaves", per_split={"train": 10, "validation": 4}, size=40)
    for planted in PLANTED:  # a healthy leaf filed as rust, a spotted one as healthy
        truth = planted.split("/")[2].rsplit("_train", 1)[0]
        shutil.move(data / "train" / truth / planted.split("/")[2], data / planted)
    client = Client(serve(serve_app, models_dir, tiny_vit), verbose=False)
    data_id, summary, *_ = client.predict("upload", handle_file(str(zip_folder(data, tmp_path / "leaves.zip"))),
                                          None, "", None, None, "", api_name="/train_explore")
    assert "ready to train" in summary
    view = client.predict(data_id, "op:tiny-vit", "head", 3, None, "noisy", False, False, "", True,
                          api_name="/train_start")
    job = wait_for_job(models_dir, view[0], timeout_s=300)
    assert job.status == "done", job

    runs = json.dumps(client.predict(api_name="/review_runs"))
    assert "noisy" in runs
    summary, gallery, table, *_rest = client.predict("noisy", api_name="/review_load")
    assert "suspect labels" in summary
    shown = [row[1] for row in table["data"]]
    numbers = [str(shown.index(planted.split("/")[2]) + 1) for planted in PLANTED]
    assert all(int(n) <= 4 for n in numbers), shown  # among the most suspect
    assert len(gallery) == len(shown)
    # the decisions live in the page's session state (gr.State), which the API keeps per client as well
    table = client.predict("noisy", ",".join(numbers), "exclude", None, api_name="/review_decide")
    assert sum("exclude" in row[5] for row in table["data"]) == 2
    note, pictures, cell_rows = client.predict("noisy", "healthy", "healthy", api_name="/review_cell")
    assert "validation examples" in note and len(cell_rows["data"]) == len(pictures)

    queued = client.predict("noisy", "cleaned", api_name="/review_retrain")
    assert "cleaned" in queued and "2 excluded" in queued
    from studio.train.jobs import list_jobs

    retrain = next(j for j in list_jobs(models_dir) if j.name == "cleaned")
    assert wait_for_job(models_dir, retrain.id, timeout_s=300).status == "done"
    both = json.dumps(client.predict("image", api_name="/train_runs"))
    assert "noisy" in both and "cleaned" in both
