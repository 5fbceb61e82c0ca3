"""Visitor keys are made by the server: a string it did not make (however long) is no key, so two strangers
cannot become one owner by presenting the same weak string; the sign-in counts only on a real Space."""

from __future__ import annotations

import pytest

from studio import visitors


@pytest.fixture
def secret_in(tmp_path, monkeypatch):
    monkeypatch.setenv("STUDIO_MODELS_DIR", str(tmp_path))
    monkeypatch.delenv("STUDIO_SECRET", raising=False)
    return tmp_path


def test_a_key_of_this_server_is_valid_and_others_are_not(secret_in):
    key = visitors.new_key()
    assert visitors.valid_key(key) and key != visitors.new_key()
    forged = key[:-1] + ("0" if key[-1] != "0" else "1")
    for weak in ("-" * 20, "k" * 43, "0" * 64, forged, key.upper(), key + "0", None, 42):
        assert not visitors.valid_key(weak), weak


def test_a_key_from_another_server_is_not_valid_here(secret_in, tmp_path, monkeypatch):
    key = visitors.new_key()
    monkeypatch.setenv("STUDIO_MODELS_DIR", str(tmp_path / "elsewhere"))
    assert not visitors.valid_key(key)


def test_the_secret_sent_to_browsers_is_not_the_one_that_signs_keys(secret_in):
    secret = visitors.server_secret()
    assert secret == visitors.server_secret()  # kept across calls (and restarts: it is a file)
    assert secret.decode() not in visitors.browser_secret()


SPACE_OAUTH = {"SPACE_ID": "someone/studio", "OAUTH_CLIENT_ID": "id", "OAUTH_CLIENT_SECRET": "secret",
               "OAUTH_SCOPES": "openid profile", "OPENID_PROVIDER_URL": "https://hf.invalid"}


def test_sign_in_is_offered_on_a_real_space_only(monkeypatch):
    for name, value in SPACE_OAUTH.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("SYSTEM", raising=False)
    assert not visitors.space_login()  # SPACE_ID alone: Gradio would mock the login with the server's token
    monkeypatch.setenv("SYSTEM", "spaces")
    assert visitors.space_login()
    monkeypatch.delenv("OAUTH_CLIENT_SECRET")
    assert not visitors.space_login()
