"""A class shares one server's training queue (issue 27): one stranger's many sessions, through the real
server and gradio_client, get no more than the per-source cap into it; another source still gets in and
is told its place."""

from __future__ import annotations

import time

import pytest
from gradio_client import Client, handle_file
from gradio_client.exceptions import AppError

from tests.support.tiny import make_tiny_vit
from tests.support.train_helpers import job_state, tiny_image_zip

pytestmark = [pytest.mark.serves, pytest.mark.trains]

PER_SOURCE = 3
SESSIONS = 20


def session(url: str, headers: dict[str, str] | None = None) -> Client:
    """A fresh page: a new browser key, a new visitor (what opening a private window does)."""
    client = Client(url, verbose=False, headers=headers)
    client.predict(None, api_name="/studio_visitor")
    return client


def start(client: Client, zipped, name: str) -> tuple:
    data_id = client.predict("upload", handle_file(str(zipped)), None, "", None, None, "", api_name="/train_explore")[0]
    return client.predict(data_id, "op:tiny-vit", "full", 1000, None, name, False, False, "", False,
                          api_name="/train_start")


def test_one_stranger_with_twenty_sessions_gets_at_most_the_per_source_cap(serve_app, tmp_path):
    models = tmp_path / "models"
    url = serve_app({"STUDIO_MODELS_DIR": models, "STUDIO_BEANS_MODEL": "", "STUDIO_SENTIMENT_MODEL": "",
                     "STUDIO_EXAMPLES_DIR": tmp_path / "none", "STUDIO_LANG": "en", "OMP_NUM_THREADS": "1",
                     "STUDIO_BASE_MODELS": f"tiny-vit={make_tiny_vit(tmp_path / 'vit')}",
                     "STUDIO_TRAIN_MAX_PER_SOURCE": PER_SOURCE, "STUDIO_TRAIN_MAX_QUEUE": 40,
                     "STUDIO_TRAIN_WORKERS": 1, "STUDIO_TRAIN_MAX_EPOCHS": 1000, "STUDIO_BOOTSTRAP": "off"})
    zipped = tiny_image_zip(tmp_path, per_split={"train": 2, "validation": 1}, size=16)
    accepted, refusals = [], []
    try:
        for number in range(SESSIONS):
            client = session(url)
            try:
                accepted.append((client, start(client, zipped, f"mine-{number}")[0]))
            except AppError as error:
                refusals.append(str(error))
        assert len(accepted) == PER_SOURCE, accepted
        assert len(refusals) == SESSIONS - PER_SOURCE
        assert all("Your connection already has 3 training runs" in message for message in refusals), refusals[0]
        # another address (a local proxy names it in X-Forwarded-For) is another source: it gets in ahead of
        # the stranger's waiting jobs (they already have one running: a turn each per round), and is told so
        first = accepted[0][1]
        deadline = time.time() + 180
        while job_state(models, first).status != "running":  # the warm worker has forked it
            assert time.time() < deadline, job_state(models, first)
            time.sleep(0.5)
        neighbour = session(url, headers={"X-Forwarded-For": "198.51.100.23"})
        view = start(neighbour, zipped, "neighbour")
        accepted.append((neighbour, view[0]))
        assert job_state(models, view[0]).status == "queued"
        assert "position 1." in view[1], view[1]  # no run has finished here yet: no estimate is guessed
    finally:
        for client, job_id in accepted:
            client.predict(job_id, api_name="/train_cancel")
    assert all(job_state(models, job_id).status == "cancelled" for _client, job_id in accepted)
