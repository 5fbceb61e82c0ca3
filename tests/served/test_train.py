"""The Train tab served for real and driven through gradio_client: explore a zip, train `head` in a
separate process, watch progress, read the metrics, classify with the new checkpoint in the bean tab."""

from __future__ import annotations

import json

import pytest
from gradio_client import Client, handle_file
from gradio_client.exceptions import AppError
from PIL import Image

from tests.support.tiny import LEAF_CLASSES, make_image_folder
from tests.support.train_helpers import job_state, run_dir, tiny_image_zip, wait_for_job, zip_folder


@pytest.fixture
def models_dir(tmp_path):
    folder = tmp_path / "models"
    folder.mkdir()
    return folder


def serve(serve_app, models_dir, tiny_vit, **env) -> Client:
    base = {"STUDIO_MODELS_DIR": models_dir, "STUDIO_BEANS_MODEL": "", "STUDIO_EXAMPLES_DIR": models_dir,
            "STUDIO_LANG": "en", "STUDIO_BASE_MODELS": f"tiny-vit={tiny_vit}", "OMP_NUM_THREADS": "1"}
    return Client(serve_app({**base, **env}), verbose=False)


def explore_upload(client: Client, path) -> tuple:
    return client.predict("upload", handle_file(str(path)), None, "", None, None, "", api_name="/train_explore")


def start(client: Client, data_id: str, name: str, epochs=2, overwrite=False) -> tuple:
    return client.predict(data_id, "op:tiny-vit", "head", epochs, None, name, overwrite, False, "", False,
                          api_name="/train_start")


@pytest.mark.trains
def test_explore_train_watch_and_classify_with_the_new_checkpoint(serve_app, models_dir, tiny_vit, tmp_path):
    client = serve(serve_app, models_dir, tiny_vit)
    data_id, summary, bars, gallery, *_rest = explore_upload(client, tiny_image_zip(tmp_path))
    assert "train 24, validation 12" in summary and "ready to train" in summary
    assert {row[1] for row in bars["data"]} == set(LEAF_CLASSES) and {row[2] for row in bars["data"]} == {8, 4}
    assert [item["caption"] for item in gallery["value"]] == [name for name in LEAF_CLASSES for _ in range(4)]
    assert str(models_dir) not in summary

    view = start(client, data_id, "leaves-head")
    job_id = view[0]
    assert "python -m training image" in view[6] and "--data-dir leaves" in view[6]
    assert "--base-model tiny-vit" in view[6] and "--epochs 2" in view[6]
    assert str(tmp_path) not in view[6]
    seen_progress = []
    job = wait_for_job(models_dir, job_id,
                       poll=lambda: seen_progress.append(client.predict(job_id, api_name="/train_progress")))
    assert job.status == "done", job
    final = client.predict(job_id, api_name="/train_progress")
    _id, status, bar, loss, accuracy, log, command, result, confusion, _timer, kind, runs, _share = final  # no buttons
    assert "leaves-head" in status and "trained" in status
    assert bar["value"] == 100 and "epoch 2 of 2" in bar["label"]
    assert len(accuracy["data"]) == 2 and len([row for row in loss["data"] if row[2] == "train"]) == 2
    assert "| validation |" in result and "Time" in result
    assert confusion is not None
    assert str(models_dir) not in log and str(tmp_path) not in log
    metrics = json.loads((run_dir(models_dir, job_id) / "metrics.json").read_text())  # the visitor's own folder
    assert metrics["splits"]["validation"]["num_examples"] == 12

    # the bean tab lists it and answers with it at once
    picker, *_ = client.predict("", api_name="/beans_status")
    assert "leaves-head" in json.dumps(picker)
    Image.new("RGB", (64, 64), (200, 40, 40)).save(tmp_path / "leaf.png")
    scores, answered, _about = client.predict(handle_file(str(tmp_path / "leaf.png")), "leaves-head",
                                              api_name="/classify_leaf")
    assert "leaves-head" in answered and len(scores["confidences"]) == 3

    # the Runs table has it, with a labelled baseline; the same name again must be confirmed
    runs = client.predict("image", api_name="/train_runs")
    names = [row[0] for row in runs["data"]]
    assert names[0] == "leaves-head" and any("Baseline" in name for name in names)
    assert runs["data"][0][1] == "vit" and runs["data"][0][3] == "leaves"
    with pytest.raises(AppError, match="tick .Overwrite. or use another name, e.g. .leaves-head-2"):
        start(client, data_id, "leaves-head")


@pytest.mark.trains
def test_class_folders_without_splits_get_a_carved_validation_and_a_queue(serve_app, models_dir, tiny_vit, tmp_path):
    client = serve(serve_app, models_dir, tiny_vit)
    folder = make_image_folder(tmp_path / "src", per_split={"train": 10})
    data_id, summary, *_ = explore_upload(client, zip_folder(folder / "train", tmp_path / "classes.zip", "my-leaves/"))
    assert "There was no validation split: 20 %" in summary and "train 24, validation 6" in summary
    first = start(client, data_id, "carved-a", epochs=3)[0]
    second_view = start(client, data_id, "carved-b", epochs=1)
    # waits behind the first: position 1 once the first started, 2 while both still wait for the runner
    assert "waiting in the queue: position 1" in second_view[1] or "position 2" in second_view[1]
    cancelled = client.predict(second_view[0], api_name="/train_cancel")
    assert "cancelled" in cancelled[1]
    assert wait_for_job(models_dir, first).status == "done"
    assert not (models_dir / "carved-b").exists()


def test_bad_uploads_are_one_clear_message_and_leave_nothing(serve_app, models_dir, tiny_vit, tmp_path):
    client = serve(serve_app, models_dir, tiny_vit)
    (tmp_path / "notes.zip").write_text("not a zip at all")
    with pytest.raises(AppError, match="not a valid zip"):
        explore_upload(client, tmp_path / "notes.zip")
    one_class = make_image_folder(tmp_path / "one", classes=("healthy",), per_split={"train": 4})
    _id, summary, *_ = explore_upload(client, zip_folder(one_class, tmp_path / "one.zip"))
    assert "one class only" in summary and "Fix the above" in summary
    with pytest.raises(AppError, match="problems that prevent training"):
        start(client, _id, "nope")
    with pytest.raises(AppError, match="Explore some data first"):
        start(client, "", "nope")
    with pytest.raises(AppError, match="Upload a file first"):
        client.predict("upload", None, None, "", None, None, "", api_name="/train_explore")
    with pytest.raises(AppError, match="The Hub is not reachable"):
        client.predict("hub", None, None, "owner/leaves", None, None, "", api_name="/train_explore")
    with pytest.raises(AppError, match="offers no folder"):
        client.predict("folder", None, "../../etc", "", None, None, "", api_name="/train_explore")
    jobs = [p for p in (models_dir / ".jobs").iterdir() if not p.name.startswith(".")] \
        if (models_dir / ".jobs").exists() else []  # .servers holds the runners' lock files
    assert all((job / "job.json").is_file() for job in jobs)  # a refused zip left no folder


def test_the_training_tab_is_hidden_when_the_operator_turns_it_off(serve_app, models_dir, tiny_vit):
    import httpx

    url = serve_app({"STUDIO_MODELS_DIR": models_dir, "STUDIO_TRAINING": "off", "STUDIO_LANG": "en"})
    tabs = {c["props"].get("label"): c["props"].get("visible")
            for c in httpx.get(f"{url.rstrip('/')}/config", timeout=30).json()["components"] if c["type"] == "tabitem"}
    assert tabs["Train"] is False and tabs["Bean leaves"] is True
    assert "/train_start" not in Client(url, verbose=False).view_api(print_info=False, return_format="dict")[
        "named_endpoints"]


@pytest.mark.trains
def test_a_job_cut_by_a_server_restart_shows_interrupted_and_resumes(serve_app, models_dir, tiny_vit, tmp_path,
                                                                     monkeypatch):
    """A real training process killed mid-run with its server (job.json still says running); the next
    server start marks it interrupted and Resume continues from its last Trainer checkpoint."""
    import subprocess
    import time
    from dataclasses import replace

    from contract.paths import REPO_ROOT
    from contract.visitors import owner_id, owner_models_dir
    from studio import visitors
    from studio.train import data as train_data
    from studio.train import jobs as train_jobs
    from studio.train import start as train_start

    monkeypatch.setenv("STUDIO_MODELS_DIR", str(models_dir))
    monkeypatch.setenv("STUDIO_BASE_MODELS", f"tiny-vit={tiny_vit}")
    key = visitors.new_key()  # the browser key of the visitor who started it, and who comes back after the restart
    owner = owner_id("v", key)
    draft, _report = train_data.explore_zip(models_dir, str(tiny_image_zip(tmp_path)), 1_000_000, owner)
    job = train_start.training_job(models_dir, draft.id, "op:tiny-vit", "full", 6, None, "cut", False, owner=owner)
    child = subprocess.Popen(train_jobs.process_command(job, models_dir), cwd=REPO_ROOT, env=train_jobs.process_env(),
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    train_jobs.write_job(models_dir, replace(job, status="running", pid=child.pid, started=time.time()))
    deadline = time.time() + 180
    while train_jobs.runs_kept(owner_models_dir(models_dir, owner), "cut") < 1 and child.poll() is None and \
            time.time() < deadline:
        time.sleep(0.2)
    child.kill()  # the machine went down with the server
    child.wait()
    assert train_jobs.runs_kept(owner_models_dir(models_dir, owner), "cut") >= 1

    client = serve(serve_app, models_dir, tiny_vit)
    assert client.predict(key, api_name="/studio_visitor") == key
    shown = client.predict("", api_name="/train_status")
    assert shown[0] == job.id and "interrupted" in shown[1] and "Resume" in shown[1]
    resumed = client.predict(job.id, api_name="/train_resume")
    assert resumed[0] == job.id
    finished = wait_for_job(models_dir, job.id)
    assert finished.status == "done", finished
    metrics = json.loads((owner_models_dir(models_dir, owner) / "cut" / "metrics.json").read_text())
    assert metrics["train"]["resumed_from_step"] > 0


def test_share_pushes_with_the_typed_token_and_never_shows_it(serve_app, models_dir, tiny_vit, tmp_path, monkeypatch,
                                                              checkpoint):
    import shutil

    from huggingface_hub import constants

    from contract.visitors import owner_id, owner_models_dir
    from studio import visitors
    from tests.support.fake_hub import TOKEN, FakeHub

    monkeypatch.setenv("STUDIO_MODELS_DIR", str(models_dir))  # the server's secret signs the key made here
    key = visitors.new_key()  # a visitor shares their own run (another's, or the operator's, is no checkpoint of theirs)
    shutil.copytree(checkpoint, owner_models_dir(models_dir, owner_id("v", key)) / "beans-vit-head")
    with FakeHub(token=TOKEN) as hub:
        monkeypatch.setenv("HF_ENDPOINT", hub.url)
        monkeypatch.setenv("HF_HUB_OFFLINE", "0")
        monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)
        for name in ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN"):
            monkeypatch.delenv(name, raising=False)
        client = serve(serve_app, models_dir, tiny_vit)
        assert client.predict(key, api_name="/studio_visitor") == key
        done = client.predict("beans-vit-head", "me/beans-vit-head", TOKEN, False, api_name="/train_push")
        assert "Pushed" in done and "me/beans-vit-head" in done and TOKEN not in done
        assert "README.md" in hub.repo("model", "me/beans-vit-head").files
        with pytest.raises(AppError) as caught:
            client.predict("beans-vit-head", "me/other", TOKEN[:-3] + "bad", False, api_name="/train_push")
        assert "Could not push" in str(caught.value) and TOKEN[:-3] not in str(caught.value)
        with pytest.raises(AppError, match="Pick a checkpoint"):
            client.predict("../etc", "me/x", TOKEN, False, api_name="/train_push")
    written = [p.read_bytes() for p in models_dir.rglob("*") if p.is_file()]
    assert not any(TOKEN.encode() in data for data in written)


@pytest.mark.trains
def test_a_csv_of_texts_trains_a_sentiment_model_the_sentiment_tab_lists(serve_app, models_dir, tmp_path):
    import csv

    from tests.support.tiny import NEGATIVE, POSITIVE, make_tiny_bert_classifier

    bert = make_tiny_bert_classifier(tmp_path / "tiny-bert")
    with open(tmp_path / "reviews.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "review", "stars"])
        for n in range(12):
            writer.writerow([n, POSITIVE[n % 4], "good"])
            writer.writerow([n, NEGATIVE[n % 4], "bad"])
    client = Client(serve_app({"STUDIO_MODELS_DIR": models_dir, "STUDIO_SENTIMENT_MODEL": "", "STUDIO_LANG": "en",
                               "STUDIO_BASE_MODELS": f"tiny-bert={bert}"}), verbose=False)
    explored = client.predict("upload", handle_file(str(tmp_path / "reviews.csv")), None, "", None, None, "",
                              api_name="/train_explore")
    data_id, summary, bars, _gallery, samples, text_column, label_column, base = explored
    assert (text_column["value"], label_column["value"]) == ("review", "stars")  # guessed; "id" is not the label
    assert text_column["choices"] == [["id", "id"], ["review", "review"], ["stars", "stars"]]
    assert "Classes** (2): bad, good" in summary and "20 %" in summary
    assert {row[0] for row in samples["value"]["data"]} == {"bad", "good"}
    explored = client.predict("upload", handle_file(str(tmp_path / "reviews.csv")), None, "", "review", "nope",
                              data_id, api_name="/train_explore")
    assert "no column nope" in explored[1]
    data_id = client.predict("upload", handle_file(str(tmp_path / "reviews.csv")), None, "", "review", "stars",
                             explored[0], api_name="/train_explore")[0]
    job_id = client.predict(data_id, "op:tiny-bert", "head", 2, None, "reviews-head", False, False, "", False,
                            api_name="/train_start")[0]
    assert wait_for_job(models_dir, job_id).status == "done", job_state(models_dir, job_id)
    metrics = json.loads((run_dir(models_dir, job_id) / "metrics.json").read_text())
    assert metrics["label_names"] == ["bad", "good"] and metrics["task"] == "text-classification"
    picker, _status, _about, _matrix = client.predict("", api_name="/sentiment_status")
    assert "reviews-head" in json.dumps(picker)
    assert client.predict("text", api_name="/train_runs")["data"][0][0] == "reviews-head"


@pytest.mark.trains
def test_cancel_a_crash_and_the_wall_time_cap_each_end_the_child_only(serve_app, models_dir, tiny_vit, tmp_path,
                                                                      monkeypatch):
    import os
    import signal
    import time

    monkeypatch.setenv("STUDIO_TRAIN_MAX_EPOCHS", "1000")  # runs far longer than the test, however fast the machine
    client = serve(serve_app, models_dir, tiny_vit)
    data_id = explore_upload(client, tiny_image_zip(tmp_path))[0]
    leaf = tmp_path / "leaf.png"
    Image.new("RGB", (32, 32), (40, 180, 40)).save(leaf)

    def running(job_id: str):
        deadline = time.time() + 120
        while time.time() < deadline:
            job = job_state(models_dir, job_id)
            if job is not None and job.status == "running" and (models_dir / ".jobs" / job_id / "progress.jsonl").is_file():
                return job
            time.sleep(0.3)
        raise AssertionError(job_state(models_dir, job_id))

    def long_run(name: str, epochs: int = 1000) -> str:
        return client.predict(data_id, "op:tiny-vit", "full", epochs, None, name, False, False, "", False,
                              api_name="/train_start")[0]

    cancelled_id = long_run("to-cancel")
    running(cancelled_id)
    view = client.predict(cancelled_id, api_name="/train_cancel")
    assert "cancelled" in view[1] and "No new checkpoint was written" in view[1]
    assert job_state(models_dir, cancelled_id).status == "cancelled"
    assert not (models_dir / "to-cancel").exists()

    crashed_id = long_run("to-crash")
    os.killpg(running(crashed_id).pid, signal.SIGKILL)  # what the OOM killer does
    crashed = wait_for_job(models_dir, crashed_id)
    assert crashed.status == "failed" and crashed.message == ["share.killed", {"signal": "SIGKILL"}]
    assert "stopped from outside (SIGKILL" in client.predict(crashed_id, api_name="/train_progress")[1]

    monkeypatch.setenv("STUDIO_TRAIN_MAX_MINUTES", "0.2")
    capped_id = long_run("to-cap")  # far longer than the cap, however fast this machine is
    capped = wait_for_job(models_dir, capped_id, timeout_s=120)
    assert capped.status == "failed" and capped.message[0] == "train.job.timeout"
    assert capped.finished - capped.started < 12 + 20  # the cap, plus at most the SIGINT grace
    assert "limit" in client.predict(capped_id, api_name="/train_progress")[1]
    with pytest.raises(AppError, match="no model|Train one|No model"):  # the server answers; no checkpoint exists
        client.predict(handle_file(str(leaf)), "", api_name="/classify_leaf")


@pytest.mark.trains
def test_the_random_weights_baseline_runs_after_the_real_run_and_is_labelled(serve_app, models_dir, tiny_vit,
                                                                             tmp_path):
    from studio.train.jobs import list_jobs

    client = serve(serve_app, models_dir, tiny_vit)
    data_id = explore_upload(client, tiny_image_zip(tmp_path))[0]
    first = client.predict(data_id, "op:tiny-vit", "head", 2, None, "pre", False, True, "", False,
                           api_name="/train_start")[0]
    jobs = {job.name: job for job in list_jobs(models_dir) if job.status != "draft"}
    assert set(jobs) == {"pre", "pre-random-init"} and jobs["pre"].id == first
    for job in jobs.values():
        assert wait_for_job(models_dir, job.id).status == "done", job_state(models_dir, job.id)
    random_metrics = json.loads((run_dir(models_dir, jobs["pre-random-init"].id) / "metrics.json").read_text())
    assert random_metrics["base_model"].endswith("/random-vit") and "/.jobs/" in random_metrics["base_model"]
    rows = {row[0]: row for row in client.predict("image", api_name="/train_runs")["data"]}
    labelled = rows["pre-random-init (baseline: same backbone, random weights)"]
    assert labelled[1] == "random-vit" and rows["pre"][1] == "vit"
    assert any(name.startswith("Baseline: always the most frequent class") for name in rows)
