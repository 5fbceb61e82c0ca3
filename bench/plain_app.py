"""A plain 4-tab Gradio app, the yardstick of bench/page_weight.py: what any Gradio page with an image
classifier, a text classifier, a model picker and a training form costs the browser, with Gradio's defaults."""

from __future__ import annotations

import gradio as gr


def build() -> gr.Blocks:
    with gr.Blocks(title="Plain") as demo:
        gr.Markdown("# Plain Gradio app")
        with gr.Tabs():
            with gr.Tab("Image"):
                image = gr.Image(type="filepath")
                label = gr.Label()
                gr.Button("Classify").click(lambda path: {"a": 1.0}, image, label)
            with gr.Tab("Text"):
                text = gr.Textbox()
                answer = gr.Label()
                gr.Button("Classify").click(lambda value: {"a": 1.0}, text, answer)
            with gr.Tab("Pipeline"):
                task = gr.Dropdown(["a", "b"], value="a")
                given = gr.Textbox()
                output = gr.JSON()
                gr.Button("Run").click(lambda *values: {"ok": True}, [task, given], output)
            with gr.Tab("Train"):
                upload = gr.File()
                table = gr.Dataframe()
                gr.LinePlot()
                gr.Button("Train").click(lambda path: [[1]], upload, table)
    return demo


if __name__ == "__main__":
    build().launch()
