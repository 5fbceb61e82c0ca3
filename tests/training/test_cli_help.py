"""`python -m training <command> --help` names the command as it is typed, for every command, and the
top-level help lists exactly the commands there are."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys

import pytest

from tests.conftest import REPO_ROOT
from training.__main__ import COMMANDS, main


def test_the_top_level_help_lists_every_command_and_each_has_its_function(capsys):
    assert main(["--help"]) == 0
    listed = {line.split()[0] for line in capsys.readouterr().out.splitlines() if line.startswith("    ")}
    assert listed == set(COMMANDS)
    for module_name, function_name in COMMANDS.values():
        assert callable(getattr(importlib.import_module(module_name), function_name))


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_help_names_the_command(command, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    with pytest.raises(SystemExit) as exited:
        main([command, "--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: python -m training {command} "), out[:200]


@pytest.mark.serves
def test_help_runs_as_typed_in_a_fresh_process():
    result = subprocess.run(
        [sys.executable, "-m", "training", "image", "--help"], cwd=REPO_ROOT, capture_output=True, text=True,
        timeout=120, env={**os.environ, "HF_HUB_OFFLINE": "1", "COLUMNS": "100"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: python -m training image "), result.stdout[:200]
