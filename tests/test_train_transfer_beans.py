"""The real transfer through the Train tab's API: the shared beans folders + the shared MobileNetV2, `head`.
Validation accuracy >= 0.90, and the bean tab keeps answering within seconds while the job trains."""

from __future__ import annotations

import json
import time

import pytest
from gradio_client import Client, handle_file

from tests.test_beans import make_leaf_checkpoint, tiny_vit_checkpoint  # noqa: F401  (fixture `tiny_vit`)
from tests.train_helpers import job_state, run_dir, wait_for_job

MAX_ANSWER_S = 5.0


@pytest.mark.slow
def test_beans_mobilenet_head_through_the_tab(serve_app, beans_dir, mobilenet_dir, tiny_vit, tmp_path):
    models = tmp_path / "models"
    models.mkdir()
    make_leaf_checkpoint(models, "beans-tiny", 0.5, tiny_vit)  # what the bean tab answers with meanwhile
    client = Client(serve_app({
        "STUDIO_MODELS_DIR": models, "STUDIO_BEANS_MODEL": "", "STUDIO_LANG": "en", "STUDIO_EXAMPLES_DIR": models,
        "STUDIO_TRAIN_DATA_DIRS": f"beans={beans_dir}", "STUDIO_BASE_MODELS": f"mobilenet={mobilenet_dir}",
    }), verbose=False)
    data_id, summary, *_ = client.predict("folder", None, "beans", "", None, None, "", api_name="/train_explore")
    assert "ready to train" in summary and "angular_leaf_spot, bean_rust, healthy" in summary
    assert str(beans_dir) not in summary
    job_id = client.predict(data_id, "op:mobilenet", "head", None, None, "beans-mnv2-tab", False, False, "", False,
                            api_name="/train_start")[0]

    leaf = sorted((beans_dir / "validation" / "bean_rust").glob("*.jpg"))[0]
    answer_times = []
    while getattr(job_state(models, job_id), "status", None) in ("queued", "running"):
        started = time.perf_counter()
        scores, answered, _about = client.predict(handle_file(str(leaf)), "beans-tiny", api_name="/classify_leaf")
        answer_times.append(time.perf_counter() - started)
        assert len(scores["confidences"]) == 3
        client.predict(job_id, api_name="/train_progress")
        time.sleep(2)
    job = wait_for_job(models, job_id, timeout_s=10)
    assert job.status == "done", job
    assert len(answer_times) >= 3 and max(answer_times) < MAX_ANSWER_S, answer_times
    metrics = json.loads((run_dir(models, job_id) / "metrics.json").read_text())  # the visitor's own folder
    assert metrics["splits"]["validation"]["accuracy"] >= 0.90, metrics["splits"]
    assert metrics["splits"]["validation"]["num_examples"] == 133
