"""app.py's first-model wiring for a test's in-process server: serving asks the bootstrap how far a tab's
first model is (and whether it failed), as `python app.py` does; put back after the test."""

from __future__ import annotations

import pytest


def wire_first_models(monkeypatch: pytest.MonkeyPatch) -> None:
    """app.start_first_models() (STUDIO_BOOTSTRAP is off in tests: it wires serving, queues nothing)."""
    import app
    from studio.serving import first_model

    monkeypatch.setattr(first_model, "reporter", first_model.reporter)
    monkeypatch.setattr(first_model, "failure", first_model.failure)
    app.start_first_models()
