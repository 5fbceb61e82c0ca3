"""Transfer Learning Studio: `python app.py` serves it; on Hugging Face Spaces this is the entry point."""

from __future__ import annotations

import importlib
import threading

import gradio as gr

from studio import config
from studio.strings import t

# One module per tab under studio/tabs/, each with `build(demo)` that lays out its components and wires
# them to pure functions. Order here is the order of the tabs in the page.
TABS = ("playground", "beans", "sentiment")


def build_demo() -> gr.Blocks:
    with gr.Blocks(title=t("app.title")) as demo:
        gr.Markdown(f"# {t('app.title')}\n{t('app.intro')}")
        with gr.Tabs():
            for name in TABS:
                tab = importlib.import_module(f"studio.tabs.{name}")
                with gr.Tab(t(f"{name}.tab"), id=name):
                    tab.build(demo)
    return demo


def warm_up() -> None:
    """Load each tab's model in the background (tabs with a `warm_up()`), so the first visitor doesn't wait."""
    for name in TABS:
        warm = getattr(importlib.import_module(f"studio.tabs.{name}"), "warm_up", None)
        if warm is not None:
            threading.Thread(target=warm, name=f"warm-up-{name}", daemon=True).start()


def launch_kwargs() -> dict:
    """Arguments for `launch()` shared by `python app.py`, Spaces and the tests."""
    return {"max_file_size": config.max_file_size(), "show_error": True, "theme": gr.themes.Soft()}


if __name__ == "__main__":
    demo = build_demo().queue(default_concurrency_limit=2)
    warm_up()
    demo.launch(**launch_kwargs())
