"""Sign-in with Hugging Face, served for real (issue 28 item 9).

On a Space (SYSTEM=spaces, SPACE_ID and the OAuth variables Spaces sets) `python app.py` starts from
requirements.txt and its "Sign in" goes to the OpenID provider (a stand-in on 127.0.0.1 here). Anywhere else,
SPACE_ID set or not, there is no sign-in at all: Gradio would mock it, making every stranger the server
token's user. `STUDIO_SPACE_PYTHON=<venv>/bin/python` runs the first test with another venv's Python (the
check of a venv freshly built from requirements.txt, docs/SHARING.md)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import httpx
import pytest
from gradio_client import Client

from contract.paths import REPO_ROOT
from tests.conftest import free_port

pytestmark = pytest.mark.serves

OAUTH = {"OAUTH_CLIENT_ID": "studio-client-id", "OAUTH_CLIENT_SECRET": "studio-client-secret",
         "OAUTH_SCOPES": "openid profile write-repos manage-repos"}


class Provider(BaseHTTPRequestHandler):
    """An OpenID provider's discovery document, as huggingface.co serves it (the login is only redirected to it)."""

    def do_GET(self):  # noqa: N802
        base = f"http://127.0.0.1:{self.server.server_port}"
        if self.path != "/.well-known/openid-configuration":
            self.send_error(404)
            return
        body = json.dumps({"issuer": base, "authorization_endpoint": f"{base}/oauth/authorize",
                           "token_endpoint": f"{base}/oauth/token", "userinfo_endpoint": f"{base}/oauth/userinfo",
                           "jwks_uri": f"{base}/oauth/jwks"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def provider():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Provider)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def sign_in_buttons(url: str) -> list[dict]:
    """The page's gr.LoginButton (a button whose label is the tab's "Sign in" string: STUDIO_LANG=en)."""
    from studio.i18n import t

    with pytest.MonkeyPatch.context() as language:
        language.setenv("STUDIO_LANG", "en")
        label = t("train.share.login")
    return [component for component in httpx.get(f"{url}/config", timeout=30).json()["components"]
            if component["type"] == "button" and component["props"].get("value") == label]


def test_on_a_space_the_app_starts_and_signs_in_with_the_provider(provider, tmp_path):
    port = free_port()
    env = {**os.environ, **OAUTH, "SYSTEM": "spaces", "SPACE_ID": "someone/studio", "OPENID_PROVIDER_URL": provider,
           "GRADIO_SERVER_NAME": "127.0.0.1", "GRADIO_SERVER_PORT": str(port), "STUDIO_BOOTSTRAP": "off",
           "STUDIO_MODELS_DIR": str(tmp_path / "models"), "STUDIO_LANG": "en", "PYTHONUNBUFFERED": "1"}
    log = tmp_path / "app.log"
    with open(log, "wb") as output:
        app = subprocess.Popen([os.environ.get("STUDIO_SPACE_PYTHON", sys.executable), "app.py"], cwd=REPO_ROOT,
                               env=env, stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and app.poll() is None:
            try:
                if httpx.get(f"{url}/config", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(1)
        assert app.poll() is None, log.read_text()[-3000:]  # it started (authlib and itsdangerous installed)
        assert sign_in_buttons(url)
        login = httpx.get(f"{url}/login/huggingface", timeout=60, follow_redirects=False)
        assert login.status_code in (302, 307), login.text[:500]
        target = urlparse(login.headers["location"])
        assert f"{target.scheme}://{target.netloc}{target.path}" == f"{provider}/oauth/authorize"
        query = parse_qs(target.query)
        assert query["client_id"] == [OAUTH["OAUTH_CLIENT_ID"]] and query["scope"] == [OAUTH["OAUTH_SCOPES"]]
        assert "mock" not in login.headers["location"]
    finally:
        app.terminate()
        try:
            app.wait(timeout=30)
        except subprocess.TimeoutExpired:
            app.kill()
            app.wait()


def test_off_a_space_there_is_no_sign_in_and_strangers_stay_apart(serve_app, tmp_path, monkeypatch):
    """SPACE_ID and the OAuth variables set on a machine that is no Space, with the operator's HF_TOKEN:
    Gradio's mock login would make each visitor the token's user (and, offline, fail to start)."""
    monkeypatch.delenv("SYSTEM", raising=False)
    url = serve_app({**OAUTH, "SPACE_ID": "someone/studio", "OPENID_PROVIDER_URL": "https://hf.invalid",
                     "HF_TOKEN": "hf_OperatorServerToken987654321", "STUDIO_MODELS_DIR": tmp_path / "models",
                     "STUDIO_LANG": "en"}).rstrip("/")
    assert not sign_in_buttons(url)
    login = httpx.get(f"{url}/login/huggingface", timeout=30, follow_redirects=False)
    assert login.status_code == 404 and "session" not in login.cookies  # no route, mocked or real
    first = Client(url, verbose=False).predict(None, api_name="/studio_visitor")
    second = Client(url, verbose=False).predict(None, api_name="/studio_visitor")
    assert first != second  # two strangers, two owners
