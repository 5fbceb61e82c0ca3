"""The folders both the app and the training CLI read from the environment.

Read on every call, never at import time, so tests and Spaces can set them first.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def models_dir() -> Path:
    """Where checkpoints live (`<models_dir>/<name>/`): $STUDIO_MODELS_DIR, else models/ in the repo."""
    return Path(os.environ.get("STUDIO_MODELS_DIR") or REPO_ROOT / "models").expanduser().resolve()


def assets_dir() -> Path:
    """The shared assets (beans images, SST-2, MobileNetV2): $STUDIO_ASSETS, else ../shared beside the repo."""
    return Path(os.environ.get("STUDIO_ASSETS") or REPO_ROOT.parent / "shared").expanduser().resolve()
