"""Issue 28 item 10 through the real server (one for the module, one more for a broken job.json): weak visitor
keys, the MCP `run_pipeline` schema, the MCP landing page's host, a cut upload's partial file, a job.json with
a string date, a UTF-16 CSV."""

from __future__ import annotations

import json
import socket
import time
from pathlib import Path

import httpx
import pytest
from gradio_client import Client, handle_file

from studio.agents.tools import MCP_PATH
from studio.train.jobstore import JOB_FILE, Job, jobs_root, write_job
from tests.support.mcp import mcp_session, texts
from tests.support.tiny import make_tiny_bert_classifier

pytestmark = pytest.mark.serves
WEAK_KEY = "-" * 20


@pytest.fixture(scope="module")
def served(serve_app_for_module, tmp_path_factory) -> dict:
    """The app on a models folder with a tiny sentiment checkpoint; Gradio's uploads in a folder of the test's."""
    root = tmp_path_factory.mktemp("holes")
    models, uploads = root / "models", root / "uploads"
    sentiment = make_tiny_bert_classifier(models / "sst2-tiny")
    (sentiment / "metrics.json").write_text(json.dumps({
        "task": "text-classification", "name": "sst2-tiny", "label_names": ["negative", "positive"],
        "splits": {"validation": {"accuracy": 0.8, "num_examples": 8}}}), encoding="utf-8")
    url = serve_app_for_module({"STUDIO_MODELS_DIR": models, "STUDIO_LANG": "en", "STUDIO_BEANS_MODEL": "",
                                "STUDIO_SENTIMENT_MODEL": "", "GRADIO_TEMP_DIR": uploads}).rstrip("/")
    return {"url": url, "uploads": uploads}


def test_a_weak_key_is_replaced_so_two_strangers_stay_two_owners(served):
    first = Client(served["url"], verbose=False).predict(WEAK_KEY, api_name="/studio_visitor")
    second = Client(served["url"], verbose=False).predict(WEAK_KEY, api_name="/studio_visitor")
    assert WEAK_KEY not in (first, second) and first != second
    reloaded = Client(served["url"], verbose=False).predict(first, api_name="/studio_visitor")
    assert reloaded == first  # a key the server made is kept across reloads


def test_run_pipeline_takes_any_model_and_no_image_or_audio_for_a_text_task(served):
    async def work(session):
        tool = next(tool for tool in (await session.list_tools()).tools if tool.name == "run_pipeline")
        answer = await session.call_tool("run_pipeline", {"task_name": "text-classification",
                                                          "model": "models/sst2-tiny", "text": "a wonderful film"})
        return tool.inputSchema, answer

    schema, answer = mcp_session(served["url"], work)
    assert set(schema.get("required", [])) <= {"task_name"}, schema  # image and audio were required
    assert {"task_name", "model", "text", "image", "audio"} <= set(schema["properties"])
    assert schema["properties"]["model"].get("enum", ["any"]) != []  # it was [], refusing every model
    answered = texts(answer)
    assert "models/sst2-tiny" in answered and ("positive" in answered or "negative" in answered)


def test_the_mcp_landing_page_names_this_server_not_a_forwarded_host(served):
    page = httpx.get(served["url"] + MCP_PATH, timeout=30,
                     headers={"X-Forwarded-Host": "evil.example"})
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert "evil.example" not in page.text and served["url"] + MCP_PATH in page.text


def partial_files(folder: Path) -> list[Path]:
    return [path for path in folder.glob("tmp*") if path.is_file()] if folder.is_dir() else []


def test_a_cut_upload_leaves_no_partial_file(served):
    host, port = served["url"].removeprefix("http://").split(":")
    boundary = "studioboundary"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"big.zip\"\r\n"
            "Content-Type: application/zip\r\n\r\n").encode()
    with socket.create_connection((host, int(port)), timeout=30) as connection:
        connection.sendall((f"POST /gradio_api/upload HTTP/1.1\r\nHost: {host}:{port}\r\n"
                            f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
                            f"Content-Length: {50_000_000}\r\n\r\n").encode() + head + b"\x01" * 2_000_000)
        deadline = time.monotonic() + 60
        while not partial_files(served["uploads"]) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert partial_files(served["uploads"])  # the upload is being written: the place is the right one
    deadline = time.monotonic() + 60  # the client is gone mid-body
    while partial_files(served["uploads"]) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not partial_files(served["uploads"])


def test_a_job_file_with_a_string_date_does_not_stop_start_up(serve_app, tmp_path):
    """A server of its own, started on a models folder holding a job.json whose dates are strings (beside a
    good one): it starts, and a visitor's status answers."""
    models = tmp_path / "models"
    broken = jobs_root(models) / "broken1"
    broken.mkdir(parents=True)
    (broken / JOB_FILE).write_text(json.dumps({"id": "broken1", "status": "running", "kind": "text",
                                               "created": "2026-12-08T03:00:00Z", "started": "now"}))
    write_job(models, Job(id="good1", status="done", kind="text", created=1.0))
    url = serve_app({"STUDIO_MODELS_DIR": models, "STUDIO_LANG": "en", "STUDIO_BEANS_MODEL": "",
                     "STUDIO_SENTIMENT_MODEL": ""})
    shown = Client(url, verbose=False).predict("", api_name="/train_status")
    assert "broken1" not in json.dumps(shown)


def test_a_utf16_csv_is_read_not_called_binary(served, tmp_path):
    upload = tmp_path / "reviews.csv"
    upload.write_bytes("text,label\n¡Qué película tan buena!,1\na dull and boring film,0\n".encode("utf-16"))
    table, _download, note = Client(served["url"], verbose=False).predict(handle_file(str(upload)),
                                                                          api_name="/predict_sentiment_csv")
    assert [row[2] for row in table["data"]] == ["¡Qué película tan buena!", "a dull and boring film"]
    assert "Windows-1252" not in note
