"""PLACEHOLDER until its issue lands: replaced by the real tab."""

import gradio as gr


def build() -> None:
    gr.Markdown("beans")
