"""Memory that comes back (issue 28, item 1): explanations from many distinct sessions leave the server's
RSS where one session's leave it. Before the fix each round of 12 sessions kept ~+500 MB for good (a glibc
malloc arena per worker thread holding freed Integrated Gradients batches; studio/serving/memory.py)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from gradio_client import Client, handle_file

from tests.served.app_process import AppProcess

pytestmark = [pytest.mark.serves, pytest.mark.needs_assets]
SESSIONS, ROUNDS, MAX_GROWTH_MIB = 12, 1, 300  # before the fix: +570 MB after one round


def test_explanations_from_distinct_sessions_give_their_memory_back(mobilenet_dir, beans_dir, tmp_path):
    leaf = str(sorted((beans_dir / "validation").glob("*/*.jpg"))[0])
    models = tmp_path / "models"
    models.mkdir()
    server = AppProcess({"STUDIO_BEANS_MODEL": mobilenet_dir, "STUDIO_MODELS_DIR": models, "STUDIO_TRAINING": "off",
                         "STUDIO_LANG": "en", "STUDIO_MAX_WAIT": "3600"}, tmp_path / "app.log")
    try:
        def explain(_n: int) -> None:  # a new Client is a new session
            client = Client(server.url, verbose=False, httpx_kwargs={"timeout": 600})
            heatmap, note = client.predict(handle_file(leaf), "", 0.5, api_name="/explain_leaf")
            assert heatmap and note

        explain(0)  # the model loaded, one explanation's buffers allocated once
        start = server.rss_mib()
        for _round in range(ROUNDS):
            with ThreadPoolExecutor(SESSIONS) as pool:
                list(pool.map(explain, range(SESSIONS)))
        assert server.rss_mib() - start <= MAX_GROWTH_MIB, (start, server.rss_mib())
    finally:
        server.stop()
