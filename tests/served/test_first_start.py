"""First start seen by a learner through the real server (issue 29, item 4): while the tab's first model
trains, a click is answered with the progress as a notice (no error, the outputs left as they were); when that
automatic training failed, the tab says so, and what to do."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest
from gradio_client import Client, handle_file
from gradio_client.exceptions import AppError
from PIL import Image

from studio.train import bootstrap
from studio.train.jobstore import update_job, write_job
from tests.support.first_models import wire_first_models

pytestmark = pytest.mark.serves


@pytest.fixture
def first_start(serve_app, tmp_path, monkeypatch):
    models = tmp_path / "models"
    models.mkdir()
    url = serve_app({"STUDIO_MODELS_DIR": models, "STUDIO_EXAMPLES_DIR": tmp_path / "none", "STUDIO_LANG": "es",
                     "STUDIO_BEANS_MODEL": "", "STUDIO_BOOTSTRAP": "off", "OMP_NUM_THREADS": "1"})
    wire_first_models(monkeypatch)
    # what bootstrap.start queues (it is off here: no real training), as this server's own first model
    job = bootstrap.first_model_job(bootstrap.FIRST_MODELS[0], tmp_path / "beans", tmp_path / "mobilenet")
    write_job(models, replace(job, status="queued"))
    monkeypatch.setattr(bootstrap, "STARTED", {"beans"})
    leaf = tmp_path / "leaf.png"
    Image.new("RGB", (64, 64), (60, 160, 60)).save(leaf)
    return Client(url, verbose=False), models, job.id, handle_file(str(leaf))


def test_a_click_while_the_first_model_trains_is_progress_and_a_failure_says_what_to_do(first_start):
    client, models, job_id, leaf = first_start
    status = client.predict("", api_name="/beans_status")[1]
    assert "Preparando el primer modelo" in status, status
    train_status = client.predict("", api_name="/train_status")[1]  # a visitor with no run of their own
    assert "El servidor va a entrenar el primer modelo de la pestaña «Hojas de frijol»" in train_status, train_status
    answer = client.predict(leaf, "", api_name="/classify_leaf")  # no AppError: a notice, outputs untouched
    assert all(output == {"__type__": "update"} for output in answer), answer
    update_job(models, job_id, status="failed", finished=time.time(),
               message=["train.job.cli_error", {"error": "no space left"}])
    status = client.predict("", api_name="/beans_status")[1]
    assert "falló (el entrenamiento se detuvo: no space left)" in status and "«Entrenar»" in status, status
    with pytest.raises(AppError, match="falló"):
        client.predict(leaf, "", api_name="/classify_leaf")
