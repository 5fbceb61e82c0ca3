"""`python -m training <command> --help` names the command as it is typed, for every command."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import REPO_ROOT
from training.__main__ import COMMANDS


def test_every_command_is_checked():
    assert set(COMMANDS) == {"image", "text", "evaluate", "push", "deploy-space", "export-onnx", "visitors", "promote",
                             "inspect"}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_help_names_the_command(command):
    result = subprocess.run(
        [sys.executable, "-m", "training", command, "--help"], cwd=REPO_ROOT, capture_output=True, text=True,
        timeout=120, env={**os.environ, "HF_HUB_OFFLINE": "1", "COLUMNS": "100"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"usage: python -m training {command} "), result.stdout[:200]
