"""First start (studio/train/bootstrap.py): from an empty models folder, offline, the app trains its own models.

The slow test starts the real server (`python app.py`, as `make run` does) on an empty models folder with
the shared assets beside it, types no command, and polls its API until a held-out bean leaf and a
sentence are answered. It is the one place in the suite where the default bean recipe is trained (the
recipe the Train tab's `head` runs too), so it also checks the real transfer's accuracy, the operator's
bean folder as the Train tab explores it, and that the bean tab keeps answering while a job trains (how
fast: tests/artifacts/first_start.json records it; speed targets are benchmarks, not assertions).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest
from gradio_client import Client, handle_file
from gradio_client.exceptions import AppError

from contract.paths import REPO_ROOT
from tests.conftest import ARTIFACTS, CHROMIUM, free_port

LEAF_DEADLINE_S = 240  # the "within 4 minutes of start" on 2 idle cores
SENTENCE_DEADLINE_S = 600
POLL_S = 3
SENTENCES = {"A wonderful, moving film with superb acting.": "positive",
             "A dull, tedious mess that I could not wait to end.": "negative"}


def held_out_leaves(beans_dir: Path, per_class: int = 2) -> list[tuple[Path, str]]:
    """Validation photos: the fast recipe trains on train only and selects no epoch on validation."""
    return [(path, folder.name) for folder in sorted((beans_dir / "validation").iterdir())
            for path in sorted(folder.glob("*.jpg"))[:per_class]]


def wait_for_server(url: str, process: subprocess.Popen, timeout_s: float = 120) -> Client:
    deadline = time.time() + timeout_s
    while time.time() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server exited with {process.returncode}")
        try:
            return Client(url, verbose=False)
        except Exception:  # not listening yet
            time.sleep(1)
    raise AssertionError("the server did not start")


def poll(call, deadline: float, seen: list[str], status) -> object:
    """call() until it answers, keeping what the tab's status said meanwhile. No model yet: while the first
    model trains the outputs are left as they were (a notice, not an error: {"__type__": "update"}); an
    AppError before it is queued."""
    while time.time() < deadline:
        try:
            answer = call()
            if not (isinstance(answer[0], dict) and answer[0].get("__type__") == "update"):
                return answer
        except AppError:
            pass
        seen.append(status())
        time.sleep(POLL_S)
    raise AssertionError(f"no answer in time; the tab said: {seen[-3:]}")


def leaf_label(client: Client, path: Path) -> str:
    """The top class's raw name: the tab shows "Bean rust (bean_rust)"."""
    label = client.predict(handle_file(str(path)), api_name="/classify_leaf")[0]["label"]
    return label.split("(")[-1].rstrip(")")


def progress_in_the_browser(browser, url: str) -> None:
    """The bean tab, opened while its first model trains, shows the progress and updates it by itself."""
    from playwright.sync_api import expect

    page = browser.new_page()
    try:
        page.goto(url)
        answered = page.locator("#beans-answered")
        expect(answered).to_contain_text("Preparing the first model", timeout=60_000)
        page.screenshot(path=str(ARTIFACTS / "first-model-progress.png"), full_page=True)
        # ... and it changes by itself (the tab's timer) until the model answers: then it names the model
        expect(answered).to_contain_text("beans-mobilenet-fast", timeout=LEAF_DEADLINE_S * 1000)
    finally:
        page.close()


@pytest.mark.trains
@pytest.mark.serves
def test_an_empty_models_folder_gets_a_bean_and_a_sentiment_model_with_no_command(tmp_path, assets_dir, beans_dir,
                                                                                  minilm_dir, request):
    models = tmp_path / "models"
    models.mkdir()
    port = free_port()
    env = {**os.environ, "STUDIO_MODELS_DIR": str(models), "STUDIO_ASSETS": str(assets_dir), "HF_HUB_OFFLINE": "1",
           "STUDIO_BOOTSTRAP": "on", "STUDIO_BOOTSTRAP_MAX_ROWS": "3000", "STUDIO_LANG": "en",
           "STUDIO_BEANS_MODEL": "", "STUDIO_SENTIMENT_MODEL": "", "GRADIO_SERVER_PORT": str(port),
           "STUDIO_TRAIN_DATA_DIRS": f"beans={beans_dir}",
           "GRADIO_SERVER_NAME": "127.0.0.1"}
    started = time.time()
    process = subprocess.Popen([sys.executable, "app.py"], cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        client = wait_for_server(f"http://127.0.0.1:{port}/", process)
        beans_status = lambda: client.predict("", api_name="/beans_status")[1]  # noqa: E731
        seen: list[str] = [beans_status()]  # what the tab says while its model is prepared
        if Path(CHROMIUM).exists():  # where there is a browser, the progress is checked in it too
            progress_in_the_browser(request.getfixturevalue("chromium_browser"), f"http://127.0.0.1:{port}/")
        leaves = held_out_leaves(beans_dir)
        poll(lambda: client.predict(handle_file(str(leaves[0][0])), api_name="/classify_leaf"),
             started + LEAF_DEADLINE_S, seen, beans_status)
        leaf_s = time.time() - started
        right = sum(leaf_label(client, path) == truth for path, truth in leaves)
        assert right >= len(leaves) - 1, f"{right} of {len(leaves)} held-out leaves right"
        assert any("preparing the first model" in said.lower() for said in seen), seen
        assert "beans-mobilenet-fast" in beans_status()
        metrics = json.loads((models / "beans-mobilenet-fast" / "metrics.json").read_text())
        assert metrics["splits"]["validation"]["accuracy"] >= 0.90, metrics["splits"]
        assert metrics["splits"]["validation"]["num_examples"] == 133
        _data_id, summary, *_ = client.predict("folder", None, "beans", "", None, None, "", api_name="/train_explore")
        assert "ready to train" in summary and "angular_leaf_spot, bean_rust, healthy" in summary
        assert str(beans_dir) not in summary

        sentiment_status = lambda: client.predict("", api_name="/sentiment_status")[1]  # noqa: E731
        said: list[str] = []
        answer_times: list[float] = []

        def leaf_then_sentence():
            """While the sentiment model trains, the bean tab answers as fast as ever."""
            asked = time.perf_counter()
            assert len(client.predict(handle_file(str(leaves[1][0])), api_name="/classify_leaf")[0]["confidences"]) == 3
            answer_times.append(time.perf_counter() - asked)
            return client.predict(next(iter(SENTENCES)), api_name="/predict_sentiment")

        first = poll(leaf_then_sentence, started + SENTENCE_DEADLINE_S, said, sentiment_status)
        sentence_s = time.time() - started
        assert len(answer_times) >= 3, answer_times  # the bean tab answered while the sentiment model trained
        assert first[0]["label"] == "positive"
        for text, truth in SENTENCES.items():
            assert client.predict(text, api_name="/predict_sentiment")[0]["label"] == truth
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / "first_start.json").write_text(json.dumps(
            {"first_leaf_s": round(leaf_s), "first_sentence_s": round(sentence_s),
             "bean_answers_while_training_s": [round(t, 2) for t in answer_times]}, indent=1))
    finally:
        os.killpg(process.pid, 15)
        process.wait(timeout=30)


# ---------------------------------------------------------------- the pieces, without a server


def test_first_models_come_from_the_assets_folder_or_the_operators(tmp_path, monkeypatch, assets_dir):
    from studio.train import bootstrap

    beans, sentiment = bootstrap.FIRST_MODELS
    monkeypatch.setenv("STUDIO_ASSETS", str(assets_dir))
    monkeypatch.delenv("STUDIO_TRAIN_DATA_DIRS", raising=False)
    monkeypatch.delenv("STUDIO_BASE_MODELS", raising=False)
    assert bootstrap.data_folder(beans) == (assets_dir / "data" / "beans").resolve()
    assert bootstrap.base_folder(beans) == (assets_dir / "models" / "mobilenet_v2_imagenet").resolve()
    assert bootstrap.data_folder(sentiment) == (assets_dir / "data" / "sst2-sentences").resolve()

    operator = tmp_path / "my-beans"
    operator.mkdir()
    monkeypatch.setenv("STUDIO_TRAIN_DATA_DIRS", f"beans={operator}")
    assert bootstrap.data_folder(beans) == operator.resolve()

    monkeypatch.setenv("STUDIO_ASSETS", str(tmp_path / "nowhere"))
    monkeypatch.delenv("STUDIO_TRAIN_DATA_DIRS")
    assert bootstrap.data_folder(beans) is None and bootstrap.base_folder(beans) is None


def test_nothing_is_queued_when_off_or_when_a_model_exists(tmp_path, monkeypatch, assets_dir):
    from studio.train import bootstrap
    from studio.train.jobs import list_jobs

    models = tmp_path / "models"
    models.mkdir()
    monkeypatch.setenv("STUDIO_MODELS_DIR", str(models))
    monkeypatch.setenv("STUDIO_BOOTSTRAP", "off")
    assert bootstrap.start(models) == [] and list_jobs(models) == []
    monkeypatch.setenv("STUDIO_BOOTSTRAP", "on")
    monkeypatch.setenv("STUDIO_BEANS_MODEL", str(tmp_path))  # the operator's choice, even a broken one
    monkeypatch.setenv("STUDIO_SENTIMENT_MODEL", str(tmp_path))
    assert bootstrap.start(models) == [] and list_jobs(models) == []


def test_a_first_model_job_is_the_operators_default_recipe(tmp_path, monkeypatch):
    from studio.train import bootstrap
    from studio.train.jobs import training_args

    monkeypatch.setenv("STUDIO_BOOTSTRAP_MAX_ROWS", "500")
    _, sentiment = bootstrap.FIRST_MODELS
    job = bootstrap.first_model_job(sentiment, tmp_path / "sst2", tmp_path / "minilm")
    assert (job.owner, job.recipe, job.first_model) == ("operator", "fast", "sentiment")
    argv = training_args(job, job.data_dir, job.base_model)
    assert argv[:1] == ["text"] and "--strategy" not in argv
    assert argv[argv.index("--recipe") + 1] == "fast"
    assert argv[argv.index("--max-train-samples") + 1] == "500"
    assert argv[argv.index("--label-names") + 1] == "negative,positive"


def test_preparing_reads_the_jobs_progress(tmp_path):
    import json

    from studio.train import bootstrap
    from studio.train.jobs import PROGRESS_FILE, job_folder, write_job

    models = tmp_path / "models"
    job = replace(bootstrap.first_model_job(bootstrap.FIRST_MODELS[0], tmp_path, tmp_path), status="queued")
    write_job(models, job)
    assert bootstrap.preparing("beans", models) == bootstrap.Preparing(None, None, True)
    assert bootstrap.preparing("sentiment", models) is None
    write_job(models, replace(job, status="running"))
    assert bootstrap.preparing("beans", models) == bootstrap.Preparing(None, None, False)
    events = [{"event": "begin", "time": 100.0, "step": 0, "max_steps": 10},
              {"event": "step", "time": 110.0, "step": 4, "max_steps": 10}]
    (job_folder(models, job.id) / PROGRESS_FILE).write_text("\n".join(map(json.dumps, events)) + "\n")
    found = bootstrap.preparing("beans", models, now=110.0)
    assert found.fraction == 0.4 and found.eta_s == 15.0 and not found.queued


def test_the_work_before_the_trainer_is_progress_too(tmp_path):
    """A `head` run spends most of its time on the frozen layers' outputs: "phase" lines count them."""
    import json

    from studio.train import bootstrap
    from studio.train.jobs import PROGRESS_FILE, job_folder, write_job
    from studio.train.progress import progress_of

    models = tmp_path / "models"
    job = replace(bootstrap.first_model_job(bootstrap.FIRST_MODELS[0], tmp_path, tmp_path), status="running")
    write_job(models, job)
    events = [{"event": "phase", "phase": "features", "done": 0, "total": 1000, "time": 100.0},
              {"event": "phase", "phase": "features", "done": 400, "total": 1000, "time": 120.0}]
    (job_folder(models, job.id) / PROGRESS_FILE).write_text("\n".join(map(json.dumps, events)) + "\n")
    assert bootstrap.preparing("beans", models, now=120.0) == bootstrap.Preparing(0.4, 30.0, False)
    later = events + [{"event": "begin", "time": 150.0, "step": 0, "max_steps": 10},
                      {"event": "step", "time": 151.0, "step": 5, "max_steps": 10}]
    progress = progress_of(later, now=151.0)
    assert (progress.fraction, progress.phase_fraction) == (0.5, None)  # the Trainer's own steps from then on


def test_a_hub_that_does_not_answer_counts_as_offline(online, tmp_path, monkeypatch):
    """A fresh clone on a machine without internet need not set HF_HUB_OFFLINE to get its first models."""
    from studio.train import bootstrap

    online("http://127.0.0.1:9")  # a closed port: nothing answers
    monkeypatch.setenv("STUDIO_MODELS_DIR", str(tmp_path))
    monkeypatch.setenv("STUDIO_BEANS_MODEL", "")
    assert not bootstrap.hub_reachable() and not bootstrap.has_model(bootstrap.FIRST_MODELS[0])


def test_a_tab_without_a_model_says_how_far_its_first_model_is_as_app_py_wires_it(models_dir, monkeypatch):
    """app.py tells serving who prepares first models; the bean tab asks serving, never the Train tab."""
    from studio.answers.about import answering_model
    from studio.beans.predict import MODEL
    from studio.i18n import t
    from studio.train import bootstrap
    from studio.train.jobs import write_job
    from studio.ui import first_model_timer
    from tests.support.first_models import wire_first_models

    job = replace(bootstrap.first_model_job(bootstrap.FIRST_MODELS[0], models_dir, models_dir), status="queued")
    write_job(models_dir, job)
    monkeypatch.setattr(bootstrap, "STARTED", {"beans"})  # as `bootstrap.start` leaves it after queueing the job
    assert answering_model(MODEL) == (None, MODEL.no_model(markdown=True).message())  # not wired: where to get one
    assert not first_model_timer(MODEL).active

    wire_first_models(monkeypatch)  # app.start_first_models(): wires serving to the bootstrap, queues nothing
    assert answering_model(MODEL) == (None, t("train.first_model.queued"))
    assert first_model_timer(MODEL).active
    write_job(models_dir, replace(job, status="done"))
    assert MODEL.preparing() is None and not first_model_timer(MODEL).active
