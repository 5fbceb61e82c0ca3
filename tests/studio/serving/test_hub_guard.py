"""The playground's model guard: refusals decided from real ModelInfo objects, and the lookup itself.

The lookup is exercised for real over HTTP: against a closed port (Hub unreachable), with
HF_HUB_OFFLINE (refused without a request), and against a small local server that answers the Hub's
/api/models/<id> route with JSON and error headers as huggingface.co does.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from huggingface_hub import ModelInfo

from studio.i18n import STRINGS
from studio.serving.hub_guard import (
    Limits,
    ModelRefusal,
    check_model,
    fetch_model_info,
    params_millions,
    refusal,
    weights_mb,
)
from tests.conftest import free_port
from tests.support.tiny import make_tiny_bert_classifier

LIMITS = Limits(max_mb=100, max_params_m=50)
TEXT_TAGS = ("text-classification",)


def model_info(**overrides) -> ModelInfo:
    """A ModelInfo as `model_info(files_metadata=True)` builds it from the Hub's JSON."""
    data = {
        "id": "owner/small-model", "private": False, "gated": False, "disabled": False,
        "pipeline_tag": "text-classification",
        "siblings": [{"rfilename": "config.json", "size": 700},
                     {"rfilename": "model.safetensors", "size": 40_000_000,
                      "lfs": {"size": 40_000_000, "sha256": "0" * 64, "pointerSize": 134}}],
        "safetensors": {"parameters": {"F32": 10_000_000}, "total": 10_000_000},
    }
    data.update(overrides)
    return ModelInfo(**data)


def sharded(sizes: list[int]) -> list[dict]:
    return [{"rfilename": f"model-{n:05d}-of-{len(sizes):05d}.safetensors", "size": size}
            for n, size in enumerate(sizes, 1)] + [{"rfilename": "model.safetensors.index.json", "size": 900}]


# (what is wrong, ModelInfo fields, has_token, expected refusal key or None)
CASES = [
    ("fits", {}, False, None),
    ("gated, no token", {"gated": "manual"}, False, "model.refuse.gated"),
    ("gated, with token", {"gated": "auto"}, True, None),
    ("private, no token", {"private": True}, False, "model.refuse.private"),
    ("private, with token", {"private": True}, True, None),
    ("disabled", {"disabled": True}, True, "model.refuse.disabled"),
    ("other task", {"pipeline_tag": "text-generation"}, False, "model.refuse.task"),
    ("no task tag", {"pipeline_tag": None}, False, "model.refuse.task"),
    ("pickle only", {"siblings": [{"rfilename": "pytorch_model.bin", "size": 1000}], "safetensors": None},
     False, "model.refuse.no_safetensors"),
    ("too big", {"siblings": sharded([60_000_000, 60_000_000]), "safetensors": None},
     False, "model.refuse.too_big"),
    ("size from lfs only", {"siblings": [{"rfilename": "model.safetensors",
                                          "lfs": {"size": 150_000_000, "sha256": "0" * 64, "pointerSize": 1}}]},
     False, "model.refuse.too_big"),
    ("too many parameters", {"safetensors": {"parameters": {"BF16": 70_000_000}, "total": 70_000_000}},
     False, "model.refuse.too_many_params"),
    ("no files metadata", {"siblings": None, "safetensors": None}, False, None),
]


@pytest.mark.parametrize(("case", "fields", "has_token", "expected"), CASES, ids=[c[0] for c in CASES])
def test_refusal_decision(case, fields, has_token, expected):
    reason = refusal(model_info(**fields), TEXT_TAGS, LIMITS, has_token)
    assert (reason.key if reason else None) == expected
    if reason:
        for lang in ("es", "en"):
            message = reason.message(lang)
            assert "owner/small-model" in message and "{" not in message


def test_sizes_and_parameters_are_read_from_the_files_metadata():
    info = model_info(siblings=sharded([30_000_000, 20_000_000]))
    assert weights_mb(info) == pytest.approx(50.0)
    assert params_millions(info) == pytest.approx(10.0)
    assert weights_mb(model_info(siblings=[{"rfilename": "model.safetensors"}])) is None


def test_task_refusal_names_both_tasks_and_the_env_caps_are_in_the_message():
    reason = refusal(model_info(pipeline_tag="fill-mask"), ("feature-extraction", "sentence-similarity"),
                     LIMITS, False)
    assert "fill-mask" in reason.message("en") and "sentence-similarity" in reason.message("en")
    too_big = refusal(model_info(siblings=sharded([200_000_000])), TEXT_TAGS, LIMITS, False)
    assert "200" in too_big.message("en") and "STUDIO_MAX_MODEL_MB" in too_big.message("en")


def test_every_refusal_key_exists_in_both_languages():
    keys = {case[3] for case in CASES if case[3]} | {
        "model.refuse.offline", "model.refuse.unreachable", "model.refuse.not_found",
        "model.ref.bad", "model.ref.url", "model.ref.empty", "model.ref.outside", "model.ref.not_checkpoint"}
    for lang in ("es", "en"):
        assert keys <= STRINGS[lang].keys()


@pytest.mark.parametrize("ref", ["https://huggingface.co/gpt2", "../../etc", "/etc", "~/models/x",
                                 "owner/name/extra", "a b", ""])
def test_bad_references_are_refused_before_any_lookup(ref, tmp_path, monkeypatch):
    monkeypatch.setenv("STUDIO_MODELS_DIR", str(tmp_path))
    with pytest.raises(ModelRefusal) as refused:
        check_model(ref, TEXT_TAGS)
    assert refused.value.key.startswith("model.ref.")
    assert str(tmp_path) not in refused.value.message("en")


def test_a_local_checkpoint_is_accepted_offline_without_the_hub(tmp_path, monkeypatch):
    monkeypatch.setenv("STUDIO_MODELS_DIR", str(tmp_path))
    make_tiny_bert_classifier(tmp_path / "my-sentiment")
    assert check_model("my-sentiment", TEXT_TAGS) == str(tmp_path / "my-sentiment")
    outside = tmp_path.parent / f"{tmp_path.name}-outside"
    make_tiny_bert_classifier(outside)
    with pytest.raises(ModelRefusal) as refused:
        check_model(str(outside), TEXT_TAGS)
    assert refused.value.key == "model.ref.outside"
    assert str(tmp_path.parent) not in refused.value.message("en")


def test_offline_hub_id_is_refused_without_asking_the_hub(fake_hub, monkeypatch):
    from huggingface_hub import constants as hub_constants

    monkeypatch.setattr(hub_constants, "ENDPOINT", fake_hub)  # a Hub that answers, but HF_HUB_OFFLINE stays on
    with pytest.raises(ModelRefusal) as refused:
        check_model("distilbert/distilbert-base-uncased-finetuned-sst-2-english", TEXT_TAGS)
    assert LOOKUPS == []  # refused before any request: no wait (bench/refusals.py times it)
    assert refused.value.key == "model.refuse.offline"
    assert "HF_HUB_OFFLINE" in refused.value.message("es")


def test_an_unreachable_hub_is_a_refusal(online):
    online(f"http://127.0.0.1:{free_port()}")  # how long it takes: bench/refusals.py
    with pytest.raises(ModelRefusal) as refused:
        fetch_model_info("owner/model", token=None, timeout=1)
    assert refused.value.key == "model.refuse.unreachable"


HUB_MODELS = {
    "owner/small-model": (200, {}, {
        "id": "owner/small-model", "pipeline_tag": "text-classification", "private": False, "gated": False,
        "siblings": [{"rfilename": "model.safetensors", "size": 40_000_000}],
        "safetensors": {"parameters": {"F32": 10_000_000}, "total": 10_000_000}}),
    "owner/huge-model": (200, {}, {
        "id": "owner/huge-model", "pipeline_tag": "text-classification", "private": False, "gated": False,
        "siblings": sharded([5_000_000_000, 5_000_000_000]),
        "safetensors": {"parameters": {"BF16": 5_000_000_000}, "total": 5_000_000_000}}),
    "owner/gated-model": (403, {"X-Error-Code": "GatedRepo", "X-Error-Message": "Access is restricted"},
                          {"error": "Access to model owner/gated-model is restricted."}),
}


LOOKUPS: list[str] = []  # the paths fake_hub was asked for, in this test


@pytest.fixture
def fake_hub():
    """A local HTTP server answering GET /api/models/<owner>/<name> like the Hub (404 + RepoNotFound else)."""
    LOOKUPS.clear()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            LOOKUPS.append(self.path)
            repo = self.path.split("?")[0].removeprefix("/api/models/")
            status, headers, body = HUB_MODELS.get(
                repo, (404, {"X-Error-Code": "RepoNotFound", "X-Error-Message": "Repository not found"},
                       {"error": "Repository not found"}))
            payload = json.dumps(body).encode()
            self.send_response(status)
            for key, value in {"Content-Type": "application/json", **headers}.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.mark.parametrize(("repo", "expected"), [
    ("owner/small-model", None),
    ("owner/huge-model", "model.refuse.too_big"),
    ("owner/gated-model", "model.refuse.gated"),
    ("owner/missing-model", "model.refuse.not_found"),
])
def test_lookup_and_decision_against_a_hub_over_http(repo, expected, online, fake_hub, monkeypatch):
    monkeypatch.setenv("STUDIO_MAX_MODEL_MB", "1000")
    online(fake_hub)
    if expected is None:
        assert check_model(repo, TEXT_TAGS) == repo
        return
    with pytest.raises(ModelRefusal) as refused:
        check_model(repo, TEXT_TAGS)
    assert refused.value.key == expected


def test_an_approved_hub_model_is_not_looked_up_again(online, fake_hub):
    online(fake_hub)
    assert check_model("owner/small-model", ("text-classification", "sentiment")) == "owner/small-model"
    online(f"http://127.0.0.1:{free_port()}")   # the Hub goes away: the earlier decision stands
    assert check_model("owner/small-model", ("text-classification", "sentiment")) == "owner/small-model"
    with pytest.raises(ModelRefusal) as refused:
        check_model("owner/other-model", ("text-classification", "sentiment"))
    assert refused.value.key == "model.refuse.unreachable"


def test_a_folder_of_the_server_is_never_taken_for_a_hub_id(monkeypatch, tmp_path):
    """`studio` or `bench` is a valid Hub id shape, but transformers would load the server's own folder."""
    from tests.conftest import REPO_ROOT

    monkeypatch.setenv("STUDIO_MODELS_DIR", str(tmp_path))
    monkeypatch.chdir(REPO_ROOT)
    for name in ("studio", "bench", "tests"):
        with pytest.raises(ModelRefusal) as refused:
            check_model(name, TEXT_TAGS)
        assert refused.value.key == "model.ref.bad"
