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
    for module_name, function_name, _what in COMMANDS.values():
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


def shown_help(command: str, capsys) -> dict[str, str]:
    """`python -m training <command> --help` as printed (run in this process): {option: its help, one line}."""
    with pytest.raises(SystemExit) as exited:
        main([command, "--help"])
    assert exited.value.code == 0
    entries: dict[str, list[str]] = {}
    current: list[str] = []
    for line in capsys.readouterr().out.split("options:")[1].splitlines():
        if line.startswith("  -"):
            current = entries.setdefault(line.split()[0], [])
        current.append(line)
    return {option: " ".join(" ".join(lines).split()) for option, lines in entries.items()}


@pytest.mark.parametrize("kind", ["image", "text"])
def test_help_states_the_real_defaults_of_epochs_and_learning_rate(kind, capsys):
    """An unset --epochs / --learning-rate is the row the command runs (--strategy's without --recipe),
    else the strategy's own: `--help` says which number, per strategy, read from the tables (issue 26)."""
    from contract.recipes import RECIPES, recipe_for_strategy
    from contract.runs import STRATEGY_DEFAULTS, STRATEGY_NAMES

    text = shown_help(kind, capsys)
    for flag in ("epochs", "learning_rate"):
        said = text[f"--{flag}"].split("with --strategy and no --recipe: ")[1].split(";")[0]
        shown = dict(item.split(" ") for item in said.split(", "))
        for strategy in STRATEGY_NAMES:
            row = RECIPES[kind].get(recipe_for_strategy(kind, strategy))
            expected = float(row.flags[flag]) if row and flag in row.flags else STRATEGY_DEFAULTS[strategy][flag]
            assert float(shown[strategy]) == expected, (flag, strategy, said)
    assert not any("the strategy's own (head" in said for said in text.values())


def test_help_says_full_without_a_recipe_runs_the_course_row(capsys):
    from contract.recipes import RECIPES

    text = shown_help("image", capsys)
    course = RECIPES["image"]["course"].flags
    assert "full runs course" in text["--recipe"]
    assert f"full {course['epochs']};" in text["--epochs"]
    assert f"full {course['train_batch_size']};" in text["--train_batch_size"]
