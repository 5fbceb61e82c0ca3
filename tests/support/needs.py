"""Markers that say what a test needs, kept true by a guard: while a test runs (its fixtures included), a
test not marked `serves` cannot start a subprocess or a Gradio server, and one not marked `trains` cannot
run `transformers.Trainer.train` or a `python -m training` run in a child. Each refusal names the marker.

The guard refuses; it does not stand in for anything: a marked test gets the real Popen, launch and train.
`make test-fast` deselects `serves` and `trains`, so what it runs is what starts none of them.
"""

from __future__ import annotations

import contextlib
import subprocess
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent.parent
FOLDER_MARKERS = {"served": ("serves",), "browser": ("browser", "serves")}  # tests/<folder>/: what all its tests need
TRAINING_COMMANDS = {"image", "text"}  # `python -m training <command>` that runs a Trainer (`--help` excepted)


class MissingMarker(AssertionError):
    """A test did something its markers do not say (see tests/support/needs.py)."""


def mark_by_folder(item: pytest.Item) -> None:
    """tests/served/ serves, tests/browser/ drives Chromium against a server; fixtures reading ../shared need it."""
    path = Path(str(item.path)).resolve()
    folder = path.relative_to(TESTS).parts[0] if path.is_relative_to(TESTS) else ""
    for name in FOLDER_MARKERS.get(folder, ()):
        item.add_marker(name)
    if "assets_dir" in getattr(item, "fixturenames", ()):
        item.add_marker("needs_assets")


def runs_a_trainer(args) -> bool:
    """A `python -m training image|text ...` (or `accelerate launch -m training ...`) argv, not its --help."""
    argv = [str(arg) for arg in (args if isinstance(args, list | tuple) else [args])]
    for at in range(len(argv) - 2):
        if argv[at] == "-m" and argv[at + 1] == "training" and argv[at + 2] in TRAINING_COMMANDS:
            return "--help" not in argv
    return False


class Guard:
    """The running test (None between tests) and the patches that check it. Installed once per session."""

    def __init__(self):
        self.item: pytest.Item | None = None

    def require(self, marker: str, what: str) -> None:
        if self.item is not None and self.item.get_closest_marker(marker) is None:
            raise MissingMarker(f"{self.item.nodeid} {what} but is not marked @pytest.mark.{marker}: mark it "
                                f"(tests/support/needs.py; `make test-fast` deselects what is marked)")

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        import gradio.blocks
        import transformers.trainer

        guard = self
        real_execute_child = subprocess.Popen._execute_child
        real_launch = gradio.blocks.Blocks.launch
        real_train = transformers.trainer.Trainer.train

        def execute_child(popen, args, *rest, **kwargs):
            guard.require("serves", "starts a subprocess")
            if runs_a_trainer(args):
                guard.require("trains", "runs `python -m training` in a subprocess")
            return real_execute_child(popen, args, *rest, **kwargs)

        def launch(blocks, *args, **kwargs):
            guard.require("serves", "launches a Gradio server")
            return real_launch(blocks, *args, **kwargs)

        def train(trainer, *args, **kwargs):
            guard.require("trains", "runs transformers.Trainer.train")
            return real_train(trainer, *args, **kwargs)

        monkeypatch.setattr(subprocess.Popen, "_execute_child", execute_child)
        monkeypatch.setattr(gradio.blocks.Blocks, "launch", launch)
        monkeypatch.setattr(transformers.trainer.Trainer, "train", train)

    @contextlib.contextmanager
    def running(self, item: pytest.Item):
        self.item = item
        try:
            yield
        finally:
            self.item = None
