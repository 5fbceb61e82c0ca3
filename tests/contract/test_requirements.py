"""requirements.txt installs what "Sign in with Hugging Face" needs on a Space: gradio's `oauth` extra, and
every package that extra pulls in, pinned (a venv built from it starts with the OAuth variables set:
tests/served/test_space_signin.py starts it)."""

from __future__ import annotations

import re
from importlib.metadata import requires

from contract.paths import REPO_ROOT


def pinned() -> dict[str, str]:
    lines = (REPO_ROOT / "requirements.txt").read_text().splitlines()
    found = (re.match(r"([A-Za-z0-9_.-]+)(\[[^\]]*\])?==", line) for line in lines)
    return {match.group(1).lower(): match.group(2) or "" for match in found if match}


def test_gradio_is_pinned_with_its_oauth_extra_and_what_it_pulls():
    requirements = pinned()
    assert "oauth" in requirements["gradio"] and "mcp" in requirements["gradio"]
    oauth_needs = [re.match(r"[A-Za-z0-9_.-]+", need).group(0).lower() for need in requires("gradio") or []
                   if "extra == 'oauth'" in need or 'extra == "oauth"' in need]
    assert oauth_needs and all(name in requirements for name in oauth_needs), oauth_needs
    assert "joserfc" in requirements  # authlib's own dependency, pinned too
