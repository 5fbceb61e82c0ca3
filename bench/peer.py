"""The minimal peer `bench.serve` compares the app with: what anyone would write in ten lines.

`python -m bench.peer --beans <checkpoint> --sentiment <checkpoint>` serves one gr.Image -> gr.Label
event and one gr.Textbox -> gr.Label event, Gradio's default settings, the same checkpoints through a
plain transformers pipeline. Port: GRADIO_SERVER_PORT.
"""

from __future__ import annotations

import argparse

import gradio as gr
from transformers import pipeline


def build(beans: str, sentiment: str) -> gr.Blocks:
    classify_image = pipeline("image-classification", model=beans)
    classify_text = pipeline("text-classification", model=sentiment, top_k=None)

    def leaf(image):
        return {result["label"]: result["score"] for result in classify_image(image, top_k=3)}

    def text(value):
        return {result["label"]: result["score"] for result in classify_text(value)[0]}

    with gr.Blocks() as demo:
        image, image_label = gr.Image(type="pil"), gr.Label()
        gr.Button("Classify").click(leaf, image, image_label, api_name="classify")
        box, text_label = gr.Textbox(), gr.Label()
        gr.Button("Sentiment").click(text, box, text_label, api_name="sentiment")
    return demo


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--beans", required=True)
    parser.add_argument("--sentiment", required=True)
    options = parser.parse_args()
    build(options.beans, options.sentiment).launch()


if __name__ == "__main__":
    main()
