"""What the browser tests open: the app served for real, with a tiny leaf model in the bean tab (Spanish), or
with the tiny ViT offered as the operator's base model in the Train tab (English). Its models folder is
`models_dir` (tests/conftest.py)."""

from __future__ import annotations

import pytest

from tests.support.checkpoints import make_leaf_checkpoint


@pytest.fixture
def bean_tab_url(serve_app, models_dir, beans_dir, tiny_vit) -> str:
    make_leaf_checkpoint(models_dir, "beans-tiny", 0.8, tiny_vit)
    return serve_app({"STUDIO_MODELS_DIR": models_dir, "STUDIO_BEANS_MODEL": "", "STUDIO_LANG": "es",
                      "STUDIO_ASSETS": beans_dir.parent.parent, "STUDIO_EXAMPLES_DIR": ""})


@pytest.fixture
def train_tab_url(serve_app, models_dir, tiny_vit) -> str:
    return serve_app({"STUDIO_MODELS_DIR": models_dir, "STUDIO_BEANS_MODEL": "", "STUDIO_LANG": "en",
                      "STUDIO_EXAMPLES_DIR": models_dir, "STUDIO_BASE_MODELS": f"tiny-vit={tiny_vit}"})
