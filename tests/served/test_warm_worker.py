"""The warm training worker (training/worker.py) under the real server: jobs are forks of one long-lived
process running the CLI's own `main`; Cancel ends the job and not the worker; a kill -9 of the worker
mid-job leaves the job interrupted and resumable, no process behind, and the next job gets a new worker;
a restarted server runs the queue a dead one left."""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

import pytest
from gradio_client import Client, handle_file

from contract.checkpoint import process_alive
from contract.visitors import owner_models_dir
from studio.train import jobs as train_jobs
from tests.support.tiny import make_tiny_vit
from tests.support.train_helpers import job_state, run_dir, tiny_image_zip, wait_for_job

pytestmark = [pytest.mark.serves, pytest.mark.trains]


@pytest.fixture
def served(serve_app, tmp_path):
    models = tmp_path / "models"
    url = serve_app({"STUDIO_MODELS_DIR": models, "STUDIO_BEANS_MODEL": "", "STUDIO_SENTIMENT_MODEL": "",
                     "STUDIO_EXAMPLES_DIR": tmp_path / "none", "STUDIO_LANG": "en", "OMP_NUM_THREADS": "1",
                     "STUDIO_BASE_MODELS": f"tiny-vit={make_tiny_vit(tmp_path / 'vit')}",
                     "STUDIO_TRAIN_WORKERS": 1, "STUDIO_TRAIN_MAX_EPOCHS": 1000, "STUDIO_BOOTSTRAP": "off"})
    client = Client(url, verbose=False)
    client.predict(None, api_name="/studio_visitor")
    data_id = client.predict("upload", handle_file(str(tiny_image_zip(tmp_path))), None, "", None, None, "",
                             api_name="/train_explore")[0]
    return models, client, data_id


def start(client: Client, data_id: str, name: str, epochs: int, strategy: str = "full") -> str:
    return client.predict(data_id, "op:tiny-vit", strategy, epochs, None, name, False, False, "", False,
                          api_name="/train_start")[0]


def running(models, job_id: str, checkpoints: int = 0):
    """The job once it runs (and has left `checkpoints` Trainer checkpoints for Resume)."""
    deadline = time.time() + 240
    while time.time() < deadline:
        job = job_state(models, job_id)
        if job.status == "running" and train_jobs.runs_kept(owner_models_dir(models, job.owner), job.name) >= checkpoints:
            return job
        assert job.status in ("queued", "running"), job
        time.sleep(0.3)
    raise AssertionError(job_state(models, job_id))


def parent_of(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(status.split("PPid:")[1].split()[0])


def test_jobs_are_forks_of_one_warm_worker_and_cancel_ends_the_job_only(served):
    models, client, data_id = served
    long_id = start(client, data_id, "long", epochs=1000)
    job = running(models, long_id)
    worker = parent_of(job.pid)
    assert "training.worker" in train_jobs.cmdline_of(worker)  # no new Python: the warm worker forked it
    view = client.predict(long_id, api_name="/train_cancel")
    assert "cancelled" in view[1] and job_state(models, long_id).status == "cancelled"
    assert not process_alive(job.pid) and process_alive(worker)

    short_id = start(client, data_id, "short", epochs=1, strategy="head")
    pids = []
    done = wait_for_job(models, short_id, poll=lambda: pids.append(job_state(models, short_id).pid))
    assert done.status == "done", done
    assert any(pid and pid != job.pid for pid in pids)
    assert process_alive(worker)  # the same worker ran the next job (its pid's parent while it ran)
    metrics = json.loads((run_dir(models, short_id) / "metrics.json").read_text())
    assert metrics["splits"]["validation"]["num_examples"] == 12


def test_a_killed_worker_interrupts_its_job_leaves_no_process_and_resume_continues(served):
    models, client, data_id = served
    job_id = start(client, data_id, "cut", epochs=6)
    job = running(models, job_id, checkpoints=1)
    worker = parent_of(job.pid)
    os.kill(worker, signal.SIGKILL)  # the OOM killer, or an operator
    cut = wait_for_job(models, job_id, timeout_s=60)
    assert cut.status == "interrupted" and cut.message == ["train.job.worker_lost", {}], cut
    deadline = time.time() + 10
    while process_alive(job.pid) and time.time() < deadline:
        time.sleep(0.2)
    assert not process_alive(job.pid)  # no orphan: the job died with its worker
    shown = client.predict(job_id, api_name="/train_progress")[1]
    assert "stopped from outside" in shown and "Resume" in shown

    resumed = client.predict(job_id, api_name="/train_resume")
    assert resumed[0] == job_id
    again = running(models, job_id)
    assert parent_of(again.pid) != worker  # a new worker
    finished = wait_for_job(models, job_id)
    assert finished.status == "done", finished
    metrics = json.loads((run_dir(models, job_id) / "metrics.json").read_text())
    assert metrics["train"]["resumed_from_step"] > 0


def test_a_restarted_server_runs_the_queue_a_dead_server_left(serve_app, tmp_path, monkeypatch):
    """Two jobs waiting in the queue of a server that died (its lock is gone): the next server on the same
    folder takes them over, in their order, and trains them."""
    from dataclasses import replace

    from contract.visitors import owner_id
    from studio.train import data as train_data
    from studio.train import start as train_start

    models, vit = tmp_path / "models", make_tiny_vit(tmp_path / "vit")
    monkeypatch.setenv("STUDIO_MODELS_DIR", str(models))
    monkeypatch.setenv("STUDIO_BASE_MODELS", f"tiny-vit={vit}")
    owner = owner_id("v", "k" * 43)
    draft, _report = train_data.explore_zip(models, str(tiny_image_zip(tmp_path)), 1_000_000, owner)
    left = []
    for number in range(2):
        job = train_start.training_job(models, draft.id, "op:tiny-vit", "head", 1, None, f"left-{number}", False,
                                       owner=owner)
        left.append(train_jobs.write_job(models, replace(job, status="queued", queued=time.time(),
                                                         server="4242-deadbeef")))
    serve_app({"STUDIO_MODELS_DIR": models, "STUDIO_BEANS_MODEL": "", "STUDIO_SENTIMENT_MODEL": "",
               "STUDIO_EXAMPLES_DIR": tmp_path / "none", "STUDIO_BOOTSTRAP": "off", "STUDIO_TRAIN_WORKERS": 1})
    finished = [wait_for_job(models, job.id) for job in left]
    assert [job.status for job in finished] == ["done", "done"], finished
    assert finished[0].started < finished[1].started and finished[0].server != "4242-deadbeef"
