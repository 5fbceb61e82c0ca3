"""Sharing from the Train tab pushes with the visitor's token, never the server's (issue 18 item 3, issue 21):
the real served app and a real `python -m training push` child against the local stand-in Hub
(tests/support/fake_hub.py), which records the Authorization of every request it gets."""

from __future__ import annotations

import shutil
from pathlib import Path

import gradio as gr
import pytest
from gradio_client import Client
from gradio_client.exceptions import AppError

from contract.errors import KeyedError
from contract.visitors import owner_id, owner_models_dir
from studio.train import signin
from tests.support.fake_hub import FakeHub

VISITOR_TOKEN = "hf_VisitorOwnToken0123456789"
SERVER_TOKEN = "hf_OperatorServerToken987654321"
OAUTH_ENV = {"SYSTEM": "spaces", "SPACE_ID": "someone/studio", "OAUTH_CLIENT_ID": "id", "OAUTH_CLIENT_SECRET": "secret",
             "OAUTH_SCOPES": "openid profile write-repos manage-repos", "OPENID_PROVIDER_URL": "https://hf.invalid"}


@pytest.fixture
def hub(monkeypatch):
    """A stand-in Hub that accepts only the visitor's token, the server holding its own HF_TOKEN."""
    from huggingface_hub import constants

    with FakeHub(token=VISITOR_TOKEN) as fake:
        monkeypatch.setenv("HF_ENDPOINT", fake.url)
        monkeypatch.setenv("HF_TOKEN", SERVER_TOKEN)  # as a Space owner sets it
        monkeypatch.setenv("HF_HUB_OFFLINE", "0")
        monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)
        yield fake


def tokens_received(hub: FakeHub) -> set[str | None]:
    return {request.authorization for request in hub.requests}


def test_a_visitors_typed_token_is_the_one_that_reaches_the_hub(serve_app, hub, checkpoint, tmp_path):
    models = tmp_path / "models"
    url = serve_app({"STUDIO_MODELS_DIR": models, "STUDIO_LANG": "en"})
    client = Client(url, verbose=False)
    key = client.predict(None, api_name="/studio_visitor")
    shutil.copytree(checkpoint, owner_models_dir(models, owner_id("v", key)) / "leaves")

    done = client.predict("leaves", "student/leaves", VISITOR_TOKEN, False, api_name="/train_push")
    assert "student/leaves" in done and VISITOR_TOKEN not in done
    assert "README.md" in hub.repo("model", "student/leaves").files
    assert tokens_received(hub) == {f"Bearer {VISITOR_TOKEN}"}  # the server's HF_TOKEN never went out

    sent = len(hub.requests)
    with pytest.raises(AppError) as refused:  # empty field + HF_TOKEN on the server: nothing is pushed
        client.predict("leaves", "student/other", "", False, api_name="/train_push")
    assert "never the server's" in str(refused.value) and SERVER_TOKEN not in str(refused.value)
    assert len(hub.requests) == sent


def test_the_refusal_is_in_the_visitors_language(monkeypatch):
    from studio.i18n import t

    monkeypatch.setenv("STUDIO_LANG", "es")
    assert "nunca con el del servidor" in t("train.share.no_token")
    with pytest.raises(KeyedError) as refused:
        signin.visitor_push("  ", "student/leaves")
    assert refused.value.key == "train.share.no_token"


def test_on_a_space_the_login_pushes_to_the_visitors_namespace(hub, checkpoint, tmp_path, monkeypatch):
    """The share handler as Gradio calls it on a Space: OAuth token and profile injected for a signed-in visitor."""
    from studio.train.tab import share

    for name, value in OAUTH_ENV.items():
        monkeypatch.setenv(name, value)
    models = tmp_path / "models"
    monkeypatch.setenv("STUDIO_MODELS_DIR", str(models))
    shutil.copytree(checkpoint, owner_models_dir(models, "operator") / "leaves")  # no request: the operator's runs
    login = gr.OAuthToken(token=VISITOR_TOKEN, scope="write-repos manage-repos", expires_at=0)
    profile = gr.OAuthProfile({"name": "Student", "preferred_username": "student", "profile": "", "picture": ""})

    done = share("leaves", "leaves", "", False, login, profile)
    assert "student/leaves" in done
    assert tokens_received(hub) == {f"Bearer {VISITOR_TOKEN}"}
    with pytest.raises(gr.Error, match="Sign in with Hugging Face|Inicia sesión"):
        share("leaves", "leaves", "", False, None, None)  # signed out, empty field: refused, nothing sent


def test_the_login_button_is_offered_on_a_space_with_oauth_only(monkeypatch):
    for name in OAUTH_ENV:
        monkeypatch.delenv(name, raising=False)
    assert not signin.space_login()  # off a Space Gradio would "log in" with the server's own token
    for name, value in OAUTH_ENV.items():
        monkeypatch.setenv(name, value)
    assert signin.space_login()
    monkeypatch.delenv("OPENID_PROVIDER_URL")
    assert not signin.space_login()


def test_deploy_space_front_matter_asks_for_the_login_and_its_scopes():
    import yaml

    from contract.paths import REPO_ROOT
    from training.outputs.hub import SPACE_OAUTH_SCOPES, space_operations

    readme = next(op for op in space_operations(Path(REPO_ROOT), {}) if op.path_in_repo == "README.md")
    front = yaml.safe_load(readme.path_or_fileobj.decode().split("---")[1])
    assert front["hf_oauth"] is True and set(front["hf_oauth_scopes"]) == set(SPACE_OAUTH_SCOPES)
    assert {"write-repos", "manage-repos"} <= set(front["hf_oauth_scopes"])  # upload, and create the repo
