"""Transfer Learning Studio: `python app.py` serves it; on Hugging Face Spaces this is the entry point."""

from __future__ import annotations

import os
import threading
from pathlib import Path

# Before torch is imported: idle OpenMP threads sleep instead of spinning on cores the web server needs.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
# Gradio rebuilds its monitoring summary (a pandas group-by over up to 10,000 past events) after every
# event by default, a cost that grows with the log (measured: docs/RESULTS.md, serving). Once per 500
# events is fresh enough for the /monitoring page.
os.environ.setdefault("GRADIO_ANALYTICS_CACHE_FREQUENCY", "500")

import gradio as gr  # noqa: E402

from studio import config, http_limits, partial_uploads, url_inputs, visitors
from studio.agents.tools import mcp_launch_kwargs
from studio.beans import tab as beans
from studio.i18n import t
from studio.playground import tab as playground
from studio.sentiment import tab as sentiment
from studio.serving import first_model, memory
from studio.train import bootstrap
from studio.train import tab as train

# Each feature's tab module has `build(demo)`, which lays out its components and wires them to its
# handlers. Order here is the order of the tabs in the page, the one a newcomer gets first, first:
# tab id -> (module, title key).
TABS = {"beans": (beans, "beans.tab"), "sentiment": (sentiment, "sentiment.tab"),
        "playground": (playground, "playground.tab"), "train": (train, "train.tab")}
# Tabs whose model is loaded at start-up, in this order (one after the other: two model loads at once
# only fight over the CPU, and transformers' lazy imports are not safe to race).
WARM_UP = (beans, sentiment)
# Events without their own concurrency_limit (status on page load, the playground) run this many at once.
DEFAULT_CONCURRENCY = 2
ACCESSIBILITY = Path(__file__).resolve().parent / "studio" / "assets" / "accessibility.html"
# Gradio's cache (uploads, URL inputs): every 15 minutes, files older than 30 minutes are removed.
DELETE_CACHE = (900, 1800)


def build_demo() -> gr.Blocks:
    partial_uploads.install()  # a cut upload leaves no partial file (gradio's route keeps it: the file says why)
    memory.limit_arenas()  # before the server's threads exist (studio/serving/memory.py says why)
    url_inputs.install()  # URL inputs: size cap while streaming, one deadline (studio/url_inputs.py)
    with gr.Blocks(title=t("app.title"), delete_cache=DELETE_CACHE) as demo:
        gr.Markdown(f"# {t('app.title')}\n{t('app.intro')}")
        visitors.install(demo)  # who is asking: each visitor's runs are theirs (studio/visitors.py)
        with gr.Tabs(selected="beans", overflow_behavior="wrap"):  # a phone shows every tab, on two rows
            for name, (tab, title) in TABS.items():
                with gr.Tab(t(title), id=name):
                    tab.build(demo)
    # Bounded: a crowd waits in a queue of config.max_queue() requests at most; the next one is told
    # "busy, try again" at once (gradio answers 503 / queue_full) instead of timing out minutes later.
    return demo.queue(max_size=config.max_queue(), default_concurrency_limit=DEFAULT_CONCURRENCY)


def configure_threads() -> None:
    """torch's thread pool sized once, at start: forward passes are serialised per model (studio/serving/service.py),
    so each may use every core without oversubscribing them."""
    import torch

    torch.set_num_threads(config.torch_threads())


def warm_up() -> threading.Thread:
    """Load the tabs' models in one background thread, so the first visitor doesn't wait.

    `transformers.pipeline` is imported here first, in the caller's thread: its lazy import is not
    thread-safe, and a request racing the warm-up thread once failed with an ImportError.
    """
    from transformers import pipeline  # noqa: F401

    def load_all() -> None:
        for tab in WARM_UP:
            tab.warm_up()

    thread = threading.Thread(target=load_all, name="warm-up", daemon=True)
    thread.start()
    return thread


def start_first_models() -> None:
    """A tab with no model trains its own first (studio/train/bootstrap.py), in a thread as it may ask the
    Hub; meanwhile the tab asks serving how far it is, and serving asks the bootstrap: connected here, so
    serving never imports the Train tab."""
    first_model.report_with(bootstrap.preparing_error)
    threading.Thread(target=bootstrap.start, name="first-models", daemon=True).start()


def launch_kwargs() -> dict:
    """Arguments for `launch()` shared by `python app.py`, Spaces and the tests."""
    mcp = mcp_launch_kwargs()  # the classifiers as MCP tools at /gradio_api/mcp/ (studio/agents)
    app_kwargs = {**mcp.pop("app_kwargs"), "middleware": http_limits.middleware()}  # every body capped
    return {"max_file_size": config.upload_cap(), "show_error": True, "theme": gr.themes.Soft(),
            "head": ACCESSIBILITY.read_text(encoding="utf-8"),  # names for screen readers (the file says how)
            **mcp, "app_kwargs": app_kwargs}


if __name__ == "__main__":
    configure_threads()
    demo = build_demo()
    start_first_models()
    warm_up()
    demo.launch(**launch_kwargs())
