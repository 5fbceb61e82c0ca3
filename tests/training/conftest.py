"""Fixtures of the training tests: the fake Hub a push talks to."""

from __future__ import annotations

import pytest

from tests.support.fake_hub import TOKEN, FakeHub


@pytest.fixture
def hub(monkeypatch, request):
    """A running fake Hub, huggingface_hub pointed at it and allowed online for this test only."""
    from huggingface_hub import constants

    lfs_patterns = getattr(request, "param", ())
    with FakeHub(token=TOKEN, lfs_patterns=lfs_patterns) as fake:
        monkeypatch.setenv("HF_ENDPOINT", fake.url)
        monkeypatch.setenv("HF_TOKEN", TOKEN)
        for name in ("HUGGING_FACE_HUB_TOKEN", "HF_OIDC_RESOURCE"):  # other token sources get_token() reads
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("HF_HUB_OFFLINE", "0")
        monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)  # read once at import; conftest set it to 1
        if lfs_patterns:  # with hf_xet installed the client would use Xet storage; this fake speaks LFS
            monkeypatch.setattr(constants, "HF_HUB_DISABLE_XET", True)
        yield fake
